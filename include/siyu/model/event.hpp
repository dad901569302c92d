#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "siyu/core/duration.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_type.hpp"

namespace siyu {

/// One event as a host reports it: the fields of the interchange formats, keys still as
/// the host's strings. `Pool::add_event` validates it and resolves the keys; the CSV and
/// JSONL readers produce it. Thread-safety: a plain value.
struct Event {
  std::string id;                      ///< Idempotency key; empty: derived from the content.
  Timestamp ts;                        ///< When it happened (UTC).
  std::string customer;                ///< The customer's external key (external_userid, unionid).
  EventType type = EventType::custom;  ///< What happened.
  std::string custom_name;             ///< For `EventType::custom`: the name after "custom.".
  std::string staff;                   ///< The staff member's key, if any.
  std::string channel;                 ///< A channel key or a live-code key, if any.
  std::string product;                 ///< A product SKU, if any.
  std::optional<Money> amount;         ///< Money involved (orders, refunds, coupons).
  std::string ref;                     ///< What the event refers to; meaning depends on `type`.
  std::optional<Duration> duration;    ///< Watch or call time.
  std::string text;                    ///< Message text (UTF-8).

  /// Events compare field by field.
  friend bool operator==(const Event&, const Event&) = default;
};

/// An event's fields as views into text the caller keeps alive while the view is used:
/// what `Event` holds, without owning it. The readers in `ingest` hand the pool views into
/// their buffers, so a row allocates nothing on its way to the log; an `Event` converts to
/// its view. Thread-safety: a plain value.
struct EventView {
  std::string_view id;                 ///< Idempotency key; empty: derived from the content.
  Timestamp ts;                        ///< When it happened (UTC).
  std::string_view customer;           ///< The customer's external key.
  EventType type = EventType::custom;  ///< What happened.
  std::string_view custom_name;        ///< For `EventType::custom`: the name after "custom.".
  std::string_view staff;              ///< The staff member's key, if any.
  std::string_view channel;            ///< A channel key or a live-code key, if any.
  std::string_view product;            ///< A product SKU, if any.
  std::optional<Money> amount;         ///< Money involved (orders, refunds, coupons).
  std::string_view ref;                ///< What the event refers to; meaning depends on `type`.
  std::optional<Duration> duration;    ///< Watch or call time.
  std::string_view text;               ///< Message text (UTF-8).

  /// An empty view.
  EventView() = default;
  /// The view of `event`'s fields, valid while `event` is unchanged.
  EventView(const Event& event) noexcept  // NOLINT(google-explicit-constructor): a view of it
      : id(event.id),
        ts(event.ts),
        customer(event.customer),
        type(event.type),
        custom_name(event.custom_name),
        staff(event.staff),
        channel(event.channel),
        product(event.product),
        amount(event.amount),
        ref(event.ref),
        duration(event.duration),
        text(event.text) {}
};

/// The header of the CSV interchange format (docs/formats.md).
inline constexpr std::string_view event_csv_header =
    "id,ts,customer,type,staff,channel,product,amount,ref,duration,text";

/// One CSV row of the interchange format (no line end), fields quoted per RFC 4180 where
/// needed; `ts` is written as epoch seconds, so any instant can be written.
[[nodiscard]] SIYU_EXPORT std::string format_event_csv(const EventView& event);

}  // namespace siyu

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_type.hpp"

namespace siyu {

namespace detail {
/// The store's codec for the log's columns (internal).
struct EventChunks;
}  // namespace detail

/// One event as the log holds it: keys resolved to directory ids.
/// Thread-safety: a plain value.
struct LoggedEvent {
  EventId id;           ///< Arrival order in the pool; breaks timestamp ties.
  CustomerId customer;  ///< The person (after identity resolution).
  CustomerId key;       ///< The customer record (external key) it was reported under.
  Timestamp ts;         ///< When it happened.
  EventType type = EventType::custom;  ///< What happened.
  std::uint16_t custom_name = 0;       ///< For custom events: index into `Pool::custom_names()`.
  StaffId staff;                       ///< Staff involved, if any.
  ChannelId channel;                   ///< Channel, if any.
  ProductId product;                   ///< Product, if any.
  /// What `ref` named, resolved by type: a tag, material, coupon, group, the inviter or
  /// linked customer, or (orders, custom events) an index into `Pool::refs()`.
  std::uint32_t ref = no_ref;
  std::optional<Money> amount;       ///< Money involved, if any.
  std::optional<Duration> duration;  ///< Watch time in whole seconds, if any.
  std::string text;                  ///< Message text, empty if none.

  /// `ref` when the event refers to nothing.
  static constexpr std::uint32_t no_ref = 0xFFFF'FFFF;
  /// Events compare field by field.
  friend bool operator==(const LoggedEvent&, const LoggedEvent&) = default;
};

namespace detail {

/// Message texts back to back in one buffer (a string each would cost an allocation per
/// message): text i is bytes[ends[i], ends[i + 1]); text 0 is the empty text.
struct Texts {
  std::basic_string<char, std::char_traits<char>, ColumnAllocator<char>> bytes;
  Column<std::uint64_t> ends{0, 0};

  /// The text with index `index`.
  [[nodiscard]] std::string_view operator[](std::uint32_t index) const noexcept {
    return std::string_view(bytes).substr(ends[index], ends[index + 1] - ends[index]);
  }
  /// Stores `text` and returns its index; the empty text is index 0.
  std::uint32_t add(std::string_view text);
  /// Takes `more`'s texts after these in one copy (none when these are empty) and returns
  /// what to add to an index of `more` (other than 0) to find its text here.
  std::uint32_t append(Texts&& more);
  /// Overwrites text `index` with zero bytes: an erased customer's messages must not linger
  /// in memory until the buffer is next rebuilt.
  void blank(std::uint32_t index) noexcept;
};

/// Flags of a logged event.
inline constexpr std::uint8_t event_has_amount = 1;
inline constexpr std::uint8_t event_has_duration = 2;
/// The channel column's value for an event without a channel.
inline constexpr std::uint16_t no_channel = 0xFFFF;

/// An accepted event on its way into the log, in the log's column encoding. One 64-byte
/// record per event, because the merge gathers a batch in customer order: a record costs
/// one cache line there, where thirteen columns would cost thirteen.
struct StagedEvent {
  std::uint64_t id = 0;
  std::int64_t ts = 0;
  std::int64_t amount = 0;     // fen, when flags has event_has_amount
  std::uint32_t customer = 0;  // the person: the key's record until identities are resolved
  std::uint32_t key = 0;       // the customer record it was reported under
  std::uint32_t staff = StaffId::none_value;
  std::uint32_t product = ProductId::none_value;
  std::uint32_t ref = LoggedEvent::no_ref;
  std::uint32_t duration = 0;  // whole seconds, when flags has event_has_duration
  std::uint32_t text = 0;      // index into the batch's texts
  std::uint16_t channel = no_channel;
  std::uint16_t custom_name = 0;
  EventType type = EventType::custom;
  std::uint8_t flags = 0;

  /// Sets the fields the log encodes: amount and duration with their flags, and the
  /// 16-bit channel (a pool holds at most 65,535 channels).
  void set_encoded(std::optional<Money> money, std::optional<Duration> time,
                   ChannelId through) noexcept;
};

/// Events accepted and not yet merged into a log, in arrival order.
struct EventBatch {
  Column<StagedEvent> events;
  Texts texts;

  /// Adds `event` (its `key`, when unset, is its customer).
  void push_back(const LoggedEvent& event);
  /// Empties the batch.
  void clear();
};

}  // namespace detail

/// The pool's events in columns, clustered by customer and ordered within a customer by
/// timestamp, ties in arrival order. The hot columns a metric scans take 32 bytes per event
/// (ts, value, staff, product, ref, channel, kind); message text is stored apart.
///
/// Appending merges a batch into the clustering in one linear pass: no event already in
/// the log is compared again. Thread-safety: const methods may run concurrently;
/// `append` needs exclusive access.
class SIYU_EXPORT EventLog {
 public:
  /// Positions [begin, end) of one customer's events.
  struct Range {
    std::size_t begin = 0;  ///< First position.
    std::size_t end = 0;    ///< One past the last position.
    /// Number of events in the range.
    [[nodiscard]] std::size_t size() const noexcept { return end - begin; }
  };

  /// When the log starts and ends.
  struct Span {
    Timestamp first;  ///< The earliest event's timestamp.
    Timestamp last;   ///< The latest event's timestamp.
    /// Spans compare field by field.
    friend bool operator==(const Span&, const Span&) = default;
  };

  /// Number of events.
  [[nodiscard]] std::size_t size() const noexcept { return ts_.size(); }
  /// The earliest and latest timestamps; none for an empty log. Kept as events come and go,
  /// so the metrics' default clock costs nothing.
  [[nodiscard]] std::optional<Span> span() const noexcept { return span_; }
  /// Customers the clustering covers: ids below this have a (possibly empty) range.
  [[nodiscard]] std::size_t customer_count() const noexcept { return offsets_.size() - 1; }
  /// A customer's events; empty for customers the log has never seen.
  [[nodiscard]] Range range(CustomerId customer) const noexcept;
  /// The event at a position, rebuilt from the columns.
  [[nodiscard]] LoggedEvent at(std::size_t position) const;
  /// The customer whose range holds `position`.
  [[nodiscard]] CustomerId customer_at(std::size_t position) const;

  /// Timestamps column (µs since the epoch).
  [[nodiscard]] std::span<const std::int64_t> ts() const noexcept { return ts_; }
  /// Event types column.
  [[nodiscard]] std::span<const EventType> types() const noexcept { return types_; }
  /// Amount in fen column; 0 where the event has none (see `has_amount`).
  [[nodiscard]] std::span<const std::int64_t> amounts() const noexcept { return amounts_; }
  /// Staff column (`StaffId::value`).
  [[nodiscard]] std::span<const std::uint32_t> staff() const noexcept { return staff_; }
  /// Product column (`ProductId::value`).
  [[nodiscard]] std::span<const std::uint32_t> products() const noexcept { return products_; }
  /// Ref column (see `LoggedEvent::ref`).
  [[nodiscard]] std::span<const std::uint32_t> refs() const noexcept { return refs_; }
  /// Channel column (`ChannelId::value`, 16-bit: 0xFFFF where the event has none).
  [[nodiscard]] std::span<const std::uint16_t> channels() const noexcept { return channels_; }
  /// Custom name column: for custom events, an index into `Pool::custom_names()`.
  [[nodiscard]] std::span<const std::uint16_t> custom_names() const noexcept {
    return custom_names_;
  }
  /// Duration column: watch time in whole seconds; 0 where the event has none.
  [[nodiscard]] std::span<const std::uint32_t> durations() const noexcept { return durations_; }
  /// The message text of the event at `position`; empty when it has none. No copy: valid
  /// until the log changes.
  [[nodiscard]] std::string_view text(std::size_t position) const noexcept {
    return texts_[text_index_[position]];
  }
  /// Key column: the customer record each event was reported under (`CustomerId::value`).
  [[nodiscard]] std::span<const std::uint32_t> keys() const noexcept { return keys_; }
  /// Arrival ids column (`EventId::value`).
  [[nodiscard]] std::span<const std::uint64_t> ids() const noexcept { return ids_; }
  /// Per-customer offsets: customer c's events are [offsets[c], offsets[c + 1]).
  [[nodiscard]] std::span<const std::uint64_t> offsets() const noexcept { return offsets_; }
  /// True when the event at `position` carries an amount.
  [[nodiscard]] bool has_amount(std::size_t position) const noexcept;

  /// Removes every event of `customer` and blanks their texts; returns how many were removed.
  std::size_t remove_customer(CustomerId customer);

  /// Re-clusters the log after identity links changed: each event moves to the person
  /// `person_of[key]` of the key it was reported under, keeping (ts, id) order.
  void regroup(std::span<const std::uint32_t> person_of);

  /// Merges `batch` into the log. Events keep (customer, ts, id) order; ids must be new
  /// and ascending within the batch. Customers may be new.
  void append(std::span<const LoggedEvent> batch);
  /// Merges staged events, as above, taking the batch's texts: what a pool commits.
  void append(detail::EventBatch&& batch);

 private:
  friend struct detail::EventChunks;  // the store keeps the columns as chunks

  // Sets span_ from the timestamps, after events were removed or read in bulk.
  void recompute_span() noexcept;

  // Calls f(&EventLog::column) for every per-event column: the one place they are listed.
  template <class F>
  static void each_member(F&& f) {
    f(&EventLog::ts_), f(&EventLog::amounts_), f(&EventLog::staff_), f(&EventLog::products_);
    f(&EventLog::refs_), f(&EventLog::channels_), f(&EventLog::types_), f(&EventLog::flags_);
    f(&EventLog::ids_), f(&EventLog::keys_), f(&EventLog::custom_names_);
    f(&EventLog::durations_), f(&EventLog::text_index_);
  }
  // Calls f(column) for every per-event column of `log`.
  template <class Log, class F>
  static void each_column(Log& log, F&& f) {
    each_member([&](auto member) { f(log.*member); });
  }
  // Calls f(to_column, from_column) for every pair of matching per-event columns.
  template <class F>
  static void each_column_pair(EventLog& to, const EventLog& from, F&& f) {
    each_member([&](auto member) { f(to.*member, from.*member); });
  }

  // Hot columns, 32 bytes per event; `flags_` says whether amount and duration are present.
  // Channel ids are 16-bit: a pool has at most 65,535 channels (live codes are not limited).
  detail::Column<std::int64_t> ts_;
  detail::Column<std::int64_t> amounts_;
  detail::Column<std::uint32_t> staff_;
  detail::Column<std::uint32_t> products_;
  detail::Column<std::uint32_t> refs_;
  detail::Column<std::uint16_t> channels_;
  detail::Column<EventType> types_;
  detail::Column<std::uint8_t> flags_;
  // Cold columns: arrival id, custom name, duration and text (0 = none).
  detail::Column<std::uint64_t> ids_;
  detail::Column<std::uint32_t> keys_;
  detail::Column<std::uint16_t> custom_names_;
  detail::Column<std::uint32_t> durations_;
  detail::Column<std::uint32_t> text_index_;
  detail::Texts texts_;
  detail::Column<std::uint64_t> offsets_{0};
  std::optional<Span> span_;
};

}  // namespace siyu

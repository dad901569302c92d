#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "siyu/core/money.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_type.hpp"

namespace siyu {

/// Which events count: a type and optional filters, every filter naming a record by the
/// host's key. A funnel step or an exclusion is one; an empty filter matches anything.
///
/// Written as text (`parse_event_condition`): the type, then filters in brackets, e.g.
/// `order_paid[product=SKU-7,amount>=199]` or `custom.trial_class[staff=s01]`.
/// Thread-safety: a plain value.
struct EventCondition {
  EventType type = EventType::custom;  ///< The event type.
  std::string custom_name;             ///< For custom events: the name after "custom.".
  std::string channel;                 ///< The event's channel key.
  std::string staff;                   ///< The event's staff key.
  std::string product;                 ///< The event's product SKU.
  /// What `ref` names, read by type: a material (content_*), coupon, tag, group, the other
  /// customer's key (invited, identity_linked), or the order id / custom ref as written.
  std::string ref;
  std::string tag;                  ///< The customer carries this tag (the directory's tags).
  std::optional<Money> min_amount;  ///< The event carries an amount of at least this.
  std::optional<Money> max_amount;  ///< The event carries an amount of at most this.

  /// Conditions compare field by field.
  friend bool operator==(const EventCondition&, const EventCondition&) = default;
};

/// Parses `type[filter,...]`: filters are `channel=`, `staff=`, `product=`, `ref=`, `tag=`
/// (a key; double-quote it if it holds `,`, `]` or `"`, doubling inner quotes) and
/// `amount>=`, `amount<=`, `amount=` (yuan). Throws `ParseError` naming the problem.
[[nodiscard]] SIYU_EXPORT EventCondition parse_event_condition(std::string_view text);

/// The condition as `parse_event_condition` reads it back.
[[nodiscard]] SIYU_EXPORT std::string to_string(const EventCondition& condition);

}  // namespace siyu

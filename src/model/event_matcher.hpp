#pragma once
// An EventCondition resolved against a pool's directories, matched against the log's
// columns without building events.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "siyu/model/event_condition.hpp"
#include "siyu/model/event_log.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::detail {

/// A condition with its keys resolved to ids. Thread-safety: immutable after construction.
class EventMatcher {
 public:
  /// Resolves `condition`'s keys in `pool`. Throws `NotFound` naming the filter for a key
  /// no directory holds; a custom name or order id no event carries matches nothing.
  EventMatcher(const Pool& pool, const EventCondition& condition);

  /// The type every matching event has.
  [[nodiscard]] EventType type() const noexcept { return type_; }
  /// True when the type alone decides: no filter on the event's fields (`tag` aside).
  [[nodiscard]] bool type_only() const noexcept { return type_only_; }
  /// True when the event at `position` matches every filter but `tag`. The type is checked
  /// here, inline, as most events of a scan fail on it.
  [[nodiscard]] bool matches(const EventLog& log, std::size_t position) const noexcept {
    return log.types()[position] == type_ && (type_only_ || matches_fields(log, position));
  }
  /// True when `customer` carries the tag the condition asks for (or it asks for none).
  [[nodiscard]] bool customer_matches(const Customer& customer) const noexcept {
    return !tag_.has_value() || has_tag(customer);
  }

 private:
  static constexpr std::uint32_t any = 0xFFFF'FFFF;
  [[nodiscard]] bool matches_fields(const EventLog& log, std::size_t position) const noexcept;
  [[nodiscard]] bool has_tag(const Customer& customer) const noexcept;

  EventType type_;
  bool never_ = false;  // names a custom event or order id the log has never seen
  std::uint32_t custom_name_ = any;
  std::uint32_t channel_ = any;
  std::uint32_t staff_ = any;
  std::uint32_t product_ = any;
  std::uint32_t ref_ = any;
  TagId tag_;
  std::int64_t min_fen_ = 0;
  std::int64_t max_fen_ = 0;
  bool has_min_ = false;
  bool has_max_ = false;
  bool type_only_ = false;
};

}  // namespace siyu::detail

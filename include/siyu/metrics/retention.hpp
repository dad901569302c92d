#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_condition.hpp"

namespace siyu {

class Pool;

/// A calendar period in a zone: a local day, an ISO week (Monday to Sunday) or a month.
enum class CalendarPeriod : std::uint8_t { day, week, month };

/// "day", "week" or "month".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(CalendarPeriod period) noexcept;
/// Reads what `to_string(CalendarPeriod)` writes; throws `ParseError` otherwise.
[[nodiscard]] SIYU_EXPORT CalendarPeriod parse_calendar_period(std::string_view text);

/// What a cohort table counts. Thread-safety: a plain value.
struct RetentionQuery {
  /// The event that puts a customer in a cohort: their first such event decides the period.
  EventCondition cohort_event{.type = EventType::friend_added};
  /// The event that counts as coming back; none means any event.
  std::optional<EventCondition> return_event;
  CalendarPeriod period = CalendarPeriod::week;  ///< How cohorts and cells are cut.
  std::size_t periods = 8;                       ///< Cells after the cohort's own: 1 to 1,000.
  std::optional<Timestamp> from;  ///< Cohorts whose first cohort event is at or after this.
  std::optional<Timestamp> to;    ///< ... and before this.
  std::optional<Zone> zone;       ///< The calendar's zone; the pool's when none.
};

/// One cohort's row. Cell k is the period k after the cohort's own (k = 0 is the cohort's
/// period). Thread-safety: a plain value.
struct Cohort {
  LocalDate start;         ///< The first local day of the cohort's period.
  std::uint64_t size = 0;  ///< Customers whose first cohort event falls in the period.
  /// k = 1..periods (index k - 1): members with at least one return event in period k.
  std::vector<std::uint64_t> retained;
  /// k = 1..periods (index k - 1): members with at least one return event in period k or
  /// any later one (rolling, "on or after" retention).
  std::vector<std::uint64_t> rolling;
  /// k = 0..periods (index k): the members' paid orders minus refunds in period k, in fen.
  std::vector<std::int64_t> revenue;
  /// k = 0..periods (index k): the revenue of periods 0..k per member, in fen rounded half
  /// away from zero (the LTV curve).
  std::vector<std::int64_t> ltv;
  /// Rows compare field by field.
  friend bool operator==(const Cohort&, const Cohort&) = default;
};

/// Growth accounting for one period over every cohort (docs/metrics.md defines each).
struct LifecyclePeriod {
  LocalDate start;                  ///< The first local day of the period.
  std::uint64_t new_customers = 0;  ///< Customers whose cohort period this is.
  std::uint64_t returning = 0;      ///< Came back this period and the period before.
  std::uint64_t resurrecting = 0;   ///< Came back this period, not the period before.
  std::uint64_t dormant = 0;        ///< Came back (or joined) the period before, not this one.
  /// Rows compare field by field.
  friend bool operator==(const LifecyclePeriod&, const LifecyclePeriod&) = default;
};

/// A cohort table with its lifecycle. Thread-safety: a plain value.
struct RetentionResult {
  std::vector<Cohort> cohorts;  ///< By start, only periods with members.
  std::vector<LifecyclePeriod>
      lifecycle;  ///< Every period from the first cohort's to the last event's.
  /// Results compare field by field.
  friend bool operator==(const RetentionResult&, const RetentionResult&) = default;
};

/// Counts `query` over the pool's committed events (docs/metrics.md has the semantics).
/// Throws `ConfigError` for `periods` outside 1..1,000 and `NotFound` for a condition
/// naming a key the pool lacks. Reads only; safe to run concurrently.
[[nodiscard]] SIYU_EXPORT RetentionResult run_retention(const Pool& pool,
                                                        const RetentionQuery& query);

}  // namespace siyu

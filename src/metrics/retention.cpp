#include "siyu/metrics/retention.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "core/calendar.hpp"
#include "metrics/rounding.hpp"
#include "model/event_matcher.hpp"
#include "model/type_scan.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

constexpr std::size_t max_periods = 1000;

constexpr std::array<std::string_view, 3> period_names = {"day", "week", "month"};

// Calendar periods as consecutive integers, so cell k of a cohort is its period + k.
class PeriodCalendar {
 public:
  PeriodCalendar(CalendarPeriod period, Zone zone)
      : period_(period), offset_micros_(std::int64_t{zone.offset_seconds} * 1'000'000) {}

  [[nodiscard]] std::int64_t index(std::int64_t ts_micros) {
    const std::int64_t day = detail::floor_div(ts_micros + offset_micros_, detail::micros_per_day);
    switch (period_) {
      case CalendarPeriod::day: return day;
      case CalendarPeriod::week:
        return detail::floor_div(day + 3, 7);  // 1970-01-01 was a Thursday; weeks start Monday
      case CalendarPeriod::month:
        // Events come in time order per customer: most share the previous event's day.
        if (day != cached_day_) {
          const LocalDate date = detail::civil_from_days(day);
          cached_day_ = day;
          cached_month_ = std::int64_t{date.year} * 12 + date.month - 1;
        }
        return cached_month_;
    }
    return day;
  }

  // The first instant (µs) of period `index`.
  [[nodiscard]] std::int64_t start_micros(std::int64_t index) const {
    std::int64_t day = index;
    if (period_ == CalendarPeriod::week) day = index * 7 - 3;
    if (period_ == CalendarPeriod::month) day = detail::days_from_civil(start(index));
    return day * detail::micros_per_day - offset_micros_;
  }

  [[nodiscard]] LocalDate start(std::int64_t index) const {
    switch (period_) {
      case CalendarPeriod::day: return detail::civil_from_days(index);
      case CalendarPeriod::week: return detail::civil_from_days(index * 7 - 3);
      case CalendarPeriod::month:
        return LocalDate{.year = static_cast<std::int32_t>(detail::floor_div(index, 12)),
                         .month = static_cast<std::int32_t>(detail::floor_mod(index, 12)) + 1,
                         .day = 1};
    }
    return {};
  }

 private:
  CalendarPeriod period_;
  std::int64_t offset_micros_;
  std::int64_t cached_day_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t cached_month_ = 0;
};

// A cohort's counts while the scan runs; `rolling_from` holds, per k, the members whose
// last return lies k periods after the cohort's (summed from the end at the close).
struct CohortTally {
  std::int64_t period = 0;
  std::uint64_t size = 0;
  std::vector<std::uint64_t> retained;
  std::vector<std::uint64_t> last_return;
  std::vector<std::int64_t> revenue;
};

}  // namespace

std::string_view to_string(CalendarPeriod period) noexcept {
  return period_names[static_cast<std::size_t>(period)];
}

CalendarPeriod parse_calendar_period(std::string_view text) {
  for (std::size_t i = 0; i < period_names.size(); ++i) {
    if (text == period_names[i]) return static_cast<CalendarPeriod>(i);
  }
  throw ParseError(ErrorCode::invalid_value,
                   "unknown period \"" + std::string(text) + "\": expected day, week or month",
                   Where{.field = "period"});
}

RetentionResult run_retention(const Pool& pool, const RetentionQuery& query) {
  if (query.periods < 1 || query.periods > max_periods) {
    throw ConfigError(ErrorCode::invalid_value,
                      "periods must be 1 to " + std::to_string(max_periods) + ", not " +
                          std::to_string(query.periods),
                      Where{.field = "periods"});
  }
  // Errors name the condition they come from: "record cohort event, field product: ...".
  const auto matcher = [&](const EventCondition& condition, const char* name) {
    try {
      return detail::EventMatcher(pool, condition);
    } catch (Error& e) {
      e.locate(Where{.record = name});
      throw;
    }
  };
  const detail::EventMatcher cohort_matcher = matcher(query.cohort_event, "cohort event");
  std::optional<detail::EventMatcher> return_matcher;
  if (query.return_event) return_matcher = matcher(*query.return_event, "return event");
  const std::size_t cells = query.periods;
  PeriodCalendar calendar(query.period, query.zone.value_or(pool.options().zone));
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const auto types = log.types();
  const auto amounts = log.amounts();

  // The calendar's span: from the earliest event to the latest, as period indices.
  RetentionResult result;
  const std::optional<EventLog::Span> log_span = log.span();
  if (!log_span) return result;
  const std::int64_t base = calendar.index(log_span->first.micros);
  const std::int64_t last = calendar.index(log_span->last.micros);
  const auto span = static_cast<std::size_t>(last - base + 1);

  std::vector<std::int32_t> cohort_of_period(span, -1);
  std::vector<CohortTally> cohorts;
  std::vector<LifecyclePeriod> lifecycle(span);
  const auto offsets = log.offsets();
  const auto& customers = pool.customers();
  // Each customer's cohort (an index into `cohorts`), for the revenue pass; -1: none.
  detail::Column<std::int32_t> member_of(log.customer_count(), -1);

  // First pass: members, returns and lifecycle, from the timestamps alone (and the
  // conditions' columns).
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range r{offsets[c], offsets[c + 1]};
    if (r.size() == 0) continue;
    // A tag filter asks about the customer, not the event: decided once per customer.
    const Customer& customer = customers[CustomerId{c}];
    if (!cohort_matcher.customer_matches(customer)) continue;
    const bool may_return = !return_matcher || return_matcher->customer_matches(customer);
    std::size_t first = r.end;
    for (std::size_t p = r.begin; p < r.end; ++p) {
      if (cohort_matcher.matches(log, p)) {
        first = p;
        break;
      }
    }
    if (first == r.end) continue;
    if ((query.from && ts[first] < query.from->micros) ||
        (query.to && ts[first] >= query.to->micros)) {
      continue;
    }
    const std::int64_t period = calendar.index(ts[first]);
    auto& slot = cohort_of_period[static_cast<std::size_t>(period - base)];
    if (slot < 0) {
      slot = static_cast<std::int32_t>(cohorts.size());
      cohorts.push_back(CohortTally{.period = period,
                                    .retained = std::vector<std::uint64_t>(cells + 1, 0),
                                    .last_return = std::vector<std::uint64_t>(cells + 1, 0),
                                    .revenue = std::vector<std::int64_t>(cells + 1, 0)});
    }
    CohortTally& cohort = cohorts[static_cast<std::size_t>(slot)];
    member_of[c] = slot;
    ++cohort.size;
    ++lifecycle[static_cast<std::size_t>(period - base)].new_customers;

    std::int64_t previous_active = period;  // joining counts as activity
    std::size_t last_return = 0;
    // A customer's events are in time order: the period changes only when an event passes
    // the current period's end, so the calendar is asked once per period, not per event,
    // and a return is counted at most once per period.
    std::int64_t at = 0;
    std::int64_t at_end = std::numeric_limits<std::int64_t>::min();
    std::size_t k = 0;    // at - period, once at >= period
    bool counted = true;  // no (further) return counts in period `at`
    for (std::size_t p = r.begin; p < r.end; ++p) {
      if (ts[p] >= at_end) {
        at = calendar.index(ts[p]);
        at_end = calendar.start_micros(at + 1);
        k = at >= period ? static_cast<std::size_t>(at - period) : 0;
        // Events before the cohort's period are ignored; its own period is no return.
        counted = at <= period || !may_return;
      }
      if (counted || (return_matcher && !return_matcher->matches(log, p))) continue;
      counted = true;
      if (k <= cells) ++cohort.retained[k];
      last_return = std::min(k, cells);
      auto& row = lifecycle[static_cast<std::size_t>(at - base)];
      if (at == previous_active + 1) {
        ++row.returning;
      } else {
        ++row.resurrecting;
        ++lifecycle[static_cast<std::size_t>(previous_active + 1 - base)].dormant;
      }
      previous_active = at;
    }
    if (previous_active < last)
      ++lifecycle[static_cast<std::size_t>(previous_active + 1 - base)].dormant;
    ++cohort.last_return[last_return];
  }

  // Second pass: the members' orders and refunds, found in the type column alone, their
  // timestamps and amounts fetched some orders ahead (they lie far apart).
  const detail::Column<std::size_t> orders = detail::positions_of(types, detail::order_types);
  detail::CustomerCursor owner(offsets);
  const auto add_revenue = [&](std::size_t p) {
    const std::int32_t slot = member_of[owner.customer_of(p)];
    if (slot < 0) return;
    CohortTally& cohort = cohorts[static_cast<std::size_t>(slot)];
    const std::int64_t k = calendar.index(ts[p]) - cohort.period;
    if (k < 0 || k > static_cast<std::int64_t>(cells)) return;
    cohort.revenue[static_cast<std::size_t>(k)] +=
        types[p] == EventType::order_paid ? amounts[p] : -amounts[p];
  };
  detail::for_each_fetched_ahead(orders, add_revenue, ts, amounts);

  std::sort(cohorts.begin(), cohorts.end(),
            [](const CohortTally& a, const CohortTally& b) { return a.period < b.period; });
  for (const CohortTally& tally : cohorts) {
    Cohort& row = result.cohorts.emplace_back();
    row.start = calendar.start(tally.period);
    row.size = tally.size;
    row.retained.assign(tally.retained.begin() + 1, tally.retained.end());
    row.rolling.assign(cells, 0);
    std::uint64_t returned_later = 0;
    for (std::size_t k = cells; k >= 1; --k) {
      returned_later += tally.last_return[k];
      row.rolling[k - 1] = returned_later;
    }
    row.revenue = tally.revenue;
    std::int64_t cumulative = 0;
    for (std::int64_t revenue : tally.revenue) {
      cumulative += revenue;
      row.ltv.push_back(detail::divide_rounded(cumulative, tally.size));
    }
  }
  const auto first_cohort = std::find_if(lifecycle.begin(), lifecycle.end(),
                                         [](const auto& row) { return row.new_customers > 0; });
  for (auto it = first_cohort; it != lifecycle.end(); ++it) {
    it->start = calendar.start(base + (it - lifecycle.begin()));
    result.lifecycle.push_back(*it);
  }
  return result;
}

}  // namespace siyu

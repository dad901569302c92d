#include "siyu/metrics/retention.hpp"

#include <algorithm>
#include <array>

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

  // The local day (days since 1970-01-01 in the zone) of an instant.
  [[nodiscard]] std::int64_t day(std::int64_t ts_micros) const {
    return detail::floor_div(ts_micros + offset_micros_, detail::micros_per_day);
  }

  [[nodiscard]] std::int64_t index_of_day(std::int64_t day) const {
    switch (period_) {
      case CalendarPeriod::day: return day;
      case CalendarPeriod::week:
        return detail::floor_div(day + 3, 7);  // 1970-01-01 was a Thursday; weeks start Monday
      case CalendarPeriod::month: {
        const LocalDate date = detail::civil_from_days(day);
        return std::int64_t{date.year} * 12 + date.month - 1;
      }
    }
    return day;
  }

  // The first instant (µs) of local day `day`.
  [[nodiscard]] std::int64_t day_start_micros(std::int64_t day) const {
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
};

// Periods from a table of days: a plain value a hot loop keeps in registers.
struct DayTable {
  const std::uint32_t* periods;  // per local day from the origin's
  std::int64_t origin_micros;    // the first instant of the first day

  [[nodiscard]] std::uint32_t of(std::int64_t ts_micros) const noexcept {
    return periods[static_cast<std::uint64_t>(ts_micros - origin_micros) /
                   static_cast<std::uint64_t>(detail::micros_per_day)];
  }
};

// The period of every instant of a log's span, counted from the span's first period: one
// unsigned division and one read of a small table per event, whatever the period's kind.
class SpanPeriods {
 public:
  SpanPeriods(const PeriodCalendar& calendar, EventLog::Span span) {
    const std::int64_t first_day = calendar.day(span.first.micros);
    origin_micros_ = calendar.day_start_micros(first_day);
    base_ = calendar.index_of_day(first_day);
    const auto days = static_cast<std::size_t>(calendar.day(span.last.micros) - first_day + 1);
    periods_.resize(days);
    for (std::size_t d = 0; d < days; ++d) {
      periods_[d] = static_cast<std::uint32_t>(
          calendar.index_of_day(first_day + static_cast<std::int64_t>(d)) - base_);
    }
  }

  // The period of `ts_micros`, an instant within the span, counted from the span's first.
  [[nodiscard]] std::uint32_t of(std::int64_t ts_micros) const noexcept {
    return table().of(ts_micros);
  }
  [[nodiscard]] DayTable table() const noexcept { return {periods_.data(), origin_micros_}; }
  // The calendar's index of the span's first period.
  [[nodiscard]] std::int64_t base() const noexcept { return base_; }
  // Periods in the span.
  [[nodiscard]] std::size_t size() const noexcept { return periods_.back() + std::size_t{1}; }

 private:
  std::int64_t origin_micros_ = 0;  // the first instant of the span's first local day
  std::int64_t base_ = 0;
  std::vector<std::uint32_t> periods_;
};

// A cohort's counts while the scan runs; `last_return` holds, per k, the members whose
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
  const PeriodCalendar calendar(query.period, query.zone.value_or(pool.options().zone));
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const auto types = log.types();
  const auto amounts = log.amounts();

  // The calendar's span: from the earliest event to the latest, as period indices.
  RetentionResult result;
  const std::optional<EventLog::Span> log_span = log.span();
  if (!log_span) return result;
  const SpanPeriods periods(calendar, *log_span);
  const std::int64_t base = periods.base();
  const std::size_t last = periods.size() - 1;

  std::vector<std::int32_t> cohort_of_period(periods.size(), -1);
  std::vector<CohortTally> cohorts;
  std::vector<LifecyclePeriod> lifecycle(periods.size());
  const auto offsets = log.offsets();
  const auto& customers = pool.customers();
  // The orders and refunds, found in the type column alone and taken up with their buyer.
  const detail::Column<std::size_t> orders = detail::positions_of(types, detail::order_types);
  std::size_t next_order = 0;
  // One member's periods with a return, ascending, each once.
  std::vector<std::uint32_t> returned;

  // The periods after `period` in which events [from, to) hold a return: events are in time
  // order, so a period is new when it differs from the last one kept. Branch-free per event.
  const auto collect_returns = [&](std::size_t from, std::size_t to, std::uint32_t period,
                                   auto is_return) {
    if (returned.size() < to - from) returned.resize(to - from);
    // Locals, so the loop reads nothing but the timestamps from memory.
    const DayTable table = periods.table();
    const std::int64_t* times = ts.data();
    std::uint32_t* out = returned.data();
    std::size_t n = 0;
    std::uint32_t kept = period;  // the cohort's own period is no return
    for (std::size_t p = from; p < to; ++p) {
      const std::uint32_t at = table.of(times[p]);
      const bool counts = is_return(p);
      out[n] = at;
      n += static_cast<std::size_t>(counts && at != kept);
      kept = counts ? at : kept;
    }
    return n;
  };

  // Members, returns, revenue and lifecycle, one customer at a time.
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range r{offsets[c], offsets[c + 1]};
    if (r.size() == 0) continue;
    // A tag filter asks about the customer, not the event: decided once per customer.
    const Customer& customer = customers[CustomerId{c}];
    if (!cohort_matcher.customer_matches(customer)) continue;
    std::size_t first = r.begin;
    while (first < r.end && !cohort_matcher.matches(log, first)) ++first;
    if (first == r.end) continue;
    if ((query.from && ts[first] < query.from->micros) ||
        (query.to && ts[first] >= query.to->micros)) {
      continue;
    }
    const std::uint32_t period = periods.of(ts[first]);
    auto& slot = cohort_of_period[period];
    if (slot < 0) {
      slot = static_cast<std::int32_t>(cohorts.size());
      cohorts.push_back(CohortTally{.period = base + period,
                                    .retained = std::vector<std::uint64_t>(cells + 1, 0),
                                    .last_return = std::vector<std::uint64_t>(cells + 1, 0),
                                    .revenue = std::vector<std::int64_t>(cells + 1, 0)});
    }
    CohortTally& cohort = cohorts[static_cast<std::size_t>(slot)];
    ++cohort.size;
    ++lifecycle[period].new_customers;

    std::size_t returns = 0;
    if (!return_matcher) {
      returns = collect_returns(first + 1, r.end, period, [](std::size_t) { return true; });
    } else if (return_matcher->customer_matches(customer)) {
      returns = collect_returns(first + 1, r.end, period,
                                [&](std::size_t p) { return return_matcher->matches(log, p); });
    }
    std::uint32_t previous_active = period;  // joining counts as activity
    std::size_t last_return = 0;
    for (std::size_t i = 0; i < returns; ++i) {
      const std::uint32_t at = returned[i];
      const std::size_t k = at - period;
      if (k <= cells) ++cohort.retained[k];
      last_return = std::min(k, cells);
      if (at == previous_active + 1) {
        ++lifecycle[at].returning;
      } else {
        ++lifecycle[at].resurrecting;
        ++lifecycle[previous_active + 1].dormant;
      }
      previous_active = at;
    }
    if (previous_active < last) ++lifecycle[previous_active + 1].dormant;
    ++cohort.last_return[last_return];

    // The member's orders and refunds: their timestamps were just read, and the amounts of
    // orders further on are asked for ahead (one order in twenty events).
    while (next_order < orders.size() && orders[next_order] < r.begin) ++next_order;
    for (; next_order < orders.size() && orders[next_order] < r.end; ++next_order) {
      constexpr std::size_t ahead = 16;
      if (next_order + ahead < orders.size())
        detail::prefetch(&amounts[orders[next_order + ahead]]);
      const std::size_t p = orders[next_order];
      const std::uint32_t at = periods.of(ts[p]);
      if (at < period || at - period > cells) continue;
      cohort.revenue[at - period] += types[p] == EventType::order_paid ? amounts[p] : -amounts[p];
    }
  }

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

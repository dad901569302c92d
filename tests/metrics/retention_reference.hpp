#pragma once
// The plain way to count a cohort table, for tests: each customer's events read one by one
// through the public API, calendar periods found from local dates, and every cell counted
// by asking each member directly. Slow and obviously right; conditions through
// `reference::meets`.

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "metrics/condition_reference.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/metrics/retention.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::testing {

// A period as the local date it starts on, and consecutive periods numbered.
struct ReferenceCalendar {
  CalendarPeriod period;
  Zone zone;

  [[nodiscard]] LocalDate start(Timestamp t) const {
    LocalDate date = zone.local_date(t);
    if (period == CalendarPeriod::month) date.day = 1;
    if (period == CalendarPeriod::week) {
      const auto back = static_cast<std::int64_t>(zone.weekday(t)) - 1;
      date = zone.local_date(Timestamp{zone.at(date).micros - back * 86'400'000'000});
    }
    return date;
  }
  // Periods from 1970's to the one starting on `date`.
  [[nodiscard]] std::int64_t number(const LocalDate& date) const {
    if (period == CalendarPeriod::month) return std::int64_t{date.year} * 12 + date.month;
    const std::int64_t days =
        (zone.at(date).micros + std::int64_t{zone.offset_seconds} * 1'000'000) / 86'400'000'000;
    return period == CalendarPeriod::day ? days : (days + 3) / 7;
  }
  [[nodiscard]] std::int64_t number(Timestamp t) const { return number(start(t)); }
};

inline RetentionResult reference_retention(const Pool& pool, const RetentionQuery& query) {
  const ReferenceCalendar calendar{query.period, query.zone.value_or(pool.options().zone)};
  const EventLog& log = pool.events();
  const auto periods = static_cast<std::int64_t>(query.periods);
  struct Member {
    std::int64_t cohort;
    std::set<std::int64_t> returns;                // period numbers of return events
    std::map<std::int64_t, std::int64_t> revenue;  // period number -> fen
  };
  std::map<std::int64_t, LocalDate> starts;
  std::vector<Member> members;
  std::optional<std::int64_t> last;
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range range = log.range(CustomerId{c});
    const Customer& customer = pool.customers()[CustomerId{c}];
    std::optional<Timestamp> joined;
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const LoggedEvent e = log.at(p);
      if (!last || calendar.number(e.ts) > *last) last = calendar.number(e.ts);
      if (!joined && reference::meets(pool, e, customer, query.cohort_event)) joined = e.ts;
    }
    if (!joined || (query.from && *joined < *query.from) || (query.to && *joined >= *query.to)) {
      continue;
    }
    Member m{.cohort = calendar.number(*joined), .returns = {}, .revenue = {}};
    starts[m.cohort] = calendar.start(*joined);
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const LoggedEvent e = log.at(p);
      const std::int64_t at = calendar.number(e.ts);
      if (at < m.cohort) continue;
      if (e.type == EventType::order_paid) m.revenue[at] += e.amount->fen;
      if (e.type == EventType::order_refunded) m.revenue[at] -= e.amount->fen;
      if (!query.return_event || reference::meets(pool, e, customer, *query.return_event)) {
        m.returns.insert(at);
      }
    }
    members.push_back(std::move(m));
  }

  RetentionResult result;
  for (const auto& [cohort, start] : starts) {
    Cohort row{.start = start};
    row.retained.assign(query.periods, 0);
    row.rolling.assign(query.periods, 0);
    row.revenue.assign(query.periods + 1, 0);
    for (const Member& m : members) {
      if (m.cohort != cohort) continue;
      ++row.size;
      for (std::int64_t k = 1; k <= periods; ++k) {
        if (m.returns.count(cohort + k) > 0) ++row.retained[static_cast<std::size_t>(k - 1)];
        if (m.returns.lower_bound(cohort + k) != m.returns.end())
          ++row.rolling[static_cast<std::size_t>(k - 1)];
      }
      for (std::int64_t k = 0; k <= periods; ++k) {
        if (m.revenue.count(cohort + k) > 0)
          row.revenue[static_cast<std::size_t>(k)] += m.revenue.at(cohort + k);
      }
    }
    double cumulative = 0;
    for (std::int64_t r : row.revenue) {
      cumulative += static_cast<double>(r);
      row.ltv.push_back(
          static_cast<std::int64_t>(std::round(cumulative / static_cast<double>(row.size))));
    }
    result.cohorts.push_back(std::move(row));
  }

  if (starts.empty()) return result;
  // Every period from the first cohort's to the last event's, each member asked directly.
  std::int64_t t = starts.begin()->first;
  for (; t <= *last; ++t) {
    LifecyclePeriod row;
    const auto active = [&](const Member& m, std::int64_t period) {
      return period == m.cohort || (period > m.cohort && m.returns.count(period) > 0);
    };
    for (const Member& m : members) {
      if (m.cohort > t) continue;
      if (m.cohort == t) {
        ++row.new_customers;
        continue;
      }
      if (active(m, t)) {
        ++(active(m, t - 1) ? row.returning : row.resurrecting);
      } else if (active(m, t - 1)) {
        ++row.dormant;
      }
    }
    result.lifecycle.push_back(row);
  }
  // Period starts: walk a day at a time and keep the first day of each new period.
  std::size_t filled = 0;
  for (Timestamp day = calendar.zone.at(starts.begin()->second); filled < result.lifecycle.size();
       day.micros += 86'400'000'000) {
    const LocalDate start = calendar.start(day);
    if (calendar.number(start) - starts.begin()->first == static_cast<std::int64_t>(filled)) {
      result.lifecycle[filled++].start = start;
    }
  }
  return result;
}

}  // namespace siyu::testing

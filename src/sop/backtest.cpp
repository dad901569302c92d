#include "siyu/sop/backtest.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/calendar.hpp"
#include "model/event_matcher.hpp"
#include "siyu/model/pool.hpp"
#include "sop/run.hpp"

namespace siyu {

namespace {

// Each person's outcome events, ascending.
std::vector<std::vector<std::int64_t>> outcome_times(const Pool& pool,
                                                     const EventCondition& outcome,
                                                     std::int64_t until) {
  const detail::EventMatcher matcher(pool, outcome);
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  std::vector<std::vector<std::int64_t>> times(pool.customers().size());
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const Customer& record = pool.customers()[CustomerId{c}];
    if (!matcher.customer_matches(record)) continue;
    const std::uint32_t person = pool.person(CustomerId{c}).value;
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t p = range.begin; p < range.end && ts[p] <= until; ++p) {
      if (matcher.matches(log, p)) times[person].push_back(ts[p]);
    }
  }
  for (auto& t : times) std::sort(t.begin(), t.end());
  return times;
}

bool converted(const std::vector<std::int64_t>& times, std::int64_t due, std::int64_t window) {
  const auto next = std::upper_bound(times.begin(), times.end(), due);
  return next != times.end() && *next <= due + window;
}

// Wilson's score interval of k successes in n, at 95%.
std::pair<double, double> wilson(std::uint64_t k, std::uint64_t n) {
  constexpr double z = 1.959963984540054;
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double denominator = 1 + z * z / nn;
  const double center = (p + z * z / (2 * nn)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denominator;
  return {center - half, center + half};
}

// The lift's 95% interval by Newcombe's hybrid score method (his method 10), which stays
// sensible at rates of 0 or 1 and small groups, where the Wald interval collapses.
void compare(OutcomeComparison& o) {
  const auto rate = [](std::uint64_t k, std::uint64_t n) -> std::optional<double> {
    if (n == 0) return std::nullopt;
    return static_cast<double>(k) / static_cast<double>(n);
  };
  o.treated_rate = rate(o.treated_converted, o.treated);
  o.holdout_rate = rate(o.holdout_converted, o.holdout);
  if (!o.treated_rate || !o.holdout_rate) return;
  const double p1 = *o.treated_rate;
  const double p2 = *o.holdout_rate;
  const auto [l1, u1] = wilson(o.treated_converted, o.treated);
  const auto [l2, u2] = wilson(o.holdout_converted, o.holdout);
  o.lift = p1 - p2;
  o.lift_low = *o.lift - std::sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
  o.lift_high = *o.lift + std::sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
}

// Counts a run's entries and holdout stops as the guards decide them.
struct Tally final : detail::RunSink {
  Tally(const RuleSet& set, Zone calendar, std::int64_t outcome_window,
        const std::vector<std::vector<std::int64_t>>& outcomes, BacktestResult& into)
      : rules(set),
        zone(calendar),
        window(outcome_window),
        times(outcomes),
        result(into),
        reached(set.rules.size()) {}

  // An entry is one (rule, customer, due): the actions of one firing.
  void entry(const detail::Entry& e, std::span<const StaffId> actors) override {
    RuleBacktest& b = result.rules[e.rule];
    b.actions += rules.rules[e.rule].actions.size();
    for (const StaffId who : actors) {
      if (!who.has_value()) continue;
      // A person's entries mostly share a staff member and day: count those without a search.
      const std::pair<std::uint32_t, std::int64_t> key{who.value, detail::local_day(zone, e.due)};
      if (last_load == nullptr || key != last_key) {
        last_load = &load[key];
        last_key = key;
      }
      ++*last_load;
    }
    ++b.due;
    reached[e.rule].push_back(e.customer.value);
    ++b.outcome.treated;
    if (converted(times[e.customer.value], e.due, window)) ++b.outcome.treated_converted;
  }
  void holdout(const detail::Stop& s) override {
    RuleBacktest& b = result.rules[s.rule];
    ++b.outcome.holdout;
    if (converted(times[s.customer.value], s.due, window)) ++b.outcome.holdout_converted;
  }

  const RuleSet& rules;
  Zone zone;
  std::int64_t window;
  const std::vector<std::vector<std::int64_t>>& times;  // each person's outcome events
  BacktestResult& result;
  std::vector<std::vector<std::uint32_t>> reached;  // customers each rule's entries reach
  std::map<std::pair<std::uint32_t, std::int64_t>, std::uint64_t> load;  // by staff and day
  std::uint64_t* last_load = nullptr;  // the count of the last staff member and day
  std::pair<std::uint32_t, std::int64_t> last_key;
};

}  // namespace

BacktestResult backtest_sop(const Pool& pool, const RuleSet& rules, const BacktestQuery& query) {
  const std::int64_t window = query.outcome_window.micros;
  const auto times = outcome_times(pool, query.outcome, query.run.to.micros + window);
  BacktestResult result;
  for (const SopRule& r : rules.rules) result.rules.push_back(RuleBacktest{.rule = r.key});
  Tally tally(rules, pool.options().zone, window, times, result);
  detail::GuardState state{.remember = false};
  detail::RunMemory memory;
  const detail::SopRun run = detail::run_entries(pool, rules, query.run, state, memory, &tally);
  detail::for_each_stopped(run,
                           [&](std::uint32_t rule, std::string_view guard, std::uint64_t count) {
                             result.rules[rule].suppressed[std::string(guard)] = count;
                           });
  std::vector<std::vector<std::uint32_t>>& reached = tally.reached;
  for (std::size_t r = 0; r < result.rules.size(); ++r) {
    std::sort(reached[r].begin(), reached[r].end());
    result.rules[r].customers = static_cast<std::uint64_t>(
        std::unique(reached[r].begin(), reached[r].end()) - reached[r].begin());
    compare(result.rules[r].outcome);
  }
  for (const auto& [key, n] : tally.load) {
    result.load.push_back(StaffLoad{
        .staff = StaffId{key.first}, .day = detail::civil_from_days(key.second), .actions = n});
  }
  return result;
}

}  // namespace siyu

#pragma once
// The funnel semantics of docs/metrics.md written the obvious, slow way: every chain of
// every customer is enumerated and checked against each rule. The engine must agree.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "metrics/condition_reference.hpp"
#include "siyu/metrics/funnel.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::reference {

/// What the reference finds for one customer.
struct Outcome {
  std::size_t level = 0;
  std::vector<std::optional<std::int64_t>> from_previous;  // at the first reach of each step
  std::vector<std::optional<std::int64_t>> from_first;
};

/// Enumerates the chains of one person's events (sorted here by ts, then arrival).
class CustomerChains {
 public:
  CustomerChains(const Pool& pool, const FunnelQuery& q, std::vector<LoggedEvent> events,
                 const Customer& customer)
      : q_(q), events_(std::move(events)) {
    std::sort(events_.begin(), events_.end(), [](const LoggedEvent& a, const LoggedEvent& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.id < b.id;
    });
    n_ = q.steps.size();
    for (const LoggedEvent& e : events_) {
      std::vector<bool> steps(n_);
      for (std::size_t j = 0; j < n_; ++j)
        steps[j] = meets(pool, e, customer, q.steps[j].condition);
      step_match_.push_back(steps);
      std::vector<bool> exclusions(q.exclusions.size());
      for (std::size_t x = 0; x < q.exclusions.size(); ++x) {
        exclusions[x] = meets(pool, e, customer, q.exclusions[x].condition);
      }
      exclusion_match_.push_back(exclusions);
    }
    outcome_.from_previous.assign(n_, std::nullopt);
    outcome_.from_first.assign(n_, std::nullopt);
    first_reach_.assign(n_, std::numeric_limits<std::size_t>::max());
  }

  Outcome run() {
    for (std::size_t p = 0; p < events_.size(); ++p) {
      if (!step_match_[p][0]) continue;
      const Timestamp ts = events_[p].ts;
      if ((q_.from && ts < *q_.from) || (q_.to && ts >= *q_.to)) continue;
      chain_ = {{p, 0}};
      record();
      extend();
    }
    return outcome_;
  }

 private:
  struct Link {
    std::size_t position;
    std::size_t step;
  };

  bool between_any(std::size_t p, std::size_t q, auto&& predicate) const {
    for (std::size_t r = p + 1; r < q; ++r) {
      if (predicate(r)) return true;
    }
    return false;
  }

  // Whether the chain stays valid with (q, t) appended, checking every rule.
  bool valid_with(std::size_t q, std::size_t t) const {
    const Link& prev = chain_.back();
    const Link& first = chain_.front();
    const std::int64_t now = events_[q].ts.micros;
    if (now - events_[first.position].ts.micros > q_.window.micros) return false;
    if (q_.steps[t].within && now - events_[prev.position].ts.micros > q_.steps[t].within->micros)
      return false;
    if (has_mode(q_.mode, FunnelMode::strict_increase) && now <= events_[prev.position].ts.micros)
      return false;
    if (has_mode(q_.mode, FunnelMode::strict_once)) {
      for (const Link& l : chain_) {
        const EventCondition& a = q_.steps[l.step].condition;
        const EventCondition& b = q_.steps[t].condition;
        if (a.type == b.type && a.custom_name == b.custom_name) return false;
      }
    }
    if (has_mode(q_.mode, FunnelMode::strict_order) &&
        between_any(prev.position, q, [&](std::size_t r) {
          for (std::size_t j = 0; j < n_; ++j) {
            if (step_match_[r][j] && j != prev.step && j != t) return true;
          }
          return false;
        })) {
      return false;
    }
    if (has_mode(q_.mode, FunnelMode::strict_deduplication) &&
        between_any(prev.position, q, [&](std::size_t r) {
          for (std::size_t j = 0; j <= t; ++j) {
            if (step_match_[r][j]) return true;
          }
          return false;
        })) {
      return false;
    }
    for (std::size_t x = 0; x < q_.exclusions.size(); ++x) {
      const std::size_t a = q_.exclusions[x].after - 1;
      const std::size_t b = (q_.exclusions[x].before == 0 ? n_ : q_.exclusions[x].before) - 1;
      if (t < b || chain_.back().step >= b) continue;  // (q, t) is not the first link past b
      // The first link at or past step a: the exclusion counts from there to q.
      const auto entry =
          std::find_if(chain_.begin(), chain_.end(), [&](const Link& l) { return l.step >= a; });
      if (entry == chain_.end()) continue;  // q itself enters [a, b) and passes b at once
      if (between_any(entry->position, q, [&](std::size_t r) { return exclusion_match_[r][x]; }))
        return false;
    }
    return true;
  }

  void extend() {
    const Link last = chain_.back();
    for (std::size_t q = last.position + 1; q < events_.size(); ++q) {
      for (std::size_t t = last.step + 1; t < n_; ++t) {
        if (step_match_[q][t] && valid_with(q, t)) {
          chain_.push_back({q, t});
          record();
          extend();
          chain_.pop_back();
        }
        if (!q_.steps[t].optional) break;  // a required step cannot be passed over
      }
    }
  }

  // Notes what the chain as it stands reaches, and the times to the steps its last link passed.
  void record() {
    const Link& last = chain_.back();
    outcome_.level = std::max(outcome_.level, last.step + 1);
    const std::size_t from = chain_.size() == 1 ? 0 : chain_[chain_.size() - 2].step + 1;
    for (std::size_t k = from; k <= last.step; ++k) {
      if (last.position > first_reach_[k]) continue;
      if (last.position < first_reach_[k]) {
        first_reach_[k] = last.position;
        outcome_.from_previous[k].reset();
        outcome_.from_first[k].reset();
      }
      if (k == 0) continue;
      const std::int64_t now = events_[last.position].ts.micros;
      const std::int64_t previous = now - events_[chain_[chain_.size() - 2].position].ts.micros;
      const std::int64_t first = now - events_[chain_.front().position].ts.micros;
      if (!outcome_.from_previous[k] || previous < *outcome_.from_previous[k])
        outcome_.from_previous[k] = previous;
      if (!outcome_.from_first[k] || first < *outcome_.from_first[k])
        outcome_.from_first[k] = first;
    }
  }

  const FunnelQuery& q_;
  std::vector<LoggedEvent> events_;
  std::size_t n_ = 0;
  std::vector<std::vector<bool>> step_match_;
  std::vector<std::vector<bool>> exclusion_match_;
  std::vector<Link> chain_;
  std::vector<std::size_t> first_reach_;
  Outcome outcome_;
};

/// Each customer's outcome, by customer id (persons with events only).
inline std::vector<std::pair<CustomerId, Outcome>> outcomes(const Pool& pool,
                                                            const FunnelQuery& q) {
  std::vector<std::pair<CustomerId, Outcome>> all;
  const EventLog& log = pool.events();
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range range = log.range(CustomerId{c});
    if (range.size() == 0) continue;
    std::vector<LoggedEvent> events;
    for (std::size_t p = range.begin; p < range.end; ++p) events.push_back(log.at(p));
    all.emplace_back(
        CustomerId{c},
        CustomerChains(pool, q, std::move(events), pool.customers()[CustomerId{c}]).run());
  }
  return all;
}

/// The step figures of a set of outcomes.
inline std::vector<FunnelStepResult> step_results(const std::vector<const Outcome*>& outcomes,
                                                  std::size_t steps) {
  std::vector<FunnelStepResult> results(steps);
  // Nearest rank: the smallest rank r with r / n >= tenths / 10.
  const auto quantile = [](std::vector<std::int64_t> values,
                           std::size_t tenths) -> std::optional<Duration> {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    std::size_t rank = 1;
    while (rank * 10 < tenths * values.size()) ++rank;
    return Duration{values[rank - 1]};
  };
  for (std::size_t k = 0; k < steps; ++k) {
    std::vector<std::int64_t> previous;
    std::vector<std::int64_t> first;
    for (const Outcome* o : outcomes) {
      if (o->level <= k) continue;
      ++results[k].customers;
      if (k > 0) {
        previous.push_back(o->from_previous[k].value());
        first.push_back(o->from_first[k].value());
      }
    }
    results[k].median_from_previous = quantile(previous, 5);
    results[k].p90_from_previous = quantile(previous, 9);
    results[k].median_from_first = quantile(first, 5);
    results[k].p90_from_first = quantile(first, 9);
  }
  for (std::size_t k = 0; k < steps; ++k) {
    const double n = static_cast<double>(results[k].customers);
    const double previous = static_cast<double>(results[k == 0 ? 0 : k - 1].customers);
    const double first = static_cast<double>(results[0].customers);
    results[k].conversion_from_previous = previous == 0 ? 0.0 : n / previous;
    results[k].conversion_from_first = first == 0 ? 0.0 : n / first;
  }
  return results;
}

/// The funnel's overall figures (no breakdown).
inline std::vector<FunnelStepResult> funnel(const Pool& pool, const FunnelQuery& q) {
  const auto all = outcomes(pool, q);
  std::vector<const Outcome*> pointers;
  for (const auto& entry : all) pointers.push_back(&entry.second);
  return step_results(pointers, q.steps.size());
}

}  // namespace siyu::reference

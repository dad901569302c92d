#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_condition.hpp"
#include "siyu/sop/engine.hpp"

namespace siyu {

/// What a backtest measures after each action. Thread-safety: a plain value.
struct BacktestQuery {
  SopQuery run;  ///< The period and the audiences' inputs.
  /// The outcome: a customer converts when they have such an event after the action.
  EventCondition outcome{.type = EventType::order_paid};
  Duration outcome_window = Duration::days(7);  ///< How long after the due time it counts.
};

/// How an outcome rate compares between those who got the rule's actions and the holdout.
/// Thread-safety: a plain value.
struct OutcomeComparison {
  std::uint64_t treated = 0;            ///< Entries that got the actions.
  std::uint64_t treated_converted = 0;  ///< Of those, with the outcome in the window.
  std::uint64_t holdout = 0;            ///< Entries the holdout kept out.
  std::uint64_t holdout_converted = 0;  ///< Of those, with the outcome in the window.
  std::optional<double> treated_rate;   ///< treated_converted / treated.
  std::optional<double> holdout_rate;   ///< holdout_converted / holdout.
  std::optional<double> lift;           ///< treated_rate − holdout_rate.
  std::optional<double> lift_low;       ///< 95% confidence interval of the lift, low end.
  std::optional<double> lift_high;      ///< And high end (Wald, unpooled).
};

/// One rule's backtest. Thread-safety: a plain value.
struct RuleBacktest {
  std::string rule;             ///< The rule's key.
  std::uint64_t due = 0;        ///< Entries that came due and passed every guard.
  std::uint64_t actions = 0;    ///< Actions those entries make.
  std::uint64_t customers = 0;  ///< Distinct customers reached.
  std::map<std::string, std::uint64_t> suppressed;  ///< Entries stopped, by guard.
  OutcomeComparison outcome;  ///< Conversion after the actions against the holdout.
};

/// Actions one staff member would take on one local day. Thread-safety: a plain value.
struct StaffLoad {
  StaffId staff;              ///< Who.
  LocalDate day;              ///< Which local day.
  std::uint64_t actions = 0;  ///< How many actions.
};

/// A backtest of a rule set over a past period. Thread-safety: a plain value.
struct BacktestResult {
  std::vector<RuleBacktest> rules;  ///< In rule-set order.
  std::vector<StaffLoad> load;      ///< By staff id, then day; staff with actions only.
};

/// Replays `rules` over the period (docs/sop.md, "Backtest"): per rule the entries due, actions,
/// customers, suppressions by guard, and the outcome after the actions compared with the
/// holdout; and the load per staff per day. Throws as `run_sop`, and `NotFound` for an
/// outcome condition's key the pool lacks.
[[nodiscard]] SIYU_EXPORT BacktestResult backtest_sop(const Pool& pool, const RuleSet& rules,
                                                      const BacktestQuery& query);

}  // namespace siyu

// Backtesting an onboarding SOP before it goes live: the rule file (kept in git) is replayed
// over two past months of the sample tea brand, and each rule shows how many actions would
// have gone out, what the guards stopped and why, and whether customers who got the actions
// bought more often than the holdout within a week.
#include <iostream>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();

  const siyu::RuleSet rules = siyu::read_rules(ONBOARDING_RULES);
  const siyu::TierEngine tiers = siyu::replay_tiers(pool, siyu::TierPolicy::defaults());
  const siyu::Zone zone = pool.options().zone;
  const siyu::BacktestQuery query{
      .run = {.from = zone.at({2024, 5, 1}), .to = zone.at({2024, 7, 1}), .tiers = &tiers}};
  const siyu::BacktestResult result = siyu::backtest_sop(pool, rules, query);

  std::cout << rules.rules.size() << " rules, May and June 2024, outcome: an order within 7 days\n";
  for (const siyu::RuleBacktest& r : result.rules) {
    std::cout << '\n'
              << r.rule << ": " << r.due << " due, " << r.actions << " actions to " << r.customers
              << " customers\n";
    for (const auto& [guard, n] : r.suppressed)
      std::cout << "  stopped by " << guard << ": " << n << '\n';
    const siyu::OutcomeComparison& o = r.outcome;
    if (o.lift) {
      std::cout << "  bought within 7 days: " << o.treated_converted << " of " << o.treated
                << " treated, " << o.holdout_converted << " of " << o.holdout << " held out\n";
    }
  }
  std::uint64_t busiest = 0;
  for (const siyu::StaffLoad& l : result.load) busiest = std::max(busiest, l.actions);
  std::cout << "\nbusiest staff member on one day: " << busiest << " actions\n";
}

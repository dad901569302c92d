// The Septwolves membership ladder (小狼 → 战狼 → 将狼 → 天狼星): customers climb by what they
// spent and how often they bought in the last year, and each level is routed to a benefits
// group or the VIP core group. The thresholds live in septwolves.json, a file kept in git;
// the sample brand stands in for the host's pool.
#include <iostream>
#include <map>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();

  const siyu::TierPolicy policy = siyu::read_tier_policy(SEPTWOLVES_POLICY);
  const siyu::TierEngine tiers = siyu::replay_tiers(pool, policy);
  const siyu::MembershipLadder& ladder = *policy.ladder;
  std::cout << "rebalanced weekly, last on "
            << siyu::format_timestamp(*tiers.last_rebalance(), pool.options().zone) << "\n\n";

  const siyu::TierCounts counts = tiers.counts();
  std::cout << "level         customers  route\n";
  for (std::size_t l = 0; l < ladder.levels.size(); ++l) {
    const siyu::Level& level = ladder.levels[l];
    std::cout << level.key << std::string(14 - level.key.size(), ' ') << counts.levels[l]
              << std::string(11 - std::to_string(counts.levels[l]).size(), ' ') << level.route
              << '\n';
  }
  std::cout << "(no level)    " << counts.without_level << "\n\n";

  // The moves of the last rebalance are the host's routing actions: invite each customer
  // who reached a level to that level's group.
  std::map<std::string, int> invitations;
  int ups = 0;
  int downs = 0;
  for (const siyu::TierMove& move : tiers.history()) {
    if (!move.level || move.at != *tiers.last_rebalance()) continue;
    const bool up = !move.from || (move.to && *move.to > *move.from);
    ++(up ? ups : downs);
    if (move.to) ++invitations[ladder.levels[*move.to].route];
  }
  std::cout << "last rebalance: " << ups << " up, " << downs << " down\n";
  for (const auto& [group, n] : invitations)
    std::cout << "  invite " << n << " to " << group << '\n';

  // Why the best customer sits where they do, and what the next level asks.
  siyu::CustomerId top;
  for (const siyu::CustomerId c : tiers.customers()) {
    if (!top.has_value() || tiers.level(c).value_or(0) > tiers.level(top).value_or(0)) top = c;
  }
  const siyu::TierAssignment a = tiers.assignment(top);
  std::cout << '\n' << pool.customers()[top].key << " is " << ladder.levels[*a.level].name << ":\n";
  for (const siyu::Reason& r : a.level_reasons) {
    std::cout << "  " << siyu::describe(r, pool, policy) << '\n';
  }
  return 0;
}

// A host's nightly SOP job: after the day's events are imported, the engine runs the day
// that just ended and hands over the actions due; its state is saved after each run, so a
// restarted job goes on where the last one stopped instead of replaying months of events.
// Here a week of the sample tea brand, with the job restarted midweek.
#include <iostream>
#include <map>
#include <optional>
#include <siyu/siyu.hpp>
#include <string>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();
  const siyu::TierEngine tiers = siyu::replay_tiers(pool, siyu::TierPolicy::defaults());
  const siyu::Zone zone = pool.options().zone;

  std::string kept;  // a host writes these bytes to a file or a database row
  std::optional<siyu::SopEngine> engine;
  for (int d = 1; d <= 7; ++d) {
    const siyu::Timestamp day = zone.at({2024, 5, d});
    if (d == 4) engine.reset();  // the job restarts
    if (!engine) {
      engine = kept.empty()
                   ? siyu::SopEngine(siyu::read_rules(ONBOARDING_RULES))
                   : siyu::SopEngine::restore(siyu::read_rules(ONBOARDING_RULES), pool, kept);
      std::cout << (kept.empty() ? "started" : "restored") << '\n';
    }
    const siyu::SopResult due =
        engine->run(pool, siyu::SopQuery{.from = day,
                                         .to = siyu::Timestamp{zone.add_days(day, 1).micros - 1},
                                         .tiers = &tiers,
                                         .suppressions = siyu::Suppressions::count});
    kept = engine->save(pool);

    std::map<std::string, int> by_rule;
    for (const siyu::Action& a : due.actions) ++by_rule[a.rule];
    std::cout << "2024-05-0" << d << ": " << due.actions.size() << " actions";
    for (const auto& [rule, n] : by_rule) std::cout << ", " << rule << ' ' << n;
    for (const siyu::SuppressionCount& c : due.suppression_counts)
      std::cout << "; " << c.rule << " stopped by " << c.guard << ' ' << c.count;
    std::cout << '\n';
  }
  const siyu::SopEngineMemory memory = engine->memory();
  std::cout << "kept for the next night: " << memory.customers << " customers, " << memory.entries
            << " entries, " << memory.counts << " period counts, " << kept.size() << " bytes\n";
}

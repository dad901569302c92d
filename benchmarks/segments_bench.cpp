// Audience expressions over a loaded pool of the sample brand (sample_pool.hpp sets the
// size). Issue target, single thread, at 1 M customers / 10 M events: an audience over
// 1 M profiles in <= 0.05 s. Items are customers.
#include <benchmark/benchmark.h>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

struct Loaded {
  siyu::Pool pool;
  siyu::Profiles profiles;
  siyu::TierEngine tiers;
};

const Loaded& loaded() {
  static const Loaded state = [] {
    siyu::Pool pool = siyu::bench::ingested_pool();
    siyu::Profiles profiles = siyu::Profiles::compute(pool);
    siyu::TierEngine tiers(siyu::TierPolicy::defaults());
    tiers.rebalance(pool, profiles.at());
    return Loaded{std::move(pool), std::move(profiles), std::move(tiers)};
  }();
  return state;
}

// Binds `text` to the loaded pool and lists its members, as a SOP run does per audience.
void members(benchmark::State& state, const char* text) {
  const Loaded& l = loaded();
  const siyu::Audience audience = siyu::Audience::parse(text);
  std::size_t count = 0;
  for (auto _ : state) {
    const siyu::AudienceMatcher matcher(
        audience, siyu::AudienceInputs{.pool = l.pool, .profiles = l.profiles, .tiers = &l.tiers});
    count = matcher.members().size();
    benchmark::DoNotOptimize(count);
  }
  const std::size_t customers = l.profiles.size();
  state.SetItemsProcessed(static_cast<std::int64_t>(customers) * state.iterations());
  state.counters["customers"] = static_cast<double>(customers);
  state.counters["members"] = static_cast<double>(count);
}

}  // namespace

// Profile features, tags and layers: read off the profiles and the tier engine.
BENCHMARK_CAPTURE(members, profile_tags_layer,
                  "layer != core and (recent_orders >= 1 or recent_spend >= 200) and "
                  "not tag(gifting) and days_since_active <= 30")
    ->Unit(benchmark::kMillisecond);
// An event count in a window: one pass over the log's window as well.
BENCHMARK_CAPTURE(members, event_count_window, "count(message_in, 60d) >= 1 and recent_orders = 0")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

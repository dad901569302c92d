// Profiles and tier placement on a loaded pool of the sample brand (sample_pool.hpp sets the
// size). Issue targets, single thread, at 1 M customers / 10 M events: profiles in <= 0.2 s,
// a tier rebalance over 1 M profiles in <= 0.05 s. Items are events (profiles) or
// customers (rebalance).
#include <benchmark/benchmark.h>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

const siyu::Pool& loaded_pool() {
  static const siyu::Pool pool = siyu::bench::ingested_pool();
  return pool;
}

// Every customer's profile at the latest event, 90-day window.
void profiles(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  std::uint64_t buyers = 0;
  for (auto _ : state) {
    const siyu::Profiles result = siyu::Profiles::compute(pool);
    buyers = 0;
    for (const siyu::Profile& p : result.all()) buyers += p.lifetime.orders > 0 ? 1 : 0;
    benchmark::DoNotOptimize(buyers);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["buyers"] = static_cast<double>(buyers);
}

// One rebalance of the default policy over profiles computed beforehand, as a host runs
// it every week on an engine it keeps: qualification, seats per group and owner, layers and
// moves. Each run gets profiles at a clock one microsecond later (rebalances move forward),
// computed outside the timing.
void tier_rebalance(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  const siyu::Timestamp last = pool.events().span()->last;
  siyu::TierEngine engine(siyu::TierPolicy::defaults());
  engine.rebalance(siyu::Profiles::compute(pool, {.at = last}));
  std::int64_t tick = 0;
  std::uint64_t core = 0;
  for (auto _ : state) {
    state.PauseTiming();
    siyu::Profiles next =
        siyu::Profiles::compute(pool, {.at = siyu::Timestamp{last.micros + ++tick}});
    state.ResumeTiming();
    engine.rebalance(std::move(next));
    core = engine.counts().layers[0];
    benchmark::DoNotOptimize(core);
  }
  const std::size_t customers = pool.customers().size();
  state.SetItemsProcessed(static_cast<std::int64_t>(customers) * state.iterations());
  state.counters["customers"] = static_cast<double>(customers);
  state.counters["core"] = static_cast<double>(core);
}

}  // namespace

BENCHMARK(profiles)->Unit(benchmark::kMillisecond);
BENCHMARK(tier_rebalance)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

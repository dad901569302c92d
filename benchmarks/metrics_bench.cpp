// Metrics on a loaded pool of the sample brand (sample_pool.hpp sets the size). Issue
// target, single thread, at 1 M customers / 10 M events: a funnel in <= 0.05 s. Items are
// events scanned, so items_per_second is the scan rate.
#include <benchmark/benchmark.h>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

const siyu::Pool& loaded_pool() {
  static const siyu::Pool pool = siyu::bench::ingested_pool();
  return pool;
}

// Counts the funnel `steps` within 7 days, with `mode` and an optional breakdown.
void funnel(benchmark::State& state, const char* steps, siyu::FunnelMode mode, const char* by) {
  const siyu::Pool& pool = loaded_pool();
  siyu::FunnelQuery query{
      .steps = siyu::parse_funnel_steps(steps), .window = siyu::Duration::days(7), .mode = mode};
  if (by != nullptr) query.by = siyu::parse_breakdown(by);
  std::uint64_t reached = 0;
  for (auto _ : state) {
    const siyu::FunnelResult result = siyu::run_funnel(pool, query);
    reached = result.steps.back().customers;
    benchmark::DoNotOptimize(reached);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["reached_last_step"] = static_cast<double>(reached);
}

constexpr const char* four_steps = "friend_added,content_viewed,order_paid,order_paid";

void funnel_default(benchmark::State& state) {
  funnel(state, four_steps, siyu::FunnelMode::none, nullptr);
}
void funnel_strict(benchmark::State& state) {
  funnel(state, four_steps, siyu::FunnelMode::strict_order | siyu::FunnelMode::strict_deduplication,
         nullptr);
}
void funnel_filtered(benchmark::State& state) {
  funnel(state, "friend_added,content_viewed?,order_paid[amount>=100,within=3d]",
         siyu::FunnelMode::none, nullptr);
}
void funnel_by_channel(benchmark::State& state) {
  funnel(state, four_steps, siyu::FunnelMode::none, "channel");
}

}  // namespace

BENCHMARK(funnel_default)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_strict)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_filtered)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_by_channel)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

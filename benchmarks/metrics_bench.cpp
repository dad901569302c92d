// Metrics on a loaded pool of the sample brand (sample_pool.hpp sets the size). Issue
// targets, single thread, at 1 M customers / 10 M events: a funnel in <= 0.05 s, a cohort
// table in <= 0.04 s, RFM in <= 0.02 s. Items are
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

// A cohort table by first add: `period` cohorts, 8 cells, returns of `return_event` (or any).
void retention(benchmark::State& state, siyu::CalendarPeriod period, const char* return_event) {
  const siyu::Pool& pool = loaded_pool();
  siyu::RetentionQuery query{.period = period, .periods = 8};
  if (return_event != nullptr) query.return_event = siyu::parse_event_condition(return_event);
  std::uint64_t members = 0;
  for (auto _ : state) {
    members = 0;
    for (const siyu::Cohort& cohort : siyu::run_retention(pool, query).cohorts) {
      members += cohort.size;
    }
    benchmark::DoNotOptimize(members);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["cohort_members"] = static_cast<double>(members);
}

void retention_weekly_any(benchmark::State& state) {
  retention(state, siyu::CalendarPeriod::week, nullptr);
}
void retention_monthly_orders(benchmark::State& state) {
  retention(state, siyu::CalendarPeriod::month, "order_paid");
}

// RFM over every buyer, clock at the latest event.
void rfm(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  std::size_t buyers = 0;
  for (auto _ : state) {
    buyers = siyu::run_rfm(pool).buyers.size();
    benchmark::DoNotOptimize(buyers);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["buyers"] = static_cast<double>(buyers);
}

// The KPIs of the whole log, overall and by channel of acquisition.
void kpis_by_channel(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  const siyu::KpiQuery query{.by = siyu::parse_breakdown("channel")};
  std::uint64_t orders = 0;
  for (auto _ : state) {
    orders = siyu::run_kpis(pool, query).overall.orders;
    benchmark::DoNotOptimize(orders);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["orders"] = static_cast<double>(orders);
}

}  // namespace

BENCHMARK(funnel_default)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_strict)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_filtered)->Unit(benchmark::kMillisecond);
BENCHMARK(funnel_by_channel)->Unit(benchmark::kMillisecond);
BENCHMARK(retention_weekly_any)->Unit(benchmark::kMillisecond);
BENCHMARK(retention_monthly_orders)->Unit(benchmark::kMillisecond);
BENCHMARK(rfm)->Unit(benchmark::kMillisecond);
BENCHMARK(kpis_by_channel)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

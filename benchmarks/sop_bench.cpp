// SOP runs over a loaded pool of the sample brand (sample_pool.hpp sets the size). Issue
// targets, single thread, at 1 M customers / 10 M events: a backtest of 1,000 rules in
// <= 2 s, and incremental evaluation >= 1 M events/s. Items are events of the log, or for
// the incremental engine the events of the days it ran.
#include <benchmark/benchmark.h>

#include <array>
#include <string>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

const siyu::Pool& loaded_pool() {
  static const siyu::Pool pool = siyu::bench::ingested_pool();
  return pool;
}

// A rule file of `n` rules over the brand's triggers: welcome and nudges after adds,
// follow-ups after each product's orders, content and chat follow-ups, with delays, local
// times, exits, re-entry and, for one rule in four, an audience.
std::string rule_file(int n) {
  static constexpr std::array<const char*, 8> triggers = {"friend_added",
                                                          "order_paid[product=tea-sample]",
                                                          "order_paid[product=longjing-250g]",
                                                          "order_paid[product=tieguanyin-500g]",
                                                          "content_viewed[ref=video-longjing]",
                                                          "content_shared",
                                                          "message_in",
                                                          "coupon_redeemed"};
  static constexpr std::array<const char*, 4> audiences = {"orders = 0", "recent_orders >= 1",
                                                           "tag(green_tea) or tag(oolong)",
                                                           "days_since_active <= 30"};
  std::string out =
      R"({"guards": {"per_customer_day": 3, "per_customer_week": 8, )"
      R"("quiet_hours": {"from": "22:00", "to": "08:00"}, "holdout_percent": 10}, "rules": [)";
  for (int i = 0; i < n; ++i) {
    out += (i > 0 ? ", " : "");
    out += R"({"key": "r)" + std::to_string(i) + R"(", "priority": )" + std::to_string(i % 7) +
           R"(, "trigger": {"event": ")" + triggers[static_cast<std::size_t>(i) % triggers.size()] +
           R"(", "delay": ")" + std::to_string(i % 15) + R"(d", "at": ")" +
           (i % 13 < 2 ? "0" : "") + std::to_string(8 + i % 13) + R"(:00"})";
    if (i % 4 == 0)
      out +=
          R"(, "audience": ")" + std::string(audiences[static_cast<std::size_t>(i / 4) % 4]) + "\"";
    if (i % 3 == 0) out += R"(, "exit": ["order_paid"])";
    if (i % 5 == 0) out += R"(, "reentry": {"every_days": 30})";
    out += R"(, "actions": [{"kind": "send_message", "text": "hi {customer}"}]})";
  }
  return out + "]}";
}

// A backtest of `rules` over the 30 days of acquisition that end 30 days before the last
// event, outcome an order within 7 days.
void backtest(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  const siyu::RuleSet rules = siyu::compile_rules(rule_file(static_cast<int>(state.range(0))));
  const siyu::Zone zone = pool.options().zone;
  const siyu::Timestamp to = zone.add_days(pool.events().span()->last, -30);
  const siyu::BacktestQuery query{.run = {.from = zone.add_days(to, -30), .to = to}};
  std::uint64_t due = 0;
  std::uint64_t suppressed = 0;
  for (auto _ : state) {
    const siyu::BacktestResult result = siyu::backtest_sop(pool, rules, query);
    due = suppressed = 0;
    for (const siyu::RuleBacktest& r : result.rules) {
      due += r.due;
      for (const auto& [guard, n] : r.suppressed) suppressed += n;
    }
    benchmark::DoNotOptimize(due);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["due"] = static_cast<double>(due);
  state.counters["suppressed"] = static_cast<double>(suppressed);
}

// The incremental engine run day by day over the same 30 days, as a host that runs it every
// night would: items are the events of those days, which a host would have fed in between.
// `suppressions` says whether each run lists what the guards stopped or only counts it.
void run_daily(benchmark::State& state, siyu::Suppressions suppressions) {
  const siyu::Pool& pool = loaded_pool();
  const siyu::RuleSet rules = siyu::compile_rules(rule_file(static_cast<int>(state.range(0))));
  const siyu::Zone zone = pool.options().zone;
  const siyu::Timestamp to = zone.add_days(pool.events().span()->last, -30);
  const siyu::Timestamp from = zone.add_days(to, -30);
  std::int64_t fed = 0;
  for (const std::int64_t t : pool.events().ts())
    fed += (t >= from.micros && t <= to.micros) ? 1 : 0;
  std::uint64_t due = 0;
  for (auto _ : state) {
    siyu::SopEngine engine(rules);
    due = 0;
    for (siyu::Timestamp start = from; start < to; start = zone.add_days(start, 1)) {
      const siyu::Timestamp end{zone.add_days(start, 1).micros - 1};
      due +=
          engine.run(pool, siyu::SopQuery{.from = start, .to = end, .suppressions = suppressions})
              .actions.size();
    }
    benchmark::DoNotOptimize(due);
  }
  state.SetItemsProcessed(fed * state.iterations());
  state.counters["events_fed"] = static_cast<double>(fed);
  state.counters["actions"] = static_cast<double>(due);
}

void incremental(benchmark::State& state) { run_daily(state, siyu::Suppressions::list); }

// As a host that keeps the numbers of suppressions, not a line for each.
void incremental_counted(benchmark::State& state) { run_daily(state, siyu::Suppressions::count); }

// A host's restart: the state of an engine that has run the 30 days saved and restored.
// Items are the customers whose marks it keeps.
void save_restore(benchmark::State& state) {
  const siyu::Pool& pool = loaded_pool();
  const siyu::RuleSet rules = siyu::compile_rules(rule_file(static_cast<int>(state.range(0))));
  const siyu::Zone zone = pool.options().zone;
  const siyu::Timestamp to = zone.add_days(pool.events().span()->last, -30);
  siyu::SopEngine engine(rules);
  for (siyu::Timestamp start = zone.add_days(to, -30); start < to;
       start = zone.add_days(start, 1)) {
    const siyu::SopQuery day{.from = start,
                             .to = siyu::Timestamp{zone.add_days(start, 1).micros - 1},
                             .suppressions = siyu::Suppressions::count};
    (void)engine.run(pool, day);
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string saved = engine.save(pool);
    bytes = saved.size();
    const siyu::SopEngine restored = siyu::SopEngine::restore(rules, pool, saved);
    benchmark::DoNotOptimize(restored.last());
  }
  const siyu::SopEngineMemory memory = engine.memory();
  state.SetItemsProcessed(static_cast<std::int64_t>(memory.customers) * state.iterations());
  state.counters["customers_kept"] = static_cast<double>(memory.customers);
  state.counters["bytes"] = static_cast<double>(bytes);
}

}  // namespace

BENCHMARK(backtest)->Arg(4)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(incremental)->Arg(4)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(incremental_counted)->Arg(4)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(save_restore)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

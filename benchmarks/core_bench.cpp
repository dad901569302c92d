// Parsing speed of the core values every ingested row carries: timestamps and money.
// Targets (issue: foundation): >= 50 M timestamps/s and >= 100 M money values/s, one thread.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "siyu/siyu.hpp"

namespace {

constexpr std::size_t sample_count = 1 << 14;  // fits in L2, like a batch being ingested

// Timestamps spread over 2024 in the form the interchange files use most.
std::vector<std::string> iso_samples(bool with_offset) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> second(1704067200, 1735689599);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sample_count; ++i) {
    const siyu::Timestamp t = siyu::Timestamp::from_epoch_seconds(second(random));
    std::string text = siyu::format_timestamp(t, siyu::Zone::china());
    if (!with_offset) text.resize(19);
    out.push_back(std::move(text));
  }
  return out;
}

std::vector<std::string> epoch_samples() {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> second(1704067200, 1735689599);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sample_count; ++i) out.push_back(std::to_string(second(random)));
  return out;
}

// Prices as shops write them: mostly two decimals, some whole or one-decimal amounts.
std::vector<std::string> money_samples() {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> fen(1, 5'000'00);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sample_count; ++i) {
    std::string text = siyu::to_string(siyu::Money{fen(random)});
    if (i % 5 == 0) text.resize(text.size() - 3);
    if (i % 7 == 0 && text.back() == '0') text.pop_back();
    out.push_back(std::move(text));
  }
  return out;
}

template <class Parse>
void run(benchmark::State& state, const std::vector<std::string>& samples, Parse parse) {
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string& text = samples[i];
    benchmark::DoNotOptimize(parse(text));
    bytes += text.size();
    i = (i + 1) & (sample_count - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void timestamp_iso_with_offset(benchmark::State& state) {
  static const auto samples = iso_samples(true);
  run(state, samples, [](const std::string& s) { return siyu::parse_timestamp(s); });
}

void timestamp_iso_local(benchmark::State& state) {
  static const auto samples = iso_samples(false);
  run(state, samples, [](const std::string& s) { return siyu::parse_timestamp(s); });
}

void timestamp_epoch_seconds(benchmark::State& state) {
  static const auto samples = epoch_samples();
  run(state, samples, [](const std::string& s) { return siyu::parse_timestamp(s); });
}

void money_yuan(benchmark::State& state) {
  static const auto samples = money_samples();
  run(state, samples, [](const std::string& s) { return siyu::parse_money(s); });
}

void timestamp_format(benchmark::State& state) {
  std::int64_t second = 1704067200;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        siyu::format_timestamp(siyu::Timestamp::from_epoch_seconds(second++), siyu::Zone::china()));
  }
  state.SetItemsProcessed(state.iterations());
}

void local_date(benchmark::State& state) {
  // Instants an hour and a bit apart, wrapping within 2020-2029 to stay in range.
  constexpr std::int64_t start = 1577836800'000000;
  constexpr std::int64_t span = 315360000'000000;
  std::int64_t offset = 0;
  const siyu::Zone zone = siyu::Zone::china();
  for (auto _ : state) {
    benchmark::DoNotOptimize(zone.local_date(siyu::Timestamp{start + offset}));
    offset = (offset + 3'600'000'017) % span;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(timestamp_iso_with_offset);
BENCHMARK(timestamp_iso_local);
BENCHMARK(timestamp_epoch_seconds);
BENCHMARK(money_yuan);
BENCHMARK(timestamp_format);
BENCHMARK(local_date);

BENCHMARK_MAIN();

// Identity resolution's union-find: links per second over a million customer records.
// Target (issue: data): >= 40 M links/s single-threaded.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "model/disjoint_sets.hpp"

namespace {

constexpr std::uint32_t customers = 1'000'000;

// Links as identity_linked events make them: mostly pairs of fresh keys, some chains.
std::vector<std::pair<std::uint32_t, std::uint32_t>> links(std::size_t count) {
  std::mt19937_64 random(11);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out(count);
  for (auto& [a, b] : out) {
    a = static_cast<std::uint32_t>(random() % customers);
    b = static_cast<std::uint32_t>(random() % customers);
  }
  return out;
}

void union_find_links(benchmark::State& state) {
  const auto pairs = links(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    siyu::detail::DisjointSets sets(customers);
    for (const auto& [a, b] : pairs) sets.unite(a, b);
    benchmark::DoNotOptimize(sets.find(0));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void union_find_roots(benchmark::State& state) {
  const auto pairs = links(static_cast<std::size_t>(state.range(0)));
  siyu::detail::DisjointSets sets(customers);
  for (const auto& [a, b] : pairs) sets.unite(a, b);
  for (auto _ : state) benchmark::DoNotOptimize(sets.roots());
  state.SetItemsProcessed(state.iterations() * customers);
}

}  // namespace

BENCHMARK(union_find_links)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(union_find_roots)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

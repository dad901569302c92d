#include "metrics/quintiles.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu {

namespace {

// score = 1 + floor(5 * less(x) / n), counted pairwise.
template <class Value>
int reference_score(const std::vector<Value>& values, Value x) {
  const auto less = static_cast<std::size_t>(
      std::count_if(values.begin(), values.end(), [&](Value v) { return v < x; }));
  return 1 + static_cast<int>(5 * less / values.size());
}

template <class Value>
void check_scores(const std::vector<Value>& values) {
  const detail::Quintiles<Value> quintiles(values);
  for (const Value x : values) REQUIRE(quintiles.score(x) == reference_score(values, x));
}

}  // namespace

TEST_CASE("quintile scores match ranks counted pairwise, narrow and wide ranges", "[metrics]") {
  std::mt19937_64 random(5);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t n = 1 + random() % 60;
    // Narrow spans take the counting path, wide ones selection; both signs of values.
    const std::int64_t span = std::int64_t{1} << (random() % 40);
    const std::int64_t base = static_cast<std::int64_t>(random() % 1000) - 500;
    std::vector<std::int64_t> signed_values(n);
    std::vector<std::uint64_t> unsigned_values(n);
    for (std::size_t i = 0; i < n; ++i) {
      signed_values[i] =
          base + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(span));
      unsigned_values[i] = random() % static_cast<std::uint64_t>(span);
    }
    check_scores(signed_values);
    check_scores(unsigned_values);
  }
}

TEST_CASE("quintile bounds are order statistics of the values", "[metrics]") {
  // Ten values 1..10: bounds are the 2nd, 4th, 6th and 8th smallest.
  const detail::Quintiles<std::int64_t> narrow(
      std::vector<std::int64_t>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(narrow.bounds() == std::array<std::int64_t, 4>{2, 4, 6, 8});
  const detail::Quintiles<std::int64_t> wide(
      std::vector<std::int64_t>{1000, 900, 800, 700, 600, 500, 400, 300, 200, -100});
  CHECK(wide.bounds() == std::array<std::int64_t, 4>{200, 400, 600, 800});
  // All equal: everyone scores 1.
  const detail::Quintiles<std::uint64_t> flat(std::vector<std::uint64_t>(7, 3));
  CHECK(flat.score(3) == 1);
}

}  // namespace siyu

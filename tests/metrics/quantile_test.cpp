#include "metrics/quantile.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu {

TEST_CASE("nearest-rank quantiles are values that occurred", "[metrics]") {
  std::vector<std::int64_t> values = {4, 1, 3, 2};
  REQUIRE(detail::nearest_rank(values, 1, 2) == 2);  // rank ceil(0.5 * 4) = 2
  std::vector<std::int64_t> none;
  REQUIRE_FALSE(detail::nearest_rank(none, 1, 2).has_value());
  const detail::MedianAndP90 empty = detail::median_and_p90(none);
  REQUIRE_FALSE(empty.median.has_value());
  REQUIRE_FALSE(empty.p90.has_value());
}

TEST_CASE("the median and the 90th percentile together match a full sort", "[metrics]") {
  std::mt19937_64 random(20261123);
  for (int round = 0; round < 2000; ++round) {
    // Few distinct values (many ties) or many.
    std::vector<std::int64_t> values(1 + random() % 200);
    const std::uint64_t spread = 1 + random() % 1000;
    for (std::int64_t& v : values) v = static_cast<std::int64_t>(random() % spread);
    std::vector<std::int64_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const auto at_rank = [&](std::size_t numerator, std::size_t denominator) {
      const std::size_t rank =
          std::max<std::size_t>(1, (numerator * sorted.size() + denominator - 1) / denominator);
      return sorted[rank - 1];
    };
    const detail::MedianAndP90 q = detail::median_and_p90(values);
    REQUIRE(q.median == at_rank(1, 2));
    REQUIRE(q.p90 == at_rank(9, 10));
  }
}

}  // namespace siyu

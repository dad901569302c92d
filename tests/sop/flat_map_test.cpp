#include "sop/flat_map.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu::detail {
namespace {

TEST_CASE("the branchless search finds what std::lower_bound finds", "[sop]") {
  std::mt19937_64 random(7);
  for (std::size_t n = 0; n <= 70; ++n) {
    std::vector<std::uint64_t> keys(n);
    for (std::uint64_t& k : keys) k = random() % 50;  // repeats, so equal runs are searched
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t key = 0; key <= 51; ++key) {
      CAPTURE(n, key);
      const std::uint64_t* found = lower_bound_branchless(
          keys.data(), keys.size(), [key](std::uint64_t k) { return k < key; });
      CHECK(found - keys.data() == std::lower_bound(keys.begin(), keys.end(), key) - keys.begin());
    }
  }
}

TEST_CASE("a small map keeps its keys sorted and finds each", "[sop]") {
  SmallMap<std::uint32_t> map;
  for (const std::uint64_t key : {9U, 3U, 7U, 1U, 3U, 12U}) ++map[key];
  CHECK(*map.find(3) == 2);
  CHECK(*map.find(12) == 1);
  CHECK(*map.find(1) == 1);
  CHECK(map.find(4) == nullptr);
  CHECK(map.find(13) == nullptr);
  map.erase_if([](std::uint64_t key, std::uint32_t /*value*/) { return key < 9; });
  CHECK(map.size() == 2);
  CHECK(map.find(3) == nullptr);
  CHECK(map.find(7) == nullptr);
  CHECK(*map.find(9) == 1);
  CHECK(*map.find(12) == 1);
  map.clear();
  CHECK(map.find(12) == nullptr);
}

}  // namespace
}  // namespace siyu::detail

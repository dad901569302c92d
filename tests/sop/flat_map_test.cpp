#include "sop/flat_map.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "sop/run.hpp"
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

TEST_CASE("a flat map drops what it is told and shrinks with what it keeps", "[sop]") {
  FlatMap<std::uint32_t> map;
  for (std::uint64_t key = 0; key < 5'000; ++key) map[key * 7919] = static_cast<std::uint32_t>(key);
  CHECK(map.size() == 5'000);
  map.erase_if([](std::uint64_t /*key*/, std::uint32_t value) { return value % 3 != 0; });
  CHECK(map.size() == 1'667);
  for (std::uint64_t key = 0; key < 5'000; ++key) {
    const std::uint32_t* found = map.find(key * 7919);
    CHECK((found != nullptr) == (key % 3 == 0));
    if (found != nullptr) CHECK(*found == key);
  }
  ++map[7919 * 3];  // kept, and still counted
  CHECK(*map.find(7919 * 3) == 4);
  map[1] = 9;  // new after a rebuild
  CHECK(map.size() == 1'668);
  map.erase_if([](std::uint64_t /*key*/, std::uint32_t /*value*/) { return true; });
  CHECK(map.size() == 0);
  CHECK(map.find(1) == nullptr);
  map[2] = 5;
  CHECK(*map.find(2) == 5);
}

TEST_CASE("a guard state gives up the slots of persons it no longer remembers", "[sop]") {
  GuardState state;
  for (std::uint32_t person = 0; person < 10; ++person)
    state.marks(person * 7).entered[person] = person;
  state.compact();  // nobody forgotten: every slot stays
  CHECK(state.persons.size() == 10);
  for (std::uint32_t person = 0; person < 6; ++person) state.marks(person * 7).clear();
  state.compact();  // six of ten empty: only the four remembered keep a slot
  REQUIRE(state.persons.size() == 4);
  for (std::uint32_t person = 6; person < 10; ++person) {
    CAPTURE(person);
    const std::int64_t* entered = state.marks(person * 7).entered.find(person);
    REQUIRE(entered != nullptr);
    CHECK(*entered == person);
  }
  CHECK(state.persons.size() == 4);
  CHECK(state.marks(0).empty());  // a forgotten person starts afresh
  CHECK(state.persons.size() == 5);
}

}  // namespace
}  // namespace siyu::detail

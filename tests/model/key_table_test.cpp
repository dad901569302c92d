#include "siyu/model/key_table.hpp"

#include <map>
#include <random>
#include <utility>

#include "support/catch.hpp"

namespace siyu::detail {

TEST_CASE("the key table agrees with a map through inserts, erases and growth", "[model]") {
  KeyTable table;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> oracle;
  std::mt19937_64 random(5);
  for (int step = 0; step < 200'000; ++step) {
    // Few distinct low halves: long probe runs that wrap around the array, the hard case
    // for erasing.
    const KeyHash key{random() % 4096, 2 + random() % 3};  // never {0, 0}: see below
    const std::uint64_t content = random();
    if (random() % 3 == 0) {
      table.erase(key);
      oracle.erase({key.low, key.high});
    } else {
      const auto [slot, inserted] = table.try_emplace(key, content);
      const auto [found, oracle_inserted] = oracle.try_emplace({key.low, key.high}, content);
      REQUIRE(inserted == oracle_inserted);
      REQUIRE(slot->content == found->second);
    }
    REQUIRE(table.size() == oracle.size());
    const KeyHash probe{random() % 4096, 2 + random() % 3};
    const auto* found = table.find(probe);
    const auto expected = oracle.find({probe.low, probe.high});
    REQUIRE((found != nullptr) == (expected != oracle.end()));
    if (found != nullptr) REQUIRE(found->content == expected->second);
  }
  for (const auto& [key, content] : oracle) {
    const auto [slot, inserted] = table.try_emplace(KeyHash{key.first, key.second}, 0);
    CHECK_FALSE(inserted);
    CHECK(slot->content == content);
  }
}

TEST_CASE("the all-zero key is a key like any other", "[model]") {
  KeyTable table;
  CHECK(table.try_emplace(KeyHash{0, 0}, 7).second);
  CHECK_FALSE(table.try_emplace(KeyHash{0, 0}, 8).second);
  CHECK(table.try_emplace(KeyHash{0, 0}, 8).first->content == 7);
  table.erase(KeyHash{0, 0});
  CHECK(table.size() == 0);
  table.reserve(10'000);
  CHECK(table.try_emplace(KeyHash{0, 0}, 9).second);
  REQUIRE(table.find(KeyHash{0, 0}) != nullptr);
  CHECK(table.find(KeyHash{0, 0})->content == 9);
}

TEST_CASE("an empty key table finds nothing", "[model]") {
  const KeyTable table;
  CHECK(table.find(KeyHash{1, 2}) == nullptr);
  CHECK(table.find(hash_key("c1")) == nullptr);
}

}  // namespace siyu::detail

#include "siyu/model/directory.hpp"

#include <map>
#include <random>
#include <string>

#include "siyu/core/id.hpp"
#include "siyu/model/staff.hpp"
#include "support/catch.hpp"

namespace siyu {

TEST_CASE("a directory agrees with a map through upserts and renames", "[model]") {
  Directory<Staff, StaffId> directory;
  std::map<std::string, StaffId::rep_type> oracle;  // key -> id
  std::vector<std::string> names;                   // id -> name last upserted
  std::mt19937 random(11);
  for (int step = 0; step < 20'000; ++step) {
    const std::string key = "s" + std::to_string(random() % 3000);
    const std::string name = "n" + std::to_string(step);
    if (random() % 10 == 0 && !oracle.empty()) {
      // Rename a record to a fresh key, as erasing a customer does.
      const auto id = StaffId{static_cast<StaffId::rep_type>(random() % directory.size())};
      const std::string renamed = "~renamed-" + std::to_string(step);
      oracle.erase(directory[id].key);
      directory.replace(id, Staff{.key = renamed, .name = name});
      oracle[renamed] = id.value;
      names[id.value] = name;
      continue;
    }
    const StaffId id = directory.upsert(Staff{.key = key, .name = name});
    const auto [it, added] = oracle.try_emplace(key, id.value);
    REQUIRE(it->second == id.value);
    if (added) {
      REQUIRE(id.value == names.size());
      names.push_back(name);
    } else {
      names[id.value] = name;
    }
  }
  REQUIRE(directory.size() == names.size());
  for (const auto& [key, id] : oracle) {
    REQUIRE(directory.find(key) == StaffId{id});
    REQUIRE(directory[StaffId{id}].key == key);
    REQUIRE(directory[StaffId{id}].name == names[id]);
  }
  CHECK_FALSE(directory.find("s-none").has_value());
  CHECK_THROWS_AS(directory.id("s-none"), NotFound);
}

TEST_CASE("renaming to a key another record holds is refused", "[model]") {
  Directory<Staff, StaffId> directory;
  const StaffId a = directory.upsert(Staff{.key = "a"});
  (void)directory.upsert(Staff{.key = "b"});
  CHECK_THROWS_AS(directory.replace(a, Staff{.key = "b"}), ConfigError);
  CHECK(directory.find("a") == a);
  directory.replace(a, Staff{.key = "a", .name = "same key, new name"});
  CHECK(directory[a].name == "same key, new name");
  CHECK(directory.updates().size() == 1);
}

TEST_CASE("assigning records adopts them as they are, or refuses a repeated key", "[model]") {
  Directory<Staff, StaffId> directory;
  detail::Column<Staff> records;
  for (int i = 0; i < 1000; ++i) records.push_back(Staff{.key = "s" + std::to_string(i)});
  directory.assign(std::move(records));
  REQUIRE(directory.size() == 1000);
  CHECK(directory.find("s0") == StaffId{0});
  CHECK(directory.find("s999") == StaffId{999});
  CHECK(directory.updates().empty());
  CHECK(directory.upsert(Staff{.key = "s1000"}) == StaffId{1000});

  detail::Column<Staff> twice;
  twice.push_back(Staff{.key = "x"});
  twice.push_back(Staff{.key = "x"});
  Directory<Staff, StaffId> other;
  CHECK_THROWS_AS(other.assign(std::move(twice)), ConfigError);
  CHECK(other.size() == 0);
}

}  // namespace siyu

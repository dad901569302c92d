#include "siyu/tiers/tier_policy.hpp"

#include <string>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

// The error `text` raises as a policy file, as "code line field".
std::string error_of(const std::string& text) {
  try {
    (void)parse_tier_policy(text, "policy.json");
  } catch (const Error& e) {
    CHECK(e.where().source == "policy.json");
    return std::string(to_string(e.code())) + " " + std::to_string(e.where().line) + " " +
           e.where().field;
  }
  FAIL("no error for " << text);
  return {};
}

}  // namespace

TEST_CASE("the default policy carries the seeds' figures and is valid", "[tiers]") {
  const TierPolicy policy = TierPolicy::defaults();
  CHECK_NOTHROW(policy.validate());
  CHECK(policy.capacity.seats_per_group == 10);
  CHECK(policy.capacity.group_members == 500);
  CHECK(policy.capacity.seats_per_owner == 20);
  CHECK(policy.window == Duration::days(90));
  REQUIRE(policy.core.all.size() == 2);
  CHECK(policy.core.all[1].feature == Feature::recent_spend);
  CHECK(policy.core.all[1].promote == 800'00);
  CHECK(parse_tier_policy("{}") == policy);
}

TEST_CASE("a policy file sets every part, money in yuan", "[tiers]") {
  const TierPolicy policy = parse_tier_policy(R"({
    "window_days": 30,
    "min_dwell_days": 0,
    "core": {"all": [{"feature": "recent_spend", "promote": "1280.50", "keep": 600}],
             "rank_by": ["recent_spend", "days_since_order"]},
    "influence": {"any": [{"feature": "recent_content_shares", "promote": 5}]},
    "capacity": {"seats_per_group": 3, "group_members": 100, "seats_per_owner": 15},
    "rebalance": {"every_days": 14, "anchor": "2024-01-01"},
    "ladder": {"levels": [
      {"key": "xiaolang", "name": "小狼", "all": [{"feature": "orders", "promote": 1}],
       "route": "benefits"},
      {"key": "zhanlang", "name": "战狼", "any": [{"feature": "spend", "promote": 1000, "keep": 800}]}
    ]}
  })");
  CHECK(policy.window == Duration::days(30));
  CHECK(policy.min_dwell == Duration{});
  REQUIRE(policy.core.all.size() == 1);
  CHECK(policy.core.all[0].promote == 1280'50);
  CHECK(policy.core.all[0].keep == 600'00);
  CHECK(policy.core_rank == std::vector<Feature>{Feature::recent_spend, Feature::days_since_order});
  REQUIRE(policy.influence.any.size() == 1);
  CHECK(policy.influence.any[0].keep == 5);  // keep defaults to promote
  CHECK(policy.influence.all.empty());
  CHECK(policy.capacity == CoreCapacity{3, 100, 15});
  CHECK(policy.rebalance.every_days == 14);
  CHECK(policy.rebalance.anchor == LocalDate{2024, 1, 1});
  REQUIRE(policy.ladder.has_value());
  CHECK(policy.ladder->levels[0].name == "小狼");
  CHECK(policy.ladder->levels[0].route == "benefits");
  CHECK(policy.ladder->levels[1].name == "战狼");
  CHECK(policy.ladder->levels[1].qualification.any[0].keep == 800'00);
}

TEST_CASE("policy file errors name the line and the field", "[tiers]") {
  CHECK(error_of("{\n  \"window_days\": 30,\n  \"cor\": {}\n}") == "unknown_field 3 cor");
  CHECK(error_of("{\n\"core\": {\"all\": [\n{\"feature\": \"recent_order\", \"promote\": 2}]}}") ==
        "invalid_value 3 core.all[0].feature");
  CHECK(error_of("{\"core\": {\"all\": [{\"feature\": \"orders\"}]}}") ==
        "missing_field 1 core.all[0].promote");
  CHECK(error_of("{\n\n\"window_days\": \"30\"}") == "wrong_type 3 window_days");
  CHECK(error_of("{\"window_days\": 0}") == "out_of_range 1 window_days");
  CHECK(error_of("{\"rebalance\": {\"anchor\": \"2024-02-30\"}}") ==
        "invalid_value 1 rebalance.anchor");
  CHECK(error_of("{\n\"window_days\": 30,,\n}").starts_with("bad_syntax 2"));
  CHECK(error_of("{\"window_days\": 30} x").starts_with("bad_syntax 1"));
  CHECK(error_of("{\"ladder\": {\"levels\": [{\"key\": \"a\"}, {\"key\": \"a\"}]}}") ==
        "conflict 1 ladder.levels[1].key");
}

TEST_CASE("contradictory thresholds are rejected with the reason", "[tiers]") {
  // Keeping needs more than entering: promoted and demoted in one breath.
  CHECK(error_of(
            "{\"core\": {\"all\": [\n{\"feature\": \"orders\", \"promote\": 2, \"keep\": 3}]}}") ==
        "conflict 2 core.all[0]");
  // For days since the last order, smaller is better: keep must not be below promote.
  CHECK(error_of("{\"core\": {\"all\": [{\"feature\": \"days_since_order\", \"promote\": 30, "
                 "\"keep\": 10}]}}") == "conflict 1 core.all[0]");
  CHECK(error_of("{\"capacity\": {\n\"seats_per_group\": 0}}") ==
        "conflict 2 capacity.seats_per_group");
  CHECK(error_of("{\"capacity\": {\"seats_per_owner\": 0}}") ==
        "conflict 1 capacity.seats_per_owner");
  try {
    (void)parse_tier_policy(
        R"({"core": {"all": [{"feature": "orders", "promote": 2, "keep": 3}]}})");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("stricter than its promote bound") != std::string::npos);
  }
  TierPolicy policy = TierPolicy::defaults();
  policy.rebalance.every_days = 0;
  CHECK_THROWS_AS(policy.validate(), ConfigError);
}

TEST_CASE("layers have names", "[tiers]") {
  CHECK(to_string(Layer::core) == "core");
  CHECK(to_string(Layer::influence) == "influence");
  CHECK(to_string(Layer::periphery) == "periphery");
}

}  // namespace siyu

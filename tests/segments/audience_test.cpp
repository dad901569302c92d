#include "siyu/segments/audience.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/metrics/rfm.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/tiers/tier_engine.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

const Timestamp t0 = parse_timestamp("2024-05-01T10:00:00+08:00");
constexpr std::int64_t day = 86'400'000'000;

Event make(const std::string& customer, EventType type, std::int64_t days,
           const std::string& ref = {}, const std::string& amount = {},
           const std::string& staff = {}, const std::string& channel = {}) {
  static int n = 0;
  Event e{.id = "a" + std::to_string(++n),
          .ts = Timestamp{t0.micros + days * day},
          .customer = customer,
          .type = type,
          .staff = staff,
          .channel = channel,
          .ref = ref};
  if (!amount.empty()) e.amount = parse_money(amount);
  return e;
}

// Three customers: a buys twice and likes tea; b bought long ago through live; c only chats.
Pool small_pool() {
  Pool pool;
  pool.tags().upsert(Tag{.key = "tea"});
  pool.tags().upsert(Tag{.key = "高意向"});
  pool.channels().upsert(Channel{.key = "live"});
  pool.channels().upsert(Channel{.key = "store"});
  REQUIRE(pool.add_events(std::vector<Event>{
                              make("a", EventType::friend_added, 0, {}, {}, "s1", "store"),
                              make("a", EventType::tag_added, 1, "tea"),
                              make("a", EventType::order_paid, 50, "o1", "300"),
                              make("a", EventType::order_paid, 95, "o2", "600"),
                              make("b", EventType::friend_added, 0, {}, {}, "s2", "live"),
                              make("b", EventType::order_paid, 2, "o3", "99"),
                              make("b", EventType::tag_added, 3, "高意向"),
                              make("c", EventType::friend_added, 60, {}, {}, "s1", "store"),
                              make("c", EventType::message_in, 90),
                              make("c", EventType::message_in, 99),
                              make("c", EventType::message_in, 100),
                          })
              .rejected == 0);
  pool.commit();
  return pool;
}

std::vector<std::string> members(const Pool& pool, const std::string& text,
                                 const TierEngine* tiers = nullptr,
                                 const RfmResult* rfm = nullptr) {
  const Profiles profiles = Profiles::compute(pool);
  const AudienceMatcher matcher(
      Audience::parse(text),
      AudienceInputs{.pool = pool, .profiles = profiles, .tiers = tiers, .rfm = rfm});
  std::vector<std::string> keys;
  for (const CustomerId c : matcher.members()) keys.push_back(pool.customers()[c].key);
  return keys;
}

using Keys = std::vector<std::string>;

}  // namespace

TEST_CASE("audiences combine predicates with and, or, not and parentheses", "[segments]") {
  const Pool pool = small_pool();
  CHECK(members(pool, "tag(tea)") == Keys{"a"});
  CHECK(members(pool, "tag(\"高意向\")") == Keys{"b"});
  CHECK(members(pool, "tag(高意向) or tag(tea)") == Keys{"a", "b"});
  CHECK(members(pool, "not tag(tea)") == Keys{"b", "c"});
  CHECK(members(pool, "orders >= 1 and not (tag(tea) or spend < 50)") == Keys{"b"});
  CHECK(members(pool, "orders >= 1 AND NOT tag(tea) OR messages_in = 3") == Keys{"b", "c"});
  CHECK(members(pool, "owner = s1") == Keys{"a", "c"});
  CHECK(members(pool, "owner != s1") == Keys{"b"});
  CHECK(members(pool, "channel in (live, store) and not channel = store") == Keys{"b"});
}

TEST_CASE("feature predicates read profile features, money in yuan", "[segments]") {
  const Pool pool = small_pool();
  CHECK(members(pool, "spend >= 900") == Keys{"a"});
  CHECK(members(pool, "spend > 98.99") == Keys{"a", "b"});
  CHECK(members(pool, "recent_orders = 2") == Keys{"a"});
  // The clock is the latest event (day 100): b's order was 98 days before.
  CHECK(members(pool, "days_since_order >= 98") == Keys{"b"});
  // A customer without an order fails every comparison on days since one.
  CHECK(members(pool, "days_since_order < 1000") == Keys{"a", "b"});
  CHECK(members(pool, "not days_since_order < 1000") == Keys{"c"});
}

TEST_CASE("count predicates count matching events in a window ending at the clock", "[segments]") {
  const Pool pool = small_pool();
  // Day 100 is the clock: a 2-day window holds days 99 and 100, not 98.
  CHECK(members(pool, "count(message_in, 2d) >= 2") == Keys{"c"});
  CHECK(members(pool, "count(message_in, 1d) >= 2").empty());
  CHECK(members(pool, "count(order_paid[amount>=500], 30d) = 1") == Keys{"a"});
  CHECK(members(pool, "count(order_paid, 365d) = 0") == Keys{"c"});
  CHECK(members(pool, "count(friend_added[channel=live], 365d) >= 1") == Keys{"b"});
}

TEST_CASE("layer and level predicates read the tiers, in ladder order", "[segments]") {
  const Pool pool = small_pool();
  TierPolicy policy = TierPolicy::defaults();
  policy.core.all = {Threshold{.feature = Feature::orders, .promote = 2, .keep = 2}};
  policy.ladder = MembershipLadder{
      .levels = {Level{.key = "bronze",
                       .qualification = {.all = {Threshold{.feature = Feature::spend,
                                                           .promote = 50'00,
                                                           .keep = 50'00}}}},
                 Level{.key = "gold",
                       .qualification = {
                           .all = {Threshold{
                               .feature = Feature::spend, .promote = 500'00, .keep = 500'00}}}}}};
  TierEngine tiers(policy);
  tiers.rebalance(pool, pool.events().span()->last);
  CHECK(members(pool, "layer = core", &tiers) == Keys{"a"});
  CHECK(members(pool, "layer in (influence, periphery)", &tiers) == Keys{"b", "c"});
  CHECK(members(pool, "level >= bronze", &tiers) == Keys{"a", "b"});
  CHECK(members(pool, "level > bronze", &tiers) == Keys{"a"});
  CHECK(members(pool, "level < gold", &tiers) == Keys{"b", "c"});  // no level is below all
  CHECK(members(pool, "level in (bronze)", &tiers) == Keys{"b"});
  CHECK_THROWS_WITH(members(pool, "level = platinum", &tiers),
                    Catch::Contains("column 1") && Catch::Contains("platinum"));
  CHECK_THROWS_AS(members(pool, "layer = core"), ConfigError);
}

TEST_CASE("rfm predicates read the RFM segments of buyers", "[segments]") {
  const Pool pool = small_pool();
  const RfmResult rfm = run_rfm(pool);
  std::vector<std::string> expected;
  for (const RfmScore& score : rfm.buyers) {
    if (score.segment == RfmSegment::hibernating || score.segment == RfmSegment::champions) {
      expected.push_back(pool.customers()[score.customer].key);
    }
  }
  std::sort(expected.begin(), expected.end());
  CHECK(members(pool, "rfm in (hibernating, champions)", nullptr, &rfm) == expected);
  CHECK(members(pool, "not rfm = loyal", nullptr, &rfm).size() == 3);
  CHECK_THROWS_AS(members(pool, "rfm = loyal"), ConfigError);
}

TEST_CASE("names the pool lacks are refused with the column", "[segments]") {
  const Pool pool = small_pool();
  CHECK_THROWS_AS(members(pool, "tag(vip)"), NotFound);
  CHECK_THROWS_WITH(members(pool, "orders > 0 and owner = s9"),
                    Catch::Contains("column 16") && Catch::Contains("\"s9\""));
  CHECK_THROWS_AS(members(pool, "count(order_paid[product=SKU-0], 7d) > 0"), NotFound);
}

TEST_CASE("audience syntax errors name the column and what was expected", "[segments]") {
  const auto error_of = [](const std::string& text) {
    try {
      (void)Audience::parse(text);
    } catch (const ParseError& e) {
      CHECK(e.where().field == "audience");
      return e.message();
    }
    return std::string("parsed");
  };
  CHECK_THAT(error_of("tag(tea) and"), Catch::Contains("column 13: expected a predicate"));
  CHECK_THAT(error_of("tag(tea) tag(x)"), Catch::Contains("column 10: expected \"and\""));
  CHECK_THAT(error_of("layer = gold"), Catch::Contains("unknown layer \"gold\""));
  CHECK_THAT(error_of("rfm > loyal"), Catch::Contains("has no order"));
  CHECK_THAT(error_of("spend >= 1.999"), Catch::Contains("expected an amount in yuan"));
  CHECK_THAT(error_of("orders >= two"), Catch::Contains("column 11: expected a whole number"));
  CHECK_THAT(error_of("count(order_paid, 0d) > 0"), Catch::Contains("window must be positive"));
  CHECK_THAT(error_of("count(order_payed, 7d) > 0"), Catch::Contains("bad event condition"));
  CHECK_THAT(error_of("count(order_paid) > 0"), Catch::Contains("a window"));
  CHECK_THAT(error_of("高意向 > 1"), Catch::Contains("column 1: unknown predicate"));
  CHECK_THAT(error_of("tag(\"tea)"), Catch::Contains("unclosed quote"));
  CHECK_THAT(error_of("(tag(tea)"), Catch::Contains("expected \")\""));
  CHECK(error_of("not (tag(a) or tag(b)) and spend >= -5.5") == "parsed");
}

TEST_CASE("matching the sample brand agrees with profiles read one by one", "[segments]") {
  const Pool pool = testing::sample_pool();
  const Profiles profiles = Profiles::compute(pool);
  const TagId gifting = pool.tags().id("gifting");
  const AudienceMatcher matcher(
      Audience::parse("recent_orders >= 1 and not tag(gifting) or days_since_active > 60"),
      AudienceInputs{.pool = pool, .profiles = profiles});
  std::size_t expected = 0;
  std::size_t mismatches = 0;
  for (std::uint32_t c = 0; c < profiles.size(); ++c) {
    const CustomerId id{c};
    const Profile& p = profiles[id];
    const bool present = profiles.is_person(id) && p.first_seen.has_value();
    const auto tags = profiles.tags(id);
    const auto idle = profiles.feature(id, Feature::days_since_active);
    const bool holds =
        present &&
        ((p.recent.orders >= 1 && std::find(tags.begin(), tags.end(), gifting) == tags.end()) ||
         (idle && *idle > 60));
    expected += holds ? 1U : 0U;
    mismatches += holds != matcher.contains(id) ? 1U : 0U;
  }
  CHECK(mismatches == 0);
  CHECK(expected > 0);
  CHECK(matcher.members().size() == expected);
}

}  // namespace siyu

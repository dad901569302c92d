#include "siyu/strategy/strategy.hpp"

#include <string>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/tiers/tier_engine.hpp"
#include "support/catch.hpp"
#include "support/checks.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

const Timestamp t0 = parse_timestamp("2024-01-01T10:00:00+08:00");
constexpr std::int64_t day = 86'400'000'000;

// Builds a pool event by event: one product with a declared margin.
class Brand {
 public:
  explicit Brand(std::int32_t margin_bp, std::int64_t price_fen = 100'00) {
    pool_.products().upsert(Product{.key = "p",
                                    .price = Money{price_fen},
                                    .standardization = Standardization::standard,
                                    .margin_basis_points = margin_bp});
    price_ = price_fen;
  }
  Brand& add(const std::string& customer, std::int64_t days, const std::string& staff = "s1") {
    events_.push_back(Event{.id = "e" + std::to_string(events_.size()),
                            .ts = Timestamp{t0.micros + days * day},
                            .customer = customer,
                            .type = EventType::friend_added,
                            .staff = staff});
    return *this;
  }
  Brand& order(const std::string& customer, std::int64_t days) {
    events_.push_back(Event{.id = "e" + std::to_string(events_.size()),
                            .ts = Timestamp{t0.micros + days * day},
                            .customer = customer,
                            .type = EventType::order_paid,
                            .product = "p",
                            .amount = Money{price_},
                            .ref = "o" + std::to_string(events_.size())});
    return *this;
  }
  Pool& pool() {
    REQUIRE(pool_.add_events(events_).rejected == 0);
    events_.clear();
    pool_.commit();
    return pool_;
  }

 private:
  Pool pool_;
  std::int64_t price_;
  std::vector<Event> events_;
};

}  // namespace

TEST_CASE("the quadrant reads purchase frequency and revenue-weighted margin", "[strategy]") {
  // Ten orders in 30 days: 121.66 a year; one order in a year: 1.00.
  Brand often(60'00);
  often.add("a", 0);
  for (int d = 0; d < 10; ++d) often.order("a", 20 + d);
  const StrategyReport high = advise(often.pool());
  CHECK(high.purchases_per_year_centi == 10 * 100 * 365 / 30);
  CHECK(high.margin_bp == 60'00);
  CHECK(high.quadrant == Quadrant::paradise);
  CHECK(testing::named_check(high.quadrant_reasons, "frequency").passed);

  Brand rarely(60'00);
  rarely.add("a", 0).order("a", 364);
  const StrategyReport low = advise(rarely.pool());
  CHECK(low.purchases_per_year_centi == 100);
  CHECK(low.quadrant == Quadrant::heavy_operations);

  Brand thin(10'00);
  thin.add("a", 0).order("a", 364);
  CHECK(advise(thin.pool()).quadrant == Quadrant::not_worth_it);
  Brand fresh(10'00);
  fresh.add("a", 0);
  for (int d = 0; d < 10; ++d) fresh.order("a", 20 + d);
  const StrategyReport supply = advise(fresh.pool());
  CHECK(supply.quadrant == Quadrant::supply_chain);
  CHECK_FALSE(testing::named_check(supply.quadrant_reasons, "margin").passed);

  Brand none(60'00);
  none.add("a", 0);
  const StrategyReport unknown = advise(none.pool());
  CHECK(unknown.quadrant == Quadrant::unknown);
  CHECK(unknown.advice.front().topic == "quadrant");
  CHECK_THAT(unknown.advice.front().en, Catch::Contains("declare each product's gross margin"));
}

TEST_CASE("the stage follows size and daily adds against the policy's bounds", "[strategy]") {
  Brand brand(50'00);
  for (int c = 0; c < 8; ++c) brand.add("c" + std::to_string(c), c);
  Pool& pool = brand.pool();
  StrategyPolicy policy{.stage_one_max = 5, .stage_scale_min = 10, .scale_daily_adds = 3};
  CHECK(advise(pool, policy).stage == Stage::one_to_ten);
  policy.stage_one_max = 9;
  CHECK(advise(pool, policy).stage == Stage::zero_to_one);
  policy.stage_one_max = 5;
  policy.stage_scale_min = 8;
  const StrategyReport scaled = advise(pool, policy);
  CHECK(scaled.stage == Stage::ten_to_n);
  CHECK(testing::named_check(scaled.stage_reasons, "customers").figure == 8);
  policy.stage_scale_min = 10;
  policy.scale_daily_adds = 1;  // one add a day is enough to call it scale
  CHECK(advise(pool, policy).stage == Stage::ten_to_n);
}

TEST_CASE("a conversion that falls as cohorts grow is flagged with advice", "[strategy]") {
  Brand brand(50'00);
  // Earlier cohort (days 0-89): 4 join, 2 buy within 30 days. Later (days 90-179): 8 join,
  // 1 buys. The clock is day 209, so both cohorts have had 30 days.
  for (int c = 0; c < 4; ++c) brand.add("e" + std::to_string(c), 10 + c);
  brand.order("e0", 15).order("e1", 20);
  for (int c = 0; c < 8; ++c) brand.add("l" + std::to_string(c), 100 + c);
  brand.order("l0", 110);
  brand.add("late", 209);
  const StrategyReport r = advise(brand.pool());
  const Check& trend = testing::named_check(r.stage_reasons, "conversion_trend");
  CHECK(trend.figure == 1250);
  CHECK(trend.bound == 5000);
  CHECK_FALSE(trend.passed);
  CHECK(testing::named_check(r.stage_reasons, "growth").figure == 20000);
  bool advised = false;
  for (const Advice& a : r.advice) advised = advised || a.topic == "conversion";
  CHECK(advised);
}

TEST_CASE("seed users follow the seeds' figures for the base and the frequency", "[strategy]") {
  Brand often(60'00);
  often.add("a", 0);
  for (int d = 0; d < 10; ++d) often.order("a", 20 + d);
  Pool& pool = often.pool();
  StrategyPolicy policy{.existing_customers = 250'000};
  CHECK(advise(pool, policy).seed_users.min == 3'000);
  CHECK(advise(pool, policy).seed_users.max == 5'000);
  policy.existing_customers = 20'000;
  CHECK(advise(pool, policy).seed_users.min == 1'000);
  CHECK(advise(pool, policy).seed_users.max == 3'000);
  Brand rarely(60'00);
  rarely.add("a", 0).order("a", 364);
  policy.existing_customers = 250'000;
  const StrategyReport low = advise(rarely.pool(), policy);
  CHECK(low.seed_users.min == 1'000);
  CHECK(low.seed_users.max == 1'000);
  CHECK_THAT(low.seed_users.reason.text, Catch::Contains("low-frequency"));
}

TEST_CASE("capacity: operators for the core and close service, accounts for the adds",
          "[strategy]") {
  Brand brand(50'00);
  // s1 adds 4 customers on day 0 and s2 one; three of them buy.
  brand.add("a", 0).add("b", 0).add("c", 0).add("d", 0).add("e", 0, "s2");
  brand.order("a", 1).order("a", 2).order("b", 3).order("c", 4);
  Pool& pool = brand.pool();
  TierPolicy tiers_policy = TierPolicy::defaults();
  tiers_policy.core.all = {Threshold{.feature = Feature::orders, .promote = 1, .keep = 1}};
  TierEngine tiers(tiers_policy);
  tiers.rebalance(pool, pool.events().span()->last);
  StrategyPolicy policy{.core_per_operator_min = 1,
                        .core_per_operator_max = 2,
                        .close_per_operators = 2,
                        .operators_per_close = 1,
                        .adds_per_account = 2,
                        .account_add_limit = 4,
                        .planned_daily_adds = 7};
  const StrategyReport r = advise(pool, policy, StrategyInputs{.tiers = &tiers});
  const CapacityPlan& c = r.capacity;
  CHECK(c.core_customers == 3);
  CHECK(c.core_operators_min == 2);  // 3 at 2 each
  CHECK(c.core_operators_max == 3);  // 3 at 1 each
  CHECK(c.close_customers == 3);
  CHECK(c.close_operators == 2);  // 1 per 2
  CHECK(c.peak_daily_adds == 5);
  CHECK(c.planned_daily_adds == 7);
  CHECK(c.accounts_needed == 4);
  CHECK(c.accounts_active == 2);
  CHECK(c.max_account_daily_adds == 4);
  CHECK_FALSE(testing::named_check(c.reasons, "account_limit").passed);
  CHECK(r.advice.back().topic == "account_risk");
  CHECK(r.operators == Operators::headquarters);  // placeholder staff have no store
}

TEST_CASE("the sample brand reads as a tea brand in its first stage", "[strategy]") {
  const Pool pool = testing::sample_pool();
  const StrategyReport r = advise(pool);
  CHECK(r.quadrant == Quadrant::paradise);
  CHECK(r.operators == Operators::executors);
  CHECK(r.stage == Stage::zero_to_one);
  CHECK(r.customers > 0);
  CHECK(r.capacity.core_customers > 0);
  for (const Advice& a : r.advice) {
    CHECK_FALSE(a.en.empty());
    CHECK_FALSE(a.zh.empty());
  }
}

TEST_CASE("contradictory strategy policies are refused", "[strategy]") {
  const auto invalid = [](const StrategyPolicy& policy) {
    try {
      policy.validate();
    } catch (const ConfigError& e) {
      return e.where().field;
    }
    return std::string("valid");
  };
  CHECK(invalid(StrategyPolicy{.stage_one_max = 10, .stage_scale_min = 5}) == "stage_scale_min");
  CHECK(invalid(StrategyPolicy{.core_per_operator_min = 30}) == "core_per_operator");
  CHECK(invalid(StrategyPolicy{.adds_per_account = 400}) == "adds_per_account");
  CHECK(invalid(StrategyPolicy{}) == "valid");
}

}  // namespace siyu

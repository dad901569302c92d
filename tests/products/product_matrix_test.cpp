#include "siyu/products/product_matrix.hpp"

#include <string>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"
#include "support/checks.hpp"

namespace siyu {

namespace {

const Timestamp t0 = parse_timestamp("2024-05-06T10:00:00+08:00");
constexpr std::int64_t day = 86'400'000'000;

Event order(const std::string& customer, std::int64_t days, const std::string& sku,
            const std::string& yuan, const std::string& ref) {
  return Event{.id = ref,
               .ts = Timestamp{t0.micros + days * day},
               .customer = customer,
               .type = EventType::order_paid,
               .product = sku,
               .amount = parse_money(yuan),
               .ref = ref};
}

// A tea brand: a 9.90 sample leads to longjing (same line) and, less often, to oolong.
Pool tea_pool() {
  Pool pool;
  const auto product = [&](const char* key, const char* category, std::int64_t fen,
                           Standardization s, std::optional<std::int32_t> margin) {
    pool.products().upsert(Product{.key = key,
                                   .category = category,
                                   .price = Money{fen},
                                   .standardization = s,
                                   .margin_basis_points = margin});
  };
  product("sample", "green_tea", 990, Standardization::standard, 10'00);
  product("longjing", "green_tea", 268'00, Standardization::standard, 62'00);
  product("oolong", "oolong", 198'00, Standardization::standard, 58'00);
  product("giftbox", "gifting", 688'00, Standardization::non_standard, 75'00);
  product("teaware", "teaware", 1280'00, Standardization::non_standard, 35'00);
  product("mystery", "", 50'00, Standardization::unknown, std::nullopt);
  Event refund{.id = "r1",
               .ts = Timestamp{t0.micros + 21 * day},
               .customer = "c5",
               .type = EventType::order_refunded,
               .amount = parse_money("9.90"),
               .ref = "o9"};
  REQUIRE(pool.add_events(std::vector<Event>{
                              order("c1", 0, "sample", "9.90", "o1"),
                              order("c1", 10, "longjing", "268", "o2"),
                              order("c1", 40, "longjing", "268", "o3"),
                              order("c2", 1, "sample", "9.90", "o4"),
                              order("c2", 8, "longjing", "268", "o5"),
                              order("c3", 2, "sample", "9.90", "o6"),
                              order("c3", 16, "sample", "9.90", "o7"),
                              order("c4", 3, "longjing", "268", "o8"),
                              order("c5", 20, "sample", "9.90", "o9"),
                              refund,
                              order("c5", 25, "oolong", "198", "o10"),
                              order("c6", 1, "oolong", "198", "o11"),
                          })
              .rejected == 0);
  pool.commit();
  return pool;
}

}  // namespace

TEST_CASE("products take their role from standardization, margin and price", "[products]") {
  const Pool pool = tea_pool();
  const ProductMatrix m = assess_products(pool);
  const auto role = [&](const char* sku) { return m.products[pool.products().id(sku).value].role; };
  CHECK(role("sample") == ProductRole::traffic);
  CHECK(role("longjing") == ProductRole::star);
  CHECK(role("oolong") == ProductRole::star);
  CHECK(role("giftbox") == ProductRole::premium);
  CHECK(role("teaware") == ProductRole::personalized);
  CHECK(role("mystery") == ProductRole::unclassified);
  const ProductAssessment& sample = m.products[pool.products().id("sample").value];
  REQUIRE(sample.reasons.size() == 1);
  CHECK(sample.reasons[0].figure == 10'00);
  CHECK(sample.reasons[0].bound == 40'00);
  CHECK(sample.reasons[0].unit == CheckUnit::basis_points);
  CHECK(sample.reasons[0].text == "standard, margin 10% < 40%: traffic");
  // Declared outright, the role wins and says so.
  MatrixPolicy policy;
  policy.roles["mystery"] = ProductRole::traffic;
  policy.premium_min_price = Money{1000'00};
  const ProductMatrix declared = assess_products(pool, policy);
  CHECK(declared.products[pool.products().id("mystery").value].role == ProductRole::traffic);
  CHECK(declared.products[pool.products().id("mystery").value].declared);
  CHECK(declared.products[pool.products().id("giftbox").value].role == ProductRole::personalized);
}

TEST_CASE("figures come from the period's orders, refunds matched by order id", "[products]") {
  const Pool pool = tea_pool();
  const ProductMatrix m = assess_products(pool);
  CHECK(m.buyers == 6);
  const ProductFigures& sample = m.products[pool.products().id("sample").value].figures;
  CHECK(sample.orders == 5);
  CHECK(sample.buyers == 4);
  CHECK(sample.repeat_buyers == 1);
  CHECK(sample.refunded_orders == 1);
  CHECK(sample.revenue == 5 * 990);
  CHECK(sample.ticket == 990);
  CHECK(sample.reach_bp == 6666);
  CHECK(sample.repeat_bp == 2500);
  CHECK(sample.refund_bp == 2000);
  CHECK(sample.active_weeks == 2);  // days 0, 1, 2 and 16, 20
  CHECK(sample.orders_per_buyer_centi == 125);
  // A period leaves out orders before it.
  const ProductMatrix late =
      assess_products(pool, {}, ProductQuery{.from = Timestamp{t0.micros + 5 * day}});
  CHECK(late.products[pool.products().id("sample").value].figures.orders == 2);
  CHECK(late.buyers == 4);  // c4 and c6 bought only before
}

TEST_CASE("data checks hold each role to what its figures should show", "[products]") {
  const Pool pool = tea_pool();
  const ProductMatrix m = assess_products(pool);
  const auto& sample = m.products[pool.products().id("sample").value];
  CHECK(testing::named_check(sample.data_checks, "ticket").passed);
  CHECK(testing::named_check(sample.data_checks, "reach").passed);
  CHECK(sample.data_agrees());
  const auto& oolong = m.products[pool.products().id("oolong").value];
  CHECK_FALSE(testing::named_check(oolong.data_checks, "repeat").passed);  // nobody bought it twice
  CHECK_FALSE(oolong.data_agrees());
  const auto& giftbox = m.products[pool.products().id("giftbox").value];
  CHECK_FALSE(testing::named_check(giftbox.data_checks, "ticket").figure.has_value());
  CHECK_THAT(testing::named_check(giftbox.data_checks, "ticket").text,
             Catch::Contains("no orders"));
}

TEST_CASE("the linkage audit runs the five checks on each traffic-star pair", "[products]") {
  const Pool pool = tea_pool();
  MatrixPolicy policy;
  policy.acquisition_cost = Money{20'00};
  const ProductMatrix m = assess_products(pool, policy);
  REQUIRE(m.pairs.size() == 2);  // sample -> longjing, sample -> oolong
  const LinkageAudit& a = m.pairs[0];
  CHECK(a.traffic == pool.products().id("sample"));
  CHECK(a.star == pool.products().id("longjing"));
  CHECK(testing::named_check(a.checks, "association").passed);
  CHECK(testing::named_check(a.checks, "universality").figure == 4);
  CHECK(testing::named_check(a.checks, "universality").bound == 3);
  CHECK(testing::named_check(a.checks, "universality").passed);
  CHECK(testing::named_check(a.checks, "path").figure == 6666);  // c1 and c2 of c1, c2, c4
  CHECK(testing::named_check(a.checks, "path").passed);
  // Sold in 2 of 6 weeks, but a quarter of takers took it again: sustained.
  CHECK(testing::named_check(a.checks, "sustainability").figure == 3333);
  CHECK(testing::named_check(a.checks, "sustainability").passed);
  CHECK(testing::named_check(a.checks, "value").figure ==
        2000);  // one refund of five sample orders
  CHECK_FALSE(testing::named_check(a.checks, "value").passed);
  CHECK(testing::named_check(a.checks, "low_price").figure == 369);
  CHECK(testing::named_check(a.checks, "low_price").passed);
  CHECK(testing::named_check(a.checks, "payback").figure == 4950);  // 9.90 against 20.00
  CHECK_FALSE(testing::named_check(a.checks, "payback").passed);
  CHECK_FALSE(a.passed());
  CHECK(a.converted == 2);
  CHECK(a.median_to_star == Duration::days(7));
  CHECK(a.p90_to_star == Duration::days(10));

  const LinkageAudit& b = m.pairs[1];
  CHECK(b.star == pool.products().id("oolong"));
  CHECK_FALSE(testing::named_check(b.checks, "association").passed);  // another line
  CHECK_THAT(testing::named_check(b.checks, "association").text,
             Catch::Contains("different lines"));
  CHECK(testing::named_check(b.checks, "path").figure == 5000);
  CHECK(b.converted == 1);
  CHECK(b.median_to_star == Duration::days(5));

  // Declared quality lower than the star's fails the value check even without refunds.
  MatrixPolicy rated;
  rated.pairs = {{"sample", "oolong"}};
  rated.quality = {{"sample", 2}, {"oolong", 4}};
  const ProductMatrix r = assess_products(pool, rated);
  REQUIRE(r.pairs.size() == 1);
  CHECK_THAT(testing::named_check(r.pairs[0].checks, "value").text,
             Catch::Contains("declared quality 2 vs 4"));
  CHECK(r.pairs[0].checks.size() == 6);  // no payback without a cost
}

TEST_CASE("bad matrix policies are refused", "[products]") {
  const Pool pool = tea_pool();
  MatrixPolicy policy;
  policy.pairs = {{"sample", "nope"}};
  CHECK_THROWS_WITH(assess_products(pool, policy),
                    Catch::Contains("pairs[0].star") && Catch::Contains("\"nope\""));
  policy.pairs = {{"sample", "sample"}};
  CHECK_THROWS_AS(assess_products(pool, policy), ConfigError);
  MatrixPolicy shares;
  shares.star_margin_bp = 120'00;
  CHECK_THROWS_AS(shares.validate(), ConfigError);
}

TEST_CASE("matrix files set every threshold, with line and field in errors", "[products]") {
  const MatrixPolicy policy = parse_matrix_policy(R"({
  "classification": {"star_margin_percent": 50, "premium_margin_percent": 70, "premium_min_price": 800},
  "data_checks": {"traffic_max_ticket": "19.90", "traffic_min_reach_percent": 5, "star_min_repeat_percent": 20},
  "linkage": {"min_path_percent": 40, "min_repeat_percent": 5, "min_active_weeks_percent": 60,
              "max_price_ratio_percent": 10, "refund_tolerance_percent": 1,
              "acquisition_cost": 25, "min_payback_percent": 100},
  "products": [{"sku": "sample", "role": "traffic", "quality": 4}, {"sku": "longjing", "quality": 5}],
  "pairs": [{"traffic": "sample", "star": "longjing"}]
})");
  CHECK(policy.star_margin_bp == 50'00);
  CHECK(policy.premium_min_price == Money{800'00});
  CHECK(policy.traffic_max_ticket == Money{19'90});
  CHECK(policy.min_active_weeks_bp == 60'00);
  CHECK(policy.acquisition_cost == Money{25'00});
  CHECK(policy.min_payback_bp == 100'00);
  CHECK(policy.roles.at("sample") == ProductRole::traffic);
  CHECK(policy.quality.at("longjing") == 5);
  CHECK(policy.pairs == std::vector<std::pair<std::string, std::string>>{{"sample", "longjing"}});
  CHECK(parse_matrix_policy("{}") == MatrixPolicy{});

  const auto error_of = [](const std::string& text) {
    try {
      (void)parse_matrix_policy(text, "matrix.json");
    } catch (const Error& e) {
      return std::string(to_string(e.code())) + " " + std::to_string(e.where().line) + " " +
             e.where().field;
    }
    return std::string("parsed");
  };
  CHECK(error_of("{\"classification\": {\n\"star_margin_percent\": 140}}") ==
        "out_of_range 2 classification.star_margin_percent");
  CHECK(error_of("{\"products\": [\n{\"sku\": \"a\", \"role\": \"hero\"}]}") ==
        "invalid_value 2 products[0].role");
  CHECK(error_of("{\"pairs\": [\n{\"traffic\": \"a\", \"star\": \"a\"}]}") ==
        "conflict 2 pairs[0]");
  CHECK(error_of("{\"linkage\": {\"acquisition_cost\": 0}}") ==
        "conflict 1 linkage.acquisition_cost");
  CHECK(error_of("{\"colour\": 1}") == "unknown_field 1 colour");
}

}  // namespace siyu

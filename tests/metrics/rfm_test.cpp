#include "siyu/metrics/rfm.hpp"

#include <random>
#include <string>
#include <vector>

#include "metrics/rfm_reference.hpp"
#include "metrics/test_log.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

using testing::E;
using testing::pool_of;

constexpr std::int64_t day = 86'400;  // testing::base is 2024-05-01 00:00 +08:00

// Orders of `amount` yuan for customer `name`, one a day from `first_day`.
void add_orders(std::vector<E>& events, const std::string& name, int count,
                const std::string& amount = "10", std::int64_t first_day = 0) {
  for (int i = 0; i < count; ++i) {
    events.push_back(E{
        .customer = name, .type = "order_paid", .second = (first_day + i) * day, .amount = amount});
  }
}

const RfmScore& buyer(const Pool& pool, const RfmResult& result, const std::string& key) {
  for (const RfmScore& b : result.buyers) {
    if (pool.customers()[b.customer].key == key) return b;
  }
  FAIL("no buyer " << key);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("segments read off R and F by the documented grid", "[metrics]") {
  CHECK(to_string(RfmSegment::champions) == "champions");
  CHECK(to_string(RfmSegment::cannot_lose) == "cannot_lose");
  CHECK(rfm_segment(5, 5) == RfmSegment::champions);
  CHECK(rfm_segment(5, 1) == RfmSegment::new_customers);
  CHECK(rfm_segment(1, 5) == RfmSegment::cannot_lose);
  CHECK(rfm_segment(1, 1) == RfmSegment::hibernating);
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) CHECK(rfm_segment(r, f) == testing::reference_segment(r, f));
  }
  CHECK(rfm_cell(1, 1, 1) == 0);
  CHECK(rfm_cell(5, 5, 5) == 124);
}

TEST_CASE("F scores by rank, ties sharing the lowest rank", "[metrics]") {
  // Orders 1,1,1,1,2,2,3,4,5,9: ranks 1,1,1,1,5,5,7,8,9,10 of 10.
  std::vector<E> events;
  const std::vector<int> counts = {1, 1, 1, 1, 2, 2, 3, 4, 5, 9};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    add_orders(events, "c" + std::to_string(i), counts[i]);
  }
  const Pool pool = pool_of(events);
  const RfmResult result = run_rfm(pool);
  REQUIRE(result.buyers.size() == 10);
  const std::vector<int> expected = {1, 1, 1, 1, 3, 3, 4, 4, 5, 5};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    CHECK(buyer(pool, result, "c" + std::to_string(i)).frequency == expected[i]);
  }
}

TEST_CASE("R counts local days to the clock: more recent scores higher", "[metrics]") {
  std::vector<E> events;
  for (int i = 0; i < 5; ++i) add_orders(events, "c" + std::to_string(i), 1, "10", i * 10);
  // The latest event (day 40, 00:00 +08:00) is the default clock.
  const Pool pool = pool_of(events);
  const RfmResult result = run_rfm(pool);
  CHECK(result.at == Timestamp{testing::base.micros + 40 * day * 1'000'000});
  for (int i = 0; i < 5; ++i) {
    const RfmScore& b = buyer(pool, result, "c" + std::to_string(i));
    CHECK(b.recency_days == 40 - i * 10);
    CHECK(b.recency == i + 1);
  }
  SECTION("in UTC the orders at local midnight fall on the day before") {
    // c4 bought at 2024-06-10 00:00 +08:00, which is 2024-06-09 16:00 UTC.
    const Timestamp at = parse_timestamp("2024-06-10T12:00:00Z");
    CHECK(buyer(pool, run_rfm(pool, RfmQuery{.at = at}), "c4").recency_days == 0);
    CHECK(buyer(pool, run_rfm(pool, RfmQuery{.at = at, .zone = Zone::utc()}), "c4").recency_days ==
          1);
  }
  SECTION("orders after the clock or before from do not count") {
    const RfmQuery query{.from = Timestamp{testing::base.micros + 10 * day * 1'000'000},
                         .at = Timestamp{testing::base.micros + 30 * day * 1'000'000}};
    const RfmResult cut = run_rfm(pool, query);
    REQUIRE(cut.buyers.size() == 3);  // days 10, 20 and 30: both ends inclusive
    CHECK(buyer(pool, cut, "c3").recency_days == 0);
  }
}

TEST_CASE("M is paid minus refunded: refunds alone make no buyer", "[metrics]") {
  std::vector<E> events;
  add_orders(events, "a", 2, "100");
  events.push_back(E{.customer = "a", .type = "order_refunded", .second = 5 * day, .amount = "30"});
  events.push_back(E{.customer = "b", .type = "order_refunded", .second = 5 * day, .amount = "5"});
  add_orders(events, "c", 1, "20");
  events.push_back(E{.customer = "c", .type = "order_refunded", .second = 6 * day, .amount = "25"});
  const Pool pool = pool_of(events);
  const RfmResult result = run_rfm(pool);
  REQUIRE(result.buyers.size() == 2);
  CHECK(buyer(pool, result, "a").revenue == 17'000);
  CHECK(buyer(pool, result, "a").orders == 2);
  CHECK(buyer(pool, result, "c").revenue == -500);
  CHECK(result.revenue == 16'500);
  CHECK(buyer(pool, result, "a").monetary == 3);  // 1 + floor(5 * 1 / 2)
  CHECK(buyer(pool, result, "c").monetary == 1);
}

TEST_CASE("concentration: the top fifth of buyers by M and their share", "[metrics]") {
  std::vector<E> events;
  // Eleven buyers: ceil(11 / 5) = 3 make the top fifth.
  for (int i = 1; i <= 11; ++i) add_orders(events, "c" + std::to_string(i), 1, std::to_string(i));
  const RfmResult result = run_rfm(pool_of(events));
  CHECK(result.concentration.top_customers == 3);
  CHECK(result.concentration.top_revenue == 3'000);  // 11 + 10 + 9 yuan
  CHECK(result.revenue == 6'600);
  REQUIRE(result.concentration.share.has_value());
  CHECK(*result.concentration.share == Approx(3'000.0 / 6'600.0));
  std::uint64_t in_cells = 0;
  for (std::uint64_t n : result.cells) in_cells += n;
  CHECK(in_cells == 11);

  SECTION("no share when refunds leave nothing") {
    events = {E{.customer = "x", .type = "order_paid", .amount = "10"},
              E{.customer = "x", .type = "order_refunded", .second = 1, .amount = "10"}};
    const RfmResult refunded = run_rfm(pool_of(events));
    CHECK(refunded.concentration.top_customers == 1);
    CHECK_FALSE(refunded.concentration.share.has_value());
  }
}

TEST_CASE("a pool without orders has no buyers", "[metrics]") {
  CHECK(run_rfm(Pool()).buyers.empty());
  CHECK(run_rfm(Pool()) == testing::reference_rfm(Pool(), RfmQuery{}));
  const RfmResult result = run_rfm(pool_of({E{.customer = "a", .type = "friend_added"}}));
  CHECK(result.buyers.empty());
  CHECK(result.at == testing::base);
  CHECK(result ==
        testing::reference_rfm(pool_of({E{.customer = "a", .type = "friend_added"}}), RfmQuery{}));
}

TEST_CASE("RFM agrees with the reference on thousands of random logs", "[metrics][property]") {
  std::mt19937_64 random(20261124);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const std::vector<std::string> types = {"friend_added", "order_paid", "order_paid",
                                          "order_refunded", "message_in"};
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<E> events;
    const std::size_t n = 1 + pick(60);
    const std::size_t customers = 1 + pick(20);
    for (std::size_t i = 0; i < n; ++i) {
      // Up to 60 days either side of the base, on 6-hour steps: ties in every figure.
      const auto step = static_cast<std::int64_t>(pick(480)) - 240;
      E e{.customer = "c" + std::to_string(pick(customers)),
          .type = types[pick(types.size())],
          .second = step * 6 * 3600};
      if (e.type == "order_paid" || e.type == "order_refunded") {
        e.amount = std::to_string(1 + pick(pick(2) == 0 ? 5 : 500));
      }
      events.push_back(e);
    }
    const Pool pool = pool_of(events);
    RfmQuery q;
    const auto some_time = [&] {
      return Timestamp{testing::base.micros +
                       (static_cast<std::int64_t>(pick(480)) - 240) * 6 * 3600 * 1'000'000};
    };
    if (pick(3) == 0) q.from = some_time();
    if (pick(3) == 0) q.at = some_time();
    if (pick(3) == 0) q.zone = Zone{static_cast<std::int32_t>(pick(25) * 3600) - 12 * 3600};
    INFO("trial " << trial);
    const RfmResult fast = run_rfm(pool, q);
    const RfmResult slow = testing::reference_rfm(pool, q);
    CHECK(fast.at == slow.at);
    CHECK(fast.buyers == slow.buyers);
    CHECK(fast.cells == slow.cells);
    CHECK(fast.segments == slow.segments);
    CHECK(fast.concentration == slow.concentration);
    REQUIRE(fast == slow);
  }
}

}  // namespace siyu

#include "siyu/metrics/kpis.hpp"

#include <random>
#include <string>
#include <vector>

#include "metrics/kpi_reference.hpp"
#include "metrics/test_log.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

using testing::E;
using testing::pool_of;

constexpr std::int64_t hour = 3'600;
constexpr std::int64_t day = 24 * hour;  // testing::base is 2024-05-01 00:00 +08:00

Timestamp at_day(std::int64_t n) { return Timestamp{testing::base.micros + n * day * 1'000'000}; }

// The month of May 2024 (31 days) in UTC+8.
KpiQuery may() { return KpiQuery{.from = at_day(0), .to = at_day(31)}; }

}  // namespace

TEST_CASE("adds, deletions, friends at the end and the add rate", "[metrics]") {
  const Pool pool = pool_of({
      E{.customer = "a", .type = "friend_added", .second = -5 * day},  // before May
      E{.customer = "a", .type = "friend_deleted", .second = 2 * day},
      E{.customer = "b", .type = "friend_added", .second = 3 * day},
      E{.customer = "c", .type = "friend_added", .second = 4 * day},
      E{.customer = "c", .type = "friend_deleted", .second = 40 * day},  // after May
      E{.customer = "d", .type = "friend_added", .second = 35 * day},
  });
  KpiQuery query = may();
  query.reach = 20;
  const Kpis k = run_kpis(pool, query).overall;
  CHECK(k.new_friends == 2);
  CHECK(k.deletions == 1);
  CHECK(k.net_adds == 1);
  CHECK(k.friends == 2);  // b and c: c left after the period
  CHECK(k.new_customers == 2);
  REQUIRE(k.add_rate.has_value());
  CHECK(*k.add_rate == Approx(0.1));
  CHECK_FALSE(run_kpis(pool, may()).overall.add_rate.has_value());
}

TEST_CASE("conversion counts new friends who pay within the window of the first add", "[metrics]") {
  const Pool pool = pool_of({
      E{.customer = "a", .type = "friend_added", .second = 0},
      E{.customer = "a", .type = "order_paid", .second = 30 * day},  // exactly at the window
      E{.customer = "b", .type = "friend_added", .second = day},
      E{.customer = "b", .type = "order_paid", .second = 31 * day + 1},  // a second past
      E{.customer = "c", .type = "friend_added", .second = 30 * day},
      E{.customer = "c", .type = "order_paid", .second = 45 * day},  // after May still counts
      E{.customer = "d", .type = "order_paid", .second = 2 * day},   // no add: not new
  });
  const Kpis k = run_kpis(pool, may()).overall;
  CHECK(k.new_customers == 3);
  CHECK(k.converted == 2);
  REQUIRE(k.conversion_rate.has_value());
  CHECK(*k.conversion_rate == Approx(2.0 / 3.0));
  KpiQuery week = may();
  week.conversion_window = Duration::days(7);
  CHECK(run_kpis(pool, week).overall.converted == 0);
}

TEST_CASE("orders, GMV, AOV, repeat buyers, refunds and revenue per customer per month",
          "[metrics]") {
  const Pool pool = pool_of({
      E{.customer = "a", .type = "friend_added", .second = 0},
      E{.customer = "a", .type = "order_paid", .second = day, .amount = "100"},
      E{.customer = "a", .type = "order_paid", .second = 2 * day, .amount = "50"},
      E{.customer = "a", .type = "order_refunded", .second = 3 * day, .amount = "20"},
      E{.customer = "b", .type = "friend_added", .second = 0},
      E{.customer = "b", .type = "order_paid", .second = day, .amount = "0.01"},
      E{.customer = "b", .type = "order_paid", .second = 40 * day, .amount = "999"},  // June
  });
  const KpiResult result = run_kpis(pool, may());
  const Kpis& k = result.overall;
  CHECK(k.orders == 3);
  CHECK(k.gmv == 15'001);
  CHECK(k.aov == 5'000);  // 15,001 / 3 = 5,000.33
  CHECK(k.buyers == 2);
  CHECK(k.repeat_buyers == 1);
  CHECK(k.refunds == 1);
  CHECK(k.refunded == 2'000);
  CHECK(k.net_revenue == 13'001);
  CHECK(result.months == Approx(31.0 / 30.436875));
  // 13,001 fen / 2 friends / 1.0185 months
  CHECK(k.revenue_per_customer_month == 6'382);
}

TEST_CASE("coupons: redemption rate and the sales a redemption drives", "[metrics]") {
  const Pool pool = pool_of({
      E{.customer = "a", .type = "coupon_issued", .second = 0},
      E{.customer = "a", .type = "coupon_redeemed", .second = day},
      E{.customer = "a", .type = "order_paid", .second = day + hour, .amount = "80"},  // at 1h
      E{.customer = "a", .type = "order_paid", .second = day + hour, .amount = "5"},   // used up
      E{.customer = "b", .type = "coupon_issued", .second = 0},
      E{.customer = "b", .type = "coupon_redeemed", .second = day},
      E{.customer = "b", .type = "order_paid", .second = day + hour + 1, .amount = "15"},
  });
  const Kpis k = run_kpis(pool, may()).overall;
  CHECK(k.coupons_issued == 2);
  CHECK(k.coupons_redeemed == 2);
  CHECK(*k.redemption_rate == Approx(1.0));
  CHECK(k.coupon_orders == 1);
  CHECK(k.coupon_sales == 8'000);
  CHECK(*k.coupon_share_of_sales == Approx(0.8));
}

TEST_CASE("chats open with the day's first message in and count the first reply that day",
          "[metrics]") {
  // Days in UTC+8: 2024-05-01 and 2024-05-02.
  const Pool pool = pool_of({
      E{.customer = "a", .type = "message_in", .second = 9 * hour},
      E{.customer = "a", .type = "message_in", .second = 10 * hour},
      E{.customer = "a", .type = "message_out", .second = 9 * hour + 600},  // 10 minutes
      E{.customer = "a", .type = "message_out", .second = 11 * hour},
      E{.customer = "a", .type = "message_in", .second = 23 * hour},
      E{.customer = "a", .type = "message_out", .second = 25 * hour},  // the next day: no reply
      E{.customer = "b", .type = "message_in", .second = 9 * hour},
      E{.customer = "b", .type = "message_out", .second = 10 * hour},  // an hour
      E{.customer = "b", .type = "content_viewed", .second = 10 * hour},
  });
  const Kpis k = run_kpis(pool, may()).overall;
  CHECK(k.inbound_chats == 2);  // a on 05-01 (23:00 is the same day), b on 05-01
  CHECK(k.replied_chats == 2);
  CHECK(k.median_first_reply == Duration::minutes(10));
  CHECK(k.interactions == 5);
  KpiQuery utc = may();
  utc.zone = Zone::utc();  // 23:00 +08:00 is 15:00 UTC, still 05-01; 25:00 is 17:00 UTC
  CHECK(run_kpis(pool, utc).overall.inbound_chats == 2);
}

TEST_CASE("a breakdown splits every figure by first-touch channel", "[metrics]") {
  const Pool pool = pool_of({
      E{.customer = "a", .type = "friend_added", .second = 0, .channel = "poster"},
      E{.customer = "a", .type = "order_paid", .second = day},
      E{.customer = "b", .type = "friend_added", .second = 0, .channel = "card"},
      E{.customer = "c", .type = "order_paid", .second = day},
  });
  KpiQuery query = may();
  query.by = parse_breakdown("channel");
  query.group_reach = {{"poster", 10}};
  const KpiResult result = run_kpis(pool, query);
  REQUIRE(result.groups.size() == 3);
  CHECK(result.groups[0].value == "card");
  CHECK(result.groups[1].value == "poster");
  CHECK(result.groups[1].kpis.orders == 1);
  CHECK(*result.groups[1].kpis.add_rate == Approx(0.1));
  CHECK(result.groups[2].value.empty());
  CHECK(result.groups[2].kpis.orders == 1);
  CHECK(result == testing::reference_kpis(pool, query));

  // Reach for a value no customer has: its own group, no adds.
  query.group_reach = {{"radio", 5}};
  const KpiResult radio = run_kpis(pool, query);
  REQUIRE(radio.groups.size() == 4);
  CHECK(radio.groups[2].value == "radio");
  CHECK(radio.groups[2].kpis.new_friends == 0);
  CHECK(*radio.groups[2].kpis.add_rate == 0.0);
  query.by.reset();
  CHECK_THROWS_AS(run_kpis(pool, query), ConfigError);
}

TEST_CASE("the default period is whole local days around the log", "[metrics]") {
  const Pool pool = pool_of({E{.customer = "a", .type = "message_in", .second = 5 * hour},
                             E{.customer = "a", .type = "message_in", .second = 50 * hour}});
  const KpiResult result = run_kpis(pool);
  CHECK(result.from == at_day(0));
  CHECK(result.to == at_day(3));
  CHECK(result.overall.interactions == 2);
  CHECK_THROWS_AS(run_kpis(pool, KpiQuery{.from = at_day(2), .to = at_day(2)}), ConfigError);
  CHECK(run_kpis(Pool()).overall == Kpis{.interactions_per_month = 0.0});
}

TEST_CASE("KPIs agree with the reference on thousands of random logs", "[metrics][property]") {
  std::mt19937_64 random(20261125);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const std::vector<std::string> types = {"friend_added",   "friend_deleted", "message_in",
                                          "message_out",    "message_out",    "order_paid",
                                          "order_refunded", "coupon_issued",  "coupon_redeemed",
                                          "content_viewed", "live_watched",   "group_joined"};
  const std::vector<std::string> channels = {"", "poster", "card"};
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<E> events;
    const std::size_t n = 1 + pick(50);
    const std::size_t customers = 1 + pick(6);
    for (std::size_t i = 0; i < n; ++i) {
      // 20 days either side of the base in 30-minute steps: ties, day edges, windows.
      const auto step = static_cast<std::int64_t>(pick(1920)) - 960;
      E e{.customer = "c" + std::to_string(pick(customers)),
          .type = types[pick(types.size())],
          .second = step * 1800};
      if (e.type == "friend_added") e.channel = channels[pick(channels.size())];
      if (e.type == "order_paid" || e.type == "order_refunded") {
        e.amount = std::to_string(1 + pick(300));
      }
      events.push_back(e);
    }
    const Pool pool = pool_of(events);
    const auto some_time = [&] {
      return Timestamp{testing::base.micros +
                       (static_cast<std::int64_t>(pick(960)) - 480) * 3600 * 1'000'000};
    };
    KpiQuery q;
    q.from = some_time();
    q.to = Timestamp{q.from->micros + static_cast<std::int64_t>(1 + pick(480)) * 3'600'000'000};
    q.conversion_window = Duration::hours(static_cast<std::int64_t>(pick(200)));
    q.coupon_window = Duration::minutes(static_cast<std::int64_t>(pick(200)));
    if (pick(2) == 0) q.reach = pick(50);
    if (pick(3) == 0) q.zone = Zone{static_cast<std::int32_t>(pick(25) * 3600) - 12 * 3600};
    if (pick(2) == 0) {
      q.by = parse_breakdown("channel");
      if (pick(2) == 0 && pool.channels().size() > 0) {
        q.group_reach[pool.channels()[ChannelId{0}].key] = 1 + pick(20);
      }
    }
    INFO("trial " << trial);
    const KpiResult fast = run_kpis(pool, q);
    const KpiResult slow = testing::reference_kpis(pool, q);
    CHECK(fast.overall == slow.overall);
    CHECK(fast.groups == slow.groups);
    REQUIRE(fast == slow);
  }
}

}  // namespace siyu

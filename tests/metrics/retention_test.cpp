#include "siyu/metrics/retention.hpp"

#include <random>
#include <string>
#include <vector>

#include "metrics/retention_reference.hpp"
#include "metrics/test_log.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

using testing::E;
using testing::pool_of;

constexpr std::int64_t day = 86'400;  // testing::base is Wednesday 2024-05-01 00:00 +08:00

RetentionQuery weekly(std::size_t periods = 3) {
  return RetentionQuery{.period = CalendarPeriod::week, .periods = periods};
}

}  // namespace

TEST_CASE("periods read and print as day, week and month", "[metrics]") {
  for (CalendarPeriod p : {CalendarPeriod::day, CalendarPeriod::week, CalendarPeriod::month}) {
    CHECK(parse_calendar_period(to_string(p)) == p);
  }
  CHECK_THROWS_AS(parse_calendar_period("year"), ParseError);
}

TEST_CASE("weekly cohorts start on Monday and count returns per later week", "[metrics]") {
  // c1 joins Wed 05-01 (week of Mon 04-29), returns in weeks +1 and +3; c2 joins Sun 05-05
  // (same week), returns in week +1 twice; c3 joins Mon 05-06 (next cohort), never returns.
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "message_in", 6 * day},
                             {"c1", "message_in", 20 * day},
                             {"c2", "friend_added", 4 * day + 3600},
                             {"c2", "message_in", 6 * day},
                             {"c2", "message_in", 7 * day},
                             {"c3", "friend_added", 5 * day}});
  const RetentionResult r = run_retention(pool, weekly());
  REQUIRE(r.cohorts.size() == 2);
  CHECK(to_string(r.cohorts[0].start) == "2024-04-29");
  CHECK(r.cohorts[0].size == 2);
  CHECK(r.cohorts[0].retained == std::vector<std::uint64_t>{2, 0, 1});
  CHECK(r.cohorts[0].rolling == std::vector<std::uint64_t>{2, 1, 1});
  CHECK(to_string(r.cohorts[1].start) == "2024-05-06");
  CHECK(r.cohorts[1].retained == std::vector<std::uint64_t>{0, 0, 0});
  CHECK(r == testing::reference_retention(pool, weekly()));
}

TEST_CASE("the zone decides which day, week or month an event falls in", "[metrics]") {
  // 2024-04-30T23:30+08:00 is April in UTC+8 and still April in UTC; 2024-05-01T07:30+08:00
  // is May in UTC+8 but April 30 in UTC.
  const Pool pool = pool_of({{"c1", "friend_added", -1800}, {"c1", "order_paid", 7 * 3600 + 1800}});
  RetentionQuery q{.period = CalendarPeriod::month, .periods = 1};
  const RetentionResult east = run_retention(pool, q);
  CHECK(east.cohorts.at(0).retained == std::vector<std::uint64_t>{1});
  q.zone = Zone{0};
  const RetentionResult utc = run_retention(pool, q);
  CHECK(utc.cohorts.at(0).retained == std::vector<std::uint64_t>{0});
  CHECK(to_string(utc.cohorts.at(0).start) == "2024-04-01");
}

TEST_CASE("return events can be a type: the cohort's own period is cell 0", "[metrics]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 3600},  // same day: cell 0, not a return
                             {"c1", "message_in", day},
                             {"c1", "order_paid", 2 * day}});
  RetentionQuery q{.return_event = EventCondition{.type = EventType::order_paid},
                   .period = CalendarPeriod::day,
                   .periods = 2};
  const RetentionResult r = run_retention(pool, q);
  CHECK(r.cohorts.at(0).retained == std::vector<std::uint64_t>{0, 1});
  CHECK(r.cohorts.at(0).rolling == std::vector<std::uint64_t>{1, 1});
}

TEST_CASE("revenue per cell is net of refunds: LTV is cumulative per member", "[metrics]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 3600, "", "", "100.00"},
                             {"c2", "friend_added", 0},
                             {"c2", "order_paid", 8 * day, "", "", "50.01"},
                             {"c2", "order_refunded", 9 * day, "", "", "20.00"}});
  const RetentionResult r = run_retention(pool, weekly(2));
  REQUIRE(r.cohorts.size() == 1);
  CHECK(r.cohorts[0].revenue == std::vector<std::int64_t>{10'000, 3'001, 0});
  // 10,000 / 2 = 5,000; 13,001 / 2 = 6,500.5 rounds half away from zero to 6,501.
  CHECK(r.cohorts[0].ltv == std::vector<std::int64_t>{5'000, 6'501, 6'501});
}

TEST_CASE("lifecycle: new, returning, resurrecting and dormant per period", "[metrics]") {
  // c1: joins week 0, active weeks 1 and 3 -> returning (1), dormant (2), resurrecting (3).
  // c2: joins week 1 -> new (1), dormant (2). The log ends in week 3.
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "message_in", 7 * day},
                             {"c1", "message_in", 21 * day},
                             {"c2", "friend_added", 7 * day}});
  const RetentionResult r = run_retention(pool, weekly());
  REQUIRE(r.lifecycle.size() == 4);
  const auto row = [&](std::size_t t) {
    const LifecyclePeriod& p = r.lifecycle[t];
    return std::vector<std::uint64_t>{p.new_customers, p.returning, p.resurrecting, p.dormant};
  };
  CHECK(row(0) == std::vector<std::uint64_t>{1, 0, 0, 0});
  CHECK(row(1) == std::vector<std::uint64_t>{1, 1, 0, 0});
  CHECK(row(2) == std::vector<std::uint64_t>{0, 0, 0, 2});
  CHECK(row(3) == std::vector<std::uint64_t>{0, 0, 1, 0});
  CHECK(to_string(r.lifecycle[3].start) == "2024-05-20");
}

TEST_CASE("from and to select cohorts by their first cohort event", "[metrics]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c2", "friend_added", 10 * day},
                             {"c2", "friend_added", 20 * day}});
  RetentionQuery q = weekly();
  q.from = Timestamp{testing::base.micros + 5 * day * 1'000'000};
  const RetentionResult r = run_retention(pool, q);
  REQUIRE(r.cohorts.size() == 1);
  CHECK(r.cohorts[0].size == 1);
  CHECK(to_string(r.cohorts[0].start) == "2024-05-06");
  CHECK(r == testing::reference_retention(pool, q));
}

TEST_CASE("invalid retention queries are refused", "[metrics]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0}});
  CHECK_THROWS_AS(run_retention(pool, weekly(0)), ConfigError);
  CHECK_THROWS_AS(run_retention(pool, weekly(1001)), ConfigError);
  RetentionQuery q = weekly();
  q.cohort_event.channel = "no-such-channel";
  CHECK_THROWS_AS(run_retention(pool, q), NotFound);
  CHECK(run_retention(Pool(), weekly()) == RetentionResult{});
}

TEST_CASE("retention agrees with the reference on thousands of random logs",
          "[metrics][property]") {
  std::mt19937_64 random(20261123);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const std::vector<std::string> types = {"friend_added", "message_in", "order_paid",
                                          "order_refunded", "content_viewed"};
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<E> events;
    const std::size_t n = 1 + pick(40);
    for (std::size_t i = 0; i < n; ++i) {
      // Up to 100 days either side of the base, on hour boundaries: ties and period edges.
      const auto hour = static_cast<std::int64_t>(pick(4800)) - 2400;
      events.push_back(E{.customer = "c" + std::to_string(pick(8)),
                         .type = types[pick(types.size())],
                         .second = hour * 3600,
                         .amount = std::to_string(1 + pick(500)) + "." + std::to_string(pick(10))});
    }
    for (E& e : events) {
      if (e.type != "order_paid" && e.type != "order_refunded") e.amount.clear();
    }
    Pool pool = pool_of(events);
    // Tag conditions ask about the customer: about half of them carry the tag.
    testing::tag_customers(pool, "vip", 8, [&] { return pick(2) != 0; });
    RetentionQuery q{.period = static_cast<CalendarPeriod>(pick(3)), .periods = 1 + pick(6)};
    if (pick(2) == 0)
      q.return_event = EventCondition{.type = find_event_type(types[pick(5)]).value()};
    if (q.return_event && pick(4) == 0) q.return_event->tag = "vip";
    if (q.return_event && pick(4) == 0) q.return_event->min_amount = parse_money("250");
    if (pick(3) == 0) q.cohort_event = EventCondition{.type = EventType::order_paid};
    if (pick(4) == 0) q.cohort_event.tag = "vip";
    if (pick(3) == 0) q.zone = Zone{static_cast<std::int32_t>(pick(25) * 3600) - 12 * 3600};
    INFO("trial " << trial << ", period " << to_string(q.period) << ", periods " << q.periods);
    REQUIRE(run_retention(pool, q) == testing::reference_retention(pool, q));
  }
}

}  // namespace siyu

#include "siyu/model/event_log.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu {

namespace {

LoggedEvent make(std::uint64_t id, std::uint32_t customer, std::int64_t ts,
                 EventType type = EventType::message_in) {
  LoggedEvent e;
  e.id = EventId{id};
  e.customer = CustomerId{customer};
  e.key = e.customer;
  e.ts = Timestamp{ts};
  e.type = type;
  return e;
}

std::vector<LoggedEvent> all_events(const EventLog& log) {
  std::vector<LoggedEvent> out;
  for (std::size_t p = 0; p < log.size(); ++p) out.push_back(log.at(p));
  return out;
}

}  // namespace

TEST_CASE("the log clusters by customer and orders by time, ties by arrival", "[model]") {
  EventLog log;
  log.append(
      std::vector{make(0, 2, 50), make(1, 0, 30), make(2, 2, 10), make(3, 0, 30), make(4, 1, 5)});
  REQUIRE(log.size() == 5);
  REQUIRE(log.customer_count() == 3);
  CHECK(log.range(CustomerId{0}).size() == 2);
  CHECK(log.range(CustomerId{1}).size() == 1);
  CHECK(log.range(CustomerId{2}).size() == 2);
  CHECK(log.range(CustomerId{7}).size() == 0);
  const auto events = all_events(log);
  CHECK(events[0].id == EventId{1});  // customer 0, ts 30, arrived first
  CHECK(events[1].id == EventId{3});  // customer 0, ts 30, arrived second
  CHECK(events[2].id == EventId{4});
  CHECK(events[3].id == EventId{2});  // customer 2, ts 10
  CHECK(events[4].id == EventId{0});  // customer 2, ts 50
  CHECK(log.customer_at(4) == CustomerId{2});
  CHECK(events[4].customer == CustomerId{2});
}

TEST_CASE("appending merges into the clustering: older events win ties", "[model]") {
  EventLog log;
  log.append(std::vector{make(0, 0, 100), make(1, 1, 100)});
  log.append(std::vector{make(2, 0, 100), make(3, 0, 50), make(4, 3, 1)});
  REQUIRE(log.customer_count() == 4);
  const auto events = all_events(log);
  REQUIRE(events.size() == 5);
  CHECK(events[0].id == EventId{3});
  CHECK(events[1].id == EventId{0});  // same ts as id 2, arrived earlier
  CHECK(events[2].id == EventId{2});
  CHECK(events[3].id == EventId{1});
  CHECK(events[4].customer == CustomerId{3});
  CHECK(log.range(CustomerId{2}).size() == 0);
}

TEST_CASE("every field survives the columns", "[model]") {
  LoggedEvent e = make(0, 5, 1'714'528'800'000'000, EventType::order_paid);
  e.staff = StaffId{3};
  e.channel = ChannelId{2};
  e.product = ProductId{9};
  e.ref = 42;
  e.amount = Money{1990};
  e.duration = Duration::seconds(30);
  e.text = "你好, vx123";
  LoggedEvent bare = make(1, 5, 1'714'528'800'000'001, EventType::custom);
  bare.custom_name = 7;
  EventLog log;
  log.append(std::vector{e, bare});
  CHECK(log.at(0) == e);
  CHECK(log.at(1) == bare);
  CHECK_FALSE(log.at(1).amount.has_value());
  CHECK_FALSE(log.at(1).channel.has_value());
  CHECK(log.has_amount(0));
  CHECK_FALSE(log.has_amount(1));
  CHECK(log.amounts()[1] == 0);
}

TEST_CASE("random batches give the same log as one sort of everything", "[model]") {
  std::mt19937_64 random(20241123);
  for (int round = 0; round < 200; ++round) {
    EventLog log;
    std::vector<LoggedEvent> everything;
    std::uint64_t next_id = 0;
    const int batches = 1 + static_cast<int>(random() % 5);
    for (int b = 0; b < batches; ++b) {
      std::vector<LoggedEvent> batch;
      const int n = static_cast<int>(random() % 40);
      for (int i = 0; i < n; ++i) {
        // Few customers and few timestamps, so ties and empty customers are common.
        batch.push_back(make(next_id++, static_cast<std::uint32_t>(random() % 6),
                             static_cast<std::int64_t>(random() % 8)));
        // Texts join the log a batch at a time: each event must keep its own.
        if (random() % 3 != 0) batch.back().text = "text of " + std::to_string(next_id);
      }
      log.append(batch);
      everything.insert(everything.end(), batch.begin(), batch.end());
    }
    std::sort(everything.begin(), everything.end(), [](const LoggedEvent& a, const LoggedEvent& b) {
      return std::tie(a.customer, a.ts, a.id) < std::tie(b.customer, b.ts, b.id);
    });
    REQUIRE(all_events(log) == everything);
    if (everything.empty()) {
      CHECK_FALSE(log.span());
    } else {
      const auto [first, last] = std::minmax_element(
          everything.begin(), everything.end(),
          [](const LoggedEvent& a, const LoggedEvent& b) { return a.ts < b.ts; });
      REQUIRE(log.span() == EventLog::Span{first->ts, last->ts});
    }
    for (std::size_t c = 0; c < log.customer_count(); ++c) {
      const auto range = log.range(CustomerId{static_cast<std::uint32_t>(c)});
      for (std::size_t p = range.begin; p < range.end; ++p) {
        REQUIRE(log.customer_at(p) == CustomerId{static_cast<std::uint32_t>(c)});
      }
    }
  }
}

TEST_CASE("the span follows the events: appended, removed, regrouped", "[model]") {
  EventLog log;
  CHECK_FALSE(log.span());
  log.append(std::vector{make(0, 0, 30), make(1, 1, 10)});
  CHECK(log.span() == EventLog::Span{Timestamp{10}, Timestamp{30}});
  log.append(std::vector{make(2, 2, 50), make(3, 0, 20)});
  CHECK(log.span() == EventLog::Span{Timestamp{10}, Timestamp{50}});
  log.regroup(std::vector<std::uint32_t>{0, 0, 2});
  CHECK(log.span() == EventLog::Span{Timestamp{10}, Timestamp{50}});
  CHECK(log.remove_customer(CustomerId{2}) == 1);
  CHECK(log.span() == EventLog::Span{Timestamp{10}, Timestamp{30}});
  CHECK(log.remove_customer(CustomerId{0}) == 3);
  CHECK_FALSE(log.span());
}

TEST_CASE("regrouping moves events to their keys' persons, in time order", "[model]") {
  EventLog log;
  log.append(std::vector{make(0, 0, 30), make(1, 1, 10), make(2, 2, 20), make(3, 1, 40)});
  // Keys 1 and 2 become person 1; key 0 stays person 0.
  const std::vector<std::uint32_t> person_of{0, 1, 1};
  log.regroup(person_of);
  REQUIRE(log.range(CustomerId{1}).size() == 3);
  CHECK(log.range(CustomerId{2}).size() == 0);
  const auto events = all_events(log);
  CHECK(events[1].id == EventId{1});  // ts 10, key 1
  CHECK(events[2].id == EventId{2});  // ts 20, key 2
  CHECK(events[3].id == EventId{3});  // ts 40, key 1
  CHECK(events[2].key == CustomerId{2});
  CHECK(events[2].customer == CustomerId{1});
  // Undoing it restores the first clustering exactly.
  const std::vector<std::uint32_t> apart{0, 1, 2};
  log.regroup(apart);
  CHECK(log.range(CustomerId{2}).size() == 1);
  CHECK(log.at(log.range(CustomerId{2}).begin).id == EventId{2});
}

}  // namespace siyu

#pragma once
// Small event logs for metric tests: events written as (customer, type, second) rows and
// committed into a pool.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu::testing {

inline const Timestamp base = parse_timestamp("2024-05-01T00:00:00+08:00");

// One event of a test log, at `second` seconds after `base`.
struct E {
  std::string customer;
  std::string type;
  std::int64_t second = 0;
  std::string channel{};
  std::string product{};
  std::string amount{};
  std::string id{};
};

inline Event event_of(const E& e, std::size_t n) {
  Event event;
  event.id = e.id.empty() ? "e" + std::to_string(n) : e.id;
  event.ts = Timestamp{base.micros + e.second * 1'000'000};
  event.customer = e.customer;
  event.type = find_event_type(e.type).value();
  event.channel = e.channel;
  event.product = e.product;
  if (event.type == EventType::order_paid || event.type == EventType::order_refunded) {
    event.amount = parse_money(e.amount.empty() ? "10" : e.amount);
    event.ref = "order-" + std::to_string(n);
  }
  if (!e.amount.empty()) event.amount = parse_money(e.amount);
  if (event.type == EventType::coupon_redeemed || event.type == EventType::coupon_issued) {
    event.ref = "coupon-20";
  }
  return event;
}

inline Pool pool_of(const std::vector<E>& events) {
  Pool pool;
  std::vector<Event> batch;
  for (std::size_t i = 0; i < events.size(); ++i) batch.push_back(event_of(events[i], i));
  const IngestReport report = pool.add_events(batch);
  REQUIRE(report.rejected == 0);
  pool.commit();
  return pool;
}

// Gives tag `key` to each of customers c0..c<count - 1> that exists and `chosen()` picks.
template <class Chooser>
void tag_customers(Pool& pool, const std::string& key, std::size_t count, Chooser&& chosen) {
  const TagId tag = pool.tags().upsert(Tag{.key = key});
  for (std::size_t c = 0; c < count; ++c) {
    const auto id = pool.customers().find("c" + std::to_string(c));
    if (!id || !chosen()) continue;
    Customer tagged = pool.customers()[*id];
    tagged.tags = {tag};
    pool.customers().upsert(std::move(tagged));
  }
}

}  // namespace siyu::testing

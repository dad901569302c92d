#include "siyu/sop/backtest.hpp"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

constexpr std::int64_t day = 86'400'000'000;
const Timestamp t0 = parse_timestamp("2024-05-01T10:00:00+08:00");

// 40 customers added on day 0 by s1 (even) or s2 (odd); every third orders on day 3, and
// customer 0 orders on day 20 (outside the 7-day window).
Pool brand() {
  std::vector<Event> events;
  for (int c = 0; c < 40; ++c) {
    const std::string key = "c" + std::to_string(c);
    events.push_back(Event{.id = "a" + key,
                           .ts = t0,
                           .customer = key,
                           .type = EventType::friend_added,
                           .staff = c % 2 == 0 ? "s1" : "s2"});
    if (c % 3 == 0) {
      events.push_back(Event{.id = "o" + key,
                             .ts = Timestamp{t0.micros + (c == 0 ? 20 : 3) * day},
                             .customer = key,
                             .type = EventType::order_paid,
                             .amount = parse_money("9.90"),
                             .ref = "o" + key});
    }
  }
  Pool pool;
  REQUIRE(pool.add_events(events).rejected == 0);
  pool.commit();
  return pool;
}

const RuleSet rules = compile_rules(R"({
  "guards": {"holdout_percent": 30, "holdout_salt": "test"},
  "rules": [
    {"key": "promo", "trigger": {"event": "friend_added"},
     "actions": [{"kind": "send_message", "text": "hi"}, {"kind": "create_task", "text": "call"}]},
    {"key": "nudge", "trigger": {"event": "friend_added", "delay": "2d"}, "exit": ["order_paid"],
     "marketing": false, "actions": [{"kind": "send_message", "text": "still there?"}]}
  ]
})");

}  // namespace

TEST_CASE("a backtest counts entries, actions, customers and suppressions per rule", "[sop]") {
  const Pool pool = brand();
  const BacktestQuery query{.run = {.from = t0, .to = Timestamp{t0.micros + 10 * day}}};
  const BacktestResult r = backtest_sop(pool, rules, query);
  REQUIRE(r.rules.size() == 2);
  const RuleBacktest& promo = r.rules[0];
  CHECK(promo.rule == "promo");
  CHECK(promo.due + promo.suppressed.at("holdout") == 40);
  CHECK(promo.actions == 2 * promo.due);
  CHECK(promo.customers == promo.due);
  // The service rule ignores the holdout, and nobody ordered before its day-2 nudge.
  const RuleBacktest& nudge = r.rules[1];
  CHECK(nudge.due == 40);
  CHECK(nudge.suppressed.empty());
}

TEST_CASE("the outcome after the actions is compared with the holdout", "[sop]") {
  const Pool pool = brand();
  const BacktestQuery query{.run = {.from = t0, .to = Timestamp{t0.micros + 10 * day}}};
  const BacktestResult r = backtest_sop(pool, rules, query);
  const SopResult run = run_sop(pool, rules, query.run);
  // Recount by hand: converted = ordered on day 3 (every third customer but c0).
  const auto converts = [&](CustomerId c) {
    const int n = std::stoi(pool.customers()[c].key.substr(1));
    return n % 3 == 0 && n != 0;
  };
  std::uint64_t treated = 0, treated_converted = 0, holdout = 0, holdout_converted = 0;
  for (const Action& a : run.actions) {
    if (a.rule != "promo" || a.kind != ActionKind::send_message) continue;
    ++treated;
    treated_converted += converts(a.customer) ? 1U : 0U;
  }
  for (const SuppressedAction& s : run.suppressed) {
    if (s.rule != "promo") continue;
    ++holdout;
    holdout_converted += converts(s.customer) ? 1U : 0U;
  }
  const OutcomeComparison& o = r.rules[0].outcome;
  CHECK(o.treated == treated);
  CHECK(o.treated_converted == treated_converted);
  CHECK(o.holdout == holdout);
  CHECK(o.holdout_converted == holdout_converted);
  REQUIRE(o.lift.has_value());
  CHECK(*o.lift == Approx(*o.treated_rate - *o.holdout_rate));
  CHECK(*o.lift_low < *o.lift);
  CHECK(*o.lift < *o.lift_high);
  // No holdout for the service rule: no comparison.
  CHECK(r.rules[1].outcome.holdout == 0);
  CHECK_FALSE(r.rules[1].outcome.lift.has_value());
}

TEST_CASE("the load per staff per day counts every action they take", "[sop]") {
  const Pool pool = brand();
  const BacktestResult r =
      backtest_sop(pool, rules, {.run = {.from = t0, .to = Timestamp{t0.micros + 10 * day}}});
  std::uint64_t total = 0;
  for (const StaffLoad& l : r.load) total += l.actions;
  CHECK(total == r.rules[0].actions + r.rules[1].actions);
  REQUIRE(r.load.size() == 4);  // s1 and s2, on May 1 and May 3
  CHECK(r.load[0].staff == pool.staff().id("s1"));
  CHECK(r.load[0].day == LocalDate{2024, 5, 1});
  CHECK(r.load[1].day == LocalDate{2024, 5, 3});
  CHECK(r.load[1].actions == 20);  // the nudge reaches all 20 of s1's customers
}

// A backtest counts as the guards decide, without keeping the actions; `run_sop` keeps them.
// Both must tell the same story: per rule the entries, actions, customers, suppressions by
// guard and holdout entries, and the load per staff member and day, with persons judged
// one at a time and, with a staff limit, in one sequence.
TEST_CASE("a backtest counts what run_sop lists", "[sop]") {
  const Pool pool = testing::sample_pool(2'000);
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const SopQuery period{.from = zone.add_days(last, -90), .to = zone.add_days(last, -30)};
  for (const std::string staff_limit : {"", R"("per_staff_day": 12, )"}) {
    const RuleSet set = compile_rules(R"({
      "guards": {)" + staff_limit + R"("per_customer_day": 2, "per_customer_week": 3,
                 "quiet_hours": {"from": "22:00", "to": "08:00"}, "holdout_percent": 10,
                 "wecom": {"mass_messages": "per_day", "welcome": true}},
      "rules": [
        {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
         "reentry": "every_time", "actions": [{"kind": "send_message", "text": "hi"}]},
        {"key": "nudge", "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
         "audience": "orders = 0", "exit": ["order_paid"],
         "actions": [{"kind": "send_material", "target": "article-brew"}]},
        {"key": "reply", "trigger": {"event": "message_in", "delay": "1d", "at": "23:00"},
         "reentry": {"every_days": 3},
         "actions": [{"kind": "send_message", "text": "hi"}, {"kind": "create_task", "text": "call"}]},
        {"key": "weekly", "trigger": {"every": "week", "day": 5, "at": "19:00"},
         "audience": "recent_orders >= 1", "reentry": "every_time",
         "actions": [{"kind": "send_message", "text": "new tea"}]}
      ]})");
    const SopResult listed = run_sop(pool, set, period);
    const BacktestResult counted = backtest_sop(pool, set, BacktestQuery{.run = period});
    REQUIRE(listed.actions.size() > 500);

    std::map<std::string, std::set<std::tuple<CustomerId, Timestamp, std::optional<std::uint64_t>>>>
        entries;
    std::map<std::string, std::uint64_t> actions;
    std::map<std::string, std::set<CustomerId>> customers;
    std::map<std::pair<StaffId, LocalDate>, std::uint64_t> load;
    for (const Action& a : listed.actions) {
      entries[a.rule].emplace(a.customer, a.due, a.trigger_event);
      ++actions[a.rule];
      customers[a.rule].insert(a.customer);
      if (a.staff.has_value()) ++load[{a.staff, zone.local_date(a.due)}];
    }
    std::map<std::string, std::map<std::string, std::uint64_t>> suppressed;
    for (const SuppressedAction& s : listed.suppressed) ++suppressed[s.rule][s.guard];
    std::size_t guards_seen = 0;
    for (const RuleBacktest& rule : counted.rules) {
      INFO(rule.rule);
      CHECK(rule.due == entries[rule.rule].size());
      CHECK(rule.actions == actions[rule.rule]);
      CHECK(rule.customers == customers[rule.rule].size());
      const std::map<std::string, std::uint64_t>& stops = suppressed[rule.rule];
      CHECK(rule.suppressed == stops);
      CHECK(rule.outcome.treated == rule.due);
      const auto held = stops.find("holdout");
      CHECK(rule.outcome.holdout == (held == stops.end() ? 0 : held->second));
      guards_seen += rule.suppressed.size();
    }
    CHECK(guards_seen >= 8);
    std::map<std::pair<StaffId, LocalDate>, std::uint64_t> counted_load;
    for (const StaffLoad& l : counted.load) counted_load[{l.staff, l.day}] = l.actions;
    CHECK(counted_load == load);
  }
}

TEST_CASE("the lift's interval is Newcombe's hybrid score interval", "[sop]") {
  // 30 customers in a 50% holdout, none converting: the interval stays open on both sides,
  // where a Wald interval would collapse to 0 to 0.
  std::vector<Event> events;
  for (int c = 0; c < 30; ++c) {
    events.push_back(Event{.id = "a" + std::to_string(c),
                           .ts = t0,
                           .customer = "c" + std::to_string(c),
                           .type = EventType::friend_added});
  }
  Pool pool;
  REQUIRE(pool.add_events(events).rejected == 0);
  pool.commit();
  const RuleSet half = compile_rules(R"({"guards": {"holdout_percent": 50}, "rules": [
    {"key": "promo", "trigger": {"event": "friend_added"},
     "actions": [{"kind": "send_message", "text": "hi"}]}]})");
  const OutcomeComparison o =
      backtest_sop(pool, half, {.run = {.from = t0, .to = Timestamp{t0.micros + day}}})
          .rules[0]
          .outcome;
  REQUIRE(o.lift.has_value());
  CHECK(*o.lift == 0.0);
  // Wilson upper bounds of 0 of n: z^2 / (n + z^2).
  const double z2 = 1.959963984540054 * 1.959963984540054;
  const auto upper = [&](std::uint64_t n) { return z2 / (static_cast<double>(n) + z2); };
  CHECK(*o.lift_low == Approx(-upper(o.holdout)));
  CHECK(*o.lift_high == Approx(upper(o.treated)));
}

}  // namespace siyu

#include "siyu/sop/engine.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/tiers/tier_engine.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

constexpr std::int64_t hour = 3'600'000'000;
constexpr std::int64_t day = 24 * hour;
const Timestamp t0 = parse_timestamp("2024-05-01T10:00:00+08:00");  // a Wednesday

Timestamp at(const std::string& text) { return parse_timestamp(text); }

class Log {
 public:
  Log& add(const std::string& customer, EventType type, std::int64_t micros,
           const std::string& ref = {}, const std::string& staff = "s1",
           const std::string& product = {}) {
    Event e{.id = "e" + std::to_string(events_.size()),
            .ts = Timestamp{t0.micros + micros},
            .customer = customer,
            .type = type,
            .staff = staff,
            .product = product,
            .ref = ref};
    if (type == EventType::order_paid) e.amount = parse_money("99");
    if (type == EventType::order_paid && ref.empty()) e.ref = "o" + std::to_string(events_.size());
    events_.push_back(std::move(e));
    return *this;
  }
  Pool pool(const std::vector<std::string>& opted_out = {}) const {
    Pool pool;
    pool.staff().upsert(Staff{.key = "s1", .name = "小王"});
    pool.staff().upsert(Staff{.key = "s2", .name = "小李"});
    pool.products().upsert(Product{.key = "tea", .name = "龙井"});
    pool.materials().upsert(Material{.key = "m1", .title = "冲泡指南"});
    for (const std::string& key : opted_out) {
      pool.customers().upsert(Customer{.key = key, .marketing_opt_out = true});
    }
    REQUIRE(pool.add_events(events_).rejected == 0);
    pool.commit();
    return pool;
  }

 private:
  std::vector<Event> events_;
};

SopResult run(const Pool& pool, const std::string& rules, Timestamp from, Timestamp to) {
  return run_sop(pool, compile_rules(rules), SopQuery{.from = from, .to = to});
}

std::string rule(const std::string& key, const std::string& trigger, const std::string& extra = {},
                 const std::string& action =
                     R"({"kind": "send_message", "text": "hi {customer} from {staff}"})") {
  return R"({"key": ")" + key + R"(", "trigger": )" + trigger + R"(, "actions": [)" + action + "]" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

std::string rules(const std::vector<std::string>& list, const std::string& guards = {}) {
  std::string out = "{";
  if (!guards.empty()) out += R"("guards": )" + guards + ", ";
  out += R"("rules": [)";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i > 0 ? ", " : "") + list[i];
  return out + "]}";
}

std::vector<std::string> keys(const Pool& pool, const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const Action& a : actions) out.push_back(pool.customers()[a.customer].key);
  return out;
}

}  // namespace

TEST_CASE("an event trigger is due at once or after its delay at a local time", "[sop]") {
  const Pool pool = Log().add("a", EventType::friend_added, 0).pool();
  const SopResult now = run(pool, rules({rule("welcome", R"({"event": "friend_added"})")}), t0,
                            Timestamp{t0.micros + day});
  REQUIRE(now.actions.size() == 1);
  const Action& a = now.actions[0];
  CHECK(a.rule == "welcome");
  CHECK(a.kind == ActionKind::send_message);
  CHECK(a.due == t0);
  CHECK(a.text == "hi a from 小王");
  CHECK(a.staff == pool.staff().id("s1"));
  CHECK(a.trigger_event == 0u);
  // Day 3 at 20:00, local: 2024-05-04T20:00+08:00.
  const SopResult later =
      run(pool, rules({rule("day3", R"({"event": "friend_added", "delay": "3d", "at": "20:00"})")}),
          t0, Timestamp{t0.micros + 10 * day});
  REQUIRE(later.actions.size() == 1);
  CHECK(later.actions[0].due == at("2024-05-04T20:00:00+08:00"));
  // Outside the period: nothing due.
  CHECK(run(pool, rules({rule("day3", R"({"event": "friend_added", "delay": "3d"})")}), t0,
            Timestamp{t0.micros + 2 * day})
            .actions.empty());
}

TEST_CASE("a period holds the actions due at its first and last instant, and no others", "[sop]") {
  // Added at 23:59:59 local and at 00:00 the next day: day 3 at 20:00 is a day apart.
  const Pool pool = Log()
                        .add("late", EventType::friend_added, 14 * hour - 1'000'000)
                        .add("early", EventType::friend_added, 14 * hour)
                        .pool();
  const std::string day3 =
      rules({rule("day3", R"({"event": "friend_added", "delay": "3d", "at": "20:00"})"),
             rule("in2h", R"({"event": "friend_added", "delay": "2h"})")});
  const Timestamp late_due = at("2024-05-04T20:00:00+08:00");
  const Timestamp early_due = at("2024-05-05T20:00:00+08:00");
  const auto due_in = [&](Timestamp from, Timestamp to) {
    std::vector<std::string> out;
    for (const Action& a : run(pool, day3, from, to).actions)
      out.push_back(a.rule + " " + pool.customers()[a.customer].key);
    return out;
  };
  using List = std::vector<std::string>;
  CHECK(due_in(late_due, late_due) == List{"day3 late"});
  CHECK(due_in(early_due, early_due) == List{"day3 early"});
  CHECK(due_in(Timestamp{late_due.micros + 1}, Timestamp{early_due.micros - 1}).empty());
  CHECK(due_in(late_due, early_due) == List{"day3 late", "day3 early"});
  // Two hours after each add: 01:59:59 and 02:00 local.
  const Timestamp first = Timestamp{t0.micros + 16 * hour - 1'000'000};
  CHECK(due_in(first, first) == List{"in2h late"});
  CHECK(due_in(Timestamp{first.micros + 1}, Timestamp{first.micros + 1'000'000}) ==
        List{"in2h early"});
}

TEST_CASE("an exit event between trigger and due cancels the action", "[sop]") {
  const Pool pool = Log()
                        .add("a", EventType::friend_added, 0)
                        .add("a", EventType::order_paid, day)
                        .add("b", EventType::friend_added, 0)
                        .add("b", EventType::order_paid, 4 * day)
                        .pool();
  const SopResult r = run(pool,
                          rules({rule("day3", R"({"event": "friend_added", "delay": "3d"})",
                                      R"("exit": ["order_paid"])")}),
                          t0, Timestamp{t0.micros + 10 * day});
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"b"});  // b paid after the due time
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0].guard == "exit");
  CHECK(pool.customers()[r.suppressed[0].customer].key == "a");
}

TEST_CASE("re-entry: once, every time, or once per period", "[sop]") {
  Log log;
  for (int d : {0, 10, 40}) log.add("a", EventType::order_paid, d * day, {}, "s1", "tea");
  const Pool pool = log.pool();
  const auto count = [&](const std::string& reentry) {
    return run(
        pool,
        rules({rule("repeat", R"({"event": "order_paid[product=tea]"})", R"("reentry": )" + reentry,
                    R"({"kind": "create_task", "text": "follow up on {product}"})")}),
        t0, Timestamp{t0.micros + 50 * day});
  };
  CHECK(count(R"("once")").actions.size() == 1);
  CHECK(count(R"("every_time")").actions.size() == 3);
  const SopResult monthly = count(R"({"every_days": 30})");
  CHECK(monthly.actions.size() == 2);  // day 10 is within 30 days of day 0
  CHECK(monthly.actions[0].text == "follow up on 龙井");
  REQUIRE(monthly.suppressed.size() == 1);
  CHECK(monthly.suppressed[0].guard == "reentry");
  CHECK(monthly.suppressed[0].reason == "entered 10 days before; once per 30 days");
}

TEST_CASE("consent: marketing skips opted-out customers, service does not", "[sop]") {
  const Pool pool =
      Log().add("a", EventType::friend_added, 0).add("b", EventType::friend_added, 0).pool({"b"});
  const std::string trigger = R"({"event": "friend_added"})";
  const SopResult marketing =
      run(pool, rules({rule("promo", trigger)}), t0, Timestamp{t0.micros + day});
  CHECK(keys(pool, marketing.actions) == std::vector<std::string>{"a"});
  CHECK(marketing.suppressed.at(0).guard == "consent");
  const SopResult service = run(pool, rules({rule("welcome", trigger, R"("marketing": false)")}),
                                t0, Timestamp{t0.micros + day});
  // b is the directory's first customer, so its id (and its action) comes first.
  CHECK(keys(pool, service.actions) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("quiet hours across midnight hold actions to the morning or drop them", "[sop]") {
  // Added at 23:30 local: in the quiet hours 22:00-08:00.
  const Pool pool = Log().add("a", EventType::friend_added, 13 * hour + 30 * 60'000'000LL).pool();
  const std::string guards = R"({"quiet_hours": {"from": "22:00", "to": "08:00"}})";
  const SopResult held = run(pool, rules({rule("promo", R"({"event": "friend_added"})")}, guards),
                             t0, Timestamp{t0.micros + 2 * day});
  REQUIRE(held.actions.size() == 1);
  CHECK(held.actions[0].due == at("2024-05-02T08:00:00+08:00"));
  CHECK(held.actions[0].guards == std::vector<std::string>{"reentry", "consent", "quiet_hours"});
  const SopResult dropped = run(
      pool,
      rules({rule("promo", R"({"event": "friend_added"})", R"("quiet_hours": "drop")")}, guards),
      t0, Timestamp{t0.micros + 2 * day});
  CHECK(dropped.actions.empty());
  CHECK(dropped.suppressed.at(0).guard == "quiet_hours");
  // Staff notices are not held: only what reaches the customer is.
  const SopResult notice =
      run(pool,
          rules({rule("tell", R"({"event": "friend_added"})", {},
                      R"({"kind": "notify_staff", "text": "new friend {customer}"})")},
                guards),
          t0, Timestamp{t0.micros + 2 * day});
  CHECK(notice.actions.at(0).due == at("2024-05-01T23:30:00+08:00"));
}

TEST_CASE("frequency caps count actions per local day, week and month", "[sop]") {
  // Orders on Apr 29 (Mon), Apr 30 (Tue) and May 1 (Wed), each triggering a message.
  Log log;
  for (int d : {-2, -1, 0}) log.add("a", EventType::order_paid, d * day);
  const Pool pool = log.pool();
  const std::string promo =
      rule("thanks", R"({"event": "order_paid"})", R"("reentry": "every_time")");
  const auto sent = [&](const std::string& guards) {
    return run(pool, rules({promo}, guards), Timestamp{t0.micros - 3 * day},
               Timestamp{t0.micros + day})
        .actions.size();
  };
  CHECK(sent("{}") == 3);
  CHECK(sent(R"({"per_customer_day": 1})") == 3);
  CHECK(sent(R"({"per_customer_week": 2})") == 2);
  // April holds two, May one: the month cap resets at the month's end.
  CHECK(sent(R"({"per_customer_month": 1})") == 2);
  const SopResult capped = run(pool, rules({promo}, R"({"per_customer_week": 2})"),
                               Timestamp{t0.micros - 3 * day}, Timestamp{t0.micros + day});
  CHECK(capped.suppressed.at(0).guard == "per_customer_week");
  CHECK(capped.suppressed.at(0).reason == "2 actions already reach the customer, cap 2");
}

TEST_CASE("a staff member's daily limit holds across rules", "[sop]") {
  Log log;
  for (const char* c : {"a", "b", "c"}) log.add(c, EventType::friend_added, 0);
  const Pool pool = log.pool();
  const SopResult r =
      run(pool, rules({rule("welcome", R"({"event": "friend_added"})")}, R"({"per_staff_day": 2})"),
          t0, Timestamp{t0.micros + day});
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a", "b"});
  CHECK(r.suppressed.at(0).guard == "per_staff_day");
  CHECK(r.suppressed.at(0).reason == "staff s1 reached 2 actions for the day");
}

TEST_CASE("an engine carries a staff member's day into the next period of that day", "[sop]") {
  Log log;
  log.add("a", EventType::friend_added, 0).add("b", EventType::friend_added, hour);
  log.add("c", EventType::friend_added, 2 * hour).add("d", EventType::friend_added, day);
  const Pool pool = log.pool();
  SopEngine engine(compile_rules(
      rules({rule("welcome", R"({"event": "friend_added"})")}, R"({"per_staff_day": 2})")));
  // a before the first period's end, b and c after it on the same local day, d the next day.
  const auto due = [&](std::int64_t from, std::int64_t to) {
    return keys(pool, engine
                          .run(pool, SopQuery{.from = Timestamp{t0.micros + from},
                                              .to = Timestamp{t0.micros + to}})
                          .actions);
  };
  CHECK(due(-hour, hour / 2) == std::vector<std::string>{"a"});
  CHECK(due(hour / 2 + 1, day - 1) == std::vector<std::string>{"b"});
  CHECK(due(day, 2 * day) == std::vector<std::string>{"d"});
}

TEST_CASE("the holdout keeps the same share of customers out on every run", "[sop]") {
  Log log;
  for (int c = 0; c < 400; ++c) log.add("c" + std::to_string(c), EventType::friend_added, 0);
  const Pool pool = log.pool();
  const std::string set = rules({rule("promo", R"({"event": "friend_added"})")},
                                R"({"holdout_percent": 20, "holdout_salt": "spring"})");
  const SopResult first = run(pool, set, t0, Timestamp{t0.micros + day});
  const SopResult second = run(pool, set, t0, Timestamp{t0.micros + day});
  CHECK(first.actions == second.actions);
  CHECK(first.suppressed == second.suppressed);
  CHECK(first.suppressed.size() > 50);  // about 80 of 400
  CHECK(first.suppressed.size() < 110);
  CHECK(first.suppressed.size() + first.actions.size() == 400);
  // Service rules ignore the holdout.
  const SopResult service =
      run(pool,
          rules({rule("welcome", R"({"event": "friend_added"})", R"("marketing": false)")},
                R"({"holdout_percent": 20})"),
          t0, Timestamp{t0.micros + day});
  CHECK(service.actions.size() == 400);
}

TEST_CASE("WeCom's mass-message limit: days in the month, or 7 a week, or 1 a day", "[sop]") {
  // 30 orders across February 2024 (29 days), 23 hours apart.
  Log log;
  const std::int64_t feb1 = parse_timestamp("2024-02-01T00:30:00+08:00").micros - t0.micros;
  for (int i = 0; i < 30; ++i) log.add("a", EventType::order_paid, feb1 + i * 23 * hour);
  const Pool pool = log.pool();
  const Timestamp from = parse_timestamp("2024-02-01T00:00:00+08:00");
  const Timestamp to = parse_timestamp("2024-03-01T00:00:00+08:00");
  const auto sent = [&](const std::string& limit, const std::string& extra = {}) {
    return run(
        pool,
        rules({rule("thanks", R"({"event": "order_paid"})", R"("reentry": "every_time")" + extra)},
              R"({"wecom": {"mass_messages": ")" + limit + R"("}})"),
        from, to);
  };
  const SopResult month = sent("per_month");
  CHECK(month.actions.size() == 29);
  CHECK(month.suppressed.at(0).guard == "wecom_mass_messages");
  CHECK(month.suppressed.at(0).reason ==
        "29 mass messages already reach the customer this period; WeCom allows 29");
  // 23 hours apart, two orders share Feb 1 (00:30, 23:30) and two share Feb 24.
  CHECK(sent("per_day").actions.size() == 28);
  CHECK(sent("per_week").actions.size() == 29);
  // Service messages are not mass messages.
  CHECK(sent("per_day", R"(, "marketing": false)").suppressed.empty());
}

TEST_CASE("WeCom's welcome goes out within 20 s of the add, once per add", "[sop]") {
  const Pool pool = Log()
                        .add("a", EventType::friend_added, 0)
                        .add("b", EventType::friend_added, 13 * hour + 30 * 60'000'000LL)
                        .pool();
  const std::string hi = rule("hi", R"({"event": "friend_added"})", R"("marketing": false)");
  const std::string hello = rule("hello", R"({"event": "friend_added"})", R"("marketing": false)");
  const SopResult r = run(pool,
                          rules({hi, hello},
                                R"({"quiet_hours": {"from": "22:00", "to": "08:00"},
                                    "wecom": {"welcome": true}})"),
                          t0, Timestamp{t0.micros + day});
  // a: "hi" goes out, "hello" would be a second welcome; b added at 23:30 in quiet hours:
  // a hold to 08:00 would miss the 20 s window.
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].rule == "hi");
  CHECK(r.actions[0].guards.back() == "wecom_welcome");
  std::vector<std::string> reasons;
  for (const SuppressedAction& s : r.suppressed) reasons.push_back(s.guard + ": " + s.reason);
  CHECK(reasons ==
        std::vector<std::string>{
            "wecom_welcome: the add was already welcomed; WeCom sends one welcome per add",
            "wecom_welcome: a welcome message must go out within 20 s of the add",
            "wecom_welcome: a welcome message must go out within 20 s of the add"});
}

TEST_CASE("WeCom's staff reminders: at most 3 per staff member in 24 hours", "[sop]") {
  Log log;
  for (int c = 0; c < 5; ++c) log.add("c" + std::to_string(c), EventType::friend_added, c * hour);
  log.add("late", EventType::friend_added, 25 * hour);
  const Pool pool = log.pool();
  const SopResult r =
      run(pool,
          rules({rule("tell", R"({"event": "friend_added"})", {},
                      R"({"kind": "notify_staff", "text": "new friend {customer}"})")},
                R"({"wecom": {"staff_reminders": true}})"),
          t0, Timestamp{t0.micros + 2 * day});
  // c0-c2 (hours 0-2) pass and c3, c4 are stopped; at hour 25 the 24 hours hold only c2's
  // reminder, so "late" passes: the window rolls.
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"c0", "c1", "c2", "late"});
  REQUIRE(r.suppressed.size() == 2);
  CHECK(r.suppressed[0].reason == "staff s1 already has 3 reminders in 24 hours");
}

TEST_CASE("a reminder a later guard stops does not count toward WeCom's 3 in 24 hours", "[sop]") {
  Log log;
  // Day one from 10:00 local: a, b, c an hour apart; day two at 11:00, 11:20, 11:40: d, e, f.
  for (const auto& [key, at] :
       std::vector<std::pair<std::string, std::int64_t>>{{"a", 0},
                                                         {"b", hour},
                                                         {"c", 2 * hour},
                                                         {"d", 25 * hour},
                                                         {"e", 25 * hour + hour / 3},
                                                         {"f", 25 * hour + 2 * hour / 3}})
    log.add(key, EventType::friend_added, at);
  const Pool pool = log.pool();
  const SopResult r =
      run(pool,
          rules({rule("tell", R"({"event": "friend_added"})", {},
                      R"({"kind": "notify_staff", "text": "new friend {customer}"})")},
                R"({"per_staff_day": 2, "wecom": {"staff_reminders": true}})"),
          t0, Timestamp{t0.micros + 2 * day});
  // c and f pass the reminders guard and are stopped by the day's limit. c is no reminder:
  // at f the 24 hours (after 11:40 on day one) hold d's and e's only, so f too passes
  // the reminders guard.
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a", "b", "d", "e"});
  REQUIRE(r.suppressed.size() == 2);
  CHECK(r.suppressed[0].guard == "per_staff_day");
  CHECK(r.suppressed[1].guard == "per_staff_day");
}

TEST_CASE("WeCom's transfers: a customer handed over at most twice in 90 days", "[sop]") {
  Log log;
  for (int k = 1; k <= 3; ++k) log.add("a", EventType::message_in, k * day);
  Pool pool = log.pool();
  const std::string handover = rules({rule("handover", R"({"event": "message_in"})",
                                           R"("reentry": "every_time", "marketing": false)",
                                           R"({"kind": "transfer_customer", "target": "s2"})")},
                                     R"({"wecom": {"transfers": true}})");
  const Timestamp to{t0.micros + 10 * day};
  // This run's own transfers count: the third is stopped.
  const SopResult own = run(pool, handover, t0, to);
  REQUIRE(own.actions.size() == 2);
  CHECK(own.actions[0].kind == ActionKind::transfer_customer);
  CHECK(own.actions[0].target == "s2");
  REQUIRE(own.suppressed.size() == 1);
  CHECK(own.suppressed[0].guard == "wecom_transfers");
  CHECK(own.suppressed[0].reason == "transferred 2 times in the last 90 days; WeCom allows 2");

  // A transfer the host recorded 30 days before counts too; one from 100 days before does not.
  Customer a = pool.customers()[*pool.customers().find("a")];
  a.owner_history.push_back(
      OwnerChange{.at = Timestamp{t0.micros - 100 * day}, .reason = "transfer"});
  a.owner_history.push_back(
      OwnerChange{.at = Timestamp{t0.micros - 30 * day}, .reason = "transfer"});
  a.owner_history.push_back(
      OwnerChange{.at = Timestamp{t0.micros - 20 * day}, .reason = "resigned"});
  pool.customers().upsert(a);
  CHECK(run(pool, handover, t0, to).actions.size() == 1);
  // A long-running engine remembers its own transfers for 90 days across daily runs.
  {
    Log spaced;
    for (const int d : {0, 1, 85}) spaced.add("a", EventType::message_in, d * day);
    const Pool later = spaced.pool();
    SopEngine engine(compile_rules(handover));
    std::size_t done = 0;
    std::vector<std::string> guards;
    for (int d = 0; d < 90; ++d) {
      const SopResult part =
          engine.run(later, SopQuery{.from = Timestamp{t0.micros + d * day},
                                     .to = Timestamp{t0.micros + (d + 1) * day - 1}});
      done += part.actions.size();
      for (const SuppressedAction& s : part.suppressed) guards.push_back(s.guard);
    }
    CHECK(done == 2);
    CHECK(guards == std::vector<std::string>{"wecom_transfers"});
  }
  // Switched off, nothing is counted.
  CHECK(run(pool,
            rules({rule("handover", R"({"event": "message_in"})",
                        R"("reentry": "every_time", "marketing": false)",
                        R"({"kind": "transfer_customer", "target": "s2"})")}),
            t0, to)
            .actions.size() == 3);
}

TEST_CASE("a held-out customer enters the rule, so re-entry treats both arms alike", "[sop]") {
  Log log;
  for (int c = 0; c < 40; ++c) log.add("c" + std::to_string(c), EventType::friend_added, 0);
  const Pool pool = log.pool();
  // Fridays May 3 and May 10; once per customer.
  const SopResult r = run(pool,
                          rules({rule("weekly", R"({"every": "week", "day": 5, "at": "19:00"})")},
                                R"({"holdout_percent": 50})"),
                          t0, Timestamp{t0.micros + 10 * day});
  std::size_t held = 0;
  std::size_t reentries = 0;
  for (const SuppressedAction& s : r.suppressed) {
    held += s.guard == "holdout" ? 1U : 0U;
    reentries += s.guard == "reentry" ? 1U : 0U;
  }
  CHECK(held + r.actions.size() == 40);  // each customer once, in one arm or the other
  CHECK(reentries == 40);                // everyone is stopped on the second Friday
}

TEST_CASE("audiences judge each customer at the start of the due's day", "[sop]") {
  const Pool pool = Log()
                        .add("a", EventType::friend_added, 0)
                        .add("b", EventType::friend_added, 0)
                        .add("b", EventType::order_paid, day)
                        .add("c", EventType::friend_added, 2 * day)
                        .pool();
  const SopResult r = run(pool,
                          rules({rule("nudge", R"({"event": "friend_added", "delay": "2d"})",
                                      R"("audience": "orders = 0")")}),
                          t0, Timestamp{t0.micros + 10 * day});
  // a and c have not ordered; b ordered before the day its action was due.
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a", "c"});
  CHECK(r.suppressed.at(0).guard == "audience");
}

TEST_CASE("an alert triggers a rule when it falls due, for the staff it names", "[sop]") {
  const Pool pool = Log()
                        .add("a", EventType::friend_added, 0, {}, "s2")
                        .add("a", EventType::friend_deleted, 2 * hour, {}, "s2")
                        .add("b", EventType::friend_added, 0)
                        .pool();
  const std::string winback =
      rule("winback", R"({"alert": "churn", "delay": "1d", "at": "10:00"})",
           R"("marketing": false)", R"({"kind": "create_task", "text": "win back {customer}"})");
  const SopResult r = run(pool, rules({winback}), t0, Timestamp{t0.micros + 5 * day});
  REQUIRE(r.actions.size() == 1);
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a"});
  CHECK(r.actions[0].due == at("2024-05-02T10:00:00+08:00"));
  CHECK(r.actions[0].staff == pool.staff().id("s2"));
  CHECK(r.actions[0].text == "win back a");
  REQUIRE(r.actions[0].trigger_event.has_value());
  CHECK(*r.actions[0].trigger_event == 1);

  // The digest delivers the alert the next morning; the rule follows the alert's due time.
  AlertPolicy digest;
  digest.churn.digest_minute = 8 * 60;
  const SopResult later =
      run_sop(pool, compile_rules(rules({rule("now", R"({"alert": "churn"})")})),
              SopQuery{.from = t0, .to = Timestamp{t0.micros + 5 * day}, .alert_policy = &digest});
  REQUIRE(later.actions.size() == 1);
  CHECK(later.actions[0].due == at("2024-05-02T08:00:00+08:00"));
}

TEST_CASE("entering and leaving an audience trigger at the start of the next local day", "[sop]") {
  const Pool pool = Log()
                        .add("a", EventType::friend_added, 0)
                        .add("a", EventType::message_in, 2 * day)  // May 3, 10:00
                        .add("b", EventType::friend_added, 0)
                        .pool();
  const std::string enter = rule("enter", R"x({"enter": "count(message_in, 2d) >= 1"})x");
  const std::string leave = rule("leave", R"x({"leave": "count(message_in, 2d) >= 1"})x");
  const SopResult r = run(pool, rules({enter, leave}), t0, Timestamp{t0.micros + 10 * day});
  REQUIRE(r.actions.size() == 2);
  CHECK(r.actions[0].rule == "enter");
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a", "a"});
  // Judged at day starts: in on May 4 00:00, out once the message is 2 days old (May 6).
  CHECK(r.actions[0].due == at("2024-05-04T00:00:00+08:00"));
  CHECK(r.actions[1].rule == "leave");
  CHECK(r.actions[1].due == at("2024-05-06T00:00:00+08:00"));
}

TEST_CASE("moves into and out of a layer trigger at the rebalance", "[sop]") {
  Log log;
  log.add("a", EventType::friend_added, 0);
  std::vector<Event> orders;
  for (int k = 0; k < 3; ++k) {
    orders.push_back(Event{.id = "big" + std::to_string(k),
                           .ts = Timestamp{t0.micros + (k + 1) * hour},
                           .customer = "a",
                           .type = EventType::order_paid,
                           .staff = "s1",
                           .amount = parse_money("500"),
                           .ref = "big-order-" + std::to_string(k)});
  }
  Pool pool = log.pool();
  REQUIRE(pool.add_events(orders).rejected == 0);
  pool.commit();
  const TierEngine tiers =
      replay_tiers(pool, TierPolicy::defaults(), Timestamp{t0.micros + 200 * day});
  REQUIRE_FALSE(tiers.history().empty());
  const TierMove& in = tiers.history().front();
  CHECK(in.to == static_cast<std::uint32_t>(Layer::core));

  const std::string welcome = rule("core_welcome", R"({"enter_layer": "core", "at": "10:00"})");
  const std::string farewell = rule("core_farewell", R"({"leave_layer": "core"})");
  const SopResult r =
      run_sop(pool, compile_rules(rules({welcome, farewell})),
              SopQuery{.from = t0, .to = Timestamp{t0.micros + 200 * day}, .tiers = &tiers});
  REQUIRE(r.actions.size() == 2);
  CHECK(r.actions[0].rule == "core_welcome");
  CHECK(r.actions[0].due.micros == in.at.micros + 10 * hour);
  CHECK(r.actions[1].rule == "core_farewell");
  CHECK(r.actions[1].due == tiers.history()[1].at);

  // Without the engine, or with a level the ladder lacks, the rule cannot run.
  CHECK_THROWS_AS(run(pool, rules({welcome}), t0, Timestamp{t0.micros + day}), ConfigError);
  CHECK_THROWS_WITH(
      run_sop(pool, compile_rules(rules({rule("gold", R"({"enter_level": "gold"})")})),
              SopQuery{.from = t0, .to = Timestamp{t0.micros + day}, .tiers = &tiers}),
      Catch::Contains("record gold, field trigger.enter_level"));
}

TEST_CASE("a weekly schedule reaches everyone seen by its day, at its local time", "[sop]") {
  const Pool pool =
      Log().add("a", EventType::friend_added, 0).add("b", EventType::friend_added, 3 * day).pool();
  // Fridays at 19:00: May 3 (a only: b arrives May 4) and May 10 (both).
  const SopResult r = run(pool,
                          rules({rule("weekly", R"({"every": "week", "day": 5, "at": "19:00"})",
                                      R"("reentry": "every_time")")}),
                          t0, Timestamp{t0.micros + 10 * day});
  REQUIRE(r.actions.size() == 3);
  CHECK(r.actions[0].due == at("2024-05-03T19:00:00+08:00"));
  CHECK(keys(pool, r.actions) == std::vector<std::string>{"a", "a", "b"});
  CHECK_FALSE(r.actions[0].trigger_event.has_value());
}

TEST_CASE("priority orders actions that compete for a cap", "[sop]") {
  const Pool pool = Log().add("a", EventType::friend_added, 0).pool();
  const std::string low = rule("low", R"({"event": "friend_added"})", R"("priority": 1)");
  const std::string high = rule("high", R"({"event": "friend_added"})", R"("priority": 5)",
                                R"({"kind": "send_material", "target": "m1"})");
  const SopResult r =
      run(pool, rules({low, high}, R"({"per_customer_day": 1})"), t0, Timestamp{t0.micros + day});
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].rule == "high");
  CHECK(r.suppressed.at(0).rule == "low");
}

TEST_CASE("keys the pool lacks are refused with the rule named", "[sop]") {
  const Pool pool = Log().add("a", EventType::friend_added, 0).pool();
  CHECK_THROWS_WITH(run(pool, rules({rule("x", R"({"event": "friend_added[staff=s9]"})")}), t0,
                        Timestamp{t0.micros + day}),
                    Catch::Contains("record x"));
  CHECK_THROWS_WITH(run(pool,
                        rules({rule("x", R"({"event": "friend_added"})", {},
                                    R"({"kind": "send_material", "target": "m9"})")}),
                        t0, Timestamp{t0.micros + day}),
                    Catch::Contains("record x, field actions[0].target") &&
                        Catch::Contains("no material has the key \"m9\""));
  CHECK_THROWS_AS(
      run(pool, rules({rule("x", R"({"event": "friend_added"})", R"x("audience": "tag(vip)")x")}),
          t0, Timestamp{t0.micros + day}),
      NotFound);
}

}  // namespace siyu

namespace siyu {

// An onboarding pair over the sample pool: a welcome on the add, and a nudge three days
// later for those who have not ordered.
constexpr std::string_view onboarding = R"(
      {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
       "actions": [{"kind": "send_message", "text": "hi {customer}"}]},
      {"key": "nudge", "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
       "audience": "orders = 0", "exit": ["order_paid"],
       "actions": [{"kind": "send_material", "target": "article-brew"}]},)";

// A thank-you after each order, at most weekly; and a handover to another staff member on
// each message, which WeCom's transfer limit stops.
constexpr std::string_view thanks = R"(
      {"key": "thanks", "trigger": {"event": "order_paid", "delay": "2h"},
       "reentry": {"every_days": 7}, "actions": [{"kind": "send_message", "text": "thanks"}]},)";
constexpr std::string_view handover = R"(
      {"key": "handover", "marketing": false, "trigger": {"event": "message_in"},
       "reentry": "every_time",
       "actions": [{"kind": "transfer_customer", "target": "ops-community"}]})";

using Tally = std::map<std::pair<std::string, std::string>, std::uint64_t>;

// Suppressions by rule and guard, added to `into`.
void add_counts(const std::vector<SuppressionCount>& counts, Tally& into) {
  for (const SuppressionCount& c : counts) into[{c.rule, c.guard}] += c.count;
}

// The onboarding pair, the thank-you and the handover under caps, a staff limit, quiet
// hours, a holdout and WeCom's mass-message and transfer limits.
RuleSet guarded() {
  return compile_rules(R"({
    "guards": {"per_customer_day": 1, "per_customer_week": 2, "per_staff_day": 40,
               "quiet_hours": {"from": "22:00", "to": "08:00"}, "holdout_percent": 10,
               "wecom": {"mass_messages": "per_week", "transfers": true}},
    "rules": [)" + std::string(onboarding) +
                       std::string(thanks) + std::string(handover) + R"(
    ]})");
}

// Runs `rules` over [from, to] in one go and as consecutive periods of `step_days` through
// one engine, checks both give the same, and returns the one run's result.
SopResult run_in_pieces(const Pool& pool, const RuleSet& rules, Timestamp from, Timestamp to,
                        int step_days, SopEngine& engine) {
  const Zone zone = pool.options().zone;
  const SopResult whole = run_sop(pool, rules, SopQuery{.from = from, .to = to});
  SopResult pieces;
  Tally counted;
  for (Timestamp start = from; start <= to;) {
    const Timestamp end = std::min(to, Timestamp{zone.add_days(start, step_days).micros - 1});
    SopResult part = engine.run(pool, SopQuery{.from = start, .to = end});
    pieces.suppressed.insert(pieces.suppressed.end(), part.suppressed.begin(),
                             part.suppressed.end());
    pieces.actions.insert(pieces.actions.end(), part.actions.begin(), part.actions.end());
    add_counts(part.suppression_counts, counted);
    start = Timestamp{end.micros + 1};
  }
  CHECK(engine.last() == to);
  CHECK(pieces.suppressed == whole.suppressed);
  Tally whole_counted;
  add_counts(whole.suppression_counts, whole_counted);
  CHECK(counted == whole_counted);
  // Holds move actions past a period's end, so order them as one run does.
  std::stable_sort(pieces.actions.begin(), pieces.actions.end(),
                   [](const Action& a, const Action& b) { return a.due < b.due; });
  CHECK(pieces.actions == whole.actions);
  return whole;
}

TEST_CASE("the incremental engine over consecutive periods equals one run over their union",
          "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = compile_rules(R"({
    "guards": {"per_customer_day": 1, "per_customer_week": 2, "per_staff_day": 40,
               "quiet_hours": {"from": "22:00", "to": "08:00"}, "holdout_percent": 10},
    "rules": [)" + std::string(onboarding) +
                                      std::string(thanks) + R"(
      {"key": "weekly", "trigger": {"every": "week", "day": 5, "at": "19:00"},
       "audience": "recent_orders >= 1", "reentry": "every_time",
       "actions": [{"kind": "create_task", "text": "call {customer}"}]}
    ]})");
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const Timestamp from = zone.add_days(last, -90);
  const Timestamp to = zone.add_days(last, -30);
  SopEngine engine(rules);
  const SopResult whole = run_in_pieces(pool, rules, from, to, 7, engine);
  REQUIRE(whole.actions.size() > 100);

  // A period that overlaps the last, or runs backwards, is refused.
  CHECK_THROWS_AS(engine.run(pool, SopQuery{.from = to, .to = Timestamp{to.micros + 1}}),
                  ConfigError);
  CHECK_THROWS_AS(
      engine.run(pool, SopQuery{.from = Timestamp{to.micros + 10}, .to = Timestamp{to.micros + 5}}),
      ConfigError);
}

// A host that keeps only the numbers asks for counts: the same actions, the suppressions
// counted as a listing run would list them, by rule in rule-set order and guard in check
// order, and from an engine over consecutive periods the same counts summed.
TEST_CASE("a run that only counts suppressions counts what it would list", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = guarded();
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  SopQuery query{.from = zone.add_days(last, -60), .to = zone.add_days(last, -20)};
  const SopResult listed = run_sop(pool, rules, query);
  query.suppressions = Suppressions::count;
  const SopResult counted = run_sop(pool, rules, query);
  CHECK(counted.actions == listed.actions);
  CHECK(counted.suppressed.empty());
  CHECK(counted.suppression_counts == listed.suppression_counts);

  constexpr std::array<std::string_view, 14> check_order = {"audience",
                                                            "exit",
                                                            "reentry",
                                                            "consent",
                                                            "holdout",
                                                            "quiet_hours",
                                                            "per_customer_day",
                                                            "per_customer_week",
                                                            "per_customer_month",
                                                            "wecom_mass_messages",
                                                            "wecom_welcome",
                                                            "wecom_staff_reminders",
                                                            "wecom_transfers",
                                                            "per_staff_day"};
  std::vector<SuppressionCount> expected;
  for (const SopRule& rule : rules.rules) {
    for (const std::string_view guard : check_order) {
      const auto n = std::count_if(
          listed.suppressed.begin(), listed.suppressed.end(),
          [&](const SuppressedAction& s) { return s.rule == rule.key && s.guard == guard; });
      if (n > 0) {
        expected.push_back(SuppressionCount{
            .rule = rule.key, .guard = std::string(guard), .count = static_cast<std::uint64_t>(n)});
      }
    }
  }
  CHECK(listed.suppression_counts == expected);
  REQUIRE(expected.size() >= 6);  // most guards stopped something

  SopEngine engine(rules);
  Tally by_day;
  std::vector<Action> actions;
  for (Timestamp day = query.from; day <= query.to; day = zone.add_days(day, 1)) {
    const SopResult part = engine.run(
        pool, SopQuery{.from = day,
                       .to = std::min(query.to, Timestamp{zone.add_days(day, 1).micros - 1}),
                       .suppressions = Suppressions::count});
    CHECK(part.suppressed.empty());
    add_counts(part.suppression_counts, by_day);
    actions.insert(actions.end(), part.actions.begin(), part.actions.end());
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.due < b.due; });
  CHECK(actions == listed.actions);
  Tally whole;
  add_counts(listed.suppression_counts, whole);
  CHECK(by_day == whole);
}

// An engine's state lives in its process. A host that restarts warms a new engine up with
// one period from the rules' start to the last period run, discarding its actions, and goes
// on from there with the same actions as an engine that never stopped.
TEST_CASE("an engine warmed up over one period goes on as one that ran all along", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = guarded();
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const Timestamp start = zone.add_days(last, -90);
  const Timestamp restart = zone.add_days(last, -40);
  SopEngine running(rules);
  SopEngine warmed(rules);
  (void)warmed.run(pool, SopQuery{.from = start, .to = Timestamp{restart.micros - 1}});
  std::size_t actions = 0;
  for (Timestamp day = start; day < zone.add_days(last, -10); day = zone.add_days(day, 1)) {
    const SopQuery query{.from = day, .to = Timestamp{zone.add_days(day, 1).micros - 1}};
    const SopResult r = running.run(pool, query);
    if (day < restart) continue;
    const SopResult w = warmed.run(pool, query);
    CHECK(w.actions == r.actions);
    CHECK(w.suppressed == r.suppressed);
    actions += r.actions.size();
  }
  CHECK(actions > 100);
  CHECK(warmed.memory() == running.memory());
}

// Triggers that do not come from one event: alerts (judged over the periods' reach), and
// entering or leaving an audience (judged at the start of each local day), split into
// periods of 2 days, which end at local midnight, and of 1 day, which do not.
TEST_CASE("alert and audience triggers give one run's actions over consecutive periods", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = compile_rules(R"({
    "guards": {"per_customer_day": 2, "holdout_percent": 10},
    "rules": [
      {"key": "winback", "trigger": {"alert": "churn", "delay": "1d", "at": "10:00"},
       "reentry": "every_time",
       "actions": [{"kind": "create_task", "text": "win {customer} back"}]},
      {"key": "wake", "trigger": {"alert": "dormant"}, "reentry": "every_time",
       "actions": [{"kind": "send_message", "text": "we miss you"}]},
      {"key": "slow", "marketing": false, "trigger": {"alert": "chat_timeout"},
       "reentry": "every_time", "actions": [{"kind": "notify_staff", "text": "reply"}]},
      {"key": "warm", "trigger": {"enter": "count(message_in, 3d) >= 1", "at": "11:00"},
       "reentry": {"every_days": 5}, "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "cool", "trigger": {"leave": "recent_orders >= 1"}, "reentry": "every_time",
       "actions": [{"kind": "send_message", "text": "new tea"}]}
    ]})");
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const Timestamp from = zone.start_of_day(zone.add_days(last, -80));
  for (const auto& [start, step] :
       {std::pair(from, 2), std::pair(Timestamp{from.micros + 5 * hour}, 1)}) {
    SopEngine engine(rules);
    const SopResult whole =
        run_in_pieces(pool, rules, start, zone.add_days(last, -20), step, engine);
    std::map<std::string, std::size_t> actions;
    for (const Action& a : whole.actions) ++actions[a.rule];
    for (const char* rule : {"winback", "wake", "slow", "warm", "cool"}) {
      INFO(rule);
      CHECK(actions[rule] > 0);
    }
  }
}

// A long-running engine drops before each run what no candidate of it can read: counts of
// periods before it, transfers older than WeCom's 90 days, welcomes of adds more than 20 s
// before it, entries older than a rule's re-entry period, staff loads of days before it and
// reminders more than 24 hours before it. Daily runs, which do not start at local
// midnight, across week and month ends must still judge as one run does.
TEST_CASE("a long-running engine forgets only what no later period reads", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = compile_rules(R"({
    "guards": {"per_customer_week": 3, "per_customer_month": 4, "per_staff_day": 4,
               "wecom": {"mass_messages": "per_day", "transfers": true, "welcome": true,
                         "staff_reminders": true}},
    "rules": [
      {"key": "reply", "trigger": {"event": "message_in", "delay": "1d", "at": "10:00"},
       "reentry": {"every_days": 2}, "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "news", "trigger": {"event": "content_viewed", "at": "18:00"},
       "reentry": {"every_days": 30}, "actions": [{"kind": "send_message", "text": "news"}]},)" +
                                      std::string(handover) + R"(,
      {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "welcome"}]},
      {"key": "welcome-again", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "welcome"}]},
      {"key": "tell", "marketing": false, "trigger": {"event": "message_in"},
       "reentry": "every_time",
       "actions": [{"kind": "notify_staff", "text": "{customer} ordered"}]}
    ]})");
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  SopEngine engine(rules);
  const SopResult whole =
      run_in_pieces(pool, rules, zone.add_days(last, -100), zone.add_days(last, -10), 1, engine);
  std::map<std::string, std::size_t> stopped;
  for (const SuppressedAction& s : whole.suppressed) ++stopped[s.guard];
  CHECK(stopped["per_customer_week"] > 0);
  CHECK(stopped["per_customer_month"] > 0);
  CHECK(stopped["wecom_mass_messages"] > 0);
  CHECK(stopped["wecom_transfers"] > 0);
  CHECK(stopped["wecom_welcome"] > 0);
  CHECK(stopped["wecom_staff_reminders"] > 0);
  CHECK(stopped["per_staff_day"] > 0);
  CHECK(stopped["reentry"] > 0);
}

// What an engine keeps is what its guards can still read, counted from its own output:
// each customer's last entry into the 2-day rule within 2 days, staff loads of the days
// from the period's first on, reminders of the last 24 hours, the last period's welcomes.
TEST_CASE("a long-running engine's memory does not grow with the periods it has run", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  SopEngine engine(compile_rules(R"({
    "guards": {"per_staff_day": 4, "wecom": {"staff_reminders": true, "welcome": true}},
    "rules": [
      {"key": "reply", "trigger": {"event": "message_in", "delay": "1d", "at": "10:00"},
       "reentry": {"every_days": 2}, "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "welcome"}]},
      {"key": "tell", "marketing": false, "trigger": {"event": "message_in"},
       "reentry": "every_time", "actions": [{"kind": "notify_staff", "text": "{customer}"}]}
    ]})"));
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  std::vector<Action> all;
  std::uint64_t most_staff_days = 0;
  for (Timestamp start = zone.add_days(last, -100); start < zone.add_days(last, -10);
       start = zone.add_days(start, 1)) {
    const SopResult r = engine.run(
        pool, SopQuery{.from = start, .to = Timestamp{zone.add_days(start, 1).micros - 1}});
    all.insert(all.end(), r.actions.begin(), r.actions.end());
    SopEngineMemory expected;
    std::set<CustomerId> entered;
    std::set<std::pair<StaffId, std::int64_t>> staff_days;
    const Timestamp first_day = zone.start_of_day(start);
    for (const Action& a : all) {
      if (a.rule == "reply" && a.due.micros > zone.add_days(start, -2).micros)
        entered.insert(a.customer);
      if (a.staff.has_value() && zone.start_of_day(a.due) >= first_day)
        staff_days.emplace(a.staff, zone.start_of_day(a.due).micros);
      if (a.rule == "tell" && a.staff.has_value() && a.due.micros > zone.add_days(start, -1).micros)
        ++expected.reminders;
    }
    for (const Action& a : r.actions) expected.welcomes += a.rule == "welcome" ? 1U : 0U;
    expected.entries = entered.size();
    expected.staff_days = staff_days.size();
    const SopEngineMemory kept = engine.memory();
    CHECK(kept.customers <= pool.customers().size());
    CHECK(kept.entries == expected.entries);
    CHECK(kept.counts == 0);
    CHECK(kept.welcomes == expected.welcomes);
    CHECK(kept.transfers == 0);
    CHECK(kept.staff_days == expected.staff_days);
    CHECK(kept.reminders == expected.reminders);
    most_staff_days = std::max(most_staff_days, expected.staff_days);
  }
  // Every kind of memory was there to be dropped.
  std::map<std::string, std::size_t> actions;
  for (const Action& a : all) ++actions[a.rule];
  CHECK(actions["reply"] > 100);
  CHECK(actions["welcome"] > 100);
  CHECK(actions["tell"] > 100);
  CHECK(most_staff_days > 0);
}

// Without staff limits each person is judged alone, in person order, and the output is put
// in the run's order at the end; with them every candidate goes through one sequence. A
// staff limit that never binds must change nothing but its own mark on each action.
TEST_CASE("persons judged one at a time give what one sequence of all candidates gives", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const std::string rules_of = R"(
    "rules": [)" + std::string(onboarding) +
                               R"(
      {"key": "nudge-again", "priority": 2,
       "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
       "audience": "orders = 0", "reentry": {"every_days": 2},
       "actions": [{"kind": "send_message", "text": "still there, {customer}?"}]},)" +
                               std::string(thanks) + R"(
      {"key": "weekly", "trigger": {"every": "week", "day": 5, "at": "23:00"},
       "audience": "recent_orders >= 1", "reentry": "every_time", "quiet_hours": "drop",
       "actions": [{"kind": "send_message", "text": "new tea this week"}]}
    ]})";
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const SopQuery query{.from = zone.add_days(last, -90), .to = zone.add_days(last, -30)};
  // Caps that bind, then a mass-message limit that binds before them.
  std::set<std::string> stopped_by;
  for (const std::string limits :
       {R"("per_customer_day": 1, "per_customer_week": 1)",
        R"("per_customer_day": 2, "wecom": {"mass_messages": "per_day"})"}) {
    const std::string guards = limits + R"(, "holdout_percent": 10,
        "quiet_hours": {"from": "22:00", "to": "08:00"})";
    const RuleSet alone = compile_rules("{\"guards\": {" + guards + "}," + rules_of);
    const RuleSet sequence =
        compile_rules("{\"guards\": {" + guards + ", \"per_staff_day\": 1000000}," + rules_of);
    const SopResult by_person = run_sop(pool, alone, query);
    SopResult in_sequence = run_sop(pool, sequence, query);
    REQUIRE(by_person.actions.size() > 100);
    REQUIRE(by_person.suppressed.size() > 100);
    for (Action& a : in_sequence.actions) {
      REQUIRE(a.guards.back() == "per_staff_day");
      a.guards.pop_back();
    }
    CHECK(by_person.actions == in_sequence.actions);
    CHECK(by_person.suppressed == in_sequence.suppressed);
    for (const SuppressedAction& x : by_person.suppressed) stopped_by.insert(x.guard);
  }
  // Every guard of the rule sets stopped something, so each was compared.
  CHECK(stopped_by == std::set<std::string>{"audience", "exit", "holdout", "per_customer_day",
                                            "per_customer_week", "quiet_hours", "reentry",
                                            "wecom_mass_messages"});
}

}  // namespace siyu

namespace siyu {
namespace {

// The 24-hour, 90-day or other window that ends at each of `times` (ascending) holds at
// most `most` of them.
bool at_most_in_window(std::vector<std::int64_t> times, std::int64_t window, std::size_t most) {
  std::sort(times.begin(), times.end());
  for (std::size_t i = 0, first = 0; i < times.size(); ++i) {
    while (times[first] <= times[i] - window) ++first;
    if (i - first + 1 > most) return false;
  }
  return true;
}

}  // namespace

// Whatever the rules, the actions a run lets through keep every guard's promise: checked
// from the output alone, over the sample brand with every guard on and binding.
TEST_CASE("the actions of a run keep every guard's promise", "[sop]") {
  const Pool pool = testing::sample_pool(2'000);
  const RuleSet rules = compile_rules(R"({
    "guards": {"per_customer_day": 2, "per_customer_week": 3, "per_customer_month": 4,
               "per_staff_day": 10, "quiet_hours": {"from": "22:00", "to": "08:00"},
               "holdout_percent": 10,
               "wecom": {"mass_messages": "per_day", "welcome": true, "staff_reminders": true,
                         "transfers": true}},
    "rules": [
      {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "welcome-too", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "hello"}]},
      {"key": "nudge", "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
       "exit": ["order_paid"],
       "actions": [{"kind": "send_material", "target": "article-brew"}]},
      {"key": "reply", "marketing": false,
       "trigger": {"event": "message_in", "delay": "1d", "at": "23:00"},
       "reentry": {"every_days": 3},
       "actions": [{"kind": "send_message", "text": "hi"}, {"kind": "create_task", "text": "call"}]},
      {"key": "more", "trigger": {"event": "content_viewed", "delay": "2h"}, "quiet_hours": "drop",
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "more"}]},
      {"key": "tell", "marketing": false, "trigger": {"event": "order_paid"},
       "reentry": "every_time",
       "actions": [{"kind": "notify_staff", "text": "{customer} ordered"}]},)" +
                                      std::string(handover) + R"(
    ]})");
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const SopResult r = run_sop(
      pool, rules, SopQuery{.from = zone.add_days(last, -90), .to = zone.add_days(last, -30)});
  std::map<std::string, std::size_t> stopped;
  for (const SuppressedAction& s : r.suppressed) ++stopped[s.guard];
  for (const char* guard :
       {"exit", "reentry", "holdout", "quiet_hours", "per_customer_day", "per_customer_week",
        "per_customer_month", "wecom_mass_messages", "wecom_welcome", "wecom_staff_reminders",
        "wecom_transfers", "per_staff_day"}) {
    INFO(guard);
    CHECK(stopped[guard] > 0);
  }
  REQUIRE(r.actions.size() > 1'000);

  const auto rule_of = [&](const std::string& key) -> const SopRule& {
    return *std::find_if(rules.rules.begin(), rules.rules.end(),
                         [&](const SopRule& rule) { return rule.key == key; });
  };
  constexpr std::int64_t minute = 60'000'000;
  std::map<std::pair<CustomerId, std::int64_t>, std::uint32_t> days, weeks, months, mass;
  std::map<std::pair<StaffId, std::int64_t>, std::uint32_t> staff_days;
  std::map<StaffId, std::vector<std::int64_t>> reminders;
  std::map<CustomerId, std::vector<std::int64_t>> transfers;
  std::map<std::uint64_t, std::uint32_t> welcomes;  // by add event
  std::map<std::pair<std::string, CustomerId>, std::set<std::int64_t>> entries;
  std::map<std::string, std::size_t> actions;
  for (const Action& a : r.actions) {
    const SopRule& rule = rule_of(a.rule);
    ++actions[a.rule];
    entries[{a.rule, a.customer}].insert(a.due.micros);
    if (reaches_customer(a.kind)) {
      const std::int64_t local_minute = zone.time_of_day(a.due).micros / minute;
      CHECK((local_minute >= 8 * 60 && local_minute < 22 * 60));
      ++days[{a.customer, zone.start_of_day(a.due).micros}];
      ++weeks[{a.customer, zone.start_of_week(a.due).micros}];
      ++months[{a.customer, zone.start_of_month(a.due).micros}];
    }
    const bool send = a.kind == ActionKind::send_message || a.kind == ActionKind::send_material;
    if (rule.marketing && send) ++mass[{a.customer, zone.start_of_day(a.due).micros}];
    if (rule.marketing) CHECK_FALSE(pool.customers()[a.customer].marketing_opt_out);
    if (a.staff.has_value()) ++staff_days[{a.staff, zone.start_of_day(a.due).micros}];
    const bool reminder = a.kind == ActionKind::notify_staff ||
                          a.kind == ActionKind::notify_manager || a.kind == ActionKind::create_task;
    if (reminder && a.staff.has_value()) reminders[a.staff].push_back(a.due.micros);
    if (a.kind == ActionKind::transfer_customer) transfers[a.customer].push_back(a.due.micros);
    if (a.rule.starts_with("welcome")) ++welcomes[a.trigger_event.value()];
  }
  const auto at_most = [](const auto& counts, std::uint32_t cap) {
    return std::all_of(counts.begin(), counts.end(),
                       [cap](const auto& c) { return c.second <= cap; });
  };
  CHECK(at_most(days, 2));
  CHECK(at_most(weeks, 3));
  CHECK(at_most(months, 4));
  CHECK(at_most(mass, 1));
  CHECK(at_most(staff_days, 10));
  CHECK(at_most(welcomes, 1));
  for (const auto& [staff, times] : reminders) CHECK(at_most_in_window(times, 24 * hour, 3));
  for (auto [customer, times] : transfers) {
    for (const OwnerChange& change : pool.customers()[customer].owner_history) {
      if (change.reason == "transfer") times.push_back(change.at.micros);
    }
    CHECK(at_most_in_window(times, 90 * day, 2));
  }
  for (const auto& [rule_customer, dues] : entries) {
    const auto& [rule, customer] = rule_customer;
    if (rule == "nudge") CHECK(dues.size() == 1);
    if (rule != "reply") continue;
    for (auto at = dues.begin(); std::next(at) != dues.end(); ++at)
      CHECK(*std::next(at) - *at >= 3 * day);
  }
  // Each entry of "reply" makes both its actions.
  std::size_t reply_entries = 0;
  for (const auto& [rule_customer, dues] : entries)
    reply_entries += rule_customer.first == "reply" ? dues.size() : 0;
  CHECK(actions["reply"] == 2 * reply_entries);
}

}  // namespace siyu

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/sop/engine.hpp"
#include "siyu/store/store.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"
#include "support/temp_dir.hpp"

namespace siyu {

namespace {

// Every guard that remembers across periods: entries (once and once per 7 days), caps by
// day and week, WeCom's mass messages per week, welcomes, staff reminders and transfers,
// and the staff's daily limit.
constexpr std::string_view remembering = R"({
  "guards": {"per_customer_day": 1, "per_customer_week": 2, "per_staff_day": 40,
             "quiet_hours": {"from": "22:00", "to": "08:00"}, "holdout_percent": 10,
             "wecom": {"mass_messages": "per_week", "welcome": true, "staff_reminders": true,
                       "transfers": true}},
  "rules": [
    {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
     "actions": [{"kind": "send_message", "text": "hi {customer}"}]},
    {"key": "nudge", "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
     "audience": "orders = 0", "exit": ["order_paid"],
     "actions": [{"kind": "send_material", "target": "article-brew"}]},
    {"key": "thanks", "trigger": {"event": "order_paid", "delay": "2h"},
     "reentry": {"every_days": 7}, "actions": [{"kind": "send_message", "text": "thanks"}]},
    {"key": "call", "marketing": false, "trigger": {"event": "order_paid", "delay": "1d"},
     "reentry": "every_time", "actions": [{"kind": "notify_staff", "text": "call {customer}"}]},
    {"key": "handover", "marketing": false, "trigger": {"event": "message_in"},
     "reentry": "every_time",
     "actions": [{"kind": "transfer_customer", "target": "ops-community"}]}
  ]})";

SopQuery day_of(const Pool& pool, Timestamp day) {
  return SopQuery{.from = day, .to = Timestamp{pool.options().zone.add_days(day, 1).micros - 1}};
}

}  // namespace

// A host saves the engine's state after each run and, after a restart, restores it over the
// pool loaded again from its store: it goes on as the engine that never stopped, and its
// state saves to the same bytes.
TEST_CASE("a restored engine goes on as one that never stopped", "[sop]") {
  testing::TempDir dir;
  Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = compile_rules(remembering);
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const Timestamp start = zone.add_days(last, -90);
  const Timestamp restart = zone.add_days(last, -40);
  SopEngine running(rules);
  std::string acted;  // a customer the engine has marks for
  for (Timestamp day = start; day < restart; day = zone.add_days(day, 1)) {
    const SopResult r = running.run(pool, day_of(pool, day));
    if (!r.actions.empty()) acted = pool.customers()[r.actions.back().customer].key;
  }
  REQUIRE(!acted.empty());
  const std::string saved = running.save(pool);
  const SopEngineMemory kept = running.memory();
  CHECK(kept.entries > 0);
  CHECK(kept.counts > 0);
  CHECK(kept.transfers > 0);
  CHECK(kept.staff_days > 0);
  CHECK(kept.reminders > 0);

  Store store = Store::open(dir.path() / "pool.db");
  store.save(pool);
  const Pool reloaded = store.load();
  SopEngine restored = SopEngine::restore(rules, reloaded, saved);
  CHECK(restored.last() == running.last());
  CHECK(restored.memory() == kept);
  CHECK(restored.save(reloaded) == saved);

  std::size_t actions = 0;
  for (Timestamp day = restart; day < zone.add_days(last, -10); day = zone.add_days(day, 1)) {
    const SopResult r = running.run(pool, day_of(pool, day));
    const SopResult s = restored.run(reloaded, day_of(reloaded, day));
    CHECK(s.actions == r.actions);
    CHECK(s.suppressed == r.suppressed);
    actions += r.actions.size();
  }
  CHECK(actions > 100);
  CHECK(restored.memory() == running.memory());
  CHECK(restored.save(reloaded) == running.save(pool));

  // A period that overlaps the saved engine's last is refused, as it would have been.
  SopEngine again = SopEngine::restore(rules, pool, saved);
  CHECK_THROWS_AS(again.run(pool, day_of(pool, zone.add_days(restart, -1))), ConfigError);

  // A customer erased since the save is dropped with their marks.
  Pool erasing = store.load();
  (void)store.erase(erasing, acted, restart);
  CHECK(SopEngine::restore(rules, erasing, saved).memory().customers == kept.customers - 1);
}

// Rules are named by key: a rule file reordered between save and restore keeps each rule's
// entries, a rule removed takes its entries with it, and a new rule starts with none.
TEST_CASE("a restored engine finds each rule's entries by its key", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  constexpr std::string_view once = R"(
    {"key": "once", "trigger": {"event": "message_in"}, "reentry": "once",
     "actions": [{"kind": "send_message", "text": "first reply"}]})";
  constexpr std::string_view weekly = R"(
    {"key": "weekly", "trigger": {"event": "content_viewed"}, "reentry": {"every_days": 7},
     "actions": [{"kind": "send_message", "text": "more like this"}]})";
  constexpr std::string_view fresh = R"(
    {"key": "fresh", "trigger": {"event": "message_in"}, "reentry": "once",
     "actions": [{"kind": "add_tag", "target": "talker"}]})";
  const auto rule_set = [](std::vector<std::string_view> list) {
    std::string out = R"({"rules": [)";
    for (std::size_t i = 0; i < list.size(); ++i) out += (i > 0 ? ", " : "") + std::string(list[i]);
    return compile_rules(out + "]}");
  };
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  const Timestamp restart = zone.add_days(last, -40);
  const SopQuery before{.from = zone.add_days(last, -90), .to = Timestamp{restart.micros - 1}};
  const SopQuery after{.from = restart, .to = zone.add_days(last, -10)};
  using Done = std::tuple<std::string, CustomerId, Timestamp>;
  const auto done = [](const SopResult& r, std::string_view rule) {
    std::vector<Done> out;
    for (const Action& a : r.actions) {
      if (a.rule == rule) out.emplace_back(a.rule, a.customer, a.due);
    }
    std::sort(out.begin(), out.end());
    return out;
  };

  SopEngine running(rule_set({once, weekly}));
  (void)running.run(pool, before);
  const std::string saved = running.save(pool);
  const SopResult expected = running.run(pool, after);

  SopEngine reordered = SopEngine::restore(rule_set({weekly, fresh, once}), pool, saved);
  const SopResult got = reordered.run(pool, after);
  for (const std::string_view rule : {"once", "weekly"}) {
    INFO(rule);
    CHECK(!done(expected, rule).empty());
    CHECK(done(got, rule) == done(expected, rule));
  }
  // The new rule judges everyone afresh: it reaches customers `once` had reached before.
  CHECK(done(got, "fresh").size() > done(got, "once").size());

  SopEngine fewer = SopEngine::restore(rule_set({weekly}), pool, saved);
  CHECK(done(fewer.run(pool, after), "weekly") == done(expected, "weekly"));
  CHECK(fewer.memory().entries < running.memory().entries);
}

TEST_CASE("a damaged saved state is refused with a clear error", "[sop]") {
  const Pool pool = testing::sample_pool(300);
  const RuleSet rules = compile_rules(remembering);
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  SopEngine engine(rules);
  (void)engine.run(pool, SopQuery{.from = zone.add_days(last, -60), .to = last});
  const std::string saved = engine.save(pool);
  REQUIRE(saved.size() > 1'000);
  REQUIRE(SopEngine::restore(rules, pool, saved).memory() == engine.memory());

  CHECK_THROWS_WITH(SopEngine::restore(rules, pool, "{\"rules\": []}"),
                    Catch::Contains("saved SOP engine state: not a saved SOP engine state"));
  CHECK_THROWS_AS(SopEngine::restore(rules, pool, ""), ParseError);
  // Cut anywhere, or with bytes left over: the bytes do not add up.
  for (std::size_t size = 0; size < saved.size(); size += size < 300 ? 1 : 97) {
    INFO(size);
    CHECK_THROWS_AS(SopEngine::restore(rules, pool, saved.substr(0, size)), ParseError);
  }
  CHECK_THROWS_WITH(SopEngine::restore(rules, pool, saved + "x"),
                    Catch::Contains("the bytes do not add up"));
  // A format this siyu does not read.
  std::string newer = saved;
  newer[4 + std::string_view("siyu.sop-engine").size()] = 2;
  CHECK_THROWS_WITH(SopEngine::restore(rules, pool, newer),
                    Catch::Contains("saved in format 2; this siyu reads format 1"));
}

}  // namespace siyu

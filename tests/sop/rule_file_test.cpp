#include "siyu/sop/rule.hpp"

#include <string>

#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

// The error `text` raises as a rule file, as "code line field".
std::string error_of(const std::string& text) {
  try {
    (void)compile_rules(text, "rules.json");
  } catch (const RuleError& e) {
    CHECK(e.where().source == "rules.json");
    return std::string(to_string(e.code())) + " " + std::to_string(e.where().line) + " " +
           e.where().field;
  }
  return "compiled";
}

}  // namespace

TEST_CASE("a rule file compiles triggers, audiences, actions, exits and guards", "[sop]") {
  const RuleSet set = compile_rules(R"({
  "guards": {"per_customer_day": 2, "per_customer_week": 5, "per_customer_month": 12,
             "quiet_hours": {"from": "22:00", "to": "08:00"}, "per_staff_day": 200,
             "holdout_percent": 10, "holdout_salt": "2024",
             "wecom": {"mass_messages": "per_week", "welcome": true, "staff_reminders": true}},
  "rules": [
    {"key": "welcome", "name": "欢迎语", "priority": 10, "marketing": false,
     "trigger": {"event": "friend_added"},
     "actions": [{"kind": "send_message", "text": "你好 {customer}，我是 {staff}"}]},
    {"key": "day3", "trigger": {"event": "friend_added", "delay": "3d", "at": "20:00"},
     "audience": "orders = 0", "exit": ["order_paid"], "quiet_hours": "drop",
     "actions": [{"kind": "send_material", "target": "article-brew"},
                 {"kind": "add_tag", "target": "nurtured"}]},
    {"key": "repurchase", "trigger": {"event": "order_paid[product=tea-sample]", "delay": "14d"},
     "reentry": {"every_days": 30},
     "actions": [{"kind": "create_task", "text": "remind {customer} about {product}", "staff": "s1"}]},
    {"key": "weekly", "trigger": {"every": "week", "day": 5, "at": "19:00"},
     "audience": "layer = core", "reentry": "every_time",
     "actions": [{"kind": "invite_to_group", "target": "vip-group"}]}
  ]
})",
                                    "rules.json");
  REQUIRE(set.rules.size() == 4);
  CHECK(set.guards.per_customer_day == 2u);
  CHECK(set.guards.quiet_from == 22 * 60);
  CHECK(set.guards.quiet_to == 8 * 60);
  CHECK(set.guards.holdout_bp == 10'00);
  CHECK(set.guards.holdout_salt == "2024");
  CHECK(set.guards.wecom_mass_messages == Guards::MassMessages::per_week);
  CHECK(set.guards.wecom_welcome);
  CHECK(set.guards.wecom_staff_reminders);
  const SopRule& welcome = set.rules[0];
  CHECK(welcome.name == "欢迎语");
  CHECK(welcome.priority == 10);
  CHECK_FALSE(welcome.marketing);
  CHECK(welcome.reentry.kind == Reentry::Kind::once);
  const SopRule& day3 = set.rules[1];
  CHECK(day3.trigger.delay == Duration::days(3));
  CHECK(day3.trigger.at_minute == 20 * 60);
  CHECK(day3.audience->text() == "orders = 0");
  CHECK(day3.exits == std::vector<EventCondition>{parse_event_condition("order_paid")});
  CHECK_FALSE(day3.hold_in_quiet_hours);
  CHECK(day3.actions[1] == ActionTemplate{.kind = ActionKind::add_tag, .target = "nurtured"});
  CHECK(set.rules[2].reentry ==
        Reentry{.kind = Reentry::Kind::per_period, .period = Duration::days(30)});
  CHECK(set.rules[2].actions[0].staff == "s1");
  CHECK(set.rules[3].trigger.kind == Trigger::Kind::schedule);
  CHECK(set.rules[3].trigger.day == 5);
  CHECK(set.warnings.empty());
}

TEST_CASE("rule file errors name the line and field", "[sop]") {
  CHECK(error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"},\n"
                 "\"actions\": [{\"kind\": \"send_fax\", \"text\": \"x\"}]}]}") ==
        "invalid_value 2 rules[0].actions[0].kind");
  CHECK(error_of("{\"rules\": [{\"key\": \"a\",\n\"trigger\": {\"event\": \"friend_addd\"},"
                 " \"actions\": [{\"kind\": \"send_message\", \"text\": \"x\"}]}]}") ==
        "invalid_value 2 rules[0].trigger.event");
  CHECK(error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"},\n"
                 "\"audience\": \"orders >\", \"actions\": [{\"kind\": \"send_message\", "
                 "\"text\": \"x\"}]}]}") == "bad_syntax 2 rules[0].audience");
  CHECK(error_of("{\"guards\": {\"quiet_hours\":\n{\"from\": \"22:00\", \"to\": \"22:00\"}},"
                 " \"rules\": []}") == "conflict 2 guards.quiet_hours");
  CHECK(error_of("{\"guards\": {\"quiet_hours\": {\"from\": \"25:00\", \"to\": \"08:00\"}},"
                 " \"rules\": []}") == "bad_syntax 1 guards.quiet_hours.from");
  CHECK(error_of("{\"guards\": {\"per_customer_day\": 0}, \"rules\": []}") ==
        "out_of_range 1 guards.per_customer_day");
  CHECK(error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"}, "
                 "\"actions\": [{\"kind\": \"send_material\"}]}]}") ==
        "missing_field 1 rules[0].actions[0].target");
  CHECK(error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"}, "
                 "\"actions\": []}]}") == "missing_field 1 rules[0].actions");
  CHECK(
      error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"}, "
               "\"actions\": [{\"kind\": \"send_message\", \"text\": \"x\"}], \"colour\": 1}]}") ==
      "unknown_field 1 rules[0].colour");
  CHECK(error_of("{\"rules\": [\n{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"}, "
                 "\"actions\": [{\"kind\": \"send_message\", \"text\": \"x\"}]},\n"
                 "{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"}, "
                 "\"actions\": [{\"kind\": \"send_message\", \"text\": \"y\"}]}]}") ==
        "conflict 3 rules[1].key");
  CHECK(error_of("{\"rules\": [{\"key\": \"a\", \"trigger\": {\"every\": \"week\", \"day\": 8, "
                 "\"at\": \"10:00\"}, \"actions\": [{\"kind\": \"send_message\", \"text\": "
                 "\"x\"}]}]}") == "out_of_range 1 rules[0].trigger.day");
  CHECK(error_of("{\"rules\": {}}") == "wrong_type 1 rules");
  CHECK(error_of("{\"guards\": {\"wecom\": {\"mass_messages\": \"per_year\"}}, \"rules\": []}") ==
        "invalid_value 1 guards.wecom.mass_messages");
  CHECK(error_of("{\"rules\": [}") == "bad_syntax 1 ");
  // Lines are counted on from value to value: a field repeated after nested values, and
  // syntax errors found after the values before them, still name their own lines.
  CHECK(error_of("{\"rules\": [\n{\"key\": \"a\", \"trigger\": {\"event\": \"friend_added\"},\n"
                 "\"actions\": [{\"kind\": \"send_message\", \"text\": \"x\"}],\n"
                 "\"key\": \"b\"}]}") == "bad_syntax 4 ");
  CHECK(error_of("{\"rules\": [\n{\"key\": \"a\",\n\"trigger\": {\"event\": \"friend_added\"},\n"
                 "\"actions\": []}]}\n\n junk") == "bad_syntax 6 ");
}

TEST_CASE("triggers on alerts, audiences, layers and levels compile and check their names",
          "[sop]") {
  const std::string action = R"(, "actions": [{"kind": "create_task", "text": "x"}]})";
  const RuleSet set = compile_rules(
      R"({"rules": [{"key": "a", "trigger": {"alert": "churn", "delay": "1d", "at": "09:00"})" +
          action + R"(, {"key": "b", "trigger": {"enter": "orders >= 2"})" + action +
          R"(, {"key": "c", "trigger": {"leave_layer": "core"})" + action +
          R"(, {"key": "d", "trigger": {"enter_level": "gold", "delay": "2h"})" + action + "]}",
      "rules.json");
  REQUIRE(set.rules.size() == 4);
  CHECK(set.rules[0].trigger.kind == Trigger::Kind::alert);
  CHECK(set.rules[0].trigger.alert == AlertKind::churn);
  CHECK(set.rules[0].trigger.at_minute == 9 * 60);
  CHECK(set.rules[1].trigger.kind == Trigger::Kind::audience);
  CHECK(set.rules[1].trigger.watch == "orders >= 2");
  CHECK_FALSE(set.rules[1].trigger.leaving);
  CHECK(set.rules[2].trigger.kind == Trigger::Kind::layer);
  CHECK(set.rules[2].trigger.tier == "core");
  CHECK(set.rules[2].trigger.leaving);
  CHECK(set.rules[3].trigger.kind == Trigger::Kind::level);
  CHECK(set.rules[3].trigger.delay == Duration::hours(2));

  const auto with = [&](const std::string& trigger) {
    return error_of(R"({"rules": [{"key": "a",)" + std::string("\n") + R"("trigger": )" + trigger +
                    action + "]}");
  };
  CHECK(with(R"({"alert": "angry"})") == "invalid_value 2 rules[0].trigger.alert");
  CHECK(with(R"({"event": "friend_added", "alert": "churn"})") ==
        "conflict 2 rules[0].trigger.alert");
  CHECK(with(R"({"enter": "layer = core"})") == "invalid_value 2 rules[0].trigger.enter");
  CHECK(with(R"({"leave": "orders >"})") == "bad_syntax 2 rules[0].trigger.leave");
  CHECK(with(R"({"enter_layer": "inner"})") == "invalid_value 2 rules[0].trigger.enter_layer");
  CHECK(with(R"({"delay": "1d"})") == "missing_field 2 rules[0].trigger.event");
}

TEST_CASE("check_rules reports every rule's first error, and with a pool its missing keys",
          "[sop]") {
  const std::string text = R"({"guards": {"per_customer_day": 0},
  "rules": [
    {"key": "a", "trigger": {"event": "friend_added"}, "actions": [{"kind": "send_fax"}]},
    {"key": "b", "trigger": {"event": "friend_added[staff=s9]"},
     "actions": [{"kind": "send_material", "target": "m9"}]},
    {"key": "c", "trigger": {"alert": "angry"}, "actions": [{"kind": "send_message"}]}
  ]})";
  const RuleCheck broken = check_rules(text, "rules.json");
  CHECK_FALSE(broken.rules);
  REQUIRE(broken.errors.size() == 3);
  CHECK(broken.errors[0].field == "guards.per_customer_day");
  CHECK(broken.errors[1].field == "rules[0].actions[0].kind");
  CHECK(broken.errors[1].line == 3);
  CHECK(broken.errors[2].field == "rules[2].trigger.alert");
  CHECK(broken.errors[2].source == "rules.json");
  // compile_rules throws the first of them.
  CHECK_THROWS_WITH(compile_rules(text, "rules.json"), Catch::Contains("guards.per_customer_day"));

  Pool pool;
  pool.staff().upsert(Staff{.key = "s1"});
  const std::string keyed = R"({"rules": [
    {"key": "b", "trigger": {"event": "friend_added[staff=s9]"},
     "actions": [{"kind": "send_material", "target": "m9"},
                 {"kind": "create_task", "text": "x", "staff": "s1"}]}]})";
  CHECK(check_rules(keyed, "rules.json").rules.has_value());
  const RuleCheck missing = check_rules(keyed, "rules.json", &pool);
  CHECK_FALSE(missing.rules);
  REQUIRE(missing.errors.size() == 2);
  CHECK(missing.errors[0].field == "rules[0].trigger.event");
  CHECK(missing.errors[0].code == ErrorCode::not_found);
  CHECK(missing.errors[1].field == "rules[0].actions[0].target");
  CHECK(missing.errors[1].line == 3);
  CHECK(missing.errors[1].message == "no material has the key \"m9\"");

  const RuleCheck syntax = check_rules("{\"rules\": [", "rules.json");
  REQUIRE(syntax.errors.size() == 1);
  CHECK(syntax.errors[0].code == ErrorCode::bad_syntax);
}

TEST_CASE("rules that trigger each other through tags are refused", "[sop]") {
  const std::string loop = R"({"rules": [
  {"key": "a", "trigger": {"event": "tag_added[ref=x]"},
   "actions": [{"kind": "add_tag", "target": "y"}]},
  {"key": "b", "trigger": {"event": "tag_added[ref=y]"},
   "actions": [{"kind": "add_tag", "target": "x"}]}
]})";
  try {
    (void)compile_rules(loop, "rules.json");
    FAIL("compiled");
  } catch (const RuleError& e) {
    CHECK_THAT(e.message(), Catch::Contains("a -> b -> a"));
    CHECK(e.where().field == "rules[0].trigger");
    CHECK(e.where().line == 2);
  }
}

TEST_CASE("unreachable and conflicting rules compile with warnings", "[sop]") {
  const RuleSet set = compile_rules(R"({"rules": [
  {"key": "a", "trigger": {"event": "order_paid", "delay": "1d"}, "exit": ["order_paid"],
   "actions": [{"kind": "send_message", "text": "x"}]},
  {"key": "b", "trigger": {"event": "friend_added"},
   "actions": [{"kind": "send_material", "target": "m1"}]},
  {"key": "c", "trigger": {"event": "friend_added"},
   "actions": [{"kind": "send_material", "target": "m1"}]},
  {"key": "d", "trigger": {"event": "friend_added"},
   "actions": [{"kind": "send_material", "target": "m1"}]}
]})",
                                    "rules.json");
  // A third copy is named once, against the first: not once per earlier copy.
  REQUIRE(set.warnings.size() == 3);
  CHECK(set.warnings[0].field == "rules[0]");
  CHECK(set.warnings[0].line == 2);
  CHECK_THAT(set.warnings[0].message, Catch::Contains("unreachable"));
  CHECK(set.warnings[1].field == "rules[2]");
  CHECK_THAT(set.warnings[1].message, Catch::Contains("conflicts with rule \"b\""));
  CHECK(set.warnings[2].field == "rules[3]");
  CHECK(set.warnings[2].line == 8);
  CHECK_THAT(set.warnings[2].message, Catch::Contains("conflicts with rule \"b\""));
}

}  // namespace siyu

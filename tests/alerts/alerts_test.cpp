#include "siyu/alerts/alerts.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

constexpr std::int64_t minute = 60'000'000;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day = 24 * hour;
const Timestamp t0 = parse_timestamp("2024-05-01T10:00:00+08:00");  // a Wednesday

Timestamp at(const std::string& text) { return parse_timestamp(text); }

class Log {
 public:
  Log& add(const std::string& customer, EventType type, std::int64_t micros,
           const std::string& text = {}, const std::string& ref = {},
           const std::string& staff = "s1") {
    Event e{.id = "e" + std::to_string(events_.size()),
            .ts = Timestamp{t0.micros + micros},
            .customer = customer,
            .type = type,
            .staff = staff,
            .ref = ref,
            .text = text};
    if (type == EventType::order_paid) {
      e.amount = parse_money("99");
      e.ref = "o" + std::to_string(events_.size());
    }
    events_.push_back(std::move(e));
    return *this;
  }
  Log& view(const std::string& customer, std::int64_t micros, const std::string& material,
            std::int64_t seconds) {
    add(customer, EventType::content_viewed, micros, {}, material);
    events_.back().duration = Duration::seconds(seconds);
    return *this;
  }
  [[nodiscard]] Pool pool() const {
    Pool pool;
    pool.staff().upsert(Staff{.key = "s1", .name = "小王", .store = "hz01"});
    pool.staff().upsert(Staff{.key = "s2", .name = "小李", .store = "sh01"});
    pool.materials().upsert(Material{.key = "price", .title = "价目表"});
    pool.materials().upsert(Material{.key = "video", .title = "冲泡视频"});
    pool.groups().upsert(Group{.key = "g1", .name = "龙井群"});
    REQUIRE(pool.add_events(events_).rejected == 0);
    pool.commit();
    return pool;
  }

 private:
  std::vector<Event> events_;
};

AlertResult run(const Pool& pool, Timestamp from, Timestamp to, const AlertPolicy& policy = {},
                const WordList* words = nullptr) {
  return run_alerts(pool, policy, AlertQuery{.from = from, .to = to, .words = words});
}

std::vector<Alert> of_kind(const AlertResult& result, AlertKind kind) {
  std::vector<Alert> out;
  for (const Alert& a : result.alerts) {
    if (a.kind == kind) out.push_back(a);
  }
  return out;
}

// A policy with only the check under test able to fire.
AlertPolicy quiet_policy() {
  AlertPolicy p;
  p.churn.dormant_days = 0;
  p.churn.rhythm_probability = 0;
  p.intent.threshold = 1e9;
  return p;
}

}  // namespace

TEST_CASE("a deleted staff member is a win-back task, at once or in the morning digest") {
  Log log;
  log.add("c1", EventType::friend_added, 0)
      .add("c1", EventType::order_paid, hour)
      .add("c1", EventType::message_in, 2 * hour, "在吗")
      .add("c1", EventType::friend_deleted, 3 * day + 12 * hour);  // 2024-05-04 22:00 local
  const Pool pool = log.pool();
  AlertPolicy policy = quiet_policy();

  const std::vector<Alert> now =
      of_kind(run(pool, t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::churn);
  REQUIRE(now.size() == 1);
  CHECK(now[0].due == at("2024-05-04T22:00:00+08:00"));
  CHECK(now[0].staff == pool.staff().id("s1"));
  CHECK_FALSE(now[0].to_manager);
  REQUIRE(now[0].reasons.size() == 4);
  CHECK(now[0].reasons[0] == "c1 deleted 小王 at 2024-05-04 22:00");
  CHECK(now[0].reasons[1] == "a contact since 2024-05-01 10:00 (3 days)");
  CHECK(now[0].reasons[2] == "paid 1 order, 99.00 yuan");
  CHECK(now[0].reasons[3] == "last wrote 3 days before");

  policy.churn.digest_minute = 8 * 60;
  const std::vector<Alert> digest =
      of_kind(run(pool, t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::churn);
  REQUIRE(digest.size() == 1);
  CHECK(digest[0].happened == at("2024-05-04T22:00:00+08:00"));
  CHECK(digest[0].due == at("2024-05-05T08:00:00+08:00"));
  CHECK(digest[0].reasons.back() == "in the 08:00 digest");

  // Added back before the digest goes out: nothing to win back.
  log.add("c1", EventType::friend_added, 3 * day + 13 * hour);
  CHECK(of_kind(run(log.pool(), t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::churn)
            .empty());
}

TEST_CASE("dormant customers: silence past the limit, once, and only while still a contact") {
  Log log;
  log.add("quiet", EventType::friend_added, 0)
      .add("quiet", EventType::message_out, day, "hi")  // staff's own messages are no activity
      .add("busy", EventType::friend_added, 0)
      .add("busy", EventType::message_in, 20 * day)
      .add("gone", EventType::friend_added, 0)
      .add("gone", EventType::friend_deleted, day);
  const Pool pool = log.pool();
  AlertPolicy policy = quiet_policy();
  policy.churn.dormant_days = 30;

  const AlertResult result = run(pool, t0, at("2024-06-30T00:00:00+08:00"), policy);
  const std::vector<Alert> dormant = of_kind(result, AlertKind::dormant);
  REQUIRE(dormant.size() == 2);
  CHECK(pool.customers()[dormant[0].customer].key == "quiet");
  CHECK(dormant[0].happened == Timestamp{t0.micros + 30 * day});
  CHECK(dormant[0].reasons[0] ==
        "no activity for 30 days; the last: add as a contact at 2024-05-01 10:00");
  CHECK(pool.customers()[dormant[1].customer].key == "busy");
  CHECK(dormant[1].happened == Timestamp{t0.micros + 50 * day});

  // Consecutive periods: each crossing alerts in exactly one of them.
  const Timestamp split{t0.micros + 40 * day};
  CHECK(of_kind(run(pool, t0, split, policy), AlertKind::dormant).size() == 1);
  CHECK(of_kind(run(pool, Timestamp{split.micros + 1}, at("2024-06-30T00:00:00+08:00"), policy),
                AlertKind::dormant)
            .size() == 1);
}

TEST_CASE("a buyer who stops at their own rhythm is dormant before the silence limit") {
  Log log;
  log.add("c1", EventType::friend_added, 0);
  for (int k = 0; k < 4; ++k) log.add("c1", EventType::order_paid, k * 10 * day);  // 4 orders
  AlertPolicy policy = quiet_policy();
  policy.churn.rhythm_probability = 0.05;
  const Pool pool = log.pool();
  const std::vector<Alert> dormant =
      of_kind(run(pool, t0, at("2024-12-31T00:00:00+08:00"), policy), AlertKind::dormant);
  REQUIRE(dormant.size() == 1);
  // 3 repeat orders over 30 days: (30 / (T - first))^3 = 0.05 when T - first = 81.4 days.
  const double days = static_cast<double>(dormant[0].happened.micros - t0.micros) / day;
  CHECK(days > 81.4);
  CHECK(days < 81.5);
  CHECK(dormant[0].reasons[0].find("4 orders from 2024-05-01 10:00 to 2024-05-31 10:00, about "
                                   "every 10 days") == 0);

  // Too few orders to judge a rhythm.
  policy.churn.rhythm_min_orders = 5;
  CHECK(
      of_kind(run(pool, t0, at("2024-12-31T00:00:00+08:00"), policy), AlertKind::dormant).empty());
}

TEST_CASE("a dormancy is one alert, and the next silence after activity another") {
  Log log;
  log.add("c1", EventType::friend_added, 0);
  for (int k = 0; k < 4; ++k) log.add("c1", EventType::order_paid, k * 10 * day);
  log.add("c1", EventType::message_in, 100 * day);
  const Pool pool = log.pool();
  AlertPolicy policy = quiet_policy();
  policy.churn.dormant_days = 30;
  policy.churn.rhythm_probability = 0.05;
  // Silent from the last order (day 30): the silence crosses on day 60, the rhythm on day
  // 81.4 in the same dormancy; the message on day 100 ends it, and the silence crosses
  // again on day 130.
  const Timestamp end{t0.micros + 200 * day};
  const std::vector<Alert> dormant = of_kind(run(pool, t0, end, policy), AlertKind::dormant);
  REQUIRE(dormant.size() == 2);
  CHECK(dormant[0].happened == Timestamp{t0.micros + 60 * day});
  CHECK(dormant[0].reasons ==
        std::vector<std::string>{"no activity for 30 days; the last: order at 2024-05-31 10:00"});
  CHECK(dormant[1].happened == Timestamp{t0.micros + 130 * day});
  // A period that starts inside the dormancy does not alert its later crossing.
  const Timestamp split{t0.micros + 70 * day};
  CHECK(of_kind(run(pool, t0, split, policy), AlertKind::dormant) ==
        std::vector<Alert>{dormant[0]});
  CHECK(of_kind(run(pool, Timestamp{split.micros + 1}, end, policy), AlertKind::dormant) ==
        std::vector<Alert>{dormant[1]});
}

TEST_CASE("chat timeouts count working time only and escalate to the manager") {
  Log log;
  log.add("late", EventType::message_in, 12 * hour, "还在吗？")  // 22:00 local: after hours
      .add("fast", EventType::message_in, hour, "多少钱")
      .add("fast", EventType::message_out, hour + 10 * minute, "99元")
      .add("slow", EventType::message_in, 0, "这个茶怎么泡？")
      .add("slow", EventType::message_in, 5 * minute, "在吗")  // same wait, no second alert
      .add("slow", EventType::message_out, 3 * hour, "80度水")
      .add("group", EventType::message_in, 0, "群里问", "g1");  // group chatter waits for no one
  const Pool pool = log.pool();
  const AlertResult result = run(pool, t0, at("2024-05-31T00:00:00+08:00"), quiet_policy());

  const std::vector<Alert> timeouts = of_kind(result, AlertKind::chat_timeout);
  REQUIRE(timeouts.size() == 2);
  CHECK(pool.customers()[timeouts[0].customer].key == "slow");
  CHECK(timeouts[0].due == at("2024-05-01T10:30:00+08:00"));
  CHECK(timeouts[0].reasons[0] == "slow wrote at 2024-05-01 10:00: \"这个茶怎么泡？\"");
  CHECK(timeouts[0].reasons[1] == "no reply in 30 min of working time (working hours 09:00-21:00)");
  CHECK(pool.customers()[timeouts[1].customer].key == "late");
  CHECK(timeouts[1].due == at("2024-05-02T09:30:00+08:00"));

  const std::vector<Alert> escalations = of_kind(result, AlertKind::chat_escalation);
  REQUIRE(escalations.size() == 2);
  CHECK(pool.customers()[escalations[0].customer].key == "slow");
  CHECK(escalations[0].due == at("2024-05-01T12:00:00+08:00"));
  CHECK(escalations[0].to_manager);
  CHECK(escalations[0].reasons[2] == "小王 was reminded at 2024-05-01 10:30");
  CHECK(escalations[1].due == at("2024-05-02T11:00:00+08:00"));

  // Working days: Thursday off moves the late message's reminder to Friday.
  AlertPolicy policy = quiet_policy();
  policy.chat.work_days = 0x7F & ~(1U << 3);
  const std::vector<Alert> friday =
      of_kind(run(pool, t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::chat_timeout);
  REQUIRE(friday.size() == 2);
  CHECK(friday[1].due == at("2024-05-03T09:30:00+08:00"));
}

TEST_CASE("sensitive words respect scopes and tell staff hits from customer hits") {
  Log log;
  log.add("c1", EventType::message_out, 0, "您好，加VX聊", {}, "s1")
      .add("c2", EventType::message_in, hour, "加微信吧", {}, "s2")
      .add("c3", EventType::message_in, 2 * hour, "保证有效吗", "g1", "s2")
      .add("c4", EventType::message_out, 3 * hour, "保证有效", {}, "s2");
  const Pool pool = log.pool();
  const WordList words = parse_word_list(R"({"rules": [
      {"name": "poaching", "words": ["vx", "加微信"], "severity": "block"},
      {"name": "promises", "words": ["保证有效"], "scope": {"stores": ["hz01"], "groups": ["g1"]}}
    ]})",
                                         "words.json");
  for (const MatcherEngine engine : {MatcherEngine::portable, MatcherEngine::hyperscan}) {
    if (engine == MatcherEngine::hyperscan && !WordMatcher::hyperscan_available()) continue;
    CAPTURE(to_string(engine));
    const AlertResult result = run_alerts(
        pool, quiet_policy(),
        AlertQuery{
            .from = t0, .to = Timestamp{t0.micros + day}, .words = &words, .engine = engine});
    CHECK(result.engine == engine);
    CHECK(result.messages_scanned == 4);
    const std::vector<Alert> hits = of_kind(result, AlertKind::sensitive_word);
    // c4's promise comes from a store outside the rule's scope.
    REQUIRE(hits.size() == 3);
    REQUIRE(hits[0].word);
    CHECK(hits[0].word->rule == "poaching");
    CHECK(hits[0].word->word == "vx");
    CHECK(hits[0].word->byte_offset == 12);
    CHECK(hits[0].word->char_offset == 4);
    CHECK(hits[0].word->severity == WordSeverity::block);
    CHECK(hits[0].word->by_staff);
    CHECK(hits[0].to_manager);
    CHECK(hits[0].reasons[0] == "小王 wrote \"vx\" to c1 at 2024-05-01 10:00");
    CHECK(hits[0].reasons[1] == "rule \"poaching\" (block), at character 5 of \"您好，加VX聊\"");
    CHECK(hits[1].word->word == "加微信");
    CHECK_FALSE(hits[1].to_manager);
    CHECK(hits[1].staff == pool.staff().id("s2"));
    CHECK(hits[2].word->rule == "promises");
    CHECK(hits[2].reasons[0] ==
          "c3 wrote \"保证有效\" to 小李 in group \"g1\" at 2024-05-01 12:00");
  }
}

TEST_CASE("high intent crosses once with its reasons and re-arms after interest fades") {
  Log log;
  log.add("c1", EventType::friend_added, 0)
      .view("c1", 0, "price", 10)
      .view("c1", 20 * minute, "price", 10)
      .view("c1", 40 * minute, "price", 10)
      .view("c1", hour, "video", 240);
  log.add("c2", EventType::friend_added, 0).view("c2", hour, "price", 10);
  const Pool pool = log.pool();
  AlertPolicy policy = quiet_policy();
  policy.intent.threshold = 12;
  const std::vector<Alert> hot =
      of_kind(run(pool, t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::high_intent);
  REQUIRE(hot.size() == 1);
  CHECK(pool.customers()[hot[0].customer].key == "c1");
  CHECK(hot[0].happened == Timestamp{t0.micros + hour});
  CHECK(hot[0].intent > 12);
  REQUIRE(hot[0].reasons.size() == 3);
  CHECK(hot[0].reasons[0].find("intent score 1") == 0);
  CHECK(hot[0].reasons[1] == "viewed \"价目表\" 3 times in 40 min, watched 30 s");
  CHECK(hot[0].reasons[2] == "viewed \"冲泡视频\", watched 4 min");

  // Still hot a little later: no second alert; cold for days, then hot again: a second one.
  log.view("c1", hour + 10 * minute, "price", 30)
      .view("c1", 10 * day, "price", 300)
      .view("c1", 10 * day + minute, "video", 300);
  const std::vector<Alert> again =
      of_kind(run(log.pool(), t0, at("2024-05-31T00:00:00+08:00"), policy), AlertKind::high_intent);
  REQUIRE(again.size() == 2);
  CHECK(again[1].happened == Timestamp{t0.micros + 10 * day + minute});
}

TEST_CASE("alert policies read every field, default the rest, and name the field at fault") {
  const AlertPolicy p = parse_alert_policy(R"({
      "churn": {"delivery": "digest", "digest_at": "07:30", "dormant_days": 45,
                "rhythm_probability": 0.1, "rhythm_min_orders": 4},
      "chat": {"reply_within": "15m", "escalate_after": "1h",
               "working_hours": {"from": "08:00", "to": "22:00"}, "work_days": ["mon", "sun"]},
      "intent": {"half_life": "12h", "threshold": 8, "weights": {"share": 5}}
    })",
                                           "alerts.json");
  CHECK(p.churn.digest_minute == 7 * 60 + 30);
  CHECK(p.churn.dormant_days == 45);
  CHECK(p.churn.rhythm_probability == 0.1);
  CHECK(p.chat.reply_within == Duration::minutes(15));
  CHECK(p.chat.work_from == 8 * 60);
  CHECK(p.chat.work_days == 0x41);
  CHECK(p.intent.half_life == Duration::hours(12));
  CHECK(p.intent.share == 5);
  CHECK(p.intent.view == 2);
  CHECK(parse_alert_policy("{}", "alerts.json") == AlertPolicy{});
  CHECK(parse_alert_policy(R"({"churn": {"delivery": "digest"}})", "a.json").churn.digest_minute ==
        8 * 60);

  const auto fails = [](const std::string& json, const std::string& field) {
    try {
      (void)parse_alert_policy(json, "alerts.json");
      FAIL("no error for " << json);
    } catch (const ConfigError& e) {
      CHECK(e.where().field == field);
      CHECK(e.where().line > 0);
    }
  };
  fails(R"({"chat": {"working_hours": {"from": "21:00", "to": "09:00"}}})", "chat.working_hours");
  fails(R"({"chat": {"reply_within": "2h", "escalate_after": "1h"}})", "chat.escalate_after");
  fails(R"({"chat": {"work_days": []}})", "chat.work_days");
  fails(R"({"chat": {"work_days": ["someday"]}})", "chat.work_days[0]");
  fails(R"({"churn": {"delivery": "weekly"}})", "churn.delivery");
  fails(R"({"churn": {"digest_at": "08:00"}})", "churn.digest_at");
  fails(R"({"churn": {"rhythm_probability": 1.5}})", "churn.rhythm_probability");
  fails(R"({"intent": {"half_life": "0s"}})", "intent.half_life");
  fails(R"({"intent": {"weights": {"view": -1}}})", "intent.weights.view");
  fails(R"({"intent": {"mood": 1}})", "intent.mood");
}

TEST_CASE("alerts are deterministic and a reversed period is refused") {
  Log log;
  log.add("a", EventType::friend_added, 0)
      .add("a", EventType::message_in, hour, "加微信")
      .add("b", EventType::friend_deleted, 2 * hour)
      .view("a", 3 * hour, "price", 600);
  const Pool pool = log.pool();
  const WordList words = parse_word_list(R"({"rules": [{"name": "p", "words": ["微信"]}]})", "w");
  const Timestamp to = at("2024-07-01T00:00:00+08:00");
  const AlertResult one = run(pool, t0, to, AlertPolicy{}, &words);
  const AlertResult two = run(pool, t0, to, AlertPolicy{}, &words);
  CHECK(one.alerts == two.alerts);
  CHECK(one.counts == two.counts);
  CHECK_FALSE(one.alerts.empty());
  for (std::size_t i = 1; i < one.alerts.size(); ++i) {
    CHECK(one.alerts[i - 1].due <= one.alerts[i].due);
  }
  CHECK_THROWS_AS(run(pool, to, t0), ConfigError);
}

}  // namespace siyu

namespace siyu {

// docs/alerts.md: every condition has one instant, so consecutive periods raise each alert
// exactly once. Daily periods that do not start at midnight, over the sample brand with every
// check on (churn at once and in the digest, dormant by silence and by rhythm, chat timeouts
// with escalation, sensitive words, high intent), give what one run over their union gives.
TEST_CASE("daily periods raise the alerts of one run over their union, each once") {
  const Pool pool = testing::sample_pool(1'000);
  const WordList words =
      parse_word_list(R"({"rules": [{"name": "contact", "words": ["微信"]}]})", "words.json");
  for (const std::optional<std::int32_t> digest : {std::optional<std::int32_t>(), {8 * 60}}) {
    AlertPolicy policy;
    policy.churn.digest_minute = digest;
    const Zone zone = pool.options().zone;
    const Timestamp last = pool.events().span()->last;
    const Timestamp from{zone.add_days(last, -60).micros + 7 * hour};
    const Timestamp to = zone.add_days(last, -10);
    const AlertResult whole =
        run_alerts(pool, policy, AlertQuery{.from = from, .to = to, .words = &words});
    std::vector<Alert> pieces;
    for (Timestamp start = from; start <= to;) {
      const Timestamp end = std::min(to, Timestamp{zone.add_days(start, 1).micros - 1});
      const AlertResult part =
          run_alerts(pool, policy, AlertQuery{.from = start, .to = end, .words = &words});
      pieces.insert(pieces.end(), part.alerts.begin(), part.alerts.end());
      start = Timestamp{end.micros + 1};
    }
    std::map<AlertKind, std::size_t> kinds;
    for (const Alert& a : whole.alerts) ++kinds[a.kind];
    for (const AlertKind kind : {AlertKind::churn, AlertKind::dormant, AlertKind::chat_timeout,
                                 AlertKind::sensitive_word, AlertKind::high_intent}) {
      INFO(static_cast<int>(kind));
      CHECK(kinds[kind] > 0);
    }
    // A digest alert is due after the period it arose in: compare in one order.
    const auto in_order = [](const Alert& a, const Alert& b) {
      return std::tie(a.due, a.kind, a.customer, a.happened, a.staff, a.to_manager, a.event,
                      a.reasons) < std::tie(b.due, b.kind, b.customer, b.happened, b.staff,
                                            b.to_manager, b.event, b.reasons);
    };
    std::vector<Alert> once = whole.alerts;
    std::stable_sort(once.begin(), once.end(), in_order);
    std::stable_sort(pieces.begin(), pieces.end(), in_order);
    CHECK(pieces.size() == once.size());
    CHECK(pieces == once);
  }
}

}  // namespace siyu

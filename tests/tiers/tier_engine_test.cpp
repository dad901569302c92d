#include "siyu/tiers/tier_engine.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/metrics/funnel.hpp"
#include "siyu/metrics/kpis.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

const Timestamp t0 = parse_timestamp("2024-05-01T00:00:00+08:00");
constexpr std::int64_t day = 86'400'000'000;

Timestamp on(std::int64_t days) { return Timestamp{t0.micros + days * day}; }

// Builds a pool event by event.
class Log {
 public:
  Log& order(const std::string& customer, std::int64_t days, const std::string& yuan = "100") {
    return add(Event{.ts = on(days),
                     .customer = customer,
                     .type = EventType::order_paid,
                     .amount = parse_money(yuan),
                     .ref = "o" + std::to_string(events_.size())});
  }
  Log& share(const std::string& customer, std::int64_t days) {
    return add(Event{
        .ts = on(days), .customer = customer, .type = EventType::content_shared, .ref = "m1"});
  }
  Log& join(const std::string& customer, std::int64_t days, const std::string& group) {
    return add(
        Event{.ts = on(days), .customer = customer, .type = EventType::group_joined, .ref = group});
  }
  Log& add_friend(const std::string& customer, std::int64_t days, const std::string& staff) {
    return add(Event{
        .ts = on(days), .customer = customer, .type = EventType::friend_added, .staff = staff});
  }
  Pool pool() const {
    Pool pool;
    REQUIRE(pool.add_events(events_).rejected == 0);
    pool.commit();
    return pool;
  }

 private:
  Log& add(Event e) {
    e.id = "e" + std::to_string(events_.size());
    events_.push_back(std::move(e));
    return *this;
  }
  std::vector<Event> events_;
};

// Core: 2 orders in 30 days to enter, 1 to stay; influence: 2 shares, 1 to stay.
TierPolicy test_policy() {
  TierPolicy policy;
  policy.window = Duration::days(30);
  policy.core.all = {Threshold{.feature = Feature::recent_orders, .promote = 2, .keep = 1}};
  policy.core_rank = {Feature::recent_spend};
  policy.influence.any = {
      Threshold{.feature = Feature::recent_content_shares, .promote = 2, .keep = 1}};
  policy.min_dwell = Duration{};
  return policy;
}

Layer layer_of(const TierEngine& engine, const Pool& pool, const std::string& key) {
  return engine.layer(pool.customers().id(key));
}

}  // namespace

TEST_CASE("core, influence and periphery by the policy's thresholds", "[tiers]") {
  const Pool pool = Log()
                        .order("buyer", 0)
                        .order("buyer", 1)
                        .share("sharer", 1)
                        .share("sharer", 2)
                        .order("once", 2)
                        .share("both", 1)
                        .share("both", 2)
                        .order("both", 2)
                        .order("both", 3)
                        .pool();
  TierEngine engine(test_policy());
  engine.rebalance(pool, on(5));
  CHECK(layer_of(engine, pool, "buyer") == Layer::core);
  CHECK(layer_of(engine, pool, "sharer") == Layer::influence);
  CHECK(layer_of(engine, pool, "once") == Layer::periphery);
  CHECK(layer_of(engine, pool, "both") == Layer::core);  // the core comes first
  const TierCounts counts = engine.counts();
  CHECK(counts.layers == std::array<std::uint64_t, 3>{2, 1, 1});
  CHECK(engine.customers().size() == 4);

  const TierAssignment buyer = engine.assignment(pool.customers().id("buyer"));
  CHECK(buyer.layer == Layer::core);
  CHECK(buyer.layer_since == on(5));
  REQUIRE(buyer.reasons.size() == 1);  // no group, no owner: no seat bounds apply
  CHECK(buyer.reasons[0].feature == Feature::recent_orders);
  CHECK(buyer.reasons[0].value == 2);
  CHECK(buyer.reasons[0].bound == 2);
  CHECK(buyer.reasons[0].promote);
  CHECK(buyer.reasons[0].met);
  CHECK(describe(buyer.reasons[0], pool, engine.policy()) ==
        "core: recent_orders 2 >= 2 (to enter, met)");
  const TierAssignment once = engine.assignment(pool.customers().id("once"));
  REQUIRE(once.reasons.size() == 2);  // why not core, why not influence
  CHECK_FALSE(once.reasons[0].met);
  CHECK(once.reasons[1].rule == ReasonRule::influence);
  CHECK_FALSE(once.reasons[1].met);
}

TEST_CASE("hysteresis: promote at one bound, demote only below a lower one", "[tiers]") {
  // Orders on days 0, 1 (2 in the window: promoted), then one every 20 days: with a 30-day
  // window the count swings between 1 and 2 and never drops below the keep bound of 1.
  Log log;
  for (const std::int64_t d : {0, 1, 21, 41, 61}) log.order("a", d);
  const Pool pool = log.pool();
  TierEngine engine(test_policy());
  std::vector<Layer> layers;
  for (std::int64_t d = 2; d <= 100; d += 3) {
    engine.rebalance(pool, on(d));
    layers.push_back(layer_of(engine, pool, "a"));
  }
  // In the core from day 2 until the window holds no order: day 61 + 30 = 91.
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::int64_t d = 2 + 3 * static_cast<std::int64_t>(i);
    CHECK(layers[i] == (d < 91 ? Layer::core : Layer::periphery));
  }
  // Exactly two moves: in, then out. No flapping in between.
  const auto& history = engine.history();
  REQUIRE(history.size() == 2);
  CHECK(history[0].at == on(2));
  CHECK(history[0].to == static_cast<std::uint32_t>(Layer::core));
  CHECK(history[1].at == on(92));
  CHECK(history[1].from == static_cast<std::uint32_t>(Layer::core));
  CHECK(history[1].to == static_cast<std::uint32_t>(Layer::periphery));
  // The demotion says the keep bound failed.
  REQUIRE_FALSE(history[1].reasons.empty());
  CHECK_FALSE(history[1].reasons[0].promote);
  CHECK(history[1].reasons[0].bound == 1);
  CHECK(history[1].reasons[0].value == 0);
}

TEST_CASE("a customer outside the core needs the promote bound, not the keep bound", "[tiers]") {
  const Pool pool = Log().order("a", 0).pool();
  TierEngine engine(test_policy());
  engine.rebalance(pool, on(1));
  CHECK(layer_of(engine, pool, "a") == Layer::periphery);  // 1 order: enough to stay, not to enter
}

TEST_CASE("the minimum dwell holds a customer in place, both ways", "[tiers]") {
  TierPolicy policy = test_policy();
  policy.min_dwell = Duration::days(10);
  const Pool pool = Log().order("a", 0).order("a", 1).pool();
  TierEngine engine(policy);
  engine.rebalance(pool, on(2));
  CHECK(layer_of(engine, pool, "a") == Layer::core);
  engine.rebalance(pool, on(40));  // no order in the window, but 38 days passed: out
  CHECK(layer_of(engine, pool, "a") == Layer::periphery);

  const Pool later = Log().order("b", 0).order("b", 1).order("b", 40).order("b", 41).pool();
  TierEngine held(policy);
  held.rebalance(later, on(2));
  held.rebalance(later, on(35));  // out: no order in (5, 35]
  CHECK(layer_of(held, later, "b") == Layer::periphery);
  held.rebalance(later, on(42));  // qualifies again, but left 7 days ago: held out
  CHECK(layer_of(held, later, "b") == Layer::periphery);
  const TierAssignment b = held.assignment(later.customers().id("b"));
  REQUIRE_FALSE(b.reasons.empty());
  CHECK(b.reasons[0].kind == ReasonKind::dwell);
  CHECK(b.reasons[0].value == 7);
  CHECK(b.reasons[0].bound == 10);
  held.rebalance(later, on(46));  // 11 days after leaving: back in
  CHECK(layer_of(held, later, "b") == Layer::core);
  CHECK(held.history().size() == 3);
}

TEST_CASE("group capacity keeps the best, ties to incumbents then lower ids", "[tiers]") {
  // One group of 12 members: 10 seats per 50 members gives ceil(12 / 5) = 3 seats.
  TierPolicy policy = test_policy();
  policy.capacity = CoreCapacity{.seats_per_group = 10, .group_members = 50};
  Log log;
  for (int i = 0; i < 12; ++i) log.join("m" + std::to_string(i), 0, "g");
  // m0..m4 qualify; m4 spends the most, m1..m3 tie, m0 the least.
  for (const std::string m : {"m0", "m1", "m2", "m3", "m4"}) {
    const std::string amount = m == "m4" ? "500" : m == "m0" ? "50" : "100";
    log.order(m, 1, amount).order(m, 2, amount);
  }
  const Pool pool = log.pool();
  TierEngine engine(policy);
  engine.rebalance(pool, on(3));
  std::vector<std::string> core;
  for (const CustomerId c : engine.customers()) {
    if (engine.layer(c) == Layer::core) core.push_back(pool.customers()[c].key);
  }
  CHECK(core == std::vector<std::string>{"m1", "m2", "m4"});
  const TierAssignment m3 = engine.assignment(pool.customers().id("m3"));
  CHECK(m3.layer == Layer::periphery);
  const auto seat = std::find_if(m3.reasons.begin(), m3.reasons.end(),
                                 [](const Reason& r) { return r.kind == ReasonKind::group_seats; });
  REQUIRE(seat != m3.reasons.end());
  CHECK(seat->value == 4);
  CHECK(seat->bound == 3);
  CHECK_FALSE(seat->met);
  CHECK(describe(*seat, pool, policy) == "core: seat 4 of 3 in group g (not met)");

  // m3 now outspends m1 and m2: it takes m2's seat (m1 ties with m2 and has the lower id).
  Log more = log;
  more.order("m3", 4, "300");
  const Pool next = more.pool();
  engine.rebalance(next, on(5));
  core.clear();
  for (const CustomerId c : engine.customers()) {
    if (engine.layer(c) == Layer::core) core.push_back(next.customers()[c].key);
  }
  CHECK(core == std::vector<std::string>{"m1", "m3", "m4"});
}

TEST_CASE("owner capacity bounds the core per staff member", "[tiers]") {
  TierPolicy policy = test_policy();
  policy.capacity.seats_per_owner = 2;
  Log log;
  for (int i = 0; i < 4; ++i) {
    const std::string c = "c" + std::to_string(i);
    log.add_friend(c, 0, "guide-1").order(c, 1, std::to_string(100 + i)).order(c, 2);
  }
  const Pool pool = log.pool();
  TierEngine engine(policy);
  engine.rebalance(pool, on(3));
  CHECK(layer_of(engine, pool, "c3") == Layer::core);
  CHECK(layer_of(engine, pool, "c2") == Layer::core);
  CHECK(layer_of(engine, pool, "c1") == Layer::periphery);
  const TierAssignment c1 = engine.assignment(pool.customers().id("c1"));
  const auto seat = *std::find_if(c1.reasons.begin(), c1.reasons.end(), [](const Reason& r) {
    return r.kind == ReasonKind::owner_seats;
  });
  CHECK(describe(seat, pool, policy) == "core: seat 3 of 2 for owner guide-1 (not met)");
}

TEST_CASE("rebalances go forward in time and follow the schedule", "[tiers]") {
  const Pool pool = Log().order("a", 0).order("a", 20).pool();
  TierPolicy policy = test_policy();
  policy.rebalance.every_days = 7;
  TierEngine engine(policy);
  // The log starts on 2024-05-01: the first rebalance is the next local midnight.
  const std::vector<Timestamp> times = engine.schedule(pool, Timestamp{t0.micros - 1}, on(20));
  CHECK(times == std::vector<Timestamp>{on(1), on(8), on(15)});
  engine.replay(pool, on(20));
  CHECK(engine.last_rebalance() == on(15));
  CHECK_THROWS_AS(engine.rebalance(pool, on(10)), Error);
  policy.rebalance.anchor = LocalDate{2024, 5, 3};
  CHECK(TierEngine(policy).schedule(pool, Timestamp{t0.micros - 1}, on(20)) ==
        std::vector<Timestamp>{on(2), on(9), on(16)});
}

TEST_CASE("the Septwolves ladder: levels up and down by spend and orders", "[tiers]") {
  TierPolicy policy = test_policy();
  policy.ladder = MembershipLadder{
      .levels = {
          Level{.key = "xiaolang",
                .name = "小狼",
                .qualification = {.all = {{Feature::orders, 1, 1}}},
                .route = "benefits"},
          Level{.key = "zhanlang",
                .name = "战狼",
                .qualification = {.any = {{Feature::recent_spend, 1000'00, 500'00},
                                          {Feature::recent_orders, 3, 2}}},
                .route = "benefits"},
          Level{.key = "jianglang",
                .name = "将狼",
                .qualification = {.all = {{Feature::recent_spend, 3000'00, 2000'00}}},
                .route = "vip-core"},
      }};
  const Pool pool = Log()
                        .order("a", 0, "1200")  // 战狼 by spend
                        .order("b", 0, "50")    // 小狼
                        .order("c", 0, "3500")  // 将狼
                        .order("a", 40, "600")  // window (10, 40]: 600 yuan keeps 战狼
                        .pool();
  TierEngine engine(policy);
  engine.rebalance(pool, on(1));
  CHECK(engine.level(pool.customers().id("a")) == 1U);
  CHECK(engine.level(pool.customers().id("b")) == 0U);
  CHECK(engine.level(pool.customers().id("c")) == 2U);
  engine.rebalance(pool, on(40));
  CHECK(engine.level(pool.customers().id("a")) == 1U);  // 600 ≥ keep 500
  CHECK(engine.level(pool.customers().id("c")) == 0U);  // nothing recent: back to 小狼
  const TierCounts counts = engine.counts();
  CHECK(counts.levels == std::vector<std::uint64_t>{2, 1, 0});
  const auto& moves = engine.history();
  const auto c_down = std::find_if(moves.begin(), moves.end(), [&](const TierMove& m) {
    return m.level && m.customer == pool.customers().id("c") && m.at == on(40);
  });
  REQUIRE(c_down != moves.end());
  CHECK(c_down->from == 2U);
  CHECK(c_down->to == 0U);
  const TierAssignment c = engine.assignment(pool.customers().id("c"));
  // The level held (小狼, kept) and the one above (战狼, to enter).
  REQUIRE(c.level_reasons.size() == 3);
  CHECK(describe(c.level_reasons[0], pool, policy) == "xiaolang: orders 1 >= 1 (to stay, met)");
  CHECK(describe(c.level_reasons[1], pool, policy) ==
        "zhanlang: recent_spend 0.00 yuan >= 500.00 yuan (to stay, any one, not met)");
}

TEST_CASE("replaying the sample brand is deterministic and respects capacity", "[tiers]") {
  const Pool pool = testing::sample_pool(3'000);
  const TierPolicy policy = TierPolicy::defaults();
  const TierEngine first = replay_tiers(pool, policy);
  const TierEngine second = replay_tiers(pool, policy);
  CHECK(first.history() == second.history());
  CHECK(first.counts() == second.counts());
  const TierCounts counts = first.counts();
  CHECK(counts.layers[0] > 0);
  CHECK(counts.layers[1] > 0);
  // No owner holds more core seats than the policy allows.
  std::map<std::uint32_t, std::uint32_t> per_owner;
  const Profiles& profiles = *first.profiles();
  for (const CustomerId c : first.customers()) {
    if (first.layer(c) == Layer::core && profiles[c].owner.has_value()) {
      CHECK(++per_owner[profiles[c].owner.value] <= policy.capacity.seats_per_owner);
    }
  }
  // Every layer move is explained and goes between different layers.
  for (const TierMove& move : first.history()) {
    CHECK(move.from != move.to);
    if (!move.level) CHECK_FALSE(move.reasons.empty());
  }
}

}  // namespace siyu

namespace siyu {

// A host replays up to "now" as time passes: replaying in steps runs the same rebalances as
// one replay, so it must end with the same places and the same history.
TEST_CASE("replaying in steps gives what one replay gives", "[tiers]") {
  const Pool pool = testing::sample_pool(2'000);
  TierPolicy policy = TierPolicy::defaults();
  policy.ladder = MembershipLadder{
      .levels = {Level{.key = "buyer", .qualification = {.all = {{Feature::orders, 1, 1}}}},
                 Level{.key = "regular", .qualification = {.all = {{Feature::orders, 3, 2}}}}}};
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  TierEngine once(policy);
  once.replay(pool, last);
  TierEngine steps(policy);
  for (Timestamp until = zone.add_days(pool.events().span()->first, 5); until < last;
       until = zone.add_days(until, 11)) {
    steps.replay(pool, until);
  }
  steps.replay(pool, last);
  REQUIRE(once.history().size() > 100);
  CHECK(steps.last_rebalance() == once.last_rebalance());
  CHECK(steps.history() == once.history());
  CHECK(steps.counts() == once.counts());
}

TEST_CASE("funnels and KPIs break down by layer and level through the labels", "[tiers]") {
  const Pool pool = testing::sample_pool(2'000);
  TierPolicy policy = TierPolicy::defaults();
  policy.ladder = MembershipLadder{
      .levels = {Level{.key = "buyer", .qualification = {.all = {{Feature::orders, 1, 1}}}}}};
  const TierEngine tiers = replay_tiers(pool, policy);
  FunnelQuery query{.steps = parse_funnel_steps("friend_added,order_paid"),
                    .window = Duration::days(30)};
  query.by = Breakdown{.dimension = Dimension::tier, .labels = layer_labels(tiers, pool)};
  const FunnelResult result = run_funnel(pool, query);
  // Each layer's entrants, counted customer by customer from the levels each one reached.
  const std::vector<std::uint8_t> levels = funnel_levels(pool, query);
  std::map<std::string, std::uint64_t> entered;
  std::map<std::string, std::uint64_t> converted;
  for (std::uint32_t c = 0; c < levels.size(); ++c) {
    if (levels[c] == 0) continue;
    const std::uint32_t label = query.by->labels.of_customer[c];
    const std::string value =
        label == CustomerLabels::no_label ? "" : std::string(to_string(static_cast<Layer>(label)));
    ++entered[value];
    if (levels[c] >= 2) ++converted[value];
  }
  REQUIRE(result.groups.size() == entered.size());
  for (const FunnelGroup& group : result.groups) {
    CHECK(group.steps[0].customers == entered[group.value]);
    CHECK(group.steps[1].customers == converted[group.value]);
  }
  CHECK(result.groups.front().value == "core");

  query.by = Breakdown{.dimension = Dimension::level, .labels = level_labels(tiers, pool)};
  const FunnelResult by_level = run_funnel(pool, query);
  CHECK(by_level.groups.front().value == "buyer");
  CHECK(by_level.groups.back().value.empty());

  // Without labels, a tier breakdown is an error rather than one group of everybody.
  query.by = parse_breakdown("tier");
  CHECK_THROWS_AS(run_funnel(pool, query), ConfigError);
  KpiQuery kpis;
  kpis.by = Breakdown{.dimension = Dimension::tier, .labels = layer_labels(tiers, pool)};
  CHECK(run_kpis(pool, kpis).groups.size() >= 3);
}

}  // namespace siyu

#include "siyu/metrics/funnel.hpp"

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "metrics/funnel_reference.hpp"
#include "metrics/test_log.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/ingest/ingest.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

using testing::base;
using testing::E;
using testing::event_of;
using testing::pool_of;

FunnelQuery query_of(std::string_view steps, Duration window = Duration::days(7),
                     FunnelMode mode = FunnelMode::none) {
  return FunnelQuery{.steps = parse_funnel_steps(steps), .window = window, .mode = mode};
}

// Customers per step.
std::vector<std::uint64_t> counts(const FunnelResult& result) {
  std::vector<std::uint64_t> n;
  for (const FunnelStepResult& s : result.steps) n.push_back(s.customers);
  return n;
}

std::vector<std::uint64_t> counts(const Pool& pool, const FunnelQuery& query) {
  const FunnelResult result = run_funnel(pool, query);
  CHECK(result.steps == reference::funnel(pool, query));  // every hand case also checks the oracle
  return counts(result);
}

using Counts = std::vector<std::uint64_t>;
constexpr std::int64_t day = 86'400;

}  // namespace

TEST_CASE("one event fills one step: two order steps need two orders", "[metrics][funnel]") {
  const Pool one = pool_of({{"c1", "friend_added", 0}, {"c1", "order_paid", 60}});
  const auto q = query_of("friend_added,order_paid,order_paid");
  CHECK(counts(one, q) == Counts{1, 1, 0});
  const Pool two =
      pool_of({{"c1", "friend_added", 0}, {"c1", "order_paid", 60}, {"c1", "order_paid", 120}});
  CHECK(counts(two, q) == Counts{1, 1, 1});
}

TEST_CASE("the window is inclusive: exactly at the window counts, a second past does not",
          "[metrics][funnel]") {
  const auto q = query_of("friend_added,order_paid", Duration::days(7));
  CHECK(counts(pool_of({{"c1", "friend_added", 0}, {"c1", "order_paid", 7 * day}}), q) ==
        Counts{1, 1});
  CHECK(counts(pool_of({{"c1", "friend_added", 0}, {"c1", "order_paid", 7 * day + 1}}), q) ==
        Counts{1, 0});
}

TEST_CASE("any first-step event can start a chain: a later restart gets further",
          "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "friend_added", 10 * day},
                             {"c1", "order_paid", 12 * day}});
  CHECK(counts(pool, query_of("friend_added,order_paid")) == Counts{1, 1});
}

TEST_CASE("equal timestamps keep the order events were accepted in", "[metrics][funnel]") {
  const auto q = query_of("friend_added,order_paid");
  // Accepted first, the order precedes the add it shares a second with.
  CHECK(counts(pool_of({{"c1", "order_paid", 60}, {"c1", "friend_added", 60}}), q) == Counts{1, 0});
  CHECK(counts(pool_of({{"c1", "friend_added", 60}, {"c1", "order_paid", 60}}), q) == Counts{1, 1});
}

TEST_CASE("out-of-order input files give the same funnel as one sorted file", "[metrics][funnel]") {
  const std::vector<E> later = {{"c1", "order_paid", 2 * day}, {"c2", "order_paid", 3 * day}};
  const std::vector<E> earlier = {{"c1", "friend_added", 0}, {"c2", "friend_added", day}};
  Pool split;
  std::size_t n = 0;
  for (const auto* file : {&later, &earlier}) {
    std::vector<Event> batch;
    for (const E& e : *file) batch.push_back(event_of(e, n++));
    (void)split.add_events(batch);
    split.commit();
  }
  const auto q = query_of("friend_added,order_paid");
  CHECK(counts(split, q) == Counts{2, 2});
  CHECK(run_funnel(split, q) ==
        run_funnel(pool_of({earlier[0], earlier[1], later[0], later[1]}), q));
}

TEST_CASE("a duplicate id counts once", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 60, "", "", "10", "order-a"},
                             {"c1", "order_paid", 60, "", "", "10", "order-a"}});
  CHECK(pool.events().size() == 2);
  CHECK(counts(pool, query_of("friend_added,order_paid,order_paid")) == Counts{1, 1, 0});
}

TEST_CASE("ISO timestamps with and without an offset name the same instants", "[metrics][funnel]") {
  Pool pool(PoolOptions{.zone = parse_zone("+08:00")});
  std::istringstream csv(
      "id,ts,customer,type,staff,channel,product,amount,ref,duration,text\n"
      "a,2024-05-01 10:00:00,c1,friend_added,,,,,,,\n"
      "b,2024-05-01T02:00:00Z,c1,order_paid,,,,19.90,o-1,,\n"
      "c,2024-05-01T10:00:00+08:00,c2,friend_added,,,,,,,\n"
      "d,2024-05-01T10:00:01+08:00,c2,order_paid,,,,19.90,o-2,,\n");
  REQUIRE(ingest(pool, csv, InputFormat::csv, "iso.csv").clean());
  // A zero window: only events at the very instant of the add convert.
  CHECK(counts(pool, query_of("friend_added,order_paid", Duration{})) == Counts{2, 1});
}

TEST_CASE("strict_order: no event of another step between matched steps", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 60},
                             {"c1", "content_viewed", 120},
                             {"c1", "order_paid", 180}});
  const auto steps = "friend_added,content_viewed,order_paid";
  CHECK(counts(pool, query_of(steps)) == Counts{1, 1, 1});
  CHECK(counts(pool, query_of(steps, Duration::days(7), FunnelMode::strict_order)) ==
        Counts{1, 0, 0});
  // Repeats of the two steps being joined do not interrupt.
  const Pool repeats = pool_of({{"c1", "friend_added", 0},
                                {"c1", "friend_added", 60},
                                {"c1", "content_viewed", 120},
                                {"c1", "content_viewed", 180},
                                {"c1", "order_paid", 240}});
  CHECK(counts(repeats, query_of(steps, Duration::days(7), FunnelMode::strict_order)) ==
        Counts{1, 1, 1});
}

TEST_CASE("strict_increase: equal timestamps do not advance", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 60}, {"c1", "order_paid", 60}});
  CHECK(counts(pool, query_of("friend_added,order_paid")) == Counts{1, 1});
  CHECK(counts(pool, query_of("friend_added,order_paid", Duration::days(7),
                              FunnelMode::strict_increase)) == Counts{1, 0});
}

TEST_CASE("strict_once: an event type counts once per chain", "[metrics][funnel]") {
  const Pool pool =
      pool_of({{"c1", "friend_added", 0}, {"c1", "order_paid", 60}, {"c1", "order_paid", 120}});
  CHECK(counts(pool, query_of("friend_added,order_paid,order_paid", Duration::days(7),
                              FunnelMode::strict_once)) == Counts{1, 1, 0});
}

TEST_CASE("strict_deduplication: a repeated step breaks the chain", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "content_viewed", 60},
                             {"c1", "content_viewed", 120},
                             {"c1", "order_paid", 180}});
  const auto steps = "friend_added,content_viewed,order_paid";
  CHECK(counts(pool, query_of(steps)) == Counts{1, 1, 1});
  CHECK(counts(pool, query_of(steps, Duration::days(7), FunnelMode::strict_deduplication)) ==
        Counts{1, 1, 0});
  // A repeated first step restarts instead: the later add carries on.
  const Pool restart = pool_of(
      {{"c1", "friend_added", 0}, {"c1", "friend_added", 60}, {"c1", "content_viewed", 120}});
  CHECK(counts(restart, query_of("friend_added,content_viewed", Duration::days(7),
                                 FunnelMode::strict_deduplication)) == Counts{1, 1});
}

TEST_CASE("modes combine", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 60},
                             {"c1", "content_viewed", 60},
                             {"c1", "content_viewed", 120},
                             {"c1", "order_paid", 180}});
  const auto mode = parse_funnel_mode("strict_increase,strict_deduplication");
  CHECK(to_string(mode) == "strict_increase,strict_deduplication");
  CHECK(counts(pool, query_of("friend_added,content_viewed,order_paid", Duration::days(7), mode)) ==
        Counts{1, 0, 0});
}

TEST_CASE("an exclusion drops customers who do it between two steps", "[metrics][funnel]") {
  auto q = query_of("friend_added,order_paid");
  q.exclusions.push_back(parse_funnel_exclusion("friend_deleted@1-2"));
  CHECK(counts(pool_of({{"c1", "friend_added", 0},
                        {"c1", "friend_deleted", 60},
                        {"c1", "order_paid", 120}}),
               q) == Counts{1, 0});
  CHECK(counts(pool_of({{"c1", "friend_added", 0},
                        {"c1", "order_paid", 60},
                        {"c1", "friend_deleted", 120}}),
               q) == Counts{1, 1});
  // Added again after the deletion: the new chain is clean.
  CHECK(counts(pool_of({{"c1", "friend_added", 0},
                        {"c1", "friend_deleted", 60},
                        {"c1", "friend_added", 120},
                        {"c1", "order_paid", 180}}),
               q) == Counts{1, 1});
}

TEST_CASE("an exclusion before an optional step bars passing over it too", "[metrics][funnel]") {
  auto q = query_of("friend_added,content_viewed?,order_paid");
  q.exclusions.push_back(parse_funnel_exclusion("friend_deleted@1-2"));
  const Pool pool =
      pool_of({{"c1", "friend_added", 0}, {"c1", "friend_deleted", 60}, {"c1", "order_paid", 120}});
  CHECK(counts(pool, q) == Counts{1, 0, 0});
}

TEST_CASE("a step's own window bounds it from the previous step", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "content_viewed", 2 * day},
                             {"c1", "order_paid", 2 * day + 60}});
  CHECK(counts(pool, query_of("friend_added,content_viewed[within=1d],order_paid")) ==
        Counts{1, 0, 0});
  CHECK(counts(pool, query_of("friend_added,content_viewed,order_paid[within=1m]")) ==
        Counts{1, 1, 1});
}

TEST_CASE("an optional step may be passed over", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 60},
                             {"c2", "friend_added", 0},
                             {"c2", "content_viewed", 30},
                             {"c2", "order_paid", 60}});
  CHECK(counts(pool, query_of("friend_added,content_viewed,order_paid")) == Counts{2, 1, 1});
  CHECK(counts(pool, query_of("friend_added,content_viewed?,order_paid")) == Counts{2, 2, 2});
}

TEST_CASE("funnels of more than ten steps work", "[metrics][funnel]") {
  std::vector<E> events = {{"c1", "friend_added", 0}};
  for (int i = 1; i <= 11; ++i) events.push_back({"c1", "content_viewed", i * 60});
  std::string steps = "friend_added";
  for (int i = 0; i < 12; ++i) steps += ",content_viewed";
  const Counts reached = counts(pool_of(events), query_of(steps));
  REQUIRE(reached.size() == 13);
  CHECK(reached[11] == 1);
  CHECK(reached[12] == 0);
}

TEST_CASE("filters narrow a step to a channel, product or amount", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0, "poster"},
                             {"c1", "order_paid", 60, "", "tea", "99"},
                             {"c2", "friend_added", 0, "package-card"},
                             {"c2", "order_paid", 60, "", "cup", "300"}});
  CHECK(counts(pool, query_of("friend_added[channel=poster],order_paid")) == Counts{1, 1});
  CHECK(counts(pool, query_of("friend_added,order_paid[product=cup]")) == Counts{2, 1});
  CHECK(counts(pool, query_of("friend_added,order_paid[amount>=100]")) == Counts{2, 1});
  CHECK(counts(pool, query_of("friend_added,order_paid[amount<=99.00]")) == Counts{2, 1});
  CHECK_THROWS_AS(run_funnel(pool, query_of("friend_added,order_paid[product=none]")), NotFound);
}

TEST_CASE("time to convert: nearest-rank median and p90 of the shortest times",
          "[metrics][funnel]") {
  std::vector<E> events;
  for (int c = 1; c <= 10; ++c) {
    const std::string key = "c" + std::to_string(c);
    events.push_back({key, "friend_added", 0});
    events.push_back({key, "content_viewed", c * 60});
    events.push_back({key, "order_paid", c * 60 + 30});
  }
  const FunnelResult result =
      run_funnel(pool_of(events), query_of("friend_added,content_viewed,order_paid"));
  CHECK(!result.steps[0].median_from_previous.has_value());
  CHECK(result.steps[1].median_from_previous == Duration::minutes(5));
  CHECK(result.steps[1].p90_from_previous == Duration::minutes(9));
  CHECK(result.steps[2].median_from_previous == Duration::seconds(30));
  CHECK(result.steps[2].median_from_first == Duration::seconds(5 * 60 + 30));
  CHECK(result.steps[2].p90_from_first == Duration::seconds(9 * 60 + 30));
}

TEST_CASE("from and to bound the first step only", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0},
                             {"c1", "order_paid", 2 * day},
                             {"c2", "friend_added", 3 * day},
                             {"c2", "order_paid", 4 * day}});
  auto q = query_of("friend_added,order_paid");
  q.from = base;
  q.to = Timestamp{base.micros + day * 1'000'000};
  CHECK(counts(pool, q) == Counts{1, 1});
}

TEST_CASE("a breakdown counts each channel of acquisition apart", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0, "poster"},
                             {"c1", "order_paid", 60},
                             {"c2", "friend_added", 0, "package-card"},
                             {"c3", "friend_added", 0, "poster"},
                             {"c4", "content_viewed", 0}});
  auto q = query_of("friend_added,order_paid");
  q.by = parse_breakdown("channel");
  const FunnelResult result = run_funnel(pool, q);
  CHECK(counts(result) == Counts{3, 1});
  REQUIRE(result.groups.size() == 2);  // c4 never entered: no group without a value
  CHECK(result.groups[0].value == "package-card");
  CHECK(counts(FunnelResult{.steps = result.groups[0].steps}) == Counts{1, 0});
  CHECK(result.groups[1].value == "poster");
  CHECK(counts(FunnelResult{.steps = result.groups[1].steps}) == Counts{2, 1});
  CHECK(result.groups[1].steps[1].conversion_from_first == 0.5);
}

TEST_CASE("invalid funnels are refused with the reason", "[metrics][funnel]") {
  const Pool pool = pool_of({{"c1", "friend_added", 0}});
  CHECK_THROWS_AS(run_funnel(pool, query_of("friend_added?,order_paid")), ConfigError);
  CHECK_THROWS_AS(run_funnel(pool, FunnelQuery{}), ConfigError);
  auto negative = query_of("friend_added,order_paid", Duration{-1});
  CHECK_THROWS_AS(run_funnel(pool, negative), ConfigError);
  auto exclusion = query_of("friend_added,order_paid");
  exclusion.exclusions.push_back(parse_funnel_exclusion("friend_deleted@2-1"));
  CHECK_THROWS_AS(run_funnel(pool, exclusion), ConfigError);
  try {
    (void)run_funnel(pool, query_of("friend_added,order_paid[staff=nobody]"));
    FAIL("expected NotFound");
  } catch (const NotFound& e) {
    CHECK(e.where().record == "step 2");
    CHECK(e.where().field == "staff");
  }
  CHECK_THROWS_AS(parse_funnel_steps("friend_added,order_paid[within=-1d]"), ParseError);
  CHECK_THROWS_AS(parse_funnel_steps("friend_added,order_pad"), ParseError);
  CHECK_THROWS_AS(parse_funnel_mode("strict"), ParseError);
}

TEST_CASE("steps read back as written", "[metrics][funnel]") {
  for (std::string_view text : {"order_paid", "order_paid[product=SKU-7,amount>=199.00,within=3d]?",
                                "custom.trial_class[staff=s01]",
                                "content_viewed[ref=\"a,b]\"\"c\"]", "order_paid[amount=10.00]"}) {
    CHECK(to_string(parse_funnel_step(text)) == text);
  }
  const auto steps = parse_funnel_steps("friend_added[channel=a,staff=b], order_paid?");
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].condition.staff == "b");
  CHECK(steps[1].optional);
  const FunnelExclusion exclusion = parse_funnel_exclusion("friend_deleted[staff=s1]@2-4");
  CHECK(exclusion.after == 2);
  CHECK(exclusion.before == 4);
  CHECK(exclusion.condition.staff == "s1");
}

// Random small logs and queries: the engine must agree with the reference exactly.
TEST_CASE("the engine agrees with the reference on thousands of random logs",
          "[metrics][funnel][property]") {
  std::mt19937_64 random(20241123);
  const auto pick = [&](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(random));
  };
  const std::vector<std::string> types = {"friend_added", "content_viewed", "order_paid",
                                          "message_in", "friend_deleted"};
  const std::vector<std::string> channels = {"", "poster", "card"};
  const std::vector<std::string> products = {"", "tea", "cup"};
  const std::vector<std::string> step_texts = {"friend_added",
                                               "friend_added[channel=poster]",
                                               "friend_added[tag=vip]",
                                               "order_paid[tag=vip]",
                                               "content_viewed",
                                               "content_viewed[within=2m]",
                                               "order_paid",
                                               "order_paid[product=tea]",
                                               "order_paid[amount>=20]",
                                               "message_in",
                                               "content_viewed?",
                                               "order_paid?",
                                               "message_in[within=1m]?"};
  const std::vector<FunnelMode> modes = {
      FunnelMode::none,
      FunnelMode::strict_order,
      FunnelMode::strict_increase,
      FunnelMode::strict_once,
      FunnelMode::strict_deduplication,
      FunnelMode::strict_order | FunnelMode::strict_increase,
      FunnelMode::strict_once | FunnelMode::strict_deduplication};
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<E> events;
    const std::size_t customers = 1 + pick(3);
    for (std::size_t c = 0; c < customers; ++c) {
      const std::size_t n = pick(11);
      // Some customers have only first-step and exclusion events, as most do in a brand.
      const std::size_t kinds = pick(3) == 0 ? 1 : types.size();
      for (std::size_t i = 0; i < n; ++i) {
        E e{"c" + std::to_string(c), kinds == 1 ? "friend_added" : types[pick(kinds)],
            static_cast<std::int64_t>(pick(8)) * 30};  // ties are common
        e.channel = channels[pick(channels.size())];
        e.product = products[pick(products.size())];
        if (e.type == "order_paid") e.amount = std::to_string(10 * (1 + pick(3)));
        if (pick(8) == 0 && !events.empty()) e.id = "dup";  // duplicates, first one wins
        events.push_back(e);
      }
    }
    // Every channel and product exists even if no event names it.
    events.push_back({"zz", "message_in", 0, "poster", "tea"});
    events.push_back({"zz", "message_in", 0, "card", "cup"});
    Pool pool = pool_of(events);
    // Tag filters ask about the customer: about half of them carry the tag.
    testing::tag_customers(pool, "vip", customers, [&] { return pick(2) != 0; });
    FunnelQuery q;
    q.steps.push_back(parse_funnel_step(step_texts[pick(3)]));
    const std::size_t steps = 1 + pick(5);
    for (std::size_t s = 0; s < steps; ++s) {
      q.steps.push_back(parse_funnel_step(step_texts[pick(step_texts.size())]));
    }
    q.window = Duration::seconds(static_cast<std::int64_t>(pick(8)) * 30);
    q.mode = modes[pick(modes.size())];
    if (pick(2) == 0) {
      const std::size_t after = 1 + pick(q.steps.size() - 1);
      const std::size_t before = after + 1 + pick(q.steps.size() - after);
      if (before <= q.steps.size()) {
        q.exclusions.push_back(FunnelExclusion{
            .condition = parse_event_condition(pick(2) == 0 ? "friend_deleted" : "message_in"),
            .after = after,
            .before = before});
      }
    }
    if (pick(4) == 0) q.from = Timestamp{base.micros + 30'000'000};
    if (pick(4) == 0) q.to = Timestamp{base.micros + 150'000'000};
    std::string described;
    for (const FunnelStep& s : q.steps) described += to_string(s) + ' ';
    INFO("trial " << trial << ": " << described << "window " << to_string(q.window) << ", "
                  << to_string(q.mode) << ", " << q.exclusions.size() << " exclusions");
    const FunnelResult result = run_funnel(pool, q);
    REQUIRE(result.steps == reference::funnel(pool, q));
    const auto levels = funnel_levels(pool, q);
    for (const auto& [customer, outcome] : reference::outcomes(pool, q)) {
      REQUIRE(levels[customer.value] == outcome.level);
    }
  }
}

}  // namespace siyu

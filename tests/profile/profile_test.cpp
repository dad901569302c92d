#include "siyu/profile/profile.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "profile/profile_reference.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu {

namespace {

const Timestamp t0 = parse_timestamp("2024-05-01T10:00:00+08:00");
constexpr std::int64_t day = 86'400'000'000;

Event make(const std::string& customer, EventType type, std::int64_t days,
           const std::string& ref = {}, const std::string& amount = {}) {
  static int n = 0;
  Event e{.id = "p" + std::to_string(++n),
          .ts = Timestamp{t0.micros + days * day},
          .customer = customer,
          .type = type,
          .ref = ref};
  if (!amount.empty()) e.amount = parse_money(amount);
  return e;
}

Pool pool_with(const std::vector<Event>& events) {
  Pool pool;
  REQUIRE(pool.add_events(events).rejected == 0);
  pool.commit();
  return pool;
}

CustomerId id(const Pool& pool, const std::string& key) { return pool.customers().id(key); }

}  // namespace

TEST_CASE("profiles match the reference on the sample brand at several clocks and windows",
          "[profile]") {
  const Pool pool = testing::sample_pool();
  const EventLog::Span span = pool.events().span().value();
  for (const Timestamp at : {span.last, Timestamp{span.first.micros + 60 * day},
                             Timestamp{span.last.micros - 45 * day}}) {
    for (const Duration window : {Duration::days(90), Duration::days(7)}) {
      const Profiles profiles = Profiles::compute(pool, ProfileQuery{.at = at, .window = window});
      REQUIRE(profiles.size() == pool.customers().size());
      std::vector<Profile> expected;
      for (std::uint32_t c = 0; c < pool.customers().size(); ++c) {
        expected.push_back(testing::reference_profile(pool, CustomerId{c}, at, window));
      }
      testing::add_reference_invitations(pool, expected, at, window);
      std::size_t mismatches = 0;
      for (std::uint32_t c = 0; c < expected.size(); ++c) {
        if (profiles.all()[c] == expected[c]) continue;
        if (++mismatches <= 3) FAIL_CHECK("customer " << pool.customers()[CustomerId{c}].key);
      }
      CHECK(mismatches == 0);
    }
  }
}

TEST_CASE("spend and orders are net of refunds, matched to orders by id", "[profile]") {
  const Pool pool = pool_with({
      make("a", EventType::order_paid, 0, "o1", "100"),
      make("a", EventType::order_paid, 1, "o2", "50"),
      make("a", EventType::order_refunded, 2, "o1", "30"),          // partial: o1 still counts
      make("a", EventType::order_refunded, 3, "o2", "50"),          // full: o2 no longer counts
      make("a", EventType::order_refunded, 4, "o-elsewhere", "5"),  // names no order of a
  });
  const Profiles profiles = Profiles::compute(pool);
  const Profile& a = profiles[id(pool, "a")];
  CHECK(a.lifetime.orders == 1);
  CHECK(a.lifetime.refunds == 3);
  CHECK(a.lifetime.spend == 100'00 - 30'00 + 0 - 5'00);
  CHECK(a.first_order == Timestamp{t0.micros});
  CHECK(a.last_order == Timestamp{t0.micros + day});
  CHECK(profiles.feature(id(pool, "a"), Feature::spend) == 65'00);
  CHECK(profiles.feature(id(pool, "a"), Feature::orders) == 1);
}

TEST_CASE("the window holds events after clock minus window, up to the clock", "[profile]") {
  const Pool pool = pool_with({
      make("a", EventType::message_in, 0), make("a", EventType::message_in, 10),
      make("a", EventType::message_in, 20),
      make("a", EventType::message_in, 30),  // after the clock
  });
  const Timestamp at{t0.micros + 20 * day};
  const Profiles profiles =
      Profiles::compute(pool, ProfileQuery{.at = at, .window = Duration::days(20)});
  const Profile& a = profiles[id(pool, "a")];
  CHECK(a.lifetime.messages_in == 3);
  CHECK(a.recent.messages_in == 2);  // day 0 is exactly clock − window: outside
  CHECK(a.last_active == at);
  CHECK(profiles.feature(id(pool, "a"), Feature::days_since_active) == 0);
  CHECK(profiles.feature(id(pool, "a"), Feature::tenure_days) == 20);
  CHECK_FALSE(profiles.feature(id(pool, "a"), Feature::days_since_order).has_value());
  CHECK_THROWS_AS(Profiles::compute(pool, ProfileQuery{.window = Duration{}}), Error);
}

TEST_CASE("days count local calendar days in the profile's zone", "[profile]") {
  // 23:30 and 00:30 the next day in UTC+8 are one local day apart, though an hour apart.
  Pool pool;
  const Timestamp order = parse_timestamp("2024-05-01T23:30:00+08:00");
  Event paid{.id = "x",
             .ts = order,
             .customer = "a",
             .type = EventType::order_paid,
             .amount = Money{100},
             .ref = "o"};
  REQUIRE(pool.add_events(std::vector<Event>{paid}).rejected == 0);
  pool.commit();
  const Timestamp clock = parse_timestamp("2024-05-02T00:30:00+08:00");
  CHECK(Profiles::compute(pool, {.at = clock}).feature(id(pool, "a"), Feature::days_since_order) ==
        1);
  CHECK(Profiles::compute(pool, {.at = clock, .zone = Zone::utc()})
            .feature(id(pool, "a"), Feature::days_since_order) == 0);
}

TEST_CASE("inviters count their invitees once, as converted when the invitee paid", "[profile]") {
  const Pool pool = pool_with({
      make("host", EventType::friend_added, 0), make("b", EventType::invited, 1, "host"),
      make("b", EventType::invited, 2, "host"),  // a second invitation of b counts nothing
      make("c", EventType::invited, 3, "host"), make("c", EventType::order_paid, 4, "o1", "9.90"),
      make("d", EventType::invited, 5, "host"), make("d", EventType::order_paid, 6, "o2", "9.90"),
      make("d", EventType::order_refunded, 7, "o2", "9.90"),  // refunded in full: no buyer
  });
  const Profiles profiles = Profiles::compute(pool);
  const Profile& host = profiles[id(pool, "host")];
  CHECK(host.lifetime.invitations == 3);
  CHECK(host.lifetime.converted_invitations == 1);
}

TEST_CASE("a host asking for the inviter alone gets its invitations counted", "[profile]") {
  const Pool pool = pool_with({
      make("host", EventType::friend_added, 0),
      make("b", EventType::invited, 1, "host"),
      make("c", EventType::invited, 3, "host"),
      make("c", EventType::order_paid, 4, "o1", "9.90"),
  });
  const Profiles profiles = Profiles::compute(pool, {.only = {id(pool, "host")}});
  const Profile& host = profiles[id(pool, "host")];
  CHECK(host.lifetime.invitations == 2);
  CHECK(host.lifetime.converted_invitations == 1);
}

TEST_CASE("tags: the directory's, then tag events, one per exclusive group", "[profile]") {
  Pool pool;
  const TagGroupId stage = pool.tag_groups().upsert(TagGroup{.key = "stage", .exclusive = true});
  const TagId lead = pool.tags().upsert(Tag{.key = "lead", .group = stage});
  const TagId buyer = pool.tags().upsert(Tag{.key = "buyer", .group = stage});
  const TagId vip = pool.tags().upsert(Tag{.key = "vip"});
  const TagId tea = pool.tags().upsert(Tag{.key = "tea"});
  pool.customers().upsert(Customer{.key = "a", .tags = {lead, vip}});
  REQUIRE(pool.add_events(std::vector<Event>{make("a", EventType::tag_added, 0, "tea"),
                                             make("a", EventType::tag_added, 1, "buyer"),
                                             make("a", EventType::tag_removed, 2, "vip")})
              .rejected == 0);
  pool.commit();
  const Profiles profiles = Profiles::compute(pool);
  const auto tags = profiles.tags(id(pool, "a"));
  CHECK(std::vector<TagId>(tags.begin(), tags.end()) == std::vector<TagId>{buyer, tea});
  const Profiles before =
      Profiles::compute(pool, ProfileQuery{.at = Timestamp{t0.micros + day / 2}});
  const auto earlier = before.tags(id(pool, "a"));
  CHECK(std::vector<TagId>(earlier.begin(), earlier.end()) == std::vector<TagId>{lead, vip, tea});
}

TEST_CASE("tags with a lifespan expire, or fade without renewing events", "[profile]") {
  Pool pool;
  const TagId trial = pool.tags().upsert(Tag{.key = "trial"});
  const TagId tea = pool.tags().upsert(Tag{.key = "interested_tea"});
  const TagId vip = pool.tags().upsert(Tag{.key = "vip"});
  pool.customers().upsert(Customer{.key = "a", .tags = {vip}});
  REQUIRE(pool
              .add_events(std::vector<Event>{
                  make("a", EventType::message_in, 0), make("a", EventType::tag_added, 1, "trial"),
                  make("a", EventType::tag_added, 1, "interested_tea"),
                  make("a", EventType::content_viewed, 20, "m-tea"),
                  make("a", EventType::message_in, 45),  // renews nothing
              })
              .rejected == 0);
  pool.commit();
  const std::vector<TagLifespan> lifespans = {
      TagLifespan{.tag = "trial", .expires_after = Duration::days(14)},
      TagLifespan{.tag = "interested_tea",
                  .fades_after = Duration::days(30),
                  .renewed_by = {parse_event_condition("content_viewed[ref=m-tea]")}},
      TagLifespan{.tag = "vip", .expires_after = Duration::days(40)}};
  const auto tags_at = [&](std::int64_t days) {
    const Profiles profiles = Profiles::compute(
        pool, ProfileQuery{.at = Timestamp{t0.micros + days * day}, .tag_lifespans = lifespans});
    const auto held = profiles.tags(id(pool, "a"));
    return std::vector<TagId>(held.begin(), held.end());
  };
  CHECK(tags_at(14) == std::vector<TagId>{trial, tea, vip});
  CHECK(tags_at(15) == std::vector<TagId>{tea, vip});  // trial: 14 days after its add
  CHECK(tags_at(40) == std::vector<TagId>{tea});       // vip: 40 days after the first event
  CHECK(tags_at(49) == std::vector<TagId>{tea});       // renewed on day 20: fades on day 50
  CHECK(tags_at(50).empty());
  // Without lifespans nothing lapses.
  const Profiles plain = Profiles::compute(pool);
  CHECK(plain.tags(id(pool, "a")).size() == 3);
}

TEST_CASE("bad tag lifespans are refused with the tag named", "[profile]") {
  Pool pool;
  pool.tags().upsert(Tag{.key = "trial"});
  pool.customers().upsert(Customer{.key = "a"});
  pool.commit();
  const auto compute = [&](TagLifespan lifespan) {
    return Profiles::compute(pool, ProfileQuery{.tag_lifespans = {std::move(lifespan)}});
  };
  CHECK_THROWS_AS(compute(TagLifespan{.tag = "nope", .expires_after = Duration::days(1)}),
                  NotFound);
  CHECK_THROWS_AS(compute(TagLifespan{.tag = "trial"}), ConfigError);
  CHECK_THROWS_AS(compute(TagLifespan{.tag = "trial", .expires_after = Duration::days(0)}),
                  ConfigError);
  CHECK_THROWS_AS(
      compute(TagLifespan{.tag = "trial",
                          .fades_after = Duration::days(3),
                          .renewed_by = {parse_event_condition("message_in[tag=trial]")}}),
      ConfigError);
  CHECK_THROWS_WITH(
      Profiles::compute(
          pool,
          ProfileQuery{
              .tag_lifespans = {TagLifespan{.tag = "trial", .expires_after = Duration::days(1)},
                                TagLifespan{.tag = "trial", .fades_after = Duration::days(1)}}}),
      Catch::Contains("record trial") && Catch::Contains("two lifespans"));
}

TEST_CASE("groups: the groups held now and the home group joined first", "[profile]") {
  const Pool pool = pool_with({
      make("a", EventType::group_joined, 0, "g1"),
      make("a", EventType::group_joined, 1, "g2"),
      make("a", EventType::group_joined, 2, "g3"),
      make("a", EventType::group_left, 3, "g1"),
  });
  const Profiles profiles = Profiles::compute(pool);
  const Profile& a = profiles[id(pool, "a")];
  CHECK(a.groups == 2);
  CHECK(a.home_group == pool.groups().id("g2"));
  CHECK(a.lifetime.group_joins == 3);
}

TEST_CASE("a key linked into another person has an empty profile naming the person", "[profile]") {
  const Pool pool = pool_with({
      make("a", EventType::order_paid, 0, "o1", "10"),
      make("b", EventType::order_paid, 1, "o2", "20"),
      make("b", EventType::identity_linked, 2, "a"),
  });
  const Profiles profiles = Profiles::compute(pool);
  const CustomerId a = id(pool, "a");
  const CustomerId b = id(pool, "b");
  CHECK(profiles.is_person(a));
  CHECK_FALSE(profiles.is_person(b));
  CHECK(profiles[b].customer == a);
  CHECK(profiles[a].lifetime.orders == 2);
  CHECK(profiles[a].lifetime.spend == 30'00);
}

TEST_CASE("subsets profile their persons as the whole pool does, recomputed in place",
          "[profile]") {
  const Pool pool = testing::sample_pool();
  const EventLog::Span span = pool.events().span().value();
  const auto subset_of = [&](const Profiles& everyone, std::uint32_t every) {
    // Every inviter (their invitees' events decide their counts), and every so many others.
    std::vector<CustomerId> persons;
    for (std::uint32_t c = 0; c < everyone.size(); ++c) {
      const CustomerId id{c};
      if (everyone.is_person(id) && (c % every == 0 || everyone[id].lifetime.invitations > 0)) {
        persons.push_back(id);
      }
    }
    return persons;
  };
  Profiles reused;
  for (const auto& [days_back, every] : {std::pair{0, 5U}, std::pair{45, 7U}, std::pair{90, 3U}}) {
    const ProfileQuery whole{.at = Timestamp{span.last.micros - days_back * day}};
    const Profiles everyone = Profiles::compute(pool, whole);
    ProfileQuery query = whole;
    query.only = subset_of(everyone, every);
    REQUIRE(query.only.size() > 10);
    reused.recompute(pool, query);
    const Profiles fresh = Profiles::compute(pool, query);
    REQUIRE(reused.size() == everyone.size());
    std::size_t invitations = 0;
    for (const CustomerId c : query.only) {
      CHECK(reused[c] == everyone[c]);
      CHECK(fresh[c] == everyone[c]);
      const auto tags = reused.tags(c);
      const auto expected = everyone.tags(c);
      CHECK(std::vector<TagId>(tags.begin(), tags.end()) ==
            std::vector<TagId>(expected.begin(), expected.end()));
      invitations += everyone[c].lifetime.invitations;
    }
    CHECK(invitations > 0);
    // Persons left out that nobody asked for read as never seen, whatever the object held.
    std::size_t blank = 0;
    for (std::uint32_t c = 0; c < reused.size(); ++c) {
      const CustomerId id{c};
      if (std::binary_search(query.only.begin(), query.only.end(), id)) continue;
      if (!reused[id].first_seen && reused.tags(id).empty()) ++blank;
    }
    CHECK(blank > reused.size() / 2);
  }
  reused.recompute(pool);
  CHECK(
      std::equal(reused.all().begin(), reused.all().end(), Profiles::compute(pool).all().begin()));
}

TEST_CASE("recomputing in place follows links made since the last call", "[profile]") {
  Pool pool = pool_with({
      make("a", EventType::friend_added, 0),
      make("b", EventType::order_paid, 1, "o1", "10"),
      make("c", EventType::order_paid, 2, "o2", "20"),
  });
  Profiles reused;
  reused.recompute(pool, {.only = {id(pool, "a")}});
  REQUIRE(reused.is_person(id(pool, "c")));
  REQUIRE(
      pool.add_events(std::vector<Event>{make("c", EventType::identity_linked, 3, "b")}).rejected ==
      0);
  pool.commit();
  reused.recompute(pool, {.only = {id(pool, "a")}});
  const Profiles fresh = Profiles::compute(pool, {.only = {id(pool, "a")}});
  for (std::uint32_t c = 0; c < pool.customers().size(); ++c) {
    CHECK(reused.all()[c] == fresh.all()[c]);
  }
  CHECK_FALSE(reused.is_person(id(pool, "c")));
}

TEST_CASE("persons to profile out of order or outside the pool are refused", "[profile]") {
  const Pool pool = testing::sample_pool();
  for (const std::vector<CustomerId>& only :
       {std::vector{CustomerId{5}, CustomerId{2}}, std::vector{CustomerId{2}, CustomerId{2}},
        std::vector{CustomerId{static_cast<std::uint32_t>(pool.customers().size())}}}) {
    try {
      (void)Profiles::compute(pool, {.only = only});
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::invalid_value);
      CHECK(e.where().field == "only");
    }
  }
}

TEST_CASE("features are named, and say their direction and unit", "[profile]") {
  for (std::size_t f = 0; f < feature_count; ++f) {
    const auto feature = static_cast<Feature>(f);
    CHECK(find_feature(to_string(feature)) == feature);
  }
  CHECK_FALSE(find_feature("recent_order").has_value());
  CHECK(is_money(Feature::recent_spend));
  CHECK_FALSE(is_money(Feature::orders));
  CHECK_FALSE(higher_is_better(Feature::days_since_order));
  CHECK(higher_is_better(Feature::recent_converted_invitations));
}

}  // namespace siyu

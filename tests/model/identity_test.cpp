#include "siyu/model/identity.hpp"

#include <string>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

constexpr std::string_view secret = "a pool secret of 32 bytes or so!";

Event added(std::string customer) {
  Event e;
  e.ts = parse_timestamp("2024-04-30T09:00:00+08:00");
  e.customer = std::move(customer);
  e.type = EventType::friend_added;
  return e;
}

Pool pool_with_secret(std::string_view key = secret) {
  return Pool(PoolOptions{.secret = std::string(key)});
}

bool is_hex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("identity kinds have stable names: phone and order accounts are personal", "[model]") {
  for (auto kind : {IdentityKind::external_userid, IdentityKind::unionid, IdentityKind::openid,
                    IdentityKind::phone, IdentityKind::order_account, IdentityKind::custom}) {
    CHECK(parse_identity_kind(to_string(kind)) == kind);
  }
  CHECK(to_string(IdentityKind::order_account) == "order_account");
  CHECK_FALSE(parse_identity_kind("mobile").has_value());
  CHECK(is_personal(IdentityKind::phone));
  CHECK(is_personal(IdentityKind::order_account));
  CHECK_FALSE(is_personal(IdentityKind::unionid));
  CHECK_FALSE(is_personal(IdentityKind::custom));
}

TEST_CASE("keys that hold one identifier become one person at commit", "[model]") {
  Pool pool;
  (void)pool.add_events(std::vector{added("wx_1"), added("mini_1"), added("wx_2")});
  pool.commit();
  const Timestamp at = parse_timestamp("2024-05-01T00:00:00Z");
  const IdentityId union_id =
      pool.add_identity("wx_1", IdentityKind::unionid, "o6_bmasdasdsad6", at);
  CHECK(pool.identities()[union_id].key == "unionid:o6_bmasdasdsad6");
  CHECK(pool.identities()[union_id].display == "o6_bmasdasdsad6");
  CHECK(pool.add_identity("mini_1", IdentityKind::unionid, " o6_bmasdasdsad6 ", at) == union_id);
  CHECK(pool.add_identity("mini_1", IdentityKind::unionid, "o6_bmasdasdsad6", at) == union_id);
  const CustomerId wx = pool.customers().id("wx_1");
  const CustomerId mini = pool.customers().id("mini_1");
  CHECK(pool.person(mini) == mini);  // not before the commit
  pool.commit();
  CHECK(pool.person(mini) == wx);
  CHECK(pool.events().range(wx).size() == 2);
  CHECK(pool.holders(union_id) == std::vector{wx, mini});
  CHECK(pool.identities_of(mini) == std::vector{union_id});

  const Person person = pool.identity(mini);
  CHECK(person.keys == std::vector{wx, mini});
  REQUIRE(person.links.size() == 1);
  CHECK(person.links[0].identity == union_id);
  CHECK_FALSE(person.links[0].event.has_value());
  CHECK(person.links[0].a == wx);
  CHECK(person.links[0].b == mini);
  CHECK(person.links[0].at == at);

  // A key first seen in an identity is a placeholder customer, like one first seen in an event.
  (void)pool.add_identity("tmall_1", IdentityKind::custom, "tmall:nick_1", at);
  CHECK(pool.customers()[pool.customers().id("tmall_1")].placeholder);

  // A wrong match is undone by taking the identifier away: the log regroups at once.
  pool.remove_identity(mini, union_id);
  CHECK(pool.person(mini) == mini);
  CHECK(pool.events().range(wx).size() == 1);
  CHECK(pool.events().range(mini).size() == 1);
  CHECK(pool.holders(union_id) == std::vector{wx});
  CHECK_THROWS_AS(pool.remove_identity(mini, union_id), NotFound);
}

TEST_CASE("phone numbers are kept only as a keyed hash and a masked form", "[model]") {
  Pool pool = pool_with_secret();
  const Timestamp at{};
  const IdentityId phone = pool.add_identity("wx_1", IdentityKind::phone, "13812345678", at);
  const Identity stored = pool.identities()[phone];  // a copy: later adds may reallocate
  CHECK(stored.kind == IdentityKind::phone);
  CHECK(stored.display == "138****5678");
  CHECK(stored.value.size() == 64);
  CHECK(is_hex(stored.value));
  CHECK(stored.key == "phone:" + stored.value);
  CHECK(stored.key.find("13812345678") == std::string::npos);
  CHECK(stored.value.find("12345678") == std::string::npos);

  // The written forms of one number are one identity.
  for (const char* written : {"+86 138-1234-5678", "008613812345678", "8613812345678",
                              "(138) 1234 5678", "+8613812345678"}) {
    INFO(written);
    CHECK(pool.add_identity("wx_2", IdentityKind::phone, written, at) == phone);
  }
  CHECK(pool.find_identity(IdentityKind::phone, "138 1234 5678") == phone);
  CHECK_FALSE(pool.find_identity(IdentityKind::phone, "13912345678").has_value());

  // Numbers abroad keep their country code; short numbers are masked too.
  const IdentityId abroad = pool.add_identity("wx_3", IdentityKind::phone, "+44 20 7946 0958", at);
  CHECK(pool.identities()[abroad].display == "+44****0958");
  const IdentityId short_number = pool.add_identity("wx_3", IdentityKind::phone, "8765432", at);
  CHECK(pool.identities()[short_number].display == "****32");

  // Another secret, another hash: the hashes are useless without the pool's secret.
  Pool other = pool_with_secret("another secret, also long enough");
  const IdentityId elsewhere = other.add_identity("wx_1", IdentityKind::phone, "13812345678", at);
  CHECK(other.identities()[elsewhere].value != stored.value);
  CHECK(other.identities()[elsewhere].display == stored.display);
}

TEST_CASE("shop accounts are hashed and masked by whole characters", "[model]") {
  Pool pool = pool_with_secret();
  const IdentityId latin =
      pool.add_identity("wx_1", IdentityKind::order_account, "tea_lover_88", Timestamp{});
  CHECK(pool.identities()[latin].display == "t***8");
  CHECK(pool.identities()[latin].value.size() == 64);
  const IdentityId chinese =
      pool.add_identity("wx_1", IdentityKind::order_account, "王小明", Timestamp{});
  CHECK(pool.identities()[chinese].display == "王***明");
  const IdentityId one = pool.add_identity("wx_1", IdentityKind::order_account, "王", Timestamp{});
  CHECK(pool.identities()[one].display == "王***");
  // Same digits, other kind: a phone number and an account name are not the same identity.
  const IdentityId as_account =
      pool.add_identity("wx_1", IdentityKind::order_account, "13812345678", Timestamp{});
  const IdentityId as_phone =
      pool.add_identity("wx_1", IdentityKind::phone, "13812345678", Timestamp{});
  CHECK(as_account != as_phone);
}

TEST_CASE("bad identifiers and missing secrets are clear errors", "[model]") {
  Pool pool = pool_with_secret();
  const auto field_of = [&](IdentityKind kind, std::string_view value) {
    try {
      (void)pool.add_identity("wx_1", kind, value, Timestamp{});
    } catch (const ValidationError& e) {
      return e.where().field;
    }
    return std::string("accepted");
  };
  CHECK(field_of(IdentityKind::phone, "138-abcd-5678") == "phone");
  CHECK(field_of(IdentityKind::phone, "12345") == "phone");             // too short
  CHECK(field_of(IdentityKind::phone, "1234567890123456") == "phone");  // too long
  CHECK(field_of(IdentityKind::phone, "23812345678") == "phone");       // 11 digits, not 1 or 0
  CHECK(field_of(IdentityKind::phone, "1381234+5678") == "phone");
  CHECK(field_of(IdentityKind::unionid, "") == "unionid");
  CHECK(field_of(IdentityKind::unionid, "  ") == "unionid");
  CHECK(field_of(IdentityKind::openid, "o\x01x") == "openid");
  CHECK(field_of(IdentityKind::custom, "\xff\xfe") == "custom");
  CHECK(field_of(IdentityKind::custom, std::string(257, 'x')) == "custom");
  CHECK(pool.identities().size() == 0);  // nothing half-added
  CHECK_THROWS_AS(pool.add_identity("", IdentityKind::unionid, "u1", Timestamp{}), ValidationError);

  Pool no_secret;
  CHECK_THROWS_AS(no_secret.add_identity("wx_1", IdentityKind::phone, "13812345678", Timestamp{}),
                  ConfigError);
  Pool short_secret = pool_with_secret("too short");
  CHECK_THROWS_AS(
      short_secret.add_identity("wx_1", IdentityKind::phone, "13812345678", Timestamp{}),
      ConfigError);
  // Identifiers that are not personal need no secret.
  CHECK_NOTHROW(no_secret.add_identity("wx_1", IdentityKind::unionid, "u1", Timestamp{}));
}

TEST_CASE("erasing a person erases the identifiers only they held", "[model]") {
  Pool pool = pool_with_secret();
  (void)pool.add_events(std::vector{added("wx_1"), added("wx_2")});
  const IdentityId phone =
      pool.add_identity("wx_1", IdentityKind::phone, "13812345678", Timestamp{7});
  const IdentityId shared =
      pool.add_identity("wx_1", IdentityKind::unionid, "u-shared", Timestamp{});
  (void)pool.add_identity("wx_2", IdentityKind::unionid, "u-shared", Timestamp{});
  const IdentityId kept = pool.add_identity("wx_2", IdentityKind::unionid, "u-2", Timestamp{});
  pool.commit();
  // wx_1 and wx_2 are one person through the unionid: erasing one erases both.
  const CustomerErasure erasure = pool.erase_customer("wx_1");
  CHECK(erasure.keys.size() == 2);
  for (IdentityId id : {phone, shared, kept}) {
    const Identity& identity = pool.identities()[id];
    CHECK(identity.key.starts_with("~erased-"));
    CHECK(identity.value.empty());
    CHECK(identity.display.empty());
  }
  CHECK_FALSE(pool.find_identity(IdentityKind::phone, "13812345678").has_value());
  CHECK(pool.identities_of(erasure.keys[0]).empty());

  // An identifier the erased record gave up earlier, now held by someone else, stays.
  Pool second = pool_with_secret();
  const IdentityId moved = second.add_identity("wx_1", IdentityKind::openid, "op-1", Timestamp{});
  second.remove_identity(second.customers().id("wx_1"), moved);
  (void)second.add_identity("wx_9", IdentityKind::openid, "op-1", Timestamp{});
  second.commit();
  (void)second.erase_customer("wx_1");
  CHECK(second.identities()[moved].key == "openid:op-1");
  CHECK(second.holders(moved) == std::vector{second.customers().id("wx_9")});
}

}  // namespace siyu

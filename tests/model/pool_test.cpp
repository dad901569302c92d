#include "siyu/model/pool.hpp"

#include <string>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

Event order(std::string id, std::string customer, std::string amount, std::string order_id) {
  Event e;
  e.id = std::move(id);
  e.ts = parse_timestamp("2024-05-01T10:00:00+08:00");
  e.customer = std::move(customer);
  e.type = EventType::order_paid;
  e.amount = parse_money(amount);
  e.ref = std::move(order_id);
  e.staff = "guide-1";
  e.product = "tea-100g";
  return e;
}

Event added(std::string customer, std::string channel = "") {
  Event e;
  e.ts = parse_timestamp("2024-04-30T09:00:00+08:00");
  e.customer = std::move(customer);
  e.type = EventType::friend_added;
  e.staff = "guide-1";
  e.channel = std::move(channel);
  return e;
}

}  // namespace

TEST_CASE("add_events takes views that need to live only for the call", "[model]") {
  Pool pool;
  IngestReport report;
  report.source = "views";
  std::string buffer = "o-1|c1|A1|first message";
  const std::string_view text(buffer);
  EventView view;
  view.id = text.substr(0, 3);
  view.ts = parse_timestamp("2024-05-01T10:00:00+08:00");
  view.customer = text.substr(4, 2);
  view.type = EventType::order_paid;
  view.amount = parse_money("19.90");
  view.ref = text.substr(7, 2);
  view.text = text.substr(10);
  EventView unpaid = view;
  unpaid.ref = {};
  const std::vector<std::int64_t> lines = {7, 8};
  const std::vector<std::string_view> raw = {"", "the raw line"};
  pool.add_events(std::vector{view, unpaid}, report, lines, raw);
  buffer.assign(buffer.size(), '#');  // the reader's buffer moves on
  pool.commit();

  CHECK(report.read == 2);
  CHECK(report.accepted == 1);
  CHECK(report.rejected == 1);
  REQUIRE(pool.events().size() == 1);
  const LoggedEvent logged = pool.events().at(0);
  CHECK(pool.customers()[logged.customer].key == "c1");
  CHECK(pool.refs()[RefId{logged.ref}].key == "A1");
  CHECK(logged.text == "first message");
  REQUIRE(pool.quarantine().size() == 1);
  CHECK(pool.quarantine()[0].source == "views");
  CHECK(pool.quarantine()[0].line == 8);
  CHECK(pool.quarantine()[0].field == "ref");
  CHECK(pool.quarantine()[0].raw == "the raw line");
}

TEST_CASE("reserving room is a hint that changes nothing else", "[model]") {
  Pool pool;
  const auto first = pool.add_events(std::vector{added("c1")});
  pool.reserve(5000, 1 << 16);  // with an event already staged
  const auto second = pool.add_events(std::vector{added("c1"), order("o-1", "c1", "19.90", "A1")});
  pool.reserve(0);
  pool.commit();
  CHECK(first.accepted == 1);
  CHECK(second.accepted == 1);
  CHECK(second.duplicate == 1);
  CHECK(pool.events().size() == 2);
}

TEST_CASE("accepted events appear in the log on commit", "[model]") {
  Pool pool;
  const auto report = pool.add_events(std::vector{added("c1"), order("o-1", "c1", "19.90", "A1")});
  CHECK(report.read == 2);
  CHECK(report.accepted == 2);
  CHECK(report.clean());
  CHECK(pool.staged() == 2);
  CHECK(pool.events().size() == 0);
  pool.commit();
  CHECK(pool.staged() == 0);
  REQUIRE(pool.events().size() == 2);
  const LoggedEvent paid = pool.events().at(1);
  CHECK(paid.type == EventType::order_paid);
  CHECK(paid.amount == Money{1990});
  CHECK(pool.refs()[RefId{paid.ref}].key == "A1");
  CHECK(pool.products()[paid.product].key == "tea-100g");
  CHECK(pool.staff()[paid.staff].key == "guide-1");
  CHECK(pool.customers()[paid.customer].key == "c1");
}

TEST_CASE("keys first seen in events become counted placeholders", "[model]") {
  Pool pool;
  pool.staff().upsert(Staff{.key = "guide-1", .name = "王导购"});
  Event viewed;
  viewed.ts = parse_timestamp("2024-05-01T10:00:00Z");
  viewed.customer = "c1";
  viewed.type = EventType::content_viewed;
  viewed.ref = "price-page";
  viewed.duration = Duration::seconds(42);
  const auto report = pool.add_events(
      std::vector{added("c1", "package-card"), viewed, order("o-1", "c2", "5", "A2")});
  CHECK(report.placeholders.customers == 2);
  CHECK(report.placeholders.staff == 0);
  CHECK(report.placeholders.channels == 1);
  CHECK(report.placeholders.materials == 1);
  CHECK(report.placeholders.products == 1);
  CHECK(pool.channels()[pool.channels().id("package-card")].placeholder);
  CHECK_FALSE(pool.staff()[pool.staff().id("guide-1")].placeholder);
  // The host describes a placeholder later: it becomes a full record, same id.
  const ChannelId id = pool.channels().id("package-card");
  CHECK(pool.channels().upsert(Channel{.key = "package-card", .name = "包裹卡"}) == id);
  CHECK_FALSE(pool.channels()[id].placeholder);
}

TEST_CASE("a live code in the channel field stands for its channel", "[model]") {
  Pool pool;
  const ChannelId poster = pool.channels().upsert(Channel{.key = "poster", .name = "门店海报"});
  pool.live_codes().upsert(LiveCode{.key = "code-7", .channel = poster});
  (void)pool.add_events(std::vector{added("c1", "code-7")});
  pool.commit();
  CHECK(pool.events().at(0).channel == poster);
  CHECK(pool.channels().size() == 1);
}

TEST_CASE("ids make adding idempotent: conflicting content is reported", "[model]") {
  Pool pool;
  (void)pool.add_events(std::vector{order("o-1", "c1", "19.90", "A1")});
  const auto again = pool.add_events(
      std::vector{order("o-1", "c1", "19.90", "A1"), order("o-1", "c1", "99.00", "A1")});
  CHECK(again.read == 2);
  CHECK(again.duplicate == 2);
  CHECK(again.conflicting == 1);
  REQUIRE(again.conflicts.size() == 1);
  CHECK(again.conflicts[0].record == "o-1");
  pool.commit();
  REQUIRE(pool.events().size() == 1);
  CHECK(pool.events().at(0).amount == Money{1990});  // the first one wins
}

TEST_CASE("events without an id get one from their content", "[model]") {
  Pool pool;
  const auto first = pool.add_events(std::vector{added("c1"), added("c1"), added("c2")});
  CHECK(first.accepted == 2);
  CHECK(first.duplicate == 1);
  CHECK(first.conflicting == 0);
}

TEST_CASE("each validation rule rejects into the quarantine with its field", "[model]") {
  Pool pool;
  struct Case {
    Event event;
    std::string field;
    ErrorCode code;
  };
  std::vector<Case> cases;
  auto base = order("bad", "c1", "1", "A1");
  {
    Event e = base;
    e.customer.clear();
    cases.push_back({e, "customer", ErrorCode::missing_field});
  }
  {
    Event e = base;
    e.amount.reset();
    cases.push_back({e, "amount", ErrorCode::missing_field});
  }
  {
    Event e = base;
    e.amount = Money{-100};
    cases.push_back({e, "amount", ErrorCode::invalid_value});
  }
  {
    Event e = base;
    e.ref.clear();
    cases.push_back({e, "ref", ErrorCode::missing_field});
  }
  {
    Event e = added("c1");
    e.type = EventType::invited;
    cases.push_back({e, "ref", ErrorCode::missing_field});
    e.ref = "c1";
    cases.push_back({e, "ref", ErrorCode::invalid_value});
  }
  {
    Event e = added("c1");
    e.type = EventType::tag_added;
    cases.push_back({e, "ref", ErrorCode::missing_field});
    e.type = EventType::coupon_redeemed;
    cases.push_back({e, "ref", ErrorCode::missing_field});
  }
  {
    Event e = added("c1");
    e.type = EventType::custom;
    cases.push_back({e, "type", ErrorCode::invalid_value});
    e.custom_name = "has space";
    cases.push_back({e, "type", ErrorCode::invalid_value});
  }
  {
    Event e = added("c1");
    e.duration = Duration::milliseconds(1500);
    cases.push_back({e, "duration", ErrorCode::invalid_value});
    e.duration = -Duration::seconds(1);
    cases.push_back({e, "duration", ErrorCode::invalid_value});
  }
  {
    Event e = added("c1");
    // Overlong, a surrogate, past U+10FFFF, a bad continuation after valid Chinese and a
    // long ASCII run, a sequence cut short at the end.
    for (const std::string& bad :
         {std::string("bad \xC0\xAF utf8"), std::string("\xED\xA0\x80"),
          std::string("\xF4\x90\x80\x80"),
          std::string("您好，这是一条很长的消息 and then plenty of ASCII \xE4\xBD\x41"),
          std::string("末尾截断\xE5\xA5")}) {
      e.text = bad;
      cases.push_back({e, "text", ErrorCode::invalid_value});
    }
    e.text = "";
    e.staff = std::string("s\xFF");
    cases.push_back({e, "staff", ErrorCode::invalid_value});
  }
  {
    Event e = added("c1");
    e.ts = Timestamp{Timestamp::latest().micros + 1};
    cases.push_back({e, "ts", ErrorCode::out_of_range});
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].event.id = "bad-" + std::to_string(i);
    CAPTURE(i, cases[i].field);
    const auto report = pool.add_events(std::vector{cases[i].event});
    CHECK(report.rejected == 1);
    REQUIRE(report.rejections.size() == 1);
    CHECK(report.rejections[0].field == cases[i].field);
    CHECK(report.rejections[0].code == cases[i].code);
    CHECK(report.rejections[0].record == cases[i].event.id);
    CHECK(report.rejections[0].raw == format_event_csv(cases[i].event));
  }
  CHECK(pool.quarantine().size() == cases.size());
  CHECK(pool.staged() == 0);
  CHECK(pool.customers().size() == 0);  // rejected events leave no placeholders
}

TEST_CASE("text of every UTF-8 sequence length is accepted", "[model]") {
  Pool pool;
  Event e = added("客户-1");
  e.text = "ASCII first, then 2 bytes é, 3 bytes 您好 and 4 bytes 😀 at the end: 😀";
  const auto report = pool.add_events(std::vector{e});
  CHECK(report.accepted == 1);
  CHECK(report.rejected == 0);
}

TEST_CASE("a rejected id can be sent again once fixed", "[model]") {
  Pool pool;
  Event e = order("o-9", "c1", "1", "");
  CHECK(pool.add_events(std::vector{e}).rejected == 1);
  e.ref = "A9";
  CHECK(pool.add_events(std::vector{e}).accepted == 1);
}

TEST_CASE("batch origins name the source, lines and raw records", "[model]") {
  Pool pool;
  Event bad = added("");
  const std::vector<std::int64_t> lines{7};
  const std::vector<std::string> raw{"row as read"};
  const auto report = pool.add_events(std::vector{bad},
                                      BatchOrigin{.source = "in.csv", .lines = lines, .raw = raw});
  REQUIRE(pool.quarantine().size() == 1);
  const QuarantineRecord& q = pool.quarantine()[0];
  CHECK(q.source == "in.csv");
  CHECK(q.line == 7);
  CHECK(q.raw == "row as read");
  CHECK(q.reason == "customer key is empty");
  CHECK(report.source == "in.csv");
}

TEST_CASE("reports add up over several sources", "[model]") {
  IngestReport total;
  IngestReport a{.source = "a", .read = 3, .accepted = 2, .rejected = 1};
  a.placeholders.customers = 2;
  IngestReport b{.source = "b", .read = 4, .accepted = 1, .duplicate = 3};
  total += a;
  total += b;
  CHECK(total.read == 7);
  CHECK(total.accepted + total.duplicate + total.rejected == total.read);
  CHECK(total.placeholders.customers == 2);
}

TEST_CASE("custom events keep their name", "[model]") {
  Pool pool;
  Event e = added("c1");
  e.type = EventType::custom;
  e.custom_name = "trial_class";
  e.ref = "room-3";
  (void)pool.add_events(std::vector{e});
  pool.commit();
  const LoggedEvent logged = pool.events().at(0);
  CHECK(pool.custom_names()[CustomNameId{logged.custom_name}].key == "trial_class");
  CHECK(pool.refs()[RefId{logged.ref}].key == "room-3");
}

}  // namespace siyu

namespace siyu {

TEST_CASE("erasing a customer in memory", "[model]") {
  Pool pool;
  (void)pool.add_events(std::vector{added("c1"), added("c2"), order("o-1", "c1", "5", "A1")});
  pool.commit();
  // Staged, not committed: c1's order and message between c2's messages.
  Event message{.id = "m-1",
                .ts = parse_timestamp("2024-05-02T10:00:00+08:00"),
                .customer = "c2",
                .type = EventType::message_in,
                .text = "c2 first"};
  (void)pool.add_events(std::vector{message});
  (void)pool.add_events(std::vector{order("o-2", "c1", "6", "A2")});
  message.id = "m-2";
  message.customer = "c1";
  message.text = "c1 secret";
  (void)pool.add_events(std::vector{message});
  message.id = "m-3";
  message.customer = "c2";
  message.text = "c2 second";
  (void)pool.add_events(std::vector{message});
  Event bad = order("o-3", "c1", "1", "");
  (void)pool.add_events(std::vector{bad});
  REQUIRE(pool.quarantine().size() == 1);

  const CustomerErasure erasure = pool.erase_customer("c1");
  CHECK(erasure.events == 4);
  CHECK(erasure.quarantine == 1);
  CHECK(pool.staged() == 2);  // c2's messages, in order, with their own texts
  pool.commit();
  REQUIRE(pool.events().size() == 3);
  CHECK(pool.events().at(0).customer == pool.customers().id("c2"));
  CHECK(pool.events().at(1).text == "c2 first");
  CHECK(pool.events().at(2).text == "c2 second");
  CHECK(pool.quarantine().empty());
  CHECK(pool.customers()[erasure.customer].key == "~erased-0");
  CHECK_FALSE(pool.customers().find("c1").has_value());
  CHECK_THROWS_AS(pool.erase_customer("c1"), NotFound);
  // The key is free again: a new event makes a new customer (the old events stay
  // duplicates by their ids, so re-reading them does not bring the person back).
  Event again = added("c1");
  CHECK(pool.add_events(std::vector{again}).duplicate == 1);
  again.ts = parse_timestamp("2024-07-01T09:00:00+08:00");
  (void)pool.add_events(std::vector{again});
  pool.commit();
  CHECK(pool.customers().id("c1") != erasure.customer);
}

}  // namespace siyu

namespace siyu {

TEST_CASE("identity links make one person: unlink splits them again", "[model]") {
  Pool pool;
  (void)pool.add_events(std::vector{added("wx_1"), order("o-1", "un_1", "5", "A1"), added("c2")});
  pool.commit();
  const CustomerId wx = pool.customers().id("wx_1");
  const CustomerId un = pool.customers().id("un_1");
  CHECK(pool.person(un) == un);

  Event link = added("un_1");
  link.id = "link-1";
  link.type = EventType::identity_linked;
  link.ref = "wx_1";
  (void)pool.add_events(std::vector{link});
  pool.commit();
  CHECK(pool.person(un) == wx);  // the smaller id names the person
  CHECK(pool.person(wx) == wx);
  const Person identity = pool.identity(un);
  CHECK(identity.person == wx);
  CHECK(identity.keys == std::vector{wx, un});
  REQUIRE(identity.links.size() == 1);
  CHECK(identity.links[0].a == un);
  CHECK(identity.links[0].b == wx);
  // The person's events, from both keys, are one range in time order.
  const auto range = pool.events().range(wx);
  REQUIRE(range.size() == 3);
  CHECK(pool.events().at(range.begin).type == EventType::friend_added);
  CHECK(pool.events().at(range.begin + 1).key == un);
  CHECK(pool.events().range(un).size() == 0);

  pool.unlink(identity.links[0].event);
  CHECK(pool.person(un) == un);
  CHECK(pool.events().range(wx).size() == 1);
  CHECK(pool.events().range(un).size() == 2);
  CHECK_FALSE(pool.identity_links()[0].active);
  CHECK_THROWS_AS(pool.unlink(identity.links[0].event), NotFound);
}

TEST_CASE("erasing a person erases every linked key", "[model]") {
  Pool pool;
  Event link = added("un_1");
  link.type = EventType::identity_linked;
  link.ref = "wx_1";
  (void)pool.add_events(std::vector{added("wx_1"), link, added("c2")});
  pool.commit();
  const CustomerErasure erasure = pool.erase_customer("un_1");
  CHECK(erasure.keys.size() == 2);
  CHECK(erasure.events == 2);
  CHECK_FALSE(pool.customers().find("wx_1").has_value());
  CHECK_FALSE(pool.customers().find("un_1").has_value());
  CHECK(pool.events().size() == 1);
}

}  // namespace siyu

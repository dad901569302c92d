#include "siyu/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "siyu/core/iso8601.hpp"
#include "siyu/ingest/ingest.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

namespace siyu {

namespace {

using testing::TempDir;

// A pool with every kind of record, list and event field the store keeps.
Pool rich_pool() {
  Pool pool(PoolOptions{.zone = Zone{-5 * 3600}});
  const StaffId guide = pool.staff().upsert(Staff{.key = "g1",
                                                  .name = "王导购",
                                                  .role = StaffRole::front_office,
                                                  .store = "上海1店",
                                                  .branch = "华东",
                                                  .team = "A"});
  const StaffId ops =
      pool.staff().upsert(Staff{.key = "ops",
                                .role = StaffRole::middle_office,
                                .resigned_at = parse_timestamp("2024-06-01T00:00:00Z")});
  const ChannelId card =
      pool.channels().upsert(Channel{.key = "card", .name = "包裹卡", .kind = "package_card"});
  const TagGroupId source =
      pool.tag_groups().upsert(TagGroup{.key = "source", .name = "来源", .exclusive = true});
  const TagId vip = pool.tags().upsert(Tag{.key = "vip", .name = "VIP", .group = source});
  const ProductId tea = pool.products().upsert(Product{.key = "tea-100g",
                                                       .name = "Tea",
                                                       .category = "tea",
                                                       .price = Money{9900},
                                                       .standardization = Standardization::standard,
                                                       .margin_basis_points = 6500});
  pool.coupons().upsert(Coupon{.key = "c10",
                               .name = "10 off",
                               .face_value = Money{1000},
                               .minimum_spend = Money{5000},
                               .product = tea});
  pool.materials().upsert(
      Material{.key = "video-1", .title = "How to brew", .kind = "video", .product = tea});
  pool.groups().upsert(Group{.key = "vip-group", .name = "VIP 群", .owner = guide});
  pool.live_codes().upsert(LiveCode{.key = "code-1",
                                    .channel = card,
                                    .staff = {guide, ops},
                                    .auto_tags = {vip},
                                    .daily_add_limit = 280});
  pool.customers().upsert(Customer{
      .key = "c1",
      .owner = guide,
      .follow_up = ops,
      .owner_history = {{.at = Timestamp{5}, .to = ops, .reason = "first add"},
                        {.at = Timestamp{9}, .from = ops, .to = guide, .reason = "transfer"}},
      .channel = card,
      .tags = {vip},
      .marketing_opt_out = true,
      .created_at = Timestamp{1}});
  std::istringstream csv(
      "id,ts,customer,type,staff,channel,product,amount,ref,duration,text\n"
      "e1,1714528800,c1,friend_added,g1,code-1,,,,,\n"
      "e2,1714528900,c1,order_paid,g1,,tea-100g,19.90,A1,,\n"
      "e3,1714529000,c2,content_viewed,,,,,video-1,42,\n"
      "e4,1714529100,c2,message_in,,,,,,,\"你好, 加微信 vx123\"\n"
      "e5,1714529200,c2,custom.trial_class,,,,,room-3,,\n"
      "e6,1714529300,c2,invited,,,,,c3,,\n"
      "bad,1714529300,c2,order_paid,,,,,,,\n");
  (void)ingest(pool, csv, InputFormat::csv, "seed.csv");
  return pool;
}

template <class Record, class RecordId>
void check_same(const Directory<Record, RecordId>& a, const Directory<Record, RecordId>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a.records()[i] == b.records()[i]);
}

void check_same(const Pool& a, const Pool& b) {
  CHECK(a.options().zone == b.options().zone);
  check_same(a.customers(), b.customers());
  check_same(a.staff(), b.staff());
  check_same(a.channels(), b.channels());
  check_same(a.live_codes(), b.live_codes());
  check_same(a.tag_groups(), b.tag_groups());
  check_same(a.tags(), b.tags());
  check_same(a.products(), b.products());
  check_same(a.coupons(), b.coupons());
  check_same(a.materials(), b.materials());
  check_same(a.groups(), b.groups());
  check_same(a.refs(), b.refs());
  check_same(a.custom_names(), b.custom_names());
  check_same(a.identities(), b.identities());
  for (std::uint32_t c = 0; c < a.customers().size(); ++c) {
    CHECK(a.identities_of(CustomerId{c}) == b.identities_of(CustomerId{c}));
    CHECK(a.identity(CustomerId{c}).links == b.identity(CustomerId{c}).links);
  }
  REQUIRE(a.events().size() == b.events().size());
  for (std::size_t p = 0; p < a.events().size(); ++p) CHECK(a.events().at(p) == b.events().at(p));
  CHECK(a.events().span() == b.events().span());
  CHECK(a.identity_links() == b.identity_links());
  CHECK(a.quarantine() == b.quarantine());
}

// Loading `file` fails with SQLITE_CORRUPT and `message` in the error.
void check_damaged(const std::filesystem::path& file, const std::string& message) {
  try {
    (void)Store::open(file).load();
    FAIL("loaded a damaged file");
  } catch (const StorageError& e) {
    CHECK(e.extended_code() == SQLITE_CORRUPT);
    CHECK(std::string(e.what()).find(message) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("a saved pool loads back the same", "[store]") {
  TempDir dir;
  Pool pool = rich_pool();
  REQUIRE(pool.events().size() == 6);
  REQUIRE(pool.quarantine().size() == 1);
  {
    Store store = Store::open(dir / "pool.db", StoreOptions{.pool = pool.options()});
    store.save(pool);
    CHECK(store.counts().events == 6);
    CHECK(store.counts().quarantine == 1);
  }
  const Pool loaded = Store::open(dir / "pool.db").load();
  check_same(pool, loaded);
}

TEST_CASE("saves are incremental and include updated records", "[store]") {
  TempDir dir;
  Pool pool = rich_pool();
  Store store = Store::open(dir / "pool.db", StoreOptions{.pool = pool.options()});
  store.save(pool);

  // The host describes a placeholder, more events arrive, a customer changes owner.
  pool.materials().upsert(Material{.key = "video-1", .title = "How to brew, v2", .kind = "video"});
  std::istringstream more("ts,customer,type,ref,amount\n1714530000,c4,order_paid,A2,5\n");
  (void)ingest(pool, more, InputFormat::csv, "more.csv");
  Customer c1 = pool.customers()[pool.customers().id("c1")];
  c1.tags.clear();
  c1.owner_history.pop_back();
  pool.customers().upsert(c1);
  store.save(pool);
  store.save(pool);  // nothing new: writes nothing, changes nothing

  check_same(pool, Store::open(dir / "pool.db").load());
  CHECK(store.counts().events == 7);
}

TEST_CASE("re-importing after a restart adds nothing twice", "[store]") {
  TempDir dir;
  const std::string csv =
      "id,ts,customer,type,amount\n"
      "e1,1714528800,c1,friend_added,\n"
      ",1714528900,c2,friend_added,\n"
      "bad,1714528900,c2,order_paid,1.234\n";
  {
    Store store = Store::open(dir / "pool.db");
    Pool pool = store.load();
    std::istringstream in(csv);
    CHECK(ingest(pool, in, InputFormat::csv, "a.csv").accepted == 2);
    store.save(pool);
  }
  Store store = Store::open(dir / "pool.db");
  Pool pool = store.load();
  std::istringstream in(csv);
  const IngestReport again = ingest(pool, in, InputFormat::csv, "a.csv");
  CHECK(again.duplicate == 2);
  CHECK(again.accepted == 0);
  CHECK(again.rejected == 1);  // reported again, but kept once
  store.save(pool);
  CHECK(store.counts().events == 2);
  CHECK(store.counts().quarantine == 1);
}

TEST_CASE("a save leaves staged events and their ids for a later save", "[store]") {
  // Staged events are not saved, so neither are their ids: were the ids saved alone, a
  // process that stopped before its next save would find the events duplicates when it
  // read them again, and lose them.
  TempDir dir;
  const auto added = [](std::string id, std::string customer) {
    return Event{.id = std::move(id),
                 .ts = parse_timestamp("2024-05-01T10:00:00+08:00"),
                 .customer = std::move(customer),
                 .type = EventType::friend_added};
  };
  {
    Store store = Store::open(dir / "pool.db");
    Pool pool = store.load();
    (void)pool.add_events(std::vector{added("e1", "c1")});
    pool.commit();
    (void)pool.add_events(std::vector{added("e2", "c2"), added("e3", "c3")});
    (void)pool.erase_customer("c3");  // an erased event's id stays taken
    REQUIRE(pool.staged() == 1);
    store.save(pool);
    CHECK(store.counts().events == 1);
  }  // stopped before committing e2
  {
    Store store = Store::open(dir / "pool.db");
    Pool pool = store.load();
    const IngestReport again =
        pool.add_events(std::vector{added("e1", "c1"), added("e2", "c2"), added("e3", "c3")});
    CHECK(again.duplicate == 2);  // e1 was saved, e3 was erased
    CHECK(again.accepted == 1);   // e2 was staged only: it is read again
    pool.commit();
    store.save(pool);
    CHECK(store.counts().events == 2);
  }
}

TEST_CASE("a loaded pool reads its idempotency keys when it first adds events", "[store]") {
  TempDir dir;
  const auto import = [](Pool& pool, const std::string& csv) {
    std::istringstream in("id,ts,customer,type\n" + csv);
    return ingest(pool, in, InputFormat::csv, "in.csv");
  };
  {
    Store store = Store::open(dir / "pool.db");
    Pool pool = store.load();
    CHECK(import(pool, "e1,1714528800,c1,friend_added\n").accepted == 1);
    store.save(pool);
  }
  // Loaded from a read-only store (as analysis commands open pools), before a second
  // writer saves e2: the keys read later hold e1 and e2 alike.
  Pool queried = Store::open(dir / "pool.db", StoreOptions{.read_only = true}).load();
  {
    Store store = Store::open(dir / "pool.db");
    Pool pool = store.load();
    CHECK(import(pool, "e2,1714528900,c2,friend_added\n").accepted == 1);
    store.save(pool);
  }
  const IngestReport report =
      import(queried,
             "e1,1714528800,c1,friend_added\ne2,1714528900,c2,friend_added\n"
             "e3,1714529000,c3,friend_added\n");
  CHECK(report.duplicate == 2);
  CHECK(report.accepted == 1);

  // A pool whose file is gone cannot know what it accepted before: a clear error, nothing
  // accepted.
  Pool orphan = Store::open(dir / "pool.db").load();
  std::filesystem::remove(dir / "pool.db");
  std::filesystem::remove(dir / "pool.db-wal");
  std::filesystem::remove(dir / "pool.db-shm");
  CHECK_THROWS_AS(import(orphan, "e4,1714529100,c4,friend_added\n"), StorageError);
  CHECK(orphan.events().size() == 2);
}

TEST_CASE("identity links and their undoing survive a reload", "[store]") {
  TempDir dir;
  const std::string csv =
      "id,ts,customer,type,ref\n"
      "a,1714528800,wx_1,friend_added,\n"
      "b,1714528900,un_1,message_in,\n"
      "l1,1714529000,un_1,identity_linked,wx_1\n"
      "c,1714529100,wx_2,friend_added,\n"
      "l2,1714529200,wx_2,identity_linked,un_2\n";
  std::istringstream in(csv);
  Store store = Store::open(dir / "pool.db");
  Pool pool = store.load();
  (void)ingest(pool, in, InputFormat::csv, "links.csv");
  pool.unlink(pool.identity_links()[1].event);
  store.save(pool);

  const Pool loaded = Store::open(dir / "pool.db").load();
  check_same(pool, loaded);
  CHECK(loaded.identity_links() == pool.identity_links());
  const CustomerId wx1 = loaded.customers().id("wx_1");
  CHECK(loaded.person(loaded.customers().id("un_1")) == wx1);
  CHECK(loaded.person(loaded.customers().id("un_2")) == loaded.customers().id("un_2"));
  CHECK(loaded.events().range(wx1).size() == 3);
}

TEST_CASE("identifiers survive a reload: phone numbers never reach the file", "[store]") {
  TempDir dir;
  const PoolOptions options{.secret = "the brand's secret, 32 bytes long"};
  {
    Store store = Store::open(dir / "pool.db", StoreOptions{.pool = options});
    Pool pool = store.load();
    (void)pool.add_identity("wx_1", IdentityKind::phone, "13812345678", Timestamp{1});
    (void)pool.add_identity("wx_2", IdentityKind::phone, "+86 138 1234 5678", Timestamp{2});
    const IdentityId open_id =
        pool.add_identity("wx_2", IdentityKind::openid, "op-9", Timestamp{3});
    (void)pool.add_identity("wx_3", IdentityKind::openid, "op-9", Timestamp{4});
    pool.commit();
    store.save(pool);
    // A removal after a save is saved too.
    pool.remove_identity(pool.customers().id("wx_3"), open_id);
    store.save(pool);

    const Pool loaded = Store::open(dir / "pool.db", StoreOptions{.pool = options}).load();
    check_same(pool, loaded);
    const CustomerId wx1 = loaded.customers().id("wx_1");
    CHECK(loaded.person(loaded.customers().id("wx_2")) == wx1);
    CHECK(loaded.person(loaded.customers().id("wx_3")) != wx1);
    CHECK(loaded.find_identity(IdentityKind::phone, "138-1234-5678").has_value());
  }
  std::ifstream file(dir / "pool.db", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("138****5678") != std::string::npos);
  CHECK(bytes.find("13812345678") == std::string::npos);
  CHECK(bytes.find("12345678") == std::string::npos);

  // Another secret would hash the same number differently: the file refuses it.
  CHECK_THROWS_AS(Store::open(dir / "pool.db",
                              StoreOptions{.pool = {.secret = "some other secret of 32 bytes!!"}})
                      .load(),
                  ConfigError);
  // Without a secret the pool reads, but cannot add phone numbers.
  Pool reader = Store::open(dir / "pool.db").load();
  CHECK(reader.identities().size() == 2);
  CHECK_THROWS_AS(reader.add_identity("wx_4", IdentityKind::phone, "13900000000", Timestamp{}),
                  ConfigError);
}

TEST_CASE("events are kept in chunks: a damaged chunk is a clear error", "[store]") {
  TempDir dir;
  Pool pool = rich_pool();
  {
    Store store = Store::open(dir / "pool.db", StoreOptions{.pool = pool.options()});
    store.save(pool);
    // A second save adds a second chunk holding only the new events.
    Event late;
    late.id = "e9";
    late.ts = parse_timestamp("2024-05-02T00:00:00Z");
    late.customer = "c1";
    late.type = EventType::message_out;
    late.text = "稍后回复";
    (void)pool.add_events(std::vector{late});
    pool.commit();
    store.save(pool);
    CHECK(store.counts().events == 7);
  }
  {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READWRITE);
    CHECK(db.execAndGet("SELECT count(*) FROM event_chunks").getInt64() == 2);
    CHECK(db.execAndGet("SELECT count FROM event_chunks ORDER BY id DESC LIMIT 1").getInt64() == 1);
  }
  check_same(pool, Store::open(dir / "pool.db").load());
  {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE event_chunks SET data = substr(data, 1, length(data) - 3) WHERE id = 2");
  }
  check_damaged(dir / "pool.db", "event chunk 2 is damaged");
}

TEST_CASE("customers and refs are kept in chunks of 4,096 records", "[store]") {
  TempDir dir;
  Pool pool;
  const TagId vip = pool.tags().upsert(Tag{.key = "vip"});
  const StaffId guide = pool.staff().upsert(Staff{.key = "g1"});
  for (int c = 0; c < 10'000; ++c) {
    Customer customer{.key = "c" + std::to_string(c), .created_at = Timestamp{c}};
    if (c % 3 == 0) customer.tags = {vip};
    if (c % 7 == 0) customer.owner_history = {{.at = Timestamp{c}, .to = guide, .reason = "转交"}};
    (void)pool.customers().upsert(std::move(customer));
  }
  std::string csv = "ts,customer,type,ref,amount\n";
  for (int r = 0; r < 5'000; ++r) csv += "1714530000,c1,order_paid,A" + std::to_string(r) + ",5\n";
  std::istringstream orders(csv);
  REQUIRE(ingest(pool, orders, InputFormat::csv, "orders.csv").accepted == 5'000);
  Store store = Store::open(dir / "pool.db");
  store.save(pool);
  {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT group_concat(count) FROM (SELECT count FROM customer_chunks "
                        "ORDER BY id)")
              .getString() == "4096,4096,1808");
    CHECK(db.execAndGet("SELECT group_concat(id) FROM (SELECT id FROM ref_chunks ORDER BY id)")
              .getString() == "0,1");
  }
  CHECK(store.counts().customers == 10'000);

  // A record replaced in the first chunk and one added to the last: both chunks rewritten.
  Customer c5 = pool.customers()[pool.customers().id("c5")];
  c5.marketing_opt_out = true;
  c5.deleted_at = Timestamp{99};
  (void)pool.customers().upsert(c5);
  (void)pool.customers().upsert(Customer{.key = "c-new", .placeholder = true});
  store.save(pool);
  CHECK(store.counts().customers == 10'001);
  check_same(pool, Store::open(dir / "pool.db").load());

  {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE customer_chunks SET data = substr(data, 1, length(data) - 1) WHERE id = 1");
  }
  check_damaged(dir / "pool.db", "customer chunk 1 is damaged");
  {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM customer_chunks WHERE id = 1");
  }
  check_damaged(dir / "pool.db", "customer_chunks has a gap");
}

TEST_CASE("read-only stores load but never write", "[store]") {
  TempDir dir;
  Pool pool = rich_pool();
  Store::open(dir / "pool.db").save(pool);
  Store reader = Store::open(dir / "pool.db", StoreOptions{.read_only = true});
  Pool loaded = reader.load();
  CHECK(loaded.events().size() == 6);
  try {
    reader.save(loaded);
    FAIL("a read-only store saved");
  } catch (const StorageError& e) {
    CHECK(e.extended_code() == SQLITE_READONLY);
  }
  try {
    (void)Store::open(dir / "missing.db", StoreOptions{.read_only = true});
    FAIL("opened a missing file read-only");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::io);
  }
}

TEST_CASE("a second writer waits for the first instead of failing", "[store]") {
  TempDir dir;
  (void)Store::open(dir / "pool.db");  // create the file
  SQLite::Database other((dir / "pool.db").string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other.exec("COMMIT");
  });
  Store store = Store::open(dir / "pool.db", StoreOptions{.busy_timeout = Duration::seconds(10)});
  Pool pool = store.load();
  std::istringstream in("ts,customer,type\n1714528800,c1,friend_added\n");
  (void)ingest(pool, in, InputFormat::csv, "a.csv");
  CHECK_NOTHROW(store.save(pool));
  release.join();
  CHECK(store.counts().events == 1);
}

TEST_CASE("storage failures are StorageErrors with SQLite's code", "[store]") {
  TempDir dir;
  {
    std::ofstream garbage(dir / "not-a-db.db");
    garbage << std::string(4096, 'x');
  }
  try {
    Store store = Store::open(dir / "not-a-db.db");
    (void)store.load();
    FAIL("opened a file that is not a database");
  } catch (const StorageError& e) {
    CHECK((e.extended_code() & 0xFF) == SQLITE_NOTADB);
    CHECK(e.where().source == (dir / "not-a-db.db").string());
  }
  {
    (void)Store::open(dir / "future.db");
    SQLite::Database db((dir / "future.db").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_AS(Store::open(dir / "future.db"), StorageError);
}

TEST_CASE("a new file takes the pool's settings: the file keeps them", "[store]") {
  TempDir dir;
  (void)Store::open(dir / "pool.db", StoreOptions{.pool = PoolOptions{.zone = Zone{3600}}});
  CHECK(Store::open(dir / "pool.db").load().options().zone == Zone{3600});
  SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA page_size").getInt() == 65536);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version);
}

TEST_CASE("a new file's first save writes each page once, then the file is in WAL mode",
          "[store]") {
  TempDir dir;
  const auto mode = [&] {
    SQLite::Database db((dir / "pool.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA journal_mode").getString();
  };
  Store store = Store::open(dir / "pool.db");
  CHECK(mode() == "delete");  // a rollback journal copies none of the pages a save adds
  Pool pool;
  std::istringstream in("ts,customer,type\n1714528800,c1,friend_added\n");
  (void)ingest(pool, in, InputFormat::csv, "a.csv");
  store.save(pool);
  CHECK(mode() == "wal");
  CHECK_FALSE(std::filesystem::exists(dir / "pool.db-journal"));
  CHECK(Store::open(dir / "pool.db").load().events().size() == 1);
}

}  // namespace siyu

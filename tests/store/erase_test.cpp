#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "siyu/core/iso8601.hpp"
#include "siyu/ingest/ingest.hpp"
#include "siyu/store/store.hpp"
#include "store/schema.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

namespace siyu {

namespace {

const std::string events_csv =
    "id,ts,customer,type,amount,ref,text\n"
    "e1,1714528800,wm_secret_7,friend_added,,,\n"
    "e2,1714528900,wm_secret_7,message_in,,,my phone is 13812345678\n"
    "e3,1714529000,wm_secret_7,order_paid,19.90,A1,\n"
    "e4,1714529100,c2,message_in,,,hello from c2\n"
    "e5,1714529200,c2,invited,,wm_secret_7,\n"
    "e6,1714529300,wm_secret_7,order_paid,19.999,A2,\n"
    "e7,1714529400,c2,order_paid,1e3,A3,\n";

// Every byte of the database file and its write-ahead log.
std::string file_bytes(const std::filesystem::path& db) {
  std::string bytes;
  for (const auto& path : {db, std::filesystem::path(db.string() + "-wal")}) {
    std::ifstream in(path, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

}  // namespace

TEST_CASE("erasing a customer removes their data from the pool and the file", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "pool.db";
  Store store = Store::open(file);
  Pool pool = store.load();
  std::istringstream in(events_csv);
  const IngestReport report = ingest(pool, in, InputFormat::csv, "events.csv");
  REQUIRE(report.accepted == 5);
  REQUIRE(report.rejected == 2);
  store.save(pool);
  REQUIRE(file_bytes(file).find("13812345678") != std::string::npos);

  const CustomerErasure erasure =
      store.erase(pool, "wm_secret_7", parse_timestamp("2024-06-01T00:00:00Z"));
  CHECK(erasure.events == 3);
  CHECK(erasure.quarantine == 1);

  // The bytes are gone from the file, including its write-ahead log.
  const std::string bytes = file_bytes(file);
  CHECK(bytes.find("wm_secret_7") == std::string::npos);
  CHECK(bytes.find("13812345678") == std::string::npos);
  CHECK(bytes.find("hello from c2") != std::string::npos);  // others' data stays

  // Memory and file agree; the other customer and their invitation stay, pointing at the
  // anonymous record.
  const Pool loaded = Store::open(file).load();
  for (const Pool* p : {static_cast<const Pool*>(&pool), &loaded}) {
    CHECK(p->events().size() == 2);
    CHECK(p->quarantine().size() == 1);
    CHECK(p->quarantine()[0].record == "e7");
    CHECK_FALSE(p->customers().find("wm_secret_7").has_value());
    CHECK(p->customers()[erasure.customer].key ==
          "~erased-" + std::to_string(erasure.customer.value));
    const LoggedEvent invited =
        p->events().at(p->events().range(p->customers().id("c2")).begin + 1);
    CHECK(invited.type == EventType::invited);
    CHECK(CustomerId{invited.ref} == erasure.customer);
  }

  // The audit says an erase happened, without the erased data.
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  SQLite::Statement audit(db, "SELECT at, action, detail FROM audit");
  REQUIRE(audit.executeStep());
  CHECK(audit.getColumn(0).getInt64() == parse_timestamp("2024-06-01T00:00:00Z").micros);
  CHECK(audit.getColumn(1).getString() == "erase");
  CHECK(audit.getColumn(2).getString() ==
        "customer #0 (1 keys): 3 stored events, 1 quarantined records");

  // Re-importing the old file does not bring the erased events back.
  std::istringstream again(events_csv);
  const IngestReport reimport = ingest(pool, again, InputFormat::csv, "events.csv");
  CHECK(reimport.accepted == 0);
  CHECK(reimport.duplicate == 5);

  CHECK_THROWS_AS(store.erase(pool, "nobody", Timestamp{}), NotFound);
}

TEST_CASE("erasing a customer removes their identifiers from the file", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "pool.db";
  Store store =
      Store::open(file, StoreOptions{.pool = {.secret = "the brand's secret, 32 bytes long"}});
  Pool pool = store.load();
  std::istringstream in(events_csv);
  (void)ingest(pool, in, InputFormat::csv, "events.csv");
  const IdentityId phone =
      pool.add_identity("wm_secret_7", IdentityKind::phone, "13912340000", Timestamp{5});
  const IdentityId union_id =
      pool.add_identity("wm_secret_7", IdentityKind::unionid, "union-of-secret-7", Timestamp{6});
  const IdentityId other = pool.add_identity("c2", IdentityKind::unionid, "union-c2", Timestamp{7});
  pool.commit();
  store.save(pool);
  const std::string hash = pool.identities()[phone].value;
  REQUIRE(file_bytes(file).find(hash) != std::string::npos);
  REQUIRE(file_bytes(file).find("139****0000") != std::string::npos);

  (void)store.erase(pool, "wm_secret_7", Timestamp{9});
  const std::string bytes = file_bytes(file);
  CHECK(bytes.find(hash) == std::string::npos);
  CHECK(bytes.find("139****0000") == std::string::npos);
  CHECK(bytes.find("union-of-secret-7") == std::string::npos);
  CHECK(bytes.find("union-c2") != std::string::npos);

  const Pool loaded = Store::open(file).load();
  for (const Pool* p : {static_cast<const Pool*>(&pool), &loaded}) {
    CHECK(p->identities()[phone].key == "~erased-" + std::to_string(phone.value));
    CHECK(p->identities()[union_id].value.empty());
    CHECK(p->identities()[other].key == "unionid:union-c2");
    CHECK(p->holders(phone).empty());
    CHECK(p->holders(other) == std::vector{p->customers().id("c2")});
  }
}

TEST_CASE("erasing a customer rewrites the chunk holding their record", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "pool.db";
  Store store = Store::open(file);
  Pool pool = store.load();
  const StaffId guide = pool.staff().upsert(Staff{.key = "g1"});
  for (int c = 0; c < 4'500; ++c)
    (void)pool.customers().upsert(Customer{.key = "c" + std::to_string(c)});
  const CustomerId secret = pool.customers().upsert(Customer{
      .key = "wm_secret_7",
      .owner = guide,
      .owner_history = {{.at = Timestamp{5}, .to = guide, .reason = "handed over by wm-boss-9"}}});
  (void)pool.customers().upsert(Customer{.key = "c-after"});
  store.save(pool);
  REQUIRE(file_bytes(file).find("wm-boss-9") != std::string::npos);
  // A neighbour in the same chunk changes after the save: erasing keeps the stored version.
  (void)pool.customers().upsert(Customer{
      .key = "c4499", .owner_history = {{.at = Timestamp{6}, .to = guide, .reason = "unsaved"}}});

  (void)store.erase(pool, "wm_secret_7", Timestamp{9});
  const std::string bytes = file_bytes(file);
  CHECK(bytes.find("wm_secret_7") == std::string::npos);
  CHECK(bytes.find("wm-boss-9") == std::string::npos);
  CHECK(bytes.find("unsaved") == std::string::npos);
  CHECK(Store::open(file).load().customers()[pool.customers().id("c4499")].owner_history.empty());
  store.save(pool);
  const Pool loaded = Store::open(file).load();
  CHECK(loaded.customers()[pool.customers().id("c4499")].owner_history.size() == 1);
  REQUIRE(loaded.customers().size() == 4'502);
  CHECK(loaded.customers()[secret] == pool.customers()[secret]);
  CHECK(loaded.customers()[secret].key == "~erased-" + std::to_string(secret.value));
  CHECK(loaded.customers()[secret].owner_history.empty());
  CHECK(loaded.customers().find("c4499").has_value());
  CHECK(loaded.customers().find("c-after") == CustomerId{4'501});
}

TEST_CASE("a file of schema 5 moves its customer and ref rows into chunks", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "v5.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (std::size_t v = 0; v < 5; ++v) db.exec(std::string(detail::migrations[v]));
    db.exec(
        "INSERT INTO meta(key, value) VALUES('zone_offset_seconds', '28800');"
        "INSERT INTO staff(id, key, name, role, store, branch, team, placeholder) "
        "  VALUES(0, 'g1', '王导购', 0, '', '', '', 0);"
        "INSERT INTO tags(id, key, name, placeholder) VALUES(0, 'vip', 'VIP', 0), "
        "  (1, 'new', '', 1);"
        "INSERT INTO customers(id, key, owner, follow_up, channel, live_code, marketing_opt_out, "
        "  created_at, deleted_at, placeholder) VALUES(0, 'c0', 0, NULL, NULL, NULL, 1, 7, "
        "  NULL, 0), (1, 'c1', NULL, NULL, NULL, NULL, 0, NULL, 11, 1);"
        "INSERT INTO customer_tags(customer, position, tag) VALUES(0, 0, 1), (0, 1, 0);"
        "INSERT INTO owner_changes(customer, position, at, from_staff, to_staff, reason) "
        "  VALUES(0, 0, 3, NULL, 0, 'first add');"
        "INSERT INTO refs(id, key) VALUES(0, 'A1'), (1, 'room-3');"
        "INSERT INTO identities(id, key, kind, value, display) "
        "  VALUES(0, 'unionid:u1', 1, 'u1', 'u1');"
        "INSERT INTO identity_holders(id, customer, identity, at, active) VALUES(0, 1, 0, 4, 1);"
        "PRAGMA user_version = 5;");
  }
  Store store = Store::open(file);
  const Pool pool = store.load();
  REQUIRE(pool.customers().size() == 2);
  CHECK(pool.customers()[CustomerId{0}] ==
        Customer{.key = "c0",
                 .owner = StaffId{0},
                 .owner_history = {{.at = Timestamp{3}, .to = StaffId{0}, .reason = "first add"}},
                 .tags = {TagId{1}, TagId{0}},
                 .marketing_opt_out = true,
                 .created_at = Timestamp{7}});
  CHECK(pool.customers()[CustomerId{1}] ==
        Customer{.key = "c1", .deleted_at = Timestamp{11}, .placeholder = true});
  REQUIRE(pool.refs().size() == 2);
  CHECK(pool.refs()[RefId{1}].key == "room-3");
  CHECK(pool.holders(IdentityId{0}) == std::vector{CustomerId{1}});
  CHECK(store.counts().customers == 2);
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name IN ('customers', 'refs', "
                      "'customer_tags', 'owner_changes')")
            .getInt() == 0);
  SQLite::Statement violations(db, "PRAGMA foreign_key_check");
  CHECK_FALSE(violations.executeStep());
}

TEST_CASE("a file of schema 1 is upgraded on open and keeps its data", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "v1.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(std::string(detail::migrations[0]));
    db.exec("INSERT INTO meta(key, value) VALUES('zone_offset_seconds', '28800')");
    db.exec(
        "INSERT INTO customers(id, key, marketing_opt_out, placeholder) VALUES(0, 'old_key', 0, "
        "1)");
    db.exec("INSERT INTO events(id, customer, ts, type) VALUES(0, 0, 1714528800000000, 2)");
    db.exec(
        "INSERT INTO quarantine(source, line, record, field, code, reason, raw) "
        "VALUES('old.csv', 3, 'x', 'amount', 3, 'more than two decimals', "
        "'x,1714528800,old_key,order_paid,1.234')");
    db.exec("PRAGMA user_version = 1");
  }
  CHECK_THROWS_AS(Store::open(file, StoreOptions{.read_only = true}),
                  StorageError);  // needs upgrading
  Store store = Store::open(file);
  Pool pool = store.load();
  CHECK(pool.events().size() == 1);
  REQUIRE(pool.quarantine().size() == 1);
  CHECK(pool.quarantine()[0].customer.empty());  // schema 1 did not record it
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version);
  }
  // Rows from before the upgrade are still found by erase, through their raw text.
  const CustomerErasure erasure = store.erase(pool, "old_key", Timestamp{});
  CHECK(erasure.events == 1);
  CHECK(erasure.quarantine == 1);
  CHECK(store.counts().quarantine == 0);
}

}  // namespace siyu

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

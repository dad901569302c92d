#include "siyu/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/identity_hash.hpp"
#include "model/pool_state.hpp"
#include "model/type_scan.hpp"
#include "siyu/core/error.hpp"
#include "store/event_chunks.hpp"
#include "store/record_chunks.hpp"
#include "store/schema.hpp"

namespace siyu {

namespace {

// ---- binding and reading values ------------------------------------------------------

template <class IdType>
void bind_id(SQLite::Statement& s, int index, IdType id) {
  if (id.has_value()) {
    s.bind(index, static_cast<std::int64_t>(id.value));
  } else {
    s.bind(index);  // NULL
  }
}

template <class IdType>
IdType read_id(const SQLite::Statement& s, int index) {
  const SQLite::Column column = s.getColumn(index);
  if (column.isNull()) return IdType{};
  return IdType{static_cast<typename IdType::rep_type>(column.getInt64())};
}

void bind_time(SQLite::Statement& s, int index, const std::optional<Timestamp>& t) {
  if (t) {
    s.bind(index, t->micros);
  } else {
    s.bind(index);
  }
}

std::optional<Timestamp> read_time(const SQLite::Statement& s, int index) {
  const SQLite::Column column = s.getColumn(index);
  if (column.isNull()) return std::nullopt;
  return Timestamp{column.getInt64()};
}

std::string read_text(const SQLite::Statement& s, int index) {
  return s.getColumn(index).getString();
}
bool read_bool(const SQLite::Statement& s, int index) { return s.getColumn(index).getInt() != 0; }

// ---- directory tables ---------------------------------------------------------------

// How one directory maps onto its table: the columns after `id` (the first is `key`), how
// a record binds to them (from parameter 2; none for tables only read by a migration) and
// is read back (from column 1).
template <class Record>
struct Table {
  std::string_view name;
  std::vector<std::string_view> columns;
  std::function<void(SQLite::Statement&, const Record&)> bind;
  std::function<Record(const SQLite::Statement&)> read;
};

std::string upsert_sql(std::string_view name, const std::vector<std::string_view>& columns) {
  std::string sql = "INSERT INTO " + std::string(name) + "(id";
  for (auto c : columns) sql += ", " + std::string(c);
  sql += ") VALUES(?";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += ", ?";
  sql += ") ON CONFLICT(id) DO UPDATE SET ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += std::string(columns[i]) + " = excluded." + std::string(columns[i]);
  }
  return sql;
}

std::string select_sql(std::string_view name, const std::vector<std::string_view>& columns) {
  std::string sql = "SELECT id";
  for (auto c : columns) sql += ", " + std::string(c);
  return sql + " FROM " + std::string(name) + " ORDER BY id";
}

const Table<Staff> staff_table{
    "staff",
    {"key", "name", "role", "store", "branch", "team", "resigned_at", "placeholder"},
    [](SQLite::Statement& s, const Staff& r) {
      s.bind(2, r.key);
      s.bind(3, r.name);
      s.bind(4, static_cast<int>(r.role));
      s.bind(5, r.store);
      s.bind(6, r.branch);
      s.bind(7, r.team);
      bind_time(s, 8, r.resigned_at);
      s.bind(9, r.placeholder ? 1 : 0);
    },
    [](const SQLite::Statement& s) {
      return Staff{.key = read_text(s, 1),
                   .name = read_text(s, 2),
                   .role = static_cast<StaffRole>(s.getColumn(3).getInt()),
                   .store = read_text(s, 4),
                   .branch = read_text(s, 5),
                   .team = read_text(s, 6),
                   .resigned_at = read_time(s, 7),
                   .placeholder = read_bool(s, 8)};
    }};

const Table<Channel> channel_table{"channels",
                                   {"key", "name", "kind", "placeholder"},
                                   [](SQLite::Statement& s, const Channel& r) {
                                     s.bind(2, r.key);
                                     s.bind(3, r.name);
                                     s.bind(4, r.kind);
                                     s.bind(5, r.placeholder ? 1 : 0);
                                   },
                                   [](const SQLite::Statement& s) {
                                     return Channel{.key = read_text(s, 1),
                                                    .name = read_text(s, 2),
                                                    .kind = read_text(s, 3),
                                                    .placeholder = read_bool(s, 4)};
                                   }};

const Table<TagGroup> tag_group_table{"tag_groups",
                                      {"key", "name", "exclusive"},
                                      [](SQLite::Statement& s, const TagGroup& r) {
                                        s.bind(2, r.key);
                                        s.bind(3, r.name);
                                        s.bind(4, r.exclusive ? 1 : 0);
                                      },
                                      [](const SQLite::Statement& s) {
                                        return TagGroup{.key = read_text(s, 1),
                                                        .name = read_text(s, 2),
                                                        .exclusive = read_bool(s, 3)};
                                      }};

const Table<Tag> tag_table{"tags",
                           {"key", "name", "tag_group", "placeholder"},
                           [](SQLite::Statement& s, const Tag& r) {
                             s.bind(2, r.key);
                             s.bind(3, r.name);
                             bind_id(s, 4, r.group);
                             s.bind(5, r.placeholder ? 1 : 0);
                           },
                           [](const SQLite::Statement& s) {
                             return Tag{.key = read_text(s, 1),
                                        .name = read_text(s, 2),
                                        .group = read_id<TagGroupId>(s, 3),
                                        .placeholder = read_bool(s, 4)};
                           }};

const Table<Product> product_table{
    "products",
    {"key", "name", "category", "price", "standardization", "margin_basis_points", "placeholder"},
    [](SQLite::Statement& s, const Product& r) {
      s.bind(2, r.key);
      s.bind(3, r.name);
      s.bind(4, r.category);
      s.bind(5, r.price.fen);
      s.bind(6, static_cast<int>(r.standardization));
      if (r.margin_basis_points) {
        s.bind(7, *r.margin_basis_points);
      } else {
        s.bind(7);
      }
      s.bind(8, r.placeholder ? 1 : 0);
    },
    [](const SQLite::Statement& s) {
      Product r{.key = read_text(s, 1),
                .name = read_text(s, 2),
                .category = read_text(s, 3),
                .price = Money{s.getColumn(4).getInt64()},
                .standardization = static_cast<Standardization>(s.getColumn(5).getInt()),
                .placeholder = read_bool(s, 7)};
      if (!s.getColumn(6).isNull()) r.margin_basis_points = s.getColumn(6).getInt();
      return r;
    }};

const Table<Coupon> coupon_table{
    "coupons",
    {"key", "name", "face_value", "minimum_spend", "product", "placeholder"},
    [](SQLite::Statement& s, const Coupon& r) {
      s.bind(2, r.key);
      s.bind(3, r.name);
      s.bind(4, r.face_value.fen);
      s.bind(5, r.minimum_spend.fen);
      bind_id(s, 6, r.product);
      s.bind(7, r.placeholder ? 1 : 0);
    },
    [](const SQLite::Statement& s) {
      return Coupon{.key = read_text(s, 1),
                    .name = read_text(s, 2),
                    .face_value = Money{s.getColumn(3).getInt64()},
                    .minimum_spend = Money{s.getColumn(4).getInt64()},
                    .product = read_id<ProductId>(s, 5),
                    .placeholder = read_bool(s, 6)};
    }};

const Table<Material> material_table{"materials",
                                     {"key", "title", "kind", "product", "placeholder"},
                                     [](SQLite::Statement& s, const Material& r) {
                                       s.bind(2, r.key);
                                       s.bind(3, r.title);
                                       s.bind(4, r.kind);
                                       bind_id(s, 5, r.product);
                                       s.bind(6, r.placeholder ? 1 : 0);
                                     },
                                     [](const SQLite::Statement& s) {
                                       return Material{.key = read_text(s, 1),
                                                       .title = read_text(s, 2),
                                                       .kind = read_text(s, 3),
                                                       .product = read_id<ProductId>(s, 4),
                                                       .placeholder = read_bool(s, 5)};
                                     }};

const Table<Group> group_table{"customer_groups",
                               {"key", "name", "owner", "placeholder"},
                               [](SQLite::Statement& s, const Group& r) {
                                 s.bind(2, r.key);
                                 s.bind(3, r.name);
                                 bind_id(s, 4, r.owner);
                                 s.bind(5, r.placeholder ? 1 : 0);
                               },
                               [](const SQLite::Statement& s) {
                                 return Group{.key = read_text(s, 1),
                                              .name = read_text(s, 2),
                                              .owner = read_id<StaffId>(s, 3),
                                              .placeholder = read_bool(s, 4)};
                               }};

const Table<LiveCode> live_code_table{
    "live_codes",
    {"key", "channel", "daily_add_limit"},
    [](SQLite::Statement& s, const LiveCode& r) {
      s.bind(2, r.key);
      bind_id(s, 3, r.channel);
      s.bind(4, static_cast<std::int64_t>(r.daily_add_limit));
    },
    [](const SQLite::Statement& s) {
      return LiveCode{.key = read_text(s, 1),
                      .channel = read_id<ChannelId>(s, 2),
                      .daily_add_limit = static_cast<std::uint32_t>(s.getColumn(3).getInt64())};
    }};

// Customers and refs were rows until schema 6; the migration reads them once.
const Table<Customer> customer_rows{
    "customers",
    {"key", "owner", "follow_up", "channel", "live_code", "marketing_opt_out", "created_at",
     "deleted_at", "placeholder"},
    {},
    [](const SQLite::Statement& s) {
      return Customer{.key = read_text(s, 1),
                      .owner = read_id<StaffId>(s, 2),
                      .follow_up = read_id<StaffId>(s, 3),
                      .channel = read_id<ChannelId>(s, 4),
                      .live_code = read_id<LiveCodeId>(s, 5),
                      .marketing_opt_out = read_bool(s, 6),
                      .created_at = read_time(s, 7),
                      .deleted_at = read_time(s, 8),
                      .placeholder = read_bool(s, 9)};
    }};

const Table<Label> ref_rows{
    "refs", {"key"}, {}, [](const SQLite::Statement& s) { return Label{read_text(s, 1)}; }};

const Table<Identity> identity_table{
    "identities",
    {"key", "kind", "value", "display"},
    [](SQLite::Statement& s, const Identity& r) {
      s.bind(2, r.key);
      s.bind(3, static_cast<int>(r.kind));
      s.bind(4, r.value);
      s.bind(5, r.display);
    },
    [](const SQLite::Statement& s) {
      return Identity{.key = read_text(s, 1),
                      .kind = static_cast<IdentityKind>(s.getColumn(2).getInt()),
                      .value = read_text(s, 3),
                      .display = read_text(s, 4)};
    }};

const Table<Label> custom_name_table{
    "custom_names",
    {"key"},
    [](SQLite::Statement& s, const Label& r) { s.bind(2, r.key); },
    [](const SQLite::Statement& s) { return Label{read_text(s, 1)}; }};

template <class Record, class RecordId>
void save_directory(
    SQLite::Database& db, const Directory<Record, RecordId>& directory, const Table<Record>& table,
    std::pair<std::size_t, std::size_t>& saved,
    const std::function<void(std::int64_t, const Record&, bool)>& save_children = {}) {
  SQLite::Statement upsert(db, upsert_sql(table.name, table.columns));
  const auto write = [&](std::size_t index) {
    upsert.bind(1, static_cast<std::int64_t>(index));
    table.bind(upsert, directory.records()[index]);
    upsert.exec();
    upsert.reset();
    if (save_children) {
      save_children(static_cast<std::int64_t>(index), directory.records()[index],
                    index >= saved.first);
    }
  };
  for (std::size_t u = saved.second; u < directory.updates().size(); ++u) {
    const std::size_t index = directory.updates()[u].value;
    if (index < saved.first) write(index);  // newer records are written below anyway
  }
  for (std::size_t index = saved.first; index < directory.size(); ++index) write(index);
  saved = {directory.size(), directory.updates().size()};
}

template <class Record>
detail::Column<Record> load_table(SQLite::Database& db, const Table<Record>& table) {
  detail::Column<Record> records;
  records.reserve(static_cast<std::size_t>(
      db.execAndGet("SELECT count(*) FROM " + std::string(table.name)).getInt64()));
  SQLite::Statement select(db, select_sql(table.name, table.columns));
  while (select.executeStep()) {
    if (select.getColumn(0).getInt64() != static_cast<std::int64_t>(records.size())) {
      throw StorageError(
          "table " + std::string(table.name) + " has a gap in its ids: the file is damaged",
          SQLITE_CORRUPT);
    }
    records.push_back(table.read(select));
  }
  return records;
}

template <class Record, class RecordId>
void fill_directory(Directory<Record, RecordId>& directory, detail::Column<Record>&& records) {
  directory.assign(std::move(records));
}

// A list of ids under each parent, e.g. SELECT customer, tag FROM customer_tags.
template <class Record, class Member>
void load_id_lists(SQLite::Database& db, std::string_view sql, detail::Column<Record>& records,
                   std::vector<Member> Record::*list) {
  SQLite::Statement select(db, std::string(sql));
  while (select.executeStep()) {
    const auto parent = static_cast<std::size_t>(select.getColumn(0).getInt64());
    (records.at(parent).*list).push_back(read_id<Member>(select, 1));
  }
}

// The ids listed under each parent record (a live code's staff and tags), with statements
// prepared once per save.
class ChildRows {
 public:
  ChildRows(SQLite::Database& db, std::string_view table, std::string_view parent_column,
            std::string_view column)
      : clear_(db, "DELETE FROM " + std::string(table) + " WHERE " + std::string(parent_column) +
                       " = ?"),
        insert_(db, "INSERT INTO " + std::string(table) + "(" + std::string(parent_column) +
                        ", position, " + std::string(column) + ") VALUES(?, ?, ?)") {}

  // Replaces a parent's list of ids; a parent saved for the first time has none to remove.
  template <class IdType>
  void save_ids(std::int64_t parent, bool fresh, const std::vector<IdType>& ids) {
    if (!fresh) {
      clear_.bind(1, parent);
      clear_.exec();
      clear_.reset();
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      insert_.bind(1, parent);
      insert_.bind(2, static_cast<std::int64_t>(i));
      bind_id(insert_, 3, ids[i]);
      insert_.exec();
      insert_.reset();
    }
  }

 private:
  SQLite::Statement clear_;
  SQLite::Statement insert_;
};

// Personal identifiers are hashed under the pool's secret: a pool with another secret would
// hash the same phone number differently and never match it, so the file keeps a check
// value and refuses a different secret. A pool without a secret may still read the file.
void verify_secret(SQLite::Database& db, const std::string& secret, const std::string& path) {
  if (secret.empty()) return;
  SQLite::Statement check(db, "SELECT value FROM meta WHERE key = 'identity_secret_check'");
  if (check.executeStep() && check.getColumn(0).getString() != detail::secret_check(secret)) {
    throw ConfigError(ErrorCode::conflict,
                      "the pool's secret differs from the one its personal identifiers were "
                      "hashed with",
                      Where{.source = path, .field = "secret"});
  }
}

// ---- the event log and idempotency keys as chunks ----------------------------------------

// A key chunk holds, per key, the 128-bit hash (low, high) and the content hash.
constexpr std::size_t key_entry_bytes = 24;

// The 128-bit key hash stored at `bytes` (low half first), as in key chunks and old rows.
detail::KeyHash read_key(const char* bytes) {
  detail::KeyHash key;
  std::memcpy(&key.low, bytes, 8);
  std::memcpy(&key.high, bytes + 8, 8);
  return key;
}

// The events held by chunk tables of `table` (event_chunks or key_chunks), from the counts.
std::size_t chunk_total(SQLite::Database& db, std::string_view table) {
  return static_cast<std::size_t>(
      db.execAndGet("SELECT coalesce(sum(count), 0) FROM " + std::string(table)).getInt64());
}

// Reads BLOBs of one column in place (SQLite's incremental blob I/O): no buffer holds a
// whole chunk, so each byte of a pool is copied once on its way into memory.
class BlobReader {
 public:
  BlobReader(SQLite::Database& db, const char* table, const char* column)
      : db_(db.getHandle()), table_(table), column_(column) {}
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;
  ~BlobReader() { sqlite3_blob_close(blob_); }

  // Moves to the row with `rowid`; returns the BLOB's size in bytes.
  std::size_t open(std::int64_t rowid) {
    const int rc = blob_ == nullptr
                       ? sqlite3_blob_open(db_, "main", table_, column_, rowid, 0, &blob_)
                       : sqlite3_blob_reopen(blob_, rowid);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
    return static_cast<std::size_t>(sqlite3_blob_bytes(blob_));
  }
  void read(std::size_t offset, void* to, std::size_t size) {
    const int rc = sqlite3_blob_read(blob_, to, static_cast<int>(size), static_cast<int>(offset));
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }

 private:
  sqlite3* db_;
  const char* table_;
  const char* column_;
  sqlite3_blob* blob_ = nullptr;
};

// Calls f(id, count, bytes, blob) for each row of a chunk table (event_chunks or key_chunks)
// in id order, with `blob` open on the row's data.
template <class F>
void for_each_chunk(SQLite::Database& db, const char* table, F&& f) {
  SQLite::Statement chunks(db, "SELECT id, count FROM " + std::string(table) + " ORDER BY id");
  BlobReader blob(db, table, "data");
  while (chunks.executeStep()) {
    const std::int64_t id = chunks.getColumn(0).getInt64();
    const std::size_t bytes = blob.open(id);
    f(id, static_cast<std::size_t>(chunks.getColumn(1).getInt64()), bytes, blob);
  }
}

// Appends the events of the chunk row (id, count, data) that `row` is on to `log`.
void decode_chunk_row(const SQLite::Statement& row, EventLog& log) {
  const SQLite::Column data = row.getColumn(2);
  detail::EventChunks::decode(std::string_view(static_cast<const char*>(data.getBlob()),
                                               static_cast<std::size_t>(data.getBytes())),
                              static_cast<std::size_t>(row.getColumn(1).getInt64()),
                              row.getColumn(0).getInt64(), log);
}

void write_event_chunks(SQLite::Database& db, const EventLog& log,
                        std::span<const std::uint32_t> positions) {
  SQLite::Statement insert(db, "INSERT INTO event_chunks(count, data) VALUES(?, ?)");
  for (std::size_t first = 0; first < positions.size(); first += detail::EventChunks::capacity) {
    const auto chunk =
        positions.subspan(first, std::min(detail::EventChunks::capacity, positions.size() - first));
    const std::string data = detail::EventChunks::encode(log, chunk);
    insert.bind(1, static_cast<std::int64_t>(chunk.size()));
    insert.bindNoCopy(2, data.data(), static_cast<int>(data.size()));
    insert.exec();
    insert.reset();
  }
}

// Key chunks hold the entries as the pool lists them (KeyTable::Slot is that layout).
static_assert(sizeof(detail::KeyTable::Slot) == key_entry_bytes);

void write_key_chunks(SQLite::Database& db, std::span<const detail::KeyTable::Slot> keys) {
  SQLite::Statement insert(db, "INSERT INTO key_chunks(count, data) VALUES(?, ?)");
  constexpr std::size_t capacity = 1 << 16;
  for (std::size_t first = 0; first < keys.size(); first += capacity) {
    const auto chunk = keys.subspan(first, std::min(capacity, keys.size() - first));
    insert.bind(1, static_cast<std::int64_t>(chunk.size()));
    insert.bindNoCopy(2, static_cast<const void*>(chunk.data()),
                      static_cast<int>(chunk.size_bytes()));
    insert.exec();
    insert.reset();
  }
}

// The idempotency keys of the file, in the order they were saved.
detail::Column<detail::KeyTable::Slot> read_keys(SQLite::Database& db) {
  detail::Column<detail::KeyTable::Slot> keys;
  keys.reserve(chunk_total(db, "key_chunks"));
  for_each_chunk(db, "key_chunks",
                 [&](std::int64_t id, std::size_t count, std::size_t bytes, BlobReader& blob) {
                   if (bytes != count * key_entry_bytes) {
                     throw StorageError("key chunk " + std::to_string(id) + " is damaged",
                                        SQLITE_CORRUPT);
                   }
                   const std::size_t old_size = keys.size();
                   keys.resize(old_size + count);
                   blob.read(0, keys.data() + old_size, bytes);
                 });
  return keys;
}

// Removes the events reported under `keys` from the chunks that hold them (rewritten, or
// deleted when nothing is left), and the undone links among them; returns how many.
std::int64_t erase_events(SQLite::Database& db, const std::vector<CustomerId>& keys) {
  std::int64_t erased = 0;
  SQLite::Statement select(db, "SELECT id, count, data FROM event_chunks ORDER BY id");
  SQLite::Statement update(db, "UPDATE event_chunks SET count = ?, data = ? WHERE id = ?");
  SQLite::Statement remove(db, "DELETE FROM event_chunks WHERE id = ?");
  SQLite::Statement unlink(db, "DELETE FROM identity_unlinks WHERE event = ?");
  while (select.executeStep()) {
    const std::int64_t id = select.getColumn(0).getInt64();
    EventLog chunk;
    decode_chunk_row(select, chunk);
    std::vector<std::uint32_t> kept;
    for (std::size_t p = 0; p < chunk.size(); ++p) {
      if (std::find(keys.begin(), keys.end(), CustomerId{chunk.keys()[p]}) == keys.end()) {
        kept.push_back(static_cast<std::uint32_t>(p));
        continue;
      }
      unlink.bind(1, static_cast<std::int64_t>(chunk.ids()[p]));
      unlink.exec();
      unlink.reset();
    }
    if (kept.size() == chunk.size()) continue;
    erased += static_cast<std::int64_t>(chunk.size() - kept.size());
    if (kept.empty()) {
      remove.bind(1, id);
      remove.exec();
      remove.reset();
      continue;
    }
    const std::string rewritten = detail::EventChunks::encode(chunk, kept);
    update.bind(1, static_cast<std::int64_t>(kept.size()));
    update.bindNoCopy(2, rewritten.data(), static_cast<int>(rewritten.size()));
    update.bind(3, id);
    update.exec();
    update.reset();
  }
  return erased;
}

// Schema 5 keeps events and keys as chunks: the rows of an older file move into chunks.
void convert_rows_to_chunks(SQLite::Database& db) {
  std::vector<LoggedEvent> events;
  SQLite::Statement select(
      db,
      "SELECT id, customer, ts, type, custom_name, staff, channel, product, ref, "
      "amount, duration, text FROM events ORDER BY id");
  while (select.executeStep()) {
    LoggedEvent e;
    e.id = EventId{static_cast<std::uint64_t>(select.getColumn(0).getInt64())};
    e.customer = e.key = read_id<CustomerId>(select, 1);
    e.ts = Timestamp{select.getColumn(2).getInt64()};
    e.type = static_cast<EventType>(select.getColumn(3).getInt());
    if (!select.getColumn(4).isNull())
      e.custom_name = static_cast<std::uint16_t>(select.getColumn(4).getInt());
    e.staff = read_id<StaffId>(select, 5);
    e.channel = read_id<ChannelId>(select, 6);
    e.product = read_id<ProductId>(select, 7);
    if (!select.getColumn(8).isNull())
      e.ref = static_cast<std::uint32_t>(select.getColumn(8).getInt64());
    if (!select.getColumn(9).isNull()) e.amount = Money{select.getColumn(9).getInt64()};
    if (!select.getColumn(10).isNull())
      e.duration = Duration::seconds(select.getColumn(10).getInt64());
    if (!select.getColumn(11).isNull()) e.text = read_text(select, 11);
    events.push_back(std::move(e));
  }
  EventLog log;
  log.append(events);
  std::vector<std::uint32_t> all(log.size());
  std::iota(all.begin(), all.end(), 0U);
  write_event_chunks(db, log, all);

  std::vector<detail::KeyTable::Slot> keys;
  SQLite::Statement key_rows(db, "SELECT hash, content FROM event_keys");
  while (key_rows.executeStep()) {
    const SQLite::Column hash = key_rows.getColumn(0);
    if (hash.getBytes() != 16) {
      throw StorageError("an idempotency key has the wrong size: the file is damaged",
                         SQLITE_CORRUPT);
    }
    keys.push_back({read_key(static_cast<const char*>(hash.getBlob())),
                    static_cast<std::uint64_t>(key_rows.getColumn(1).getInt64())});
  }
  write_key_chunks(db, keys);
  db.exec("DROP TABLE events; DROP TABLE event_keys;");
}

// ---- customers and refs as chunks of records ------------------------------------------

// Writes chunks of a record directory's table (customer_chunks or ref_chunks), replacing the
// chunk stored under the same id.
class RecordChunkWriter {
 public:
  RecordChunkWriter(SQLite::Database& db, std::string_view table)
      : put_(db, "INSERT INTO " + std::string(table) +
                     "(id, count, data) VALUES(?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                     "count = excluded.count, data = excluded.data") {}

  // Writes chunk `k`: `records` are the records with ids from k * capacity on.
  template <class Record>
  void write(std::size_t k, std::span<const Record> records) {
    const std::string data = detail::RecordChunks::encode(records);
    put_.bind(1, static_cast<std::int64_t>(k));
    put_.bind(2, static_cast<std::int64_t>(records.size()));
    put_.bindNoCopy(3, data.data(), static_cast<int>(data.size()));
    put_.exec();
    put_.reset();
  }

  // Writes every chunk of `records`, a whole directory.
  template <class Record>
  void write_all(std::span<const Record> records) {
    for (std::size_t k = 0; k * detail::RecordChunks::capacity < records.size(); ++k) {
      write_chunk_of(records, k);
    }
  }

  // Writes chunk `k` of `records`, a whole directory.
  template <class Record>
  void write_chunk_of(std::span<const Record> records, std::size_t k) {
    const std::size_t first = k * detail::RecordChunks::capacity;
    write(k,
          records.subspan(first, std::min(detail::RecordChunks::capacity, records.size() - first)));
  }

 private:
  SQLite::Statement put_;
};

// Saves the chunks holding records added or replaced since `saved` (as save_directory).
template <class Record, class RecordId>
void save_record_chunks(SQLite::Database& db, std::string_view table,
                        const Directory<Record, RecordId>& directory,
                        std::pair<std::size_t, std::size_t>& saved) {
  constexpr std::size_t capacity = detail::RecordChunks::capacity;
  std::vector<std::size_t> chunks;
  for (std::size_t u = saved.second; u < directory.updates().size(); ++u) {
    chunks.push_back(directory.updates()[u].value / capacity);
  }
  if (saved.first < directory.size()) {
    for (std::size_t k = saved.first / capacity; k * capacity < directory.size(); ++k) {
      chunks.push_back(k);
    }
  }
  std::sort(chunks.begin(), chunks.end());
  chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
  RecordChunkWriter writer(db, table);
  for (std::size_t k : chunks) writer.write_chunk_of(directory.records(), k);
  saved = {directory.size(), directory.updates().size()};
}

// The records of a chunk table, in id order; chunk k must hold ids [k * capacity, ...).
template <class Record>
detail::Column<Record> load_record_chunks(SQLite::Database& db, const char* table) {
  constexpr std::size_t capacity = detail::RecordChunks::capacity;
  detail::Column<Record> records;
  records.reserve(chunk_total(db, table));
  std::string chunk;
  for_each_chunk(
      db, table, [&](std::int64_t id, std::size_t count, std::size_t bytes, BlobReader& blob) {
        if (records.size() % capacity != 0 ||
            id != static_cast<std::int64_t>(records.size() / capacity) || count == 0 ||
            count > capacity) {
          throw StorageError(
              "table " + std::string(table) + " has a gap in its ids: the file is damaged",
              SQLITE_CORRUPT);
        }
        chunk.resize(bytes);
        blob.read(0, chunk.data(), bytes);
        detail::RecordChunks::decode(chunk, count, id, records);
      });
  return records;
}

// Schema 6 keeps customers and refs as chunks: the rows of an older file move into chunks.
void convert_directory_rows_to_chunks(SQLite::Database& db) {
  auto customers = load_table(db, customer_rows);
  load_id_lists(db, "SELECT customer, tag FROM customer_tags ORDER BY customer, position",
                customers, &Customer::tags);
  {
    SQLite::Statement changes(
        db,
        "SELECT customer, at, from_staff, to_staff, reason FROM owner_changes "
        "ORDER BY customer, position");
    while (changes.executeStep()) {
      customers.at(static_cast<std::size_t>(changes.getColumn(0).getInt64()))
          .owner_history.push_back(OwnerChange{.at = Timestamp{changes.getColumn(1).getInt64()},
                                               .from = read_id<StaffId>(changes, 2),
                                               .to = read_id<StaffId>(changes, 3),
                                               .reason = read_text(changes, 4)});
    }
  }
  const auto refs = load_table(db, ref_rows);
  RecordChunkWriter(db, "customer_chunks").write_all(std::span<const Customer>(customers));
  RecordChunkWriter(db, "ref_chunks").write_all(std::span<const Label>(refs));
  db.exec(
      "DROP TABLE customer_tags; DROP TABLE owner_changes; DROP TABLE customers; "
      "DROP TABLE refs;");
}

// Runs `body`, turning SQLite's exceptions into StorageError naming the file.
template <class Body>
auto guarded(const std::string& path, Body&& body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    throw StorageError(e.what(), e.getExtendedErrorCode(), Where{.source = path});
  }
}

// Puts the file in WAL mode. False when another connection holds a lock on it, which keeps
// the mode as it is: the caller tries again at its next save.
bool switch_to_wal(SQLite::Database& db) noexcept {
  try {
    return db.execAndGet("PRAGMA journal_mode = WAL").getString() == "wal";
  } catch (const SQLite::Exception&) {
    return false;
  }
}

}  // namespace

struct Store::Connection {
  std::string path;
  StoreOptions options;
  SQLite::Database db;
  // A new file's first save runs in rollback-journal mode, then the file turns to WAL (see
  // `Store::open`).
  bool wal_pending = false;
  Connection(const std::filesystem::path& file, const StoreOptions& opts)
      : path(file.string()),
        options(opts),
        db(file.string(),
           opts.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
           static_cast<int>(opts.busy_timeout.micros / 1000)) {}
};

Store::Store(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::filesystem::path& path, const StoreOptions& options) {
  if (options.read_only && !std::filesystem::exists(path)) {
    throw Error(ErrorCode::io, "no such database file", Where{.source = path.string()});
  }
  return guarded(path.string(), [&] {
    auto connection = std::make_unique<Connection>(path, options);
    SQLite::Database& db = connection->db;
    db.exec("PRAGMA foreign_keys = ON");
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    constexpr int latest = static_cast<int>(detail::migrations.size());
    if (version > latest) {
      throw StorageError("the file was written by a newer siyu (schema " + std::to_string(version) +
                             ", this one knows " + std::to_string(latest) + ")",
                         SQLITE_MISMATCH, Where{.source = connection->path});
    }
    if (options.read_only) {
      if (version < latest) {
        throw StorageError("the file needs an upgrade to schema " + std::to_string(latest) +
                               ": open it once for writing",
                           SQLITE_MISMATCH, Where{.source = connection->path});
      }
      return Store(std::move(connection));
    }
    // A new file gets 64 KiB pages: chunks of columns span many pages, and every page is a
    // write-ahead log frame, a write and a checkpoint copy (4 KiB pages saved at half the
    // speed). The size is fixed once the file has tables.
    if (version == 0) db.exec("PRAGMA page_size = 65536");
    // WAL writes every page twice: into the log, then by the checkpoint into the file. A new
    // file's first save writes the whole pool (about 1 GB at ten million events, all of it
    // pages added to the file, which a rollback journal does not copy), so it runs in
    // rollback-journal mode and writes each page once; the file turns to WAL when that save
    // commits, or at its next open.
    connection->wal_pending = version == 0 || !switch_to_wal(db);
    db.exec("PRAGMA secure_delete = ON");  // deleted content is overwritten, not left behind
    db.exec("PRAGMA synchronous = FULL");  // one fsync per committed batch, never per event
    if (version < latest) {
      SQLite::Transaction migration(db, SQLite::TransactionBehavior::IMMEDIATE);
      for (int v = version; v < latest; ++v) {
        db.exec(std::string(detail::migrations[static_cast<std::size_t>(v)]));
        if (v + 1 == detail::chunked_events_version) convert_rows_to_chunks(db);
        if (v + 1 == detail::chunked_directories_version) convert_directory_rows_to_chunks(db);
      }
      if (version == 0) {
        SQLite::Statement meta(db, "INSERT INTO meta(key, value) VALUES('zone_offset_seconds', ?)");
        meta.bind(1, std::to_string(options.pool.zone.offset_seconds));
        meta.exec();
      }
      db.exec("PRAGMA user_version = " + std::to_string(latest));
      migration.commit();
    }
    return Store(std::move(connection));
  });
}

Pool Store::load() const {
  SQLite::Database& db = connection_->db;
  return guarded(connection_->path, [&] {
    // One read transaction: a consistent snapshot even while another process writes.
    db.exec("BEGIN");
    struct Rollback {
      SQLite::Database& db;
      ~Rollback() {
        try {
          db.exec("ROLLBACK");
        } catch (...) {  // nothing to undo for a read; never throw from a destructor
        }
      }
    } end_read{db};

    PoolOptions options = connection_->options.pool;
    options.zone.offset_seconds = std::stoi(
        db.execAndGet("SELECT value FROM meta WHERE key = 'zone_offset_seconds'").getString());
    verify_secret(db, options.secret, connection_->path);
    Pool pool(options);
    Pool::State& s = *pool.state_;

    fill_directory(s.staff, load_table(db, staff_table));
    fill_directory(s.channels, load_table(db, channel_table));
    fill_directory(s.tag_groups, load_table(db, tag_group_table));
    fill_directory(s.tags, load_table(db, tag_table));
    fill_directory(s.products, load_table(db, product_table));
    fill_directory(s.coupons, load_table(db, coupon_table));
    fill_directory(s.materials, load_table(db, material_table));
    fill_directory(s.groups, load_table(db, group_table));
    auto live_codes = load_table(db, live_code_table);
    load_id_lists(db, "SELECT live_code, staff FROM live_code_staff ORDER BY live_code, position",
                  live_codes, &LiveCode::staff);
    load_id_lists(db, "SELECT live_code, tag FROM live_code_tags ORDER BY live_code, position",
                  live_codes, &LiveCode::auto_tags);
    fill_directory(s.live_codes, std::move(live_codes));
    fill_directory(s.customers, load_record_chunks<Customer>(db, "customer_chunks"));
    fill_directory(s.identities, load_table(db, identity_table));
    {
      SQLite::Statement holders(
          db, "SELECT id, customer, identity, at, active FROM identity_holders ORDER BY id");
      while (holders.executeStep()) {
        if (holders.getColumn(0).getInt64() != static_cast<std::int64_t>(s.holdings.size())) {
          throw StorageError("table identity_holders has a gap in its ids: the file is damaged",
                             SQLITE_CORRUPT);
        }
        if (read_bool(holders, 4)) {
          s.active_holdings.emplace(Pool::State::holding_key(read_id<CustomerId>(holders, 1),
                                                             read_id<IdentityId>(holders, 2)),
                                    s.holdings.size());
        }
        s.holdings.push_back(IdentityHolding{.customer = read_id<CustomerId>(holders, 1),
                                             .identity = read_id<IdentityId>(holders, 2),
                                             .at = Timestamp{holders.getColumn(3).getInt64()},
                                             .active = read_bool(holders, 4)});
      }
    }
    fill_directory(s.refs, load_record_chunks<Label>(db, "ref_chunks"));
    fill_directory(s.custom_names, load_table(db, custom_name_table));

    {
      detail::EventChunks::reserve(s.log, chunk_total(db, "event_chunks"));
      for_each_chunk(db, "event_chunks",
                     [&](std::int64_t id, std::size_t count, std::size_t bytes, BlobReader& blob) {
                       detail::EventChunks::decode(
                           [&](std::size_t offset, void* to, std::size_t size) {
                             blob.read(offset, to, size);
                           },
                           bytes, count, id, s.log);
                     });
    }
    const auto ids = s.log.ids();
    s.next_event_id = ids.empty() ? 0 : *std::max_element(ids.begin(), ids.end()) + 1;
    // Persons come from the identity links (identity_linked events) not undone, in the order
    // they were committed: by event id.
    std::vector<std::uint64_t> undone;
    {
      SQLite::Statement unlinks(db, "SELECT event FROM identity_unlinks ORDER BY event");
      while (unlinks.executeStep())
        undone.push_back(static_cast<std::uint64_t>(unlinks.getColumn(0).getInt64()));
    }
    constexpr std::array linked{EventType::identity_linked};
    for (const std::size_t p : detail::positions_of(s.log.types(), linked)) {
      if (s.log.refs()[p] == LoggedEvent::no_ref) continue;
      s.links.push_back(
          IdentityLink{.event = EventId{ids[p]},
                       .at = Timestamp{s.log.ts()[p]},
                       .a = CustomerId{s.log.keys()[p]},
                       .b = CustomerId{s.log.refs()[p]},
                       .active = !std::binary_search(undone.begin(), undone.end(), ids[p])});
    }
    std::sort(s.links.begin(), s.links.end(),
              [](const IdentityLink& x, const IdentityLink& y) { return x.event < y.event; });
    (void)s.resolve_identities();
    detail::EventChunks::cluster(s.log, s.person_of);

    // Idempotency keys (24 bytes an event) are read when the pool first adds events, not
    // here: a pool opened to be queried never needs them. Keys are only ever added to the
    // file, so reading them later finds at least those of the events loaded now.
    s.load_keys = [path = connection_->path, options = connection_->options] {
      return guarded(path, [&] {
        SQLite::Database keys_db(path, SQLite::OPEN_READONLY,
                                 static_cast<int>(options.busy_timeout.micros / 1000));
        return read_keys(keys_db);
      });
    };

    SQLite::Statement rejected(
        db,
        "SELECT source, line, record, field, code, reason, raw, customer FROM quarantine "
        "ORDER BY id");
    while (rejected.executeStep()) {
      s.quarantine.push_back(
          QuarantineRecord{.source = read_text(rejected, 0),
                           .line = rejected.getColumn(1).getInt64(),
                           .record = read_text(rejected, 2),
                           .customer = read_text(rejected, 7),
                           .field = read_text(rejected, 3),
                           .code = static_cast<ErrorCode>(rejected.getColumn(4).getInt()),
                           .reason = read_text(rejected, 5),
                           .raw = read_text(rejected, 6)});
      s.quarantined.insert(detail::quarantine_hash(s.quarantine.back()));
    }

    // Everything loaded counts as saved.
    s.saved_events = s.next_event_id;
    s.saved_quarantine = s.quarantine.size();
    s.saved_holdings = s.holdings.size();
    const std::array<std::size_t, 13> sizes = {
        s.staff.size(),      s.channels.size(),  s.tag_groups.size(), s.tags.size(),
        s.products.size(),   s.coupons.size(),   s.materials.size(),  s.groups.size(),
        s.live_codes.size(), s.customers.size(), s.refs.size(),       s.custom_names.size(),
        s.identities.size()};
    for (std::size_t d = 0; d < s.saved_directories.size(); ++d)
      s.saved_directories[d] = {sizes[d], 0};
    return pool;
  });
}

void Store::save(Pool& pool) {
  SQLite::Database& db = connection_->db;
  if (connection_->options.read_only) {
    throw StorageError("the store was opened read-only", SQLITE_READONLY,
                       Where{.source = connection_->path});
  }
  Pool::State& s = *pool.state_;
  guarded(connection_->path, [&] {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    auto marks = s.saved_directories;  // advanced only once the transaction commits
    save_directory(db, s.staff, staff_table, marks[0]);
    save_directory(db, s.channels, channel_table, marks[1]);
    save_directory(db, s.tag_groups, tag_group_table, marks[2]);
    save_directory(db, s.tags, tag_table, marks[3]);
    save_directory(db, s.products, product_table, marks[4]);
    save_directory(db, s.coupons, coupon_table, marks[5]);
    save_directory(db, s.materials, material_table, marks[6]);
    save_directory(db, s.groups, group_table, marks[7]);
    ChildRows live_code_staff(db, "live_code_staff", "live_code", "staff");
    ChildRows live_code_tags(db, "live_code_tags", "live_code", "tag");
    save_directory<LiveCode, LiveCodeId>(db, s.live_codes, live_code_table, marks[8],
                                         [&](std::int64_t id, const LiveCode& r, bool fresh) {
                                           live_code_staff.save_ids(id, fresh, r.staff);
                                           live_code_tags.save_ids(id, fresh, r.auto_tags);
                                         });
    save_record_chunks(db, "customer_chunks", s.customers, marks[9]);
    save_record_chunks(db, "ref_chunks", s.refs, marks[10]);
    save_directory(db, s.custom_names, custom_name_table, marks[11]);
    const bool personal = std::any_of(
        s.identities.records().begin() + static_cast<std::ptrdiff_t>(marks[12].first),
        s.identities.records().end(), [](const Identity& i) { return is_personal(i.kind); });
    if (personal) {
      verify_secret(db, s.options.secret, connection_->path);
      SQLite::Statement check(
          db, "INSERT OR IGNORE INTO meta(key, value) VALUES('identity_secret_check', ?)");
      check.bind(1, detail::secret_check(s.options.secret));
      check.exec();
    }
    save_directory(db, s.identities, identity_table, marks[12]);
    {
      SQLite::Statement holder(db,
                               "INSERT INTO identity_holders(id, customer, identity, at, active) "
                               "VALUES(?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                               "at = excluded.at, active = excluded.active");
      const auto write = [&](std::size_t h) {
        const IdentityHolding& r = s.holdings[h];
        holder.bind(1, static_cast<std::int64_t>(h));
        bind_id(holder, 2, r.customer);
        bind_id(holder, 3, r.identity);
        holder.bind(4, r.at.micros);
        holder.bind(5, r.active ? 1 : 0);
        holder.exec();
        holder.reset();
      };
      for (std::size_t h : s.changed_holdings) {
        if (h < s.saved_holdings) write(h);
      }
      for (std::size_t h = s.saved_holdings; h < s.holdings.size(); ++h) write(h);
    }

    {
      std::vector<std::uint32_t> fresh;  // log positions of events not saved yet
      const auto ids = s.log.ids();
      for (std::size_t p = 0; p < ids.size(); ++p) {
        if (ids[p] >= s.saved_events) fresh.push_back(static_cast<std::uint32_t>(p));
      }
      write_event_chunks(db, s.log, fresh);
    }

    SQLite::Statement unlink(db, "INSERT OR IGNORE INTO identity_unlinks(event) VALUES(?)");
    for (const IdentityLink& link : s.links) {
      if (link.active) continue;
      unlink.bind(1, static_cast<std::int64_t>(link.event.value));
      unlink.exec();
      unlink.reset();
    }

    write_key_chunks(db, s.unsaved_keys);

    SQLite::Statement reject(
        db,
        "INSERT INTO quarantine(source, line, record, field, code, reason, raw, customer) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t q = s.saved_quarantine; q < s.quarantine.size(); ++q) {
      const QuarantineRecord& r = s.quarantine[q];
      reject.bind(1, r.source);
      reject.bind(2, r.line);
      reject.bind(3, r.record);
      reject.bind(4, r.field);
      reject.bind(5, static_cast<int>(r.code));
      reject.bind(6, r.reason);
      reject.bind(7, r.raw);
      if (r.customer.empty()) {
        reject.bind(8);
      } else {
        reject.bind(8, r.customer);
      }
      reject.exec();
      reject.reset();
    }
    transaction.commit();

    s.saved_directories = marks;
    // Staged events hold the newest ids; everything committed is saved now.
    s.saved_events = s.next_event_id - s.staged.size();
    s.saved_quarantine = s.quarantine.size();
    s.saved_holdings = s.holdings.size();
    s.changed_holdings.clear();
    s.unsaved_keys.clear();
    if (connection_->wal_pending) connection_->wal_pending = !switch_to_wal(db);
  });
}

CustomerErasure Store::erase(Pool& pool, std::string_view customer_key, Timestamp at) {
  if (connection_->options.read_only) {
    throw StorageError("the store was opened read-only", SQLITE_READONLY,
                       Where{.source = connection_->path});
  }
  const Person person =
      pool.identity(detail::customer_id(pool, customer_key));  // before any change
  SQLite::Database& db = connection_->db;
  Pool::State& s = *pool.state_;
  std::vector<std::string> keys;
  keys.reserve(person.keys.size());
  for (CustomerId c : person.keys) keys.push_back(pool.customers()[c].key);
  return guarded(connection_->path, [&] {
    {
      SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
      int quarantine_rows = 0;
      for (std::size_t k = 0; k < person.keys.size(); ++k) {
        const auto id = static_cast<std::int64_t>(person.keys[k].value);
        const auto delete_rows = [&](const char* sql) {
          SQLite::Statement remove(db, sql);
          remove.bind(1, id);
          return remove.exec();
        };
        delete_rows("UPDATE identity_holders SET active = 0, at = 0 WHERE customer = ?");
        // The same rule as detail::quarantine_names_customer.
        SQLite::Statement quarantine(db,
                                     "DELETE FROM quarantine WHERE customer = ?1 OR "
                                     "(customer IS NULL AND instr(raw, ?1) > 0)");
        quarantine.bind(1, keys[k]);
        quarantine_rows += quarantine.exec();
      }
      // The stored chunks holding the person's records are read back and rewritten with
      // those records anonymized (their tags and owner history go with them); the chunks'
      // other records stay as stored, so no unsaved change reaches the file here.
      {
        constexpr std::size_t capacity = detail::RecordChunks::capacity;
        SQLite::Statement read(db, "SELECT id, count, data FROM customer_chunks WHERE id = ?");
        RecordChunkWriter writer(db, "customer_chunks");
        std::vector<CustomerId> erased = person.keys;
        std::sort(erased.begin(), erased.end());
        for (auto c = erased.begin(); c != erased.end();) {
          const std::size_t k = c->value / capacity;
          detail::Column<Customer> chunk;
          read.bind(1, static_cast<std::int64_t>(k));
          if (read.executeStep()) {
            const SQLite::Column data = read.getColumn(2);
            detail::RecordChunks::decode(
                std::string_view(static_cast<const char*>(data.getBlob()),
                                 static_cast<std::size_t>(data.getBytes())),
                static_cast<std::size_t>(read.getColumn(1).getInt64()),
                read.getColumn(0).getInt64(), chunk);
          }
          read.reset();
          for (; c != erased.end() && c->value / capacity == k; ++c) {
            if (c->value - k * capacity < chunk.size()) {
              chunk[c->value - k * capacity] = detail::erased_customer(*c);
            }
          }
          if (!chunk.empty()) writer.write(k, std::span<const Customer>(chunk));
        }
      }
      const std::int64_t event_rows = erase_events(db, person.keys);
      // The same rule as Pool::erase_customer: identifiers nobody else holds become anonymous.
      std::string erased_ids;
      for (CustomerId c : person.keys) {
        erased_ids += (erased_ids.empty() ? "" : ",") + std::to_string(c.value);
      }
      db.exec(
          "UPDATE identities SET key = '~erased-' || id, value = '', display = '' WHERE id IN "
          "(SELECT identity FROM identity_holders WHERE customer IN (" +
          erased_ids +
          ")) AND id NOT IN (SELECT identity FROM identity_holders WHERE active = 1) AND "
          "key NOT LIKE '~%'");
      SQLite::Statement audit(db, "INSERT INTO audit(at, action, detail) VALUES(?, 'erase', ?)");
      audit.bind(1, at.micros);
      audit.bind(2, "customer #" + std::to_string(person.person.value) + " (" +
                        std::to_string(keys.size()) + " keys): " + std::to_string(event_rows) +
                        " stored events, " + std::to_string(quarantine_rows) +
                        " quarantined records");
      audit.exec();
      transaction.commit();
    }

    // Unsaved quarantine records of this customer vanish with the in-memory erase.
    std::size_t unsaved_removed = 0;
    for (std::size_t q = s.saved_quarantine; q < s.quarantine.size(); ++q) {
      for (const std::string& k : keys) {
        if (detail::quarantine_names_customer(s.quarantine[q], k)) {
          ++unsaved_removed;
          break;
        }
      }
    }
    const std::size_t unsaved = s.quarantine.size() - s.saved_quarantine;
    CustomerErasure erasure = pool.erase_customer(customer_key);
    s.saved_quarantine = s.quarantine.size() - (unsaved - unsaved_removed);

    // Move everything into the main file and empty the write-ahead log, so no copy of the
    // erased pages stays in it.
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return erasure;
  });
}

Store::Counts Store::counts() const {
  return guarded(connection_->path, [&] {
    SQLite::Database& db = connection_->db;
    return Counts{
        .customers = chunk_total(db, "customer_chunks"),
        .events = chunk_total(db, "event_chunks"),
        .quarantine =
            static_cast<std::uint64_t>(db.execAndGet("SELECT count(*) FROM quarantine").getInt64()),
        .audit =
            static_cast<std::uint64_t>(db.execAndGet("SELECT count(*) FROM audit").getInt64())};
  });
}

}  // namespace siyu

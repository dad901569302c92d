#pragma once
// The store's schema as forward migrations: migration k (1-based) takes a file from
// version k - 1 to version k. Versions are kept in PRAGMA user_version.

#include <array>
#include <string_view>

namespace siyu::detail {

inline constexpr std::array<std::string_view, 6> migrations = {
    // 1: the first schema.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE staff(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role INTEGER NOT NULL,
  store TEXT NOT NULL, branch TEXT NOT NULL, team TEXT NOT NULL, resigned_at INTEGER,
  placeholder INTEGER NOT NULL);
CREATE TABLE channels(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
  placeholder INTEGER NOT NULL);
CREATE TABLE tag_groups(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, exclusive INTEGER NOT NULL);
CREATE TABLE tags(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  tag_group INTEGER REFERENCES tag_groups(id), placeholder INTEGER NOT NULL);
CREATE TABLE products(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, category TEXT NOT NULL,
  price INTEGER NOT NULL, standardization INTEGER NOT NULL, margin_basis_points INTEGER,
  placeholder INTEGER NOT NULL);
CREATE TABLE coupons(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, face_value INTEGER NOT NULL,
  minimum_spend INTEGER NOT NULL, product INTEGER REFERENCES products(id), placeholder INTEGER NOT NULL);
CREATE TABLE materials(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL, kind TEXT NOT NULL,
  product INTEGER REFERENCES products(id), placeholder INTEGER NOT NULL);
CREATE TABLE customer_groups(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  owner INTEGER REFERENCES staff(id), placeholder INTEGER NOT NULL);
CREATE TABLE live_codes(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, channel INTEGER REFERENCES channels(id),
  daily_add_limit INTEGER NOT NULL);
CREATE TABLE live_code_staff(
  live_code INTEGER NOT NULL REFERENCES live_codes(id), position INTEGER NOT NULL,
  staff INTEGER NOT NULL REFERENCES staff(id), PRIMARY KEY(live_code, position)) WITHOUT ROWID;
CREATE TABLE live_code_tags(
  live_code INTEGER NOT NULL REFERENCES live_codes(id), position INTEGER NOT NULL,
  tag INTEGER NOT NULL REFERENCES tags(id), PRIMARY KEY(live_code, position)) WITHOUT ROWID;
CREATE TABLE customers(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, owner INTEGER REFERENCES staff(id),
  follow_up INTEGER REFERENCES staff(id), channel INTEGER REFERENCES channels(id),
  live_code INTEGER REFERENCES live_codes(id), marketing_opt_out INTEGER NOT NULL,
  created_at INTEGER, deleted_at INTEGER, placeholder INTEGER NOT NULL);
CREATE TABLE customer_tags(
  customer INTEGER NOT NULL REFERENCES customers(id), position INTEGER NOT NULL,
  tag INTEGER NOT NULL REFERENCES tags(id), PRIMARY KEY(customer, position)) WITHOUT ROWID;
CREATE TABLE owner_changes(
  customer INTEGER NOT NULL REFERENCES customers(id), position INTEGER NOT NULL, at INTEGER NOT NULL,
  from_staff INTEGER REFERENCES staff(id), to_staff INTEGER REFERENCES staff(id),
  reason TEXT NOT NULL, PRIMARY KEY(customer, position)) WITHOUT ROWID;
CREATE TABLE refs(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE custom_names(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE events(
  id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customers(id), ts INTEGER NOT NULL,
  type INTEGER NOT NULL, custom_name INTEGER REFERENCES custom_names(id),
  staff INTEGER REFERENCES staff(id), channel INTEGER REFERENCES channels(id),
  product INTEGER REFERENCES products(id), ref INTEGER, amount INTEGER, duration INTEGER, text TEXT);
CREATE TABLE event_keys(hash BLOB PRIMARY KEY, content INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE quarantine(
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, line INTEGER NOT NULL, record TEXT NOT NULL,
  field TEXT NOT NULL, code INTEGER NOT NULL, reason TEXT NOT NULL, raw TEXT NOT NULL);
)sql",
    // 2: erasing a customer: quarantine rows name their customer, erasures are audited,
    // and a customer's events are found by index.
    R"sql(
ALTER TABLE quarantine ADD COLUMN customer TEXT;
CREATE INDEX quarantine_by_customer ON quarantine(customer);
CREATE INDEX events_by_customer ON events(customer);
CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
)sql",
    // 3: identity links undone (Pool::unlink); the links themselves are identity_linked events.
    R"sql(
CREATE TABLE identity_unlinks(event INTEGER PRIMARY KEY);
)sql",
    // 4: identifiers customers are known by (personal ones only as keyed hashes) and which
    // customer records hold them; removed holdings stay inactive so ids stay dense.
    R"sql(
CREATE TABLE identities(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL, value TEXT NOT NULL,
  display TEXT NOT NULL);
CREATE TABLE identity_holders(
  id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customers(id),
  identity INTEGER NOT NULL REFERENCES identities(id), at INTEGER NOT NULL,
  active INTEGER NOT NULL);
CREATE INDEX identity_holders_by_customer ON identity_holders(customer);
)sql",
    // 5: the event log and the idempotency keys as chunks of up to 65,536 entries, one BLOB
    // each (store/event_chunks.hpp), instead of a row each; opening copies columns. The rows
    // of an older file move into chunks and the row tables are dropped (Store::open).
    R"sql(
CREATE TABLE event_chunks(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE key_chunks(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);
)sql",
    // 6: customers (with their tags and owner changes) and refs as chunks of 4,096 records,
    // chunk k holding ids [4096k, 4096k + count) (store/record_chunks.hpp). Identity holders
    // lose their foreign key to the customers table, which goes; Store::open moves the rows.
    R"sql(
CREATE TABLE customer_chunks(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE ref_chunks(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE identity_holders_6(
  id INTEGER PRIMARY KEY, customer INTEGER NOT NULL,
  identity INTEGER NOT NULL REFERENCES identities(id), at INTEGER NOT NULL,
  active INTEGER NOT NULL);
INSERT INTO identity_holders_6 SELECT id, customer, identity, at, active FROM identity_holders;
DROP TABLE identity_holders;
ALTER TABLE identity_holders_6 RENAME TO identity_holders;
CREATE INDEX identity_holders_by_customer ON identity_holders(customer);
)sql",
};

/// The version whose migration moves event and key rows into chunks.
inline constexpr int chunked_events_version = 5;
/// The version whose migration moves customer and ref rows into chunks.
inline constexpr int chunked_directories_version = 6;

}  // namespace siyu::detail

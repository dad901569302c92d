#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/key_table.hpp"

namespace siyu {

/// Records of one kind (staff, channels, products, ...) in a pool, each with a dense id and
/// a unique string key (the record's `key` field). Ids are handed out in order of first
/// appearance and never reused. Thread-safety: const methods may run concurrently; anything
/// else needs exclusive access.
template <class Record, class RecordId>
class Directory {
 public:
  /// The id of the record with `key`, or nothing.
  [[nodiscard]] std::optional<RecordId> find(std::string_view key) const {
    return find_hash(detail::hash_key(key));
  }
  /// The id of the record whose key has the hash `hash` (`detail::hash_key`), or nothing.
  [[nodiscard]] std::optional<RecordId> find_hash(detail::KeyHash hash) const {
    const auto* slot = ids_.find(hash);
    if (slot == nullptr) return std::nullopt;
    return to_id(slot->content);
  }
  /// Starts loading what `find_hash(hash)` reads first, for a lookup soon after: a reader
  /// of many keys hashes a few ahead, so their cache misses overlap.
  void prefetch(detail::KeyHash hash) const noexcept { ids_.prefetch(hash); }
  /// The id of the record with `key`; throws `NotFound`.
  [[nodiscard]] RecordId id(std::string_view key) const {
    if (auto found = find(key)) return *found;
    throw NotFound("no record with key \"" + std::string(key) + "\"");
  }
  /// The record with `id`; `id` must come from this directory.
  [[nodiscard]] const Record& operator[](RecordId id) const { return records_[id.value]; }
  /// Number of records.
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }
  /// The records in id order.
  [[nodiscard]] std::span<const Record> records() const noexcept { return records_; }
  /// Ids of records that `upsert` replaced, in the order it did (a store saves them).
  [[nodiscard]] const std::vector<RecordId>& updates() const noexcept { return updates_; }

  /// Replaces the record with `id` by `record`, which may have another key (to anonymize an
  /// erased customer); throws `ConfigError` if that key belongs to another record.
  void replace(RecordId id, Record record) {
    if (auto other = find(record.key); other && *other != id) {
      throw ConfigError(ErrorCode::conflict,
                        "key \"" + record.key + "\" belongs to another record");
    }
    ids_.erase(detail::hash_key(records_[id.value].key));
    (void)ids_.try_emplace(detail::hash_key(record.key), id.value);
    records_[id.value] = std::move(record);
    updates_.push_back(id);
  }

  /// Takes `records` as the whole directory (their ids are their positions), as a store
  /// does when it opens a pool: no record is copied. Throws `ConfigError` naming a key that
  /// two records share, leaving the directory empty.
  void assign(detail::Column<Record> records) {
    detail::KeyTable ids;
    ids.reserve(records.size());
    // Keys are hashed a batch ahead and their slots prefetched, so the cache misses of a
    // million inserts into a table of a million slots overlap.
    constexpr std::size_t batch = 16;
    std::array<detail::KeyHash, batch> hashes{};
    for (std::size_t first = 0; first < records.size(); first += batch) {
      const std::size_t n = std::min(batch, records.size() - first);
      for (std::size_t i = 0; i < n; ++i) {
        hashes[i] = detail::hash_key(records[first + i].key);
        ids.prefetch(hashes[i]);
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (!ids.try_emplace(hashes[i], first + i).second) {
          throw ConfigError(ErrorCode::conflict,
                            "key \"" + records[first + i].key + "\" is used twice");
        }
      }
    }
    records_ = std::move(records);
    ids_ = std::move(ids);
    updates_.clear();
  }

  /// Makes room for `count` records in all, so adding that many never rehashes.
  void reserve(std::size_t count) {
    records_.reserve(count);
    ids_.reserve(count);
  }

  /// Adds `record`, or replaces the one with the same key; returns its id. Records change
  /// only through here and `replace`, so a store can save exactly what changed.
  RecordId upsert(Record record) {
    const auto [slot, added] = ids_.try_emplace(detail::hash_key(record.key), records_.size());
    const RecordId id = to_id(slot->content);
    if (added) {
      records_.push_back(std::move(record));
    } else {
      records_[id.value] = std::move(record);
      updates_.push_back(id);
    }
    return id;
  }

 private:
  static RecordId to_id(std::uint64_t value) noexcept {
    return RecordId{static_cast<typename RecordId::rep_type>(value)};
  }

  detail::Column<Record> records_;
  std::vector<RecordId> updates_;
  // Ids by the 128-bit hash of their key: two keys sharing one is out of reach (about one
  // in 10^26 for a million customers), as for idempotency keys.
  detail::KeyTable ids_;
};

}  // namespace siyu

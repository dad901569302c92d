#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "siyu/core/error.hpp"

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
    const auto found = ids_.find(key);
    if (found == ids_.end()) return std::nullopt;
    return found->second;
  }
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
  [[nodiscard]] const std::vector<Record>& records() const noexcept { return records_; }
  /// Ids of records that `upsert` replaced, in the order it did (a store saves them).
  [[nodiscard]] const std::vector<RecordId>& updates() const noexcept { return updates_; }

  /// Replaces the record with `id` by `record`, which may have another key (to anonymize an
  /// erased customer); throws `ConfigError` if that key belongs to another record.
  void replace(RecordId id, Record record) {
    if (auto other = find(record.key); other && *other != id) {
      throw ConfigError(ErrorCode::conflict,
                        "key \"" + record.key + "\" belongs to another record");
    }
    ids_.erase(records_[id.value].key);
    ids_.emplace(record.key, id);
    records_[id.value] = std::move(record);
    updates_.push_back(id);
  }

  /// Makes room for `count` records in all, so adding that many never rehashes.
  void reserve(std::size_t count) {
    records_.reserve(count);
    ids_.reserve(count);
  }

  /// Adds `record`, or replaces the one with the same key; returns its id. Records change
  /// only through here and `replace`, so a store can save exactly what changed.
  RecordId upsert(Record record) {
    if (auto found = find(record.key)) {
      records_[found->value] = std::move(record);
      updates_.push_back(*found);
      return *found;
    }
    const RecordId id{static_cast<typename RecordId::rep_type>(records_.size())};
    ids_.emplace(record.key, id);
    records_.push_back(std::move(record));
    return id;
  }

 private:
  // Transparent hashing: lookups by string_view allocate nothing.
  struct KeyHash {
    using is_transparent = void;  // NOLINT(readability-identifier-naming): the standard's name
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::vector<Record> records_;
  std::vector<RecordId> updates_;
  std::unordered_map<std::string, RecordId, KeyHash, std::equal_to<>> ids_;
};

}  // namespace siyu

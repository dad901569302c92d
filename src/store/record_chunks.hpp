#pragma once
// The two large directories on disk, customers and refs, as chunks of records: one BLOB per
// 4,096 records instead of a row per record (and a row per tag and owner change), so saving
// and opening a million customers costs a few hundred SQLite rows, not millions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "siyu/core/column_allocator.hpp"
#include "siyu/model/customer.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::detail {

struct RecordChunks {
  /// Records per chunk: chunk k holds the records with ids [k * capacity, (k + 1) * capacity),
  /// so a changed record rewrites its chunk only, and erasing a customer rewrites ~250 KB.
  static constexpr std::size_t capacity = 1 << 12;

  /// The records as one chunk.
  static std::string encode(std::span<const Customer> records);
  static std::string encode(std::span<const Label> records);

  /// Appends the `count` records of `chunk` to `records`. Throws StorageError naming the
  /// chunk ("customer chunk 3 is damaged") when its bytes do not add up.
  static void decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                     Column<Customer>& records);
  static void decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                     Column<Label>& records);
};

}  // namespace siyu::detail

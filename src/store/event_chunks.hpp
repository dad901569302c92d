#pragma once
// The event log on disk: chunks of events, each one BLOB with the log's columns one after
// another, so opening a pool copies columns instead of decoding a row per event.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "siyu/model/event_log.hpp"

namespace siyu::detail {

struct EventChunks {
  /// Events per chunk: large enough that SQLite's per-row cost vanishes, small enough that
  /// erasing a customer rewrites little.
  static constexpr std::size_t capacity = 1 << 16;

  /// The events at `positions` of `log` as one chunk.
  static std::string encode(const EventLog& log, std::span<const std::uint32_t> positions);
  /// Copies `size` bytes from `offset` of a chunk to `to`.
  using Read = std::function<void(std::size_t offset, void* to, std::size_t size)>;

  /// Appends the `count` events of a chunk of `bytes` bytes to `log`'s columns, unclustered:
  /// the caller regroups once all chunks are in. Each column is read once, straight into
  /// `log` (SQLite's incremental blob reads need no buffer for the whole chunk). Throws
  /// StorageError naming `chunk_id` when damaged.
  static void decode(const Read& read, std::size_t bytes, std::size_t count, std::int64_t chunk_id,
                     EventLog& log);
  /// The same for a chunk held in memory.
  static void decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                     EventLog& log);
  /// Makes room in `log`'s columns for `count` more events, so decoding chunk after chunk
  /// never reallocates (and copies, and faults in) a column again.
  static void reserve(EventLog& log, std::size_t count);
  /// Makes `log`, filled by `decode`, clustered by person (`person_of[key]`) and time.
  static void cluster(EventLog& log, std::span<const std::uint32_t> person_of);
};

}  // namespace siyu::detail

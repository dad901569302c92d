#include "store/event_chunks.hpp"

#include <sqlite3.h>

#include <bit>
#include <cstring>
#include <type_traits>
#include <vector>

#include "siyu/core/error.hpp"

namespace siyu::detail {

// Columns are written as the machine holds them; every platform siyu supports is
// little-endian, and a big-endian build would refuse to compile rather than misread.
static_assert(std::endian::native == std::endian::little, "event chunks are little-endian");

namespace {

[[noreturn]] void damaged(std::int64_t chunk_id) {
  throw StorageError("event chunk " + std::to_string(chunk_id) + " is damaged", SQLITE_CORRUPT);
}

}  // namespace

// Layout: each column of EventLog::each_column in turn, `count` values each; the text
// column becomes `count` uint32 lengths followed by the texts' bytes.
std::string EventChunks::encode(const EventLog& log, std::span<const std::uint32_t> positions) {
  std::string out;
  std::size_t text_bytes = 0;
  for (std::uint32_t p : positions) text_bytes += log.texts_[log.columns_.text_index[p]].size();
  out.reserve(positions.size() * 64 + text_bytes);
  EventLog::each_column(log, [&](const auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    const std::size_t start = out.size();
    out.resize(start + positions.size() * sizeof(Value));
    char* to = out.data() + start;
    if (static_cast<const void*>(&column) == &log.columns_.text_index) {
      for (std::uint32_t p : positions) {
        const auto length =
            static_cast<std::uint32_t>(log.texts_[log.columns_.text_index[p]].size());
        std::memcpy(to, &length, sizeof length);
        to += sizeof length;
      }
      for (std::uint32_t p : positions) out += log.texts_[log.columns_.text_index[p]];
      return;
    }
    for (std::uint32_t p : positions) {
      std::memcpy(to, &column[p], sizeof(Value));
      to += sizeof(Value);
    }
  });
  return out;
}

void EventChunks::decode(const Read& read, std::size_t bytes, std::size_t count,
                         std::int64_t chunk_id, EventLog& log) {
  std::size_t at = 0;
  const std::size_t old_size = log.size();
  EventLog::each_column(log, [&](auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    const std::size_t column_bytes = count * sizeof(Value);
    if (bytes - at < column_bytes) damaged(chunk_id);
    column.resize(column.size() + count);
    read(at, column.data() + column.size() - count, column_bytes);
    at += column_bytes;
  });
  // The text column came in as lengths; they become indexes of the texts, whose bytes
  // follow back to back and join the log's in one read.
  const std::size_t text_start = at;
  for (std::size_t i = old_size; i < log.columns_.text_index.size(); ++i) {
    const std::uint32_t length = log.columns_.text_index[i];
    if (length == 0) continue;
    if (bytes - at < length) damaged(chunk_id);
    at += length;
    log.texts_.ends.push_back(log.texts_.ends.back() + length);
    log.columns_.text_index[i] = static_cast<std::uint32_t>(log.texts_.ends.size() - 2);
  }
  if (at != bytes) damaged(chunk_id);
  const std::size_t old_bytes = log.texts_.bytes.size();
  log.texts_.bytes.resize(old_bytes + (bytes - text_start));
  read(text_start, log.texts_.bytes.data() + old_bytes, bytes - text_start);
}

void EventChunks::decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                         EventLog& log) {
  decode([&](std::size_t offset, void* to,
             std::size_t size) { std::memcpy(to, chunk.data() + offset, size); },
         chunk.size(), count, chunk_id, log);
}

void EventChunks::reserve(EventLog& log, std::size_t count) {
  EventLog::each_column(log, [&](auto& column) { column.reserve(column.size() + count); });
}

void EventChunks::cluster(EventLog& log, std::span<const std::uint32_t> person_of) {
  if (log.size() == 0) return;
  for (std::uint32_t key : log.columns_.keys) {
    if (key >= person_of.size()) {
      throw StorageError("an event names customer " + std::to_string(key) +
                             ", which the file does not have: it is damaged",
                         SQLITE_CORRUPT);
    }
  }
  log.offsets_ = {0, log.size()};
  log.regroup(person_of);
}

}  // namespace siyu::detail

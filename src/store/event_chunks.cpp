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
  for (std::uint32_t p : positions) text_bytes += log.texts_[log.text_index_[p]].size();
  out.reserve(positions.size() * 64 + text_bytes);
  EventLog::each_column(log, [&](const auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    const std::size_t start = out.size();
    out.resize(start + positions.size() * sizeof(Value));
    char* to = out.data() + start;
    if (static_cast<const void*>(&column) == &log.text_index_) {
      for (std::uint32_t p : positions) {
        const auto length = static_cast<std::uint32_t>(log.texts_[log.text_index_[p]].size());
        std::memcpy(to, &length, sizeof length);
        to += sizeof length;
      }
      for (std::uint32_t p : positions) out += log.texts_[log.text_index_[p]];
      return;
    }
    for (std::uint32_t p : positions) {
      std::memcpy(to, &column[p], sizeof(Value));
      to += sizeof(Value);
    }
  });
  return out;
}

void EventChunks::decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                         EventLog& log) {
  std::size_t at = 0;
  const std::size_t old_size = log.size();
  EventLog::each_column(log, [&](auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    const std::size_t bytes = count * sizeof(Value);
    if (chunk.size() - at < bytes) damaged(chunk_id);
    // Value by value: the blob need not be aligned, and resizing first would zero the
    // column only to overwrite it.
    for (const char* from = chunk.data() + at; from != chunk.data() + at + bytes;
         from += sizeof(Value)) {
      Value value;
      std::memcpy(&value, from, sizeof(Value));
      column.push_back(value);
    }
    at += bytes;
  });
  // The text column came in as lengths; they become indexes into texts_, which take the
  // bytes that follow.
  for (std::size_t i = old_size; i < log.text_index_.size(); ++i) {
    const std::uint32_t length = log.text_index_[i];
    if (length == 0) continue;
    if (chunk.size() - at < length) damaged(chunk_id);
    log.text_index_[i] = static_cast<std::uint32_t>(log.texts_.size());
    log.texts_.emplace_back(chunk.substr(at, length));
    at += length;
  }
  if (at != chunk.size()) damaged(chunk_id);
}

void EventChunks::reserve(EventLog& log, std::size_t count) {
  EventLog::each_column(log, [&](auto& column) { column.reserve(column.size() + count); });
}

void EventChunks::cluster(EventLog& log, std::span<const std::uint32_t> person_of) {
  if (log.size() == 0) return;
  for (std::uint32_t key : log.keys_) {
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

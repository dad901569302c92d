#pragma once
// Finding the few events of given types in the type column without looking at them one by
// one, on any target.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

#include "siyu/core/column_allocator.hpp"
#include "siyu/model/event_type.hpp"

namespace siyu::detail {

// The eight bytes at `bytes` as a number, the first in the lowest byte on any target.
inline std::uint64_t load_little_endian(const unsigned char* bytes) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

// Bit i set when byte i of `word` is one of `wanted`.
inline std::uint64_t matching_bytes(std::uint64_t word,
                                    std::span<const EventType> wanted) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F'7F7F'7F7F'7F7FULL;
  constexpr std::uint64_t ones = 0x0101'0101'0101'0101ULL;
  std::uint64_t high = 0;
  for (const EventType type : wanted) {
    // Bytes equal to `type` become zero; the high bit of each zero byte is then set, and
    // only theirs (no borrow crosses bytes since the low seven bits are added apart).
    const std::uint64_t y = word ^ (ones * static_cast<std::uint8_t>(type));
    high |= ~(((y & low7) + low7) | y | low7);
  }
  // Each byte's high bit, moved to bit i by one multiplication (the partial products land
  // on distinct bits, so nothing carries into the top byte but them).
  return ((high >> 7) * 0x0102'0408'1020'4080ULL) >> 56;
}

/// Calls `f(position)` for every event whose type is one of `wanted`, in position order.
/// Eight type bytes are compared at a time in a 64-bit word (SWAR), and 64 events make one
/// mask whose set bits are visited, so a metric that needs only orders reads one byte per
/// event at word speed and takes a branch per match, not per byte.
template <class F>
void for_each_event_of(std::span<const EventType> types, std::span<const EventType> wanted, F&& f) {
  static_assert(sizeof(EventType) == 1);
  const auto* bytes = reinterpret_cast<const unsigned char*>(types.data());
  const std::size_t n = types.size();
  std::size_t p = 0;
  for (; p + 64 <= n; p += 64) {
    std::uint64_t hits = 0;
    for (std::size_t w = 0; w < 8; ++w) {
      hits |= matching_bytes(load_little_endian(bytes + p + 8 * w), wanted) << (8 * w);
    }
    for (; hits != 0; hits &= hits - 1) f(p + static_cast<std::size_t>(std::countr_zero(hits)));
  }
  for (; p < n; ++p) {
    if (std::find(wanted.begin(), wanted.end(), types[p]) != wanted.end()) f(p);
  }
}

/// The positions of the events whose type is one of `wanted`, in order: a metric that then
/// reads other columns at these positions can fetch them ahead (see `prefetch`), where a
/// callback per event would wait for each in turn. On the column allocator: a fresh vector
/// of millions of positions costs a page fault per 4 KiB page otherwise.
[[nodiscard]] inline Column<std::size_t> positions_of(std::span<const EventType> types,
                                                      std::span<const EventType> wanted) {
  Column<std::size_t> positions;
  for_each_event_of(types, wanted, [&](std::size_t p) { positions.push_back(p); });
  return positions;
}

/// The two types that carry money: paid orders and refunds.
inline constexpr std::array<EventType, 2> order_types = {EventType::order_paid,
                                                         EventType::order_refunded};

/// Asks the processor to start loading `address` into the cache; a hint, free to ignore.
inline void prefetch(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

/// Calls `f(position)` for each of `positions` in order, having asked for the entries of
/// `columns` some positions ahead: reads scattered over large columns then overlap instead
/// of waiting for memory one by one.
template <class F, class... Columns>
void for_each_fetched_ahead(std::span<const std::size_t> positions, F&& f,
                            const Columns&... columns) {
  constexpr std::size_t ahead = 32;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (i + ahead < positions.size()) (prefetch(&columns[positions[i + ahead]]), ...);
    f(positions[i]);
  }
}

/// The customer whose range holds each of a series of ascending positions, found by walking
/// the log's offsets along with them: linear over the whole series.
class CustomerCursor {
 public:
  /// A cursor at the first customer of a log with these offsets (`EventLog::offsets`).
  explicit CustomerCursor(std::span<const std::uint64_t> offsets) noexcept : offsets_(offsets) {}

  /// The customer (`CustomerId::value`) whose range holds `position`; positions must not
  /// decrease from one call to the next.
  [[nodiscard]] std::uint32_t customer_of(std::size_t position) noexcept {
    while (position >= offsets_[customer_ + 1]) ++customer_;
    return customer_;
  }

 private:
  std::span<const std::uint64_t> offsets_;
  std::uint32_t customer_ = 0;
};

}  // namespace siyu::detail

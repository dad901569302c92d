#pragma once
// Finding the few events of given types in the type column without looking at them one by
// one, on any target.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Bit i set when byte i of the 64 at `bytes` is one of `wanted`: sixteen bytes per compare
// where the target has SSE2 (every x86-64), eight per 64-bit word (SWAR) elsewhere.
inline std::uint64_t matching_bytes_64(const unsigned char* bytes,
                                       std::span<const EventType> wanted) noexcept {
#if defined(__SSE2__)
  // Four named registers, not arrays: the compiler keeps them out of memory.
  const auto* chunks = reinterpret_cast<const __m128i*>(bytes);
  const __m128i c0 = _mm_loadu_si128(chunks);
  const __m128i c1 = _mm_loadu_si128(chunks + 1);
  const __m128i c2 = _mm_loadu_si128(chunks + 2);
  const __m128i c3 = _mm_loadu_si128(chunks + 3);
  __m128i h0 = _mm_setzero_si128();
  __m128i h1 = h0;
  __m128i h2 = h0;
  __m128i h3 = h0;
  for (const EventType type : wanted) {
    const __m128i splat = _mm_set1_epi8(static_cast<char>(type));
    h0 = _mm_or_si128(h0, _mm_cmpeq_epi8(c0, splat));
    h1 = _mm_or_si128(h1, _mm_cmpeq_epi8(c1, splat));
    h2 = _mm_or_si128(h2, _mm_cmpeq_epi8(c2, splat));
    h3 = _mm_or_si128(h3, _mm_cmpeq_epi8(c3, splat));
  }
  const auto bits = [](__m128i hits) {
    return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(hits))};
  };
  return bits(h0) | bits(h1) << 16 | bits(h2) << 32 | bits(h3) << 48;
#else
  std::uint64_t mask = 0;
  for (std::size_t w = 0; w < 8; ++w) {
    mask |= matching_bytes(load_little_endian(bytes + 8 * w), wanted) << (8 * w);
  }
  return mask;
#endif
}

/// Calls `f(base, mask)` for each block of up to 64 events from `base` that holds events
/// whose type is one of `wanted`, bit i of `mask` set for event `base + i` (see
/// `matching_bytes_64`): a metric that needs only orders reads one byte per event at
/// vector speed and looks only at the blocks with a match.
template <class F>
void for_each_type_mask(std::span<const EventType> types, std::span<const EventType> wanted,
                        F&& f) {
  static_assert(sizeof(EventType) == 1);
  const auto* bytes = reinterpret_cast<const unsigned char*>(types.data());
  const std::size_t n = types.size();
  std::size_t p = 0;
  for (; p + 64 <= n; p += 64) {
    if (const std::uint64_t hits = matching_bytes_64(bytes + p, wanted); hits != 0) f(p, hits);
  }
  std::uint64_t tail = 0;
  for (std::size_t i = p; i < n; ++i) {
    if (std::find(wanted.begin(), wanted.end(), types[i]) != wanted.end()) {
      tail |= std::uint64_t{1} << (i - p);
    }
  }
  if (tail != 0) f(p, tail);
}

/// The positions of the events whose type is one of `wanted`, in order: a metric that then
/// reads other columns at these positions can fetch them ahead (see `prefetch`), where a
/// callback per event would wait for each in turn. The matches are counted first (a second
/// pass over one byte per event costs less than growing the column), and the column is on
/// the column allocator: a fresh vector of millions of positions costs a page fault per
/// 4 KiB page otherwise.
[[nodiscard]] inline Column<std::size_t> positions_of(std::span<const EventType> types,
                                                      std::span<const EventType> wanted) {
  std::size_t count = 0;
  for_each_type_mask(types, wanted, [&](std::size_t, std::uint64_t hits) {
    count += static_cast<std::size_t>(std::popcount(hits));
  });
  Column<std::size_t> positions(count);
  std::size_t* out = positions.data();
  for_each_type_mask(types, wanted, [&](std::size_t base, std::uint64_t hits) {
    for (; hits != 0; hits &= hits - 1) {
      *out++ = base + static_cast<std::size_t>(std::countr_zero(hits));
    }
  });
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

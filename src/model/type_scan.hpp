#pragma once
// Finding the few events of given types in the type column without looking at them one by
// one: eight type bytes are compared at a time in a 64-bit word (SWAR), so a metric that
// needs only orders reads one byte per event at word speed on any target.

#include <bit>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>

#include "siyu/model/event_type.hpp"

namespace siyu::detail {

/// Calls `f(position)` for every event whose type is one of `wanted`, in position order.
template <class F>
void for_each_event_of(std::span<const EventType> types, std::initializer_list<EventType> wanted,
                       F&& f) {
  static_assert(sizeof(EventType) == 1);
  constexpr std::uint64_t low7 = 0x7F7F'7F7F'7F7F'7F7FULL;
  constexpr std::uint64_t ones = 0x0101'0101'0101'0101ULL;
  const auto* bytes = reinterpret_cast<const unsigned char*>(types.data());
  const std::size_t n = types.size();
  std::size_t p = 0;
  for (; p + 8 <= n; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes + p, 8);
    std::uint64_t hits = 0;
    for (const EventType type : wanted) {
      // Bytes equal to `type` become zero; the high bit of each zero byte is then set, and
      // only theirs (no borrow crosses bytes since the low seven bits are added apart).
      const std::uint64_t y = word ^ (ones * static_cast<std::uint8_t>(type));
      hits |= ~(((y & low7) + low7) | y | low7);
    }
    while (hits != 0) {
      const int bit = std::endian::native == std::endian::little ? std::countr_zero(hits)
                                                                 : 63 - std::countl_zero(hits);
      f(p + static_cast<std::size_t>(std::endian::native == std::endian::little ? bit >> 3
                                                                                : 7 - (bit >> 3)));
      hits &= ~(std::uint64_t{0x80} << (bit & ~7));
    }
  }
  for (; p < n; ++p) {
    for (const EventType type : wanted) {
      if (types[p] == type) f(p);
    }
  }
}

}  // namespace siyu::detail

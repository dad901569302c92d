#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

namespace detail {
/// Throws the `Error` for a duration factory whose result exceeds int64 microseconds.
[[noreturn]] SIYU_EXPORT void throw_duration_overflow(std::int64_t count,
                                                      std::int64_t micros_per_unit);
}  // namespace detail

/// A span of time in microseconds; negative spans are allowed in arithmetic.
/// Thread-safety: a plain value.
struct Duration {
  std::int64_t micros = 0;  ///< Length in microseconds.

  /// A span of `n` microseconds.
  [[nodiscard]] static constexpr Duration microseconds(std::int64_t n) noexcept { return {n}; }
  /// A span of `n` milliseconds; throws on overflow.
  [[nodiscard]] static constexpr Duration milliseconds(std::int64_t n) { return scaled(n, 1'000); }
  /// A span of `n` seconds; throws on overflow.
  [[nodiscard]] static constexpr Duration seconds(std::int64_t n) { return scaled(n, 1'000'000); }
  /// A span of `n` minutes; throws on overflow.
  [[nodiscard]] static constexpr Duration minutes(std::int64_t n) { return scaled(n, 60'000'000); }
  /// A span of `n` hours; throws on overflow.
  [[nodiscard]] static constexpr Duration hours(std::int64_t n) { return scaled(n, 3'600'000'000); }
  /// A span of `n` days of 24 hours (fixed-offset zones have no daylight saving).
  [[nodiscard]] static constexpr Duration days(std::int64_t n) { return scaled(n, 86'400'000'000); }
  /// A span of `n` weeks of 7 days.
  [[nodiscard]] static constexpr Duration weeks(std::int64_t n) {
    return scaled(n, 604'800'000'000);
  }

  /// Whole seconds, truncated toward zero.
  [[nodiscard]] constexpr std::int64_t whole_seconds() const noexcept { return micros / 1'000'000; }

  /// Spans order by length.
  friend constexpr auto operator<=>(Duration, Duration) noexcept = default;
  /// Sum of two spans.
  friend constexpr Duration operator+(Duration a, Duration b) noexcept {
    return {a.micros + b.micros};
  }
  /// Difference of two spans.
  friend constexpr Duration operator-(Duration a, Duration b) noexcept {
    return {a.micros - b.micros};
  }
  /// Negated span.
  friend constexpr Duration operator-(Duration a) noexcept { return {-a.micros}; }
  /// Span repeated `n` times.
  friend constexpr Duration operator*(Duration a, std::int64_t n) noexcept {
    return {a.micros * n};
  }

 private:
  static constexpr Duration scaled(std::int64_t n, std::int64_t micros_per_unit) {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    if (n > max / micros_per_unit || n < min / micros_per_unit) {
      detail::throw_duration_overflow(n, micros_per_unit);
    }
    return {n * micros_per_unit};
  }
};

/// Whether a parsed duration may be negative.
enum class Sign : std::uint8_t {
  non_negative,  ///< "-3h" is an error: windows, limits and delays are never negative.
  any,           ///< "-3h" is allowed: offsets before an event.
};

/// Parses a duration: digits with an optional unit, `us`, `ms`, `s`, `m`, `h`, `d` or `w`;
/// no unit means seconds ("7d", "24h", "90m", "30s", "3600"). Throws `ParseError` for
/// junk, a missing number, an unknown unit, a negative value when `sign` forbids it, and
/// a span beyond int64 microseconds.
[[nodiscard]] SIYU_EXPORT Duration parse_duration(std::string_view text,
                                                  Sign sign = Sign::non_negative);

/// Formats with the largest unit that divides it exactly: "7d", "36h", "90m", "45s", "1500ms",
/// "3us"; "0s" for zero. Weeks are written as days. `parse_duration` reads the result back.
[[nodiscard]] SIYU_EXPORT std::string to_string(Duration span);

/// Writes `to_string(span)`.
SIYU_EXPORT std::ostream& operator<<(std::ostream& out, Duration span);

}  // namespace siyu

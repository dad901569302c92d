#pragma once

#include <compare>
#include <cstdint>

#include "siyu/core/duration.hpp"

namespace siyu {

/// An instant: microseconds since 1970-01-01T00:00:00 UTC. Calendar questions (which day,
/// which week) go through a `Zone`. The supported range is `Timestamp::earliest()` to
/// `Timestamp::latest()` (the years 1400 to 9999); parsers reject instants outside it.
/// Thread-safety: a plain value.
struct Timestamp {
  std::int64_t micros = 0;  ///< Microseconds since the Unix epoch, UTC.

  /// The instant `seconds` after the epoch (negative before it).
  [[nodiscard]] static constexpr Timestamp from_epoch_seconds(std::int64_t seconds) {
    return {Duration::seconds(seconds).micros};
  }
  /// 1400-01-01T00:00:00Z, the first supported instant.
  [[nodiscard]] static constexpr Timestamp earliest() noexcept { return {-17'987'443'200'000'000}; }
  /// 9999-12-31T23:59:59.999999Z, the last supported instant.
  [[nodiscard]] static constexpr Timestamp latest() noexcept { return {253'402'300'799'999'999}; }

  /// Seconds since the epoch, rounded down (so -0.5 s is -1).
  [[nodiscard]] constexpr std::int64_t epoch_seconds() const noexcept {
    return micros >= 0 ? micros / 1'000'000 : -((-micros + 999'999) / 1'000'000);
  }

  /// Instants order by time.
  friend constexpr auto operator<=>(Timestamp, Timestamp) noexcept = default;
  /// The instant `d` later.
  friend constexpr Timestamp operator+(Timestamp t, Duration d) noexcept {
    return {t.micros + d.micros};
  }
  /// The instant `d` earlier.
  friend constexpr Timestamp operator-(Timestamp t, Duration d) noexcept {
    return {t.micros - d.micros};
  }
  /// The span from `b` to `a`.
  friend constexpr Duration operator-(Timestamp a, Timestamp b) noexcept {
    return {a.micros - b.micros};
  }
};

}  // namespace siyu

#pragma once

#include <compare>
#include <cstdint>

#include "siyu/core/duration.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"

namespace siyu {

/// A calendar date with no time or zone ("2024-04-29"). Thread-safety: a plain value.
struct LocalDate {
  std::int32_t year = 1970;  ///< Gregorian year, 1400-9999.
  std::int32_t month = 1;    ///< 1-12.
  std::int32_t day = 1;      ///< 1-31, within the month's length.

  /// Dates order chronologically.
  friend constexpr auto operator<=>(const LocalDate&, const LocalDate&) noexcept = default;
};

/// Day of the week; ISO numbering (Monday = 1).
enum class Weekday : std::uint8_t {
  monday = 1,     ///< 周一
  tuesday = 2,    ///< 周二
  wednesday = 3,  ///< 周三
  thursday = 4,   ///< 周四
  friday = 5,     ///< 周五
  saturday = 6,   ///< 周六
  sunday = 7,     ///< 周日
};

/// A fixed UTC offset in which calendar questions are answered: which local day, ISO week
/// or month an instant falls in, and when local days, weeks and months start. Fixed offsets
/// have no daylight saving, which matches China Standard Time (the default, UTC+8).
/// All results stay within `Timestamp`'s supported range or throw `Error` (out_of_range).
/// Thread-safety: a plain value.
struct Zone {
  std::int32_t offset_seconds = 8 * 3600;  ///< Local time minus UTC, within ±18 hours.

  /// UTC itself.
  [[nodiscard]] static constexpr Zone utc() noexcept { return {0}; }
  /// China Standard Time, UTC+8, the default.
  [[nodiscard]] static constexpr Zone china() noexcept { return {8 * 3600}; }

  /// The local calendar date of `t`.
  [[nodiscard]] SIYU_EXPORT LocalDate local_date(Timestamp t) const;
  /// The local day of the week of `t`.
  [[nodiscard]] SIYU_EXPORT Weekday weekday(Timestamp t) const;
  /// Time elapsed since local midnight, in [0, 24h).
  [[nodiscard]] SIYU_EXPORT Duration time_of_day(Timestamp t) const;
  /// The instant a local date starts, plus an optional local time of day.
  [[nodiscard]] SIYU_EXPORT Timestamp at(const LocalDate& date, Duration time_of_day = {}) const;

  /// Local midnight starting the day of `t`.
  [[nodiscard]] SIYU_EXPORT Timestamp start_of_day(Timestamp t) const;
  /// Local midnight starting the ISO week (Monday) of `t`.
  [[nodiscard]] SIYU_EXPORT Timestamp start_of_week(Timestamp t) const;
  /// Local midnight starting the month of `t`.
  [[nodiscard]] SIYU_EXPORT Timestamp start_of_month(Timestamp t) const;

  /// `t` moved by `n` local days (negative moves back), keeping the local time of day.
  [[nodiscard]] SIYU_EXPORT Timestamp add_days(Timestamp t, std::int64_t n) const;
  /// `t` moved by `n` weeks, keeping the weekday and local time of day.
  [[nodiscard]] SIYU_EXPORT Timestamp add_weeks(Timestamp t, std::int64_t n) const;
  /// `t` moved by `n` calendar months, keeping the local time of day; a day that the target
  /// month lacks is clamped to its last day (Jan 31 + 1 month = Feb 28 or 29).
  [[nodiscard]] SIYU_EXPORT Timestamp add_months(Timestamp t, std::int64_t n) const;

  /// Zones compare by offset.
  friend constexpr auto operator<=>(Zone, Zone) noexcept = default;
};

}  // namespace siyu

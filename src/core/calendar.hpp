#pragma once
// Day arithmetic on the proleptic Gregorian calendar through Boost.Date_Time, kept private:
// days are counted from 1970-01-01 so they combine directly with Timestamp.

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <cstdint>

#include "siyu/core/zone.hpp"

namespace siyu::detail {

using BoostCalendar = boost::gregorian::gregorian_calendar;

inline constexpr std::int64_t micros_per_second = 1'000'000;
inline constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;
inline constexpr std::int32_t first_year = 1400;  // Boost.Date_Time's range
inline constexpr std::int32_t last_year = 9999;
// Julian day number of 1970-01-01.
inline constexpr std::int64_t unix_epoch_day_number = 2'440'588;

/// Days in `month` of `year`; both must be in range.
[[gnu::always_inline]] inline int days_in_month(std::int32_t year, std::int32_t month) {
  return BoostCalendar::end_of_month_day(static_cast<unsigned short>(year),
                                         static_cast<unsigned short>(month));
}

/// Days from 1970-01-01 to a valid date (negative before it).
[[gnu::always_inline]] inline std::int64_t days_from_civil(const LocalDate& date) {
  const BoostCalendar::ymd_type ymd(static_cast<unsigned short>(date.year),
                                    static_cast<unsigned short>(date.month),
                                    static_cast<unsigned short>(date.day));
  return static_cast<std::int64_t>(BoostCalendar::day_number(ymd)) - unix_epoch_day_number;
}

/// The date `days` after 1970-01-01; throws Error(out_of_range) outside years 1400-9999.
LocalDate civil_from_days(std::int64_t days);

/// Floor division for day numbers of instants before the epoch.
inline constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// The local day (days since 1970-01-01 in `zone`) that the instant `micros` falls on.
inline std::int64_t local_day(Zone zone, std::int64_t micros) noexcept {
  return floor_div(micros + std::int64_t{zone.offset_seconds} * micros_per_second, micros_per_day);
}

/// Remainder of floor division, always in [0, b) for positive `b`.
inline constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

}  // namespace siyu::detail

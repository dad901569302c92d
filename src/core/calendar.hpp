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

inline constexpr std::int64_t micros_per_minute = 60 * micros_per_second;

/// Local days, minutes, Monday-first weeks and months of instants in a pool's zone: what
/// schedules, quiet hours, caps and working hours are written in.
class LocalCalendar {
 public:
  explicit LocalCalendar(Zone zone) : zone_(zone) {}
  /// The local day of `t`.
  [[nodiscard]] std::int64_t day(std::int64_t t) const { return local_day(zone_, t); }
  /// Minutes after local midnight.
  [[nodiscard]] std::int32_t minute(std::int64_t t) const {
    return static_cast<std::int32_t>(floor_mod(local(t), micros_per_day) / micros_per_minute);
  }
  /// Monday-first weeks: 1970-01-01 was a Thursday.
  [[nodiscard]] std::int64_t week(std::int64_t t) const { return floor_div(day(t) + 3, 7); }
  /// 0 for Monday … 6 for Sunday of local day `d`.
  [[nodiscard]] static std::int32_t weekday(std::int64_t d) {
    return static_cast<std::int32_t>(floor_mod(d + 3, 7));
  }
  /// Months since year 0.
  [[nodiscard]] std::int64_t month(std::int64_t t) const {
    const LocalDate d = civil_from_days(day(t));
    return std::int64_t{d.year} * 12 + d.month - 1;
  }
  /// The instant of `minute` on local day `d`.
  [[nodiscard]] std::int64_t at(std::int64_t d, std::int32_t minute) const {
    return d * micros_per_day + std::int64_t{minute} * micros_per_minute -
           std::int64_t{zone_.offset_seconds} * micros_per_second;
  }

 private:
  [[nodiscard]] std::int64_t local(std::int64_t t) const {
    return t + std::int64_t{zone_.offset_seconds} * micros_per_second;
  }
  Zone zone_;
};

}  // namespace siyu::detail

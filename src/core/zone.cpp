#include "siyu/core/zone.hpp"

#include <algorithm>
#include <string>

#include "core/calendar.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace detail {

LocalDate civil_from_days(std::int64_t days) {
  constexpr std::int64_t first_day = -208'188;  // 1400-01-01
  constexpr std::int64_t last_day = 2'932'896;  // 9999-12-31
  if (days < first_day || days > last_day) {
    throw Error(ErrorCode::out_of_range,
                "date " + std::to_string(days) +
                    " days from 1970-01-01 is outside the supported years 1400-9999");
  }
  const auto ymd = BoostCalendar::from_day_number(
      static_cast<BoostCalendar::date_int_type>(days + unix_epoch_day_number));
  return {ymd.year, ymd.month, ymd.day};
}

}  // namespace detail

namespace {

using detail::micros_per_day;
using detail::micros_per_second;

// Microseconds of local time since 1970-01-01T00:00 local.
std::int64_t local_micros(Zone zone, Timestamp t) noexcept {
  return t.micros + std::int64_t{zone.offset_seconds} * micros_per_second;
}

std::int64_t local_day(Zone zone, Timestamp t) noexcept {
  return detail::local_day(zone, t.micros);
}

// The instant that starts local day `days`, checked against the supported range.
Timestamp start_of_local_day(Zone zone, std::int64_t days) {
  (void)detail::civil_from_days(days);  // throws outside the supported years
  return {days * micros_per_day - std::int64_t{zone.offset_seconds} * micros_per_second};
}

// Rejects moves of `n` units of `days_per_unit` days that cannot land in the supported range
// (about 3.1 million days wide) before they can overflow any arithmetic.
std::int64_t check_move(std::int64_t n, std::int64_t days_per_unit, const char* unit) {
  constexpr std::int64_t max_days = 4'000'000;
  if (n > max_days / days_per_unit || n < -max_days / days_per_unit) {
    throw Error(ErrorCode::out_of_range, "adding " + std::to_string(n) + " " + unit +
                                             " leaves the supported years 1400-9999");
  }
  return n;
}

}  // namespace

LocalDate Zone::local_date(Timestamp t) const {
  return detail::civil_from_days(local_day(*this, t));
}

Weekday Zone::weekday(Timestamp t) const {
  // 1970-01-01 was a Thursday (ISO 4).
  return static_cast<Weekday>(detail::floor_mod(local_day(*this, t) + 3, 7) + 1);
}

Duration Zone::time_of_day(Timestamp t) const {
  const std::int64_t local = local_micros(*this, t);
  return Duration{detail::floor_mod(local, micros_per_day)};
}

Timestamp Zone::at(const LocalDate& date, Duration time_of_day) const {
  return start_of_local_day(*this, detail::days_from_civil(date)) + time_of_day;
}

Timestamp Zone::start_of_day(Timestamp t) const {
  return start_of_local_day(*this, local_day(*this, t));
}

Timestamp Zone::start_of_week(Timestamp t) const {
  const std::int64_t days = local_day(*this, t);
  const auto weekday_index = static_cast<std::int64_t>(weekday(t)) - 1;  // Monday = 0
  return start_of_local_day(*this, days - weekday_index);
}

Timestamp Zone::start_of_month(Timestamp t) const {
  LocalDate date = local_date(t);
  date.day = 1;
  return at(date);
}

Timestamp Zone::add_days(Timestamp t, std::int64_t n) const {
  const Timestamp moved = t + Duration::days(check_move(n, 1, "days"));
  (void)local_date(moved);  // throws outside the supported years
  return moved;
}

Timestamp Zone::add_weeks(Timestamp t, std::int64_t n) const {
  return add_days(t, check_move(n, 7, "weeks") * 7);
}

Timestamp Zone::add_months(Timestamp t, std::int64_t n) const {
  const LocalDate date = local_date(t);
  (void)check_move(n, 30, "months");
  const std::int64_t months = std::int64_t{date.year} * 12 + (date.month - 1) + n;
  const std::int64_t year = detail::floor_div(months, 12);
  if (year < detail::first_year || year > detail::last_year) {
    throw Error(ErrorCode::out_of_range,
                "adding " + std::to_string(n) + " months leaves the supported years 1400-9999");
  }
  LocalDate moved{static_cast<std::int32_t>(year),
                  static_cast<std::int32_t>(months - year * 12 + 1), date.day};
  moved.day = std::min(moved.day, detail::days_in_month(moved.year, moved.month));
  return at(moved, time_of_day(t));
}

}  // namespace siyu

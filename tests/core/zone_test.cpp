#include "siyu/core/zone.hpp"

#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

constexpr Zone china = Zone::china();

Timestamp ts(std::string_view text) { return parse_timestamp(text, china); }

}  // namespace

TEST_CASE("local date follows the zone, not UTC", "[core]") {
  // 2024-04-30T17:00Z is already May 1st in China.
  CHECK(china.local_date(ts("2024-04-30T17:00:00Z")) == LocalDate{2024, 5, 1});
  CHECK(Zone::utc().local_date(ts("2024-04-30T17:00:00Z")) == LocalDate{2024, 4, 30});
  CHECK(china.local_date(ts("2024-04-30T15:59:59.999999Z")) == LocalDate{2024, 4, 30});
  CHECK(Zone::utc().local_date(Timestamp{-1}) == LocalDate{1969, 12, 31});
  CHECK(Zone::utc().local_date(Timestamp{}) == LocalDate{1970, 1, 1});
  CHECK(Zone::utc().local_date(Timestamp::latest()) == LocalDate{9999, 12, 31});
  CHECK_THROWS_AS(Zone{3600}.local_date(Timestamp::latest()), Error);
}

TEST_CASE("start of day, ISO week and month in the zone", "[core]") {
  const Timestamp t = ts("2024-05-01T10:30:15");  // a Wednesday
  CHECK(china.start_of_day(t) == ts("2024-05-01T00:00:00"));
  CHECK(china.start_of_week(t) == ts("2024-04-29T00:00:00"));
  CHECK(china.start_of_month(t) == ts("2024-05-01T00:00:00"));
  CHECK(china.time_of_day(t) ==
        Duration::hours(10) + Duration::minutes(30) + Duration::seconds(15));
  CHECK(china.weekday(t) == Weekday::wednesday);

  // A Monday starts its own week; a Sunday belongs to the week that began six days before.
  CHECK(china.start_of_week(ts("2024-04-29T00:00:00")) == ts("2024-04-29T00:00:00"));
  CHECK(china.start_of_week(ts("2024-05-05T23:59:59")) == ts("2024-04-29T00:00:00"));
  CHECK(china.weekday(ts("2024-05-05T23:59:59")) == Weekday::sunday);
  // ISO weeks cross year ends: 2025-01-01 is a Wednesday of the week starting 2024-12-30.
  CHECK(china.start_of_week(ts("2025-01-01T08:00:00")) == ts("2024-12-30T00:00:00"));
  // Before the epoch: 1969-12-31 was a Wednesday.
  CHECK(Zone::utc().weekday(Timestamp{-1}) == Weekday::wednesday);
  CHECK(Zone::utc().start_of_week(Timestamp{-1}) == parse_timestamp("1969-12-29T00:00:00Z"));
  CHECK(Zone::utc().time_of_day(Timestamp{-1}) == Duration::microseconds(86'399'999'999));
  CHECK(china.start_of_month(ts("2024-02-29T23:59:59")) == ts("2024-02-01T00:00:00"));
}

TEST_CASE("at() turns a local date and time into an instant", "[core]") {
  CHECK(china.at(LocalDate{2024, 5, 1}) == ts("2024-05-01T00:00:00"));
  CHECK(china.at(LocalDate{2024, 5, 1}, Duration::hours(20)) == ts("2024-05-01T20:00:00"));
  CHECK(Zone::utc().at(LocalDate{1400, 1, 1}) == Timestamp::earliest());
}

TEST_CASE("adding days, weeks and months keeps the local time of day", "[core]") {
  const Timestamp t = ts("2024-01-31T20:00:00");
  CHECK(china.add_days(t, 1) == ts("2024-02-01T20:00:00"));
  CHECK(china.add_days(t, -31) == ts("2023-12-31T20:00:00"));
  CHECK(china.add_weeks(t, 2) == ts("2024-02-14T20:00:00"));
  // Days the target month lacks clamp to its end, in leap and common years.
  CHECK(china.add_months(t, 1) == ts("2024-02-29T20:00:00"));
  CHECK(china.add_months(ts("2023-01-31T20:00:00"), 1) == ts("2023-02-28T20:00:00"));
  CHECK(china.add_months(t, 2) == ts("2024-03-31T20:00:00"));
  CHECK(china.add_months(t, -2) == ts("2023-11-30T20:00:00"));
  CHECK(china.add_months(t, 11) == ts("2024-12-31T20:00:00"));
  CHECK(china.add_months(t, 12) == ts("2025-01-31T20:00:00"));
  CHECK(china.add_months(t, -13) == ts("2022-12-31T20:00:00"));
  CHECK(china.add_months(ts("2024-02-29T08:00:00"), 12) == ts("2025-02-28T08:00:00"));
  CHECK(china.add_months(t, 0) == t);
}

TEST_CASE("calendar moves out of the supported years are errors", "[core]") {
  const Timestamp t = ts("2024-01-31T20:00:00");
  CHECK_THROWS_AS(china.add_months(t, 12 * 8000), Error);
  CHECK_THROWS_AS(china.add_months(t, std::numeric_limits<std::int64_t>::max()), Error);
  CHECK_THROWS_AS(china.add_days(t, 4'000'000), Error);
  CHECK_THROWS_AS(china.add_days(t, std::numeric_limits<std::int64_t>::min()), Error);
  CHECK_THROWS_AS(china.add_weeks(t, std::numeric_limits<std::int64_t>::max() / 2), Error);
}

}  // namespace siyu

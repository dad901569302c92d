#include "siyu/core/duration.hpp"

#include <limits>
#include <sstream>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

ErrorCode duration_error(std::string_view text, Sign sign = Sign::non_negative) {
  try {
    (void)parse_duration(text, sign);
  } catch (const ParseError& e) {
    return e.code();
  }
  FAIL("parse_duration(\"" << text << "\") did not throw");
  return {};
}

}  // namespace

TEST_CASE("parse_duration reads the units the issue names", "[core]") {
  CHECK(parse_duration("7d") == Duration::days(7));
  CHECK(parse_duration("24h") == Duration::hours(24));
  CHECK(parse_duration("90m") == Duration::minutes(90));
  CHECK(parse_duration("30s") == Duration::seconds(30));
  CHECK(parse_duration("3600") == Duration::seconds(3600));
  CHECK(parse_duration("2w") == Duration::days(14));
  CHECK(parse_duration("1500ms") == Duration::milliseconds(1500));
  CHECK(parse_duration("3us") == Duration::microseconds(3));
  CHECK(parse_duration("0") == Duration{});
  CHECK(parse_duration("7d").whole_seconds() == 604'800);
}

TEST_CASE("parse_duration rejects junk and negatives where they are not allowed", "[core]") {
  CHECK(duration_error("-3h") == ErrorCode::invalid_value);
  CHECK(parse_duration("-3h", Sign::any) == -Duration::hours(3));
  CHECK(duration_error("") == ErrorCode::missing_field);
  for (const char* junk :
       {"d", "7x", "7 d", "7D", "1.5h", "1h30m", " 7d", "h7", "--1", "7dd", "+"}) {
    CAPTURE(junk);
    CHECK(duration_error(junk) == ErrorCode::bad_syntax);
  }
  CHECK(duration_error("9223372036854775808us") == ErrorCode::out_of_range);
  CHECK(duration_error("106751992d") == ErrorCode::out_of_range);
  CHECK(parse_duration("106751991d") == Duration::days(106'751'991));
  CHECK(parse_duration("9223372036854775807us").micros == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("duration factories are constexpr and checked", "[core]") {
  constexpr Duration week = Duration::weeks(1);
  STATIC_REQUIRE(week == Duration::days(7));
  STATIC_REQUIRE(Duration::hours(2) - Duration::minutes(30) == Duration::minutes(90));
  CHECK_THROWS_AS(Duration::days(std::numeric_limits<std::int64_t>::max() / 1000), Error);
  CHECK_THROWS_AS(Duration::seconds(std::numeric_limits<std::int64_t>::min()), Error);
}

TEST_CASE("to_string uses the largest exact unit and reads back", "[core]") {
  CHECK(to_string(Duration::days(7)) == "7d");
  CHECK(to_string(Duration::hours(36)) == "36h");
  CHECK(to_string(Duration::minutes(90)) == "90m");
  CHECK(to_string(Duration::seconds(45)) == "45s");
  CHECK(to_string(Duration::milliseconds(1500)) == "1500ms");
  CHECK(to_string(Duration::microseconds(3)) == "3us");
  CHECK(to_string(Duration{}) == "0s");
  CHECK(to_string(-Duration::hours(2)) == "-2h");
  for (const Duration d : {Duration::weeks(3), Duration::seconds(61), -Duration::minutes(5),
                           Duration::microseconds(1'000'001)}) {
    CHECK(parse_duration(to_string(d), Sign::any) == d);
  }
  std::ostringstream out;
  out << Duration::days(1);
  CHECK(out.str() == "1d");
}

}  // namespace siyu

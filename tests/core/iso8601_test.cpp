#include "siyu/core/iso8601.hpp"

#include <sstream>
#include <string>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

constexpr Zone utc = Zone::utc();
constexpr Zone china = Zone::china();

ErrorCode timestamp_error(std::string_view text, Zone zone = china) {
  try {
    (void)parse_timestamp(text, zone);
  } catch (const ParseError& e) {
    return e.code();
  }
  FAIL("parse_timestamp(\"" << text << "\") did not throw");
  return {};
}

Timestamp at_seconds(std::int64_t s) { return Timestamp::from_epoch_seconds(s); }

}  // namespace

TEST_CASE("ISO 8601 with an offset or Z", "[core]") {
  // 2024-05-01T02:00:00Z is 1714528800.
  CHECK(parse_timestamp("2024-05-01T10:00:00+08:00") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T02:00:00Z") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T02:00:00z") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T10:00:00+0800") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T10:00:00+08") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-04-30T21:00:00-05:00") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T07:30:00+05:30") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01 10:00:00+08:00") == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T10:00+08:00") == at_seconds(1714528800));
  // The offset in the text wins over the zone argument.
  CHECK(parse_timestamp("2024-05-01T02:00:00Z", china) ==
        parse_timestamp("2024-05-01T02:00:00Z", utc));
}

TEST_CASE("ISO 8601 without an offset is read in the zone", "[core]") {
  CHECK(parse_timestamp("2024-05-01T10:00:00", china) == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01T02:00:00", utc) == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01 10:00", china) == at_seconds(1714528800));
  CHECK(parse_timestamp("2024-05-01", china) == at_seconds(1714528800 - 10 * 3600));
  CHECK(parse_timestamp("2024-05-01T10:00:00") == at_seconds(1714528800));  // default UTC+8
}

TEST_CASE("fractions of a second", "[core]") {
  CHECK(parse_timestamp("2024-05-01T02:00:00.5Z").micros == 1714528800'500000);
  CHECK(parse_timestamp("2024-05-01T02:00:00.123456Z").micros == 1714528800'123456);
  CHECK(parse_timestamp("2024-05-01T02:00:00,25Z").micros == 1714528800'250000);
  CHECK(parse_timestamp("2024-05-01T02:00:00.123456789Z").micros == 1714528800'123456);
  CHECK(timestamp_error("2024-05-01T02:00:00.1234567890Z") == ErrorCode::bad_syntax);
  CHECK(timestamp_error("2024-05-01T02:00:00.Z") == ErrorCode::bad_syntax);
  CHECK(parse_timestamp("1714528800.25").micros == 1714528800'250000);
}

TEST_CASE("epoch seconds, including negative ones", "[core]") {
  CHECK(parse_timestamp("1714528800") == at_seconds(1714528800));
  CHECK(parse_timestamp("0") == Timestamp{});
  CHECK(parse_timestamp("-86400") == at_seconds(-86400));
  CHECK(parse_timestamp("-1.5").micros == -1'500'000);
  CHECK(parse_timestamp("+60") == at_seconds(60));
  CHECK(parse_timestamp("253402300799") == at_seconds(253402300799));
  CHECK(parse_timestamp("-17987443200") == Timestamp::earliest());
  CHECK(timestamp_error("253402300800") == ErrorCode::out_of_range);
  CHECK(timestamp_error("-17987443201") == ErrorCode::out_of_range);
  CHECK(timestamp_error("99999999999999999999") == ErrorCode::out_of_range);
}

TEST_CASE("dates and times that do not exist are errors", "[core]") {
  CHECK(timestamp_error("2024-02-30T00:00:00Z") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2023-02-29") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-04-31") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-13-01") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-00-10") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-01-00") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T24:01:00") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T25:00:00") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T23:60:00") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T23:59:60") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T24:00:00.1") == ErrorCode::invalid_value);
  CHECK(timestamp_error("2024-05-01T10:00:00+19:00") == ErrorCode::out_of_range);
  CHECK(timestamp_error("2024-05-01T10:00:00+08:60") == ErrorCode::invalid_value);
  CHECK(timestamp_error("1399-12-31") == ErrorCode::out_of_range);
  // Leap days exist only in leap years; 1900 was not one, 2000 was.
  CHECK(parse_timestamp("2024-02-29", utc) == at_seconds(1709164800));
  CHECK(parse_timestamp("2000-02-29", utc) == at_seconds(951782400));
  CHECK(timestamp_error("1900-02-29") == ErrorCode::invalid_value);
  // 24:00 is the end of the day, i.e. the next midnight, also across a year end.
  CHECK(parse_timestamp("2023-12-31T24:00:00Z") == parse_timestamp("2024-01-01T00:00:00Z"));
}

TEST_CASE("shapes that are not timestamps", "[core]") {
  CHECK(timestamp_error("") == ErrorCode::missing_field);
  for (const char* junk :
       {"yesterday", "2024/05/01", "2024-5-1", "2024-05-01T", "2024-05-01T10",
        "2024-05-01T10:00:00 +08:00", "2024-05-01T10:00:00+8", "2024-05-01X10:00",
        "2024-05-01T10:00:00Zjunk", "1714528800x", "17145 28800", "-", "0x10", "2024-05-01T10:00:0",
        "2024-05-01T10:00:00+08:0", "２０２４-05-01"}) {
    CAPTURE(junk);
    CHECK(timestamp_error(junk) == ErrorCode::bad_syntax);
  }
}

TEST_CASE("format_timestamp writes ISO 8601 in the zone and reads back", "[core]") {
  const Timestamp t = at_seconds(1714528800);
  CHECK(format_timestamp(t) == "2024-05-01T10:00:00+08:00");
  CHECK(format_timestamp(t, utc) == "2024-05-01T02:00:00+00:00");
  CHECK(format_timestamp(t, Zone{-(5 * 3600 + 30 * 60)}) == "2024-04-30T20:30:00-05:30");
  CHECK(format_timestamp(Timestamp{1714528800'500000}, utc) == "2024-05-01T02:00:00.500+00:00");
  CHECK(format_timestamp(Timestamp{1714528800'000001}, utc) == "2024-05-01T02:00:00.000001+00:00");
  CHECK(format_timestamp(Timestamp{-1}, utc) == "1969-12-31T23:59:59.999999+00:00");
  CHECK(format_timestamp(Timestamp::earliest(), utc) == "1400-01-01T00:00:00+00:00");
  CHECK(format_timestamp(Timestamp::latest(), utc) == "9999-12-31T23:59:59.999999+00:00");
  for (const Timestamp sample : {Timestamp{}, Timestamp{-1}, t, Timestamp{951782400'123000},
                                 Timestamp::earliest(), Timestamp::latest()}) {
    for (const Zone zone : {utc, china, Zone{-12 * 3600}}) {
      // The range's ends have no local date in zones that push them to 1399 or 10000.
      if (sample == Timestamp::earliest() && zone.offset_seconds < 0) continue;
      if (sample == Timestamp::latest() && zone.offset_seconds > 0) continue;
      const std::string text = format_timestamp(sample, zone);
      CAPTURE(text);
      CHECK(parse_timestamp(text, Zone{3600}) == sample);
    }
  }
  CHECK_THROWS_AS(format_timestamp(Timestamp::earliest(), Zone{-3600}), Error);
  CHECK_THROWS_AS(format_timestamp(Timestamp::latest(), china), Error);
  std::ostringstream out;
  out << t;
  CHECK(out.str() == "2024-05-01T02:00:00+00:00");
}

TEST_CASE("local dates and zones parse and print", "[core]") {
  CHECK(parse_local_date("2024-04-29") == LocalDate{2024, 4, 29});
  CHECK(to_string(LocalDate{2024, 4, 29}) == "2024-04-29");
  CHECK_THROWS_AS(parse_local_date("2024-04-31"), ParseError);
  CHECK_THROWS_AS(parse_local_date("2024-04-29T00:00"), ParseError);
  CHECK_THROWS_AS(parse_local_date(""), ParseError);

  CHECK(parse_zone("+08:00") == china);
  CHECK(parse_zone("+0800") == china);
  CHECK(parse_zone("+08") == china);
  CHECK(parse_zone("Z") == utc);
  CHECK(parse_zone("UTC") == utc);
  CHECK(parse_zone("-05:30").offset_seconds == -(5 * 3600 + 30 * 60));
  CHECK(parse_zone("+18:00").offset_seconds == 18 * 3600);
  CHECK_THROWS_AS(parse_zone("+18:01"), ParseError);
  CHECK_THROWS_AS(parse_zone("8"), ParseError);
  CHECK_THROWS_AS(parse_zone("+08:00x"), ParseError);
  CHECK_THROWS_AS(parse_zone("Asia/Shanghai"), ParseError);
  CHECK(to_string(china) == "+08:00");
  CHECK(to_string(Zone{-(9 * 3600 + 30 * 60)}) == "-09:30");
  CHECK(to_string(utc) == "+00:00");
}

}  // namespace siyu

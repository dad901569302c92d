#include "report/numbers.hpp"

#include "support/catch.hpp"

namespace siyu {

TEST_CASE("JSON numbers read back exactly and keep a decimal point", "[report]") {
  CHECK(detail::json_number(1.0) == "1.0");
  CHECK(detail::json_number(0.0) == "0.0");
  CHECK(detail::json_number(0.5) == "0.5");
  CHECK(detail::json_number(2.0 / 3.0) == "0.6666666666666666");
}

TEST_CASE("seconds are written exactly", "[report]") {
  CHECK(detail::json_seconds(std::nullopt) == "null");
  CHECK(detail::json_seconds(Duration::days(7)) == "604800");
  CHECK(detail::json_seconds(Duration::milliseconds(1500)) == "1.5");
  CHECK(detail::json_seconds(Duration{-500'000}) == "-0.5");
  CHECK(detail::json_seconds(Duration{-1'000'001}) == "-1.000001");
}

TEST_CASE("times read at a glance: the largest unit and the next", "[report]") {
  CHECK(detail::human_duration(std::nullopt).empty());
  CHECK(detail::human_duration(Duration{}) == "0s");
  CHECK(detail::human_duration(Duration{10}) == "<1s");
  CHECK(detail::human_duration(Duration::seconds(45)) == "45s");
  CHECK(detail::human_duration(Duration::seconds(12 * 60 + 5)) == "12m 5s");
  CHECK(detail::human_duration(Duration::seconds(4 * 86'400 + 3'600 + 3'300)) == "4d 1h");
  CHECK(detail::human_duration(Duration::seconds(2 * 86'400 + 300)) == "2d");
  CHECK(detail::percent(0.4608) == "46.1%");
}

}  // namespace siyu

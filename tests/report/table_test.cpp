#include "siyu/report/table.hpp"

#include <sstream>

#include "support/catch.hpp"

namespace siyu {

TEST_CASE("json_quote escapes and keeps JSON valid UTF-8", "[report]") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(json_quote("a\nb\tc\r") == "\"a\\nb\\tc\\r\"");
  CHECK(json_quote(std::string("\x01\x7f", 2)) == "\"\\u0001\\u007f\"");
  CHECK(json_quote("你好 vx123") == "\"你好 vx123\"");
  CHECK(json_quote("bad \xC0\xAF end") == "\"bad \\ufffd\\ufffd end\"");
  CHECK(json_quote("cut \xE4\xBD") == "\"cut \\ufffd\\ufffd\"");
}

TEST_CASE("tables align by display width: CSV quotes where needed", "[report]") {
  const ReportTable table{.header = {"name", "n"}, .rows = {{"王导购", "1"}, {"ab", "22"}}};
  std::ostringstream text;
  table.print(text);
  CHECK(text.str() == "name    n\n王导购  1\nab      22\n");
  std::ostringstream csv;
  ReportTable{.header = {"a", "b"}, .rows = {{"x,y", "say \"hi\""}, {"line\nbreak", ""}}}.print_csv(
      csv);
  CHECK(csv.str() == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",\r\n");
}

TEST_CASE("output formats by name", "[report]") {
  CHECK(find_output_format("json") == OutputFormat::json);
  CHECK(find_output_format("csv") == OutputFormat::csv);
  CHECK(find_output_format("table") == OutputFormat::table);
  CHECK_FALSE(find_output_format("xml").has_value());
}

}  // namespace siyu

#include "siyu/segments/segment_book.hpp"

#include <string>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

// The error `text` raises as a segment file, as "code line field".
std::string error_of(const std::string& text) {
  try {
    (void)parse_segment_book(text, "segments.json");
  } catch (const Error& e) {
    CHECK(e.where().source == "segments.json");
    return std::string(to_string(e.code())) + " " + std::to_string(e.where().line) + " " +
           e.where().field;
  }
  FAIL("no error for " << text);
  return {};
}

}  // namespace

TEST_CASE("a segment file holds tag lifespans and named audiences", "[segments]") {
  const SegmentBook book = parse_segment_book(R"({
  "tags": [
    {"tag": "trial", "expires_after_days": 14},
    {"tag": "interested_tea", "fades_after_days": 30,
     "renewed_by": ["content_viewed[product=TEA-01]", "message_in"]}
  ],
  "segments": [
    {"key": "tea_warm", "name": "茶叶意向", "audience": "tag(interested_tea) and orders = 0"},
    {"key": "vip", "audience": "layer = core"}
  ]
})",
                                              "segments.json");
  REQUIRE(book.tag_lifespans.size() == 2);
  CHECK(book.tag_lifespans[0] == TagLifespan{.tag = "trial", .expires_after = Duration::days(14)});
  CHECK(book.tag_lifespans[1].fades_after == Duration::days(30));
  CHECK(book.tag_lifespans[1].renewed_by ==
        std::vector<EventCondition>{parse_event_condition("content_viewed[product=TEA-01]"),
                                    parse_event_condition("message_in")});
  REQUIRE(book.segments.size() == 2);
  CHECK(book.segments[0].name == "茶叶意向");
  CHECK(book.segments[1].name == "vip");
  CHECK(book.segments[1].audience.needs_tiers());
  CHECK_FALSE(book.segments[0].audience.needs_tiers());
  CHECK(book.find("vip") == &book.segments[1]);
  CHECK(book.find("nope") == nullptr);
}

TEST_CASE("segment file errors name the line and field", "[segments]") {
  CHECK(error_of("{\"segments\": [{\"key\": \"a\",\n \"audience\": \"tag(x) and\"}]}") ==
        "bad_syntax 2 segments[0].audience");
  CHECK(error_of("{\"segments\": [\n{\"key\": \"a\", \"audience\": \"tag(x)\"},\n"
                 "{\"key\": \"a\", \"audience\": \"tag(y)\"}]}") == "conflict 3 segments[1]");
  CHECK(error_of("{\"segments\": [{\"key\": \"a\", \"audience\": \"tag(x)\", \"colour\": 1}]}") ==
        "unknown_field 1 segments[0].colour");
  CHECK(error_of("{\"tags\": [\n{\"tag\": \"t\"}], \"segments\": []}") ==
        "missing_field 2 tags[0]");
  CHECK(error_of("{\"tags\": [{\"tag\": \"t\", \"expires_after_days\": 3,\n"
                 "\"renewed_by\": [\"message_in\"]}], \"segments\": []}") ==
        "conflict 2 tags[0].renewed_by");
  CHECK(error_of("{\"tags\": [{\"tag\": \"t\", \"fades_after_days\": 3,\n"
                 "\"renewed_by\": [\"message_inn\"]}], \"segments\": []}") ==
        "invalid_value 2 tags[0].renewed_by[0]");
  CHECK(error_of("{\"tags\": [{\"tag\": \"t\", \"fades_after_days\": 0}], \"segments\": []}") ==
        "out_of_range 1 tags[0].fades_after_days");
  CHECK(error_of("{}") == "missing_field 1 segments");
}

TEST_CASE("an audience error in a file keeps the column inside the expression", "[segments]") {
  try {
    (void)parse_segment_book(R"({"segments": [{"key": "a", "audience": "orders >= x"}]})",
                             "segments.json");
    FAIL("parsed");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("segments.json:1") &&
                             Catch::Contains("segments[0].audience") &&
                             Catch::Contains("column 11: expected a whole number"));
  }
}

}  // namespace siyu

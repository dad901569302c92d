#include "core/json_document.hpp"

#include "support/catch.hpp"

namespace siyu::detail {

TEST_CASE("line_of follows fields and indices to the line of the value", "[core]") {
  const JsonValue root = parse_json_document(R"({
  "rules": [
    {"key": "a",
     "actions": [
       {"kind": "x"},
       {"kind": "y",
        "target": "m1"}]}],
  "guards": {"quiet_hours":
    {"from": "22:00"}}
})",
                                             "test.json");
  CHECK(line_of(root, "rules") == 2);
  CHECK(line_of(root, "rules[0]") == 3);
  CHECK(line_of(root, "rules[0].actions[1]") == 6);
  CHECK(line_of(root, "rules[0].actions[1].target") == 7);
  CHECK(line_of(root, "guards.quiet_hours.from") == 9);
  // The nearest enclosing value that exists.
  CHECK(line_of(root, "rules[0].actions[5].target") == 4);
  CHECK(line_of(root, "rules[0].missing") == 3);
  CHECK(line_of(root, "rules[0") == 2);
}

}  // namespace siyu::detail

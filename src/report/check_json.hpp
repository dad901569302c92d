#pragma once
// Checks as every report's JSON prints them (docs/cli.md, products and strategy).

#include <ostream>
#include <vector>

#include "siyu/core/check.hpp"
#include "siyu/report/table.hpp"

namespace siyu::detail {

/// `{"check": ..., "figure": ..., "bound": ..., "unit": ..., "passed": ..., "text": ...}`.
inline void write_check_json(std::ostream& out, const Check& c) {
  out << "{\"check\": " << json_quote(c.name)
      << ", \"figure\": " << (c.figure ? std::to_string(*c.figure) : std::string("null"))
      << ", \"bound\": " << c.bound << ", \"unit\": " << json_quote(to_string(c.unit))
      << ", \"passed\": " << (c.passed ? "true" : "false") << ", \"text\": " << json_quote(c.text)
      << '}';
}

/// A JSON array of checks.
inline void write_checks_json(std::ostream& out, const std::vector<Check>& checks) {
  out << '[';
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (i > 0) out << ", ";
    write_check_json(out, checks[i]);
  }
  out << ']';
}

}  // namespace siyu::detail

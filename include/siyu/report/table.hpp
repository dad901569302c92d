#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/export.hpp"

namespace siyu {

/// How a result is printed: an aligned table for people, JSON or CSV for programs.
enum class OutputFormat : std::uint8_t {
  table,  ///< Columns aligned for a terminal.
  json,   ///< A JSON document (each command documents its shape).
  csv,    ///< RFC 4180 CSV with a header row.
};

/// The format named "table", "json" or "csv", or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<OutputFormat> find_output_format(
    std::string_view name) noexcept;

/// Rows of text with a header, printed as an aligned table or as CSV.
/// Thread-safety: a plain value.
struct SIYU_EXPORT ReportTable {
  std::vector<std::string> header;             ///< Column names.
  std::vector<std::vector<std::string>> rows;  ///< Cells, one vector per row.

  /// Prints columns aligned by display width (CJK characters take two columns).
  void print(std::ostream& out) const;
  /// Prints CSV: a header row, then the rows, fields quoted where needed, CRLF line ends.
  void print_csv(std::ostream& out) const;
};

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped;
/// bytes that are not valid UTF-8 become U+FFFD, since JSON text must be UTF-8.
[[nodiscard]] SIYU_EXPORT std::string json_quote(std::string_view text);

}  // namespace siyu

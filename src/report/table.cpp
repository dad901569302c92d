#include "siyu/report/table.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <ostream>

#include "core/text.hpp"

namespace siyu {

namespace {

// Columns a terminal gives the text: three- and four-byte UTF-8 characters (CJK, emoji)
// take two.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::max<std::size_t>(detail::utf8_sequence_length(text, i), 1);
    width += length >= 3 ? 2 : 1;
    i += length;
  }
  return width;
}

}  // namespace

std::optional<OutputFormat> find_output_format(std::string_view name) noexcept {
  if (name == "table") return OutputFormat::table;
  if (name == "json") return OutputFormat::json;
  if (name == "csv") return OutputFormat::csv;
  return std::nullopt;
}

void ReportTable::print(std::ostream& out) const {
  std::vector<std::size_t> widths(header.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  const auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out << "  ";
      out << row[c];
      if (c + 1 < row.size() && c < widths.size()) {
        out << std::string(widths[c] - display_width(row[c]), ' ');
      }
    }
    out << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void ReportTable::print_csv(std::ostream& out) const {
  const auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) text += ',';
      detail::append_csv_field(text, row[c]);
    }
    out << text << "\r\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

std::string json_quote(std::string_view text) {
  constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                        '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = detail::utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    const auto byte = static_cast<std::uint8_t>(text[i++]);
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          out += "\\u00";
          out += hex[byte >> 4];
          out += hex[byte & 0xF];
        } else {
          out += static_cast<char>(byte);
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace siyu

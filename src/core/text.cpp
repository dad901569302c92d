#include "core/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "siyu/core/money.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace siyu::detail {

// RFC 3629 and Table 3-7 of the Unicode standard.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint8_t low = 0x80;
  std::uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlongs
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlongs
    if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

bool is_valid_utf8(std::string_view text) noexcept {
  // Keys and codes are short ASCII, checked eight bytes at a time here; text from the first
  // other byte on (chat messages in Chinese) goes to simdjson's vectorized validator, whose
  // call costs more than an ASCII key takes to check.
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, text.data() + i, sizeof chunk);
    if ((chunk & 0x8080808080808080ULL) != 0) break;
  }
  while (i < text.size() && static_cast<std::uint8_t>(text[i]) < 0x80) ++i;
  return i == text.size() || simdjson::validate_utf8(text.data() + i, text.size() - i);
}

std::string_view trim_blanks(std::string_view text) noexcept {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t max_bytes = 64;
  constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                        '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size() && i < max_bytes) {
    const auto byte = static_cast<std::uint8_t>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    if (byte >= 0x80 && length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte < 0x20 || byte >= 0x7F) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    } else {
      out += static_cast<char>(byte);
    }
    ++i;
  }
  if (i < text.size()) out += "...";
  out += '"';
  return out;
}

void append_csv_field(std::string& row, std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    row += field;
    return;
  }
  row += '"';
  for (char c : field) {
    if (c == '"') row += '"';
    row += c;
  }
  row += '"';
}

std::string basis_points_text(std::int64_t bp) {
  const std::int64_t magnitude = bp < 0 ? -bp : bp;
  std::string text = (bp < 0 ? "-" : "") + std::to_string(magnitude / 100);
  if (const std::int64_t hundredths = magnitude % 100; hundredths != 0) {
    text += '.';
    text += static_cast<char>('0' + hundredths / 10);
    if (hundredths % 10 != 0) text += static_cast<char>('0' + hundredths % 10);
  }
  return text + "%";
}

std::string yuan_text(std::int64_t fen) { return to_string(Money{fen}) + " yuan"; }

std::string clock_text(std::int32_t minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

void append_ascii_lower(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  out.resize(at + text.size());
  std::transform(text.begin(), text.end(), out.begin() + static_cast<std::ptrdiff_t>(at),
                 [](char c) {
                   const auto u = static_cast<unsigned char>(c);
                   return static_cast<char>(u | (static_cast<unsigned>(u - 65U < 26U) << 5U));
                 });
}

}  // namespace siyu::detail

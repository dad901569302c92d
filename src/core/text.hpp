#pragma once
// Text helpers shared by every parser and explanation: UTF-8 validation, quoting input in
// messages, and figures in sentences.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace siyu::detail {

/// Length of the well-formed UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// `text` in double quotes for an error message: control bytes, quotes, backslashes and
/// invalid UTF-8 escaped, and cut after 64 bytes with "..." so a 10 MB field stays readable.
std::string quoted(std::string_view text);

/// `text` without leading and trailing blanks (spaces, tabs, line breaks).
[[nodiscard]] std::string_view trim_blanks(std::string_view text) noexcept;

/// Basis points as an exact percentage for a sentence: "62%", "3.14%", "-0.5%".
[[nodiscard]] std::string basis_points_text(std::int64_t bp);

/// Fen as yuan for a sentence: "9.90 yuan".
[[nodiscard]] std::string yuan_text(std::int64_t fen);

/// Minutes after local midnight as a local time: "08:00", "21:30".
[[nodiscard]] std::string clock_text(std::int32_t minute);

/// Appends `text` to `out` with ASCII letters lower-cased (other bytes, UTF-8 included, as
/// they are); branch-free, so it runs at memory speed over chat text.
void append_ascii_lower(std::string& out, std::string_view text);

/// Appends `field` to a CSV row, in double quotes (inner quotes doubled) when it holds a
/// comma, quote, line break or leading or trailing blank (RFC 4180).
void append_csv_field(std::string& row, std::string_view field);

}  // namespace siyu::detail

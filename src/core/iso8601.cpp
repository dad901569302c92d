#include "siyu/core/iso8601.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>

#include "core/calendar.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

using detail::micros_per_day;
using detail::micros_per_second;

constexpr std::int64_t micros_per_minute = 60 * micros_per_second;
constexpr std::int64_t micros_per_hour = 60 * micros_per_minute;
constexpr std::int32_t max_offset_seconds = 18 * 3600;

[[noreturn, gnu::cold]] void throw_parse(ErrorCode code, std::string_view what,
                                         std::string_view text) {
  throw ParseError(code, std::string(what) + " in " + detail::quoted(text));
}

[[noreturn, gnu::cold]] void throw_not_a_timestamp(std::string_view text) {
  throw_parse(ErrorCode::bad_syntax,
              "not a timestamp (expected ISO 8601 such as 2024-05-01T10:00:00+08:00, or epoch "
              "seconds)",
              text);
}

constexpr int digit(char c) noexcept { return c >= '0' && c <= '9' ? c - '0' : -1; }

// The number written by `count` digits at `pos`, or -1 when any is not a digit or missing.
// One branch for the whole run: timestamps are parsed by the million.
[[gnu::always_inline]] constexpr int fixed_digits(std::string_view s, std::size_t pos,
                                                  std::size_t count) noexcept {
  if (pos + count > s.size()) return -1;
  unsigned value = 0;
  bool bad = false;
  for (std::size_t k = 0; k < count; ++k) {
    const unsigned d = static_cast<unsigned>(s[pos + k]) - '0';
    bad |= d > 9;
    value = value * 10 + d;
  }
  return bad ? -1 : static_cast<int>(value);
}

// A fraction of a second of 1-9 digits at `pos` (after the separator), as microseconds;
// digits past the sixth are truncated. Advances `pos`.
std::int64_t fraction_micros(std::string_view s, std::size_t& pos, std::string_view text) {
  std::int64_t micros = 0;
  std::size_t count = 0;
  for (; pos < s.size() && digit(s[pos]) >= 0; ++pos, ++count) {
    if (count < 6) micros = micros * 10 + digit(s[pos]);
  }
  if (count == 0) throw_parse(ErrorCode::bad_syntax, "no digits after the decimal point", text);
  if (count > 9) throw_parse(ErrorCode::bad_syntax, "more than 9 fraction digits", text);
  for (; count < 6; ++count) micros *= 10;
  return micros;
}

// "YYYY-MM-DD" at the start of `s`, checked to exist.
LocalDate date_prefix(std::string_view s, std::string_view text) {
  const int year = fixed_digits(s, 0, 4);
  const int month = fixed_digits(s, 5, 2);
  const int day = fixed_digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || s.size() < 10 || s[4] != '-' || s[7] != '-') {
    throw_parse(ErrorCode::bad_syntax, "not a date (expected YYYY-MM-DD)", text);
  }
  if (year < detail::first_year) {
    throw_parse(ErrorCode::out_of_range, "year outside the supported 1400-9999", text);
  }
  if (month < 1 || month > 12) throw_parse(ErrorCode::invalid_value, "no such month", text);
  if (day < 1 || day > detail::days_in_month(year, month)) {
    throw_parse(ErrorCode::invalid_value, "no such day in that month", text);
  }
  return {year, month, day};
}

// "Z", or a sign with HH, HHMM or HH:MM, starting at `pos`; advances `pos` past it.
std::int32_t offset_at(std::string_view s, std::size_t& pos, std::string_view text) {
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
    return 0;
  }
  const int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  const int hours = fixed_digits(s, pos, 2);
  if (hours < 0) throw_parse(ErrorCode::bad_syntax, "UTC offset needs two-digit hours", text);
  pos += 2;
  int minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == ':') ++pos;
    minutes = fixed_digits(s, pos, 2);
    if (minutes < 0) throw_parse(ErrorCode::bad_syntax, "UTC offset needs two-digit minutes", text);
    pos += 2;
  }
  if (minutes > 59) throw_parse(ErrorCode::invalid_value, "UTC offset minutes past 59", text);
  const std::int32_t seconds = hours * 3600 + minutes * 60;
  if (seconds > max_offset_seconds) {
    throw_parse(ErrorCode::out_of_range, "UTC offset beyond 18:00", text);
  }
  return sign * seconds;
}

Timestamp checked_instant(std::int64_t micros, std::string_view text) {
  if (micros < Timestamp::earliest().micros || micros > Timestamp::latest().micros) {
    throw_parse(ErrorCode::out_of_range, "instant outside the supported years 1400-9999", text);
  }
  return {micros};
}

// Two digits at p, or a value above 99 when either is not a digit.
[[gnu::always_inline]] inline unsigned two_digits(const char* p) noexcept {
  const unsigned tens = static_cast<unsigned>(p[0]) - '0';
  const unsigned ones = static_cast<unsigned>(p[1]) - '0';
  return (tens > 9 || ones > 9) ? 100U : tens * 10 + ones;
}

// Eight bytes of text as a little-endian word: byte k of the word is p[k].
[[gnu::always_inline]] inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Checks eight bytes against a pattern: bytes where `digits` is 0xFF must be ASCII digits,
// the others must equal `literal`. Returns the word with each digit byte turned into its
// value (0-9) and each other byte into 0, or nothing when the bytes do not match.
[[gnu::always_inline]] inline std::optional<std::uint64_t> digit_word(
    std::uint64_t word, std::uint64_t digits, std::uint64_t literal) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101;
  const std::uint64_t values = (word ^ (ones * '0')) & digits;
  // A value byte above 9 either has its top bit set or gets it from adding 0x76;
  // carries out of such a byte only reach bytes after it, and the word is rejected anyway.
  const std::uint64_t above_nine = (values | (values + (digits & (ones * 0x76)))) & (ones * 0x80);
  if (above_nine != 0 || (word & ~digits) != literal) return std::nullopt;
  return values;
}

// Pairs of digit values at even and odd bytes combined: byte k becomes 10 * byte k + byte k+1.
[[gnu::always_inline]] inline std::uint64_t pair_values(std::uint64_t values) noexcept {
  return values * 10 + (values >> 8);
}

[[gnu::always_inline]] inline unsigned byte_at(std::uint64_t word, int k) noexcept {
  return static_cast<unsigned>(word >> (8 * k)) & 0xFFU;
}

// The shape most files use, "YYYY-MM-DD[T ]HH:MM:SS" followed by nothing, "Z" or "+HH:MM",
// checked and converted eight bytes at a time. Returns false for anything else, valid or not:
// the general parser below then reads it and names any error.
bool parse_canonical(std::string_view text, Zone zone, Timestamp& out) noexcept {
  if constexpr (std::endian::native != std::endian::little) return false;
  const std::size_t n = text.size();
  if (n != 19 && n != 20 && n != 25) return false;
  const char* p = text.data();
  // "YYYY-MM-" and "DD?HH:MM" (byte 2 of the second word, the T or space, is checked apart).
  const auto date = digit_word(load8(p), 0x00FFFF00FFFFFFFF, 0x2D00002D00000000);
  const auto time =
      digit_word(load8(p + 8) | 0x0000000000FF0000, 0xFFFF00FFFF00FFFF, 0x00003A0000FF0000);
  const unsigned second = two_digits(p + 17);
  if (!date || !time || (p[10] != 'T' && p[10] != ' ') || p[16] != ':' || second > 59) return false;
  const std::uint64_t date_pairs = pair_values(*date);
  const std::uint64_t time_pairs = pair_values(*time);
  const auto year =
      static_cast<std::int32_t>(byte_at(date_pairs, 0) * 100 + byte_at(date_pairs, 2));
  const unsigned month = byte_at(date_pairs, 5);
  const unsigned day = byte_at(time_pairs, 0);
  const unsigned hour = byte_at(time_pairs, 3);
  const unsigned minute = byte_at(time_pairs, 6);
  if (year < detail::first_year || month - 1 > 11 || hour > 23 || minute > 59 ||
      day - 1 >= static_cast<unsigned>(detail::days_in_month(year, static_cast<int>(month)))) {
    return false;
  }
  std::int64_t offset_seconds = zone.offset_seconds;
  if (n == 20) {
    if (p[19] != 'Z') return false;
    offset_seconds = 0;
  } else if (n == 25) {
    const unsigned offset_hours = two_digits(p + 20);
    const unsigned offset_minutes = two_digits(p + 23);
    if ((p[19] != '+' && p[19] != '-') || p[22] != ':' || offset_minutes > 59 ||
        offset_hours * 60 + offset_minutes > 18 * 60) {
      return false;
    }
    offset_seconds = (p[19] == '-' ? -1 : 1) * std::int64_t{(std::int64_t{offset_hours} * 3600) +
                                                            (std::int64_t{offset_minutes} * 60)};
  }
  const std::int64_t days = detail::days_from_civil(
      LocalDate{year, static_cast<std::int32_t>(month), static_cast<std::int32_t>(day)});
  const std::int64_t micros = (days * 86'400 + std::int64_t{hour} * 3600 +
                               std::int64_t{minute} * 60 + second - offset_seconds) *
                              micros_per_second;
  if (micros < Timestamp::earliest().micros || micros > Timestamp::latest().micros) return false;
  out = Timestamp{micros};
  return true;
}

Timestamp parse_iso(std::string_view text, Zone zone) {
  const LocalDate date = date_prefix(text, text);
  std::int64_t time_micros = 0;
  std::int32_t offset_seconds = zone.offset_seconds;
  std::size_t pos = 10;
  if (pos < text.size()) {
    const char separator = text[pos++];
    if (separator != 'T' && separator != 't' && separator != ' ') {
      throw_parse(ErrorCode::bad_syntax, "date and time must be separated by T or a space", text);
    }
    const int hour = fixed_digits(text, pos, 2);
    const int minute = fixed_digits(text, pos + 3, 2);
    if (hour < 0 || minute < 0 || text[pos + 2] != ':') {
      throw_parse(ErrorCode::bad_syntax, "time must be HH:MM or HH:MM:SS", text);
    }
    pos += 5;
    int second = 0;
    std::int64_t fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
      second = fixed_digits(text, pos + 1, 2);
      if (second < 0) throw_parse(ErrorCode::bad_syntax, "seconds must be two digits", text);
      pos += 3;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        fraction = fraction_micros(text, pos, text);
      }
    }
    if (pos < text.size()) {
      if (text[pos] != 'Z' && text[pos] != 'z' && text[pos] != '+' && text[pos] != '-') {
        throw_parse(ErrorCode::bad_syntax, "unexpected text after the time", text);
      }
      offset_seconds = offset_at(text, pos, text);
      if (pos != text.size())
        throw_parse(ErrorCode::bad_syntax, "unexpected text after the offset", text);
    }
    if (minute > 59) throw_parse(ErrorCode::invalid_value, "minute past 59", text);
    if (second > 59)
      throw_parse(ErrorCode::invalid_value, "second past 59 (leap seconds are not supported)",
                  text);
    if (hour > 24 || (hour == 24 && (minute != 0 || second != 0 || fraction != 0))) {
      throw_parse(ErrorCode::invalid_value, "time past 24:00", text);
    }
    time_micros =
        hour * micros_per_hour + minute * micros_per_minute + second * micros_per_second + fraction;
  }
  const std::int64_t local = detail::days_from_civil(date) * micros_per_day + time_micros;
  return checked_instant(local - std::int64_t{offset_seconds} * micros_per_second, text);
}

Timestamp parse_epoch(std::string_view text) {
  std::size_t pos = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') ++pos;
  const std::size_t digits_start = pos;
  std::int64_t seconds = 0;
  for (; pos < text.size() && digit(text[pos]) >= 0; ++pos) {
    if (pos - digits_start == 12) {
      throw_parse(ErrorCode::out_of_range, "instant outside the supported years 1400-9999", text);
    }
    seconds = seconds * 10 + digit(text[pos]);
  }
  if (pos == digits_start) throw_not_a_timestamp(text);
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    fraction = fraction_micros(text, pos, text);
  }
  if (pos != text.size()) throw_not_a_timestamp(text);
  const std::int64_t micros = seconds * micros_per_second + fraction;
  return checked_instant(negative ? -micros : micros, text);
}

// Appends `value` as exactly `width` digits.
void append_digits(std::string& out, std::int64_t value, int width) {
  std::array<char, 8> buffer{};
  for (int k = width - 1; k >= 0; --k) {
    buffer[static_cast<std::size_t>(k)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer.data(), static_cast<std::size_t>(width));
}

void append_date(std::string& out, const LocalDate& date) {
  append_digits(out, date.year, 4);
  out += '-';
  append_digits(out, date.month, 2);
  out += '-';
  append_digits(out, date.day, 2);
}

void append_offset(std::string& out, std::int32_t offset_seconds) {
  out += offset_seconds < 0 ? '-' : '+';
  const std::int32_t magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  append_digits(out, magnitude / 3600, 2);
  out += ':';
  append_digits(out, magnitude % 3600 / 60, 2);
}

}  // namespace

LocalDate parse_local_date(std::string_view text) {
  if (text.empty()) throw ParseError(ErrorCode::missing_field, "empty date");
  if (text.size() != 10)
    throw_parse(ErrorCode::bad_syntax, "not a date (expected YYYY-MM-DD)", text);
  return date_prefix(text, text);
}

std::string to_string(const LocalDate& date) {
  std::string out;
  append_date(out, date);
  return out;
}

std::ostream& operator<<(std::ostream& out, const LocalDate& date) {
  return out << to_string(date);
}

Zone parse_zone(std::string_view text) {
  if (text.empty()) throw ParseError(ErrorCode::missing_field, "empty UTC offset");
  if (text == "UTC" || text == "utc") return Zone::utc();
  if (text[0] != 'Z' && text[0] != 'z' && text[0] != '+' && text[0] != '-') {
    throw_parse(ErrorCode::bad_syntax, "not a UTC offset (expected e.g. +08:00 or Z)", text);
  }
  std::size_t pos = 0;
  const Zone zone{offset_at(text, pos, text)};
  if (pos != text.size())
    throw_parse(ErrorCode::bad_syntax, "unexpected text after the UTC offset", text);
  return zone;
}

std::string to_string(Zone zone) {
  std::string out;
  append_offset(out, zone.offset_seconds);
  return out;
}

std::ostream& operator<<(std::ostream& out, Zone zone) { return out << to_string(zone); }

Timestamp parse_timestamp(std::string_view text, Zone zone) {
  if (text.empty()) throw ParseError(ErrorCode::missing_field, "empty timestamp");
  if (Timestamp fast; parse_canonical(text, zone, fast)) return fast;
  if (text.size() >= 10 && text[4] == '-' && text[7] == '-') return parse_iso(text, zone);
  if (digit(text[0]) >= 0 || text[0] == '-' || text[0] == '+') return parse_epoch(text);
  throw_not_a_timestamp(text);
}

std::string format_timestamp(Timestamp t, Zone zone) {
  const std::int64_t local = t.micros + std::int64_t{zone.offset_seconds} * micros_per_second;
  const LocalDate date = detail::civil_from_days(detail::floor_div(local, micros_per_day));
  const std::int64_t time = detail::floor_mod(local, micros_per_day);
  std::string out;
  out.reserve(32);
  append_date(out, date);
  out += 'T';
  append_digits(out, time / micros_per_hour, 2);
  out += ':';
  append_digits(out, time % micros_per_hour / micros_per_minute, 2);
  out += ':';
  append_digits(out, time % micros_per_minute / micros_per_second, 2);
  const std::int64_t fraction = time % micros_per_second;
  if (fraction % 1000 == 0 && fraction != 0) {
    out += '.';
    append_digits(out, fraction / 1000, 3);
  } else if (fraction != 0) {
    out += '.';
    append_digits(out, fraction, 6);
  }
  append_offset(out, zone.offset_seconds);
  return out;
}

std::ostream& operator<<(std::ostream& out, Timestamp t) {
  return out << format_timestamp(t, Zone::utc());
}

}  // namespace siyu

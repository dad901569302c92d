#include "siyu/core/money.hpp"

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "core/text.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

[[noreturn]] void throw_overflow(const char* operation) {
  throw Error(ErrorCode::out_of_range,
              std::string("money ") + operation + " overflows the range of int64 fen");
}

[[noreturn, gnu::cold]] void throw_parse(ErrorCode code, std::string_view what,
                                         std::string_view text) {
  throw ParseError(code, std::string(what) + " in " + detail::quoted(text));
}

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// The most specific reason `text` (already trimmed) is not a yuan amount.
[[noreturn, gnu::cold]] void explain_bad_money(std::string_view text, std::string_view original) {
  for (char c : text) {
    if (is_blank(c)) throw_parse(ErrorCode::bad_syntax, "blank inside a money amount", original);
  }
  for (char c : text) {
    if (c == 'e' || c == 'E') {
      throw_parse(ErrorCode::bad_syntax, "exponent not allowed in a money amount", original);
    }
    if (c == ',') {
      throw_parse(ErrorCode::bad_syntax, "digit separator not allowed in a money amount", original);
    }
  }
  throw_parse(ErrorCode::bad_syntax, "not a yuan amount (expected e.g. 19.90)", original);
}

}  // namespace

Money Money::yuan(std::int64_t yuan) {
  Money result;
  if (__builtin_mul_overflow(yuan, std::int64_t{100}, &result.fen)) throw_overflow("conversion");
  return result;
}

Money& Money::operator+=(Money other) {
  if (__builtin_add_overflow(fen, other.fen, &fen)) throw_overflow("addition");
  return *this;
}

Money& Money::operator-=(Money other) {
  if (__builtin_sub_overflow(fen, other.fen, &fen)) throw_overflow("subtraction");
  return *this;
}

Money& Money::operator*=(std::int64_t count) {
  if (__builtin_mul_overflow(fen, count, &fen)) throw_overflow("multiplication");
  return *this;
}

Money operator+(Money a, Money b) { return a += b; }
Money operator-(Money a, Money b) { return a -= b; }
Money operator-(Money a) { return Money{} -= a; }
Money operator*(Money a, std::int64_t count) { return a *= count; }
Money operator*(std::int64_t count, Money a) { return a *= count; }

Money parse_money(std::string_view original) {
  // Pointers rather than indices: this runs for every amount of every ingested row.
  const char* p = original.data();
  const char* end = p + original.size();
  while (p < end && is_blank(*p)) ++p;
  while (end > p && is_blank(end[-1])) --end;
  const std::string_view text(p, static_cast<std::size_t>(end - p));
  if (p == end) throw_parse(ErrorCode::missing_field, "empty money amount", original);

  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;

  // The magnitude in fen accumulates as unsigned, so that the most negative amount, whose
  // magnitude exceeds INT64_MAX by one, still parses. Up to 17 significant integer digits
  // cannot overflow uint64 even as fen; the range is checked once at the end.
  const char* const integer_start = p;
  std::uint64_t yuan = 0;
  for (unsigned d = 0; p < end && (d = static_cast<unsigned>(*p) - '0') <= 9; ++p) {
    yuan = yuan * 10 + d;
  }
  if (p == integer_start) explain_bad_money(text, original);
  if (p - integer_start > 17) {
    const char* first = integer_start;  // leading zeros do not count
    while (first < p && *first == '0') ++first;
    if (p - first > 17) {
      throw_parse(ErrorCode::out_of_range, "money amount beyond the int64 fen range", original);
    }
  }

  std::uint64_t fen = 0;
  if (p < end && *p == '.') {
    ++p;
    const char* const decimals_start = p;
    for (unsigned d = 0; p < end && (d = static_cast<unsigned>(*p) - '0') <= 9; ++p) {
      fen = fen * 10 + d;
    }
    switch (p - decimals_start) {
      case 0: throw_parse(ErrorCode::bad_syntax, "no digits after the decimal point", original);
      case 1: fen *= 10; break;
      case 2: break;
      default:
        throw_parse(ErrorCode::invalid_value, "more than two decimals in a money amount", original);
    }
  }
  if (p != end) explain_bad_money(text, original);

  const std::uint64_t limit =
      std::uint64_t{std::numeric_limits<std::int64_t>::max()} + (negative ? 1U : 0U);
  const std::uint64_t magnitude = yuan * 100 + fen;
  if (yuan > limit / 100 || magnitude > limit) {
    throw_parse(ErrorCode::out_of_range, "money amount beyond the int64 fen range", original);
  }
  // Two's complement negation in unsigned arithmetic, well defined for the minimum too.
  return Money{negative ? static_cast<std::int64_t>(0 - magnitude)
                        : static_cast<std::int64_t>(magnitude)};
}

std::string to_string(Money amount) {
  const bool negative = amount.fen < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.fen)
                                           : static_cast<std::uint64_t>(amount.fen);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + magnitude % 100 / 10);
  out += static_cast<char>('0' + magnitude % 10);
  return out;
}

std::ostream& operator<<(std::ostream& out, Money amount) { return out << to_string(amount); }

}  // namespace siyu

#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

/// An amount of money in integer fen (1 yuan = 100 fen). Never a float: totals are exact.
/// Arithmetic is checked: a result beyond int64 throws `Error` with `ErrorCode::out_of_range`.
/// Thread-safety: a plain value.
struct Money {
  std::int64_t fen = 0;  ///< The amount in fen; negative for refunds and credits.

  /// An amount of whole yuan; throws on overflow.
  [[nodiscard]] SIYU_EXPORT static Money yuan(std::int64_t yuan);

  /// Amounts order by value.
  friend constexpr auto operator<=>(Money, Money) noexcept = default;

  /// Adds `other`; throws on overflow.
  SIYU_EXPORT Money& operator+=(Money other);
  /// Subtracts `other`; throws on overflow.
  SIYU_EXPORT Money& operator-=(Money other);
  /// Multiplies by a count (a quantity, a number of orders); throws on overflow.
  SIYU_EXPORT Money& operator*=(std::int64_t count);
};

/// Checked sum.
[[nodiscard]] SIYU_EXPORT Money operator+(Money a, Money b);
/// Checked difference.
[[nodiscard]] SIYU_EXPORT Money operator-(Money a, Money b);
/// Checked negation (the most negative amount has no positive counterpart).
[[nodiscard]] SIYU_EXPORT Money operator-(Money a);
/// Checked product of an amount and a count.
[[nodiscard]] SIYU_EXPORT Money operator*(Money a, std::int64_t count);
/// Checked product of a count and an amount.
[[nodiscard]] SIYU_EXPORT Money operator*(std::int64_t count, Money a);

/// Parses a yuan amount: an optional sign, digits, and at most two decimals ("19.90", "19.9",
/// "-3", "0.05", "+12"). Blanks around the text are ignored. Throws `ParseError` naming the
/// problem for empty text, more than two decimals, exponents ("1e3"), blanks inside,
/// separators ("1,000") and amounts beyond int64 fen.
[[nodiscard]] SIYU_EXPORT Money parse_money(std::string_view text);

/// Formats as yuan with exactly two decimals: "19.90", "-0.05", "1280.00".
[[nodiscard]] SIYU_EXPORT std::string to_string(Money amount);

/// Writes `to_string(amount)`.
SIYU_EXPORT std::ostream& operator<<(std::ostream& out, Money amount);

}  // namespace siyu

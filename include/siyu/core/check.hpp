#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

/// The unit of a check's figure and bound.
enum class CheckUnit : std::uint8_t {
  none,          ///< The check has no figure (a declaration, an association of product lines).
  basis_points,  ///< A share, margin or ratio in 1/100 of a percent.
  fen,           ///< Money.
  count,         ///< Customers, orders, operators or accounts.
  centi,         ///< A rate in hundredths (orders per buyer per year × 100).
};

/// "none", "basis_points", "fen", "count", "centi".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(CheckUnit unit) noexcept;

/// One judged rule: a figure against a bound, with a sentence saying so. Products and the
/// strategy advisor explain every decision with these.
/// Thread-safety: a plain value.
struct Check {
  std::string name;  ///< What was checked ("margin", "association", "stage").
  /// The figure the check rests on, in `unit`; none when the data has none (no buyers).
  std::optional<std::int64_t> figure;
  std::int64_t bound = 0;            ///< What it was held against, in the same unit.
  CheckUnit unit = CheckUnit::none;  ///< The unit of figure and bound.
  bool passed = false;               ///< The figure meets the bound.
  std::string text;                  ///< Plain-language statement of the check and its outcome.

  /// Checks compare field by field.
  friend bool operator==(const Check&, const Check&) = default;
};

}  // namespace siyu

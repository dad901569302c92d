#pragma once
// Numbers as reports print them: JSON numbers that read back exactly, and times and
// shares a person reads at a glance.

#include <cstdint>
#include <optional>
#include <string>

#include "siyu/core/duration.hpp"

namespace siyu::detail {

/// The shortest text that reads back as `value`, with ".0" on whole numbers ("1.0", "0.25").
[[nodiscard]] std::string json_number(double value);

/// Whole or fractional seconds, exact: "604800", "1.5"; "null" for none.
[[nodiscard]] std::string json_seconds(std::optional<Duration> span);

/// A share as a percentage with one decimal: "55.6%".
[[nodiscard]] std::string percent(double share);

/// A span in at most two units: "45s", "12m 5s", "3h 20m", "2d 4h"; "" for none.
[[nodiscard]] std::string human_duration(std::optional<Duration> span);

}  // namespace siyu::detail

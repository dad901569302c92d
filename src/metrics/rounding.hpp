#pragma once
// Averages of money in whole fen, rounded the way docs/metrics.md states for every figure.

#include <cstdint>

namespace siyu::detail {

/// total / count rounded half away from zero: -0.5 fen is -1 fen, as 0.5 is 1. `count` > 0.
[[nodiscard]] inline std::int64_t divide_rounded(std::int64_t total, std::uint64_t count) {
  const auto n = static_cast<std::int64_t>(count);
  const std::int64_t q = total / n;
  const std::int64_t r = total % n;
  if (2 * (r < 0 ? -r : r) >= n) return q + (total < 0 ? -1 : 1);
  return q;
}

}  // namespace siyu::detail

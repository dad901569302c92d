#pragma once
// Nearest-rank quantiles: the value at rank ceil(q·n) of the sorted values, so every
// reported figure is one that occurred (docs/metrics.md).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace siyu::detail {

/// The `numerator/denominator` quantile of `values` by nearest rank; none when empty.
/// Reorders `values`.
[[nodiscard]] inline std::optional<std::int64_t> nearest_rank(std::vector<std::int64_t>& values,
                                                              std::uint64_t numerator,
                                                              std::uint64_t denominator) {
  if (values.empty()) return std::nullopt;
  const std::uint64_t n = values.size();
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, (numerator * n + denominator - 1) / denominator);
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

}  // namespace siyu::detail

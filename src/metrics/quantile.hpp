#pragma once
// Nearest-rank quantiles: the value at rank ceil(q·n) of the sorted values, so every
// reported figure is one that occurred (docs/metrics.md).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>

namespace siyu::detail {

/// The rank (1-based) of the `numerator/denominator` quantile of `n` values: ceil(q·n), at
/// least 1.
[[nodiscard]] constexpr std::uint64_t quantile_rank(std::uint64_t n, std::uint64_t numerator,
                                                    std::uint64_t denominator) noexcept {
  return std::max<std::uint64_t>(1, (numerator * n + denominator - 1) / denominator);
}

/// The `numerator/denominator` quantile of `values` by nearest rank; none when empty.
/// Reorders `values`.
[[nodiscard]] inline std::optional<std::int64_t> nearest_rank(std::span<std::int64_t> values,
                                                              std::uint64_t numerator,
                                                              std::uint64_t denominator) {
  if (values.empty()) return std::nullopt;
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(
                                        quantile_rank(values.size(), numerator, denominator) - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

/// The median and the 90th percentile of a set of values, by nearest rank.
struct MedianAndP90 {
  std::optional<std::int64_t> median;  ///< None when there are no values.
  std::optional<std::int64_t> p90;     ///< None when there are no values.
};

/// Both quantiles of `values` for the price of about one and a half selections: the
/// median's selection leaves every larger value after it, where the 90th percentile is
/// then sought. Reorders `values`.
[[nodiscard]] inline MedianAndP90 median_and_p90(std::span<std::int64_t> values) {
  MedianAndP90 q;
  q.median = nearest_rank(values, 1, 2);
  if (!q.median) return q;
  const auto rank = [&](std::uint64_t numerator, std::uint64_t denominator) {
    return values.begin() +
           static_cast<std::ptrdiff_t>(quantile_rank(values.size(), numerator, denominator) - 1);
  };
  const auto p90 = rank(9, 10);
  std::nth_element(rank(1, 2), p90, values.end());
  q.p90 = *p90;
  return q;
}

}  // namespace siyu::detail

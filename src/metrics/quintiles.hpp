#pragma once
// RFM's rank scores: score(x) = 1 + floor(5 · less(x) / n), where less(x) counts the values
// below x, so ties share the lowest rank (docs/metrics.md).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace siyu::detail {

/// The quintile scores of a set of values. score(x) > s exactly when less(x) >=
/// ceil(s · n / 5), that is when x exceeds the ceil(s · n / 5)-th smallest value: four
/// order statistics score everyone. They come from a count per value when the values span
/// a narrow range (days, order counts), else from selection; linear time either way.
template <class Value>
class Quintiles {
 public:
  /// The bounds of `values` (taken by value: selection reorders them).
  explicit Quintiles(std::vector<Value> values) {
    if (values.empty()) return;
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    const auto range = static_cast<std::uint64_t>(*high) - static_cast<std::uint64_t>(*low);
    if (range < 2 * values.size()) {
      counted(values, *low, static_cast<std::size_t>(range) + 1);
    } else {
      selected(values);
    }
  }

  /// The score of `x`, 1 to 5.
  [[nodiscard]] int score(Value x) const noexcept {
    int score = 1;
    for (const Value bound : bounds_) score += x > bound ? 1 : 0;
    return score;
  }

  /// The ceil(s · n / 5)-th smallest values, s = 1..4.
  [[nodiscard]] const std::array<Value, 4>& bounds() const noexcept { return bounds_; }

 private:
  // Rank of bound s (1-based): ceil(s * n / 5), at least 1 when n > 0.
  static std::size_t rank(std::size_t s, std::size_t n) { return (s * n + 4) / 5; }

  void counted(const std::vector<Value>& values, Value low, std::size_t width) {
    std::vector<std::size_t> count(width);
    for (const Value v : values) ++count[static_cast<std::size_t>(v - low)];
    std::size_t seen = 0;
    std::size_t s = 1;
    for (std::size_t i = 0; i < width && s <= 4; ++i) {
      seen += count[i];
      for (; s <= 4 && seen >= rank(s, values.size()); ++s) {
        bounds_[s - 1] = static_cast<Value>(low + static_cast<Value>(i));
      }
    }
  }

  void selected(std::vector<Value>& values) {
    auto begin = values.begin();
    for (std::size_t s = 1; s <= 4; ++s) {
      const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank(s, values.size()) - 1);
      std::nth_element(begin, nth, values.end());
      bounds_[s - 1] = *nth;
      begin = nth;
    }
  }

  std::array<Value, 4> bounds_{};
};

}  // namespace siyu::detail

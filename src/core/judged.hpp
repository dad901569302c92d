#pragma once
// Building a `Check` from its parts, in the order the explanations state them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "siyu/core/check.hpp"

namespace siyu::detail {

/// A check of `figure` (in `unit`) against `bound`, with its verdict and sentence.
[[nodiscard]] inline Check judged(std::string name, CheckUnit unit,
                                  std::optional<std::int64_t> figure, std::int64_t bound,
                                  bool passed, std::string text) {
  return Check{.name = std::move(name),
               .figure = figure,
               .bound = bound,
               .unit = unit,
               .passed = passed,
               .text = std::move(text)};
}

}  // namespace siyu::detail

#pragma once
// Numbers as reports print them: JSON numbers that read back exactly, and times and
// shares a person reads at a glance. Inline, so tests reach them in a shared build too.

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "siyu/core/duration.hpp"

namespace siyu::detail {

/// The shortest text that reads back as `value`, with ".0" on whole numbers ("1.0", "0.25").
[[nodiscard]] inline std::string json_number(double value) {
  std::array<char, 32> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string text(buffer.data(), error == std::errc() ? end : buffer.data());
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

/// Whole or fractional seconds, exact: "604800", "1.5"; "null" for none.
[[nodiscard]] inline std::string json_seconds(std::optional<Duration> span) {
  if (!span) return "null";
  const std::int64_t micros = span->micros;
  std::string text = std::to_string(micros / 1'000'000);
  std::int64_t fraction = micros % 1'000'000;
  if (fraction == 0) return text;
  if (fraction < 0) {
    fraction = -fraction;
    if (micros > -1'000'000) text = "-0";
  }
  std::string digits = std::to_string(fraction);
  digits.insert(0, 6 - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  return text + '.' + digits;
}

/// A share as a percentage with one decimal: "55.6%".
[[nodiscard]] inline std::string percent(double share) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f%%", share * 100.0);
  return buffer.data();
}

/// A span in at most two units: "45s", "12m 5s", "3h 20m", "2d 4h"; "" for none.
[[nodiscard]] inline std::string human_duration(std::optional<Duration> span) {
  if (!span) return {};
  const std::int64_t seconds = span->micros / 1'000'000;
  if (seconds == 0) return span->micros == 0 ? "0s" : "<1s";
  constexpr std::array<std::pair<std::int64_t, char>, 4> units = {
      {{86'400, 'd'}, {3'600, 'h'}, {60, 'm'}, {1, 's'}}};
  // The largest unit that fits, then the next one down if it is not zero: "2d 4h", "12m".
  std::size_t u = 0;
  while (seconds < units[u].first) ++u;
  std::string text = std::to_string(seconds / units[u].first) + units[u].second;
  if (u + 1 < units.size()) {
    const std::int64_t rest = seconds % units[u].first / units[u + 1].first;
    if (rest != 0) text += ' ' + std::to_string(rest) + units[u + 1].second;
  }
  return text;
}

}  // namespace siyu::detail

#include "siyu/core/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "core/text.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t micros;
};

// Largest first: to_string picks the first unit that divides the span exactly.
constexpr std::array<Unit, 6> units = {{{"d", 86'400'000'000},
                                        {"h", 3'600'000'000},
                                        {"m", 60'000'000},
                                        {"s", 1'000'000},
                                        {"ms", 1'000},
                                        {"us", 1}}};

[[noreturn]] void throw_parse(ErrorCode code, std::string_view what, std::string_view text) {
  throw ParseError(code, std::string(what) + " in " + detail::quoted(text));
}

}  // namespace

namespace detail {
void throw_duration_overflow(std::int64_t count, std::int64_t micros_per_unit) {
  throw Error(ErrorCode::out_of_range, std::to_string(count) + " units of " +
                                           std::to_string(micros_per_unit) +
                                           " microseconds overflow a duration");
}
}  // namespace detail

Duration parse_duration(std::string_view text, Sign sign) {
  if (text.empty()) throw ParseError(ErrorCode::missing_field, "empty duration");
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') ++i;

  constexpr auto max = std::uint64_t{std::numeric_limits<std::int64_t>::max()};
  std::uint64_t count = 0;
  const std::size_t digits_start = i;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    count = count * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (count > max) throw_parse(ErrorCode::out_of_range, "duration too long", text);
  }
  if (i == digits_start) {
    throw_parse(ErrorCode::bad_syntax, "duration needs a whole number (e.g. 7d, 24h, 90m, 30s)",
                text);
  }

  const std::string_view suffix = text.substr(i);
  std::int64_t micros_per_unit = 0;
  if (suffix.empty()) {
    micros_per_unit = 1'000'000;  // bare numbers are seconds
  } else if (suffix == "w") {
    micros_per_unit = 7 * 86'400'000'000;
  } else {
    for (const Unit& unit : units) {
      if (suffix == unit.suffix) micros_per_unit = unit.micros;
    }
  }
  if (micros_per_unit == 0) {
    throw_parse(ErrorCode::bad_syntax, "unknown duration unit (use us, ms, s, m, h, d or w)", text);
  }
  if (count > max / static_cast<std::uint64_t>(micros_per_unit)) {
    throw_parse(ErrorCode::out_of_range, "duration too long", text);
  }
  if (negative && sign == Sign::non_negative) {
    throw_parse(ErrorCode::invalid_value, "negative duration not allowed", text);
  }
  const auto micros = static_cast<std::int64_t>(count) * micros_per_unit;
  return Duration{negative ? -micros : micros};
}

std::string to_string(Duration span) {
  if (span.micros == 0) return "0s";
  const Unit* unit = units.data();
  while (span.micros % unit->micros != 0) ++unit;  // stops at "us" at the latest
  return std::to_string(span.micros / unit->micros) + std::string(unit->suffix);
}

std::ostream& operator<<(std::ostream& out, Duration span) { return out << to_string(span); }

}  // namespace siyu

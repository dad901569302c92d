#pragma once
// The interchange fields (docs/formats.md) and how their text becomes an Event; shared by
// the CSV and JSONL readers so both read a field the same way.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "siyu/core/zone.hpp"
#include "siyu/model/event.hpp"

namespace siyu::detail {

/// The interchange fields, in header order.
enum class Field : std::uint8_t {
  id,
  ts,
  customer,
  type,
  staff,
  channel,
  product,
  amount,
  ref,
  duration,
  text
};

inline constexpr std::size_t field_count = 11;

/// Field names as headers and JSON keys use them.
inline constexpr std::array<std::string_view, field_count> field_names = {
    "id",      "ts",     "customer", "type",     "staff", "channel",
    "product", "amount", "ref",      "duration", "text"};

/// The field named `name`, or nothing.
std::optional<Field> find_field(std::string_view name) noexcept;

/// Sets `field` of `event` from its text, keeping views into `text`; empty text leaves it
/// unset. Throws `ParseError` (with the field named) for text that does not parse:
/// timestamps are read in `zone`.
void set_field(EventView& event, Field field, std::string_view text, Zone zone);

/// Throws `ValidationError` naming the first of ts, customer and type that `seen` lacks.
void require_fields(const std::array<bool, field_count>& seen);

}  // namespace siyu::detail

#pragma once
// Event types as text: "order_paid" or "custom.<name>". One reading for the readers, the
// CSV writer, the pool's validation and event conditions.

#include <string>
#include <string_view>

#include "siyu/model/event_type.hpp"

namespace siyu::detail {

/// True for a custom event name: 1-64 letters, digits, '_', '-' or '.'.
[[nodiscard]] bool valid_custom_name(std::string_view name) noexcept;

/// Reads "order_paid" or "custom.<name>" into `type` and `custom_name` (the name is
/// checked later, by the pool). Throws `ParseError` for an unknown type.
void read_event_type(std::string_view text, EventType& type, std::string& custom_name);

/// "order_paid", or "custom.<name>" for custom events.
[[nodiscard]] std::string event_type_text(EventType type, std::string_view custom_name);

}  // namespace siyu::detail

#pragma once
// Event types as text ("order_paid" or "custom.<name>") and what each type's `ref` names:
// one reading for the readers, the CSV writer, the pool and event conditions.

#include <cstdint>
#include <string>
#include <string_view>

#include "siyu/model/event_type.hpp"

namespace siyu::detail {

/// True for a custom event name: 1-64 letters, digits, '_', '-' or '.'.
[[nodiscard]] bool valid_custom_name(std::string_view name) noexcept;

/// Reads "order_paid" or "custom.<name>" into `type` and `custom_name`, a view into `text`
/// (the name is checked later, by the pool). Throws `ParseError` for an unknown type.
void read_event_type(std::string_view text, EventType& type, std::string_view& custom_name);

/// "order_paid", or "custom.<name>" for custom events.
[[nodiscard]] std::string event_type_text(EventType type, std::string_view custom_name);

/// What an event's `ref` names: a directory record, or a label kept in `Pool::refs()`.
enum class RefKind : std::uint8_t { customer, coupon, tag, material, group, label };

/// The kind of record `ref` names for events of `type`.
[[nodiscard]] RefKind ref_kind(EventType type) noexcept;

}  // namespace siyu::detail

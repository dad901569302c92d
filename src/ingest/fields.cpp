#include "ingest/fields.hpp"

#include <string>

#include "model/event_type_text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"

namespace siyu::detail {

std::optional<Field> find_field(std::string_view name) noexcept {
  for (std::size_t i = 0; i < field_names.size(); ++i) {
    if (field_names[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

void set_field(EventView& event, Field field, std::string_view text, Zone zone) {
  if (text.empty()) return;
  try {
    switch (field) {
      case Field::id: event.id = text; break;
      case Field::ts: event.ts = parse_timestamp(text, zone); break;
      case Field::customer: event.customer = text; break;
      case Field::type: read_event_type(text, event.type, event.custom_name); break;
      case Field::staff: event.staff = text; break;
      case Field::channel: event.channel = text; break;
      case Field::product: event.product = text; break;
      case Field::amount: event.amount = parse_money(text); break;
      case Field::ref: event.ref = text; break;
      case Field::duration: event.duration = parse_duration(text); break;
      case Field::text: event.text = text; break;
    }
  } catch (Error& e) {
    e.locate(Where{.field = std::string(field_names[static_cast<std::size_t>(field)])});
    throw;
  }
}

void require_fields(const std::array<bool, field_count>& seen) {
  for (const Field f : {Field::ts, Field::customer, Field::type}) {
    if (!seen[static_cast<std::size_t>(f)]) {
      const std::string name(field_names[static_cast<std::size_t>(f)]);
      throw ValidationError(ErrorCode::missing_field, name + " is required", Where{.field = name});
    }
  }
}

}  // namespace siyu::detail

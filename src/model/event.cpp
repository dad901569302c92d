#include "siyu/model/event.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "core/text.hpp"
#include "model/event_type_text.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, event_type_count> event_type_names = {
    "friend_added",    "friend_deleted",  "message_in",     "message_out",    "group_joined",
    "group_left",      "content_sent",    "content_viewed", "content_shared", "invited",
    "coupon_issued",   "coupon_redeemed", "order_paid",     "order_refunded", "live_watched",
    "identity_linked", "tag_added",       "tag_removed",    "custom"};

// Epoch seconds with up to six decimals, exact for every Timestamp: sign, then magnitude,
// as parse_timestamp reads it ("-1.5" is a second and a half before the epoch).
std::string epoch_text(Timestamp ts) {
  const std::uint64_t magnitude = ts.micros < 0 ? 0 - static_cast<std::uint64_t>(ts.micros)
                                                : static_cast<std::uint64_t>(ts.micros);
  std::string out = ts.micros < 0 ? "-" : "";
  out += std::to_string(magnitude / 1'000'000);
  if (const std::uint64_t micros = magnitude % 1'000'000; micros != 0) {
    std::string fraction = std::to_string(micros);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (fraction.back() == '0') fraction.pop_back();
    out += '.';
    out += fraction;
  }
  return out;
}

}  // namespace

std::string_view to_string(EventType type) noexcept {
  return event_type_names[static_cast<std::size_t>(type)];
}

std::optional<EventType> find_event_type(std::string_view name) noexcept {
  for (std::size_t i = 0; i + 1 < event_type_names.size(); ++i) {
    if (event_type_names[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

bool detail::valid_custom_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

void detail::read_event_type(std::string_view text, EventType& type,
                             std::string_view& custom_name) {
  constexpr std::string_view custom_prefix = "custom.";
  if (text.starts_with(custom_prefix)) {
    type = EventType::custom;
    custom_name = text.substr(custom_prefix.size());
    return;
  }
  const auto found = find_event_type(text);
  if (!found) {
    throw ParseError(ErrorCode::invalid_value, "unknown event type " + detail::quoted(text) +
                                                   " (use a built-in type or custom.<name>)");
  }
  type = *found;
  custom_name = {};
}

std::string detail::event_type_text(EventType type, std::string_view custom_name) {
  if (type == EventType::custom) return "custom." + std::string(custom_name);
  return std::string(to_string(type));
}

detail::RefKind detail::ref_kind(EventType type) noexcept {
  switch (type) {
    case EventType::invited:
    case EventType::identity_linked: return RefKind::customer;
    case EventType::coupon_issued:
    case EventType::coupon_redeemed: return RefKind::coupon;
    case EventType::tag_added:
    case EventType::tag_removed: return RefKind::tag;
    case EventType::content_sent:
    case EventType::content_viewed:
    case EventType::content_shared: return RefKind::material;
    case EventType::group_joined:
    case EventType::group_left: return RefKind::group;
    default: return RefKind::label;
  }
}

std::string format_event_csv(const EventView& event) {
  std::string row;
  const std::string type = detail::event_type_text(event.type, event.custom_name);
  const std::string ts = epoch_text(event.ts);
  const std::string amount = event.amount ? to_string(*event.amount) : std::string();
  const std::string duration = event.duration ? to_string(*event.duration) : std::string();
  const std::array<std::string_view, 11> fields = {
      event.id,      ts,     event.customer, type,     event.staff, event.channel,
      event.product, amount, event.ref,      duration, event.text};
  for (const std::string_view& field : fields) {
    if (&field != fields.data()) row += ',';
    detail::append_csv_field(row, field);
  }
  return row;
}

}  // namespace siyu

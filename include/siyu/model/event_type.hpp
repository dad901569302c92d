#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

/// What a customer did, as the interchange formats name it (docs/data-model.md lists which
/// fields each type requires).
enum class EventType : std::uint8_t {
  friend_added,     ///< Added a staff member as a WeCom/WeChat contact (加好友).
  friend_deleted,   ///< Deleted the staff member (删好友): a churn signal.
  message_in,       ///< Sent a message to staff.
  message_out,      ///< Received a message from staff.
  group_joined,     ///< Joined a customer group (社群); `ref` names the group.
  group_left,       ///< Left a customer group; `ref` names the group.
  content_sent,     ///< Was sent content; `ref` names the material.
  content_viewed,   ///< Viewed content; `ref` names the material, `duration` the watch time.
  content_shared,   ///< Shared content onward; `ref` names the material.
  invited,          ///< Was invited by another customer; `ref` is the inviter's key.
  coupon_issued,    ///< Received a coupon; `ref` names the coupon.
  coupon_redeemed,  ///< Redeemed a coupon; `ref` names the coupon.
  order_paid,       ///< Paid an order; `amount` and `ref` (the order id) are required.
  order_refunded,   ///< Was refunded; `amount` and `ref` (the order id) are required.
  live_watched,     ///< Watched a live stream; `duration` is the watch time.
  identity_linked,  ///< Another key (`ref`) belongs to the same person.
  tag_added,        ///< Was tagged; `ref` names the tag.
  tag_removed,      ///< Lost a tag; `ref` names the tag.
  custom,           ///< A host-defined event, written `custom.<name>`.
};

/// Number of event types, for tables indexed by type.
inline constexpr std::size_t event_type_count = static_cast<std::size_t>(EventType::custom) + 1;

/// The interchange name of a built-in type ("order_paid"); "custom" for custom events.
[[nodiscard]] SIYU_EXPORT std::string_view to_string(EventType type) noexcept;

/// The built-in type named `name`, or nothing: "custom.<name>" is not parsed here.
[[nodiscard]] SIYU_EXPORT std::optional<EventType> find_event_type(std::string_view name) noexcept;

}  // namespace siyu

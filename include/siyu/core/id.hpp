#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>

namespace siyu {

/// A typed dense index into one of a pool's directories. Ids of different kinds do not
/// convert into each other, so a `StaffId` can never be passed where a `CustomerId` belongs.
/// Thread-safety: a plain value.
template <class Tag, class Rep = std::uint32_t>
struct Id {
  /// The integer type underneath.
  using rep_type = Rep;
  /// The value of an id that names nothing (the default).
  static constexpr Rep none_value = std::numeric_limits<Rep>::max();

  Rep value = none_value;  ///< The dense index; `none_value` when unset.

  /// True when the id names a record.
  [[nodiscard]] constexpr bool has_value() const noexcept { return value != none_value; }
  /// Ids order by their index.
  friend constexpr auto operator<=>(Id, Id) noexcept = default;
};

/// Identifies a customer (one person after identity resolution).
using CustomerId = Id<struct CustomerTag>;
/// Identifies a staff member.
using StaffId = Id<struct StaffTag>;
/// Identifies an acquisition channel.
using ChannelId = Id<struct ChannelTag>;
/// Identifies a channel live code.
using LiveCodeId = Id<struct LiveCodeTag>;
/// Identifies a tag.
using TagId = Id<struct TagTag>;
/// Identifies a tag group.
using TagGroupId = Id<struct TagGroupTag>;
/// Identifies a product.
using ProductId = Id<struct ProductTag>;
/// Identifies a coupon.
using CouponId = Id<struct CouponTag>;
/// Identifies a piece of content material.
using MaterialId = Id<struct MaterialTag>;
/// Identifies a customer group (a WeChat/WeCom group chat).
using GroupId = Id<struct GroupTag>;
/// Identifies an identifier customers are known by (a unionid, a hashed phone number).
using IdentityId = Id<struct IdentityTag>;
/// Identifies an event in the log (64-bit: logs outgrow four billion events).
using EventId = Id<struct EventTag, std::uint64_t>;

}  // namespace siyu

namespace std {
/// Ids hash by their index, so they can key unordered containers.
template <class Tag, class Rep>
struct hash<siyu::Id<Tag, Rep>> {
  /// The hash of the index.
  size_t operator()(siyu::Id<Tag, Rep> id) const noexcept { return hash<Rep>{}(id.value); }
};
}  // namespace std

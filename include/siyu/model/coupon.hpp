#pragma once

#include <string>

#include "siyu/core/id.hpp"
#include "siyu/core/money.hpp"

namespace siyu {

/// A coupon or redemption code campaign. Thread-safety: a plain value.
struct Coupon {
  std::string key;           ///< The host's id (what coupon events name in `ref`).
  std::string name;          ///< Display name.
  Money face_value;          ///< The discount it gives.
  Money minimum_spend;       ///< The order amount it needs, 0 for none.
  ProductId product;         ///< The product it applies to, if only one.
  bool placeholder = false;  ///< First seen in an event, not yet described.

  /// Coupons compare field by field.
  friend bool operator==(const Coupon&, const Coupon&) = default;
};

}  // namespace siyu

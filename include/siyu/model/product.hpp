#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "siyu/core/money.hpp"

namespace siyu {

/// How standardized a product is: the axis of the product matrix besides margin (DOMAIN.md §5).
enum class Standardization : std::uint8_t {
  unknown,       ///< Not declared.
  standard,      ///< The same item for everyone (a tea sample, a shirt).
  non_standard,  ///< Made or configured per customer (a renovation, a B2B deal).
};

/// A product in the host's catalogue, with the attributes the product matrix reads.
/// Thread-safety: a plain value.
struct Product {
  std::string key;       ///< The SKU (what events name in `product`).
  std::string name;      ///< Display name.
  std::string category;  ///< Category or product line.
  Money price;           ///< List price.
  Standardization standardization = Standardization::unknown;  ///< Declared standardization.
  std::optional<std::int32_t> margin_basis_points;  ///< Declared gross margin, 1/100 of a percent.
  bool placeholder = false;                         ///< First seen in an event, not yet described.

  /// Products compare field by field.
  friend bool operator==(const Product&, const Product&) = default;
};

}  // namespace siyu

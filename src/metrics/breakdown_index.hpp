#pragma once
// Each customer's breakdown value, as a dense group number.

#include <cstdint>
#include <string>
#include <vector>

#include "siyu/metrics/breakdown.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::detail {

/// The values of a breakdown and the group of every customer.
struct BreakdownIndex {
  std::vector<std::string> values;      ///< Group keys, ascending; "" (no value) last if present.
  std::vector<std::uint32_t> group_of;  ///< Per customer id: index into `values`.
};

/// Groups the pool's customers by `breakdown`. Throws `NotFound` for an unknown tag group.
[[nodiscard]] BreakdownIndex index_breakdown(const Pool& pool, const Breakdown& breakdown);

}  // namespace siyu::detail

#pragma once

#include <iosfwd>
#include <optional>

#include "siyu/core/id.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/report/table.hpp"
#include "siyu/tiers/tier_engine.hpp"

namespace siyu {

class Pool;

/// What a tiers report shows besides the counts.
struct TierReportOptions {
  Zone zone;                           ///< The zone times are printed in.
  std::optional<CustomerId> customer;  ///< Only this customer (`siyu tiers --customer`).
  bool history = false;                ///< Also the moves (`siyu tiers --history`).
};

/// Writes layers and levels as `siyu tiers` prints them (docs/cli.md): counts and, per
/// customer, layer, level and reasons. A table shows the counts (and one customer's
/// reasons); JSON has everything; CSV has one row per customer, or per move with `history`.
SIYU_EXPORT void write_tiers(std::ostream& out, const Pool& pool, const TierEngine& tiers,
                             OutputFormat format, const TierReportOptions& options = {});

}  // namespace siyu

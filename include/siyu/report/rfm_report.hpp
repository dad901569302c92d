#pragma once

#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/metrics/rfm.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

class Pool;

/// What an RFM report shows besides the totals.
struct RfmReportOptions {
  Zone zone;               ///< The zone the clock is printed in.
  bool customers = false;  ///< One row per buyer (`siyu rfm --customers`).
};

/// Writes RFM as `siyu rfm` prints it (docs/cli.md): segments and concentration as a
/// table, a JSON object with every cell, or CSV (the 125 cells, or the buyers). `pool` names
/// the customers.
SIYU_EXPORT void write_rfm(std::ostream& out, const Pool& pool, const RfmResult& result,
                           OutputFormat format, const RfmReportOptions& options = {});

}  // namespace siyu

#pragma once

#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/metrics/kpis.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

/// Writes KPIs as `siyu kpis` prints them (docs/cli.md): a table with one row per KPI and a
/// column per group, a JSON object, or CSV with one row per group. Times print in `zone`.
SIYU_EXPORT void write_kpis(std::ostream& out, const KpiQuery& query, const KpiResult& result,
                            OutputFormat format, Zone zone = {});

}  // namespace siyu

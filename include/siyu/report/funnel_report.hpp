#pragma once

#include <iosfwd>

#include "siyu/export.hpp"
#include "siyu/metrics/funnel.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

/// Writes a funnel's result as `siyu funnel` prints it (docs/cli.md): an aligned table, a
/// JSON object, or CSV with one row per step (and per breakdown value).
SIYU_EXPORT void write_funnel(std::ostream& out, const FunnelQuery& query,
                              const FunnelResult& result, OutputFormat format);

}  // namespace siyu

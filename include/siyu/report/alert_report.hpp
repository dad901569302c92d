#pragma once

#include <iosfwd>

#include "siyu/alerts/alerts.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

class Pool;

/// Writes the alerts of a period as `siyu alerts` prints them (docs/cli.md): the counts per
/// kind and what the word scan covered, then each alert with its kind, customer, staff,
/// recipient, times, event, reasons and, for sensitive words, the hit. CSV has one row per
/// alert, its reasons joined with "; ".
SIYU_EXPORT void write_alerts(std::ostream& out, const Pool& pool, const AlertQuery& query,
                              const AlertResult& result, OutputFormat format, Zone zone);

}  // namespace siyu

#pragma once

#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/report/table.hpp"
#include "siyu/strategy/strategy.hpp"

namespace siyu {

/// Writes a strategy report as `siyu strategy` prints it (docs/cli.md): quadrant, operating
/// dimensions, stage, seed users and capacity with their checks, then the advice in English
/// and Chinese. CSV has one row per check and per piece of advice. Times print in `zone`.
SIYU_EXPORT void write_strategy(std::ostream& out, const StrategyReport& report,
                                OutputFormat format, Zone zone);

}  // namespace siyu

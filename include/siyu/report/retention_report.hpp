#pragma once

#include <iosfwd>

#include "siyu/export.hpp"
#include "siyu/metrics/retention.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

/// What a retention report shows besides the counts.
struct RetentionReportOptions {
  bool revenue = false;  ///< Revenue and LTV per cell (`siyu retention --value revenue`).
};

/// Writes a cohort table as `siyu retention` prints it (docs/cli.md): an aligned table of
/// retention shares, a JSON object, or CSV with one row per cohort and cell.
SIYU_EXPORT void write_retention(std::ostream& out, const RetentionQuery& query,
                                 const RetentionResult& result, OutputFormat format,
                                 const RetentionReportOptions& options = {});

}  // namespace siyu

#pragma once

#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/report/table.hpp"
#include "siyu/sop/backtest.hpp"
#include "siyu/sop/engine.hpp"
#include "siyu/sop/rule.hpp"

namespace siyu {

class Pool;

/// Writes a compiled rule set's summary and warnings as `siyu sop check` prints them
/// (docs/cli.md): per rule its key, trigger and actions, then each warning with its line.
SIYU_EXPORT void write_rule_check(std::ostream& out, const RuleSet& rules, OutputFormat format);

/// Writes a SOP run as `siyu sop run` prints it (docs/cli.md): the actions due, each with its
/// rule, customer, staff, due time, trigger event and the guards passed, then the suppressed
/// ones with the guard that stopped them, and their counts by rule and guard (a table of the
/// counts in place of the list when `query` only counted them). CSV has one row per action
/// and per suppression listed.
SIYU_EXPORT void write_sop_run(std::ostream& out, const Pool& pool, const SopQuery& query,
                               const SopResult& result, OutputFormat format, Zone zone);

/// Writes a backtest as `siyu sop backtest` prints it (docs/cli.md): per rule the entries due,
/// actions, customers, suppressions by guard (`suppressed`) and the outcome against the
/// holdout, then the load per staff per day. CSV has one row per rule.
SIYU_EXPORT void write_backtest(std::ostream& out, const Pool& pool, const BacktestQuery& query,
                                const BacktestResult& result, OutputFormat format, Zone zone);

}  // namespace siyu

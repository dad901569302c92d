#pragma once
// Each subcommand registers its options on the app and, when chosen, leaves the action to
// run in `Action`; main() runs it and maps errors to exit codes.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "exit_code.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/metrics/breakdown.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/report/table.hpp"
#include "siyu/tiers/tier_policy.hpp"

namespace siyu::cli {

/// What the chosen subcommand does once its options are parsed.
using Action = std::function<ExitCode()>;

/// Adds `--format table|json|csv` (or the given choices) to a subcommand.
void add_format_option(CLI::App& command, std::string& format,
                       const std::string& choices = "table|json|csv");

/// A CLI11 check that runs one of the library's parsers, so a value it refuses is a usage
/// error (exit 2) carrying the parser's message.
template <class Parse>
CLI::Validator parsed_by(std::string description, Parse parse) {
  return CLI::Validator(
      [parse](std::string& value) -> std::string {
        try {
          (void)parse(value);
          return {};
        } catch (const Error& e) {
          return e.message();
        }
      },
      std::move(description));
}

/// A check that a value is a time in one of the three forms `parse_timestamp` reads.
CLI::Validator time_check();

/// The time `text` names, read in `zone` without an offset; none for an empty option.
std::optional<Timestamp> optional_time(const std::string& text, Zone zone);

/// The tier policy in the file at `path`, or the seeds' policy for an empty `--policy`.
TierPolicy tier_policy_or_defaults(const std::string& path);

/// The options every analysis command takes, as given.
struct AnalysisOptions {
  std::string db;
  std::string from;
  std::string to;
  std::string zone;
  std::string format = "table";
};

/// Adds `--db` (required), `--from` and `--to` (with their meaning for this command; no
/// `--to` when its meaning is empty), `--zone` and `--format`.
void add_analysis_options(CLI::App& command, AnalysisOptions& options, const std::string& from,
                          const std::string& to);

/// An analysis command's input: the pool, read-only, and its options read.
struct Analysis {
  Pool pool;
  Zone zone;                      ///< --zone, or the pool's zone.
  std::optional<Timestamp> from;  ///< --from, read in `zone` when it has no offset.
  std::optional<Timestamp> to;    ///< --to, likewise.
  OutputFormat format = OutputFormat::table;
};

/// Opens the database read-only and reads the options.
Analysis open_analysis(const AnalysisOptions& options);

/// Adds `--by DIM` (a breakdown) and `--policy FILE` (the tier policy a `tier` or `level`
/// breakdown replays).
void add_breakdown_options(CLI::App& command, std::string& by, std::string& policy);

/// The breakdown `by` names, with the layers or levels of `policy` (the default policy
/// when empty) replayed on `pool` for `tier` and `level`; none when `by` is empty.
std::optional<Breakdown> read_breakdown(const std::string& by, const std::string& policy,
                                        const Pool& pool);

/// `siyu import`: reads CSV or JSONL event files into a database.
void add_import_command(CLI::App& app, Action& action);
/// `siyu quarantine`: lists the rejected records a database keeps.
void add_quarantine_command(CLI::App& app, Action& action);
/// `siyu erase`: erases a customer's data from a database.
void add_erase_command(CLI::App& app, Action& action);
/// `siyu identity`: shows a customer's keys and the links between them.
void add_identity_command(CLI::App& app, Action& action);
/// `siyu funnel`: counts a funnel over a database.
void add_funnel_command(CLI::App& app, Action& action);
/// `siyu retention`: a cohort table over a database.
void add_retention_command(CLI::App& app, Action& action);
/// `siyu rfm`: recency, frequency and monetary scores of the buyers in a database.
void add_rfm_command(CLI::App& app, Action& action);
/// `siyu kpis`: the operating KPIs of a period over a database.
void add_kpis_command(CLI::App& app, Action& action);
/// `siyu tiers`: layers and levels of the customers in a database.
void add_tiers_command(CLI::App& app, Action& action);

/// `siyu segments`: members of the segments of a segment file.
void add_segments_command(CLI::App& app, Action& action);

/// `siyu products`: product roles and the traffic-to-star linkage audit.
void add_products_command(CLI::App& app, Action& action);

/// `siyu strategy`: quadrant, stage, seed users, capacity plan and advice.
void add_strategy_command(CLI::App& app, Action& action);

/// `siyu sop check`, `run` and `backtest`: SOP rule files and the actions they make due.
void add_sop_command(CLI::App& app, Action& action);

/// `siyu alerts`: churn, dormant customers, chat timeouts, sensitive words and high intent.
void add_alerts_command(CLI::App& app, Action& action);

/// The text of examples/sop/onboarding.rules.json, compiled in for `siyu demo`.
std::string_view onboarding_rules();
/// The text of examples/alerts/words.json, compiled in for `siyu demo`.
std::string_view alert_words();
/// `siyu demo`: generates a brand, imports it and shows what it holds.
void add_demo_command(CLI::App& app, Action& action);

}  // namespace siyu::cli

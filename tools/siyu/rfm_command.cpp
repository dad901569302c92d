// siyu rfm --db FILE [--at T] [--from T] [--customers] [--zone +08:00]
//          [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct RfmOptions {
  AnalysisOptions analysis;
  std::string at;
  bool customers = false;
};

ExitCode run(const RfmOptions& options) {
  const Analysis input = open_analysis(options.analysis);
  RfmQuery query{.from = input.from, .zone = input.zone};
  if (!options.at.empty()) query.at = parse_timestamp(options.at, input.zone);
  write_rfm(std::cout, input.pool, run_rfm(input.pool, query), input.format,
            RfmReportOptions{.zone = input.zone, .customers = options.customers});
  return ExitCode::ok;
}

}  // namespace

void add_rfm_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<RfmOptions>();
  CLI::App* command = app.add_subcommand(
      "rfm",
      "Recency, frequency and monetary scores, segments and concentration (docs/metrics.md)");
  add_analysis_options(*command, options->analysis, "Orders and refunds at or after this time", "");
  command
      ->add_option("--at", options->at,
                   "The clock: orders up to it count, recency is measured to it "
                   "(default: the latest event)")
      ->check(time_check());
  command->add_flag("--customers", options->customers,
                    "One row per buyer (CSV: instead of the 125 cells)");
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

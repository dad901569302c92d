// siyu funnel --db FILE --steps LIST [--window 7d] [--mode M] [--exclude C@I-J]... [--by DIM]
//             [--policy FILE] [--from T] [--to T] [--zone +08:00] [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct FunnelOptions {
  AnalysisOptions analysis;
  std::string steps;
  std::string window = "7d";
  std::string mode = "default";
  std::vector<std::string> exclusions;
  std::string by;
  std::string policy;
};

ExitCode run(const FunnelOptions& options) {
  const Analysis input = open_analysis(options.analysis);
  FunnelQuery query{.steps = parse_funnel_steps(options.steps),
                    .window = parse_duration(options.window),
                    .mode = parse_funnel_mode(options.mode),
                    .from = input.from,
                    .to = input.to};
  for (const std::string& exclusion : options.exclusions) {
    query.exclusions.push_back(parse_funnel_exclusion(exclusion));
  }
  query.by = read_breakdown(options.by, options.policy, input.pool);
  write_funnel(std::cout, query, run_funnel(input.pool, query), input.format);
  return ExitCode::ok;
}

}  // namespace

void add_funnel_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<FunnelOptions>();
  CLI::App* command = app.add_subcommand(
      "funnel", "Count how many customers reach each step of a funnel (docs/metrics.md)");
  add_analysis_options(*command, options->analysis, "First steps at or after this time",
                       "First steps before this time");
  command
      ->add_option("--steps", options->steps,
                   "Steps, comma-separated: TYPE[filter=value,...][?] "
                   "(e.g. friend_added,content_viewed,order_paid[amount>=100])")
      ->required()
      ->check(parsed_by("STEPS", parse_funnel_steps));
  command
      ->add_option("--window", options->window, "Every step within this of the first (default 7d)")
      ->check(parsed_by("DURATION", [](const std::string& v) { return parse_duration(v); }));
  command
      ->add_option("--mode", options->mode,
                   "default, or any of strict_order, strict_increase, strict_once, "
                   "strict_deduplication joined by commas")
      ->check(parsed_by("MODE", parse_funnel_mode));
  command
      ->add_option("--exclude", options->exclusions,
                   "Drop customers who do this between two steps: CONDITION[@I-J] (repeatable)")
      ->check(parsed_by("EXCLUSION", parse_funnel_exclusion));
  add_breakdown_options(*command, options->by, options->policy);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

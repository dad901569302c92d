// siyu retention --db FILE [--cohort friend_added] [--return any] [--period week]
//                [--periods 8] [--value revenue] [--from T] [--to T] [--zone +08:00]
//                [--format table|json|csv]
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct RetentionOptions {
  AnalysisOptions analysis;
  std::string cohort = "friend_added";
  std::string return_event = "any";
  std::string period = "week";
  std::size_t periods = 8;
  std::string value;
};

std::optional<EventCondition> parse_return_event(const std::string& text) {
  if (text == "any") return std::nullopt;
  return parse_event_condition(text);
}

ExitCode run(const RetentionOptions& options) {
  const Analysis input = open_analysis(options.analysis);
  const RetentionQuery query{.cohort_event = parse_event_condition(options.cohort),
                             .return_event = parse_return_event(options.return_event),
                             .period = parse_calendar_period(options.period),
                             .periods = options.periods,
                             .from = input.from,
                             .to = input.to,
                             .zone = input.zone};
  write_retention(std::cout, query, run_retention(input.pool, query), input.format,
                  RetentionReportOptions{.revenue = options.value == "revenue"});
  return ExitCode::ok;
}

}  // namespace

void add_retention_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<RetentionOptions>();
  CLI::App* command = app.add_subcommand(
      "retention", "Cohort retention, revenue and lifecycle by calendar period (docs/metrics.md)");
  add_analysis_options(*command, options->analysis, "Cohort events at or after this time",
                       "Cohort events before this time");
  command
      ->add_option("--cohort", options->cohort,
                   "The event whose first occurrence puts a customer in a cohort "
                   "(default friend_added; filters allowed: order_paid[amount>=100])")
      ->check(parsed_by("CONDITION", parse_event_condition));
  command
      ->add_option("--return", options->return_event,
                   "The event that counts as coming back, or any (default)")
      ->check(parsed_by("CONDITION", parse_return_event));
  command->add_option("--period", options->period, "day, week (ISO, from Monday) or month")
      ->check(parsed_by("PERIOD", parse_calendar_period));
  command->add_option("--periods", options->periods, "Cells after each cohort's own (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  command->add_option("--value", options->value, "revenue: add revenue and LTV per cell")
      ->check(CLI::IsMember({"revenue"}));
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

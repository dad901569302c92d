// siyu kpis --db FILE [--from T] [--to T] [--by DIM] [--policy FILE] [--within 30d] [--reach N]...
//           [--zone +08:00] [--format table|json|csv]
#include <charconv>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct KpiOptions {
  AnalysisOptions analysis;
  std::string by;
  std::string policy;
  std::string within = "30d";
  std::vector<std::string> reach;
};

// "N" (overall) or "VALUE=N" (one breakdown value): people the host reached.
struct Reach {
  std::string value;  // empty: overall
  std::uint64_t people = 0;
};

Reach parse_reach(const std::string& text) {
  const std::size_t equals = text.rfind('=');
  const std::string number = equals == std::string::npos ? text : text.substr(equals + 1);
  Reach reach{.value = equals == std::string::npos ? "" : text.substr(0, equals)};
  const auto [end, error] =
      std::from_chars(number.data(), number.data() + number.size(), reach.people);
  if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
    throw ParseError(ErrorCode::invalid_value,
                     "reach \"" + text + "\" is not N or VALUE=N with N a whole number",
                     Where{.field = "reach"});
  }
  return reach;
}

ExitCode run(const KpiOptions& options) {
  const Analysis input = open_analysis(options.analysis);
  KpiQuery query{.from = input.from,
                 .to = input.to,
                 .conversion_window = parse_duration(options.within),
                 .zone = input.zone};
  query.by = read_breakdown(options.by, options.policy, input.pool);
  for (const std::string& text : options.reach) {
    const Reach reach = parse_reach(text);
    if (reach.value.empty()) {
      query.reach = reach.people;
    } else {
      query.group_reach[reach.value] = reach.people;
    }
  }
  write_kpis(std::cout, query, run_kpis(input.pool, query), input.format, input.zone);
  return ExitCode::ok;
}

}  // namespace

void add_kpis_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<KpiOptions>();
  CLI::App* command = app.add_subcommand(
      "kpis", "Operating KPIs of a period, overall and by staff, store, branch or channel");
  add_analysis_options(*command, options->analysis,
                       "Start of the period (default: the first event's day)",
                       "End of the period, exclusive (default: the end of the last event's day)");
  add_breakdown_options(*command, options->by, options->policy);
  command
      ->add_option("--within", options->within,
                   "A new friend converts by paying within this of the first add (default 30d)")
      ->check(parsed_by("DURATION", [](const std::string& v) { return parse_duration(v); }));
  command
      ->add_option("--reach", options->reach,
                   "People reached, for the add rate: N overall or VALUE=N per --by value "
                   "(repeatable)")
      ->check(parsed_by("REACH", parse_reach));
  command->callback([options, &action] {
    for (const std::string& text : options->reach) {
      if (!parse_reach(text).value.empty() && options->by.empty()) {
        throw CLI::ValidationError("--reach", "reach per value (" + text + ") needs --by");
      }
    }
    action = [options] { return run(*options); };
  });
}

}  // namespace siyu::cli

// siyu alerts --db FILE [--words FILE] [--policy FILE] [--engine hyperscan|portable] [--wecom]
//             --from T --to T [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct AlertsOptions {
  std::string db;
  std::string words;
  std::string policy;
  std::string engine;
  bool wecom = false;
  std::string from;
  std::string to;
  std::string format = "table";
};

ExitCode alerts(const AlertsOptions& options) {
  std::optional<WordList> words;
  if (!options.words.empty()) words = read_word_list(options.words);
  if (options.wecom) {
    if (!words)
      throw Error(ErrorCode::missing_field, "--wecom needs --words", Where{.field = "wecom"});
    const std::vector<std::string> breaches = wecom_limit_breaches(*words);
    for (const std::string& breach : breaches) {
      std::cerr << "siyu: " << options.words << ": " << breach << '\n';
    }
    if (!breaches.empty()) return ExitCode::error;
  }
  const AlertPolicy policy =
      options.policy.empty() ? AlertPolicy{} : read_alert_policy(options.policy);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const Zone zone = pool.options().zone;
  AlertQuery query{.from = parse_timestamp(options.from, zone),
                   .to = parse_timestamp(options.to, zone),
                   .words = words ? &*words : nullptr};
  if (query.to < query.from) {
    throw Error(ErrorCode::invalid_value, "--to comes before --from", Where{.field = "to"});
  }
  if (!options.engine.empty()) {
    query.engine =
        options.engine == "hyperscan" ? MatcherEngine::hyperscan : MatcherEngine::portable;
  }
  write_alerts(std::cout, pool, query, run_alerts(pool, policy, query),
               *find_output_format(options.format), zone);
  return ExitCode::ok;
}

}  // namespace

void add_alerts_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<AlertsOptions>();
  CLI::App* command =
      app.add_subcommand("alerts",
                         "Churn, dormant customers, chat timeouts, sensitive words and high intent "
                         "over a period (docs/alerts.md)");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--words", options->words, "Sensitive word list (JSON)");
  command->add_option("--policy", options->policy, "Alert policy (JSON); defaults otherwise");
  command->add_option("--engine", options->engine, "Word matcher (default: the fastest available)")
      ->check(CLI::IsMember({"hyperscan", "portable"}));
  command->add_flag("--wecom", options->wecom,
                    "Refuse a word list that WeCom's intercept rules cannot hold");
  command->add_option("--from", options->from, "Alerts arising from this time")
      ->required()
      ->check(time_check());
  command->add_option("--to", options->to, "Alerts arising up to this time")
      ->required()
      ->check(time_check());
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return alerts(*options); }; });
}

}  // namespace siyu::cli

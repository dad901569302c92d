// siyu tiers --db FILE [--policy FILE] [--at T] [--customer KEY] [--history]
//            [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct TiersOptions {
  std::string db;
  std::string policy;
  std::string at;
  std::string customer;
  bool history = false;
  std::string format = "table";
};

ExitCode run(const TiersOptions& options) {
  const TierPolicy policy = tier_policy_or_defaults(options.policy);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const Zone zone = pool.options().zone;
  TierReportOptions report{.zone = zone, .history = options.history};
  if (!options.customer.empty()) {
    report.customer = pool.person(pool.customers().id(options.customer));
  }
  const std::optional<Timestamp> until = optional_time(options.at, zone);
  const TierEngine tiers = replay_tiers(pool, policy, until);
  write_tiers(std::cout, pool, tiers, *find_output_format(options.format), report);
  return ExitCode::ok;
}

}  // namespace

void add_tiers_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<TiersOptions>();
  CLI::App* command = app.add_subcommand(
      "tiers",
      "Core, influence and periphery layers and membership levels, with reasons (docs/tiers.md)");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--policy", options->policy,
                      "Tier policy JSON file (default: the seeds' policy, docs/tiers.md)");
  command
      ->add_option("--at", options->at,
                   "Replay scheduled rebalances up to this time (default: the latest event)")
      ->check(time_check());
  command->add_option("--customer", options->customer, "Only this customer (any of their keys)");
  command->add_flag("--history", options->history, "Also every move between layers and levels");
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

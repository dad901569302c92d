// siyu strategy --db FILE [--policy FILE] [--existing-customers N] [--planned-daily-adds N]
//               [--at T] [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct StrategyOptions {
  std::string db;
  std::string policy;
  std::optional<std::uint64_t> existing;
  std::optional<std::uint64_t> planned_adds;
  std::string at;
  std::string format = "table";
};

ExitCode run(const StrategyOptions& options) {
  const TierPolicy tier_policy = tier_policy_or_defaults(options.policy);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const Zone zone = pool.options().zone;
  const std::optional<Timestamp> at = optional_time(options.at, zone);
  const TierEngine tiers = replay_tiers(pool, tier_policy, at);
  const StrategyPolicy policy{.existing_customers = options.existing,
                              .planned_daily_adds = options.planned_adds};
  write_strategy(std::cout, advise(pool, policy, StrategyInputs{.at = at, .tiers = &tiers}),
                 *find_output_format(options.format), zone);
  return ExitCode::ok;
}

}  // namespace

void add_strategy_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<StrategyOptions>();
  CLI::App* command = app.add_subcommand(
      "strategy",
      "Business quadrant, stage, seed users, capacity plan and advice (docs/strategy.md)");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--policy", options->policy,
                      "Tier policy JSON file for the core layer (default: the seeds' policy)");
  command->add_option("--existing-customers", options->existing,
                      "Existing customers outside the pool, for seed sizing (default: the "
                      "pool's customers)");
  command->add_option("--planned-daily-adds", options->planned_adds,
                      "Planned friend adds a day, for account sizing (default: the busiest day)");
  command->add_option("--at", options->at, "The clock (default: the latest event)")
      ->check(time_check());
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

#include "command.hpp"

#include <sstream>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/store/store.hpp"
#include "siyu/tiers/tier_engine.hpp"

namespace siyu::cli {

void add_format_option(CLI::App& command, std::string& format, const std::string& choices) {
  std::vector<std::string> allowed;
  std::istringstream in(choices);
  for (std::string choice; std::getline(in, choice, '|');) allowed.push_back(choice);
  command
      .add_option("--format", format, "Output: " + choices + " (default " + allowed.front() + ")")
      ->check(CLI::IsMember(allowed));
}

CLI::Validator time_check() {
  return parsed_by("TIME", [](const std::string& v) { return parse_timestamp(v); });
}

std::optional<Timestamp> optional_time(const std::string& text, Zone zone) {
  if (text.empty()) return std::nullopt;
  return parse_timestamp(text, zone);
}

TierPolicy tier_policy_or_defaults(const std::string& path) {
  return path.empty() ? TierPolicy::defaults() : read_tier_policy(path);
}

void add_analysis_options(CLI::App& command, AnalysisOptions& options, const std::string& from,
                          const std::string& to) {
  command.add_option("--db", options.db, "Database file")->required();
  const CLI::Validator time = time_check();
  command.add_option("--from", options.from, from)->check(time);
  if (!to.empty()) command.add_option("--to", options.to, to)->check(time);
  command
      .add_option("--zone", options.zone,
                  "UTC offset of the calendar and of the times given (default: the pool's)")
      ->check(parsed_by("ZONE", parse_zone));
  add_format_option(command, options.format);
}

void add_breakdown_options(CLI::App& command, std::string& by, std::string& policy) {
  command
      .add_option("--by", by,
                  "Break down by channel, live_code, owner, store, branch, tier, level or "
                  "tag_group:KEY")
      ->check(parsed_by("DIM", parse_breakdown));
  command.add_option("--policy", policy,
                     "Tier policy JSON file for --by tier or level (default: the seeds' "
                     "policy, docs/tiers.md)");
}

std::optional<Breakdown> read_breakdown(const std::string& by, const std::string& policy,
                                        const Pool& pool) {
  if (by.empty()) return std::nullopt;
  Breakdown breakdown = parse_breakdown(by);
  if (breakdown.dimension == Dimension::tier || breakdown.dimension == Dimension::level) {
    const TierEngine tiers = replay_tiers(pool, tier_policy_or_defaults(policy));
    breakdown.labels = breakdown.dimension == Dimension::tier ? layer_labels(tiers, pool)
                                                              : level_labels(tiers, pool);
  }
  return breakdown;
}

Analysis open_analysis(const AnalysisOptions& options) {
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  Analysis analysis{.pool = store.load()};
  analysis.zone = options.zone.empty() ? analysis.pool.options().zone : parse_zone(options.zone);
  analysis.from = optional_time(options.from, analysis.zone);
  analysis.to = optional_time(options.to, analysis.zone);
  analysis.format = find_output_format(options.format).value_or(OutputFormat::table);
  return analysis;
}

}  // namespace siyu::cli

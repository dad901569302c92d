// siyu segments --db FILE --segments FILE [--policy FILE] [--at T] [--segment KEY] [--members]
//               [--format table|json|csv]
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct SegmentsOptions {
  std::string db;
  std::string segments;
  std::string policy;
  std::string at;
  std::string segment;
  bool members = false;
  std::string format = "table";
};

ExitCode run(const SegmentsOptions& options) {
  const SegmentBook book = read_segment_book(options.segments);
  const TierPolicy policy = tier_policy_or_defaults(options.policy);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const Zone zone = pool.options().zone;
  const std::optional<Timestamp> at = optional_time(options.at, zone);
  // Features' `recent_` window is the tier policy's, so audiences and layers agree.
  const Profiles profiles = Profiles::compute(
      pool, ProfileQuery{.at = at, .window = policy.window, .tag_lifespans = book.tag_lifespans});
  const auto needs = [&](auto&& need) {
    return std::any_of(book.segments.begin(), book.segments.end(),
                       [&](const Segment& s) { return need(s.audience); });
  };
  std::optional<TierEngine> tiers;
  if (needs([](const Audience& a) { return a.needs_tiers(); })) {
    tiers = replay_tiers(pool, policy, profiles.at());
  }
  std::optional<RfmResult> rfm;
  if (needs([](const Audience& a) { return a.needs_rfm(); })) {
    rfm = run_rfm(pool, RfmQuery{.at = profiles.at()});
  }
  const std::vector<SegmentMembers> members =
      segment_members(book,
                      AudienceInputs{.pool = pool,
                                     .profiles = profiles,
                                     .tiers = tiers ? &*tiers : nullptr,
                                     .rfm = rfm ? &*rfm : nullptr},
                      options.segment);
  std::uint64_t customers = 0;
  for (std::uint32_t c = 0; c < profiles.size(); ++c) {
    const CustomerId id{c};
    customers += profiles.is_person(id) && profiles[id].first_seen ? 1U : 0U;
  }
  write_segments(std::cout, pool, members, *find_output_format(options.format),
                 SegmentReportOptions{.at = profiles.at(),
                                      .zone = zone,
                                      .customers = customers,
                                      .list_members = options.members});
  return ExitCode::ok;
}

}  // namespace

void add_segments_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SegmentsOptions>();
  CLI::App* command = app.add_subcommand(
      "segments", "Who is in each segment of a segment file, by audience (docs/segments.md)");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--segments", options->segments, "Segment file (JSON, docs/segments.md)")
      ->required();
  command->add_option("--policy", options->policy,
                      "Tier policy JSON file for layer and level predicates (default: the "
                      "seeds' policy, docs/tiers.md)");
  command->add_option("--at", options->at, "The clock (default: the latest event)")
      ->check(time_check());
  command->add_option("--segment", options->segment, "Only this segment (its key)");
  command->add_flag("--members", options->members, "Also list each member's customer key");
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

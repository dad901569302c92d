#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/duration.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/profile/profile.hpp"

namespace siyu {

/// A circle layer of a community (圈层, DOMAIN.md §6).
enum class Layer : std::uint8_t {
  core,       ///< 核心层: the few die-hard fans, chosen by payment, frequency and loyalty.
  influence,  ///< 影响层: customers who share, invite and create content.
  periphery,  ///< 外围层: everyone else.
};

/// Number of layers.
inline constexpr std::size_t layer_count = 3;

/// "core", "influence" or "periphery".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Layer layer) noexcept;
/// The layer named `name`, or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<Layer> find_layer(std::string_view name) noexcept;

/// A bound on one feature with hysteresis: a customer enters when the feature reaches
/// `promote` and stays while it reaches `keep` (for a `higher_is_better` feature, value ≥
/// bound; for a `days_since_` feature, value ≤ bound). Money features are in fen.
/// Thread-safety: a plain value.
struct Threshold {
  Feature feature = Feature::orders;  ///< What is compared.
  std::int64_t promote = 0;           ///< The bound to enter.
  std::int64_t keep = 0;              ///< The bound to stay; no stricter than `promote`.
  /// Thresholds compare field by field.
  friend bool operator==(const Threshold&, const Threshold&) = default;
};

/// Who qualifies for a layer or level: every threshold in `all`, and at least one in `any`
/// when it has some. Thread-safety: a plain value.
struct Qualification {
  std::vector<Threshold> all;  ///< Every one must hold.
  std::vector<Threshold> any;  ///< At least one must hold, when not empty.
  /// Qualifications compare field by field.
  friend bool operator==(const Qualification&, const Qualification&) = default;
};

/// How layer seats are bounded (seeds: about 10 core members in a 500-person group; an
/// operator's deep radius is 15-20 people). Thread-safety: a plain value.
struct CoreCapacity {
  std::uint32_t seats_per_group = 10;  ///< Core seats per `group_members` of a group ...
  std::uint32_t group_members = 500;   ///< ... rounded up, so every group has a seat.
  std::uint32_t seats_per_owner = 20;  ///< Core customers one owner staff member serves.
  /// Capacities compare field by field.
  friend bool operator==(const CoreCapacity&, const CoreCapacity&) = default;
};

/// A level of a membership ladder (the Septwolves 小狼 → 战狼 → 将狼 → 天狼星).
/// Thread-safety: a plain value.
struct Level {
  std::string key;              ///< Stable id ("zhanlang").
  std::string name;             ///< Display name ("战狼").
  Qualification qualification;  ///< Who reaches it (promote) and who stays (keep).
  std::string route;            ///< Group key members are routed to ("vip-core"); may be empty.
  /// Levels compare field by field.
  friend bool operator==(const Level&, const Level&) = default;
};

/// Levels by spend and order count, lowest first. A customer's level is the highest they
/// qualify for: `promote` bounds for levels above their current one, `keep` bounds for it
/// and the levels below. Thread-safety: a plain value.
struct MembershipLadder {
  std::vector<Level> levels;  ///< Lowest first.
  /// Ladders compare field by field.
  friend bool operator==(const MembershipLadder&, const MembershipLadder&) = default;
};

/// When layers and levels are rebalanced: every `every_days` local days at local midnight,
/// counted from `anchor` (by default the day after the log's first event).
/// Thread-safety: a plain value.
struct RebalanceSchedule {
  std::int32_t every_days = 7;      ///< Days between rebalances, at least 1.
  std::optional<LocalDate> anchor;  ///< A rebalance day; the schedule runs both ways from it.
  /// Schedules compare field by field.
  friend bool operator==(const RebalanceSchedule&, const RebalanceSchedule&) = default;
};

/// How customers are placed in layers and levels (docs/tiers.md). The defaults are the
/// seeds' figures. Thread-safety: a plain value.
struct TierPolicy {
  Duration window = Duration::days(90);     ///< The window of the `recent_` features.
  Qualification core;                       ///< Who qualifies for the core.
  std::vector<Feature> core_rank;           ///< Order among core qualifiers, best first.
  Qualification influence;                  ///< Who qualifies for the influence layer.
  std::vector<Feature> influence_rank;      ///< Order among influence qualifiers (for reports).
  CoreCapacity capacity;                    ///< Seats in the core.
  Duration min_dwell = Duration::days(30);  ///< No move within this long of the last one.
  RebalanceSchedule rebalance;              ///< When moves are made.
  std::optional<MembershipLadder> ladder;   ///< Levels, if the brand has a ladder.

  /// The seeds' policy: core = 2 orders and 800 yuan in 90 days (keep 1 and 400); influence
  /// = 3 shares, 1 converted invitation or 1 post in 90 days (keep 1, 1, 1); capacity 10
  /// per 500 group members and 20 per owner; 30 days' dwell; weekly rebalances; no ladder.
  [[nodiscard]] SIYU_EXPORT static TierPolicy defaults();
  /// Throws `ConfigError` (conflict) naming the contradiction: a keep bound stricter than
  /// its promote bound, a zero capacity, a non-positive window, dwell or schedule, levels
  /// without keys or with a duplicate key.
  SIYU_EXPORT void validate() const;
  /// Policies compare field by field.
  friend bool operator==(const TierPolicy&, const TierPolicy&) = default;
};

/// Reads a policy from JSON text (docs/tiers.md has the format); fields not given keep
/// `TierPolicy::defaults()`. Throws `ParseError` for bad JSON and `ConfigError` for a bad
/// field, each naming `source`, the line and the field path, then validates.
[[nodiscard]] SIYU_EXPORT TierPolicy parse_tier_policy(std::string_view json,
                                                       const std::string& source = "policy");
/// Reads a policy file, as `parse_tier_policy`; throws `Error` (io) when it cannot be read.
[[nodiscard]] SIYU_EXPORT TierPolicy read_tier_policy(const std::string& path);

}  // namespace siyu

#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/metrics/breakdown.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/tiers/tier_policy.hpp"

namespace siyu {

class Pool;

/// What a reason is about.
enum class ReasonKind : std::uint8_t {
  threshold,    ///< A feature against a bound of `rule`.
  group_seats,  ///< The customer's rank among core candidates of their home group.
  owner_seats,  ///< Their rank among core candidates of their owner.
  dwell,        ///< Days since their last move, against the minimum dwell.
};

/// Which rule a reason belongs to.
enum class ReasonRule : std::uint8_t {
  core,       ///< The core's qualification or seats.
  influence,  ///< The influence layer's qualification.
  level,      ///< A ladder level's qualification (`Reason::level`).
  dwell,      ///< The minimum dwell.
};

/// One check behind a decision, with the figures it rests on. Thread-safety: a plain value.
struct Reason {
  ReasonKind kind = ReasonKind::threshold;  ///< What was checked.
  ReasonRule rule = ReasonRule::core;       ///< Whose rule.
  std::uint32_t level = 0;                  ///< The ladder level, for `ReasonRule::level`.
  Feature feature = Feature::orders;        ///< For `threshold`: the feature.
  bool any = false;      ///< For `threshold`: from the rule's `any` list (one suffices).
  bool promote = false;  ///< For `threshold`: the promote bound (else the keep bound).
  /// The figure: the feature's value (none when the customer has no such event), the
  /// rank among seat candidates (1 = best), or days since the last move.
  std::optional<std::int64_t> value;
  /// The bound: the threshold, the seats, or the minimum dwell in days.
  std::int64_t bound = 0;
  bool met = false;  ///< True when the figure is within the bound.
  GroupId group;     ///< For `group_seats`: the home group.
  StaffId owner;     ///< For `owner_seats`: the owner.
  /// Reasons compare field by field.
  friend bool operator==(const Reason&, const Reason&) = default;
};

/// The key of a reason's rule: "core", "influence", "dwell", or the level's key.
[[nodiscard]] SIYU_EXPORT std::string_view rule_key(const Reason& reason,
                                                    const TierPolicy& policy) noexcept;

/// A plain-language line for a reason, naming records by key: "recent_orders 3 >= 2 (promote)",
/// "rank 7 of 10 core seats in group g-01".
[[nodiscard]] SIYU_EXPORT std::string describe(const Reason& reason, const Pool& pool,
                                               const TierPolicy& policy);

/// A customer's layer and level after a rebalance, with the reasons. Thread-safety: a plain value.
struct TierAssignment {
  CustomerId customer;                   ///< The person.
  Layer layer = Layer::periphery;        ///< Their layer.
  std::optional<Timestamp> layer_since;  ///< When they moved into it; none: never moved.
  std::optional<std::uint32_t> level;    ///< Their ladder level (index), if any.
  std::optional<Timestamp> level_since;  ///< When they reached it.
  std::vector<Reason> reasons;           ///< Why this layer: every check made.
  std::vector<Reason> level_reasons;     ///< Why this level.
  /// Assignments compare field by field.
  friend bool operator==(const TierAssignment&, const TierAssignment&) = default;
};

/// A move between layers or levels at a rebalance. Thread-safety: a plain value.
struct TierMove {
  Timestamp at;         ///< The rebalance.
  CustomerId customer;  ///< Who moved.
  bool level = false;   ///< A ladder move; else a layer move.
  /// From and to: a `Layer` as its number, or a level index; none for "no level".
  std::optional<std::uint32_t> from;
  std::optional<std::uint32_t> to;  ///< See `from`.
  std::vector<Reason> reasons;      ///< The checks that decided it.
  /// Moves compare field by field.
  friend bool operator==(const TierMove&, const TierMove&) = default;
};

/// Customers per layer and per level after a rebalance. Thread-safety: a plain value.
struct TierCounts {
  std::array<std::uint64_t, layer_count> layers{};  ///< By `Layer`.
  std::vector<std::uint64_t> levels;                ///< By level index.
  std::uint64_t without_level = 0;                  ///< Customers below the first level.
  /// Counts compare field by field.
  friend bool operator==(const TierCounts&, const TierCounts&) = default;
};

/// Places customers in layers and levels at rebalances, keeping each one's current place
/// and the history of moves (docs/tiers.md). Deterministic: the same log, policy and
/// rebalance times give the same places and moves.
/// Thread-safety: const methods may run concurrently; `rebalance` needs exclusive access.
class SIYU_EXPORT TierEngine {
 public:
  /// An engine with no rebalance yet; validates `policy` (throws `ConfigError`).
  explicit TierEngine(TierPolicy policy);

  /// Rebalances at `at`: profiles the pool at `at` and moves customers. Rebalances must
  /// come in time order; throws `Error` (invalid_value) for one before the last.
  void rebalance(const Pool& pool, Timestamp at);
  /// Rebalances with profiles the host has computed: their clock is the rebalance time
  /// and their window must be the policy's (throws `ConfigError` otherwise).
  void rebalance(Profiles profiles);

  /// Runs every scheduled rebalance after the log's first event up to `until`, in order.
  void replay(const Pool& pool, Timestamp until);

  /// The policy.
  [[nodiscard]] const TierPolicy& policy() const noexcept { return policy_; }
  /// The time of the last rebalance; none before the first.
  [[nodiscard]] std::optional<Timestamp> last_rebalance() const noexcept { return last_; }
  /// The policy's rebalance times for `pool` after `after` up to `until`: local midnights
  /// in the pool's zone, every `every_days` from the anchor (by default the local day after
  /// the log's first event). Empty for an empty log.
  [[nodiscard]] std::vector<Timestamp> schedule(const Pool& pool, Timestamp after,
                                                Timestamp until) const;

  /// Customers the last rebalance placed: persons with an event by then, ascending.
  [[nodiscard]] std::vector<CustomerId> customers() const;
  /// The place of `customer` and the reasons, as of the last rebalance; a customer it did
  /// not place is periphery with no reasons.
  [[nodiscard]] TierAssignment assignment(CustomerId customer) const;
  /// The layer of `customer`, as of the last rebalance (periphery for unknown customers).
  [[nodiscard]] Layer layer(CustomerId customer) const noexcept;
  /// The ladder level of `customer`, if any.
  [[nodiscard]] std::optional<std::uint32_t> level(CustomerId customer) const noexcept;
  /// Customers per layer and level, as of the last rebalance.
  [[nodiscard]] TierCounts counts() const;
  /// Every move so far, in rebalance order, then by customer id; layer moves before level
  /// moves of the same customer.
  [[nodiscard]] const std::vector<TierMove>& history() const noexcept { return history_; }
  /// The profiles of the last rebalance; none before the first.
  [[nodiscard]] const Profiles* profiles() const noexcept {
    return profiles_ ? &*profiles_ : nullptr;
  }

 private:
  // A customer's place, and what the last rebalance found: the place before it and the
  // seat ranks, so the reasons can be rebuilt on demand instead of for every customer.
  struct Place {
    Layer layer = Layer::periphery;
    std::uint32_t level = no_level;
    std::int64_t layer_since = never;
    std::int64_t level_since = never;
    Layer prior_layer = Layer::periphery;
    std::uint32_t prior_level = no_level;
    std::int64_t prior_layer_since = never;
    std::int64_t prior_level_since = never;
    std::uint32_t group_rank = 0;      // the core seat they would take in their home group
    std::uint32_t owner_rank = 0;      // the core seat they would take with their owner
    bool core_qualified = false;       // qualified (or held) for the core, seats aside
    bool influence_qualified = false;  // qualified (or held) for influence
    bool seated = false;               // took a core seat
    bool present = false;              // a person seen by the last rebalance
  };
  static constexpr std::uint32_t no_level = 0xFFFF'FFFF;
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();

  [[nodiscard]] bool held(std::int64_t since, std::int64_t now) const noexcept;
  [[nodiscard]] std::vector<Reason> layer_reasons(const Profiles& profiles,
                                                  CustomerId customer) const;
  [[nodiscard]] std::vector<Reason> level_reasons(const Profiles& profiles,
                                                  CustomerId customer) const;
  // The dwell reason when `since` holds the customer in place at `now`.
  void add_dwell_reason(std::vector<Reason>& out, std::int64_t since, std::int64_t now) const;

  TierPolicy policy_;
  std::optional<Profiles> profiles_;
  std::optional<Timestamp> last_;
  detail::Column<Place> places_;  // huge pages: a million places fault in once, not per 4 KiB
  std::vector<std::uint32_t> group_seats_;  // by group id, at the last rebalance
  std::vector<TierMove> history_;
};

/// Each customer's layer as of the last rebalance, for a metric breakdown by `tier`: one
/// entry per customer id of `pool`; customers the rebalance did not place (no event by then,
/// or a key linked into another person) have no label.
[[nodiscard]] SIYU_EXPORT CustomerLabels layer_labels(const TierEngine& tiers, const Pool& pool);
/// Each customer's ladder level (its key), likewise, for a breakdown by `level`; customers
/// below the first level have no label.
[[nodiscard]] SIYU_EXPORT CustomerLabels level_labels(const TierEngine& tiers, const Pool& pool);

/// The engine after replaying `policy`'s schedule on `pool` up to `until` (the pool's latest
/// event when none): what `siyu tiers` shows.
[[nodiscard]] SIYU_EXPORT TierEngine replay_tiers(const Pool& pool, const TierPolicy& policy,
                                                  std::optional<Timestamp> until = {});

}  // namespace siyu

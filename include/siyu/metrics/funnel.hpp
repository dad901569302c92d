#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/duration.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/metrics/breakdown.hpp"
#include "siyu/model/event_condition.hpp"

namespace siyu {

class Pool;

/// Ways to tighten how a funnel matches (docs/metrics.md defines each); combine with `|`.
enum class FunnelMode : std::uint8_t {
  none = 0,                  ///< The default semantics.
  strict_order = 1,          ///< No event of another step between two matched steps.
  strict_increase = 2,       ///< Matched timestamps strictly increase.
  strict_once = 4,           ///< Each event type at most once per chain.
  strict_deduplication = 8,  ///< A repeat of a step already reached breaks the chain.
};

/// Both sets of modes.
[[nodiscard]] constexpr FunnelMode operator|(FunnelMode a, FunnelMode b) noexcept {
  return static_cast<FunnelMode>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
/// True when `set` includes every mode of `mode`.
[[nodiscard]] constexpr bool has_mode(FunnelMode set, FunnelMode mode) noexcept {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(mode)) ==
         static_cast<std::uint8_t>(mode);
}
/// "default", or the modes joined by commas ("strict_order,strict_increase").
[[nodiscard]] SIYU_EXPORT std::string to_string(FunnelMode mode);
/// Reads what `to_string(FunnelMode)` writes; throws `ParseError` for an unknown mode.
[[nodiscard]] SIYU_EXPORT FunnelMode parse_funnel_mode(std::string_view text);

/// One step of a funnel. Thread-safety: a plain value.
struct FunnelStep {
  EventCondition condition;        ///< The events that fill the step.
  bool optional = false;           ///< A chain may pass the step without matching it.
  std::optional<Duration> within;  ///< At most this long after the chain's previous step.
  /// Steps compare field by field.
  friend bool operator==(const FunnelStep&, const FunnelStep&) = default;
};

/// Reads a step: a condition (`parse_event_condition`), with `within=<duration>` allowed
/// among the filters and a trailing `?` for an optional step:
/// `order_paid[product=SKU-7,within=3d]?`. Throws `ParseError`.
[[nodiscard]] SIYU_EXPORT FunnelStep parse_funnel_step(std::string_view text);
/// Reads a comma-separated list of steps (commas inside brackets belong to the step).
[[nodiscard]] SIYU_EXPORT std::vector<FunnelStep> parse_funnel_steps(std::string_view text);
/// The step as `parse_funnel_step` reads it.
[[nodiscard]] SIYU_EXPORT std::string to_string(const FunnelStep& step);

/// Customers who do something between two steps drop out there: a chain that has passed
/// step `after` cannot reach step `before` once a matching event happens in between.
/// Thread-safety: a plain value.
struct FunnelExclusion {
  EventCondition condition;  ///< The events that exclude.
  std::size_t after = 1;     ///< 1-based step after which the events count.
  std::size_t before = 0;    ///< 1-based step they block; 0 means the last step.
  /// Exclusions compare field by field.
  friend bool operator==(const FunnelExclusion&, const FunnelExclusion&) = default;
};

/// Reads `condition@I-J` (between steps I and J, 1-based) or a bare condition (between
/// the first and the last step). Throws `ParseError`.
[[nodiscard]] SIYU_EXPORT FunnelExclusion parse_funnel_exclusion(std::string_view text);

/// What to count. Thread-safety: a plain value.
struct FunnelQuery {
  std::vector<FunnelStep> steps;            ///< One to 64 steps.
  Duration window = Duration::days(7);      ///< Every step within this of the first.
  FunnelMode mode = FunnelMode::none;       ///< Tightenings of the default semantics.
  std::vector<FunnelExclusion> exclusions;  ///< Events that make customers drop out.
  std::optional<Timestamp> from;            ///< First steps at or after this instant.
  std::optional<Timestamp> to;              ///< First steps before this instant.
  std::optional<Breakdown> by;              ///< Also count per breakdown value.
};

/// One step's figures. Thread-safety: a plain value.
struct FunnelStepResult {
  std::uint64_t customers = 0;          ///< Customers who reached at least this step.
  double conversion_from_previous = 0;  ///< customers / the previous step's (1 for step 1).
  double conversion_from_first = 0;     ///< customers / step 1's.
  /// Time from the previous matched step: median and 90th percentile (nearest rank) over
  /// the customers who reached this step; none for step 1 or when nobody did.
  std::optional<Duration> median_from_previous;
  std::optional<Duration> p90_from_previous;  ///< See `median_from_previous`.
  std::optional<Duration> median_from_first;  ///< Time from the chain's first step: median.
  std::optional<Duration> p90_from_first;     ///< Time from the chain's first step: p90.
  /// Results compare field by field.
  friend bool operator==(const FunnelStepResult&, const FunnelStepResult&) = default;
};

/// The figures for the customers of one breakdown value.
struct FunnelGroup {
  std::string value;                    ///< The value's key; empty for customers without one.
  std::vector<FunnelStepResult> steps;  ///< One per step.
  /// Groups compare field by field.
  friend bool operator==(const FunnelGroup&, const FunnelGroup&) = default;
};

/// A funnel's figures: overall, and per breakdown value when the query asked for one.
struct FunnelResult {
  std::vector<FunnelStepResult> steps;  ///< One per step, overall.
  std::vector<FunnelGroup> groups;      ///< Per breakdown value, by value; the empty value last.
  /// Results compare field by field.
  friend bool operator==(const FunnelResult&, const FunnelResult&) = default;
};

/// Counts `query` over the pool's committed events (docs/metrics.md has the semantics).
/// Throws `ConfigError` for an invalid query (no steps or more than 64, an
/// optional first step, a negative window, an exclusion with bad steps) and `NotFound`
/// for a filter naming a key the pool lacks. Reads only; safe to run concurrently.
[[nodiscard]] SIYU_EXPORT FunnelResult run_funnel(const Pool& pool, const FunnelQuery& query);

/// How far each customer got: one entry per customer id, the number of steps reached
/// (0 = never entered). Entries of keys merged into another person are 0.
[[nodiscard]] SIYU_EXPORT std::vector<std::uint8_t> funnel_levels(const Pool& pool,
                                                                  const FunnelQuery& query);

}  // namespace siyu

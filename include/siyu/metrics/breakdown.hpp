#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/export.hpp"

namespace siyu {

/// What a metric can be broken down by: a property of each customer, attributed to the
/// first touch (the person's first `friend_added` event; the directory's record for a
/// customer without one).
enum class Dimension : std::uint8_t {
  channel,    ///< The channel of the first friend_added.
  live_code,  ///< The live code of acquisition (`Customer::live_code`; events keep no code).
  owner,      ///< The staff member of the first friend_added.
  store,      ///< That staff member's store.
  branch,     ///< That staff member's branch.
  tag_group,  ///< The customer's tag in a tag group (`Customer::tags`, the lowest-numbered).
  tier,       ///< The customer's layer, given in `Breakdown::labels` (tiers: `layer_labels`).
  level,      ///< The customer's ladder level, given in `Breakdown::labels` (`level_labels`).
};

/// Per-customer values that metrics take from elsewhere (layers and levels come from the
/// tiers module, which metrics do not depend on). Thread-safety: a plain value.
struct CustomerLabels {
  /// `of_customer` value of a customer without a label.
  static constexpr std::uint32_t no_label = 0xFFFF'FFFF;
  std::vector<std::string> values;         ///< The label names ("core", "influence", ...).
  std::vector<std::uint32_t> of_customer;  ///< Per customer id: index into `values`, or `no_label`.
  /// Labels compare field by field.
  friend bool operator==(const CustomerLabels&, const CustomerLabels&) = default;
};

/// A breakdown: a dimension, and for `tag_group` the group's key. Thread-safety: a plain value.
struct Breakdown {
  Dimension dimension = Dimension::channel;  ///< What to break down by.
  std::string tag_group;                     ///< The tag group's key, for `tag_group`.
  /// Each customer's value, for `tier` and `level`: one entry per customer id of the pool.
  CustomerLabels labels;
  /// Breakdowns compare field by field.
  friend bool operator==(const Breakdown&, const Breakdown&) = default;
};

/// Reads "channel", "live_code", "owner", "store", "branch", "tier", "level" or
/// "tag_group:<key>"; throws `ParseError` for anything else. A `tier` or `level` breakdown
/// still needs its `labels` filled before a metric runs.
[[nodiscard]] SIYU_EXPORT Breakdown parse_breakdown(std::string_view text);

/// The breakdown as `parse_breakdown` reads it.
[[nodiscard]] SIYU_EXPORT std::string to_string(const Breakdown& breakdown);

}  // namespace siyu

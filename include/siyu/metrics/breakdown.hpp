#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
};

/// A breakdown: a dimension, and for `tag_group` the group's key. Thread-safety: a plain value.
struct Breakdown {
  Dimension dimension = Dimension::channel;  ///< What to break down by.
  std::string tag_group;                     ///< The tag group's key, for `tag_group`.
  /// Breakdowns compare field by field.
  friend bool operator==(const Breakdown&, const Breakdown&) = default;
};

/// Reads "channel", "live_code", "owner", "store", "branch" or "tag_group:<key>"; throws
/// `ParseError` for anything else.
[[nodiscard]] SIYU_EXPORT Breakdown parse_breakdown(std::string_view text);

/// The breakdown as `parse_breakdown` reads it.
[[nodiscard]] SIYU_EXPORT std::string to_string(const Breakdown& breakdown);

}  // namespace siyu

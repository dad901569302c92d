#pragma once
// The keys a rule set names that a pool must hold: the engine refuses the first missing one,
// `check_rules` with a pool reports them all.

#include <string>
#include <vector>

#include "siyu/sop/rule.hpp"

namespace siyu {
class Pool;
}

namespace siyu::detail {

/// A key a rule names that the pool lacks.
struct MissingKey {
  std::size_t rule;     ///< Index of the rule.
  std::string field;    ///< Within the rule ("actions[0].target", "trigger.event", "exit[1]").
  std::string message;  ///< "no material has the key \"m9\"".
};

/// Every key of `rules` that `pool` lacks: event conditions of triggers and exits, and the
/// materials, coupons, groups and staff that actions name (tags may be new). In rule order.
std::vector<MissingKey> missing_keys(const Pool& pool, const std::vector<SopRule>& rules);

}  // namespace siyu::detail

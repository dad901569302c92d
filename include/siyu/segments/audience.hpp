#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/id.hpp"
#include "siyu/export.hpp"

namespace siyu {

class Pool;
class Profiles;
class TierEngine;
struct RfmResult;
namespace detail {
struct AudienceNode;
}

/// An audience expression, parsed (docs/segments.md has the grammar): predicates on a
/// customer's tags, layer, level, RFM segment, owner, channel, profile features and event
/// counts in windows, joined with `and`, `or`, `not` and parentheses, e.g.
/// `tag(interested_tea) and layer != core and not count(order_paid, 30d) >= 1`.
/// Names are checked against a pool only when the audience is matched.
/// Thread-safety: a plain value.
class SIYU_EXPORT Audience {
 public:
  /// Parses `text`. Throws `ParseError` (field `audience`) naming the column and what was
  /// expected there, for an unknown feature, a bad number, window or event condition.
  [[nodiscard]] static Audience parse(std::string_view text);

  /// The text it was parsed from.
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  /// True when a predicate reads layers or levels (the matcher then needs tiers).
  [[nodiscard]] bool needs_tiers() const noexcept;
  /// True when a predicate reads RFM segments (the matcher then needs an RFM result).
  [[nodiscard]] bool needs_rfm() const noexcept;

 private:
  std::string text_;
  std::shared_ptr<const std::vector<detail::AudienceNode>> nodes_;  // root first; immutable
  friend class AudienceMatcher;
};

/// What an audience's names and numbers are read from. The profiles' clock is the clock
/// of every window. Thread-safety: a plain value of references.
struct AudienceInputs {
  const Pool& pool;                   ///< Keys of tags, staff, channels; the event log.
  const Profiles& profiles;           ///< Features and tags, computed from `pool`.
  const TierEngine* tiers = nullptr;  ///< Layers and levels; required by `layer`, `level`.
  const RfmResult* rfm = nullptr;     ///< RFM segments; required by `rfm`.
};

/// An audience bound to one pool's profiles: its names resolved, its event counts taken in
/// one pass over the log, ready to test every customer fast.
/// Thread-safety: const methods may run concurrently.
class SIYU_EXPORT AudienceMatcher {
 public:
  /// Binds `audience` to `inputs`. Throws `NotFound` for a tag, staff, channel, level or
  /// event-condition key the pool or the policy lacks, and `ConfigError` when the audience
  /// reads layers, levels or RFM segments that `inputs` does not carry.
  AudienceMatcher(const Audience& audience, const AudienceInputs& inputs);
  ~AudienceMatcher();
  /// Matchers move; the moved-from matcher may only be destroyed or assigned.
  AudienceMatcher(AudienceMatcher&&) noexcept;
  /// Matchers move; the moved-from matcher may only be destroyed or assigned.
  AudienceMatcher& operator=(AudienceMatcher&&) noexcept;
  AudienceMatcher(const AudienceMatcher&) = delete;
  AudienceMatcher& operator=(const AudienceMatcher&) = delete;

  /// True when `customer` is a person with events by the clock and the expression holds.
  [[nodiscard]] bool contains(CustomerId customer) const;
  /// True when the expression holds for `customer` (an id of the pool), whether or not
  /// they have events by the clock: a customer not seen yet is judged on an empty profile
  /// (SOP rules judge customers who arrive after the profiles' clock this way).
  [[nodiscard]] bool holds(CustomerId customer) const;
  /// Every customer the audience holds, ascending.
  [[nodiscard]] std::vector<CustomerId> members() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace siyu

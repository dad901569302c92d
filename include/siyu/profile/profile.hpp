#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_condition.hpp"

namespace siyu {

class Pool;

/// What a customer did over a span of time: their whole history up to the clock, or the
/// profile's window. Thread-safety: a plain value.
struct Activity {
  /// Money spent, in fen: each paid order's amount minus the refunds naming that order,
  /// less refunds naming no order of theirs. Orders count in the span they were paid in.
  std::int64_t spend = 0;
  std::int64_t watch_seconds = 0;           ///< Content viewing and live watching time.
  std::uint32_t orders = 0;                 ///< Paid orders not refunded in full.
  std::uint32_t refunds = 0;                ///< Refund events.
  std::uint32_t messages_in = 0;            ///< Messages they sent to staff.
  std::uint32_t messages_out = 0;           ///< Messages staff sent them.
  std::uint32_t content_views = 0;          ///< Content they viewed.
  std::uint32_t content_shares = 0;         ///< Content they shared onward.
  std::uint32_t content_created = 0;        ///< `custom.content_created` events: posts they made.
  std::uint32_t invitations = 0;            ///< Customers who name them as inviter.
  std::uint32_t converted_invitations = 0;  ///< Of those, customers who paid an order.
  std::uint32_t live_watches = 0;           ///< Live streams they watched.
  std::uint32_t group_joins = 0;            ///< Customer groups they joined.
  std::uint32_t coupons_redeemed = 0;       ///< Coupons they redeemed.

  /// Activities compare field by field.
  friend bool operator==(const Activity&, const Activity&) = default;
};

/// One customer's derived state at a clock time, computed from the event log and the
/// directory (docs/profile.md). The base of layers, levels and audiences.
/// Thread-safety: a plain value.
struct Profile {
  /// The person this profile describes. For a key linked into another person it is that
  /// person's id, and the profile is otherwise empty: the person's profile has the events.
  CustomerId customer;
  StaffId owner;             ///< The directory's owner; else the staff of the latest friend_added.
  ChannelId channel;         ///< Channel of the first friend_added; else the directory's.
  GroupId home_group;        ///< Of the groups they are in, the one they joined first.
  std::uint32_t groups = 0;  ///< Customer groups they are in at the clock.
  bool deleted = false;      ///< Their latest friend event is friend_deleted.
  std::optional<Timestamp> first_seen;   ///< Their first event.
  std::optional<Timestamp> last_active;  ///< Their latest event of their own doing.
  std::optional<Timestamp> first_order;  ///< Their first paid order.
  std::optional<Timestamp> last_order;   ///< Their latest paid order.
  Activity lifetime;                     ///< Everything up to the clock.
  Activity recent;                       ///< Within the window: (clock − window, clock].

  /// Profiles compare field by field.
  friend bool operator==(const Profile&, const Profile&) = default;
};

/// A number read off a profile, by name: what policies and audiences compare. Lifetime
/// counts have the `Activity` field's name; `recent_` names the same count in the window.
enum class Feature : std::uint8_t {
  spend,
  watch_seconds,
  orders,
  refunds,
  messages_in,
  messages_out,
  content_views,
  content_shares,
  content_created,
  invitations,
  converted_invitations,
  live_watches,
  group_joins,
  coupons_redeemed,
  recent_spend,
  recent_watch_seconds,
  recent_orders,
  recent_refunds,
  recent_messages_in,
  recent_messages_out,
  recent_content_views,
  recent_content_shares,
  recent_content_created,
  recent_invitations,
  recent_converted_invitations,
  recent_live_watches,
  recent_group_joins,
  recent_coupons_redeemed,
  days_since_order,   ///< Local days from the last order's day to the clock's day.
  days_since_active,  ///< Local days from the last activity's day to the clock's day.
  tenure_days,        ///< Local days from the first event's day to the clock's day.
  groups,             ///< Customer groups they are in.
};

/// Number of features, for tables indexed by feature.
inline constexpr std::size_t feature_count = static_cast<std::size_t>(Feature::groups) + 1;

/// The feature's name ("recent_orders").
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Feature feature) noexcept;
/// The feature named `name`, or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<Feature> find_feature(std::string_view name) noexcept;
/// True for the features in fen (`spend`, `recent_spend`): files write them in yuan.
[[nodiscard]] SIYU_EXPORT bool is_money(Feature feature) noexcept;
/// True where a larger value is better; false for the `days_since_` features.
[[nodiscard]] SIYU_EXPORT bool higher_is_better(Feature feature) noexcept;

/// How long a tag lasts once added (docs/profile.md): an expiry, a fade without renewing
/// events, or both; the tag lapses at the first of them. A tag the directory gives a
/// customer counts as added at their first event. Thread-safety: a plain value.
struct TagLifespan {
  std::string tag;                        ///< The tag's key.
  std::optional<Duration> expires_after;  ///< Lapses this long after it was last added.
  /// Lapses after this long without a renewal: re-adding the tag, or one of `renewed_by`.
  std::optional<Duration> fades_after;
  std::vector<EventCondition> renewed_by;  ///< The customer's events that renew the tag.

  /// Lifespans compare field by field.
  friend bool operator==(const TagLifespan&, const TagLifespan&) = default;
};

/// Which clock and window profiles are computed for. Thread-safety: a plain value.
struct ProfileQuery {
  /// The clock: events at or before it count. The pool's latest event when none.
  std::optional<Timestamp> at;
  Duration window = Duration::days(90);  ///< The `recent` span; positive.
  std::optional<Zone> zone;  ///< Zone of the calendar days features count; the pool's when none.
  /// Tags that lapse, at most one lifespan per tag; other tags last until removed.
  std::vector<TagLifespan> tag_lifespans;
  /// When not empty, only these persons (ascending customer ids of the pool; linked keys
  /// are passed over) and the customers they invited are profiled; everyone else is left
  /// as never seen. For engines that need a few customers' state at many clocks.
  std::vector<CustomerId> only;
};

/// Every customer's profile at one clock time, by customer id, with the tags each carries.
/// Thread-safety: const methods may run concurrently.
class SIYU_EXPORT Profiles {
 public:
  /// The clock the profiles describe.
  [[nodiscard]] Timestamp at() const noexcept { return at_; }
  /// The window of `Profile::recent`.
  [[nodiscard]] Duration window() const noexcept { return window_; }
  /// The zone calendar days are counted in.
  [[nodiscard]] Zone zone() const noexcept { return zone_; }
  /// Number of profiles: one per customer id in the pool.
  [[nodiscard]] std::size_t size() const noexcept { return profiles_.size(); }
  /// All profiles, by customer id.
  [[nodiscard]] std::span<const Profile> all() const noexcept { return profiles_; }
  /// The profile of `customer` (an id of the pool).
  [[nodiscard]] const Profile& operator[](CustomerId customer) const {
    return profiles_[customer.value];
  }
  /// True when `customer` is a person rather than a key linked into another person.
  [[nodiscard]] bool is_person(CustomerId customer) const {
    return profiles_[customer.value].customer == customer;
  }
  /// The tags `customer` carries at the clock, ascending.
  [[nodiscard]] std::span<const TagId> tags(CustomerId customer) const {
    const TagSpan span = tag_spans_[customer.value];
    return std::span<const TagId>(tags_).subspan(span.begin, span.end - span.begin);
  }
  /// The value of `feature` for `customer`; none for a `days_since_` or `tenure_days`
  /// feature when the customer has no such event.
  [[nodiscard]] std::optional<std::int64_t> feature(CustomerId customer, Feature feature) const;

  /// Computes the profiles of `pool` (docs/profile.md has every definition): one pass
  /// over the log. Throws `Error` (invalid_value) for a window that is not positive,
  /// `ConfigError` for a lifespan without a positive expiry or fade, twice for one tag, or
  /// renewed by a condition with a `tag` filter, and `NotFound` for a tag or a renewing
  /// condition's key the pool lacks.
  /// Reads only; safe to run concurrently. Throws `Error` (invalid_value) when `only` is
  /// not ascending ids of the pool's customers.
  [[nodiscard]] static Profiles compute(const Pool& pool, const ProfileQuery& query = {});
  /// `compute` into this object, reusing its memory: the same profiles as `compute(pool,
  /// query)`. When both this object and `query` hold a subset (`only`), only the persons of
  /// the two subsets are written, not the whole pool: for engines that profile a few
  /// persons at many clocks. Throws as `compute`; after a throw the object is unspecified
  /// but valid for another `recompute`.
  void recompute(const Pool& pool, const ProfileQuery& query = {});

 private:
  Timestamp at_;
  Duration window_;
  Zone zone_;
  detail::Column<Profile> profiles_;
  struct TagSpan {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };
  std::vector<TagSpan> tag_spans_;  // by customer id, into tags_
  std::vector<TagId> tags_;
  std::vector<CustomerId> persons_;  // each customer's person when last written
  // The persons of the last subset profiled, ascending; empty after the whole pool (every
  // profile written), so only a non-empty one lets the next subset blank just these.
  std::vector<CustomerId> held_;
};

}  // namespace siyu

#pragma once

#include <cstdint>
#include <optional>

#include "core/calendar.hpp"
#include "siyu/profile/profile.hpp"

namespace siyu::detail {

/// A profile feature compiled to a direct read of the field it names, for loops over every
/// profile (tier rebalances, audiences): the name is looked up once, not per customer.
/// Thread-safety: a plain value.
class FeatureReader {
 public:
  /// Reads `feature` off the profiles of `profiles` (their clock and zone count the days).
  FeatureReader(Feature feature, const Profiles& profiles)
      : today_(local_day(profiles.zone(), profiles.at().micros)), zone_(profiles.zone()) {
    const auto index = static_cast<std::uint32_t>(feature);
    constexpr auto activity_features = static_cast<std::uint32_t>(Feature::recent_spend);
    if (index < 2 * activity_features) {
      span_ = index < activity_features ? &Profile::lifetime : &Profile::recent;
      bind_activity(static_cast<Feature>(index % activity_features));
      return;
    }
    kind_ = Kind::days_since;
    switch (feature) {
      case Feature::days_since_order: event_ = &Profile::last_order; break;
      case Feature::days_since_active: event_ = &Profile::last_active; break;
      case Feature::tenure_days: event_ = &Profile::first_seen; break;
      default: kind_ = Kind::groups; break;
    }
  }

  /// The value for `profile`; none for a `days_since_` or `tenure_days` feature when the
  /// customer has no such event.
  [[nodiscard]] std::optional<std::int64_t> operator()(const Profile& profile) const noexcept {
    switch (kind_) {
      case Kind::count: return (profile.*span_).*count_;
      case Kind::amount: return (profile.*span_).*amount_;
      case Kind::groups: return profile.groups;
      case Kind::days_since: break;
    }
    const std::optional<Timestamp>& event = profile.*event_;
    if (!event) return std::nullopt;
    return today_ - local_day(zone_, event->micros);
  }

 private:
  enum class Kind : std::uint8_t { count, amount, days_since, groups };

  // Binds the `Activity` field a lifetime feature names.
  void bind_activity(Feature feature) noexcept {
    kind_ = Kind::count;
    switch (feature) {
      case Feature::spend: kind_ = Kind::amount, amount_ = &Activity::spend; break;
      case Feature::watch_seconds: kind_ = Kind::amount, amount_ = &Activity::watch_seconds; break;
      case Feature::orders: count_ = &Activity::orders; break;
      case Feature::refunds: count_ = &Activity::refunds; break;
      case Feature::messages_in: count_ = &Activity::messages_in; break;
      case Feature::messages_out: count_ = &Activity::messages_out; break;
      case Feature::content_views: count_ = &Activity::content_views; break;
      case Feature::content_shares: count_ = &Activity::content_shares; break;
      case Feature::content_created: count_ = &Activity::content_created; break;
      case Feature::invitations: count_ = &Activity::invitations; break;
      case Feature::converted_invitations: count_ = &Activity::converted_invitations; break;
      case Feature::live_watches: count_ = &Activity::live_watches; break;
      case Feature::group_joins: count_ = &Activity::group_joins; break;
      default: count_ = &Activity::coupons_redeemed; break;
    }
  }

  Kind kind_ = Kind::count;
  Activity Profile::*span_ = &Profile::lifetime;
  std::uint32_t Activity::*count_ = &Activity::orders;
  std::int64_t Activity::*amount_ = &Activity::spend;
  std::optional<Timestamp> Profile::*event_ = &Profile::last_order;
  std::int64_t today_;
  Zone zone_;
};

}  // namespace siyu::detail

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "siyu/core/duration.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/metrics/breakdown.hpp"

namespace siyu {

class Pool;

/// Which period the KPIs cover and how they are cut. Thread-safety: a plain value.
struct KpiQuery {
  /// Start, inclusive; when none, the start of the first event's local day.
  std::optional<Timestamp> from;
  /// End, exclusive; when none, the end of the last event's local day.
  std::optional<Timestamp> to;
  std::optional<Breakdown> by;  ///< Also one set of KPIs per value of this breakdown.
  /// A new friend converts when they pay within this span of their first add.
  Duration conversion_window = Duration::days(30);
  /// An order is coupon-driven when the customer redeemed a coupon at most this long before it.
  Duration coupon_window = Duration::hours(1);
  std::optional<std::uint64_t> reach;  ///< People reached (package cards sent, ...): add rate.
  /// Reach per breakdown value; a value no customer has gets a group of its own.
  std::map<std::string, std::uint64_t> group_reach;
  std::optional<Zone> zone;  ///< The zone of days (chats, default period); the pool's when none.
};

/// The operating KPIs of one period (DOMAIN.md §11) over a set of customers; docs/metrics.md
/// defines each. Money is in fen; rates are none when their denominator is 0.
/// Thread-safety: a plain value.
struct Kpis {
  std::uint64_t new_friends = 0;       ///< friend_added events in the period.
  std::uint64_t deletions = 0;         ///< friend_deleted events in the period.
  std::int64_t net_adds = 0;           ///< new_friends - deletions.
  std::optional<std::uint64_t> reach;  ///< As the host supplied it.
  std::optional<double> add_rate;      ///< new_friends / reach.
  std::uint64_t friends = 0;           ///< Customers still friends at the period's end.

  std::uint64_t new_customers = 0;        ///< Customers whose first add is in the period.
  std::uint64_t converted = 0;            ///< ... who paid within the conversion window of it.
  std::optional<double> conversion_rate;  ///< converted / new_customers.

  std::uint64_t orders = 0;           ///< order_paid events in the period.
  std::int64_t gmv = 0;               ///< Their amounts.
  std::optional<std::int64_t> aov;    ///< gmv / orders, rounded half away from zero.
  std::uint64_t buyers = 0;           ///< Customers with an order in the period.
  std::uint64_t repeat_buyers = 0;    ///< ... with two or more.
  std::optional<double> repeat_rate;  ///< repeat_buyers / buyers.
  std::uint64_t refunds = 0;          ///< order_refunded events in the period.
  std::int64_t refunded = 0;          ///< Their amounts.
  std::int64_t net_revenue = 0;       ///< gmv - refunded.
  /// net_revenue / friends / months, rounded half away from zero.
  std::optional<std::int64_t> revenue_per_customer_month;

  std::uint64_t coupons_issued = 0;             ///< coupon_issued events in the period.
  std::uint64_t coupons_redeemed = 0;           ///< coupon_redeemed events in the period.
  std::optional<double> redemption_rate;        ///< coupons_redeemed / coupons_issued.
  std::uint64_t coupon_orders = 0;              ///< Orders driven by a redemption.
  std::int64_t coupon_sales = 0;                ///< Their amounts.
  std::optional<double> coupon_share_of_sales;  ///< coupon_sales / gmv.

  std::uint64_t interactions = 0;  ///< Messages in, content viewed or shared, live watched.
  std::optional<double> interactions_per_month;  ///< interactions / months.
  std::uint64_t inbound_chats = 0;               ///< (customer, local day) pairs with a message in.
  std::uint64_t replied_chats = 0;               ///< ... answered by a message out the same day.
  std::optional<double> reply_rate;              ///< replied_chats / inbound_chats.
  /// Median time from a chat's first message in to the first reply (nearest rank).
  std::optional<Duration> median_first_reply;

  /// KPIs compare field by field.
  friend bool operator==(const Kpis&, const Kpis&) = default;
};

/// One breakdown value's KPIs. Thread-safety: a plain value.
struct KpiGroup {
  std::string value;  ///< The breakdown value; "" for customers without one.
  Kpis kpis;          ///< Over that value's customers.
  /// Groups compare field by field.
  friend bool operator==(const KpiGroup&, const KpiGroup&) = default;
};

/// KPIs for a period, overall and per breakdown value. Thread-safety: a plain value.
struct KpiResult {
  Timestamp from;                ///< Start of the period used, inclusive.
  Timestamp to;                  ///< Its end, exclusive.
  double months = 0;             ///< Its length in average Gregorian months (30.436875 days).
  Kpis overall;                  ///< Over every customer.
  std::vector<KpiGroup> groups;  ///< With a breakdown: by value, "" last.
  /// Results compare field by field.
  friend bool operator==(const KpiResult&, const KpiResult&) = default;
};

/// Computes the KPIs of `query` (docs/metrics.md has every definition). Throws `ConfigError`
/// when `to` is not after `from` or `group_reach` comes without `by`, and `NotFound` for an
/// unknown tag group. Reads only; safe to
/// run concurrently.
[[nodiscard]] SIYU_EXPORT KpiResult run_kpis(const Pool& pool, const KpiQuery& query = {});

}  // namespace siyu

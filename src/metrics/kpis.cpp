#include "siyu/metrics/kpis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/calendar.hpp"
#include "metrics/breakdown_index.hpp"
#include "metrics/quantile.hpp"
#include "metrics/rounding.hpp"
#include "siyu/core/column_allocator.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

// The average Gregorian month: 365.2425 days / 12.
constexpr double micros_per_month = 30.436875 * 86'400.0 * 1e6;
constexpr std::int64_t none = std::numeric_limits<std::int64_t>::min();

// The counts of a set of customers, and the first-reply times behind the median.
struct Tally {
  Kpis kpis;
  // µs; on the column allocator, as the whole log's replies grow into millions.
  detail::Column<std::int64_t> replies;
};

void add(Tally& to, const Kpis& from, const std::vector<std::int64_t>& replies) {
  Kpis& k = to.kpis;
  k.new_friends += from.new_friends;
  k.deletions += from.deletions;
  k.friends += from.friends;
  k.new_customers += from.new_customers;
  k.converted += from.converted;
  k.orders += from.orders;
  k.gmv += from.gmv;
  k.buyers += from.buyers;
  k.repeat_buyers += from.repeat_buyers;
  k.refunds += from.refunds;
  k.refunded += from.refunded;
  k.coupons_issued += from.coupons_issued;
  k.coupons_redeemed += from.coupons_redeemed;
  k.coupon_orders += from.coupon_orders;
  k.coupon_sales += from.coupon_sales;
  k.interactions += from.interactions;
  k.inbound_chats += from.inbound_chats;
  k.replied_chats += from.replied_chats;
  to.replies.insert(to.replies.end(), replies.begin(), replies.end());
}

std::optional<double> ratio(double part, double whole) {
  if (whole == 0) return std::nullopt;
  return part / whole;
}

// The figures derived from the counts.
Kpis finish(Tally& tally, double months, std::optional<std::uint64_t> reach) {
  Kpis k = tally.kpis;
  k.net_adds = static_cast<std::int64_t>(k.new_friends) - static_cast<std::int64_t>(k.deletions);
  k.reach = reach;
  if (reach) k.add_rate = ratio(static_cast<double>(k.new_friends), static_cast<double>(*reach));
  k.conversion_rate = ratio(static_cast<double>(k.converted), static_cast<double>(k.new_customers));
  if (k.orders > 0) k.aov = detail::divide_rounded(k.gmv, k.orders);
  k.repeat_rate = ratio(static_cast<double>(k.repeat_buyers), static_cast<double>(k.buyers));
  k.net_revenue = k.gmv - k.refunded;
  if (k.friends > 0) {
    k.revenue_per_customer_month =
        std::llround(static_cast<double>(k.net_revenue) / static_cast<double>(k.friends) / months);
  }
  k.redemption_rate =
      ratio(static_cast<double>(k.coupons_redeemed), static_cast<double>(k.coupons_issued));
  k.coupon_share_of_sales = ratio(static_cast<double>(k.coupon_sales), static_cast<double>(k.gmv));
  k.interactions_per_month = ratio(static_cast<double>(k.interactions), months);
  k.reply_rate = ratio(static_cast<double>(k.replied_chats), static_cast<double>(k.inbound_chats));
  if (const auto median = detail::nearest_rank(tally.replies, 1, 2)) {
    k.median_first_reply = Duration{*median};
  }
  return k;
}

// One customer's events, read once in time order.
class CustomerScan {
 public:
  CustomerScan(const KpiQuery& query, std::int64_t from, std::int64_t to, Zone zone)
      : from_(from),
        to_(to),
        conversion_window_(query.conversion_window.micros),
        coupon_window_(query.coupon_window.micros),
        offset_(std::int64_t{zone.offset_seconds} * detail::micros_per_second) {}

  // Counts the events [begin, end) of one customer into `kpis` and `replies`.
  void scan(const EventLog& log, EventLog::Range range) {
    kpis = Kpis{};
    replies.clear();
    redemptions_.clear();
    std::size_t next_redemption = 0;
    std::int64_t first_add = none;
    bool friend_at_end = false;
    bool converted = false;
    std::int64_t chat_day = none;
    std::int64_t chat_start = 0;
    bool chat_counted = false;
    bool chat_replied = false;
    const auto ts = log.ts();
    const auto types = log.types();
    const auto amounts = log.amounts();
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const std::int64_t t = ts[p];
      const bool in = t >= from_ && t < to_;
      switch (types[p]) {
        case EventType::friend_added:
          kpis.new_friends += in ? 1 : 0;
          if (first_add == none) {
            first_add = t;
            kpis.new_customers += in ? 1 : 0;
          }
          if (t < to_) friend_at_end = true;
          break;
        case EventType::friend_deleted:
          kpis.deletions += in ? 1 : 0;
          if (t < to_) friend_at_end = false;
          break;
        case EventType::order_paid:
          if (first_add >= from_ && first_add < to_ && t - first_add <= conversion_window_) {
            converted = true;
          }
          if (!in) break;
          ++kpis.orders;
          kpis.gmv += amounts[p];
          // A redemption drives the first order within the window after it, and only one.
          while (next_redemption < redemptions_.size() &&
                 t - redemptions_[next_redemption] > coupon_window_) {
            ++next_redemption;
          }
          if (next_redemption < redemptions_.size()) {
            ++next_redemption;
            ++kpis.coupon_orders;
            kpis.coupon_sales += amounts[p];
          }
          break;
        case EventType::order_refunded:
          kpis.refunds += in ? 1 : 0;
          kpis.refunded += in ? amounts[p] : 0;
          break;
        case EventType::coupon_issued: kpis.coupons_issued += in ? 1 : 0; break;
        case EventType::coupon_redeemed:
          kpis.coupons_redeemed += in ? 1 : 0;
          redemptions_.push_back(t);
          break;
        case EventType::message_in: {
          kpis.interactions += in ? 1 : 0;
          const std::int64_t day = detail::floor_div(t + offset_, detail::micros_per_day);
          if (day != chat_day) {  // the day's first message in opens its chat
            chat_day = day;
            chat_start = t;
            chat_counted = in;
            chat_replied = false;
            kpis.inbound_chats += in ? 1 : 0;
          }
          break;
        }
        case EventType::message_out:
          if (chat_day != none && !chat_replied &&
              detail::floor_div(t + offset_, detail::micros_per_day) == chat_day) {
            chat_replied = true;
            if (chat_counted) {
              ++kpis.replied_chats;
              replies.push_back(t - chat_start);
            }
          }
          break;
        case EventType::content_viewed:
        case EventType::content_shared:
        case EventType::live_watched: kpis.interactions += in ? 1 : 0; break;
        default: break;
      }
    }
    kpis.friends = friend_at_end ? 1 : 0;
    kpis.converted = converted ? 1 : 0;
    kpis.buyers = kpis.orders > 0 ? 1 : 0;
    kpis.repeat_buyers = kpis.orders > 1 ? 1 : 0;
  }

  Kpis kpis;                          ///< The last customer's counts.
  std::vector<std::int64_t> replies;  ///< The last customer's first-reply times.

 private:
  std::int64_t from_;
  std::int64_t to_;
  std::int64_t conversion_window_;
  std::int64_t coupon_window_;
  std::int64_t offset_;
  std::vector<std::int64_t> redemptions_;
};

}  // namespace

KpiResult run_kpis(const Pool& pool, const KpiQuery& query) {
  const EventLog& log = pool.events();
  // By default whole local days: from the first event's day to the end of the last event's
  // (an empty log: the day of the epoch).
  const Zone zone = query.zone.value_or(pool.options().zone);
  const EventLog::Span span = log.span().value_or(EventLog::Span{});
  KpiResult result;
  result.from = query.from ? *query.from : zone.start_of_day(span.first);
  result.to = query.to ? *query.to : zone.add_days(zone.start_of_day(span.last), 1);
  if (result.to <= result.from) {
    throw ConfigError(ErrorCode::invalid_value, "the period must end after it starts",
                      Where{.field = "to"});
  }
  result.months = static_cast<double>(result.to.micros - result.from.micros) / micros_per_month;

  std::optional<detail::BreakdownIndex> index;
  if (query.by) index = detail::index_breakdown(pool, *query.by);
  if (!query.group_reach.empty() && !index) {
    throw ConfigError(ErrorCode::invalid_value, "reach per group needs a breakdown",
                      Where{.field = "group_reach"});
  }
  Tally overall;
  std::vector<Tally> groups(index ? index->values.size() : 0);
  CustomerScan scan(query, result.from.micros, result.to.micros, zone);
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range r = log.range(CustomerId{c});
    if (r.size() == 0) continue;
    scan.scan(log, r);
    add(overall, scan.kpis, scan.replies);
    if (index) add(groups[index->group_of[c]], scan.kpis, scan.replies);
  }
  result.overall = finish(overall, result.months, query.reach);
  if (!index) return result;
  // A value the host reached but no customer has still shows, with its reach and no adds.
  for (const auto& [value, reach] : query.group_reach) {
    if (std::find(index->values.begin(), index->values.end(), value) == index->values.end()) {
      index->values.push_back(value);
      groups.emplace_back();
    }
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string& value = index->values[g];
    const auto reach = query.group_reach.find(value);
    result.groups.push_back(
        KpiGroup{.value = value,
                 .kpis = finish(groups[g], result.months,
                                reach == query.group_reach.end() ? std::nullopt
                                                                 : std::optional(reach->second))});
  }
  std::sort(result.groups.begin(), result.groups.end(), [](const KpiGroup& a, const KpiGroup& b) {
    return std::pair(a.value.empty(), a.value) < std::pair(b.value.empty(), b.value);
  });
  return result;
}

}  // namespace siyu

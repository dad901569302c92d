#pragma once
// The plain way to compute KPIs, for tests: each figure counted on its own, event by event
// through the public API, following docs/metrics.md word for word. Slow and obviously right.
// Breakdowns by channel only (the first add's channel), which the test can find itself.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "siyu/metrics/kpis.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::testing {

struct ReferenceCounts {
  Kpis kpis;
  std::vector<std::int64_t> replies;
};

inline void reference_customer(const Pool& pool, const KpiQuery& q, CustomerId c,
                               ReferenceCounts& out) {
  const EventLog& log = pool.events();
  const Zone zone = q.zone.value_or(pool.options().zone);
  const EventLog::Range range = log.range(c);
  std::vector<LoggedEvent> events;
  for (std::size_t p = range.begin; p < range.end; ++p) events.push_back(log.at(p));
  const auto in = [&](const LoggedEvent& e) { return e.ts >= *q.from && e.ts < *q.to; };
  const auto is = [](const LoggedEvent& e, EventType t) { return e.type == t; };
  const auto one = [](bool yes) -> std::uint64_t { return yes ? 1 : 0; };
  Kpis& k = out.kpis;

  std::optional<std::size_t> first_add;
  bool friend_at_end = false;
  std::uint64_t orders = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const LoggedEvent& e = events[i];
    if (is(e, EventType::friend_added) && !first_add) first_add = i;
    if (is(e, EventType::friend_added) && e.ts < *q.to) friend_at_end = true;
    if (is(e, EventType::friend_deleted) && e.ts < *q.to) friend_at_end = false;
    if (!in(e)) continue;
    k.new_friends += one(is(e, EventType::friend_added));
    k.deletions += one(is(e, EventType::friend_deleted));
    if (is(e, EventType::order_paid)) {
      ++orders;
      k.gmv += e.amount->fen;
    }
    if (is(e, EventType::order_refunded)) {
      ++k.refunds;
      k.refunded += e.amount->fen;
    }
    k.coupons_issued += one(is(e, EventType::coupon_issued));
    k.coupons_redeemed += one(is(e, EventType::coupon_redeemed));
    for (EventType t : {EventType::message_in, EventType::content_viewed, EventType::content_shared,
                        EventType::live_watched}) {
      k.interactions += one(is(e, t));
    }
  }
  k.orders += orders;
  k.buyers += one(orders >= 1);
  k.repeat_buyers += one(orders >= 2);
  k.friends += one(friend_at_end);

  if (first_add && in(events[*first_add])) {
    ++k.new_customers;
    const Timestamp added = events[*first_add].ts;
    for (std::size_t i = *first_add + 1; i < events.size(); ++i) {
      if (is(events[i], EventType::order_paid) && events[i].ts - added <= q.conversion_window) {
        ++k.converted;
        break;
      }
    }
  }

  // Coupon-driven orders: each order in the period takes the earliest redemption before it,
  // not taken yet, within the window.
  std::set<std::size_t> taken;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!is(events[i], EventType::order_paid) || !in(events[i])) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (is(events[j], EventType::coupon_redeemed) && !taken.contains(j) &&
          events[i].ts - events[j].ts <= q.coupon_window) {
        taken.insert(j);
        ++k.coupon_orders;
        k.coupon_sales += events[i].amount->fen;
        break;
      }
    }
  }

  // Chats: per local day, the first message in, answered by a later message out that day.
  std::set<LocalDate> days;
  for (const LoggedEvent& e : events) {
    if (is(e, EventType::message_in)) days.insert(zone.local_date(e.ts));
  }
  for (const LocalDate& day : days) {
    std::size_t start = 0;
    while (
        !(is(events[start], EventType::message_in) && zone.local_date(events[start].ts) == day)) {
      ++start;
    }
    if (!in(events[start])) continue;
    ++k.inbound_chats;
    for (std::size_t i = start + 1; i < events.size(); ++i) {
      if (is(events[i], EventType::message_out) && zone.local_date(events[i].ts) == day) {
        ++k.replied_chats;
        out.replies.push_back((events[i].ts - events[start].ts).micros);
        break;
      }
    }
  }
}

inline Kpis reference_finish(ReferenceCounts counts, double months,
                             std::optional<std::uint64_t> reach) {
  Kpis k = counts.kpis;
  const auto rate = [](std::uint64_t part, std::uint64_t whole) -> std::optional<double> {
    if (whole == 0) return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
  };
  k.net_adds = static_cast<std::int64_t>(k.new_friends) - static_cast<std::int64_t>(k.deletions);
  k.reach = reach;
  if (reach) k.add_rate = rate(k.new_friends, *reach);
  k.conversion_rate = rate(k.converted, k.new_customers);
  if (k.orders > 0) {
    k.aov = static_cast<std::int64_t>(
        std::llround(static_cast<long double>(k.gmv) / static_cast<long double>(k.orders)));
  }
  k.repeat_rate = rate(k.repeat_buyers, k.buyers);
  k.net_revenue = k.gmv - k.refunded;
  if (k.friends > 0) {
    k.revenue_per_customer_month =
        std::llround(static_cast<double>(k.net_revenue) / static_cast<double>(k.friends) / months);
  }
  k.redemption_rate = rate(k.coupons_redeemed, k.coupons_issued);
  if (k.gmv != 0) {
    k.coupon_share_of_sales = static_cast<double>(k.coupon_sales) / static_cast<double>(k.gmv);
  }
  k.interactions_per_month = static_cast<double>(k.interactions) / months;
  k.reply_rate = rate(k.replied_chats, k.inbound_chats);
  if (!counts.replies.empty()) {
    std::sort(counts.replies.begin(), counts.replies.end());
    k.median_first_reply = Duration{counts.replies[(counts.replies.size() + 1) / 2 - 1]};
  }
  return k;
}

// KPIs over a period `q.from`..`q.to` (both given), by channel of first add when `q.by`.
inline KpiResult reference_kpis(const Pool& pool, const KpiQuery& q) {
  KpiResult result{.from = *q.from, .to = *q.to};
  result.months = static_cast<double>((*q.to - *q.from).micros) / (30.436875 * 86'400e6);
  ReferenceCounts all;
  std::map<std::string, ReferenceCounts> by_channel;
  const EventLog& log = pool.events();
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    reference_customer(pool, q, CustomerId{c}, all);
    if (!q.by) continue;
    std::string channel;
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const LoggedEvent e = log.at(p);
      if (e.type != EventType::friend_added) continue;
      if (e.channel.has_value()) channel = pool.channels()[e.channel].key;
      break;
    }
    if (range.begin == range.end) continue;
    reference_customer(pool, q, CustomerId{c}, by_channel[channel]);
  }
  if (q.by) {
    for (const auto& [value, reach] : q.group_reach) (void)by_channel[value];
  }
  result.overall = reference_finish(all, result.months, q.reach);
  for (auto& [value, counts] : by_channel) {
    if (value.empty()) continue;
    const auto reach = q.group_reach.find(value);
    result.groups.push_back(
        {value, reference_finish(
                    counts, result.months,
                    reach == q.group_reach.end() ? std::nullopt : std::optional(reach->second))});
  }
  if (by_channel.contains("")) {
    result.groups.push_back({"", reference_finish(by_channel[""], result.months, std::nullopt)});
  }
  return result;
}

}  // namespace siyu::testing

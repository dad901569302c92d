#pragma once
// An independent profile: each person's events rebuilt one by one (`EventLog::at`) and
// read with maps, written from docs/profile.md rather than from the fast pass.

#include <algorithm>
#include <map>
#include <set>

#include "siyu/model/pool.hpp"
#include "siyu/profile/profile.hpp"

namespace siyu::testing {

inline Profile reference_profile(const Pool& pool, CustomerId customer, Timestamp at,
                                 Duration window) {
  Profile p{.customer = pool.person(customer)};
  if (p.customer != customer) return p;
  const EventLog& log = pool.events();
  const EventLog::Range range = log.range(customer);
  std::vector<LoggedEvent> events;
  for (std::size_t i = range.begin; i < range.end; ++i) {
    LoggedEvent e = log.at(i);
    if (e.ts <= at) events.push_back(std::move(e));
  }
  const auto in_window = [&](Timestamp t) { return t.micros > at.micros - window.micros; };
  const auto count = [&](std::uint32_t Activity::*field, Timestamp t) {
    ++(p.lifetime.*field);
    if (in_window(t)) ++(p.recent.*field);
  };
  struct OrderState {
    Timestamp ts;
    std::int64_t amount = 0;
    std::int64_t refunded = 0;
  };
  std::vector<std::pair<std::uint32_t, OrderState>> orders;           // by ref, in order paid
  std::map<std::uint32_t, std::pair<Timestamp, std::size_t>> groups;  // group -> (joined, seq)
  std::size_t seq = 0;
  std::set<std::uint32_t> tags;
  for (TagId t : pool.customers()[customer].tags) tags.insert(t.value);
  StaffId adder;
  const auto content_created = pool.custom_names().find("content_created");
  for (const LoggedEvent& e : events) {
    if (!p.first_seen) p.first_seen = e.ts;
    switch (e.type) {
      case EventType::friend_added:
      case EventType::message_in:
      case EventType::group_joined:
      case EventType::content_viewed:
      case EventType::content_shared:
      case EventType::invited:
      case EventType::coupon_redeemed:
      case EventType::order_paid:
      case EventType::live_watched:
      case EventType::custom: p.last_active = e.ts; break;
      default: break;
    }
    switch (e.type) {
      case EventType::friend_added:
        p.deleted = false;
        if (e.staff.has_value()) adder = e.staff;
        if (!p.channel.has_value()) p.channel = e.channel;
        break;
      case EventType::friend_deleted: p.deleted = true; break;
      case EventType::message_in: count(&Activity::messages_in, e.ts); break;
      case EventType::message_out: count(&Activity::messages_out, e.ts); break;
      case EventType::content_viewed:
      case EventType::live_watched:
        count(e.type == EventType::content_viewed ? &Activity::content_views
                                                  : &Activity::live_watches,
              e.ts);
        if (e.duration) {
          p.lifetime.watch_seconds += e.duration->whole_seconds();
          if (in_window(e.ts)) p.recent.watch_seconds += e.duration->whole_seconds();
        }
        break;
      case EventType::content_shared: count(&Activity::content_shares, e.ts); break;
      case EventType::coupon_redeemed: count(&Activity::coupons_redeemed, e.ts); break;
      case EventType::group_joined:
        count(&Activity::group_joins, e.ts);
        groups.emplace(e.ref, std::pair{e.ts, seq++});
        break;
      case EventType::group_left: groups.erase(e.ref); break;
      case EventType::order_paid:
        orders.push_back({e.ref, OrderState{e.ts, e.amount->fen, 0}});
        if (!p.first_order) p.first_order = e.ts;
        p.last_order = e.ts;
        break;
      case EventType::order_refunded: {
        count(&Activity::refunds, e.ts);
        auto it = std::find_if(orders.rbegin(), orders.rend(),
                               [&](const auto& o) { return o.first == e.ref; });
        if (it != orders.rend()) {
          it->second.refunded += e.amount->fen;
        } else {
          p.lifetime.spend -= e.amount->fen;
          if (in_window(e.ts)) p.recent.spend -= e.amount->fen;
        }
        break;
      }
      case EventType::tag_added: {
        const Tag& tag = pool.tags()[TagId{e.ref}];
        if (tag.group.has_value() && pool.tag_groups()[tag.group].exclusive) {
          std::erase_if(tags, [&](std::uint32_t t) {
            return t != e.ref && pool.tags()[TagId{t}].group == tag.group;
          });
        }
        tags.insert(e.ref);
        break;
      }
      case EventType::tag_removed: tags.erase(e.ref); break;
      case EventType::custom:
        if (content_created && e.custom_name == content_created->value) {
          count(&Activity::content_created, e.ts);
        }
        break;
      default: break;
    }
  }
  for (const auto& [ref, o] : orders) {
    p.lifetime.spend += o.amount - o.refunded;
    if (o.refunded < o.amount) ++p.lifetime.orders;
    if (in_window(o.ts)) {
      p.recent.spend += o.amount - o.refunded;
      if (o.refunded < o.amount) ++p.recent.orders;
    }
  }
  p.groups = static_cast<std::uint32_t>(groups.size());
  // The home group: the earliest join among the groups still held, ties in log order.
  std::optional<std::pair<std::pair<Timestamp, std::size_t>, std::uint32_t>> home;
  for (const auto& [group, joined] : groups) {
    if (!home || joined < home->first) home = std::pair{joined, group};
  }
  if (home) p.home_group = GroupId{home->second};
  const Customer& record = pool.customers()[customer];
  p.owner = record.owner.has_value() ? record.owner : adder;
  if (!p.channel.has_value()) p.channel = record.channel;
  return p;
}

// Invitations are counted on the inviter from every invitee's first `invited` event.
inline void add_reference_invitations(const Pool& pool, std::vector<Profile>& profiles,
                                      Timestamp at, Duration window) {
  const EventLog& log = pool.events();
  for (std::uint32_t c = 0; c < profiles.size(); ++c) {
    if (pool.person(CustomerId{c}) != CustomerId{c}) continue;
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const LoggedEvent e = log.at(i);
      if (e.ts > at || e.type != EventType::invited) continue;
      Profile& inviter = profiles[pool.person(CustomerId{e.ref}).value];
      const bool converted = profiles[c].lifetime.orders > 0;
      ++inviter.lifetime.invitations;
      inviter.lifetime.converted_invitations += converted ? 1 : 0;
      if (e.ts.micros > at.micros - window.micros) {
        ++inviter.recent.invitations;
        inviter.recent.converted_invitations += converted ? 1 : 0;
      }
      break;
    }
  }
}

}  // namespace siyu::testing

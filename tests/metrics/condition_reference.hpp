#pragma once
// Whether an event meets a condition, decided the slow way: every key compared as text
// through the directories. The metric references share it.

#include <algorithm>
#include <string>

#include "siyu/model/event_condition.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::reference {

/// True when `e` of `customer` meets `condition`, compared by the directories' keys.
inline bool meets(const Pool& pool, const LoggedEvent& e, const Customer& customer,
                  const EventCondition& c) {
  if (e.type != c.type) return false;
  if (c.type == EventType::custom &&
      pool.custom_names()[CustomNameId{e.custom_name}].key != c.custom_name) {
    return false;
  }
  if (!c.channel.empty() && (!e.channel.has_value() || pool.channels()[e.channel].key != c.channel))
    return false;
  if (!c.staff.empty() && (!e.staff.has_value() || pool.staff()[e.staff].key != c.staff))
    return false;
  if (!c.product.empty() && (!e.product.has_value() || pool.products()[e.product].key != c.product))
    return false;
  if (!c.ref.empty()) {
    if (e.ref == LoggedEvent::no_ref) return false;
    std::string key;
    switch (e.type) {
      case EventType::invited:
      case EventType::identity_linked: key = pool.customers()[CustomerId{e.ref}].key; break;
      case EventType::coupon_issued:
      case EventType::coupon_redeemed: key = pool.coupons()[CouponId{e.ref}].key; break;
      case EventType::tag_added:
      case EventType::tag_removed: key = pool.tags()[TagId{e.ref}].key; break;
      case EventType::content_sent:
      case EventType::content_viewed:
      case EventType::content_shared: key = pool.materials()[MaterialId{e.ref}].key; break;
      case EventType::group_joined:
      case EventType::group_left: key = pool.groups()[GroupId{e.ref}].key; break;
      default: key = pool.refs()[RefId{e.ref}].key;
    }
    if (key != c.ref) return false;
  }
  if (!c.tag.empty() && std::none_of(customer.tags.begin(), customer.tags.end(),
                                     [&](TagId t) { return pool.tags()[t].key == c.tag; })) {
    return false;
  }
  if (c.min_amount || c.max_amount) {
    if (!e.amount) return false;
    if (c.min_amount && *e.amount < *c.min_amount) return false;
    if (c.max_amount && *e.amount > *c.max_amount) return false;
  }
  return true;
}

}  // namespace siyu::reference

#include "siyu/profile/profile.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <limits>

#include "core/calendar.hpp"
#include "core/text.hpp"
#include "model/event_matcher.hpp"
#include "model/type_scan.hpp"
#include "profile/feature_reader.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, feature_count> feature_names = {
    "spend",
    "watch_seconds",
    "orders",
    "refunds",
    "messages_in",
    "messages_out",
    "content_views",
    "content_shares",
    "content_created",
    "invitations",
    "converted_invitations",
    "live_watches",
    "group_joins",
    "coupons_redeemed",
    "recent_spend",
    "recent_watch_seconds",
    "recent_orders",
    "recent_refunds",
    "recent_messages_in",
    "recent_messages_out",
    "recent_content_views",
    "recent_content_shares",
    "recent_content_created",
    "recent_invitations",
    "recent_converted_invitations",
    "recent_live_watches",
    "recent_group_joins",
    "recent_coupons_redeemed",
    "days_since_order",
    "days_since_active",
    "tenure_days",
    "groups"};

// Events of the customer's own doing: what `last_active` and `days_since_active` follow.
// Staff sends, coupons issued, refunds, tags, links and leaving are not activity.
constexpr std::array<bool, event_type_count> is_own_activity = [] {
  std::array<bool, event_type_count> own{};
  for (const EventType type :
       {EventType::friend_added, EventType::message_in, EventType::group_joined,
        EventType::content_viewed, EventType::content_shared, EventType::invited,
        EventType::coupon_redeemed, EventType::order_paid, EventType::live_watched,
        EventType::custom}) {
    own[static_cast<std::size_t>(type)] = true;
  }
  return own;
}();

struct Order {
  std::uint32_t ref;
  std::int64_t ts;
  std::int64_t amount;
  std::int64_t refunded;
};

struct Membership {
  std::uint32_t group;
  std::int64_t joined;
};

// An `invited` event: the inviter (a key, resolved to its person later), the invitee and when.
struct Invitation {
  std::uint32_t inviter;
  std::uint32_t invitee;
  std::int64_t ts;
};

// A tag lifespan with its keys resolved.
struct Lifespan {
  std::int64_t expires = 0;  // micros after the last add; 0 when it does not expire
  std::int64_t fades = 0;    // micros without a renewal; 0 when it does not fade
  std::vector<detail::EventMatcher> renewers;
};

// Applies the customer's tag events to the tags they start with (the directory's): adding a
// tag of an exclusive group drops the group's other tags; tags with a lifespan lapse.
class TagState {
 public:
  TagState(const Pool& pool, const std::vector<TagLifespan>& lifespans) : pool_(pool) {
    for (const TagLifespan& lifespan : lifespans) {
      const Where where{.record = lifespan.tag, .field = "tag_lifespans"};
      const auto tag = pool.tags().find(lifespan.tag);
      if (!tag) throw NotFound("no tag has the key " + detail::quoted(lifespan.tag), where);
      const auto positive = [](const std::optional<Duration>& d) { return d && d->micros > 0; };
      if (!positive(lifespan.expires_after) && !positive(lifespan.fades_after)) {
        throw ConfigError(ErrorCode::invalid_value, "a lifespan needs a positive expiry or fade",
                          where);
      }
      if (!lifespan.renewed_by.empty() && !lifespan.fades_after) {
        throw ConfigError(ErrorCode::conflict, "renewing events need a fade to renew", where);
      }
      if (of_tag_.size() < pool.tags().size()) of_tag_.assign(pool.tags().size(), none);
      if (of_tag_[tag->value] != none) {
        throw ConfigError(ErrorCode::conflict, "the tag has two lifespans", where);
      }
      Lifespan resolved{
          .expires = positive(lifespan.expires_after) ? lifespan.expires_after->micros : 0,
          .fades = positive(lifespan.fades_after) ? lifespan.fades_after->micros : 0};
      for (const EventCondition& condition : lifespan.renewed_by) {
        if (!condition.tag.empty()) {
          throw ConfigError(ErrorCode::invalid_value,
                            "a renewing event cannot filter on the customer's tags", where);
        }
        resolved.renewers.emplace_back(pool, condition);
      }
      renewing_ = renewing_ || !resolved.renewers.empty();
      of_tag_[tag->value] = static_cast<std::uint32_t>(lifespans_.size());
      lifespans_.push_back(std::move(resolved));
    }
  }

  void start(std::span<const TagId> initial) {
    held_.clear();
    for (const TagId tag : initial) held_.push_back(Held{tag, unknown, unknown});
  }

  void add(TagId tag, std::int64_t t) {
    const TagGroupId group = pool_.tags()[tag].group;
    if (group.has_value() && pool_.tag_groups()[group].exclusive) {
      std::erase_if(
          held_, [&](const Held& h) { return h.tag != tag && pool_.tags()[h.tag].group == group; });
    }
    const auto found =
        std::find_if(held_.begin(), held_.end(), [&](const Held& h) { return h.tag == tag; });
    if (found == held_.end()) {
      held_.push_back(Held{tag, t, t});
    } else {
      found->added = found->renewed = t;
    }
  }
  void remove(TagId tag) {
    std::erase_if(held_, [&](const Held& h) { return h.tag == tag; });
  }

  // Renews the fading tags that the event at `position` renews.
  void see(const EventLog& log, std::size_t position, std::int64_t t) {
    if (!renewing_) return;
    for (Held& h : held_) {
      const Lifespan* lifespan = lifespan_of(h.tag);
      if (lifespan == nullptr) continue;
      if (std::any_of(lifespan->renewers.begin(), lifespan->renewers.end(),
                      [&](const detail::EventMatcher& m) { return m.matches(log, position); })) {
        h.renewed = t;
      }
    }
  }

  // Appends the tags held at `at`, ascending, to `out`; directory tags count as added at
  // `first_seen`.
  void finish(std::vector<TagId>& out, std::int64_t at,
              const std::optional<Timestamp>& first_seen) {
    std::vector<TagId>::size_type begin = out.size();
    for (const Held& h : held_) {
      const Lifespan* lifespan = lifespan_of(h.tag);
      if (lifespan != nullptr && first_seen) {
        const std::int64_t added = h.added == unknown ? first_seen->micros : h.added;
        const std::int64_t renewed = std::max(added, h.renewed);
        if (lifespan->expires != 0 && at - added >= lifespan->expires) continue;
        if (lifespan->fades != 0 && at - renewed >= lifespan->fades) continue;
      }
      out.push_back(h.tag);
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end());
  }

 private:
  static constexpr std::int64_t unknown = std::numeric_limits<std::int64_t>::min();
  static constexpr std::uint32_t none = 0xFFFF'FFFF;
  struct Held {
    TagId tag;
    std::int64_t added;    // when last added; `unknown` for a directory tag
    std::int64_t renewed;  // the latest renewal
  };

  [[nodiscard]] const Lifespan* lifespan_of(TagId tag) const noexcept {
    if (tag.value >= of_tag_.size() || of_tag_[tag.value] == none) return nullptr;
    return &lifespans_[of_tag_[tag.value]];
  }

  const Pool& pool_;
  std::vector<Lifespan> lifespans_;
  std::vector<std::uint32_t> of_tag_;  // lifespan index by tag id
  bool renewing_ = false;              // some lifespan has renewing events
  std::vector<Held> held_;
};

}  // namespace

std::string_view to_string(Feature feature) noexcept {
  return feature_names[static_cast<std::size_t>(feature)];
}

std::optional<Feature> find_feature(std::string_view name) noexcept {
  const auto* found = std::find(feature_names.begin(), feature_names.end(), name);
  if (found == feature_names.end()) return std::nullopt;
  return static_cast<Feature>(found - feature_names.begin());
}

bool is_money(Feature feature) noexcept {
  return feature == Feature::spend || feature == Feature::recent_spend;
}

bool higher_is_better(Feature feature) noexcept {
  return feature != Feature::days_since_order && feature != Feature::days_since_active;
}

std::optional<std::int64_t> Profiles::feature(CustomerId customer, Feature feature) const {
  return detail::FeatureReader(feature, *this)(profiles_[customer.value]);
}

Profiles Profiles::compute(const Pool& pool, const ProfileQuery& query) {
  Profiles result;
  result.recompute(pool, query);
  return result;
}

void Profiles::recompute(const Pool& pool, const ProfileQuery& query) {
  if (query.window.micros <= 0) {
    throw Error(ErrorCode::invalid_value, "the profile window must be positive",
                Where{.field = "window"});
  }
  const std::size_t customers = pool.customers().size();
  if (!std::is_sorted(query.only.begin(), query.only.end()) ||
      std::adjacent_find(query.only.begin(), query.only.end()) != query.only.end() ||
      (!query.only.empty() && query.only.back().value >= customers)) {
    throw Error(ErrorCode::invalid_value,
                "the persons to profile must be ascending customer ids of the pool",
                Where{.field = "only"});
  }
  const EventLog& log = pool.events();
  window_ = query.window;
  zone_ = query.zone.value_or(pool.options().zone);
  at_ = Timestamp{};
  if (query.at) {
    at_ = *query.at;
  } else if (const auto span = log.span()) {
    at_ = span->last;
  }
  const std::int64_t at = at_.micros;
  // `recent` holds events after this instant.
  const std::int64_t recent_after =
      at > std::numeric_limits<std::int64_t>::min() + query.window.micros
          ? at - query.window.micros
          : std::numeric_limits<std::int64_t>::min();

  const auto ts = log.ts();
  const auto types = log.types();
  const auto amounts = log.amounts();
  const auto staff = log.staff();
  const auto refs = log.refs();
  const auto channels = log.channels();
  const auto custom_names = log.custom_names();
  const auto durations = log.durations();
  const std::optional<CustomNameId> content_created = pool.custom_names().find("content_created");

  std::vector<Order> orders;
  std::vector<Membership> memberships;
  std::vector<Invitation> invitations;
  TagState tags(pool, query.tag_lifespans);

  // The persons to profile: everyone, or those asked for and the customers they invited (an
  // invitation converts when its invitee has paid, so the invitee's orders are needed too).
  const bool subset = !query.only.empty();
  std::vector<CustomerId> persons;
  if (subset) {
    std::copy_if(query.only.begin(), query.only.end(), std::back_inserter(persons),
                 [&](CustomerId c) { return pool.person(c) == c; });
    std::vector<CustomerId> invitees;
    constexpr std::array invited{EventType::invited};
    for (const std::size_t p : detail::positions_of(types, invited)) {
      if (ts[p] <= at &&
          std::binary_search(persons.begin(), persons.end(), pool.person(CustomerId{refs[p]}))) {
        invitees.push_back(pool.person(log.customer_at(p)));
      }
    }
    persons.insert(persons.end(), invitees.begin(), invitees.end());
    std::sort(persons.begin(), persons.end());
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  }
  // Blank profiles for all: written whole unless this object holds a subset of the same
  // pool, when only that subset needs blanking (what makes profiling a few persons at many
  // clocks cheap).
  if (!subset || held_.empty() || profiles_.size() != customers) {
    profiles_.resize(customers);
    tag_spans_.assign(customers, TagSpan{});
    persons_.resize(customers);
    for (std::uint32_t c = 0; c < customers; ++c) {
      persons_[c] = pool.person(CustomerId{c});
      profiles_[c] = Profile{.customer = persons_[c]};
    }
  } else {
    // Links made or undone since the last call move keys between persons: the blank
    // profiles name their person too. Compared in a compact copy, not profile by profile.
    for (std::uint32_t c = 0; c < customers; ++c) {
      const CustomerId person = pool.person(CustomerId{c});
      if (persons_[c] == person) continue;
      persons_[c] = person;
      profiles_[c].customer = person;
    }
    for (const CustomerId c : held_) {
      profiles_[c.value] = Profile{.customer = pool.person(c)};
      tag_spans_[c.value] = TagSpan{};
    }
  }
  tags_.clear();
  held_ = std::move(persons);

  const auto profile_person = [&](std::uint32_t c) {
    const CustomerId id{c};
    Profile& profile = profiles_[c];
    const Customer& record = pool.customers()[id];
    tags.start(record.tags);
    orders.clear();
    memberships.clear();
    StaffId latest_adder;
    const EventLog::Range range = log.range(id);
    for (std::size_t p = range.begin; p < range.end && ts[p] <= at; ++p) {
      const std::int64_t t = ts[p];
      const EventType type = types[p];
      const bool recent = t > recent_after;
      tags.see(log, p, t);
      if (!profile.first_seen) profile.first_seen = Timestamp{t};
      if (is_own_activity[static_cast<std::size_t>(type)]) profile.last_active = Timestamp{t};
      // Counts every kind of span the same way: lifetime always, recent in the window.
      const auto count = [&](std::uint32_t Activity::*field) {
        ++(profile.lifetime.*field);
        if (recent) ++(profile.recent.*field);
      };
      switch (type) {
        case EventType::friend_added:
          profile.deleted = false;
          if (staff[p] != StaffId::none_value) latest_adder = StaffId{staff[p]};
          if (!profile.channel.has_value() && channels[p] != 0xFFFF) {
            profile.channel = ChannelId{channels[p]};
          }
          break;
        case EventType::friend_deleted: profile.deleted = true; break;
        case EventType::message_in: count(&Activity::messages_in); break;
        case EventType::message_out: count(&Activity::messages_out); break;
        case EventType::content_viewed:
        case EventType::live_watched: {
          count(type == EventType::live_watched ? &Activity::live_watches
                                                : &Activity::content_views);
          const std::int64_t seconds = durations[p];
          profile.lifetime.watch_seconds += seconds;
          if (recent) profile.recent.watch_seconds += seconds;
          break;
        }
        case EventType::content_shared: count(&Activity::content_shares); break;
        case EventType::coupon_redeemed: count(&Activity::coupons_redeemed); break;
        case EventType::invited: invitations.push_back({refs[p], c, t}); break;
        case EventType::group_joined:
          count(&Activity::group_joins);
          if (std::none_of(memberships.begin(), memberships.end(),
                           [&](const Membership& m) { return m.group == refs[p]; })) {
            memberships.push_back({refs[p], t});
          }
          break;
        case EventType::group_left:
          std::erase_if(memberships, [&](const Membership& m) { return m.group == refs[p]; });
          break;
        case EventType::order_paid:
          orders.push_back({refs[p], t, amounts[p], 0});
          if (!profile.first_order) profile.first_order = Timestamp{t};
          profile.last_order = Timestamp{t};
          break;
        case EventType::order_refunded: {
          count(&Activity::refunds);
          // The latest order with this id takes the refund; a refund naming no order of
          // theirs lowers spend when it happened.
          const auto order = std::find_if(orders.rbegin(), orders.rend(),
                                          [&](const Order& o) { return o.ref == refs[p]; });
          if (order != orders.rend()) {
            order->refunded += amounts[p];
          } else {
            profile.lifetime.spend -= amounts[p];
            if (recent) profile.recent.spend -= amounts[p];
          }
          break;
        }
        case EventType::tag_added: tags.add(TagId{refs[p]}, t); break;
        case EventType::tag_removed: tags.remove(TagId{refs[p]}); break;
        case EventType::custom:
          if (content_created && custom_names[p] == content_created->value) {
            count(&Activity::content_created);
          }
          break;
        default: break;
      }
    }
    for (const Order& order : orders) {
      const std::int64_t net = order.amount - order.refunded;
      const bool counts = order.refunded < order.amount;
      profile.lifetime.spend += net;
      profile.lifetime.orders += counts ? 1 : 0;
      if (order.ts > recent_after) {
        profile.recent.spend += net;
        profile.recent.orders += counts ? 1 : 0;
      }
    }
    profile.groups = static_cast<std::uint32_t>(memberships.size());
    if (!memberships.empty()) profile.home_group = GroupId{memberships.front().group};
    profile.owner = record.owner.has_value() ? record.owner : latest_adder;
    if (!profile.channel.has_value()) profile.channel = record.channel;
    const auto begin = static_cast<std::uint32_t>(tags_.size());
    tags.finish(tags_, at, profile.first_seen);
    tag_spans_[c] = TagSpan{begin, static_cast<std::uint32_t>(tags_.size())};
  };
  if (subset) {
    for (const CustomerId c : held_) profile_person(c.value);
  } else {
    for (std::uint32_t c = 0; c < customers; ++c) {
      // A linked key's events and tags are its person's.
      if (profiles_[c].customer == CustomerId{c}) profile_person(c);
    }
  }

  // An invitee counts once for their inviter (their first invitation), as converted when
  // they have paid an order that counts by the clock. Invitations come grouped by invitee.
  std::optional<std::uint32_t> previous;
  for (const Invitation& invitation : invitations) {
    if (previous == invitation.invitee) continue;
    previous = invitation.invitee;
    const CustomerId inviter = pool.person(CustomerId{invitation.inviter});
    if (subset && !std::binary_search(held_.begin(), held_.end(), inviter)) continue;
    Profile& profile = profiles_[inviter.value];
    const bool converted = profiles_[invitation.invitee].lifetime.orders > 0;
    ++profile.lifetime.invitations;
    profile.lifetime.converted_invitations += converted ? 1 : 0;
    if (invitation.ts > recent_after) {
      ++profile.recent.invitations;
      profile.recent.converted_invitations += converted ? 1 : 0;
    }
  }
}

}  // namespace siyu

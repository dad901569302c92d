#include "siyu/tiers/tier_engine.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "core/calendar.hpp"
#include "profile/feature_reader.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/money.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

// A feature's value against a bound, in the feature's direction. A customer without the
// event a `days_since_` feature needs does not meet it.
bool within(const std::optional<std::int64_t>& value, std::int64_t bound, bool higher) {
  if (!value) return false;
  return higher ? *value >= bound : *value <= bound;
}

// A qualification compiled against one set of profiles: each threshold reads its field
// directly, so a rebalance over every customer looks no feature up by name.
class CompiledQualification {
 public:
  CompiledQualification(const Qualification& q, const Profiles& profiles) {
    for (const Threshold& t : q.all)
      all_.push_back(
          Bound{t, detail::FeatureReader(t.feature, profiles), higher_is_better(t.feature)});
    for (const Threshold& t : q.any)
      any_.push_back(
          Bound{t, detail::FeatureReader(t.feature, profiles), higher_is_better(t.feature)});
  }

  [[nodiscard]] bool holds(const Profile& profile, bool staying) const noexcept {
    const auto meets = [&](const Bound& b) {
      return within(b.read(profile), staying ? b.threshold.keep : b.threshold.promote, b.higher);
    };
    return std::all_of(all_.begin(), all_.end(), meets) &&
           (any_.empty() || std::any_of(any_.begin(), any_.end(), meets));
  }

 private:
  struct Bound {
    Threshold threshold;
    detail::FeatureReader read;
    bool higher;  // higher_is_better(threshold.feature)
  };
  std::vector<Bound> all_;
  std::vector<Bound> any_;
};

void add_threshold_reasons(std::vector<Reason>& out, const Qualification& q,
                           const Profiles& profiles, CustomerId c, bool staying, ReasonRule rule,
                           std::uint32_t level = 0) {
  const auto add = [&](const Threshold& t, bool any) {
    const std::optional<std::int64_t> value = profiles.feature(c, t.feature);
    const std::int64_t bound = staying ? t.keep : t.promote;
    out.push_back(Reason{.kind = ReasonKind::threshold,
                         .rule = rule,
                         .level = level,
                         .feature = t.feature,
                         .any = any,
                         .promote = !staying,
                         .value = value,
                         .bound = bound,
                         .met = within(value, bound, higher_is_better(t.feature))});
  };
  for (const Threshold& t : q.all) add(t, false);
  for (const Threshold& t : q.any) add(t, true);
}

std::string figure(Feature feature, std::int64_t value) {
  if (is_money(feature)) return to_string(Money{value}) + " yuan";
  return std::to_string(value);
}

}  // namespace

std::string_view rule_key(const Reason& reason, const TierPolicy& policy) noexcept {
  switch (reason.rule) {
    case ReasonRule::core: return "core";
    case ReasonRule::influence: return "influence";
    case ReasonRule::dwell: return "dwell";
    case ReasonRule::level:
      if (policy.ladder && reason.level < policy.ladder->levels.size()) {
        return policy.ladder->levels[reason.level].key;
      }
      return "level";
  }
  return "";
}

std::string describe(const Reason& reason, const Pool& pool, const TierPolicy& policy) {
  const std::string_view rule = rule_key(reason, policy);
  const std::string verdict = reason.met ? "met" : "not met";
  switch (reason.kind) {
    case ReasonKind::threshold: {
      const std::string value =
          reason.value ? figure(reason.feature, *reason.value) : std::string("none");
      return fmt::format(
          "{}: {} {} {} {} ({}{}, {})", rule, to_string(reason.feature), value,
          higher_is_better(reason.feature) ? ">=" : "<=", figure(reason.feature, reason.bound),
          reason.promote ? "to enter" : "to stay", reason.any ? ", any one" : "", verdict);
    }
    case ReasonKind::group_seats:
      return fmt::format("core: seat {} of {} in group {} ({})", reason.value.value_or(0),
                         reason.bound, pool.groups()[reason.group].key, verdict);
    case ReasonKind::owner_seats:
      return fmt::format("core: seat {} of {} for owner {} ({})", reason.value.value_or(0),
                         reason.bound, pool.staff()[reason.owner].key, verdict);
    case ReasonKind::dwell:
      return fmt::format("dwell: {} days since the last move, minimum {} ({})",
                         reason.value.value_or(0), reason.bound,
                         reason.met ? "held in place" : "free to move");
  }
  return {};
}

TierEngine::TierEngine(TierPolicy policy) : policy_(std::move(policy)) { policy_.validate(); }

bool TierEngine::held(std::int64_t since, std::int64_t now) const noexcept {
  return since != never && now - since < policy_.min_dwell.micros;
}

void TierEngine::rebalance(const Pool& pool, Timestamp at) {
  rebalance(Profiles::compute(pool, ProfileQuery{.at = at, .window = policy_.window}));
}

void TierEngine::rebalance(Profiles profiles) {
  const std::int64_t now = profiles.at().micros;
  if (last_ && now <= last_->micros) {
    throw Error(ErrorCode::invalid_value, "rebalances must come in time order",
                Where{.field = "at"});
  }
  if (profiles.window() != policy_.window) {
    throw ConfigError(ErrorCode::conflict,
                      "the profiles' window differs from the policy's window_days",
                      Where{.field = "window_days"});
  }
  const std::size_t n = profiles.size();
  const std::span<const Profile> all = profiles.all();
  places_.resize(n);
  static const std::vector<Level> no_levels;
  const std::vector<Level>& levels = policy_.ladder ? policy_.ladder->levels : no_levels;
  const CompiledQualification core(policy_.core, profiles);
  const CompiledQualification influence(policy_.influence, profiles);
  std::vector<CompiledQualification> ladder;
  for (const Level& level : levels) ladder.emplace_back(level.qualification, profiles);
  std::vector<detail::FeatureReader> rank;
  for (const Feature f : policy_.core_rank) rank.emplace_back(f, profiles);

  // One read of each profile: who qualifies for the core and influence, seats aside (a
  // customer held by the dwell keeps their layer); group sizes; the level reached.
  struct Candidate {
    std::uint32_t customer;
    bool held;       // the dwell holds them in the core
    bool incumbent;  // in the core before this rebalance
  };
  std::vector<Candidate> candidates;
  std::vector<std::int64_t> key;  // the rank features of each candidate, best highest
  std::vector<std::uint64_t> members;
  std::uint32_t owners = 0;
  for (std::uint32_t c = 0; c < n; ++c) {
    Place& place = places_[c];
    const Profile& profile = all[c];
    place.prior_layer = place.layer;
    place.prior_level = place.level;
    place.prior_layer_since = place.layer_since;
    place.prior_level_since = place.level_since;
    place.group_rank = place.owner_rank = 0;
    place.present = profile.customer.value == c && profile.first_seen.has_value();
    place.core_qualified = place.influence_qualified = place.seated = false;
    if (!place.present) continue;
    if (profile.home_group.has_value()) {
      const std::uint32_t g = profile.home_group.value;
      if (g >= members.size()) members.resize(g + 1, 0);
      ++members[g];
    }
    if (profile.owner.has_value()) owners = std::max(owners, profile.owner.value + 1);
    const bool hold = held(place.layer_since, now);
    place.core_qualified =
        hold ? place.layer == Layer::core : core.holds(profile, place.layer == Layer::core);
    place.influence_qualified = hold && place.layer != Layer::core
                                    ? place.layer == Layer::influence
                                    : influence.holds(profile, place.layer == Layer::influence);
    if (place.core_qualified) {
      candidates.push_back(Candidate{.customer = c,
                                     .held = hold && place.layer == Layer::core,
                                     .incumbent = place.layer == Layer::core});
      for (std::size_t k = 0; k < rank.size(); ++k) {
        const auto value = rank[k](profile);
        key.push_back(!value ? std::numeric_limits<std::int64_t>::min()
                      : higher_is_better(policy_.core_rank[k]) ? *value
                                                               : -*value);
      }
    }
    if (levels.empty() || held(place.level_since, now)) continue;
    // The highest level reached: promote bounds above the current level, keep bounds for
    // it and below.
    std::uint32_t level = no_level;
    for (auto l = static_cast<std::uint32_t>(levels.size()); l-- > 0;) {
      if (ladder[l].holds(profile, place.level != no_level && l <= place.level)) {
        level = l;
        break;
      }
    }
    if (level != place.level) {
      place.level = level;
      place.level_since = now;
    }
  }

  // Seats: each customer counts in their home group, and a group has seats in proportion
  // to its members, rounded up.
  const auto groups = static_cast<std::uint32_t>(members.size());
  group_seats_.assign(groups, 0);
  for (std::uint32_t g = 0; g < groups; ++g) {
    group_seats_[g] = static_cast<std::uint32_t>(
        (members[g] * policy_.capacity.seats_per_group + policy_.capacity.group_members - 1) /
        policy_.capacity.group_members);
  }
  // Candidates take seats in order: those the dwell holds in the core, then by the rank
  // features (best first, a missing value last), then incumbents, then by customer id.
  const std::size_t keys = rank.size();
  std::vector<std::uint32_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Candidate& x = candidates[a];
    const Candidate& y = candidates[b];
    if (x.held != y.held) return x.held;
    for (std::size_t k = 0; k < keys; ++k) {
      if (key[a * keys + k] != key[b * keys + k]) return key[a * keys + k] > key[b * keys + k];
    }
    if (x.incumbent != y.incumbent) return x.incumbent;
    return x.customer < y.customer;
  });
  std::vector<std::uint32_t> taken_in_group(groups, 0);
  std::vector<std::uint32_t> taken_by_owner(owners, 0);
  for (const std::uint32_t i : order) {
    const std::uint32_t c = candidates[i].customer;
    const GroupId group = all[c].home_group;
    const StaffId owner = all[c].owner;
    Place& place = places_[c];
    bool fits = true;
    if (group.has_value()) {
      place.group_rank = taken_in_group[group.value] + 1;
      fits = place.group_rank <= group_seats_[group.value];
    }
    if (owner.has_value()) {
      place.owner_rank = taken_by_owner[owner.value] + 1;
      fits = fits && place.owner_rank <= policy_.capacity.seats_per_owner;
    }
    if (!fits) continue;
    place.seated = true;
    if (group.has_value()) ++taken_in_group[group.value];
    if (owner.has_value()) ++taken_by_owner[owner.value];
  }

  // Layers, and the moves of layer and level.
  for (std::uint32_t c = 0; c < n; ++c) {
    Place& place = places_[c];
    if (!place.present) continue;
    const CustomerId id{c};
    const Layer layer = place.seated                ? Layer::core
                        : place.influence_qualified ? Layer::influence
                                                    : Layer::periphery;
    if (layer != place.layer) {
      place.layer = layer;
      place.layer_since = now;
      history_.push_back(TierMove{.at = profiles.at(),
                                  .customer = id,
                                  .from = static_cast<std::uint32_t>(place.prior_layer),
                                  .to = static_cast<std::uint32_t>(layer),
                                  .reasons = layer_reasons(profiles, id)});
    }
    if (place.level != place.prior_level) {
      const auto index = [](std::uint32_t l) {
        return l == no_level ? std::nullopt : std::optional<std::uint32_t>(l);
      };
      history_.push_back(TierMove{.at = profiles.at(),
                                  .customer = id,
                                  .level = true,
                                  .from = index(place.prior_level),
                                  .to = index(place.level),
                                  .reasons = level_reasons(profiles, id)});
    }
  }
  last_ = profiles.at();
  profiles_ = std::move(profiles);
}

void TierEngine::add_dwell_reason(std::vector<Reason>& out, std::int64_t since,
                                  std::int64_t now) const {
  if (!held(since, now)) return;
  out.push_back(Reason{.kind = ReasonKind::dwell,
                       .rule = ReasonRule::dwell,
                       .value = (now - since) / detail::micros_per_day,
                       .bound = policy_.min_dwell.micros / detail::micros_per_day,
                       .met = true});
}

std::vector<Reason> TierEngine::layer_reasons(const Profiles& profiles, CustomerId customer) const {
  const Place& place = places_[customer.value];
  const Profile& profile = profiles[customer];
  const std::int64_t now = profiles.at().micros;
  std::vector<Reason> out;
  add_dwell_reason(out, place.prior_layer_since, now);
  add_threshold_reasons(out, policy_.core, profiles, customer, place.prior_layer == Layer::core,
                        ReasonRule::core);
  if (place.core_qualified && profile.home_group.has_value()) {
    const std::uint32_t seats = group_seats_[profile.home_group.value];
    out.push_back(Reason{.kind = ReasonKind::group_seats,
                         .rule = ReasonRule::core,
                         .value = place.group_rank,
                         .bound = seats,
                         .met = place.group_rank <= seats,
                         .group = profile.home_group});
  }
  if (place.core_qualified && profile.owner.has_value()) {
    out.push_back(Reason{.kind = ReasonKind::owner_seats,
                         .rule = ReasonRule::core,
                         .value = place.owner_rank,
                         .bound = policy_.capacity.seats_per_owner,
                         .met = place.owner_rank <= policy_.capacity.seats_per_owner,
                         .owner = profile.owner});
  }
  if (place.layer != Layer::core) {
    add_threshold_reasons(out, policy_.influence, profiles, customer,
                          place.prior_layer == Layer::influence, ReasonRule::influence);
  }
  return out;
}

std::vector<Reason> TierEngine::level_reasons(const Profiles& profiles, CustomerId customer) const {
  std::vector<Reason> out;
  if (!policy_.ladder) return out;
  const Place& place = places_[customer.value];
  const std::vector<Level>& levels = policy_.ladder->levels;
  add_dwell_reason(out, place.prior_level_since, profiles.at().micros);
  const auto add = [&](std::uint32_t l) {
    const bool staying = place.prior_level != no_level && l <= place.prior_level;
    add_threshold_reasons(out, levels[l].qualification, profiles, customer, staying,
                          ReasonRule::level, l);
  };
  // The level reached, and the next one up: what it would take to climb.
  const std::uint32_t next = place.level == no_level ? 0 : place.level + 1;
  if (place.level != no_level) add(place.level);
  if (next < levels.size()) add(next);
  return out;
}

std::vector<Timestamp> TierEngine::schedule(const Pool& pool, Timestamp after,
                                            Timestamp until) const {
  std::vector<Timestamp> times;
  const auto span = pool.events().span();
  if (!span) return times;
  const Zone zone = pool.options().zone;
  const LocalDate anchor =
      policy_.rebalance.anchor.value_or(zone.local_date(zone.add_days(span->first, 1)));
  const std::int64_t every = policy_.rebalance.every_days;
  // The first scheduled day after `after`, then every `every` days up to `until`.
  const std::int64_t anchor_day = detail::days_from_civil(anchor);
  const std::int64_t after_day = detail::days_from_civil(zone.local_date(after));
  std::int64_t k = detail::floor_div(after_day - anchor_day, every);
  for (;; ++k) {
    const Timestamp t = zone.at(detail::civil_from_days(anchor_day + k * every));
    if (t > until) break;
    if (t > after) times.push_back(t);
  }
  return times;
}

void TierEngine::replay(const Pool& pool, Timestamp until) {
  const auto span = pool.events().span();
  if (!span) return;
  const Timestamp after = last_.value_or(Timestamp{span->first.micros - 1});
  for (const Timestamp t : schedule(pool, after, until)) rebalance(pool, t);
}

std::vector<CustomerId> TierEngine::customers() const {
  std::vector<CustomerId> out;
  for (std::uint32_t c = 0; c < places_.size(); ++c) {
    if (places_[c].present) out.push_back(CustomerId{c});
  }
  return out;
}

Layer TierEngine::layer(CustomerId customer) const noexcept {
  return customer.value < places_.size() ? places_[customer.value].layer : Layer::periphery;
}

std::optional<std::uint32_t> TierEngine::level(CustomerId customer) const noexcept {
  if (customer.value >= places_.size() || places_[customer.value].level == no_level) {
    return std::nullopt;
  }
  return places_[customer.value].level;
}

TierAssignment TierEngine::assignment(CustomerId customer) const {
  TierAssignment result{.customer = customer};
  if (customer.value >= places_.size() || !places_[customer.value].present || !profiles_) {
    return result;
  }
  const Place& place = places_[customer.value];
  const auto since = [](std::int64_t t) {
    return t == never ? std::nullopt : std::optional<Timestamp>(Timestamp{t});
  };
  result.layer = place.layer;
  result.layer_since = since(place.layer_since);
  result.level = level(customer);
  result.level_since = result.level ? since(place.level_since) : std::nullopt;
  result.reasons = layer_reasons(*profiles_, customer);
  result.level_reasons = level_reasons(*profiles_, customer);
  return result;
}

TierCounts TierEngine::counts() const {
  TierCounts counts;
  if (policy_.ladder) counts.levels.assign(policy_.ladder->levels.size(), 0);
  for (const Place& place : places_) {
    if (!place.present) continue;
    ++counts.layers[static_cast<std::size_t>(place.layer)];
    if (place.level == no_level) {
      ++counts.without_level;
    } else {
      ++counts.levels[place.level];
    }
  }
  return counts;
}

namespace {

// Labels named `values`, with `label_of(customer)` for each customer the tiers placed.
template <class LabelOf>
CustomerLabels labels_of(const TierEngine& tiers, const Pool& pool, std::vector<std::string> values,
                         LabelOf label_of) {
  CustomerLabels labels{.values = std::move(values)};
  labels.of_customer.assign(pool.customers().size(), CustomerLabels::no_label);
  for (const CustomerId c : tiers.customers()) {
    if (c.value < labels.of_customer.size()) labels.of_customer[c.value] = label_of(c);
  }
  return labels;
}

}  // namespace

CustomerLabels layer_labels(const TierEngine& tiers, const Pool& pool) {
  std::vector<std::string> values;
  for (std::size_t l = 0; l < layer_count; ++l) {
    values.emplace_back(to_string(static_cast<Layer>(l)));
  }
  return labels_of(tiers, pool, std::move(values),
                   [&](CustomerId c) { return static_cast<std::uint32_t>(tiers.layer(c)); });
}

CustomerLabels level_labels(const TierEngine& tiers, const Pool& pool) {
  std::vector<std::string> values;
  if (tiers.policy().ladder) {
    for (const Level& level : tiers.policy().ladder->levels) values.push_back(level.key);
  }
  return labels_of(tiers, pool, std::move(values),
                   [&](CustomerId c) { return tiers.level(c).value_or(CustomerLabels::no_label); });
}

TierEngine replay_tiers(const Pool& pool, const TierPolicy& policy,
                        std::optional<Timestamp> until) {
  TierEngine engine(policy);
  const auto span = pool.events().span();
  if (span) engine.replay(pool, until.value_or(span->last));
  return engine;
}

}  // namespace siyu

#include "siyu/tiers/tier_policy.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <set>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/iso8601.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, layer_count> layer_names = {"core", "influence",
                                                                   "periphery"};
constexpr std::int64_t yuan = 100;  // fen
constexpr std::int64_t max_days = 36'500;

void check_threshold(const Threshold& t, const std::string& where) {
  const bool stricter_keep = higher_is_better(t.feature) ? t.keep > t.promote : t.keep < t.promote;
  if (stricter_keep) {
    throw ConfigError(ErrorCode::conflict,
                      "the keep bound " + std::to_string(t.keep) + " of " +
                          std::string(to_string(t.feature)) +
                          " is stricter than its promote bound " + std::to_string(t.promote) +
                          ": a customer could be promoted and demoted at once",
                      Where{.field = where});
  }
}

void check_qualification(const Qualification& q, const std::string& where) {
  for (std::size_t i = 0; i < q.all.size(); ++i) {
    check_threshold(q.all[i], where + ".all[" + std::to_string(i) + "]");
  }
  for (std::size_t i = 0; i < q.any.size(); ++i) {
    check_threshold(q.any[i], where + ".any[" + std::to_string(i) + "]");
  }
}

// Reading the file: every helper names the field path and line through the reader.
using detail::JsonObjectReader;
using detail::JsonValue;

Feature read_feature(const JsonValue& value, const std::string& source, const std::string& path) {
  const std::string& name = detail::json_string(value, source, path);
  if (auto feature = find_feature(name)) return *feature;
  throw ConfigError(ErrorCode::invalid_value,
                    "unknown feature " + detail::quoted(name) + " (docs/profile.md lists them)",
                    Where{.source = source, .line = value.line, .field = path});
}

std::int64_t read_bound(JsonObjectReader& reader, std::string_view key, Feature feature) {
  if (is_money(feature)) return reader.money(key).fen;
  return reader.integer(key, std::numeric_limits<std::int32_t>::min(),
                        std::numeric_limits<std::int64_t>::max());
}

Threshold read_threshold(const JsonValue& value, const std::string& source,
                         const std::string& path) {
  JsonObjectReader reader(value, source, path);
  Threshold t;
  t.feature = read_feature(reader.get("feature"), source, reader.path_of("feature"));
  t.promote = read_bound(reader, "promote", t.feature);
  t.keep = reader.find("keep") != nullptr ? read_bound(reader, "keep", t.feature) : t.promote;
  reader.finish();
  try {
    check_threshold(t, path);
  } catch (Error& e) {
    throw ConfigError(e.code(), e.message(),
                      Where{.source = source, .line = value.line, .field = path});
  }
  return t;
}

std::vector<Threshold> read_thresholds(JsonObjectReader& reader, std::string_view key) {
  std::vector<Threshold> thresholds;
  const auto& items = reader.array(key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    thresholds.push_back(read_threshold(items[i], reader.source(), reader.path_of(key, i)));
  }
  return thresholds;
}

// Reads `all` and `any` of the object at `key`, keeping `q` where both are absent.
Qualification read_qualification(JsonObjectReader& reader, Qualification q) {
  const bool has_all = reader.find("all") != nullptr;
  const bool has_any = reader.find("any") != nullptr;
  if (has_all || has_any) {
    q.all = has_all ? read_thresholds(reader, "all") : std::vector<Threshold>{};
    q.any = has_any ? read_thresholds(reader, "any") : std::vector<Threshold>{};
  }
  return q;
}

std::vector<Feature> read_rank(JsonObjectReader& reader, std::vector<Feature> rank) {
  if (reader.find("rank_by") == nullptr) return rank;
  rank.clear();
  const auto& items = reader.array("rank_by");
  for (std::size_t i = 0; i < items.size(); ++i) {
    rank.push_back(read_feature(items[i], reader.source(), reader.path_of("rank_by", i)));
  }
  return rank;
}

Duration read_days(JsonObjectReader& reader, std::string_view key, Duration current) {
  if (reader.find(key) == nullptr) return current;
  return Duration::days(reader.integer(key, 1, max_days));
}

MembershipLadder read_ladder(JsonObjectReader reader) {
  MembershipLadder ladder;
  const auto& items = reader.array("levels");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < items.size(); ++i) {
    JsonObjectReader level_reader(items[i], reader.source(), reader.path_of("levels", i));
    Level level;
    level.key = level_reader.string("key");
    if (level.key.empty() || !keys.insert(level.key).second) {
      throw level_reader.error(items[i], level_reader.path_of("key"), ErrorCode::conflict,
                               level.key.empty()
                                   ? "a level needs a key"
                                   : "level key " + detail::quoted(level.key) + " is used twice");
    }
    level.name = level_reader.find("name") != nullptr ? level_reader.string("name") : level.key;
    level.qualification = read_qualification(level_reader, {});
    if (level_reader.find("route") != nullptr) level.route = level_reader.string("route");
    level_reader.finish();
    ladder.levels.push_back(std::move(level));
  }
  if (ladder.levels.empty()) {
    throw reader.error(reader.get("levels"), reader.path_of("levels"), ErrorCode::invalid_value,
                       "a ladder needs at least one level");
  }
  reader.finish();
  return ladder;
}

LocalDate read_date(JsonObjectReader& reader, std::string_view key) {
  const JsonValue& value = reader.get(key);
  const std::string& text = detail::json_string(value, reader.source(), reader.path_of(key));
  try {
    return parse_local_date(text);
  } catch (Error& e) {
    throw ConfigError(
        e.code(), e.message(),
        Where{.source = reader.source(), .line = value.line, .field = reader.path_of(key)});
  }
}

}  // namespace

std::string_view to_string(Layer layer) noexcept {
  return layer_names[static_cast<std::size_t>(layer)];
}

std::optional<Layer> find_layer(std::string_view name) noexcept {
  for (std::size_t l = 0; l < layer_count; ++l) {
    if (layer_names[l] == name) return static_cast<Layer>(l);
  }
  return std::nullopt;
}

TierPolicy TierPolicy::defaults() {
  TierPolicy policy;
  policy.core.all = {
      Threshold{.feature = Feature::recent_orders, .promote = 2, .keep = 1},
      Threshold{.feature = Feature::recent_spend, .promote = 800 * yuan, .keep = 400 * yuan}};
  policy.core_rank = {Feature::recent_spend, Feature::recent_orders, Feature::days_since_order};
  policy.influence.any = {
      Threshold{.feature = Feature::recent_content_shares, .promote = 3, .keep = 1},
      Threshold{.feature = Feature::recent_converted_invitations, .promote = 1, .keep = 1},
      Threshold{.feature = Feature::recent_content_created, .promote = 1, .keep = 1}};
  policy.influence_rank = {Feature::recent_converted_invitations, Feature::recent_content_shares,
                           Feature::recent_content_created};
  return policy;
}

void TierPolicy::validate() const {
  const auto conflict = [](const std::string& field, const std::string& message) {
    throw ConfigError(ErrorCode::conflict, message, Where{.field = field});
  };
  if (window.micros <= 0) conflict("window_days", "the window must be positive");
  if (min_dwell.micros < 0) conflict("min_dwell_days", "the minimum dwell must not be negative");
  if (rebalance.every_days < 1)
    conflict("rebalance.every_days", "rebalances need at least a day apart");
  if (capacity.seats_per_group == 0 || capacity.group_members == 0) {
    conflict("capacity.seats_per_group",
             "a group capacity of 0 leaves no core at all; remove the core rule instead");
  }
  if (capacity.seats_per_owner == 0) {
    conflict("capacity.seats_per_owner", "an owner capacity of 0 leaves no core at all");
  }
  check_qualification(core, "core");
  check_qualification(influence, "influence");
  if (ladder) {
    if (ladder->levels.empty()) conflict("ladder.levels", "a ladder needs at least one level");
    std::set<std::string_view> keys;
    for (std::size_t i = 0; i < ladder->levels.size(); ++i) {
      const Level& level = ladder->levels[i];
      const std::string where = "ladder.levels[" + std::to_string(i) + "]";
      if (level.key.empty() || !keys.insert(level.key).second) {
        conflict(where + ".key", "level keys must be unique and not empty");
      }
      check_qualification(level.qualification, where);
    }
  }
}

namespace {

TierPolicy policy_from(const JsonValue& document, const std::string& source) {
  JsonObjectReader reader(document, source, "");
  TierPolicy policy = TierPolicy::defaults();
  policy.window = read_days(reader, "window_days", policy.window);
  policy.min_dwell = reader.find("min_dwell_days") != nullptr
                         ? Duration::days(reader.integer("min_dwell_days", 0, max_days))
                         : policy.min_dwell;
  if (reader.find("core") != nullptr) {
    JsonObjectReader core = reader.object("core");
    policy.core = read_qualification(core, policy.core);
    policy.core_rank = read_rank(core, policy.core_rank);
    core.finish();
  }
  if (reader.find("influence") != nullptr) {
    JsonObjectReader influence = reader.object("influence");
    policy.influence = read_qualification(influence, policy.influence);
    policy.influence_rank = read_rank(influence, policy.influence_rank);
    influence.finish();
  }
  if (reader.find("capacity") != nullptr) {
    JsonObjectReader capacity = reader.object("capacity");
    const auto seats = [&](std::string_view key, std::uint32_t current) {
      return capacity.find(key) != nullptr
                 ? static_cast<std::uint32_t>(capacity.integer(key, 0, 1'000'000))
                 : current;
    };
    policy.capacity.seats_per_group = seats("seats_per_group", policy.capacity.seats_per_group);
    policy.capacity.group_members = seats("group_members", policy.capacity.group_members);
    policy.capacity.seats_per_owner = seats("seats_per_owner", policy.capacity.seats_per_owner);
    capacity.finish();
  }
  if (reader.find("rebalance") != nullptr) {
    JsonObjectReader rebalance = reader.object("rebalance");
    if (rebalance.find("every_days") != nullptr) {
      policy.rebalance.every_days =
          static_cast<std::int32_t>(rebalance.integer("every_days", 1, max_days));
    }
    if (rebalance.find("anchor") != nullptr)
      policy.rebalance.anchor = read_date(rebalance, "anchor");
    rebalance.finish();
  }
  if (reader.find("ladder") != nullptr) policy.ladder = read_ladder(reader.object("ladder"));
  reader.finish();
  detail::validate_document(document, source, [&] { policy.validate(); });
  return policy;
}

}  // namespace

TierPolicy parse_tier_policy(std::string_view json, const std::string& source) {
  return policy_from(detail::parse_json_document(json, source), source);
}

TierPolicy read_tier_policy(const std::string& path) {
  return policy_from(detail::read_json_file(path), path);
}

}  // namespace siyu

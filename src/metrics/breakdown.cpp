#include "siyu/metrics/breakdown.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

#include "core/text.hpp"
#include "metrics/breakdown_index.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, 8> dimension_names = {
    "channel", "live_code", "owner", "store", "branch", "tag_group", "tier", "level"};
constexpr std::string_view tag_group_prefix = "tag_group:";

// First touch: the person's first friend_added event names the channel and the staff member
// who added them; a customer without one falls back to the directory's record.
struct FirstTouch {
  ChannelId channel;
  StaffId owner;
};

FirstTouch first_touch(const Pool& pool, CustomerId customer) {
  const EventLog& log = pool.events();
  const EventLog::Range range = log.range(customer);
  const auto types = log.types();
  for (std::size_t p = range.begin; p < range.end; ++p) {
    if (types[p] != EventType::friend_added) continue;
    const std::uint16_t channel = log.channels()[p];
    return {channel == 0xFFFF ? ChannelId{} : ChannelId{channel}, StaffId{log.staff()[p]}};
  }
  const Customer& c = pool.customers()[customer];
  return {c.channel, c.owner_history.empty() ? c.owner : c.owner_history.front().to};
}

}  // namespace

Breakdown parse_breakdown(std::string_view text) {
  if (text.starts_with(tag_group_prefix) && text.size() > tag_group_prefix.size()) {
    return Breakdown{.dimension = Dimension::tag_group,
                     .tag_group = std::string(text.substr(tag_group_prefix.size()))};
  }
  for (std::size_t i = 0; i < dimension_names.size(); ++i) {
    if (dimension_names[i] == text && static_cast<Dimension>(i) != Dimension::tag_group) {
      return Breakdown{.dimension = static_cast<Dimension>(i)};
    }
  }
  throw ParseError(ErrorCode::invalid_value,
                   "unknown breakdown " + detail::quoted(text) +
                       " (use channel, live_code, owner, store, branch, tier, level or "
                       "tag_group:<key>)",
                   Where{.field = "by"});
}

std::string to_string(const Breakdown& breakdown) {
  if (breakdown.dimension == Dimension::tag_group) {
    return std::string(tag_group_prefix) + breakdown.tag_group;
  }
  return std::string(dimension_names[static_cast<std::size_t>(breakdown.dimension)]);
}

detail::BreakdownIndex detail::index_breakdown(const Pool& pool, const Breakdown& breakdown) {
  TagGroupId group;
  if (breakdown.dimension == Dimension::tag_group) {
    const auto found = pool.tag_groups().find(breakdown.tag_group);
    if (!found) {
      throw NotFound("no tag group with key \"" + breakdown.tag_group + "\"", Where{.field = "by"});
    }
    group = *found;
  }
  // Values are the directories' (or the labels') own strings: nothing is copied per customer.
  static const std::string none;
  const CustomerLabels& labels = breakdown.labels;
  const bool labelled =
      breakdown.dimension == Dimension::tier || breakdown.dimension == Dimension::level;
  if (labelled && labels.of_customer.size() != pool.customers().size()) {
    throw ConfigError(ErrorCode::missing_field,
                      "a " + to_string(breakdown) +
                          " breakdown needs each customer's value in Breakdown::labels (from "
                          "the tiers module: layer_labels or level_labels)",
                      Where{.field = "by"});
  }
  const auto value_of = [&](CustomerId id) -> const std::string& {
    const Customer& c = pool.customers()[id];
    switch (breakdown.dimension) {
      case Dimension::live_code:
        return c.live_code.has_value() ? pool.live_codes()[c.live_code].key : none;
      case Dimension::tag_group:
        for (TagId tag : c.tags) {
          if (pool.tags()[tag].group == group) return pool.tags()[tag].key;
        }
        return none;
      case Dimension::tier:
      case Dimension::level: {
        const std::uint32_t label = labels.of_customer[id.value];
        return label == CustomerLabels::no_label ? none : labels.values.at(label);
      }
      default: break;
    }
    const FirstTouch touch = first_touch(pool, id);
    if (breakdown.dimension == Dimension::channel) {
      return touch.channel.has_value() ? pool.channels()[touch.channel].key : none;
    }
    if (!touch.owner.has_value()) return none;
    const Staff& owner = pool.staff()[touch.owner];
    if (breakdown.dimension == Dimension::owner) return owner.key;
    return breakdown.dimension == Dimension::store ? owner.store : owner.branch;
  };
  const std::size_t customers = pool.customers().size();
  std::vector<const std::string*> value(customers);
  std::unordered_map<std::string_view, std::uint32_t> groups;
  for (std::uint32_t c = 0; c < customers; ++c) {
    value[c] = &value_of(CustomerId{c});
    groups.emplace(*value[c], 0);
  }
  // Ascending by value, the customers without one last.
  std::vector<std::string_view> sorted;
  sorted.reserve(groups.size());
  for (const auto& entry : groups) sorted.push_back(entry.first);
  std::sort(sorted.begin(), sorted.end(), [](std::string_view a, std::string_view b) {
    return a.empty() != b.empty() ? b.empty() : a < b;
  });
  BreakdownIndex index;
  for (std::string_view v : sorted) {
    groups[v] = static_cast<std::uint32_t>(index.values.size());
    index.values.emplace_back(v);
  }
  index.group_of.reserve(customers);
  for (const std::string* v : value) index.group_of.push_back(groups.at(*v));
  return index;
}

}  // namespace siyu

#include "siyu/report/tier_report.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

std::string time_json(std::optional<Timestamp> t, Zone zone) {
  return t ? json_quote(format_timestamp(*t, zone)) : "null";
}

std::string_view check_name(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::threshold: return "threshold";
    case ReasonKind::group_seats: return "group_seats";
    case ReasonKind::owner_seats: return "owner_seats";
    case ReasonKind::dwell: return "dwell";
  }
  return "";
}

// A layer or level of a move, by name; "" for no level.
std::string place_name(const TierMove& move, std::optional<std::uint32_t> place,
                       const TierPolicy& policy) {
  if (!place) return {};
  if (!move.level) return std::string(to_string(static_cast<Layer>(*place)));
  return policy.ladder->levels[*place].key;
}

std::string level_name(std::optional<std::uint32_t> level, const TierPolicy& policy) {
  return level ? policy.ladder->levels[*level].key : std::string();
}

void write_reasons_json(std::ostream& out, const std::vector<Reason>& reasons, const Pool& pool,
                        const TierPolicy& policy) {
  out << '[';
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const Reason& r = reasons[i];
    out << (i > 0 ? ", " : "") << "{\"rule\": " << json_quote(rule_key(r, policy))
        << ", \"check\": " << json_quote(check_name(r.kind));
    switch (r.kind) {
      case ReasonKind::threshold:
        out << ", \"feature\": " << json_quote(to_string(r.feature))
            << ", \"bound_kind\": " << (r.promote ? "\"promote\"" : "\"keep\"")
            << ", \"any\": " << (r.any ? "true" : "false");
        break;
      case ReasonKind::group_seats:
        out << ", \"group\": " << json_quote(pool.groups()[r.group].key);
        break;
      case ReasonKind::owner_seats:
        out << ", \"owner\": " << json_quote(pool.staff()[r.owner].key);
        break;
      case ReasonKind::dwell: break;
    }
    out << ", \"value\": " << (r.value ? std::to_string(*r.value) : "null")
        << ", \"bound\": " << r.bound << ", \"met\": " << (r.met ? "true" : "false")
        << ", \"text\": " << json_quote(describe(r, pool, policy)) << '}';
  }
  out << ']';
}

void write_customer_json(std::ostream& out, const Pool& pool, const TierEngine& tiers,
                         CustomerId customer, Zone zone) {
  const TierAssignment a = tiers.assignment(customer);
  const std::string level = level_name(a.level, tiers.policy());
  out << "{\"customer\": " << json_quote(pool.customers()[customer].key)
      << ", \"layer\": " << json_quote(to_string(a.layer))
      << ", \"layer_since\": " << time_json(a.layer_since, zone)
      << ", \"level\": " << (a.level ? json_quote(level) : "null")
      << ", \"level_since\": " << time_json(a.level_since, zone) << ", \"reasons\": ";
  write_reasons_json(out, a.reasons, pool, tiers.policy());
  out << ", \"level_reasons\": ";
  write_reasons_json(out, a.level_reasons, pool, tiers.policy());
  out << '}';
}

std::vector<CustomerId> chosen_customers(const TierEngine& tiers,
                                         const TierReportOptions& options) {
  if (options.customer) return {*options.customer};
  return tiers.customers();
}

std::vector<const TierMove*> chosen_moves(const TierEngine& tiers,
                                          const TierReportOptions& options) {
  std::vector<const TierMove*> moves;
  for (const TierMove& move : tiers.history()) {
    if (!options.customer || move.customer == *options.customer) moves.push_back(&move);
  }
  return moves;
}

void write_json(std::ostream& out, const Pool& pool, const TierEngine& tiers,
                const TierReportOptions& options) {
  const TierPolicy& policy = tiers.policy();
  const TierCounts counts = tiers.counts();
  out << "{\"rebalanced_at\": " << time_json(tiers.last_rebalance(), options.zone)
      << ", \"layers\": {";
  for (std::size_t l = 0; l < layer_count; ++l) {
    out << (l > 0 ? ", " : "") << json_quote(to_string(static_cast<Layer>(l))) << ": "
        << counts.layers[l];
  }
  out << "}, \"levels\": [";
  for (std::size_t l = 0; l < counts.levels.size(); ++l) {
    const Level& level = policy.ladder->levels[l];
    out << (l > 0 ? ", " : "") << "{\"level\": " << json_quote(level.key)
        << ", \"name\": " << json_quote(level.name) << ", \"route\": " << json_quote(level.route)
        << ", \"customers\": " << counts.levels[l] << '}';
  }
  out << "], \"without_level\": " << counts.without_level << ", \"customers\": [";
  const std::vector<CustomerId> customers = chosen_customers(tiers, options);
  for (std::size_t i = 0; i < customers.size(); ++i) {
    if (i > 0) out << ", ";
    write_customer_json(out, pool, tiers, customers[i], options.zone);
  }
  out << ']';
  if (options.history) {
    out << ", \"history\": [";
    const std::vector<const TierMove*> moves = chosen_moves(tiers, options);
    for (std::size_t i = 0; i < moves.size(); ++i) {
      const TierMove& m = *moves[i];
      const auto name = [&](std::optional<std::uint32_t> place) {
        return place ? json_quote(place_name(m, place, policy)) : std::string("null");
      };
      out << (i > 0 ? ", " : "") << "{\"at\": " << json_quote(format_timestamp(m.at, options.zone))
          << ", \"customer\": " << json_quote(pool.customers()[m.customer].key)
          << ", \"kind\": " << (m.level ? "\"level\"" : "\"layer\"")
          << ", \"from\": " << name(m.from) << ", \"to\": " << name(m.to) << ", \"reasons\": ";
      write_reasons_json(out, m.reasons, pool, policy);
      out << '}';
    }
    out << ']';
  }
  out << "}\n";
}

ReportTable customer_rows(const Pool& pool, const TierEngine& tiers,
                          const TierReportOptions& options) {
  ReportTable table{.header = {"customer", "layer", "layer_since", "level", "level_since"}};
  const auto time = [&](std::optional<Timestamp> t) {
    return t ? format_timestamp(*t, options.zone) : std::string();
  };
  for (const CustomerId c : chosen_customers(tiers, options)) {
    const TierAssignment a = tiers.assignment(c);
    table.rows.push_back({pool.customers()[c].key, std::string(to_string(a.layer)),
                          time(a.layer_since), level_name(a.level, tiers.policy()),
                          time(a.level_since)});
  }
  return table;
}

ReportTable move_rows(const Pool& pool, const TierEngine& tiers, const TierReportOptions& options) {
  ReportTable table{.header = {"at", "customer", "kind", "from", "to", "reasons"}};
  for (const TierMove* m : chosen_moves(tiers, options)) {
    std::string reasons;
    for (const Reason& r : m->reasons) {
      reasons += (reasons.empty() ? "" : "; ") + describe(r, pool, tiers.policy());
    }
    table.rows.push_back({format_timestamp(m->at, options.zone), pool.customers()[m->customer].key,
                          m->level ? "level" : "layer", place_name(*m, m->from, tiers.policy()),
                          place_name(*m, m->to, tiers.policy()), reasons});
  }
  return table;
}

void write_table(std::ostream& out, const Pool& pool, const TierEngine& tiers,
                 const TierReportOptions& options) {
  const TierCounts counts = tiers.counts();
  std::uint64_t total = 0;
  for (const std::uint64_t n : counts.layers) total += n;
  const auto share = [&](std::uint64_t n) {
    return detail::percent(total == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(total));
  };
  const auto last = tiers.last_rebalance();
  out << "tiers: " << total << " customers, "
      << (last ? "rebalanced at " + format_timestamp(*last, options.zone)
               : std::string("no rebalance yet"))
      << '\n';
  ReportTable layers{.header = {"layer", "customers", "share"}};
  for (std::size_t l = 0; l < layer_count; ++l) {
    layers.rows.push_back({std::string(to_string(static_cast<Layer>(l))),
                           std::to_string(counts.layers[l]), share(counts.layers[l])});
  }
  layers.print(out);
  if (tiers.policy().ladder) {
    out << '\n';
    ReportTable levels{.header = {"level", "name", "customers", "share", "route"}};
    for (std::size_t l = 0; l < counts.levels.size(); ++l) {
      const Level& level = tiers.policy().ladder->levels[l];
      levels.rows.push_back({level.key, level.name, std::to_string(counts.levels[l]),
                             share(counts.levels[l]), level.route});
    }
    levels.rows.push_back(
        {"(none)", "", std::to_string(counts.without_level), share(counts.without_level), ""});
    levels.print(out);
  }
  if (options.customer) {
    const TierAssignment a = tiers.assignment(*options.customer);
    out << '\n'
        << pool.customers()[*options.customer].key << ": " << to_string(a.layer)
        << (a.level ? ", level " + level_name(a.level, tiers.policy()) : std::string()) << '\n';
    for (const Reason& r : a.reasons) out << "  " << describe(r, pool, tiers.policy()) << '\n';
    for (const Reason& r : a.level_reasons) {
      out << "  " << describe(r, pool, tiers.policy()) << '\n';
    }
  }
  if (options.history) {
    out << '\n';
    move_rows(pool, tiers, options).print(out);
  }
}

}  // namespace

void write_tiers(std::ostream& out, const Pool& pool, const TierEngine& tiers, OutputFormat format,
                 const TierReportOptions& options) {
  switch (format) {
    case OutputFormat::json: write_json(out, pool, tiers, options); return;
    case OutputFormat::csv:
      (options.history ? move_rows(pool, tiers, options) : customer_rows(pool, tiers, options))
          .print_csv(out);
      return;
    case OutputFormat::table: write_table(out, pool, tiers, options); return;
  }
}

}  // namespace siyu

#include <algorithm>
#include <array>
#include <set>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/products/product_matrix.hpp"

namespace siyu {

namespace {

using detail::JsonObjectReader;
using detail::JsonValue;

constexpr std::array<std::pair<std::string_view, ProductRole>, 4> declarable_roles = {{
    {"traffic", ProductRole::traffic},
    {"star", ProductRole::star},
    {"personalized", ProductRole::personalized},
    {"premium", ProductRole::premium},
}};

// A whole percent field into basis points.
void read_percent(JsonObjectReader& reader, std::string_view key, std::int32_t& bp) {
  if (reader.find(key) != nullptr)
    bp = static_cast<std::int32_t>(reader.integer(key, 0, 100) * 100);
}

void read_yuan(JsonObjectReader& reader, std::string_view key, Money& money) {
  if (reader.find(key) != nullptr) money = reader.money(key);
}

void read_product(const JsonValue& value, const std::string& source, const std::string& path,
                  MatrixPolicy& policy, std::set<std::string>& seen) {
  JsonObjectReader reader(value, source, path);
  const std::string sku = reader.string("sku");
  if (!seen.insert(sku).second) {
    throw reader.error(value, path, ErrorCode::conflict,
                       "product " + detail::quoted(sku) + " is listed twice");
  }
  if (const JsonValue* role = reader.find("role")) {
    const std::string& name = detail::json_string(*role, source, reader.path_of("role"));
    const auto* found = std::find_if(declarable_roles.begin(), declarable_roles.end(),
                                     [&](const auto& r) { return r.first == name; });
    if (found == declarable_roles.end()) {
      throw reader.error(*role, reader.path_of("role"), ErrorCode::invalid_value,
                         "unknown role " + detail::quoted(name) +
                             ": expected traffic, star, personalized or premium");
    }
    policy.roles[sku] = found->second;
  }
  if (reader.find("quality") != nullptr) {
    policy.quality[sku] = static_cast<std::int32_t>(reader.integer("quality", 1, 5));
  }
  reader.finish();
}

MatrixPolicy policy_from(const JsonValue& document, const std::string& source) {
  JsonObjectReader reader(document, source, "");
  MatrixPolicy policy;
  if (reader.find("classification") != nullptr) {
    JsonObjectReader c = reader.object("classification");
    read_percent(c, "star_margin_percent", policy.star_margin_bp);
    read_percent(c, "premium_margin_percent", policy.premium_margin_bp);
    read_yuan(c, "premium_min_price", policy.premium_min_price);
    c.finish();
  }
  if (reader.find("data_checks") != nullptr) {
    JsonObjectReader d = reader.object("data_checks");
    read_yuan(d, "traffic_max_ticket", policy.traffic_max_ticket);
    read_percent(d, "traffic_min_reach_percent", policy.traffic_min_reach_bp);
    read_percent(d, "star_min_repeat_percent", policy.star_min_repeat_bp);
    d.finish();
  }
  if (reader.find("linkage") != nullptr) {
    JsonObjectReader l = reader.object("linkage");
    read_percent(l, "min_path_percent", policy.min_path_bp);
    read_percent(l, "min_repeat_percent", policy.min_repeat_bp);
    read_percent(l, "min_active_weeks_percent", policy.min_active_weeks_bp);
    read_percent(l, "max_price_ratio_percent", policy.max_price_ratio_bp);
    read_percent(l, "refund_tolerance_percent", policy.refund_tolerance_bp);
    if (l.find("acquisition_cost") != nullptr)
      policy.acquisition_cost = l.money("acquisition_cost");
    if (l.find("min_payback_percent") != nullptr) {
      policy.min_payback_bp =
          static_cast<std::int32_t>(l.integer("min_payback_percent", 0, 1000) * 100);
    }
    l.finish();
  }
  if (reader.find("products") != nullptr) {
    const auto& items = reader.array("products");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      read_product(items[i], source, reader.path_of("products", i), policy, seen);
    }
  }
  if (reader.find("pairs") != nullptr) {
    const auto& items = reader.array("pairs");
    for (std::size_t i = 0; i < items.size(); ++i) {
      JsonObjectReader pair(items[i], source, reader.path_of("pairs", i));
      policy.pairs.emplace_back(pair.string("traffic"), pair.string("star"));
      pair.finish();
    }
  }
  reader.finish();
  detail::validate_document(document, source, [&] { policy.validate(); });
  return policy;
}

}  // namespace

void MatrixPolicy::validate() const {
  const auto conflict = [](const std::string& field, const std::string& message) {
    throw ConfigError(ErrorCode::conflict, message, Where{.field = field});
  };
  const auto share = [&](std::int32_t bp, const std::string& field) {
    if (bp < 0 || bp > 100'00) conflict(field, "a share or margin lies within 0-100%");
  };
  share(star_margin_bp, "classification.star_margin_percent");
  share(premium_margin_bp, "classification.premium_margin_percent");
  share(traffic_min_reach_bp, "data_checks.traffic_min_reach_percent");
  share(star_min_repeat_bp, "data_checks.star_min_repeat_percent");
  share(min_path_bp, "linkage.min_path_percent");
  share(min_repeat_bp, "linkage.min_repeat_percent");
  share(min_active_weeks_bp, "linkage.min_active_weeks_percent");
  share(max_price_ratio_bp, "linkage.max_price_ratio_percent");
  share(refund_tolerance_bp, "linkage.refund_tolerance_percent");
  if (min_payback_bp < 0) conflict("linkage.min_payback_percent", "a payback is not negative");
  if (premium_min_price.fen < 0)
    conflict("classification.premium_min_price", "a price is not negative");
  if (traffic_max_ticket.fen < 0)
    conflict("data_checks.traffic_max_ticket", "a price is not negative");
  if (acquisition_cost && acquisition_cost->fen <= 0) {
    conflict("linkage.acquisition_cost",
             "an acquisition cost is positive; leave it out when unknown");
  }
  for (const auto& [sku, q] : quality) {
    if (q < 1 || q > 5)
      conflict("products", "quality of " + detail::quoted(sku) + " lies within 1-5");
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].first == pairs[i].second) {
      conflict("pairs[" + std::to_string(i) + "]", "a pair names two different products");
    }
  }
}

MatrixPolicy parse_matrix_policy(std::string_view json, const std::string& source) {
  return policy_from(detail::parse_json_document(json, source), source);
}

MatrixPolicy read_matrix_policy(const std::string& path) {
  return policy_from(detail::read_json_file(path), path);
}

}  // namespace siyu

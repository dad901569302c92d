#include "siyu/products/product_matrix.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "core/judged.hpp"
#include "core/text.hpp"
#include "metrics/quantile.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, product_role_count> role_names = {
    "traffic", "star", "personalized", "premium", "unclassified"};
constexpr std::int64_t micros_per_week = 7LL * 86'400'000'000;
constexpr std::int64_t whole = 10'000;  // basis points in one

std::string percent(std::int64_t bp) { return detail::basis_points_text(bp); }
std::string yuan(std::int64_t fen) { return detail::yuan_text(fen); }

// part / total in basis points, rounded down; none for an empty total.
std::optional<std::int64_t> share_bp(std::uint64_t part, std::uint64_t total) {
  if (total == 0) return std::nullopt;
  return static_cast<std::int64_t>(part * static_cast<std::uint64_t>(whole) / total);
}

struct Order {
  std::uint32_t person;
  std::uint32_t product;
  std::int64_t ts;
  std::int64_t amount;
  bool refunded;
};

// What one pass over the log gathers: the period's orders, by person then time.
std::vector<Order> period_orders(const Pool& pool, std::int64_t from, std::int64_t at) {
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const auto types = log.types();
  const auto products = log.products();
  const auto amounts = log.amounts();
  const auto refs = log.refs();
  std::vector<Order> orders;
  // A refund names an order id: the person's latest order with that id takes it.
  std::unordered_map<std::uint64_t, std::size_t> latest_order;
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const std::uint32_t person = pool.person(CustomerId{c}).value;
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t p = range.begin; p < range.end && ts[p] <= at; ++p) {
      const std::uint64_t key = (std::uint64_t{person} << 32U) | refs[p];
      if (types[p] == EventType::order_paid && ts[p] >= from &&
          products[p] != ProductId::none_value) {
        latest_order[key] = orders.size();
        orders.push_back(Order{person, products[p], ts[p], amounts[p], false});
      } else if (types[p] == EventType::order_refunded) {
        const auto found = latest_order.find(key);
        if (found != latest_order.end()) orders[found->second].refunded = true;
      }
    }
  }
  std::stable_sort(orders.begin(), orders.end(), [](const Order& a, const Order& b) {
    return a.person != b.person ? a.person < b.person : a.ts < b.ts;
  });
  return orders;
}

// A judged check whose sentence ends with its verdict.
Check check(std::string name, CheckUnit unit, std::optional<std::int64_t> figure,
            std::int64_t bound, bool passed, std::string text) {
  return detail::judged(std::move(name), unit, figure, bound, passed,
                        std::move(text) + (passed ? " (passed)" : " (failed)"));
}

// A classification reason states its conclusion, so it carries no verdict suffix.
using detail::judged;

std::vector<Check> classify(const Product& product, const MatrixPolicy& policy, ProductRole& role,
                            bool& declared) {
  std::vector<Check> reasons;
  if (const auto found = policy.roles.find(product.key); found != policy.roles.end()) {
    role = found->second;
    declared = true;
    reasons.push_back(judged("declared", CheckUnit::none, std::nullopt, 0, true,
                             fmt::format("declared {} in the matrix policy", to_string(role))));
    return reasons;
  }
  role = ProductRole::unclassified;
  if (product.standardization == Standardization::unknown || !product.margin_basis_points) {
    reasons.push_back(
        judged("declaration", CheckUnit::none, std::nullopt, 0, false,
               product.standardization == Standardization::unknown
                   ? "standardization not declared: declare it, or the role in the matrix policy"
                   : "gross margin not declared: declare it, or the role in the matrix policy"));
    return reasons;
  }
  const std::int64_t margin = *product.margin_basis_points;
  if (product.standardization == Standardization::standard) {
    const bool star = margin >= policy.star_margin_bp;
    role = star ? ProductRole::star : ProductRole::traffic;
    reasons.push_back(
        judged("margin", CheckUnit::basis_points, margin, policy.star_margin_bp, star,
               fmt::format("standard, margin {} {} {}: {}", percent(margin), star ? ">=" : "<",
                           percent(policy.star_margin_bp), star ? "star" : "traffic")));
    return reasons;
  }
  const bool high_margin = margin >= policy.premium_margin_bp;
  const bool high_price = product.price >= policy.premium_min_price;
  const bool premium = high_margin && high_price;
  role = premium ? ProductRole::premium : ProductRole::personalized;
  const std::string_view verdict = premium ? "premium" : "personalized";
  reasons.push_back(judged("margin", CheckUnit::basis_points, margin, policy.premium_margin_bp,
                           high_margin,
                           fmt::format("non-standard, margin {} {} {}{}", percent(margin),
                                       high_margin ? ">=" : "<", percent(policy.premium_margin_bp),
                                       high_margin ? "" : fmt::format(": {}", verdict))));
  reasons.push_back(
      judged("price", CheckUnit::fen, product.price.fen, policy.premium_min_price.fen, high_price,
             fmt::format("price {} {} {}: {}", yuan(product.price.fen), high_price ? ">=" : "<",
                         yuan(policy.premium_min_price.fen), verdict)));
  return reasons;
}

std::vector<Check> data_checks(ProductRole role, const ProductFigures& f,
                               const MatrixPolicy& policy) {
  std::vector<Check> checks;
  const auto ticket = [&](bool at_most, std::int64_t bound, std::string_view why) {
    const bool passed = f.ticket && (at_most ? *f.ticket <= bound : *f.ticket > bound);
    checks.push_back(check("ticket", CheckUnit::fen, f.ticket, bound, passed,
                           f.ticket ? fmt::format("mean order {} {} {} {}", yuan(*f.ticket),
                                                  at_most ? "<=" : ">", yuan(bound), why)
                                    : fmt::format("no orders in the period {}", why)));
  };
  switch (role) {
    case ProductRole::traffic:
      ticket(true, policy.traffic_max_ticket.fen, "(a token price)");
      checks.push_back(check("reach", CheckUnit::basis_points, f.reach_bp,
                             policy.traffic_min_reach_bp,
                             f.reach_bp && *f.reach_bp >= policy.traffic_min_reach_bp,
                             fmt::format("bought by {} of buyers >= {} (reaches many)",
                                         f.reach_bp ? percent(*f.reach_bp) : "none",
                                         percent(policy.traffic_min_reach_bp))));
      break;
    case ProductRole::star:
      ticket(false, policy.traffic_max_ticket.fen, "(more than a token price)");
      checks.push_back(check("repeat", CheckUnit::basis_points, f.repeat_bp,
                             policy.star_min_repeat_bp,
                             f.repeat_bp && *f.repeat_bp >= policy.star_min_repeat_bp,
                             fmt::format("{} of its buyers bought it again >= {}",
                                         f.repeat_bp ? percent(*f.repeat_bp) : "none",
                                         percent(policy.star_min_repeat_bp))));
      break;
    case ProductRole::premium:
      ticket(false, policy.premium_min_price.fen - 1, "(a premium ticket)");
      break;
    case ProductRole::personalized:
      ticket(false, policy.traffic_max_ticket.fen, "(more than a token price)");
      break;
    case ProductRole::unclassified: break;
  }
  return checks;
}

// Per pair: who took each product first and when, and what their first order was.
struct PairTally {
  std::uint64_t converted = 0;
  std::vector<std::int64_t> delays;
  std::int64_t entry_amount = 0;  // first orders of customers whose first order was traffic
  std::uint64_t entries = 0;
};

LinkageAudit audit(const Pool& pool, ProductId traffic, ProductId star, const PairTally& tally,
                   const std::vector<ProductAssessment>& assessed, const MatrixPolicy& policy,
                   std::uint32_t period_weeks) {
  const Product& t = pool.products()[traffic];
  const Product& s = pool.products()[star];
  const ProductFigures& tf = assessed[traffic.value].figures;
  const ProductFigures& sf = assessed[star.value].figures;
  LinkageAudit a{.traffic = traffic, .star = star, .converted = tally.converted};

  const bool same_line = !t.category.empty() && t.category == s.category;
  const bool step_up = t.price < s.price;
  a.checks.push_back(
      check("association", CheckUnit::none, std::nullopt, 0, same_line && step_up,
            fmt::format("{} ({}) and {} ({}): {}; price {} -> {}", t.key, t.category, s.key,
                        s.category, same_line ? "same line" : "different lines", yuan(t.price.fen),
                        yuan(s.price.fen))));

  a.checks.push_back(
      check("universality", CheckUnit::count, static_cast<std::int64_t>(tf.buyers),
            static_cast<std::int64_t>(sf.buyers), tf.buyers >= sf.buyers && tf.buyers > 0,
            fmt::format("{} took {}, {} bought {}: the traffic product should reach more",
                        tf.buyers, t.key, sf.buyers, s.key)));
  const std::optional<std::int64_t> path = share_bp(tally.converted, sf.buyers);
  a.checks.push_back(
      check("path", CheckUnit::basis_points, path, policy.min_path_bp,
            path && *path >= policy.min_path_bp,
            fmt::format("{} of {}'s {} buyers took {} first >= {}", path ? percent(*path) : "none",
                        s.key, sf.buyers, t.key, percent(policy.min_path_bp))));

  const std::optional<std::int64_t> weeks = share_bp(tf.active_weeks, period_weeks);
  const bool repeated = tf.repeat_bp && *tf.repeat_bp >= policy.min_repeat_bp;
  const bool continuous = weeks && *weeks >= policy.min_active_weeks_bp;
  a.checks.push_back(check(
      "sustainability", CheckUnit::basis_points, weeks, policy.min_active_weeks_bp,
      repeated || continuous,
      fmt::format("sold in {} of {} weeks ({}; bound {}), taken again by {} of takers (bound {})",
                  tf.active_weeks, period_weeks, weeks ? percent(*weeks) : "none",
                  percent(policy.min_active_weeks_bp),
                  tf.repeat_bp ? percent(*tf.repeat_bp) : "none", percent(policy.min_repeat_bp))));

  const std::int64_t refund_bound = sf.refund_bp.value_or(0) + policy.refund_tolerance_bp;
  const bool refunds_ok = !tf.refund_bp || *tf.refund_bp <= refund_bound;
  const auto tq = policy.quality.find(t.key);
  const auto sq = policy.quality.find(s.key);
  const bool rated = tq != policy.quality.end() && sq != policy.quality.end();
  const bool quality_ok = !rated || tq->second >= sq->second;
  a.checks.push_back(
      check("value", CheckUnit::basis_points, tf.refund_bp, refund_bound, refunds_ok && quality_ok,
            fmt::format("refund rate {} <= {} of {} plus a tolerance of {}{}",
                        tf.refund_bp ? percent(*tf.refund_bp) : "none",
                        sf.refund_bp ? percent(*sf.refund_bp) : "none", s.key,
                        percent(policy.refund_tolerance_bp),
                        rated ? fmt::format("; declared quality {} vs {}", tq->second, sq->second)
                              : std::string())));

  const std::optional<std::int64_t> ratio =
      s.price.fen > 0 ? std::optional<std::int64_t>(t.price.fen * whole / s.price.fen)
                      : std::nullopt;
  a.checks.push_back(check(
      "low_price", CheckUnit::basis_points, ratio, policy.max_price_ratio_bp,
      ratio && *ratio <= policy.max_price_ratio_bp,
      fmt::format("price {} is {} of {} <= {}", yuan(t.price.fen), ratio ? percent(*ratio) : "none",
                  yuan(s.price.fen), percent(policy.max_price_ratio_bp))));

  if (policy.acquisition_cost && policy.acquisition_cost->fen > 0) {
    const std::int64_t cost = policy.acquisition_cost->fen;
    const std::optional<std::int64_t> payback =
        tally.entries == 0
            ? std::nullopt
            : std::optional<std::int64_t>(tally.entry_amount * whole /
                                          (static_cast<std::int64_t>(tally.entries) * cost));
    a.checks.push_back(check(
        "payback", CheckUnit::basis_points, payback, policy.min_payback_bp,
        payback && *payback >= policy.min_payback_bp,
        fmt::format("first orders through {} average {} against an acquisition cost of {}: {} "
                    ">= {}",
                    t.key,
                    tally.entries == 0
                        ? std::string("nothing")
                        : yuan(tally.entry_amount / static_cast<std::int64_t>(tally.entries)),
                    yuan(cost), payback ? percent(*payback) : "none",
                    percent(policy.min_payback_bp))));
  }
  std::vector<std::int64_t> delays = tally.delays;
  const detail::MedianAndP90 q = detail::median_and_p90(delays);
  if (q.median) a.median_to_star = Duration::microseconds(*q.median);
  if (q.p90) a.p90_to_star = Duration::microseconds(*q.p90);
  return a;
}

template <class Directory>
ProductId require_product(const Directory& products, const std::string& key,
                          const std::string& field) {
  const auto id = products.find(key);
  if (!id) {
    throw NotFound("no product has the SKU " + detail::quoted(key), Where{.field = field});
  }
  return *id;
}

}  // namespace

std::string_view to_string(ProductRole role) noexcept {
  return role_names[static_cast<std::size_t>(role)];
}

ProductMatrix assess_products(const Pool& pool, const MatrixPolicy& policy,
                              const ProductQuery& query) {
  policy.validate();
  for (const auto& [key, role] : policy.roles) (void)require_product(pool.products(), key, "roles");
  for (const auto& [key, q] : policy.quality)
    (void)require_product(pool.products(), key, "quality");
  ProductMatrix matrix;
  const auto span = pool.events().span();
  matrix.from = query.from.value_or(span ? span->first : Timestamp{});
  matrix.at = query.at.value_or(span ? span->last : Timestamp{});
  const std::int64_t from = matrix.from.micros;
  const std::int64_t at = matrix.at.micros;
  const auto period_weeks =
      static_cast<std::uint32_t>(std::max<std::int64_t>(1, (at - from) / micros_per_week + 1));

  const std::size_t n = pool.products().size();
  matrix.products.resize(n);
  for (std::uint32_t p = 0; p < n; ++p) {
    ProductAssessment& a = matrix.products[p];
    a.product = ProductId{p};
    a.reasons = classify(pool.products()[ProductId{p}], policy, a.role, a.declared);
  }

  // The pairs to audit: the policy's, or every traffic x star pair.
  std::vector<std::pair<ProductId, ProductId>> pairs;
  for (std::size_t i = 0; i < policy.pairs.size(); ++i) {
    const std::string field = "pairs[" + std::to_string(i) + "]";
    pairs.emplace_back(require_product(pool.products(), policy.pairs[i].first, field + ".traffic"),
                       require_product(pool.products(), policy.pairs[i].second, field + ".star"));
  }
  if (policy.pairs.empty()) {
    for (const ProductAssessment& t : matrix.products) {
      if (t.role != ProductRole::traffic) continue;
      for (const ProductAssessment& s : matrix.products) {
        if (s.role == ProductRole::star) pairs.emplace_back(t.product, s.product);
      }
    }
  }

  const std::vector<Order> orders = period_orders(pool, from, at);
  std::vector<std::vector<bool>> weeks(n, std::vector<bool>(period_weeks, false));
  std::vector<PairTally> tallies(pairs.size());
  std::vector<std::uint32_t> bought(n, 0);  // this person's orders, by product
  std::vector<std::int64_t> first(n, 0);    // and their first, by product
  std::vector<std::uint32_t> touched;
  for (std::size_t begin = 0; begin < orders.size();) {
    std::size_t end = begin;
    while (end < orders.size() && orders[end].person == orders[begin].person) ++end;
    ++matrix.buyers;
    for (std::size_t i = begin; i < end; ++i) {
      const Order& o = orders[i];
      ProductFigures& f = matrix.products[o.product].figures;
      ++f.orders;
      f.revenue += o.amount;
      f.refunded_orders += o.refunded ? 1U : 0U;
      weeks[o.product][static_cast<std::size_t>((o.ts - from) / micros_per_week)] = true;
      if (bought[o.product]++ == 0) {
        first[o.product] = o.ts;
        touched.push_back(o.product);
      }
    }
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const auto [t, s] = pairs[k];
      PairTally& tally = tallies[k];
      if (bought[s.value] > 0 && bought[t.value] > 0 && first[t.value] <= first[s.value]) {
        ++tally.converted;
        tally.delays.push_back(first[s.value] - first[t.value]);
      }
      if (orders[begin].product == t.value) {
        tally.entry_amount += orders[begin].amount;
        ++tally.entries;
      }
    }
    for (const std::uint32_t p : touched) {
      ProductFigures& f = matrix.products[p].figures;
      ++f.buyers;
      f.repeat_buyers += bought[p] >= 2 ? 1U : 0U;
      bought[p] = 0;
    }
    touched.clear();
    begin = end;
  }

  for (std::uint32_t p = 0; p < n; ++p) {
    ProductAssessment& a = matrix.products[p];
    ProductFigures& f = a.figures;
    f.active_weeks = static_cast<std::uint32_t>(std::count(weeks[p].begin(), weeks[p].end(), true));
    f.reach_bp = share_bp(f.buyers, matrix.buyers);
    f.repeat_bp = share_bp(f.repeat_buyers, f.buyers);
    f.refund_bp = share_bp(f.refunded_orders, f.orders);
    if (f.orders > 0) {
      f.ticket = f.revenue / static_cast<std::int64_t>(f.orders);
      f.orders_per_buyer_centi = static_cast<std::int64_t>(f.orders * 100 / f.buyers);
    }
    a.data_checks = data_checks(a.role, f, policy);
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    matrix.pairs.push_back(audit(pool, pairs[k].first, pairs[k].second, tallies[k], matrix.products,
                                 policy, period_weeks));
  }
  return matrix;
}

}  // namespace siyu

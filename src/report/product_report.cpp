#include "siyu/report/product_report.hpp"

#include <array>
#include <ostream>
#include <string>

#include "report/check_json.hpp"
#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

std::string optional_json(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : "null";
}

// A share in basis points as a JSON ratio ("0.6666"), or null.
std::string ratio_json(const std::optional<std::int64_t>& bp) {
  return bp ? detail::json_number(static_cast<double>(*bp) / 10'000.0) : "null";
}

std::string seconds_json(const std::optional<Duration>& span) { return detail::json_seconds(span); }

void write_json(std::ostream& out, const Pool& pool, const ProductMatrix& m, Zone zone) {
  std::array<std::uint64_t, product_role_count> roles{};
  for (const ProductAssessment& a : m.products) ++roles[static_cast<std::size_t>(a.role)];
  out << "{\"from\": " << json_quote(format_timestamp(m.from, zone))
      << ", \"at\": " << json_quote(format_timestamp(m.at, zone)) << ", \"buyers\": " << m.buyers
      << ", \"roles\": {";
  for (std::size_t r = 0; r < product_role_count; ++r) {
    out << (r > 0 ? ", " : "") << json_quote(to_string(static_cast<ProductRole>(r))) << ": "
        << roles[r];
  }
  out << "}, \"products\": [";
  for (std::size_t i = 0; i < m.products.size(); ++i) {
    const ProductAssessment& a = m.products[i];
    const Product& p = pool.products()[a.product];
    const ProductFigures& f = a.figures;
    out << (i > 0 ? ", " : "") << "{\"product\": " << json_quote(p.key)
        << ", \"name\": " << json_quote(p.name) << ", \"category\": " << json_quote(p.category)
        << ", \"price_fen\": " << p.price.fen << ", \"role\": " << json_quote(to_string(a.role))
        << ", \"declared\": " << (a.declared ? "true" : "false") << ", \"reasons\": ";
    detail::write_checks_json(out, a.reasons);
    out << ", \"figures\": {\"orders\": " << f.orders << ", \"buyers\": " << f.buyers
        << ", \"repeat_buyers\": " << f.repeat_buyers
        << ", \"refunded_orders\": " << f.refunded_orders << ", \"revenue_fen\": " << f.revenue
        << ", \"active_weeks\": " << f.active_weeks << ", \"reach\": " << ratio_json(f.reach_bp)
        << ", \"repeat_rate\": " << ratio_json(f.repeat_bp)
        << ", \"refund_rate\": " << ratio_json(f.refund_bp)
        << ", \"ticket_fen\": " << optional_json(f.ticket) << ", \"orders_per_buyer\": "
        << (f.orders_per_buyer_centi
                ? detail::json_number(static_cast<double>(*f.orders_per_buyer_centi) / 100.0)
                : "null")
        << "}, \"data_checks\": ";
    detail::write_checks_json(out, a.data_checks);
    out << ", \"data_agrees\": " << (a.data_agrees() ? "true" : "false") << '}';
  }
  out << "], \"pairs\": [";
  for (std::size_t i = 0; i < m.pairs.size(); ++i) {
    const LinkageAudit& a = m.pairs[i];
    out << (i > 0 ? ", " : "") << "{\"traffic\": " << json_quote(pool.products()[a.traffic].key)
        << ", \"star\": " << json_quote(pool.products()[a.star].key)
        << ", \"passed\": " << (a.passed() ? "true" : "false") << ", \"converted\": " << a.converted
        << ", \"median_seconds_to_star\": " << seconds_json(a.median_to_star)
        << ", \"p90_seconds_to_star\": " << seconds_json(a.p90_to_star) << ", \"checks\": ";
    detail::write_checks_json(out, a.checks);
    out << '}';
  }
  out << "]}\n";
}

ReportTable check_rows(const Pool& pool, const ProductMatrix& m) {
  ReportTable table{
      .header = {"kind", "product", "star", "check", "figure", "bound", "unit", "passed", "text"}};
  const auto add = [&](std::string_view kind, ProductId product, std::optional<ProductId> star,
                       const std::vector<Check>& checks) {
    for (const Check& c : checks) {
      table.rows.push_back({std::string(kind), pool.products()[product].key,
                            star ? pool.products()[*star].key : std::string(), c.name,
                            c.figure ? std::to_string(*c.figure) : std::string(),
                            std::to_string(c.bound), std::string(to_string(c.unit)),
                            c.passed ? "true" : "false", c.text});
    }
  };
  for (const ProductAssessment& a : m.products) {
    add("role", a.product, std::nullopt, a.reasons);
    add("data", a.product, std::nullopt, a.data_checks);
  }
  for (const LinkageAudit& a : m.pairs) add("linkage", a.traffic, a.star, a.checks);
  return table;
}

void write_table(std::ostream& out, const Pool& pool, const ProductMatrix& m, Zone zone) {
  out << "products: " << m.products.size() << " products, " << m.buyers << " buyers from "
      << format_timestamp(m.from, zone) << " to " << format_timestamp(m.at, zone) << '\n';
  const auto percent = [](const std::optional<std::int64_t>& bp) {
    return bp ? detail::percent(static_cast<double>(*bp) / 10'000.0) : std::string("-");
  };
  ReportTable products{.header = {"product", "name", "role", "margin", "price (yuan)", "buyers",
                                  "reach", "repeat", "ticket (yuan)", "data"}};
  for (const ProductAssessment& a : m.products) {
    const Product& p = pool.products()[a.product];
    products.rows.push_back(
        {p.key, p.name, std::string(to_string(a.role)) + (a.declared ? " (declared)" : ""),
         p.margin_basis_points ? percent(*p.margin_basis_points) : "-", to_string(p.price),
         std::to_string(a.figures.buyers), percent(a.figures.reach_bp),
         percent(a.figures.repeat_bp),
         a.figures.ticket ? to_string(Money{*a.figures.ticket}) : std::string("-"),
         a.data_checks.empty() ? "-" : (a.data_agrees() ? "agrees" : "disagrees")});
  }
  products.print(out);
  for (const LinkageAudit& a : m.pairs) {
    out << '\n'
        << pool.products()[a.traffic].key << " -> " << pool.products()[a.star].key << ": "
        << (a.passed() ? "passed" : "failed") << ", " << a.converted
        << " star buyers took the traffic product first";
    if (a.median_to_star) {
      out << " (median " << detail::human_duration(a.median_to_star) << ", p90 "
          << detail::human_duration(a.p90_to_star) << " later)";
    }
    out << '\n';
    ReportTable checks{.header = {"check", "passed", "why"}};
    for (const Check& c : a.checks) {
      checks.rows.push_back({c.name, c.passed ? "yes" : "no", c.text});
    }
    checks.print(out);
  }
}

}  // namespace

void write_products(std::ostream& out, const Pool& pool, const ProductMatrix& matrix,
                    OutputFormat format, Zone zone) {
  switch (format) {
    case OutputFormat::json: return write_json(out, pool, matrix, zone);
    case OutputFormat::csv: return check_rows(pool, matrix).print_csv(out);
    case OutputFormat::table: return write_table(out, pool, matrix, zone);
  }
}

}  // namespace siyu

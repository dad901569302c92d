#include "siyu/report/strategy_report.hpp"

#include <ostream>
#include <string>

#include "report/check_json.hpp"
#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"

namespace siyu {

namespace {

std::string scaled_json(const std::optional<std::int64_t>& value, double scale) {
  return value ? detail::json_number(static_cast<double>(*value) / scale) : "null";
}

void write_json(std::ostream& out, const StrategyReport& r, Zone zone) {
  const CapacityPlan& c = r.capacity;
  out << "{\"at\": " << json_quote(format_timestamp(r.at, zone))
      << ", \"customers\": " << r.customers << ", \"buyers\": " << r.buyers
      << ", \"purchases_per_year\": " << scaled_json(r.purchases_per_year_centi, 100.0)
      << ", \"margin\": " << scaled_json(r.margin_bp, 10'000.0)
      << ", \"ticket_fen\": " << (r.ticket ? std::to_string(*r.ticket) : "null")
      << ", \"quadrant\": {\"value\": " << json_quote(to_string(r.quadrant)) << ", \"reasons\": ";
  detail::write_checks_json(out, r.quadrant_reasons);
  out << "}, \"dimensions\": {\"operators\": " << json_quote(to_string(r.operators))
      << ", \"rhythm\": " << json_quote(to_string(r.rhythm))
      << ", \"volume\": " << (r.large_volume ? "\"large\"" : "\"small\"") << ", \"reasons\": ";
  detail::write_checks_json(out, r.dimension_reasons);
  out << "}, \"stage\": {\"value\": " << json_quote(to_string(r.stage)) << ", \"reasons\": ";
  detail::write_checks_json(out, r.stage_reasons);
  out << "}, \"seed_users\": {\"min\": " << r.seed_users.min << ", \"max\": " << r.seed_users.max
      << ", \"reason\": ";
  detail::write_check_json(out, r.seed_users.reason);
  out << "}, \"capacity\": {\"core_customers\": " << c.core_customers
      << ", \"core_operators\": {\"min\": " << c.core_operators_min
      << ", \"max\": " << c.core_operators_max << "}, \"close_customers\": " << c.close_customers
      << ", \"close_operators\": " << c.close_operators
      << ", \"peak_daily_adds\": " << c.peak_daily_adds
      << ", \"planned_daily_adds\": " << c.planned_daily_adds
      << ", \"accounts_needed\": " << c.accounts_needed
      << ", \"accounts_active\": " << c.accounts_active
      << ", \"max_account_daily_adds\": " << c.max_account_daily_adds << ", \"reasons\": ";
  detail::write_checks_json(out, c.reasons);
  out << "}, \"advice\": [";
  for (std::size_t i = 0; i < r.advice.size(); ++i) {
    const Advice& a = r.advice[i];
    out << (i > 0 ? ", " : "") << "{\"topic\": " << json_quote(a.topic)
        << ", \"en\": " << json_quote(a.en) << ", \"zh\": " << json_quote(a.zh) << '}';
  }
  out << "]}\n";
}

// Every check of the report, by section.
template <class Visit>
void each_check(const StrategyReport& r, Visit&& visit) {
  for (const Check& c : r.quadrant_reasons) visit("quadrant", c);
  for (const Check& c : r.dimension_reasons) visit("dimensions", c);
  for (const Check& c : r.stage_reasons) visit("stage", c);
  visit("seed_users", r.seed_users.reason);
  for (const Check& c : r.capacity.reasons) visit("capacity", c);
}

void write_csv(std::ostream& out, const StrategyReport& r) {
  ReportTable table{
      .header = {"section", "name", "figure", "bound", "unit", "passed", "text", "text_zh"}};
  each_check(r, [&](std::string_view section, const Check& c) {
    table.rows.push_back({std::string(section), c.name,
                          c.figure ? std::to_string(*c.figure) : std::string(),
                          std::to_string(c.bound), std::string(to_string(c.unit)),
                          c.passed ? "true" : "false", c.text, ""});
  });
  for (const Advice& a : r.advice)
    table.rows.push_back({"advice", a.topic, "", "", "", "", a.en, a.zh});
  table.print_csv(out);
}

void write_table(std::ostream& out, const StrategyReport& r, Zone zone) {
  const CapacityPlan& c = r.capacity;
  const auto span = [](std::uint64_t low, std::uint64_t high) {
    return low == high ? std::to_string(low) : std::to_string(low) + '-' + std::to_string(high);
  };
  out << "strategy at " << format_timestamp(r.at, zone) << ": " << r.customers << " customers, "
      << r.buyers << " buyers in the last year\n"
      << "quadrant    " << to_string(r.quadrant) << '\n'
      << "operators   " << to_string(r.operators) << '\n'
      << "rhythm      " << to_string(r.rhythm) << '\n'
      << "volume      " << (r.large_volume ? "large" : "small") << '\n'
      << "stage       " << to_string(r.stage) << '\n'
      << "seed users  " << span(r.seed_users.min, r.seed_users.max) << '\n'
      << "team        " << span(c.core_operators_min, c.core_operators_max) << " operators for "
      << c.core_customers << " core customers, " << c.close_operators << " for "
      << c.close_customers << " close-service customers\n"
      << "accounts    " << c.accounts_needed << " for " << c.planned_daily_adds << " adds a day ("
      << c.accounts_active << " active)\n\n";
  ReportTable checks{.header = {"section", "check", "passed", "why"}};
  each_check(r, [&](std::string_view section, const Check& check) {
    checks.rows.push_back(
        {std::string(section), check.name, check.passed ? "yes" : "no", check.text});
  });
  checks.print(out);
  out << "\nadvice\n";
  for (const Advice& a : r.advice) out << "- " << a.en << "\n  " << a.zh << '\n';
}

}  // namespace

void write_strategy(std::ostream& out, const StrategyReport& report, OutputFormat format,
                    Zone zone) {
  switch (format) {
    case OutputFormat::json: return write_json(out, report, zone);
    case OutputFormat::csv: return write_csv(out, report);
    case OutputFormat::table: return write_table(out, report, zone);
  }
}

}  // namespace siyu

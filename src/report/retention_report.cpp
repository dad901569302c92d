#include "siyu/report/retention_report.hpp"

#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"

namespace siyu {

namespace {

template <class Value>
void write_json_list(std::ostream& out, std::span<const Value> values) {
  out << '[';
  for (std::size_t i = 0; i < values.size(); ++i) out << (i > 0 ? ", " : "") << values[i];
  out << ']';
}

void write_json(std::ostream& out, const RetentionQuery& query, const RetentionResult& result,
                const RetentionReportOptions& options) {
  out << "{\"period\": " << json_quote(to_string(query.period)) << ", \"cohorts\": [";
  for (std::size_t i = 0; i < result.cohorts.size(); ++i) {
    const Cohort& c = result.cohorts[i];
    out << (i > 0 ? ", " : "") << "{\"start\": " << json_quote(to_string(c.start))
        << ", \"size\": " << c.size << ", \"retained\": ";
    write_json_list<std::uint64_t>(out, c.retained);
    out << ", \"rolling\": ";
    write_json_list<std::uint64_t>(out, c.rolling);
    if (options.revenue) {
      out << ", \"revenue_fen\": ";
      write_json_list<std::int64_t>(out, c.revenue);
      out << ", \"ltv_fen\": ";
      write_json_list<std::int64_t>(out, c.ltv);
    }
    out << '}';
  }
  out << "], \"lifecycle\": [";
  for (std::size_t i = 0; i < result.lifecycle.size(); ++i) {
    const LifecyclePeriod& p = result.lifecycle[i];
    out << (i > 0 ? ", " : "") << "{\"start\": " << json_quote(to_string(p.start))
        << ", \"new\": " << p.new_customers << ", \"returning\": " << p.returning
        << ", \"resurrecting\": " << p.resurrecting << ", \"dormant\": " << p.dormant << '}';
  }
  out << "]}\n";
}

// One row per cohort and cell, k = 0 (the cohort's own period) to `periods`: the long
// form that spreadsheets and data frames pivot.
ReportTable csv_rows(const RetentionResult& result, const RetentionReportOptions& options) {
  ReportTable table;
  table.header = {"cohort", "size", "period", "retained", "rolling"};
  if (options.revenue) table.header.insert(table.header.end(), {"revenue_fen", "ltv_fen"});
  for (const Cohort& c : result.cohorts) {
    for (std::size_t k = 0; k < c.revenue.size(); ++k) {
      std::vector<std::string> row{to_string(c.start), std::to_string(c.size), std::to_string(k),
                                   std::to_string(k == 0 ? c.size : c.retained[k - 1]),
                                   std::to_string(k == 0 ? c.size : c.rolling[k - 1])};
      if (options.revenue) {
        row.push_back(std::to_string(c.revenue[k]));
        row.push_back(std::to_string(c.ltv[k]));
      }
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

// The classic triangle: a row per cohort, its size, then the share retained in each cell.
ReportTable table_rows(const RetentionQuery& query, const RetentionResult& result,
                       const RetentionReportOptions& options) {
  ReportTable table;
  table.header = {"cohort", "size"};
  for (std::size_t k = 1; k <= query.periods; ++k)
    table.header.emplace_back("+" + std::to_string(k));
  if (options.revenue) table.header.emplace_back("ltv (yuan)");
  for (const Cohort& c : result.cohorts) {
    std::vector<std::string> row{to_string(c.start), std::to_string(c.size)};
    for (std::uint64_t n : c.retained) {
      row.push_back(detail::percent(static_cast<double>(n) / static_cast<double>(c.size)));
    }
    if (options.revenue) row.push_back(to_string(Money{c.ltv.back()}));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

void write_retention(std::ostream& out, const RetentionQuery& query, const RetentionResult& result,
                     OutputFormat format, const RetentionReportOptions& options) {
  switch (format) {
    case OutputFormat::json: write_json(out, query, result, options); return;
    case OutputFormat::csv: csv_rows(result, options).print_csv(out); return;
    case OutputFormat::table:
      out << "retention: " << result.cohorts.size() << " cohorts by " << to_string(query.period)
          << ", " << query.periods << " " << to_string(query.period) << "s after each\n";
      table_rows(query, result, options).print(out);
      return;
  }
}

}  // namespace siyu

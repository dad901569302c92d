#include "siyu/report/rfm_report.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

std::string share_json(std::optional<double> share) {
  return share ? detail::json_number(*share) : "null";
}

void write_json(std::ostream& out, const Pool& pool, const RfmResult& result,
                const RfmReportOptions& options) {
  const RfmConcentration& top = result.concentration;
  out << "{\"at\": " << json_quote(format_timestamp(result.at, options.zone))
      << ", \"buyers\": " << result.buyers.size() << ", \"revenue_fen\": " << result.revenue
      << ", \"concentration\": {\"top_customers\": " << top.top_customers
      << ", \"top_revenue_fen\": " << top.top_revenue << ", \"share\": " << share_json(top.share)
      << "}, \"segments\": [";
  for (std::size_t s = 0; s < result.segments.size(); ++s) {
    const RfmSegmentTotal& segment = result.segments[s];
    out << (s > 0 ? ", " : "") << "{\"segment\": " << json_quote(to_string(segment.segment))
        << ", \"customers\": " << segment.customers << ", \"revenue_fen\": " << segment.revenue
        << '}';
  }
  out << "], \"cells\": [";
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        out << (rfm_cell(r, f, m) > 0 ? ", " : "") << "{\"r\": " << r << ", \"f\": " << f
            << ", \"m\": " << m << ", \"customers\": " << result.cells[rfm_cell(r, f, m)] << '}';
      }
    }
  }
  out << ']';
  if (options.customers) {
    out << ", \"customers\": [";
    for (std::size_t i = 0; i < result.buyers.size(); ++i) {
      const RfmScore& b = result.buyers[i];
      out << (i > 0 ? ", " : "")
          << "{\"customer\": " << json_quote(pool.customers()[b.customer].key)
          << ", \"last_order\": " << json_quote(format_timestamp(b.last_order, options.zone))
          << ", \"recency_days\": " << b.recency_days << ", \"orders\": " << b.orders
          << ", \"revenue_fen\": " << b.revenue << ", \"r\": " << b.recency
          << ", \"f\": " << b.frequency << ", \"m\": " << b.monetary
          << ", \"segment\": " << json_quote(to_string(b.segment)) << '}';
    }
    out << ']';
  }
  out << "}\n";
}

ReportTable cell_rows(const RfmResult& result) {
  ReportTable table{.header = {"r", "f", "m", "segment", "customers"}};
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        table.rows.push_back({std::to_string(r), std::to_string(f), std::to_string(m),
                              std::string(to_string(rfm_segment(r, f))),
                              std::to_string(result.cells[rfm_cell(r, f, m)])});
      }
    }
  }
  return table;
}

// Buyers one per row; CSV keeps fen and full timestamps, the table yuan and local dates.
ReportTable customer_rows(const Pool& pool, const RfmResult& result,
                          const RfmReportOptions& options, OutputFormat format) {
  const bool csv = format == OutputFormat::csv;
  ReportTable table{.header = {"customer", csv ? "last_order" : "last order",
                               csv ? "recency_days" : "days", "orders",
                               csv ? "revenue_fen" : "revenue (yuan)", "r", "f", "m", "segment"}};
  for (const RfmScore& b : result.buyers) {
    table.rows.push_back({pool.customers()[b.customer].key,
                          csv ? format_timestamp(b.last_order, options.zone)
                              : to_string(options.zone.local_date(b.last_order)),
                          std::to_string(b.recency_days), std::to_string(b.orders),
                          csv ? std::to_string(b.revenue) : to_string(Money{b.revenue}),
                          std::to_string(b.recency), std::to_string(b.frequency),
                          std::to_string(b.monetary), std::string(to_string(b.segment))});
  }
  return table;
}

void write_table(std::ostream& out, const Pool& pool, const RfmResult& result,
                 const RfmReportOptions& options) {
  const RfmConcentration& top = result.concentration;
  out << "rfm: " << result.buyers.size() << " buyers as of "
      << format_timestamp(result.at, options.zone) << "; the top 20% (" << top.top_customers
      << ") bring " << (top.share ? detail::percent(*top.share) : "-") << " of revenue\n";
  ReportTable table{.header = {"segment", "customers", "share", "revenue (yuan)"}};
  for (const RfmSegmentTotal& segment : result.segments) {
    const double share = result.buyers.empty() ? 0.0
                                               : static_cast<double>(segment.customers) /
                                                     static_cast<double>(result.buyers.size());
    table.rows.push_back({std::string(to_string(segment.segment)),
                          std::to_string(segment.customers), detail::percent(share),
                          to_string(Money{segment.revenue})});
  }
  table.print(out);
  if (options.customers) {
    out << '\n';
    customer_rows(pool, result, options, OutputFormat::table).print(out);
  }
}

}  // namespace

void write_rfm(std::ostream& out, const Pool& pool, const RfmResult& result, OutputFormat format,
               const RfmReportOptions& options) {
  switch (format) {
    case OutputFormat::json: write_json(out, pool, result, options); return;
    case OutputFormat::csv:
      (options.customers ? customer_rows(pool, result, options, format) : cell_rows(result))
          .print_csv(out);
      return;
    case OutputFormat::table: write_table(out, pool, result, options); return;
  }
}

}  // namespace siyu

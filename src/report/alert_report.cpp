#include "siyu/report/alert_report.hpp"

#include <cmath>
#include <ostream>
#include <string>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

std::string staff_key(const Pool& pool, StaffId staff) {
  return staff.has_value() ? pool.staff()[staff].key : std::string();
}

std::string joined(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

// The score to two decimals: enough to rank, and stable to print.
double rounded(double intent) { return std::round(intent * 100) / 100; }

}  // namespace

void write_alerts(std::ostream& out, const Pool& pool, const AlertQuery& query,
                  const AlertResult& result, OutputFormat format, Zone zone) {
  const auto time = [&](Timestamp t) { return format_timestamp(t, zone); };
  const auto customer = [&](CustomerId c) { return pool.customers()[c].key; };
  if (format == OutputFormat::json) {
    out << "{\"from\": " << json_quote(time(query.from))
        << ", \"to\": " << json_quote(time(query.to))
        << ", \"engine\": " << (result.engine ? json_quote(to_string(*result.engine)) : "null")
        << ", \"messages_scanned\": " << result.messages_scanned
        << ", \"bytes_scanned\": " << result.bytes_scanned << ", \"counts\": {";
    for (std::size_t k = 0; k < alert_kind_count; ++k) {
      out << (k > 0 ? ", " : "") << json_quote(to_string(static_cast<AlertKind>(k))) << ": "
          << result.counts[k];
    }
    out << "}, \"alerts\": [";
    for (std::size_t i = 0; i < result.alerts.size(); ++i) {
      const Alert& a = result.alerts[i];
      out << (i > 0 ? ", " : "") << "{\"kind\": " << json_quote(to_string(a.kind))
          << ", \"customer\": " << json_quote(customer(a.customer)) << ", \"staff\": "
          << (a.staff.has_value() ? json_quote(staff_key(pool, a.staff)) : "null")
          << ", \"to_manager\": " << (a.to_manager ? "true" : "false")
          << ", \"happened\": " << json_quote(time(a.happened))
          << ", \"due\": " << json_quote(time(a.due))
          << ", \"event\": " << (a.event ? std::to_string(*a.event) : "null") << ", \"reasons\": [";
      for (std::size_t r = 0; r < a.reasons.size(); ++r) {
        out << (r > 0 ? ", " : "") << json_quote(a.reasons[r]);
      }
      out << "], \"word\": ";
      if (a.word) {
        out << "{\"rule\": " << json_quote(a.word->rule)
            << ", \"word\": " << json_quote(a.word->word)
            << ", \"severity\": " << json_quote(to_string(a.word->severity))
            << ", \"byte_offset\": " << a.word->byte_offset
            << ", \"char_offset\": " << a.word->char_offset
            << ", \"by_staff\": " << (a.word->by_staff ? "true" : "false") << '}';
      } else {
        out << "null";
      }
      out << ", \"intent\": "
          << (a.kind == AlertKind::high_intent ? detail::json_number(rounded(a.intent)) : "null")
          << '}';
    }
    out << "]}\n";
    return;
  }
  if (format == OutputFormat::csv) {
    ReportTable rows{.header = {"due", "happened", "kind", "customer", "staff", "to_manager",
                                "event", "rule", "word", "severity", "intent", "reasons"}};
    for (const Alert& a : result.alerts) {
      rows.rows.push_back(
          {time(a.due), time(a.happened), std::string(to_string(a.kind)), customer(a.customer),
           staff_key(pool, a.staff), a.to_manager ? "true" : "false",
           a.event ? std::to_string(*a.event) : std::string(),
           a.word ? a.word->rule : std::string(), a.word ? a.word->word : std::string(),
           a.word ? std::string(to_string(a.word->severity)) : std::string(),
           a.kind == AlertKind::high_intent ? detail::json_number(rounded(a.intent))
                                            : std::string(),
           joined(a.reasons)});
    }
    return rows.print_csv(out);
  }
  out << "alerts from " << time(query.from) << " to " << time(query.to) << ": "
      << result.alerts.size() << " (";
  for (std::size_t k = 0; k < alert_kind_count; ++k) {
    out << (k > 0 ? ", " : "") << to_string(static_cast<AlertKind>(k)) << ' ' << result.counts[k];
  }
  out << ")\n";
  if (result.engine) {
    out << "sensitive words: " << result.messages_scanned << " messages, " << result.bytes_scanned
        << " bytes scanned (" << to_string(*result.engine) << ")\n";
  }
  ReportTable table{.header = {"due", "kind", "customer", "staff", "to", "reasons"}};
  for (const Alert& a : result.alerts) {
    table.rows.push_back({time(a.due), std::string(to_string(a.kind)), customer(a.customer),
                          staff_key(pool, a.staff), a.to_manager ? "manager" : "staff",
                          joined(a.reasons)});
  }
  table.print(out);
}

}  // namespace siyu

#include "siyu/report/funnel_report.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "model/event_type_text.hpp"
#include "report/numbers.hpp"

namespace siyu {

namespace {

std::string step_type(const FunnelStep& step) {
  return detail::event_type_text(step.condition.type, step.condition.custom_name);
}

void write_json_steps(std::ostream& out, const FunnelQuery& query,
                      const std::vector<FunnelStepResult>& steps) {
  out << '[';
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const FunnelStepResult& s = steps[k];
    out << (k > 0 ? ", " : "") << "{\"type\": " << json_quote(step_type(query.steps[k]))
        << ", \"step\": " << json_quote(to_string(query.steps[k]))
        << ", \"customers\": " << s.customers
        << ", \"conversion_from_previous\": " << detail::json_number(s.conversion_from_previous)
        << ", \"conversion_from_first\": " << detail::json_number(s.conversion_from_first)
        << ", \"median_seconds_from_previous\": " << detail::json_seconds(s.median_from_previous)
        << ", \"p90_seconds_from_previous\": " << detail::json_seconds(s.p90_from_previous)
        << ", \"median_seconds_from_first\": " << detail::json_seconds(s.median_from_first)
        << ", \"p90_seconds_from_first\": " << detail::json_seconds(s.p90_from_first) << '}';
  }
  out << ']';
}

void write_json(std::ostream& out, const FunnelQuery& query, const FunnelResult& result) {
  out << "{\"window_seconds\": " << detail::json_seconds(query.window)
      << ", \"mode\": " << json_quote(to_string(query.mode)) << ", \"steps\": ";
  write_json_steps(out, query, result.steps);
  if (query.by) {
    out << ", \"by\": " << json_quote(to_string(*query.by)) << ", \"groups\": [";
    for (std::size_t g = 0; g < result.groups.size(); ++g) {
      const FunnelGroup& group = result.groups[g];
      out << (g > 0 ? ", " : "")
          << "{\"value\": " << (group.value.empty() ? std::string("null") : json_quote(group.value))
          << ", \"steps\": ";
      write_json_steps(out, query, group.steps);
      out << '}';
    }
    out << ']';
  }
  out << "}\n";
}

// Rows of the table and CSV forms: the overall steps, then each group's.
ReportTable rows(const FunnelQuery& query, const FunnelResult& result, OutputFormat format) {
  const bool csv = format == OutputFormat::csv;
  ReportTable table;
  if (query.by) table.header.push_back(to_string(*query.by));
  if (csv) {
    table.header.insert(
        table.header.end(),
        {"step", "type", "condition", "customers", "conversion_from_previous",
         "conversion_from_first", "median_seconds_from_previous", "p90_seconds_from_previous",
         "median_seconds_from_first", "p90_seconds_from_first"});
  } else {
    table.header.insert(table.header.end(),
                        {"step", "condition", "customers", "from previous", "from first",
                         "median time", "p90 time", "median total", "p90 total"});
  }
  // CSV keeps exact numbers for programs; the table reads at a glance.
  const auto share = [&](double ratio) {
    return csv ? detail::json_number(ratio) : detail::percent(ratio);
  };
  const auto time = [&](std::optional<Duration> span) {
    if (!csv) return detail::human_duration(span);
    return span ? detail::json_seconds(span) : std::string();
  };
  const auto add = [&](const std::string& group, const std::vector<FunnelStepResult>& steps) {
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const FunnelStepResult& s = steps[k];
      std::vector<std::string> row;
      if (query.by) row.push_back(group);
      row.push_back(std::to_string(k + 1));
      if (csv) row.push_back(step_type(query.steps[k]));
      row.push_back(to_string(query.steps[k]));
      row.push_back(std::to_string(s.customers));
      row.push_back(share(s.conversion_from_previous));
      row.push_back(share(s.conversion_from_first));
      for (const auto& span :
           {s.median_from_previous, s.p90_from_previous, s.median_from_first, s.p90_from_first}) {
        row.push_back(time(span));
      }
      table.rows.push_back(std::move(row));
    }
  };
  add(csv ? "" : "(all)", result.steps);
  for (const FunnelGroup& group : result.groups) {
    add(group.value.empty() ? "(none)" : group.value, group.steps);
  }
  return table;
}

}  // namespace

void write_funnel(std::ostream& out, const FunnelQuery& query, const FunnelResult& result,
                  OutputFormat format) {
  switch (format) {
    case OutputFormat::json: write_json(out, query, result); return;
    case OutputFormat::csv: rows(query, result, format).print_csv(out); return;
    case OutputFormat::table:
      out << "funnel: " << query.steps.size() << " steps within " << to_string(query.window) << " ("
          << to_string(query.mode) << ")\n";
      rows(query, result, format).print(out);
      return;
  }
}

}  // namespace siyu

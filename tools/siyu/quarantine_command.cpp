// siyu quarantine --db FILE [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct QuarantineOptions {
  std::string db;
  std::string format = "table";
};

ExitCode run(const QuarantineOptions& options) {
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const auto format = find_output_format(options.format).value_or(OutputFormat::table);
  const auto& records = pool.quarantine();
  if (format == OutputFormat::json) {
    std::cout << "{\"count\": " << records.size() << ", \"records\": [";
    for (std::size_t i = 0; i < records.size(); ++i) {
      const QuarantineRecord& q = records[i];
      std::cout << (i > 0 ? ", " : "") << "{\"source\": " << json_quote(q.source)
                << ", \"line\": " << q.line << ", \"record\": " << json_quote(q.record)
                << ", \"field\": " << json_quote(q.field)
                << ", \"code\": " << json_quote(to_string(q.code))
                << ", \"reason\": " << json_quote(q.reason) << ", \"raw\": " << json_quote(q.raw)
                << "}";
    }
    std::cout << "]}\n";
    return ExitCode::ok;
  }
  ReportTable table{.header = {"source", "line", "record", "field", "code", "reason", "raw"}};
  for (const QuarantineRecord& q : records) {
    table.rows.push_back({q.source, std::to_string(q.line), q.record, q.field,
                          std::string(to_string(q.code)), q.reason, q.raw});
  }
  if (format == OutputFormat::csv) {
    table.print_csv(std::cout);
  } else {
    // A terminal shows each raw record on one line, cut to a readable length.
    for (auto& row : table.rows) {
      std::string& raw = row.back();
      for (char& c : raw) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      if (raw.size() > 80) raw = raw.substr(0, 77) + "...";
    }
    table.print(std::cout);
  }
  return ExitCode::ok;
}

}  // namespace

void add_quarantine_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<QuarantineOptions>();
  CLI::App* command =
      app.add_subcommand("quarantine", "List the rejected records a database keeps");
  command->add_option("--db", options->db, "Database file")->required();
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

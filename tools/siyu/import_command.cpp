// siyu import --db FILE [--input csv|jsonl] [--zone +08:00] [--format table|json] FILE...
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct ImportOptions {
  std::string db;
  std::string input;
  std::string zone = "+08:00";
  std::string format = "table";
  std::vector<std::string> files;
};

std::string counts_json(const IngestReport& r) {
  const PlaceholderCounts& p = r.placeholders;
  return "\"read\": " + std::to_string(r.read) + ", \"accepted\": " + std::to_string(r.accepted) +
         ", \"duplicate\": " + std::to_string(r.duplicate) +
         ", \"rejected\": " + std::to_string(r.rejected) +
         ", \"conflicting\": " + std::to_string(r.conflicting) +
         ", \"placeholders\": {\"customers\": " + std::to_string(p.customers) +
         ", \"staff\": " + std::to_string(p.staff) +
         ", \"channels\": " + std::to_string(p.channels) +
         ", \"products\": " + std::to_string(p.products) + ", \"tags\": " + std::to_string(p.tags) +
         ", \"materials\": " + std::to_string(p.materials) +
         ", \"coupons\": " + std::to_string(p.coupons) +
         ", \"groups\": " + std::to_string(p.groups) + "}";
}

void print(const std::vector<IngestReport>& files, const IngestReport& total, OutputFormat format) {
  if (format == OutputFormat::json) {
    std::cout << "{" << counts_json(total) << ", \"files\": [";
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::cout << (i > 0 ? ", " : "") << "{\"file\": " << json_quote(files[i].source) << ", "
                << counts_json(files[i]) << "}";
    }
    std::cout << "]}\n";
    return;
  }
  ReportTable table{.header = {"file", "read", "accepted", "duplicate", "rejected", "conflicting"}};
  const auto row = [&](const std::string& name, const IngestReport& r) {
    table.rows.push_back({name, std::to_string(r.read), std::to_string(r.accepted),
                          std::to_string(r.duplicate), std::to_string(r.rejected),
                          std::to_string(r.conflicting)});
  };
  for (const auto& r : files) row(r.source, r);
  if (files.size() > 1) row("total", total);
  table.print(std::cout);
  for (const auto& r : files) {
    for (const auto& q : r.rejections) {
      std::cout << "rejected: " << q.source << ":" << q.line
                << (q.field.empty() ? "" : " field " + q.field) << ": " << q.reason << '\n';
    }
  }
  if (total.rejected > 0) std::cout << "see all rejected records with: siyu quarantine --db FILE\n";
}

ExitCode run(const ImportOptions& options) {
  std::optional<InputFormat> input;
  if (options.input == "csv") input = InputFormat::csv;
  if (options.input == "jsonl") input = InputFormat::jsonl;
  const Zone zone = parse_zone(options.zone);
  Store store = Store::open(options.db, StoreOptions{.pool = PoolOptions{.zone = zone}});
  Pool pool = store.load();
  std::vector<IngestReport> files;
  IngestReport total;
  for (const std::string& file : options.files) {
    // Any fatal error (unreadable file, bad header) throws before the save: nothing is stored.
    files.push_back(ingest_file(pool, file, input));
    total += files.back();
  }
  store.save(pool);
  print(files, total, find_output_format(options.format).value_or(OutputFormat::table));
  return total.rejected > 0 ? ExitCode::partial : ExitCode::ok;
}

}  // namespace

void add_import_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command = app.add_subcommand("import", "Read CSV or JSONL event files into a database");
  command->add_option("--db", options->db, "Database file (created if missing)")->required();
  command
      ->add_option("--input", options->input, "Input format; default: from each file's extension")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  command->add_option("--zone", options->zone, "UTC offset of a new database (default +08:00)")
      ->check(parsed_by("ZONE", parse_zone));
  add_format_option(*command, options->format, "table|json");
  command->add_option("files", options->files, "Event files (.csv, .jsonl, .ndjson)")->required();
  command->footer(
      "Exit codes: 0 all records stored, 3 some records rejected (the rest stored), 1 error "
      "(nothing stored), 2 usage.");
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

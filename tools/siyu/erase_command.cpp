// siyu erase --db FILE --customer KEY [--format table|json]
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct EraseOptions {
  std::string db;
  std::string customer;
  std::string format = "table";
};

ExitCode run(const EraseOptions& options) {
  if (!std::filesystem::exists(options.db)) {
    throw Error(ErrorCode::io, "no such database file", Where{.source = options.db});
  }
  Store store = Store::open(options.db);
  Pool pool = store.load();
  // The command supplies the clock for the audit row; the library never reads it.
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const CustomerErasure erasure = store.erase(pool, options.customer, Timestamp{now.count()});
  if (find_output_format(options.format) == OutputFormat::json) {
    std::cout << "{\"customer\": " << json_quote(options.customer)
              << ", \"events\": " << erasure.events << ", \"quarantine\": " << erasure.quarantine
              << "}\n";
  } else {
    std::cout << "erased customer " << options.customer << ": " << erasure.events << " events, "
              << erasure.quarantine << " quarantined records\n";
  }
  return ExitCode::ok;
}

}  // namespace

void add_erase_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<EraseOptions>();
  CLI::App* command = app.add_subcommand("erase", "Erase a customer's data from a database");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--customer", options->customer, "The customer's external key")->required();
  add_format_option(*command, options->format, "table|json");
  command->footer("Exit codes: 0 erased, 1 error (unknown customer, database failure), 2 usage.");
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

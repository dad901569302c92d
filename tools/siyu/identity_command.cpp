// siyu identity --db FILE --customer KEY [--format table|json]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct IdentityOptions {
  std::string db;
  std::string customer;
  std::string format = "table";
};

ExitCode run(const IdentityOptions& options) {
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const auto found = pool.customers().find(options.customer);
  if (!found) throw NotFound("no customer with key \"" + options.customer + "\"");
  const Person identity = pool.identity(*found);
  const auto key = [&](CustomerId c) { return pool.customers()[c].key; };
  const Zone zone = pool.options().zone;
  if (find_output_format(options.format) == OutputFormat::json) {
    std::cout << "{\"person\": " << json_quote(key(identity.person)) << ", \"keys\": [";
    for (std::size_t i = 0; i < identity.keys.size(); ++i) {
      std::cout << (i > 0 ? ", " : "") << json_quote(key(identity.keys[i]));
    }
    std::cout << "], \"links\": [";
    for (std::size_t i = 0; i < identity.links.size(); ++i) {
      const IdentityLink& l = identity.links[i];
      std::cout << (i > 0 ? ", " : "") << "{\"key\": " << json_quote(key(l.a))
                << ", \"linked\": " << json_quote(key(l.b)) << ", \"event\": " << l.event.value
                << ", \"at\": " << json_quote(format_timestamp(l.at, zone)) << "}";
    }
    std::cout << "]}\n";
    return ExitCode::ok;
  }
  std::cout << "person " << key(identity.person) << ": " << identity.keys.size() << " key"
            << (identity.keys.size() == 1 ? "" : "s") << '\n';
  ReportTable keys{.header = {"key"}};
  for (CustomerId c : identity.keys) keys.rows.push_back({key(c)});
  keys.print(std::cout);
  if (!identity.links.empty()) {
    std::cout << "\nlinked by identity_linked events:\n";
    ReportTable links{.header = {"key", "linked", "event", "at"}};
    for (const IdentityLink& l : identity.links) {
      links.rows.push_back(
          {key(l.a), key(l.b), std::to_string(l.event.value), format_timestamp(l.at, zone)});
    }
    links.print(std::cout);
  }
  return ExitCode::ok;
}

}  // namespace

void add_identity_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<IdentityOptions>();
  CLI::App* command =
      app.add_subcommand("identity", "Show a customer's keys and the evidence that links them");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--customer", options->customer, "Any of the customer's external keys")
      ->required();
  add_format_option(*command, options->format, "table|json");
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

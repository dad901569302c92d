// siyu identity --db FILE --customer KEY [--format table|json]
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct IdentityOptions {
  std::string db;
  std::string customer;
  std::string format = "table";
};

// {"kind": "phone", "display": "138****5678"}: what a person may see of an identifier.
std::string identity_json(const Identity& identity) {
  return "{\"kind\": " + json_quote(to_string(identity.kind)) +
         ", \"display\": " + json_quote(identity.display) + "}";
}

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
    std::cout << "], \"identities\": [";
    const char* separator = "";
    for (CustomerId c : identity.keys) {
      for (IdentityId id : pool.identities_of(c)) {
        std::cout << std::exchange(separator, ", ") << "{\"key\": " << json_quote(key(c)) << ", "
                  << identity_json(pool.identities()[id]).substr(1);
      }
    }
    std::cout << "], \"links\": [";
    for (std::size_t i = 0; i < identity.links.size(); ++i) {
      const IdentityLink& l = identity.links[i];
      std::cout << (i > 0 ? ", " : "") << "{\"key\": " << json_quote(key(l.a))
                << ", \"linked\": " << json_quote(key(l.b))
                << ", \"event\": " << (l.event.has_value() ? std::to_string(l.event.value) : "null")
                << ", \"identity\": "
                << (l.identity.has_value() ? identity_json(pool.identities()[l.identity]) : "null")
                << ", \"at\": " << json_quote(format_timestamp(l.at, zone)) << "}";
    }
    std::cout << "]}\n";
    return ExitCode::ok;
  }
  std::cout << "person " << key(identity.person) << ": " << identity.keys.size() << " key"
            << (identity.keys.size() == 1 ? "" : "s") << '\n';
  ReportTable keys{.header = {"key", "identifiers"}};
  for (CustomerId c : identity.keys) {
    std::string held;
    for (IdentityId id : pool.identities_of(c)) {
      const Identity& i = pool.identities()[id];
      held += (held.empty() ? "" : ", ") + std::string(to_string(i.kind)) + " " + i.display;
    }
    keys.rows.push_back({key(c), held});
  }
  keys.print(std::cout);
  if (!identity.links.empty()) {
    std::cout << "\nlinked by:\n";
    ReportTable links{.header = {"key", "linked", "evidence", "at"}};
    for (const IdentityLink& l : identity.links) {
      const std::string evidence =
          l.event.has_value()
              ? "identity_linked event " + std::to_string(l.event.value)
              : "shared " + std::string(to_string(pool.identities()[l.identity].kind)) + " " +
                    pool.identities()[l.identity].display;
      links.rows.push_back({key(l.a), key(l.b), evidence, format_timestamp(l.at, zone)});
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

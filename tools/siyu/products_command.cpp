// siyu products --db FILE [--matrix FILE] [--from T] [--at T] [--format table|json|csv]
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct ProductsOptions {
  std::string db;
  std::string matrix;
  std::string from;
  std::string at;
  std::string format = "table";
};

ExitCode run(const ProductsOptions& options) {
  const MatrixPolicy policy =
      options.matrix.empty() ? MatrixPolicy{} : read_matrix_policy(options.matrix);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  const Pool pool = store.load();
  const Zone zone = pool.options().zone;
  const ProductQuery query{.from = optional_time(options.from, zone),
                           .at = optional_time(options.at, zone)};
  write_products(std::cout, pool, assess_products(pool, policy, query),
                 *find_output_format(options.format), zone);
  return ExitCode::ok;
}

}  // namespace

void add_products_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ProductsOptions>();
  CLI::App* command = app.add_subcommand(
      "products",
      "Product roles (traffic, star, personalized, premium) and the traffic-to-star linkage "
      "audit (docs/products.md)");
  command->add_option("--db", options->db, "Database file")->required();
  command->add_option("--matrix", options->matrix,
                      "Matrix policy JSON file (default: the thresholds of docs/products.md)");
  command->add_option("--from", options->from, "Orders from this time (default: the first event)")
      ->check(time_check());
  command->add_option("--at", options->at, "Orders up to this time (default: the latest event)")
      ->check(time_check());
  add_format_option(*command, options->format);
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

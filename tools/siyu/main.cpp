// The siyu command: a thin layer over the library. Each subcommand parses its options with
// CLI11, calls the library, and prints tables, JSON or CSV; exit codes are in exit_code.hpp.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "command.hpp"
#include "exit_code.hpp"
#include "siyu/siyu.hpp"

namespace {

using siyu::cli::ExitCode;

// One line on stderr naming what was wrong, as every siyu error is reported.
void report(std::string_view message) { std::cerr << "siyu: " << message << '\n'; }

ExitCode run(int argc, char** argv) {
  CLI::App app{"siyu: the engine for private-domain customer operations.", "siyu"};
  app.set_version_flag("--version", "siyu " + std::string(siyu::version()));
  app.footer("Exit codes: 0 ok, 1 error, 2 usage, 3 partial (some records rejected).");
  siyu::cli::Action action;
  siyu::cli::add_import_command(app, action);
  siyu::cli::add_quarantine_command(app, action);
  siyu::cli::add_erase_command(app, action);
  siyu::cli::add_identity_command(app, action);
  siyu::cli::add_funnel_command(app, action);
  siyu::cli::add_retention_command(app, action);
  siyu::cli::add_rfm_command(app, action);
  siyu::cli::add_kpis_command(app, action);
  siyu::cli::add_tiers_command(app, action);
  siyu::cli::add_segments_command(app, action);
  siyu::cli::add_products_command(app, action);
  siyu::cli::add_strategy_command(app, action);
  siyu::cli::add_sop_command(app, action);
  siyu::cli::add_alerts_command(app, action);
  siyu::cli::add_demo_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& help_or_version) {
    return static_cast<ExitCode>(app.exit(help_or_version));
  } catch (const CLI::ParseError& e) {
    report(std::string(e.what()) + " (see siyu --help)");
    return ExitCode::usage;
  }
  if (!action) {
    std::cerr << app.help();
    return ExitCode::usage;
  }
  return action();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return static_cast<int>(run(argc, argv));
  } catch (const siyu::Error& e) {
    report(e.what());
  } catch (const std::exception& e) {
    report(std::string("internal error: ") + e.what());
  } catch (...) {
    report("internal error: unknown exception");
  }
  return static_cast<int>(ExitCode::error);
}

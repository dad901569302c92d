// siyu sop check RULES.json [--db FILE] [--format table|json|csv]
// siyu sop run --db FILE --rules RULES.json --from T --to T [--policy FILE]
//              [--alert-policy FILE] [--words FILE] [--suppressed list|count]
//              [--state FILE] [--format ...]
// siyu sop backtest --db FILE --rules RULES.json --from T --to T [--outcome COND]
//                   [--outcome-window D] [--policy FILE] [--alert-policy FILE]
//                   [--words FILE] [--format ...]
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct CheckOptions {
  std::string rules;
  std::string db;
  std::string format = "table";
};

struct RunOptions {
  std::string db;
  std::string rules;
  std::string from;
  std::string to;
  std::string policy;
  std::string alert_policy;
  std::string words;
  std::string format = "table";
};

// Every error on stderr, as main() prints one; the rules and warnings when there is none.
ExitCode check(const CheckOptions& options) {
  std::optional<Pool> pool;
  if (!options.db.empty()) pool = Store::open(options.db, StoreOptions{.read_only = true}).load();
  const RuleCheck result = check_rules_file(options.rules, pool ? &*pool : nullptr);
  for (const RuleDiagnostic& d : result.errors) {
    std::cerr << "siyu: "
              << RuleError(d.code, d.message,
                           Where{.source = d.source, .line = d.line, .field = d.field})
                     .what()
              << '\n';
  }
  if (!result.rules) return ExitCode::error;
  write_rule_check(std::cout, *result.rules, *find_output_format(options.format));
  return ExitCode::ok;
}

// A rule file and a period over a stored pool, with the tiers and RFM its audiences read,
// ready to run or backtest.
struct Loaded {
  RuleSet rules;
  Pool pool;
  std::optional<TierEngine> tiers;
  std::optional<RfmResult> rfm;
  std::optional<AlertPolicy> alert_policy;
  std::optional<WordList> words;
  SopQuery query;
};

std::unique_ptr<Loaded> load(const RunOptions& options) {
  auto loaded = std::make_unique<Loaded>();
  loaded->rules = read_rules(options.rules);
  const Store store = Store::open(options.db, StoreOptions{.read_only = true});
  loaded->pool = store.load();
  const Pool& pool = loaded->pool;
  const RuleSet& rules = loaded->rules;
  const Zone zone = pool.options().zone;
  const SopQuery base{.from = parse_timestamp(options.from, zone),
                      .to = parse_timestamp(options.to, zone)};
  if (base.to < base.from) {
    throw Error(ErrorCode::invalid_value, "--to comes before --from", Where{.field = "to"});
  }
  const auto moves = [](const SopRule& r) {
    return r.trigger.kind == Trigger::Kind::layer || r.trigger.kind == Trigger::Kind::level;
  };
  const bool tiers_needed = std::any_of(
      rules.rules.begin(), rules.rules.end(),
      [&](const SopRule& r) { return (r.audience && r.audience->needs_tiers()) || moves(r); });
  // Layer and level triggers read the moves up to the period's end; audiences then read the
  // layers as of that end too.
  const bool moves_needed = std::any_of(rules.rules.begin(), rules.rules.end(), moves);
  const bool rfm_needed = std::any_of(rules.rules.begin(), rules.rules.end(), [](const SopRule& r) {
    return r.audience && r.audience->needs_rfm();
  });
  if (tiers_needed) {
    loaded->tiers = replay_tiers(pool, tier_policy_or_defaults(options.policy),
                                 moves_needed ? base.to : base.from);
  }
  if (!options.alert_policy.empty()) loaded->alert_policy = read_alert_policy(options.alert_policy);
  if (!options.words.empty()) loaded->words = read_word_list(options.words);
  if (rfm_needed) loaded->rfm = run_rfm(pool, RfmQuery{.at = base.from});
  loaded->query = base;
  loaded->query.tiers = loaded->tiers ? &*loaded->tiers : nullptr;
  loaded->query.rfm = loaded->rfm ? &*loaded->rfm : nullptr;
  loaded->query.alert_policy = loaded->alert_policy ? &*loaded->alert_policy : nullptr;
  loaded->query.words = loaded->words ? &*loaded->words : nullptr;
  return loaded;
}

struct SopRunOptions : RunOptions {
  std::string suppressed = "list";
  std::string state;
};

// The bytes of the file at `path`, or none when there is no such file.
std::optional<std::string> read_state(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw Error(ErrorCode::io, "cannot read the engine state", Where{.source = path.string()});
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    throw Error(ErrorCode::io, "cannot read the engine state", Where{.source = path.string()});
  }
  return std::move(bytes).str();
}

// Replaces the file at `path` with `bytes` all at once: written beside it, synced, then
// renamed over it, so a crash leaves the old state or the new one, never a torn one.
void write_state(const std::filesystem::path& path, const std::string& bytes) {
  const std::filesystem::path next = path.string() + ".next";
  const auto failed = [&](const char* what) {
    return Error(ErrorCode::io,
                 std::string("cannot ") + what + " the engine state: " + std::strerror(errno),
                 Where{.source = path.string()});
  };
  const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw failed("write");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const Error e = failed("write");
      ::close(fd);
      throw e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const Error e = failed("sync");
    ::close(fd);
    throw e;
  }
  if (::close(fd) != 0) throw failed("write");
  if (std::rename(next.c_str(), path.c_str()) != 0) throw failed("replace");
}

// With `--state`, the run goes on from the engine state the last run kept and keeps its
// own once its output is printed: caps, re-entry and WeCom's limits count across runs.
ExitCode run(const SopRunOptions& options) {
  const auto l = load(options);
  if (options.suppressed == "count") l->query.suppressions = Suppressions::count;
  const OutputFormat format = *find_output_format(options.format);
  const Zone zone = l->pool.options().zone;
  if (options.state.empty()) {
    write_sop_run(std::cout, l->pool, l->query, run_sop(l->pool, l->rules, l->query), format, zone);
    return ExitCode::ok;
  }
  // A state that could not be kept would be found out only after the output: check first.
  const std::filesystem::path folder =
      std::filesystem::absolute(std::filesystem::path(options.state)).parent_path();
  if (!std::filesystem::is_directory(folder)) {
    throw Error(ErrorCode::io, "no folder " + folder.string() + " to keep the engine state in",
                Where{.source = options.state});
  }
  const std::optional<std::string> saved = read_state(options.state);
  SopEngine engine = [&] {
    if (!saved) return SopEngine(l->rules);
    try {
      return SopEngine::restore(l->rules, l->pool, *saved);
    } catch (const Error& e) {  // named by its file, not as bytes
      throw Error(e.code(), e.message(), Where{.source = options.state});
    }
  }();
  if (engine.last() && l->query.from <= *engine.last()) {
    throw Error(ErrorCode::conflict,
                "the state has run up to " + format_timestamp(*engine.last(), zone) +
                    ": --from must come after it, or the actions would be due twice",
                Where{.source = options.state, .field = "from"});
  }
  const SopResult result = engine.run(l->pool, l->query);
  write_sop_run(std::cout, l->pool, l->query, result, format, zone);
  std::cout.flush();
  if (!std::cout) throw Error(ErrorCode::io, "cannot write the run's output");
  write_state(options.state, engine.save(l->pool));
  return ExitCode::ok;
}

struct BacktestOptions : RunOptions {
  std::string outcome = "order_paid";
  std::string outcome_window = "7d";
};

ExitCode backtest(const BacktestOptions& options) {
  const EventCondition outcome = parse_event_condition(options.outcome);
  const Duration window = parse_duration(options.outcome_window);
  const auto l = load(options);
  const BacktestQuery query{.run = l->query, .outcome = outcome, .outcome_window = window};
  write_backtest(std::cout, l->pool, query, backtest_sop(l->pool, l->rules, query),
                 *find_output_format(options.format), l->pool.options().zone);
  return ExitCode::ok;
}

// The options `run` and `backtest` share.
void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("--db", options.db, "Database file")->required();
  command.add_option("--rules", options.rules, "Rule file (JSON)")->required();
  command.add_option("--from", options.from, "Actions due from this time")
      ->required()
      ->check(time_check());
  command.add_option("--to", options.to, "Actions due up to this time")
      ->required()
      ->check(time_check());
  command.add_option("--policy", options.policy,
                     "Tier policy JSON file for audiences and triggers that read layers or levels");
  command.add_option("--alert-policy", options.alert_policy,
                     "Alert policy JSON file for rules triggered by alerts (docs/alerts.md)");
  command.add_option("--words", options.words,
                     "Sensitive word list for rules triggered by sensitive_word alerts");
  add_format_option(command, options.format);
}

}  // namespace

void add_sop_command(CLI::App& app, Action& action) {
  CLI::App* sop = app.add_subcommand("sop", "SOP rules: check a rule file, run it (docs/sop.md)");
  sop->require_subcommand(1);

  auto check_options = std::make_shared<CheckOptions>();
  CLI::App* check_command =
      sop->add_subcommand("check", "Compile a rule file and print its rules and warnings");
  check_command->add_option("rules", check_options->rules, "Rule file (JSON)")->required();
  check_command->add_option(
      "--db", check_options->db,
      "Database whose materials, coupons, groups and staff the rules must name");
  add_format_option(*check_command, check_options->format);
  check_command->callback(
      [check_options, &action] { action = [check_options] { return check(*check_options); }; });

  auto run_options = std::make_shared<SopRunOptions>();
  CLI::App* run_command =
      sop->add_subcommand("run", "The actions a rule file makes due over a period");
  add_run_options(*run_command, *run_options);
  run_command
      ->add_option("--suppressed", run_options->suppressed,
                   "List each suppressed action with its reason (list, the default) or count "
                   "them by rule and guard (count)")
      ->check(CLI::IsMember({"list", "count"}));
  run_command->add_option("--state", run_options->state,
                          "Engine state file: the run goes on from the state it holds (none "
                          "yet: a fresh engine) and replaces it with its own");
  run_command->callback([run_options, &action] {
    // A CSV row is an action or a suppression: counts have no row of that shape.
    if (run_options->suppressed == "count" && run_options->format == "csv") {
      throw CLI::ValidationError("--suppressed count",
                                 "has no CSV form: use --format table or json");
    }
    action = [run_options] { return run(*run_options); };
  });

  auto backtest_options = std::make_shared<BacktestOptions>();
  CLI::App* backtest_command = sop->add_subcommand(
      "backtest", "Replay a rule file over a past period: counts, guards, load, outcome");
  add_run_options(*backtest_command, *backtest_options);
  backtest_command
      ->add_option("--outcome", backtest_options->outcome,
                   "The event that counts as converting (default order_paid)")
      ->check(parsed_by("CONDITION", parse_event_condition));
  backtest_command
      ->add_option("--outcome-window", backtest_options->outcome_window,
                   "How long after an action the outcome counts (default 7d)")
      ->check(parsed_by("DURATION", [](const std::string& v) { return parse_duration(v); }));
  backtest_command->callback([backtest_options, &action] {
    action = [backtest_options] { return backtest(*backtest_options); };
  });
}

}  // namespace siyu::cli

// siyu demo [--db FILE] [--customers N] [--seed S]: generates a tea brand, imports it through
// the same path as `siyu import`, and prints what the pool holds, measured from the log, with
// its funnel and cohorts, its layers, its product matrix, the strategy advice, a backtest
// of the sample onboarding SOP and a day of alerts.
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "siyu/siyu.hpp"

namespace siyu::cli {

namespace {

struct DemoOptions {
  std::string db = "siyu-demo.db";
  std::size_t customers = 20'000;
  std::uint64_t seed = 20'240'101;
};

std::string percent(double share) {
  const long tenths = std::lround(share * 1000.0);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

// Figures of DOMAIN.md §11 measured on the imported log: buyers and conversion, orders,
// GMV net of refunds, and the revenue share of the top fifth of buyers.
void print_figures(const Pool& pool, const SampleBrandSummary& generated) {
  const EventLog& log = pool.events();
  std::array<std::size_t, event_type_count> by_type{};
  for (EventType type : log.types()) ++by_type[static_cast<std::size_t>(type)];

  // Adds, orders, money and coupons as `siyu kpis` counts them over the whole log; the top
  // fifth's share of revenue as `siyu rfm` does.
  const Kpis kpis = run_kpis(pool).overall;
  const RfmResult rfm = run_rfm(pool);

  ReportTable events{.header = {"event type", "events"}};
  for (std::size_t t = 0; t < event_type_count; ++t) {
    if (by_type[t] > 0)
      events.rows.push_back(
          {std::string(to_string(static_cast<EventType>(t))), std::to_string(by_type[t])});
  }
  std::cout << "\nEvents in the log (" << log.size() << "):\n";
  events.print(std::cout);

  std::size_t persons = 0;
  for (std::uint32_t c = 0; c < pool.customers().size(); ++c) {
    if (pool.person(CustomerId{c}) == CustomerId{c}) ++persons;
  }
  ReportTable figures{.header = {"figure", "value", "DOMAIN.md §11"}};
  figures.rows = {
      {"customer keys / persons",
       std::to_string(pool.customers().size()) + " / " + std::to_string(persons), ""},
      {"customers acquired", std::to_string(kpis.new_customers), ""},
      {"buyers", std::to_string(kpis.buyers), ""},
      {"conversion (buyers / acquired)",
       kpis.new_customers ? percent(double(kpis.buyers) / double(kpis.new_customers)) : "-",
       "≈15%"},
      {"orders", std::to_string(kpis.orders), ""},
      {"GMV paid", to_string(Money{kpis.gmv}) + " yuan", ""},
      {"refunded", to_string(Money{kpis.refunded}) + " yuan", ""},
      {"coupons issued / redeemed",
       std::to_string(kpis.coupons_issued) + " / " + std::to_string(kpis.coupons_redeemed),
       "75,000 / 26,800"},
      {"coupon redemption", kpis.redemption_rate ? percent(*kpis.redemption_rate) : "-", "≈35.7%"},
      {"revenue share of the top 20% of buyers",
       rfm.concentration.share ? percent(*rfm.concentration.share) : "-", "≈80%"},
      {"most adds by one staff account in a day", std::to_string(generated.max_daily_adds), "<300"},
  };
  std::cout << "\nMeasured on the imported log:\n";
  figures.print(std::cout);
}

// The analyses an operator runs next, on the pool just imported: the acquisition funnel and
// monthly cohorts (what `siyu funnel` and `siyu retention` print).
void print_analyses(const Pool& pool) {
  const FunnelQuery funnel{
      .steps = parse_funnel_steps("friend_added,content_viewed,order_paid,order_paid"),
      .window = Duration::days(7)};
  std::cout << "\nThe acquisition funnel (siyu funnel):\n";
  write_funnel(std::cout, funnel, run_funnel(pool, funnel), OutputFormat::table);

  const RetentionQuery cohorts{.period = CalendarPeriod::month, .periods = 5};
  std::cout << "\nMonthly cohorts by first add, back with any event (siyu retention):\n";
  write_retention(std::cout, cohorts, run_retention(pool, cohorts), OutputFormat::table,
                  {.revenue = true});

  const KpiQuery kpis{.by = parse_breakdown("channel")};
  std::cout << "\nKPIs over the whole log by channel of acquisition (siyu kpis --by channel):\n";
  write_kpis(std::cout, kpis, run_kpis(pool, kpis), OutputFormat::table, pool.options().zone);

  std::cout << "\nBuyers by RFM segment (siyu rfm):\n";
  write_rfm(std::cout, pool, run_rfm(pool), OutputFormat::table, {.zone = pool.options().zone});
}

// The decisions on top of the numbers: layers and levels, the product matrix, and the
// strategy advisor's reading of the brand (siyu tiers, products and strategy).
void print_decisions(const Pool& pool) {
  const Zone zone = pool.options().zone;
  const TierEngine tiers = replay_tiers(pool, TierPolicy::defaults());
  std::cout << "\nCore, influence and periphery, rebalanced weekly (siyu tiers):\n";
  write_tiers(std::cout, pool, tiers, OutputFormat::table, {.zone = zone});

  std::cout << "\nProduct roles and the traffic-to-star audit (siyu products):\n";
  write_products(std::cout, pool, assess_products(pool), OutputFormat::table, zone);

  std::cout << "\nThe strategy advisor (siyu strategy):\n";
  write_strategy(std::cout, advise(pool, {}, StrategyInputs{.tiers = &tiers}), OutputFormat::table,
                 zone);

  // The onboarding SOP of examples/sop/onboarding.rules.json over the last 60 days of
  // acquisition (the brand stops adding customers 30 days before its last event).
  const RuleSet rules = compile_rules(onboarding_rules(), "examples/sop/onboarding.rules.json");
  const Timestamp last = pool.events().span()->last;
  const Timestamp to = zone.add_days(last, -30);
  const BacktestQuery backtest{.run = {.from = zone.add_days(to, -60), .to = to, .tiers = &tiers}};
  std::cout << "\nThe onboarding SOP of examples/sop/onboarding.rules.json, backtested (siyu sop "
               "backtest):\n";
  write_backtest(std::cout, pool, backtest, backtest_sop(pool, rules, backtest),
                 OutputFormat::table, zone);

  // The alerts of the last day of acquisition, with the word list of the alerts example.
  const WordList words = parse_word_list(alert_words(), "examples/alerts/words.json");
  const AlertQuery alerts{.from = zone.add_days(to, -1), .to = to, .words = &words};
  const AlertResult result = run_alerts(pool, AlertPolicy{}, alerts);
  std::cout << "\nThe alerts of one day, words from examples/alerts/words.json (siyu alerts):\n";
  ReportTable counts{.header = {"kind", "alerts", "first, with its reasons"}};
  for (std::size_t k = 0; k < alert_kind_count; ++k) {
    const auto kind = static_cast<AlertKind>(k);
    const auto first = std::find_if(result.alerts.begin(), result.alerts.end(),
                                    [kind](const Alert& a) { return a.kind == kind; });
    std::string reasons;
    if (first != result.alerts.end()) {
      for (const std::string& r : first->reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    }
    counts.rows.push_back(
        {std::string(to_string(kind)), std::to_string(result.counts[k]), reasons});
  }
  counts.print(std::cout);
  std::cout << result.messages_scanned << " messages scanned ("
            << to_string(result.engine.value_or(MatcherEngine::portable)) << ")\n";
}

ExitCode run(const DemoOptions& options) {
  if (std::filesystem::exists(options.db)) {
    throw Error(ErrorCode::conflict, "the file exists; remove it or name another with --db",
                Where{.source = options.db});
  }
  const SampleBrandOptions brand{.customers = options.customers, .seed = options.seed};
  // A demo file holds made-up people, so its secret for hashing phone numbers comes from the
  // seed; a real pool's secret comes from the host's secret store.
  const PoolOptions pool_options{
      .zone = brand.zone, .secret = "siyu demo secret, seed " + std::to_string(options.seed)};
  Store store = Store::open(options.db, StoreOptions{.pool = pool_options});
  Pool pool = store.load();
  add_sample_directory(pool, brand);

  const std::string events_file = options.db + ".events.csv";
  SampleBrandSummary generated;
  {
    std::ofstream csv(events_file, std::ios::binary);
    if (!csv)
      throw Error(ErrorCode::io, "cannot write the events file", Where{.source = events_file});
    generated = write_sample_events(csv, brand);
  }
  std::cout << "Generated a tea brand: " << generated.customers << " customers, " << generated.staff
            << " staff, " << pool.channels().size() << " channels, " << pool.live_codes().size()
            << " live codes, " << pool.products().size() << " products, " << generated.events
            << " events\n"
            << "  (seed " << options.seed << "; the events are in " << events_file << ")\n\n";

  const IngestReport report = ingest_file(pool, events_file);
  const std::size_t phones = add_sample_identities(pool, brand);
  pool.commit();  // shared phone numbers join second accounts to their person
  store.save(pool);
  ReportTable imported{
      .header = {"file", "read", "accepted", "duplicate", "rejected"},
      .rows = {{report.source, std::to_string(report.read), std::to_string(report.accepted),
                std::to_string(report.duplicate), std::to_string(report.rejected)}}};
  std::cout << "Imported into " << options.db << ":\n";
  imported.print(std::cout);
  std::cout << "Added the phone numbers " << phones
            << " buyers left at checkout (kept as keyed hashes, shown masked).\n";
  print_figures(pool, generated);
  print_analyses(pool);
  print_decisions(pool);
  std::cout << "\nNext: siyu quarantine --db " << options.db
            << " lists rejected records; siyu import --db " << options.db << " FILE adds more.\n";
  return report.rejected > 0 ? ExitCode::partial : ExitCode::ok;
}

}  // namespace

void add_demo_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command =
      app.add_subcommand("demo", "Generate a realistic brand, import it and show what it holds");
  command->add_option("--db", options->db, "Database file to create (default siyu-demo.db)");
  command->add_option("--customers", options->customers, "Customers to generate (default 20000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{50'000'000}));
  command->add_option("--seed", options->seed, "Seed: the same seed makes the same brand");
  command->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace siyu::cli

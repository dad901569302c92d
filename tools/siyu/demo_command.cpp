// siyu demo [--db FILE] [--customers N] [--seed S]: generates a tea brand, imports it through
// the same path as `siyu import`, and prints what the pool holds, measured from the log, with
// its funnel and cohorts.
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

  std::size_t acquired = 0;
  Money paid;
  Money refunded;
  for (std::size_t c = 0; c < log.customer_count(); ++c) {
    const auto range = log.range(CustomerId{static_cast<std::uint32_t>(c)});
    bool added = false;
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const EventType type = log.types()[p];
      added |= type == EventType::friend_added;
      if (type == EventType::order_paid) paid += Money{log.amounts()[p]};
      if (type == EventType::order_refunded) refunded += Money{log.amounts()[p]};
    }
    acquired += added ? 1 : 0;
  }
  // Buyers and the top fifth's share of their revenue, as `siyu rfm` counts them.
  const RfmResult rfm = run_rfm(pool);
  const std::size_t buyers = rfm.buyers.size();

  ReportTable events{.header = {"event type", "events"}};
  for (std::size_t t = 0; t < event_type_count; ++t) {
    if (by_type[t] > 0)
      events.rows.push_back(
          {std::string(to_string(static_cast<EventType>(t))), std::to_string(by_type[t])});
  }
  std::cout << "\nEvents in the log (" << log.size() << "):\n";
  events.print(std::cout);

  const std::size_t orders = by_type[static_cast<std::size_t>(EventType::order_paid)];
  const std::size_t issued = by_type[static_cast<std::size_t>(EventType::coupon_issued)];
  const std::size_t redeemed = by_type[static_cast<std::size_t>(EventType::coupon_redeemed)];
  std::size_t persons = 0;
  for (std::uint32_t c = 0; c < pool.customers().size(); ++c) {
    if (pool.person(CustomerId{c}) == CustomerId{c}) ++persons;
  }
  ReportTable figures{.header = {"figure", "value", "DOMAIN.md §11"}};
  figures.rows = {
      {"customer keys / persons",
       std::to_string(pool.customers().size()) + " / " + std::to_string(persons), ""},
      {"customers acquired", std::to_string(acquired), ""},
      {"buyers", std::to_string(buyers), ""},
      {"conversion (buyers / acquired)",
       acquired ? percent(double(buyers) / double(acquired)) : "-", "≈15%"},
      {"orders", std::to_string(orders), ""},
      {"GMV paid", to_string(paid) + " yuan", ""},
      {"refunded", to_string(refunded) + " yuan", ""},
      {"coupons issued / redeemed", std::to_string(issued) + " / " + std::to_string(redeemed),
       "75,000 / 26,800"},
      {"coupon redemption", issued ? percent(double(redeemed) / double(issued)) : "-", "≈35.7%"},
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

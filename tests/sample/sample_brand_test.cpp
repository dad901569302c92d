#include "siyu/sample/sample_brand.hpp"

#include <algorithm>
#include <sstream>

#include "siyu/ingest/ingest.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

std::string generate(const SampleBrandOptions& options, SampleBrandSummary* summary = nullptr) {
  std::ostringstream out;
  const SampleBrandSummary s = write_sample_events(out, options);
  if (summary != nullptr) *summary = s;
  return out.str();
}

}  // namespace

TEST_CASE("the sample brand is the same for the same seed, byte for byte", "[sample]") {
  const SampleBrandOptions options{.customers = 500, .seed = 7};
  CHECK(generate(options) == generate(options));
  CHECK(generate(options) != generate(SampleBrandOptions{.customers = 500, .seed = 8}));
}

TEST_CASE("every generated event passes validation and lands in the log", "[sample]") {
  const SampleBrandOptions options{.customers = 3000};
  SampleBrandSummary summary;
  std::istringstream csv(generate(options, &summary));
  Pool pool;
  add_sample_directory(pool, options);
  const std::size_t staff = pool.staff().size();
  const IngestReport report = ingest(pool, csv, InputFormat::csv, "sample.csv");
  CHECK(report.rejected == 0);
  CHECK(report.duplicate == 0);
  CHECK(report.accepted == summary.events);
  CHECK(summary.customers == 3000);
  CHECK(summary.staff == staff);
  CHECK(summary.events > 8 * summary.customers);  // about ten events per customer
  CHECK(summary.max_daily_adds < 300);
  // Every staff member, channel, product, coupon, material and group an event names is
  // described by the directory: nothing became a placeholder but the linked unionids and
  // the inviters, who are customers.
  CHECK(report.placeholders.staff == 0);
  CHECK(report.placeholders.channels == 0);
  CHECK(report.placeholders.products == 0);
  CHECK(report.placeholders.coupons == 0);
  CHECK(report.placeholders.materials == 0);
  CHECK(report.placeholders.groups == 0);
  CHECK(report.placeholders.tags == 0);
}

TEST_CASE("the directory has the three team roles and a traffic-to-star product ladder",
          "[sample]") {
  Pool pool;
  add_sample_directory(pool);
  std::size_t roles[3] = {};
  for (const Staff& s : pool.staff().records()) ++roles[static_cast<int>(s.role)];
  CHECK(roles[0] > roles[1]);  // the front line is the most people
  CHECK(roles[1] > 0);
  CHECK(roles[2] > 0);
  const Product& sample = pool.products()[pool.products().id("tea-sample")];
  const Product& star = pool.products()[pool.products().id("longjing-250g")];
  CHECK(sample.price < star.price);
  CHECK(sample.category == star.category);
  for (const LiveCode& code : pool.live_codes().records()) CHECK(code.daily_add_limit < 300);
}

TEST_CASE("buyers' phone numbers join every 40th buyer to the buyer before", "[sample]") {
  const SampleBrandOptions options{.customers = 2000, .seed = 11};
  const auto imported = [&] {
    Pool pool(PoolOptions{.secret = "sample test secret, long enough"});
    std::istringstream csv(generate(options));
    (void)ingest(pool, csv, InputFormat::csv, "sample.csv");
    return pool;
  };
  Pool pool = imported();
  const std::size_t buyers = add_sample_identities(pool, options);
  pool.commit();
  REQUIRE(buyers > 200);
  CHECK(pool.identities().size() == buyers - buyers / 40);
  std::size_t shared = 0;
  for (const Identity& identity : pool.identities().records()) {
    CHECK(identity.kind == IdentityKind::phone);
    CHECK(identity.display.size() == 11);  // 138****1234
    const auto holders = pool.holders(pool.identities().id(identity.key));
    if (holders.size() == 2) {
      ++shared;
      CHECK(pool.person(holders[1]) == holders[0]);
    }
  }
  CHECK(shared == buyers / 40);

  Pool again = imported();
  (void)add_sample_identities(again, options);
  CHECK(std::ranges::equal(again.identities().records(), pool.identities().records()));
}

}  // namespace siyu

#pragma once
// A small copy of the sample brand, imported with its identities, for tests that check an
// engine against a reference over realistic data.

#include <sstream>

#include "siyu/ingest/ingest.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/sample/sample_brand.hpp"
#include "support/catch.hpp"

namespace siyu::testing {

inline Pool sample_pool(std::size_t customers = 2'000, std::uint64_t seed = 20'240'101) {
  const SampleBrandOptions options{.customers = customers, .seed = seed};
  Pool pool(PoolOptions{.secret = "a test secret of sixteen bytes+"});
  add_sample_directory(pool, options);
  std::stringstream csv;
  (void)write_sample_events(csv, options);
  const IngestReport report = ingest(pool, csv, InputFormat::csv, "sample.csv");
  REQUIRE(report.rejected == 0);
  (void)add_sample_identities(pool, options);
  pool.commit();
  return pool;
}

}  // namespace siyu::testing

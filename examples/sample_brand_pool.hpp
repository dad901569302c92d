#pragma once
// The sample tea brand the examples run on (docs/sample.md), generated and ingested
// through the same path a host's events take. Everything else in each example stands alone.
#include <siyu/siyu.hpp>
#include <sstream>

namespace examples {

/// 2,000 customers of the sample brand, ingested from interchange CSV.
inline siyu::Pool sample_brand_pool() {
  const siyu::SampleBrandOptions brand{.customers = 2'000};
  siyu::Pool pool;
  siyu::add_sample_directory(pool, brand);
  std::stringstream csv;
  (void)siyu::write_sample_events(csv, brand);
  (void)siyu::ingest(pool, csv, siyu::InputFormat::csv, "sample.csv");
  return pool;
}

}  // namespace examples

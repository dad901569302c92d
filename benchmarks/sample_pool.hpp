#pragma once
// The sample brand the benchmarks run on. SIYU_BENCH_CUSTOMERS sets its size (default
// 100,000 customers, about a million events); the issue targets are quoted at 1,000,000.

#include <sys/resource.h>

#include <cstdlib>
#include <sstream>
#include <string>

#include "siyu/siyu.hpp"

namespace siyu::bench {

inline std::size_t brand_customers() {
  const char* text = std::getenv("SIYU_BENCH_CUSTOMERS");
  return text != nullptr ? static_cast<std::size_t>(std::strtoull(text, nullptr, 10)) : 100'000;
}

inline const SampleBrandOptions& brand() {
  static const SampleBrandOptions options{.customers = brand_customers()};
  return options;
}

/// The brand's events as interchange CSV, generated once per process.
inline const std::string& brand_csv() {
  static const std::string csv = [] {
    std::ostringstream out;
    (void)write_sample_events(out, brand());
    return out.str();
  }();
  return csv;
}

/// The process's peak resident memory so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// A pool holding the brand's directory and events, read through the ingest path.
inline Pool ingested_pool() {
  Pool pool;
  add_sample_directory(pool, brand());
  std::istringstream in(brand_csv());
  (void)ingest(pool, in, InputFormat::csv, "brand.csv");
  return pool;
}

}  // namespace siyu::bench

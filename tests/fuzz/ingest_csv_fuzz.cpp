// Fuzzes the CSV reader: any bytes either fail on the header with siyu::ParseError or are
// read to the end, every record accounted for (accepted + duplicate + rejected = read) and
// every rejection kept in the quarantine. Small read chunks put records across boundaries.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "siyu/siyu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const std::size_t chunk : {std::size_t{3}, std::size_t{1} << 20}) {
    siyu::Pool pool;
    std::istringstream in(text);
    try {
      const auto report = siyu::ingest(pool, in, siyu::InputFormat::csv, "fuzz.csv",
                                       siyu::IngestOptions{.chunk_bytes = chunk});
      if (report.accepted + report.duplicate + report.rejected != report.read) std::abort();
      if (pool.quarantine().size() != report.rejected) std::abort();
      if (pool.events().size() != report.accepted) std::abort();
    } catch (const siyu::ParseError& e) {
      if (e.where().field != "header") std::abort();
    }
  }
  return 0;
}

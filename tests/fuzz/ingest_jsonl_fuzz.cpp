// Fuzzes the JSONL reader: any bytes are read to the end with every line accounted for
// (accepted + duplicate + rejected = read) and every rejection in the quarantine.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "siyu/siyu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  siyu::Pool pool;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  const auto report = siyu::ingest(pool, in, siyu::InputFormat::jsonl, "fuzz.jsonl");
  if (report.accepted + report.duplicate + report.rejected != report.read) std::abort();
  if (pool.quarantine().size() != report.rejected) std::abort();
  if (pool.events().size() != report.accepted) std::abort();
  return 0;
}

// Fuzzes the core text parsers: money, durations, timestamps, dates and zones. Any input
// either parses or throws siyu::Error (never anything else, never a crash), and whatever
// parses formats back to text that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "siyu/siyu.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

template <class Parse>
void fuzz_one(Parse parse) {
  try {
    parse();
  } catch (const siyu::Error&) {
    // Rejected input is the expected outcome for most of what the fuzzer tries.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  fuzz_one([&] {
    const siyu::Money m = siyu::parse_money(text);
    require(siyu::parse_money(siyu::to_string(m)) == m);
  });
  fuzz_one([&] {
    const siyu::Duration d = siyu::parse_duration(text, siyu::Sign::any);
    require(siyu::parse_duration(siyu::to_string(d), siyu::Sign::any) == d);
  });
  for (const siyu::Zone zone : {siyu::Zone::china(), siyu::Zone::utc(), siyu::Zone{-5 * 3600}}) {
    fuzz_one([&] {
      const siyu::Timestamp t = siyu::parse_timestamp(text, zone);
      require(t >= siyu::Timestamp::earliest() && t <= siyu::Timestamp::latest());
      const auto local = zone.local_date(t);
      require(local.month >= 1 && local.month <= 12);
      require(siyu::parse_timestamp(siyu::format_timestamp(t, zone), zone) == t);
    });
  }
  fuzz_one([&] {
    const siyu::LocalDate date = siyu::parse_local_date(text);
    require(siyu::to_string(date) == text);
  });
  fuzz_one([&] {
    const siyu::Zone zone = siyu::parse_zone(text);
    require(siyu::parse_zone(siyu::to_string(zone)) == zone);
  });
  return 0;
}

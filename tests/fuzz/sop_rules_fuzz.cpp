// Fuzzes the SOP rule compiler: any input either compiles or throws siyu::Error (a
// RuleError naming the file, line and field for anything past the JSON's syntax), never
// anything else and never a crash; and every audience it accepts parses again from its text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "siyu/siyu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const siyu::RuleSet rules = siyu::compile_rules(text, "fuzz.json");
    for (const siyu::SopRule& rule : rules.rules) {
      if (rule.audience &&
          siyu::Audience::parse(rule.audience->text()).text() != rule.audience->text()) {
        std::abort();
      }
    }
  } catch (const siyu::Error&) {
    // Rejected rule files are the expected outcome for most of what the fuzzer tries.
  }
  return 0;
}

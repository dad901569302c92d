// Fuzzes the alerts module's file readers: any input is a word list, an alert policy, or a
// siyu::Error naming what is wrong, never anything else and never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "siyu/siyu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const siyu::WordList list = siyu::parse_word_list(text, "fuzz.json");
    (void)siyu::wecom_limit_breaches(list);
  } catch (const siyu::Error&) {
    // Most inputs are not word lists.
  }
  try {
    siyu::parse_alert_policy(text, "fuzz.json").validate();
  } catch (const siyu::Error&) {
    // Nor alert policies.
  }
  return 0;
}

// Fuzzes restoring a saved SOP engine (`SopEngine::restore`): any bytes either restore or
// throw siyu::Error, never anything else and never a crash; and a state that restores saves
// to bytes that restore to the same memory. The seed (corpus/sop_state/day.state) is what
// an engine of these rules saved after running 2024-05-01 over this pool: entries, counts,
// a staff load and reminders.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/siyu.hpp"

namespace {

const siyu::Pool& pool() {
  static const siyu::Pool pool = [] {
    siyu::Pool p;
    p.staff().upsert(siyu::Staff{.key = "s1"});
    std::vector<siyu::Event> events;
    for (int c = 0; c < 3; ++c) {
      events.push_back(siyu::Event{
          .id = "e" + std::to_string(c),
          .ts = siyu::parse_timestamp("2024-05-01T10:0" + std::to_string(c) + ":00+08:00"),
          .customer = "c" + std::to_string(c),
          .type = siyu::EventType::friend_added,
          .staff = "s1"});
    }
    (void)p.add_events(events);
    p.commit();
    return p;
  }();
  return pool;
}

const siyu::RuleSet& rules() {
  static const siyu::RuleSet rules = siyu::compile_rules(R"({
    "guards": {"per_customer_day": 1, "per_staff_day": 5, "wecom": {"staff_reminders": true}},
    "rules": [
      {"key": "a", "trigger": {"event": "friend_added"},
       "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "b", "marketing": false, "trigger": {"event": "friend_added"}, "reentry": "every_time",
       "actions": [{"kind": "notify_staff", "text": "new"}]}]})");
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const siyu::SopEngine engine = siyu::SopEngine::restore(rules(), pool(), bytes);
    const std::string again = engine.save(pool());
    if (siyu::SopEngine::restore(rules(), pool(), again).memory() != engine.memory()) std::abort();
  } catch (const siyu::Error&) {
    // Damaged states are the expected outcome for most of what the fuzzer tries.
  }
  return 0;
}

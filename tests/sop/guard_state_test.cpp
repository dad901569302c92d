// What a long-running engine remembers between periods stays within what its guards read:
// a day's staff loads, a day's reminders, each person's entries that re-entry still reads.
#include <algorithm>
#include <cstdint>

#include "siyu/model/pool.hpp"
#include "siyu/sop/rule.hpp"
#include "sop/run.hpp"
#include "support/catch.hpp"
#include "support/sample_pool.hpp"

namespace siyu::detail {
namespace {

TEST_CASE("a long-running engine's memory does not grow with the periods it has run", "[sop]") {
  const Pool pool = testing::sample_pool(1'000);
  const RuleSet rules = compile_rules(R"({
    "guards": {"per_staff_day": 4, "wecom": {"staff_reminders": true, "welcome": true}},
    "rules": [
      {"key": "reply", "trigger": {"event": "message_in", "delay": "1d", "at": "10:00"},
       "reentry": {"every_days": 2}, "actions": [{"kind": "send_message", "text": "hi"}]},
      {"key": "welcome", "marketing": false, "trigger": {"event": "friend_added"},
       "reentry": "every_time", "actions": [{"kind": "send_message", "text": "welcome"}]},
      {"key": "tell", "marketing": false, "trigger": {"event": "message_in"},
       "reentry": "every_time", "actions": [{"kind": "notify_staff", "text": "{customer}"}]}
    ]})");
  const Zone zone = pool.options().zone;
  const Timestamp last = pool.events().span()->last;
  GuardState state;
  RunMemory memory;
  std::size_t most_loads = 0;
  std::size_t most_reminders = 0;
  std::size_t entries = 0;
  for (Timestamp start = zone.add_days(last, -100); start < zone.add_days(last, -10);
       start = zone.add_days(start, 1)) {
    const SopQuery query{.from = start, .to = Timestamp{zone.add_days(start, 1).micros - 1}};
    entries += run_entries(pool, rules, query, state, memory).entries.size();
    // Loads of the run's two local days, at most 3 reminders a staff member in 24 hours
    // and as many again in the run.
    most_loads = std::max(most_loads, state.per_staff.size());
    std::size_t reminders = 0;
    for (const auto& [staff, times] : state.reminders) {
      CHECK(times.size() <= 6);
      reminders += times.size();
    }
    most_reminders = std::max(most_reminders, reminders);
    for (const PersonMarks& marks : state.persons) {
      // Every-time rules are never looked up; the 2-day rule only within 2 days.
      CHECK(marks.entered.find(1) == nullptr);
      CHECK(marks.entered.find(2) == nullptr);
      const std::int64_t* reply = marks.entered.find(0);
      if (reply != nullptr) CHECK(query.from.micros - *reply < 2 * 86'400'000'000LL);
    }
  }
  REQUIRE(entries > 1'000);
  REQUIRE(most_reminders > 0);
  CHECK(most_loads <= 2 * pool.staff().size());
}

}  // namespace
}  // namespace siyu::detail

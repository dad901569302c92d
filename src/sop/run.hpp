#pragma once
// The SOP engine's compact output: what `run_sop` expands into actions with their texts and
// suppressions with their reasons, and what a backtest counts without either.

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <unordered_map>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/id.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/sop/engine.hpp"
#include "sop/flat_map.hpp"

namespace siyu::detail {

/// The guards in the order they are checked.
enum class Guard : std::uint8_t {
  audience,
  exit,
  reentry,
  consent,
  holdout,
  quiet_hours,
  per_customer_day,
  per_customer_week,
  per_customer_month,
  wecom_mass_messages,
  wecom_welcome,
  wecom_staff_reminders,
  wecom_transfers,
  per_staff_day,
};
inline constexpr std::size_t guard_count = static_cast<std::size_t>(Guard::per_staff_day) + 1;

/// "audience", "exit", … as `SuppressedAction::guard` names them.
std::string_view to_string(Guard guard) noexcept;

/// A rule entered for a person: its actions are due, one per template of the rule.
struct Entry {
  std::uint32_t rule = 0;
  CustomerId customer;
  std::int64_t due = 0;      // after any hold for quiet hours
  std::int64_t planned = 0;  // before it: the candidate's place in the run's order
  std::optional<std::uint64_t> event;
  ProductId product;
  std::uint16_t passed = 0;  // bit per Guard checked and passed
  std::uint32_t actors = 0;  // index of its first actor in SopRun::actors
};

/// A candidate a guard stopped, with the figures its reason quotes.
struct Stop {
  std::uint32_t rule = 0;
  CustomerId customer;
  std::int64_t due = 0;
  std::int64_t planned = 0;  // the due before any hold, as `Entry::planned`
  Guard guard = Guard::audience;
  std::uint8_t variant = 0;  // which of the guard's reasons
  std::int64_t a = 0;        // figures: counts, days, staff ids, caps
  std::int64_t b = 0;
};

/// Entries in due order (then priority, rule, customer), the staff who act on each of their
/// actions, the stops recorded in candidate order, and all stops counted by rule and guard.
struct SopRun {
  std::vector<Entry, ColumnAllocator<Entry>> entries;
  std::vector<StaffId, ColumnAllocator<StaffId>> actors;
  std::vector<Stop, ColumnAllocator<Stop>> stops;
  std::vector<std::array<std::uint64_t, guard_count>> stopped;  // by rule, then guard
};

/// Calls `visit(rule, guard, count)` for each rule and guard that stopped something: rules
/// in rule-set order, guards in the order they are checked.
template <class Visit>
void for_each_stopped(const SopRun& run, const Visit& visit) {
  for (std::uint32_t r = 0; r < run.stopped.size(); ++r) {
    for (std::size_t g = 0; g < guard_count; ++g) {
      if (run.stopped[r][g] > 0) visit(r, to_string(Guard(g)), run.stopped[r][g]);
    }
  }
}

/// What the guards remember of one person between periods: kept together, so judging a
/// person's candidates searches a few cache lines instead of tables of millions.
struct PersonMarks {
  SmallMap<std::int64_t> entered;       // last entry by rule
  SmallMap<std::uint32_t> counts;       // actions and mass messages by period (`period_key`)
  std::vector<std::uint64_t> welcomed;  // add events welcomed in this run
  std::vector<std::int64_t> transferred;

  /// Whether nothing is remembered.
  [[nodiscard]] bool empty() const noexcept {
    return entered.size() + counts.size() + welcomed.size() + transferred.size() == 0;
  }
  /// Nothing remembered, keeping the memory for another person.
  void clear() noexcept {
    entered.clear();
    counts.clear();
    welcomed.clear();
    transferred.clear();
  }
};

/// The key of a staff member's load on a local day in `GuardState::per_staff`.
inline std::uint64_t staff_day(std::uint32_t staff, std::int64_t day) {
  return (std::uint64_t{staff} << 32U) | static_cast<std::uint32_t>(day);
}

/// What the guards remember between periods: each person's marks, and the staff loads.
/// Each run first drops what none of its candidates can read, so this follows the recent
/// periods, not the engine's history.
struct GuardState {
  /// False for a run whose state is dropped after it (a backtest): when each person is
  /// judged alone, their marks are then kept only while they are judged.
  bool remember = true;
  FlatMap<std::uint32_t> person_slot;  // person -> 1 + index in `persons`
  std::deque<PersonMarks> persons;     // a deque: marks stay put while others are added
  FlatMap<std::uint32_t> per_staff;    // by staff and day
  std::unordered_map<std::uint32_t, std::vector<std::int64_t>> reminders;  // by staff

  PersonMarks& marks(std::uint32_t person) {
    std::uint32_t& slot = person_slot[person];
    if (slot == 0) {
      persons.emplace_back();
      slot = static_cast<std::uint32_t>(persons.size());
    }
    return persons[slot - 1];
  }

  /// Gives up the slots of persons with nothing remembered once they are half of all, so a
  /// long-running engine's slots follow the persons it remembers, not all it ever judged.
  /// Invalidates references to marks.
  void compact() {
    const auto empty = static_cast<std::size_t>(std::count_if(
        persons.begin(), persons.end(), [](const PersonMarks& m) { return m.empty(); }));
    if (empty * 2 <= persons.size()) return;
    std::deque<PersonMarks> kept;
    FlatMap<std::uint32_t> slots;
    person_slot.for_each([&](std::uint64_t person, std::uint32_t slot) {
      PersonMarks& m = persons[slot - 1];
      if (m.empty()) return;
      kept.push_back(std::move(m));
      slots[person] = static_cast<std::uint32_t>(kept.size());
    });
    persons.swap(kept);
    person_slot = std::move(slots);
  }
};

/// What a backtest reads of a run, handed over as the guards decide, in no particular
/// order: each entry with the staff who act on its actions, and the holdout's stops. With
/// many rules these are tens of millions at a million customers, so the run keeps none.
class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void entry(const Entry& entry, std::span<const StaffId> actors) = 0;
  virtual void holdout(const Stop& stop) = 0;

 protected:
  RunSink() = default;
  RunSink(const RunSink&) = default;
  RunSink& operator=(const RunSink&) = default;
};

/// Memory a run reuses from the one before, not state: runs give the same output with or
/// without it. A day's profiles, recomputed in place for the next day's few persons.
struct RunMemory {
  std::optional<Profiles> profiles;
};

/// The engine behind `run_sop`, `backtest_sop` and `SopEngine`: the period's candidates,
/// through the guards, which read and update `state`. With a `sink`, entries and the
/// holdout's stops go to it and the run returns only the counts of stops; without one, the
/// stops are listed unless the query asks only for their counts.
SopRun run_entries(const Pool& pool, const RuleSet& rules, const SopQuery& query, GuardState& state,
                   RunMemory& memory, RunSink* sink = nullptr);

/// A saved engine read back: the end of its last period and its guards' memory.
struct SavedEngine {
  std::optional<Timestamp> last;
  GuardState guards;
};

/// `SopEngine::save`: the state with customers, staff and rules named by key.
std::string save_engine(const GuardState& guards, std::optional<Timestamp> last,
                        const RuleSet& rules, const Pool& pool);

/// `SopEngine::restore`: the state `saved` holds, for `rules` over `pool`.
SavedEngine restore_engine(std::string_view saved, const RuleSet& rules, const Pool& pool);

/// The sentence `run_sop` gives a stop.
std::string reason_of(const Stop& stop, const RuleSet& rules, const Pool& pool);

}  // namespace siyu::detail

#pragma once
// The SOP engine's compact output: what `run_sop` expands into actions with their texts and
// suppressions with their reasons, and what a backtest counts without either.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <set>
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
  std::int64_t due = 0;  // after any hold for quiet hours
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
  Guard guard = Guard::audience;
  std::uint8_t variant = 0;  // which of the guard's reasons
  std::int64_t a = 0;        // figures: counts, days, staff ids, caps
  std::int64_t b = 0;
};

/// Which stops a run records; it counts them all.
enum class StopRecords : std::uint8_t {
  all,      // every stop, for `run_sop`'s suppressions
  holdout,  // the holdout's only, for a backtest's outcomes: with many rules the stops are
            // tens of millions at a million customers, gigabytes nobody reads
};

/// Entries in due order (then priority, rule, customer), the staff who act on each of their
/// actions, the stops recorded in candidate order, and all stops counted by rule and guard.
struct SopRun {
  std::vector<Entry, ColumnAllocator<Entry>> entries;
  std::vector<StaffId, ColumnAllocator<StaffId>> actors;
  std::vector<Stop, ColumnAllocator<Stop>> stops;
  std::vector<std::array<std::uint64_t, guard_count>> stopped;  // by rule, then guard
};

/// What the guards remember between periods: entries for re-entry, actions per customer and
/// period for the caps and WeCom's limits, staff loads.
struct GuardState {
  FlatMap<std::int64_t> entered;  // last entry by (rule, person)
  FlatMap<std::uint32_t> per_day;
  FlatMap<std::uint32_t> per_week;
  FlatMap<std::uint32_t> per_month;
  FlatMap<std::uint32_t> per_staff;
  FlatMap<std::uint32_t> mass_sent;                                        // by customer and period
  std::set<std::uint64_t> welcomed;                                        // add events welcomed
  std::unordered_map<std::uint32_t, std::vector<std::int64_t>> reminders;  // by staff
  std::unordered_map<std::uint32_t, std::vector<std::int64_t>> transferred;  // by person
};

/// Memory a run reuses from the one before, not state: runs give the same output with or
/// without it. A day's profiles, recomputed in place for the next day's few persons.
struct RunMemory {
  std::optional<Profiles> profiles;
};

/// The engine behind `run_sop`, `backtest_sop` and `SopEngine`: the period's candidates,
/// through the guards, which read and update `state`.
SopRun run_entries(const Pool& pool, const RuleSet& rules, const SopQuery& query, GuardState& state,
                   RunMemory& memory, StopRecords records = StopRecords::all);

/// The sentence `run_sop` gives a stop.
std::string reason_of(const Stop& stop, const RuleSet& rules, const Pool& pool);

}  // namespace siyu::detail

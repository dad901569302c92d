#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/sop/rule.hpp"

namespace siyu {

class Pool;
class TierEngine;
struct RfmResult;

/// An action due for the host to carry out: what, for whom, by whom, when, and why.
/// Thread-safety: a plain value.
struct Action {
  std::string rule;                            ///< The rule's key.
  ActionKind kind = ActionKind::send_message;  ///< What to do.
  CustomerId customer;                         ///< The person it is for.
  StaffId staff;       ///< Who must act; none when the customer has no owner.
  std::string target;  ///< The material, tag, coupon or group key.
  std::string text;    ///< The text with its placeholders filled in.
  Timestamp due;       ///< When it is due (after any hold for quiet hours).
  std::optional<std::uint64_t> trigger_event;  ///< The event that fired it (`EventId`).
  std::vector<std::string> guards;  ///< The guards it passed, in the order they were checked.

  /// Actions compare field by field.
  friend bool operator==(const Action&, const Action&) = default;
};

/// An action a guard stopped, kept so a backtest can say why. Thread-safety: a plain value.
struct SuppressedAction {
  std::string rule;     ///< The rule's key.
  CustomerId customer;  ///< The person.
  Timestamp due;        ///< When it would have been due.
  /// The guard: audience, exit, reentry, consent, holdout, quiet_hours, per_customer_day,
  /// per_customer_week, per_customer_month, wecom_mass_messages, wecom_welcome,
  /// wecom_staff_reminders, wecom_transfers or per_staff_day.
  std::string guard;
  std::string reason;  ///< A sentence with the figures.

  /// Suppressions compare field by field.
  friend bool operator==(const SuppressedAction&, const SuppressedAction&) = default;
};

/// How a run reports the actions the guards stopped.
enum class Suppressions : std::uint8_t {
  list,   ///< Each one in `SopResult::suppressed` with its reason, and counted.
  count,  ///< Only counted: for hosts that keep the numbers, not a line per suppression.
};

/// Which period a run covers and what audiences read. Thread-safety: a plain value.
struct SopQuery {
  Timestamp from;  ///< Actions due at or after this …
  Timestamp to;    ///< … and at or before this (a quiet-hours hold may move one past it).
  /// For audiences that read layers or levels, and for layer and level triggers, which read
  /// its moves (`history()`): they must reach `to`.
  const TierEngine* tiers = nullptr;
  const RfmResult* rfm = nullptr;  ///< For audiences that read RFM segments.
  /// For alert triggers: the policy alerts are judged by (the defaults when none) …
  const AlertPolicy* alert_policy = nullptr;
  const WordList* words = nullptr;  ///< … and the sensitive words (none: no word alerts).
  /// Whether suppressions are listed or only counted. With many rules most candidates are
  /// suppressed, and listing them is most of an incremental run's work.
  Suppressions suppressions = Suppressions::list;
};

/// How many of a rule's actions one guard stopped in a run. Thread-safety: a plain value.
struct SuppressionCount {
  std::string rule;         ///< The rule's key.
  std::string guard;        ///< The guard, named as `SuppressedAction::guard`.
  std::uint64_t count = 0;  ///< How many entries it stopped (an entry may have several actions).
  /// Counts compare field by field.
  friend bool operator==(const SuppressionCount&, const SuppressionCount&) = default;
};

/// The actions due in a period and those the guards stopped. Thread-safety: a plain value.
struct SopResult {
  std::vector<Action> actions;               ///< By due time, then priority, rule, customer.
  std::vector<SuppressedAction> suppressed;  ///< In the same order; none when only counted.
  /// The suppressions counted, listed or not: by rule in rule-set order, then guard in the
  /// order the guards are checked; only guards that stopped something.
  std::vector<SuppressionCount> suppression_counts;
};

/// Runs `rules` over the pool's log for the period (docs/sop.md, "Engine"): every trigger whose
/// action falls due in the period, then audiences (each customer's state at the start of
/// the due's local day), exits, re-entry and the guards, which count the actions of this
/// run. Deterministic: the same log, rules and period give the same result. Throws as
/// `AudienceMatcher` for an audience naming a key the pool lacks, `NotFound` for an event
/// condition's key or a level the pool or ladder lacks, `ConfigError` for layer or level
/// triggers without `tiers`, and as `run_alerts` for alert triggers. Reads only.
[[nodiscard]] SIYU_EXPORT SopResult run_sop(const Pool& pool, const RuleSet& rules,
                                            const SopQuery& query);

/// What an incremental engine carries from one period to the next, for a host that watches
/// a long-running engine's memory (docs/sop.md, "Incremental engine"). Thread-safety: a
/// plain value.
struct SopEngineMemory {
  std::uint64_t customers = 0;   ///< Customers with anything below kept.
  std::uint64_t entries = 0;     ///< Last entries into rules that re-entry still reads.
  std::uint64_t counts = 0;      ///< Action and mass-message counts of days, weeks, months.
  std::uint64_t welcomes = 0;    ///< Adds welcomed in the last period.
  std::uint64_t transfers = 0;   ///< Transfers within WeCom's 90 days.
  std::uint64_t staff_days = 0;  ///< Staff members' action counts by local day.
  std::uint64_t reminders = 0;   ///< Staff reminders within 24 hours of the last period.

  /// Memories compare field by field.
  friend bool operator==(const SopEngineMemory&, const SopEngineMemory&) = default;
};

/// Runs a rule set incrementally (docs/sop.md, "Incremental engine"): the host appends new
/// events to its pool and runs the period since the last one, and the engine carries
/// re-entry, caps, WeCom's limits and staff loads across periods. Consecutive periods give
/// the same actions as one `run_sop` over their union. Thread-safety: one run at a time.
class SIYU_EXPORT SopEngine {
 public:
  /// An engine for `rules` that has run no period yet.
  explicit SopEngine(RuleSet rules);
  /// Moves.
  SopEngine(SopEngine&&) noexcept;
  /// Moves.
  SopEngine& operator=(SopEngine&&) noexcept;
  ~SopEngine();

  /// The actions due in `query`'s period, which must start after the last period's end
  /// (throws `ConfigError` for an overlap or a reversed period). An event that arrives
  /// after the period its action fell due in has passed is not acted on. Throws as
  /// `run_sop` otherwise.
  [[nodiscard]] SopResult run(const Pool& pool, const SopQuery& query);
  /// The end of the last period run; none before the first.
  [[nodiscard]] std::optional<Timestamp> last() const noexcept;
  /// The rules.
  [[nodiscard]] const RuleSet& rules() const noexcept;
  /// What it carries into the next period: each run first drops what none of its
  /// candidates can read, so this follows the recent periods, not the engine's history.
  [[nodiscard]] SopEngineMemory memory() const noexcept;

  /// Its state as bytes for a host to keep (a file, a database row) and restore after a
  /// restart: the end of the last period and what `memory()` counts, with customers, staff
  /// and rules named by their keys (docs/sop.md, "Saving and restoring"). `pool` is the
  /// pool it has run over.
  [[nodiscard]] std::string save(const Pool& pool) const;
  /// An engine for `rules` that goes on from `saved` as the engine that saved it would.
  /// Entries of rules `rules` no longer has, and marks of customers and staff `pool` no
  /// longer has, are dropped; customers linked into one person since are kept as one.
  /// Throws `ParseError` for bytes that are not a saved state or are damaged, and
  /// `ConfigError` for a state saved in another format.
  [[nodiscard]] static SopEngine restore(RuleSet rules, const Pool& pool, std::string_view saved);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace siyu

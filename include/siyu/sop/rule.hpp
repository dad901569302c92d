#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/alerts/alerts.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/error.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_condition.hpp"
#include "siyu/segments/audience.hpp"

namespace siyu {

class Pool;

/// What an action asks the host to do (siyu decides; the host sends).
enum class ActionKind : std::uint8_t {
  send_material,    ///< Send a material to the customer through the staff member.
  send_message,     ///< Send a text message to the customer through the staff member.
  send_to_group,    ///< Send a material or text to a customer group.
  add_tag,          ///< Tag the customer.
  remove_tag,       ///< Untag the customer.
  notify_staff,     ///< Notify the staff member.
  notify_manager,   ///< Notify the staff member's manager.
  create_task,      ///< Create a task for the staff member.
  issue_coupon,     ///< Issue a coupon to the customer.
  invite_to_group,  ///< Invite the customer to a customer group.
  /// Hand the customer to another staff member (在职继承); `target` is their staff key.
  transfer_customer,
};

/// "send_material", "send_message", ….
[[nodiscard]] SIYU_EXPORT std::string_view to_string(ActionKind kind) noexcept;
/// The kind named `name`, or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<ActionKind> find_action_kind(
    std::string_view name) noexcept;
/// True for the kinds that reach the customer (sends, coupons, invitations): what
/// frequency caps, quiet hours and consent govern.
[[nodiscard]] SIYU_EXPORT bool reaches_customer(ActionKind kind) noexcept;

/// One action of a rule, before it is filled in for a customer. Thread-safety: a plain value.
struct ActionTemplate {
  ActionKind kind = ActionKind::send_message;  ///< What to do.
  /// What it names, by key: the material (send_material, optionally send_to_group), tag,
  /// coupon or group (send_to_group, invite_to_group); empty for messages and notices.
  std::string target;
  /// Text with placeholders `{customer}`, `{staff}` and `{product}` (the trigger event's
  /// product), filled in per action.
  std::string text;
  /// Who must act, by staff key; empty for the customer's owner.
  std::string staff;

  /// Templates compare field by field.
  friend bool operator==(const ActionTemplate&, const ActionTemplate&) = default;
};

/// When a rule fires. Thread-safety: a plain value.
struct Trigger {
  /// What starts the rule.
  enum class Kind : std::uint8_t {
    event,     ///< When an event matching `event` happens (plus `delay`, at `at_minute`).
    schedule,  ///< On a calendar schedule, for every customer of the audience.
    alert,     ///< When an alert of kind `alert` falls due (plus `delay`, at `at_minute`).
    /// When a customer enters (or, with `leaving`, leaves) the audience `watch`, judged at
    /// the start of each local day.
    audience,
    layer,  ///< When a rebalance moves a customer into (or out of) the layer named `tier`.
    level,  ///< When a rebalance moves a customer onto (or off) the ladder level `tier`.
  };
  Kind kind = Kind::event;             ///< What starts the rule.
  EventCondition event;                ///< The event (kind event).
  AlertKind alert = AlertKind::churn;  ///< The alert (kind alert).
  /// The audience expression watched (kind audience), as written; it cannot read layers or
  /// levels (their moves are the layer and level triggers).
  std::string watch;
  std::string tier;      ///< The layer ("core", "influence", "periphery") or level key.
  bool leaving = false;  ///< Kinds audience, layer and level: fire on leaving, not entering.
  /// How long after the event the action is due ("day 3 after friend_added": 3d); 0 for
  /// at once.
  Duration delay;
  /// Minutes after local midnight: the action is due at this time on the day `delay` lands
  /// on ("day 3 at 20:00"), or, for a schedule, the time it runs.
  std::optional<std::int32_t> at_minute;
  /// Schedules: every week on `day` (1 Monday to 7 Sunday) or every month on `day` (1-31;
  /// the last day of shorter months).
  enum class Every : std::uint8_t { week, month };
  Every every = Every::week;  ///< The schedule's period.
  std::int32_t day = 1;       ///< The schedule's day within the period.

  /// Triggers compare field by field.
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

/// How often one customer may enter a rule. Thread-safety: a plain value.
struct Reentry {
  /// The re-entry policy.
  enum class Kind : std::uint8_t {
    once,        ///< Once ever.
    every_time,  ///< Every time the trigger fires.
    per_period,  ///< At most once per `period`.
  };
  Kind kind = Kind::once;  ///< The policy.
  Duration period;         ///< For per_period.

  /// Policies compare field by field.
  friend bool operator==(const Reentry&, const Reentry&) = default;
};

/// A SOP rule: trigger, audience, actions, exit criteria, re-entry and priority
/// (docs/sop.md). Thread-safety: a plain value.
struct SopRule {
  std::string key;                      ///< Unique within its rule set.
  std::string name;                     ///< Display name.
  std::int32_t priority = 0;            ///< Higher goes first when actions compete for caps.
  Trigger trigger;                      ///< When it fires.
  std::optional<Audience> audience;     ///< Who it applies to; everyone when none.
  std::vector<ActionTemplate> actions;  ///< What to do, in order.
  std::vector<EventCondition> exits;    ///< A matching event between trigger and due cancels.
  Reentry reentry;                      ///< How often a customer may enter.
  /// Marketing rules respect opt-outs and the holdout; service rules (false) are exempt.
  bool marketing = true;
  /// In quiet hours: hold the action to the next allowed time (true) or drop it.
  bool hold_in_quiet_hours = true;
};

/// Limits over all rules (docs/sop.md, "Guards"). Thread-safety: a plain value.
struct Guards {
  std::optional<std::uint32_t> per_customer_day;    ///< Actions reaching a customer a local day.
  std::optional<std::uint32_t> per_customer_week;   ///< A local week (Monday first).
  std::optional<std::uint32_t> per_customer_month;  ///< A calendar month.
  /// Quiet hours in the pool's zone, minutes after midnight: from `quiet_from` to
  /// `quiet_to` (across midnight when `quiet_from` > `quiet_to`).
  std::optional<std::int32_t> quiet_from;
  std::optional<std::int32_t> quiet_to;        ///< End of the quiet hours.
  std::optional<std::uint32_t> per_staff_day;  ///< Actions one staff member takes a day.
  std::int32_t holdout_bp = 0;        ///< Share of customers kept as a control, in basis points.
  std::string holdout_salt = "siyu";  ///< Changes which customers the holdout picks.
  /// WeCom's limit on mass messages (群发) a customer receives, counting the sends
  /// (send_material, send_message) of marketing rules: per calendar month as many as the
  /// month has days, or the 7 per week or 1 per day a corp may choose instead.
  enum class MassMessages : std::uint8_t { unlimited, per_month, per_week, per_day };
  MassMessages wecom_mass_messages = MassMessages::unlimited;  ///< Off unless switched on.
  /// WeCom's welcome message: a send of a rule fired by friend_added with no delay must go
  /// out within 20 s of the add (a quiet-hours hold cannot keep it), once per add.
  bool wecom_welcome = false;
  /// WeCom's staff reminders: at most 3 notices and tasks per staff member per 24 hours.
  bool wecom_staff_reminders = false;
  /// WeCom's transfers: a customer is handed to another staff member at most twice in 90
  /// days, counting the owner changes the host recorded as "transfer" and this run's.
  bool wecom_transfers = false;

  /// Guards compare field by field.
  friend bool operator==(const Guards&, const Guards&) = default;
};

/// A warning about a rule set that compiles: a rule that cannot fire or that conflicts
/// with another. Thread-safety: a plain value.
struct RuleWarning {
  std::string source;   ///< The file.
  std::int64_t line;    ///< The line of the rule.
  std::string field;    ///< The field ("rules[2].trigger").
  std::string message;  ///< What is wrong.
};

/// Compiled rules with their guards. Thread-safety: a plain value.
struct RuleSet {
  std::vector<SopRule> rules;         ///< In file order.
  Guards guards;                      ///< Over all rules.
  std::vector<RuleWarning> warnings;  ///< Found while compiling.
};

/// Compiles a rule file (docs/sop.md); `source` names it in errors. Throws `RuleError` naming
/// source, line and field for bad JSON, unknown fields, wrong types, unknown event types or
/// action kinds, a bad audience, duplicate keys and contradictory guards (quiet hours that
/// never open, a zero cap).
[[nodiscard]] SIYU_EXPORT RuleSet compile_rules(std::string_view json,
                                                const std::string& source = "rules");
/// Compiles the rule file at `path`; throws as `compile_rules`, or `Error` (io).
[[nodiscard]] SIYU_EXPORT RuleSet read_rules(const std::string& path);

/// An error in a rule file, located. Thread-safety: a plain value.
struct RuleDiagnostic {
  std::string source;                         ///< The file.
  std::int64_t line = 0;                      ///< The line of the offending value.
  std::string field;                          ///< Its path ("rules[2].actions[0].target").
  ErrorCode code = ErrorCode::invalid_value;  ///< What kind of error.
  std::string message;                        ///< What is wrong.

  /// Diagnostics compare field by field.
  friend bool operator==(const RuleDiagnostic&, const RuleDiagnostic&) = default;
};

/// Everything wrong with a rule file at once, for editors and `siyu sop check`.
/// Thread-safety: a plain value.
struct RuleCheck {
  std::optional<RuleSet> rules;        ///< The compiled rules (with warnings) when error-free.
  std::vector<RuleDiagnostic> errors;  ///< In file order; empty when the file compiles.
};

/// Compiles a rule file as `compile_rules` does, but reports every rule's first error (and
/// the file's own: syntax, guards, unknown top-level fields, duplicate keys, cycles) instead
/// of throwing the first. With a `pool`, also the keys that pool lacks: event conditions of
/// triggers and exits, and the materials, coupons, groups and staff that actions name.
[[nodiscard]] SIYU_EXPORT RuleCheck check_rules(std::string_view json, const std::string& source,
                                                const Pool* pool = nullptr);
/// Checks the rule file at `path` as `check_rules`; throws `Error` (io) when it cannot be read.
[[nodiscard]] SIYU_EXPORT RuleCheck check_rules_file(const std::string& path,
                                                     const Pool* pool = nullptr);

}  // namespace siyu

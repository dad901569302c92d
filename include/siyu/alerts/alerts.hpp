#pragma once
// Alerts (预警): the moments an operator must not miss, each a notice for a staff member or
// their manager with the reasons in figures: a customer who deleted their guide, customers
// going quiet, questions left unanswered in working hours, sensitive words in chats, and
// customers whose interest is peaking.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/alerts/sensitive_words.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"

namespace siyu {

class Pool;

/// What an alert is about, and so what the staff member is asked to do.
enum class AlertKind : std::uint8_t {
  churn,            ///< Deleted the staff member: a win-back task for the owner.
  dormant,          ///< Went quiet, or stopped buying at their rhythm: a re-engagement task.
  chat_timeout,     ///< A message unanswered in working time: remind the staff member.
  chat_escalation,  ///< Still unanswered later: notify the staff member's manager.
  sensitive_word,   ///< A sensitive word in a chat: warn (or report a block).
  high_intent,      ///< Interest peaking: notify the owner to follow up now.
};

/// Number of alert kinds, for tables indexed by kind.
inline constexpr std::size_t alert_kind_count =
    static_cast<std::size_t>(AlertKind::high_intent) + 1;

/// "churn", "dormant", "chat_timeout", "chat_escalation", "sensitive_word", "high_intent".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(AlertKind kind) noexcept;
/// The kind named `name`, or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<AlertKind> find_alert_kind(std::string_view name) noexcept;

/// Where a sensitive word was found. Thread-safety: a plain value.
struct WordHit {
  std::string rule;                            ///< The word list rule.
  std::string word;                            ///< The word as the list writes it.
  WordSeverity severity = WordSeverity::warn;  ///< The rule's severity.
  std::size_t byte_offset = 0;                 ///< Where the word starts in the message, in bytes.
  std::size_t char_offset = 0;                 ///< … and in characters (code points).
  bool by_staff = false;                       ///< True when staff wrote it (`message_out`).

  /// Hits compare field by field.
  friend bool operator==(const WordHit&, const WordHit&) = default;
};

/// One alert: who must act, when, and why. Thread-safety: a plain value.
struct Alert {
  AlertKind kind = AlertKind::churn;  ///< What it is about.
  CustomerId customer;                ///< The person.
  /// The staff member who must act (the owner, or whoever the message was with); for staff
  /// who wrote a sensitive word and for escalations, the staff member concerned.
  StaffId staff;
  bool to_manager = false;  ///< Deliver to `staff`'s manager rather than to `staff`.
  Timestamp happened;       ///< When the condition arose (the deletion, the deadline, …).
  Timestamp due;            ///< When to deliver it (a digest time, or `happened`).
  std::optional<std::uint64_t> event;  ///< The event behind it (`EventId`), if one.
  std::vector<std::string> reasons;    ///< Sentences with the figures, most telling first.
  std::optional<WordHit> word;         ///< For sensitive words: the hit.
  double intent = 0;                   ///< For high intent: the score when it crossed.

  /// Alerts compare field by field.
  friend bool operator==(const Alert&, const Alert&) = default;
};

/// Churn and dormant customers. Thread-safety: a plain value.
struct ChurnPolicy {
  /// Deliver churn alerts in a daily digest at this local minute (8 * 60 for 08:00);
  /// none: as soon as the deletion is seen.
  std::optional<std::int32_t> digest_minute;
  /// A connected customer without activity (messages, views, shares, orders, coupons
  /// redeemed, live watching, joining groups, custom events) for this many days is dormant;
  /// 0 turns the check off.
  std::int32_t dormant_days = 30;
  /// A buyer whose gap since their last order would, at their own purchase rhythm, happen
  /// with less than this probability is dormant too; 0 turns the check off.
  double rhythm_probability = 0.05;
  /// Orders a buyer needs before their rhythm is judged (at least 2).
  std::int32_t rhythm_min_orders = 3;

  /// Policies compare field by field.
  friend bool operator==(const ChurnPolicy&, const ChurnPolicy&) = default;
};

/// Chat timeouts. Thread-safety: a plain value.
struct ChatPolicy {
  Duration reply_within = Duration::minutes(30);  ///< Working time before the reminder.
  Duration escalate_after = Duration::hours(2);   ///< Working time before the escalation.
  std::int32_t work_from = 9 * 60;  ///< Working hours start, minutes after local midnight.
  std::int32_t work_to = 21 * 60;   ///< … and end (after `work_from`, same day).
  /// Working days, bit 0 Monday … bit 6 Sunday; private-domain teams work every day.
  std::uint8_t work_days = 0x7F;

  /// Policies compare field by field.
  friend bool operator==(const ChatPolicy&, const ChatPolicy&) = default;
};

/// High intent: a score that each signal raises and that halves every `half_life`.
/// Thread-safety: a plain value.
struct IntentPolicy {
  Duration half_life = Duration::days(1);  ///< How fast interest fades.
  double threshold = 10;                   ///< Crossing it alerts the owner.
  double view = 2;                         ///< Per content view.
  double repeat_view = 2;    ///< Extra for viewing the same material again within a half-life.
  double watch_minute = 1;   ///< Per minute of watch time of a view.
  double share = 4;          ///< Per share.
  double reply = 1;          ///< Per message from the customer.
  double live_minute = 0.5;  ///< Per minute of live streams watched.

  /// Policies compare field by field.
  friend bool operator==(const IntentPolicy&, const IntentPolicy&) = default;
};

/// How alerts are judged (docs/alerts.md). Thread-safety: a plain value.
struct AlertPolicy {
  ChurnPolicy churn;    ///< Churn and dormant customers.
  ChatPolicy chat;      ///< Chat timeouts.
  IntentPolicy intent;  ///< High intent.

  /// Throws `ConfigError` naming the field ("chat.work_to") for a value out of range: a
  /// digest minute outside the day, negative days or weights, a probability outside
  /// [0, 1), fewer than 2 orders, non-positive durations or threshold, an escalation before
  /// the reminder, working hours that never open or no working day.
  SIYU_EXPORT void validate() const;
  /// Policies compare field by field.
  friend bool operator==(const AlertPolicy&, const AlertPolicy&) = default;
};

/// Reads an alert policy from JSON text (every field optional; defaults as above);
/// `source` names it in errors. Throws `ParseError` or `ConfigError` naming the source,
/// line and field.
[[nodiscard]] SIYU_EXPORT AlertPolicy parse_alert_policy(std::string_view json,
                                                         const std::string& source);
/// Reads the alert policy file at `path`; throws as `parse_alert_policy`, or `Error` (io).
[[nodiscard]] SIYU_EXPORT AlertPolicy read_alert_policy(const std::string& path);

/// Which period to judge. Thread-safety: a plain value.
struct AlertQuery {
  Timestamp from;                       ///< Alerts whose condition arises at or after this …
  Timestamp to;                         ///< … and at or before this.
  const WordList* words = nullptr;      ///< Sensitive words to look for; none: no scan.
  std::optional<MatcherEngine> engine;  ///< The matcher; by default the fastest available.
};

/// The alerts of a period. Thread-safety: a plain value.
struct AlertResult {
  std::vector<Alert> alerts;  ///< By due time, then kind, customer and happened.
  std::array<std::size_t, alert_kind_count> counts{};  ///< Alerts per kind.
  std::size_t messages_scanned = 0;                    ///< Messages searched for sensitive words.
  std::size_t bytes_scanned = 0;                       ///< Their bytes.
  std::optional<MatcherEngine> engine;                 ///< The matcher used, when words were given.
};

/// Judges the pool's log for the period (docs/alerts.md): churn and dormant customers, chat
/// timeouts and escalations, sensitive words and high intent. Events before `from` count
/// towards the state (last activity, intent score, waiting messages), but only conditions
/// arising in the period alert, so consecutive periods never alert twice. Deterministic.
/// Throws `ConfigError` for an invalid policy, and as `WordMatcher` for the words. Reads only.
[[nodiscard]] SIYU_EXPORT AlertResult run_alerts(const Pool& pool, const AlertPolicy& policy,
                                                 const AlertQuery& query);

}  // namespace siyu

#include "siyu/alerts/alerts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/calendar.hpp"
#include "core/text.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

using detail::LocalCalendar;
using detail::micros_per_day;
using detail::micros_per_minute;
using detail::micros_per_second;

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

constexpr std::array<std::string_view, alert_kind_count> kind_names = {
    "churn", "dormant", "chat_timeout", "chat_escalation", "sensitive_word", "high_intent"};

// What counts as the customer doing something (for dormancy): their own acts, not staff's.
bool is_activity(EventType type) noexcept {
  switch (type) {
    case EventType::friend_added:
    case EventType::message_in:
    case EventType::content_viewed:
    case EventType::content_shared:
    case EventType::coupon_redeemed:
    case EventType::order_paid:
    case EventType::live_watched:
    case EventType::group_joined:
    case EventType::custom: return true;
    default: return false;
  }
}

std::string_view activity_noun(EventType type) noexcept {
  switch (type) {
    case EventType::friend_added: return "add as a contact";
    case EventType::message_in: return "message";
    case EventType::content_viewed: return "content view";
    case EventType::content_shared: return "share";
    case EventType::coupon_redeemed: return "coupon redemption";
    case EventType::order_paid: return "order";
    case EventType::live_watched: return "live stream watched";
    case EventType::group_joined: return "group joined";
    default: return "event";
  }
}

// "3 days", "2 h 10 min", "45 min", "30 s": spans as an operator reads them.
std::string span_text(std::int64_t micros) {
  const std::int64_t seconds = micros / micros_per_second;
  if (seconds >= 2 * 86'400) return fmt::format("{} days", seconds / 86'400);
  if (seconds == 86'400) return "1 day";
  if (seconds >= 3'600) {
    const std::int64_t minutes = seconds / 60 % 60;
    return minutes == 0 ? fmt::format("{} h", seconds / 3'600)
                        : fmt::format("{} h {} min", seconds / 3'600, minutes);
  }
  if (seconds >= 60) return fmt::format("{} min", seconds / 60);
  return fmt::format("{} s", seconds);
}

// At most `limit` characters of `text`, then "…".
std::string excerpt(std::string_view text, std::size_t limit) {
  std::size_t at = 0;
  for (std::size_t chars = 0; at < text.size() && chars < limit; ++chars) {
    at += std::max<std::size_t>(1, detail::utf8_sequence_length(text, at));
  }
  return at >= text.size() ? std::string(text) : std::string(text.substr(0, at)) + "…";
}

std::size_t char_offset(std::string_view text, std::size_t byte_offset) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < byte_offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++chars;
  }
  return chars;
}

// What every judge reads: the pool, the policy, the period and the zone's calendar.
class Judge {
 public:
  Judge(const Pool& pool, const AlertPolicy& policy, const AlertQuery& query)
      : pool_(pool),
        log_(pool.events()),
        policy_(policy),
        calendar_(pool.options().zone),
        from_(query.from.micros),
        to_(query.to.micros) {
    group_ref_.reserve(pool.refs().size());
    for (const Label& label : pool.refs().records()) {
      group_ref_.push_back(pool.groups().find(label.key).has_value());
    }
  }

  // Sets who owns the relationship: the host's owner, else whoever the customer last added.
  void start(CustomerId c, EventLog::Range r) {
    owner_ = pool_.customers()[c].owner;
    for (std::size_t p = r.end; p > r.begin && !owner_.has_value(); --p) {
      if (log_.types()[p - 1] == EventType::friend_added) owner_ = StaffId{log_.staff()[p - 1]};
    }
  }
  void churn(CustomerId c, EventLog::Range r);
  void dormant(CustomerId c, EventLog::Range r);
  void chat(CustomerId c, EventLog::Range r);
  void intent(CustomerId c, EventLog::Range r);

  // Where each sensitive word is looked for.
  struct WordScan {
    const WordList* list;
    WordMatcher matcher;
    std::vector<std::vector<std::pair<std::uint32_t, std::string>>> rules_of;  // per word
    std::vector<std::set<std::string, std::less<>>> stores;                    // per rule
    std::vector<std::set<std::string, std::less<>>> groups;                    // per rule
    // The batch waiting to be scanned: a scan has a fixed cost that short messages would
    // otherwise pay one by one.
    static constexpr std::size_t batch_bytes = 64 * 1024;
    struct Message {
      std::size_t position;
      CustomerId customer;
      StaffId staff;
    };
    std::vector<std::string_view> texts;
    std::vector<Message> messages;
    std::size_t bytes = 0;
    std::vector<TextMatch> matches;
  };
  // Adds the customer's messages in the period to the batch, scanning it when full.
  void words(CustomerId c, EventLog::Range r, WordScan& scan, AlertResult& result);
  // Scans the batch and raises its alerts.
  void flush_words(WordScan& scan);

  std::vector<Alert> alerts;

 private:
  [[nodiscard]] bool in_period(std::int64_t t) const noexcept { return t >= from_ && t <= to_; }
  [[nodiscard]] StaffId staff_at(std::size_t p) const noexcept {
    const StaffId s{log_.staff()[p]};
    return s.has_value() ? s : owner_;
  }
  [[nodiscard]] std::string staff_name(StaffId s) const {
    if (!s.has_value()) return "no staff member";
    const Staff& staff = pool_.staff()[s];
    return staff.name.empty() ? staff.key : staff.name;
  }
  [[nodiscard]] const std::string& customer_name(CustomerId c) const {
    return pool_.customers()[c].key;
  }
  [[nodiscard]] std::string material_title(std::size_t p) const {
    const MaterialId m{log_.refs()[p]};
    if (!m.has_value()) return "content";
    const Material& material = pool_.materials()[m];
    return detail::quoted(material.title.empty() ? material.key : material.title);
  }
  [[nodiscard]] bool in_group(std::size_t p) const noexcept {
    const std::uint32_t ref = log_.refs()[p];
    return ref != LoggedEvent::no_ref && ref < group_ref_.size() && group_ref_[ref];
  }
  [[nodiscard]] std::string local_text(std::int64_t t) const {
    return fmt::format("{} {}", to_string(detail::civil_from_days(calendar_.day(t))),
                       detail::clock_text(calendar_.minute(t)));
  }
  // When a churn or dormant alert is delivered: at once, or in the next daily digest.
  [[nodiscard]] std::int64_t delivery(std::int64_t t) const {
    if (!policy_.churn.digest_minute) return t;
    const std::int64_t today = calendar_.at(calendar_.day(t), *policy_.churn.digest_minute);
    return today >= t ? today : calendar_.at(calendar_.day(t) + 1, *policy_.churn.digest_minute);
  }
  // The instant `span` of working time after `t`.
  [[nodiscard]] std::int64_t working_time_after(std::int64_t t, Duration span) const;

  Alert& add(AlertKind kind, CustomerId c, StaffId s, std::int64_t happened, std::int64_t due,
             std::optional<std::size_t> position) {
    Alert& a = alerts.emplace_back();
    a.kind = kind;
    a.customer = c;
    a.staff = s;
    a.happened = Timestamp{happened};
    a.due = Timestamp{due};
    if (position) a.event = log_.ids()[*position];
    return a;
  }

  const Pool& pool_;
  const EventLog& log_;
  const AlertPolicy& policy_;
  LocalCalendar calendar_;
  std::int64_t from_;
  std::int64_t to_;
  std::vector<bool> group_ref_;  // per entry of pool.refs(): names a customer group
  StaffId owner_;                // the current customer's owner
};

void Judge::churn(CustomerId c, EventLog::Range r) {
  const auto ts = log_.ts();
  const auto types = log_.types();
  std::optional<std::int64_t> contact_since;
  std::optional<std::int64_t> last_message;
  std::int64_t orders = 0;
  std::int64_t paid = 0;
  for (std::size_t p = r.begin; p < r.end; ++p) {
    const EventType type = types[p];
    if (type == EventType::friend_added && !contact_since) contact_since = ts[p];
    if (type == EventType::message_in) last_message = ts[p];
    if (type == EventType::order_paid) {
      ++orders;
      paid += log_.amounts()[p];
    }
    if (type != EventType::friend_deleted || !in_period(ts[p])) continue;
    const std::int64_t due = delivery(ts[p]);
    // Re-added before the digest: nothing to win back.
    bool readded = false;
    for (std::size_t q = p + 1; q < r.end && ts[q] <= due; ++q) {
      readded = readded || types[q] == EventType::friend_added;
    }
    if (readded) continue;
    const StaffId staff = staff_at(p);
    Alert& a = add(AlertKind::churn, c, staff, ts[p], due, p);
    a.reasons.push_back(
        fmt::format("{} deleted {} at {}", customer_name(c), staff_name(staff), local_text(ts[p])));
    if (contact_since) {
      a.reasons.push_back(fmt::format("a contact since {} ({})", local_text(*contact_since),
                                      span_text(ts[p] - *contact_since)));
    }
    a.reasons.push_back(orders == 0 ? std::string("never ordered")
                                    : fmt::format("paid {} order{}, {}", orders,
                                                  orders == 1 ? "" : "s", detail::yuan_text(paid)));
    if (last_message) {
      a.reasons.push_back(fmt::format("last wrote {} before", span_text(ts[p] - *last_message)));
    }
    if (policy_.churn.digest_minute) {
      a.reasons.push_back(
          fmt::format("in the {} digest", detail::clock_text(*policy_.churn.digest_minute)));
    }
  }
}

void Judge::dormant(CustomerId c, EventLog::Range r) {
  if (!owner_.has_value()) return;  // nobody could act on it
  const ChurnPolicy& policy = policy_.churn;
  const auto ts = log_.ts();
  const auto types = log_.types();
  const std::int64_t quiet = std::int64_t{policy.dormant_days} * micros_per_day;

  bool connected = true;
  std::optional<std::size_t> last_activity;  // position
  std::vector<std::int64_t> orders;
  std::int64_t quiet_due = never;   // when the silence crosses dormant_days
  std::int64_t rhythm_due = never;  // when the order gap crosses the rhythm probability
  // A dormancy is one alert, at its first crossing: a check crossing later, before the
  // customer is active again, finds the owner with the task already. Judged from the log
  // alone, so consecutive periods raise what one run over their union raises.
  std::optional<std::int64_t> crossed;  // the first crossing since the last activity
  std::optional<std::size_t> alert;     // its alert, when it fell in the period

  // One crossing at `at` while connected, with its reason.
  const auto cross = [&](std::int64_t at, const auto& reason) {
    if (crossed && *crossed != at) return;
    if (!crossed) {
      crossed = at;
      if (in_period(at)) {
        add(AlertKind::dormant, c, owner_, at, delivery(at), std::nullopt);
        alert = alerts.size() - 1;
      }
    }
    if (alert) alerts[*alert].reasons.push_back(reason());
  };
  // Judges the crossings that come before `t` (the next event, or the end), earlier first.
  const auto settle = [&](std::int64_t t) {
    const auto silence = [&] {
      if (quiet_due >= t || !connected) return;
      cross(quiet_due, [&] {
        return fmt::format("no activity for {} days; the last: {} at {}", policy.dormant_days,
                           activity_noun(types[*last_activity]), local_text(ts[*last_activity]));
      });
    };
    const auto rhythm = [&] {
      if (rhythm_due >= t || !connected) return;
      cross(rhythm_due, [&] {
        const std::int64_t first = orders.front();
        const std::int64_t last = orders.back();
        const auto n = static_cast<std::int64_t>(orders.size());
        return fmt::format(
            "{} orders from {} to {}, about every {}; none for {}: at that rhythm a gap this "
            "long happens less than {:g}% of the time",
            n, local_text(first), local_text(last), span_text((last - first) / (n - 1)),
            span_text(rhythm_due - last), policy.rhythm_probability * 100);
      });
    };
    if (quiet_due <= rhythm_due) {
      silence();
      rhythm();
    } else {
      rhythm();
      silence();
    }
    if (quiet_due < t) quiet_due = never;
    if (rhythm_due < t) rhythm_due = never;
  };

  for (std::size_t p = r.begin; p < r.end; ++p) {
    settle(ts[p]);
    const EventType type = types[p];
    if (type == EventType::friend_deleted) connected = false;
    if (type == EventType::friend_added) connected = true;
    if (is_activity(type)) {
      last_activity = p;
      if (policy.dormant_days > 0) quiet_due = ts[p] + quiet;
      crossed.reset();
      alert.reset();
    }
    if (type == EventType::order_paid) {
      orders.push_back(ts[p]);
      rhythm_due = never;
      const auto n = static_cast<std::int64_t>(orders.size());
      if (policy.rhythm_probability > 0 && n >= policy.rhythm_min_orders &&
          orders.back() > orders.front()) {
        // With n - 1 repeat orders spread evenly at random over (first, T], all fall before
        // `last` with probability ((last - first) / (T - first))^(n - 1).
        const double span = static_cast<double>(orders.back() - orders.front());
        const double stretch =
            std::pow(policy.rhythm_probability, 1.0 / static_cast<double>(n - 1));
        const double due = static_cast<double>(orders.front()) + std::ceil(span / stretch);
        rhythm_due = due < 9e18 ? static_cast<std::int64_t>(due) : never;
      }
    }
  }
  settle(never);
}

std::int64_t Judge::working_time_after(std::int64_t t, Duration span) const {
  const ChatPolicy& chat = policy_.chat;
  std::int64_t remaining = span.micros;
  std::int64_t cursor = t;
  for (std::int64_t d = calendar_.day(t);; ++d) {
    if ((chat.work_days >> LocalCalendar::weekday(d) & 1U) != 0) {
      const std::int64_t open = calendar_.at(d, chat.work_from);
      const std::int64_t close = calendar_.at(d, chat.work_to);
      const std::int64_t start = std::max(cursor, open);
      if (start < close) {
        if (remaining <= close - start) return start + remaining;
        remaining -= close - start;
      }
    }
    cursor = calendar_.at(d + 1, 0);
  }
}

void Judge::chat(CustomerId c, EventLog::Range r) {
  const ChatPolicy& policy = policy_.chat;
  const auto ts = log_.ts();
  const auto types = log_.types();
  std::optional<std::size_t> waiting;  // the first unanswered message's position

  const auto resolve = [&](std::int64_t answered) {
    const std::size_t p = *waiting;
    const std::int64_t remind = working_time_after(ts[p], policy.reply_within);
    if (answered <= remind) return;
    const StaffId staff = staff_at(p);
    const std::string wrote = fmt::format("{} wrote at {}: {}", customer_name(c), local_text(ts[p]),
                                          detail::quoted(excerpt(log_.text(p), 30)));
    const std::string hours =
        fmt::format("working hours {}-{}", detail::clock_text(policy.work_from),
                    detail::clock_text(policy.work_to));
    if (in_period(remind)) {
      Alert& a = add(AlertKind::chat_timeout, c, staff, remind, remind, p);
      a.reasons = {wrote, fmt::format("no reply in {} of working time ({})",
                                      span_text(policy.reply_within.micros), hours)};
    }
    const std::int64_t escalate = working_time_after(ts[p], policy.escalate_after);
    if (answered > escalate && in_period(escalate)) {
      Alert& a = add(AlertKind::chat_escalation, c, staff, escalate, escalate, p);
      a.to_manager = true;
      a.reasons = {wrote,
                   fmt::format("no reply in {} of working time ({})",
                               span_text(policy.escalate_after.micros), hours),
                   fmt::format("{} was reminded at {}", staff_name(staff), local_text(remind))};
    }
  };

  for (std::size_t p = r.begin; p < r.end; ++p) {
    const EventType type = types[p];
    if ((type != EventType::message_in && type != EventType::message_out) || in_group(p)) continue;
    if (type == EventType::message_in && !waiting) waiting = p;
    if (type == EventType::message_out && waiting) {
      resolve(ts[p]);
      waiting.reset();
    }
  }
  if (waiting) resolve(never);
}

void Judge::intent(CustomerId c, EventLog::Range r) {
  const IntentPolicy& policy = policy_.intent;
  const auto ts = log_.ts();
  const auto types = log_.types();
  const auto half_life = static_cast<double>(policy.half_life.micros);
  const auto decay = [half_life](std::int64_t elapsed) {
    return std::exp2(-static_cast<double>(elapsed) / half_life);
  };
  struct Signal {
    std::size_t position;
    double weight;
  };
  std::vector<Signal> signals;  // those that still weigh, oldest first
  double score = 0;
  std::int64_t scored_at = 0;
  bool armed = true;

  for (std::size_t p = r.begin; p < r.end; ++p) {
    const EventType type = types[p];
    const double minutes = static_cast<double>(log_.durations()[p]) / 60.0;
    double weight = 0;
    switch (type) {
      case EventType::content_viewed: {
        weight = policy.view + policy.watch_minute * minutes;
        const bool again = std::any_of(signals.begin(), signals.end(), [&](const Signal& s) {
          return types[s.position] == EventType::content_viewed &&
                 log_.refs()[s.position] == log_.refs()[p] &&
                 ts[p] - ts[s.position] <= policy.half_life.micros;
        });
        if (again) weight += policy.repeat_view;
        break;
      }
      case EventType::content_shared: weight = policy.share; break;
      case EventType::message_in: weight = policy.reply; break;
      case EventType::live_watched: weight = policy.live_minute * minutes; break;
      default: continue;
    }
    score = score * decay(ts[p] - scored_at) + weight;
    scored_at = ts[p];
    // Signals faded below a thousandth of the threshold no longer explain anything.
    std::erase_if(signals, [&](const Signal& s) {
      return s.weight * decay(ts[p] - ts[s.position]) < policy.threshold / 1000;
    });
    signals.push_back({p, weight});
    if (!armed && score - weight < policy.threshold / 2) armed = true;
    if (!armed || score < policy.threshold) continue;
    armed = false;  // until interest falls below half the threshold
    if (!in_period(ts[p]) || !owner_.has_value()) continue;

    // The reasons: signals grouped by what they were, heaviest first.
    struct Group {
      double weight = 0;
      std::size_t count = 0;
      std::int64_t first = 0;
      std::int64_t last = 0;
      std::int64_t seconds = 0;
      std::size_t position = 0;
    };
    std::map<std::pair<EventType, std::uint32_t>, Group> groups;
    for (const Signal& s : signals) {
      const std::uint32_t ref = types[s.position] == EventType::message_in
                                    ? LoggedEvent::no_ref
                                    : log_.refs()[s.position];
      Group& g = groups[{types[s.position], ref}];
      if (g.count++ == 0) {
        g.first = ts[s.position];
        g.position = s.position;
      }
      g.last = ts[s.position];
      g.weight += s.weight * decay(ts[p] - ts[s.position]);
      g.seconds += log_.durations()[s.position];
    }
    std::vector<const Group*> order;
    for (const auto& [key, g] : groups) order.push_back(&g);
    std::stable_sort(order.begin(), order.end(),
                     [](const Group* a, const Group* b) { return a->weight > b->weight; });

    Alert& a = add(AlertKind::high_intent, c, owner_, ts[p], ts[p], p);
    a.intent = score;
    a.reasons.push_back(fmt::format("intent score {:.1f} crossed {:g} (half-life {})", score,
                                    policy.threshold, span_text(policy.half_life.micros)));
    for (std::size_t i = 0; i < order.size() && i < 3; ++i) {
      const Group& g = *order[i];
      const std::string times =
          g.count == 1 ? std::string()
                       : fmt::format(" {} times in {}", g.count, span_text(g.last - g.first));
      const std::string watched =
          g.seconds > 0 ? fmt::format(", watched {}", span_text(g.seconds * micros_per_second))
                        : std::string();
      switch (types[g.position]) {
        case EventType::content_viewed:
          a.reasons.push_back("viewed " + material_title(g.position) + times + watched);
          break;
        case EventType::content_shared:
          a.reasons.push_back("shared " + material_title(g.position) + times);
          break;
        case EventType::message_in:
          a.reasons.push_back(g.count == 1 ? std::string("wrote a message")
                                           : fmt::format("wrote {} messages in {}", g.count,
                                                         span_text(g.last - g.first)));
          break;
        default:
          a.reasons.push_back(
              fmt::format("watched live streams for {}", span_text(g.seconds * micros_per_second)));
          break;
      }
    }
  }
}

void Judge::words(CustomerId c, EventLog::Range r, WordScan& scan, AlertResult& result) {
  const auto ts = log_.ts();
  const auto types = log_.types();
  for (std::size_t p = r.begin; p < r.end; ++p) {
    const EventType type = types[p];
    if ((type != EventType::message_in && type != EventType::message_out) || !in_period(ts[p])) {
      continue;
    }
    const std::string_view text = log_.text(p);
    if (text.empty()) continue;
    ++result.messages_scanned;
    result.bytes_scanned += text.size();
    scan.texts.push_back(text);
    scan.messages.push_back({p, c, staff_at(p)});
    scan.bytes += text.size();
    if (scan.bytes >= WordScan::batch_bytes) flush_words(scan);
  }
}

void Judge::flush_words(WordScan& scan) {
  scan.matches.clear();
  scan.matcher.scan(scan.texts, scan.matches);
  const auto ts = log_.ts();
  for (const TextMatch& m : scan.matches) {
    const WordScan::Message& message = scan.messages[m.text];
    const std::size_t p = message.position;
    const CustomerId c = message.customer;
    const StaffId staff = message.staff;
    const std::string_view text = scan.texts[m.text];
    const std::string_view store =
        staff.has_value() ? std::string_view(pool_.staff()[staff].store) : std::string_view();
    const std::string_view group =
        in_group(p) ? std::string_view(pool_.refs().records()[log_.refs()[p]].key)
                    : std::string_view();
    const bool by_staff = log_.types()[p] == EventType::message_out;
    for (const auto& [rule_index, word] : scan.rules_of[m.word]) {
      const WordRule& rule = scan.list->rules[rule_index];
      const bool applies = rule.everywhere() ||
                           (!store.empty() && scan.stores[rule_index].contains(store)) ||
                           (!group.empty() && scan.groups[rule_index].contains(group));
      if (!applies) continue;
      Alert& a = add(AlertKind::sensitive_word, c, staff, ts[p], ts[p], p);
      a.to_manager = by_staff;
      a.word = WordHit{.rule = rule.name,
                       .word = word,
                       .severity = rule.severity,
                       .byte_offset = m.offset,
                       .char_offset = char_offset(text, m.offset),
                       .by_staff = by_staff};
      const std::string where =
          group.empty() ? std::string() : fmt::format(" in group {}", detail::quoted(group));
      a.reasons.push_back(
          by_staff
              ? fmt::format("{} wrote {} to {}{} at {}", staff_name(staff), detail::quoted(word),
                            customer_name(c), where, local_text(ts[p]))
              : fmt::format("{} wrote {} to {}{} at {}", customer_name(c), detail::quoted(word),
                            staff_name(staff), where, local_text(ts[p])));
      a.reasons.push_back(fmt::format("rule {} ({}), at character {} of {}",
                                      detail::quoted(rule.name), to_string(rule.severity),
                                      a.word->char_offset + 1, detail::quoted(excerpt(text, 40))));
    }
  }
  scan.texts.clear();
  scan.messages.clear();
  scan.bytes = 0;
}

std::optional<Judge::WordScan> word_scan(const AlertQuery& query) {
  if (query.words == nullptr) return std::nullopt;
  const WordList& list = *query.words;
  std::vector<std::string> unique;
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<std::vector<std::pair<std::uint32_t, std::string>>> rules_of;
  std::vector<std::set<std::string, std::less<>>> stores;
  std::vector<std::set<std::string, std::less<>>> groups;
  for (std::uint32_t r = 0; r < list.rules.size(); ++r) {
    const WordRule& rule = list.rules[r];
    stores.emplace_back(rule.stores.begin(), rule.stores.end());
    groups.emplace_back(rule.groups.begin(), rule.groups.end());
    for (const std::string& word : rule.words) {
      std::string lowered;
      detail::append_ascii_lower(lowered, word);
      const auto [at, added] =
          index.try_emplace(lowered, static_cast<std::uint32_t>(unique.size()));
      if (added) {
        unique.push_back(lowered);
        rules_of.emplace_back();
      }
      auto& entries = rules_of[at->second];
      // A word listed twice in one rule is one hit.
      if (std::none_of(entries.begin(), entries.end(),
                       [r](const auto& e) { return e.first == r; })) {
        entries.emplace_back(r, word);
      }
    }
  }
  return Judge::WordScan{.list = &list,
                         .matcher = WordMatcher(std::move(unique), query.engine),
                         .rules_of = std::move(rules_of),
                         .stores = std::move(stores),
                         .groups = std::move(groups)};
}

}  // namespace

std::string_view to_string(AlertKind kind) noexcept {
  return kind_names[static_cast<std::size_t>(kind)];
}

std::optional<AlertKind> find_alert_kind(std::string_view name) noexcept {
  for (std::size_t k = 0; k < alert_kind_count; ++k) {
    if (kind_names[k] == name) return static_cast<AlertKind>(k);
  }
  return std::nullopt;
}

AlertResult run_alerts(const Pool& pool, const AlertPolicy& policy, const AlertQuery& query) {
  policy.validate();
  if (query.to < query.from) {
    throw ConfigError(ErrorCode::invalid_value, "the period ends before it starts",
                      Where{.field = "to"});
  }
  AlertResult result;
  std::optional<Judge::WordScan> scan = word_scan(query);
  if (scan) result.engine = scan->matcher.engine();
  Judge judge(pool, policy, query);
  const EventLog& log = pool.events();
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const CustomerId customer{c};
    const EventLog::Range r = log.range(customer);
    if (r.size() == 0) continue;
    judge.start(customer, r);
    judge.churn(customer, r);
    judge.dormant(customer, r);
    judge.chat(customer, r);
    if (scan) judge.words(customer, r, *scan, result);
    judge.intent(customer, r);
  }
  if (scan) judge.flush_words(*scan);
  result.alerts = std::move(judge.alerts);
  std::stable_sort(result.alerts.begin(), result.alerts.end(), [](const Alert& a, const Alert& b) {
    if (a.due != b.due) return a.due < b.due;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.customer != b.customer) return a.customer < b.customer;
    return a.happened < b.happened;
  });
  for (const Alert& a : result.alerts) ++result.counts[static_cast<std::size_t>(a.kind)];
  return result;
}

}  // namespace siyu

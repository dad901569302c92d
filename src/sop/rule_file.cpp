#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/sop/rule.hpp"
#include "siyu/tiers/tier_policy.hpp"
#include "sop/keys.hpp"

namespace siyu {

namespace {

using detail::JsonObjectReader;
using detail::JsonValue;

constexpr std::array<std::string_view, 11> action_names = {
    "send_material", "send_message",    "send_to_group",    "add_tag",
    "remove_tag",    "notify_staff",    "notify_manager",   "create_task",
    "issue_coupon",  "invite_to_group", "transfer_customer"};

// Parses `text` at `value` with a text parser, rethrowing its error at the value.
template <class Parse>
auto parse_at(const JsonObjectReader& reader, const JsonValue& value, const std::string& path,
              Parse&& parse) {
  try {
    return parse();
  } catch (const Error& e) {
    throw reader.error(value, path, e.code(), e.message());
  }
}

EventCondition read_condition(JsonObjectReader& reader, const JsonValue& value,
                              const std::string& path) {
  const std::string& text = detail::json_string(value, reader.source(), path);
  return parse_at(reader, value, path, [&] { return parse_event_condition(text); });
}

// What starts a trigger that is not a schedule: exactly one of an event, an alert, entering
// or leaving an audience, a layer or a level.
void read_start(JsonObjectReader& reader, Trigger& t) {
  constexpr std::array<std::string_view, 8> starts = {"event",       "alert",       "enter",
                                                      "leave",       "enter_layer", "leave_layer",
                                                      "enter_level", "leave_level"};
  std::string_view key;
  for (const std::string_view k : starts) {
    if (reader.find(k) == nullptr) continue;
    if (!key.empty()) {
      throw reader.error(reader.get(k), reader.path_of(k), ErrorCode::conflict,
                         "a trigger has one of event, every, alert, enter, leave, enter_layer, "
                         "leave_layer, enter_level and leave_level; this one also has " +
                             std::string(key));
    }
    key = k;
  }
  if (key.empty() || key == "event") {
    t.event = read_condition(reader, reader.get("event"), reader.path_of("event"));
    return;
  }
  const JsonValue& value = reader.get(key);
  const std::string path = reader.path_of(key);
  const std::string& text = detail::json_string(value, reader.source(), path);
  t.leaving = key.starts_with("leave");
  if (key == "alert") {
    t.kind = Trigger::Kind::alert;
    const std::optional<AlertKind> found = find_alert_kind(text);
    if (!found) {
      throw reader.error(value, path, ErrorCode::invalid_value,
                         "unknown alert kind " + detail::quoted(text) +
                             " (churn, dormant, chat_timeout, chat_escalation, sensitive_word, "
                             "high_intent)");
    }
    t.alert = *found;
  } else if (key == "enter" || key == "leave") {
    t.kind = Trigger::Kind::audience;
    const Audience watched = parse_at(reader, value, path, [&] { return Audience::parse(text); });
    if (watched.needs_tiers()) {
      throw reader.error(value, path, ErrorCode::invalid_value,
                         "entering or leaving a layer or level is enter_layer, leave_layer, "
                         "enter_level or leave_level: rebalances move customers, not days");
    }
    t.watch = text;
  } else if (key.ends_with("layer")) {
    t.kind = Trigger::Kind::layer;
    if (!find_layer(text)) {
      throw reader.error(value, path, ErrorCode::invalid_value,
                         "unknown layer " + detail::quoted(text) + " (core, influence, periphery)");
    }
    t.tier = text;
  } else {
    t.kind = Trigger::Kind::level;
    if (text.empty()) throw reader.error(value, path, ErrorCode::missing_field, "no level key");
    t.tier = text;
  }
}

Trigger read_trigger(JsonObjectReader reader) {
  Trigger t;
  if (reader.find("every") != nullptr) {
    t.kind = Trigger::Kind::schedule;
    const JsonValue& every = reader.get("every");
    const std::string& period =
        detail::json_string(every, reader.source(), reader.path_of("every"));
    if (period != "week" && period != "month") {
      throw reader.error(every, reader.path_of("every"), ErrorCode::invalid_value,
                         "expected \"week\" or \"month\"");
    }
    t.every = period == "week" ? Trigger::Every::week : Trigger::Every::month;
    t.day = static_cast<std::int32_t>(
        reader.integer("day", 1, t.every == Trigger::Every::week ? 7 : 31));
    t.at_minute = reader.clock("at");
  } else {
    read_start(reader, t);
    if (reader.find("delay") != nullptr) t.delay = reader.duration("delay");
    if (reader.find("at") != nullptr) t.at_minute = reader.clock("at");
  }
  reader.finish();
  return t;
}

ActionTemplate read_action(JsonObjectReader reader) {
  ActionTemplate a;
  const JsonValue& kind = reader.get("kind");
  const std::string& name = detail::json_string(kind, reader.source(), reader.path_of("kind"));
  const std::optional<ActionKind> found = find_action_kind(name);
  if (!found) {
    throw reader.error(kind, reader.path_of("kind"), ErrorCode::invalid_value,
                       "unknown action kind " + detail::quoted(name) + " (docs/sop.md lists them)");
  }
  a.kind = *found;
  if (reader.find("target") != nullptr) a.target = reader.string("target");
  if (reader.find("text") != nullptr) a.text = reader.string("text");
  if (reader.find("staff") != nullptr) a.staff = reader.string("staff");
  const bool needs_target =
      a.kind == ActionKind::send_material || a.kind == ActionKind::add_tag ||
      a.kind == ActionKind::remove_tag || a.kind == ActionKind::issue_coupon ||
      a.kind == ActionKind::invite_to_group || a.kind == ActionKind::send_to_group ||
      a.kind == ActionKind::transfer_customer;
  if (needs_target && a.target.empty()) {
    throw reader.error(kind, reader.path_of("target"), ErrorCode::missing_field,
                       std::string(name) + " needs a target");
  }
  if (!needs_target && a.text.empty()) {
    throw reader.error(kind, reader.path_of("text"), ErrorCode::missing_field,
                       std::string(name) + " needs a text");
  }
  reader.finish();
  return a;
}

Reentry read_reentry(JsonObjectReader& reader) {
  const JsonValue& value = reader.get("reentry");
  if (value.kind == JsonValue::Kind::object) {
    JsonObjectReader period(value, reader.source(), reader.path_of("reentry"));
    Reentry r{.kind = Reentry::Kind::per_period,
              .period = Duration::days(period.integer("every_days", 1, 36'500))};
    period.finish();
    return r;
  }
  const std::string& text = detail::json_string(value, reader.source(), reader.path_of("reentry"));
  if (text == "once") return Reentry{.kind = Reentry::Kind::once};
  if (text == "every_time") return Reentry{.kind = Reentry::Kind::every_time};
  throw reader.error(value, reader.path_of("reentry"), ErrorCode::invalid_value,
                     "expected \"once\", \"every_time\" or {\"every_days\": N}");
}

SopRule read_rule(const JsonValue& value, const std::string& source, const std::string& path) {
  JsonObjectReader reader(value, source, path);
  SopRule rule;
  rule.key = reader.string("key");
  if (rule.key.empty()) {
    throw reader.error(reader.get("key"), reader.path_of("key"), ErrorCode::missing_field,
                       "a rule needs a key");
  }
  rule.name = reader.find("name") != nullptr ? reader.string("name") : rule.key;
  if (reader.find("priority") != nullptr) {
    rule.priority = static_cast<std::int32_t>(reader.integer("priority", -1000, 1000));
  }
  rule.trigger = read_trigger(reader.object("trigger"));
  if (const JsonValue* audience = reader.find("audience")) {
    const std::string& text = detail::json_string(*audience, source, reader.path_of("audience"));
    rule.audience = parse_at(reader, *audience, reader.path_of("audience"),
                             [&] { return Audience::parse(text); });
  }
  const auto& actions = reader.array("actions");
  for (std::size_t i = 0; i < actions.size(); ++i) {
    rule.actions.push_back(
        read_action(JsonObjectReader(actions[i], source, reader.path_of("actions", i))));
  }
  if (rule.actions.empty()) {
    throw reader.error(reader.get("actions"), reader.path_of("actions"), ErrorCode::missing_field,
                       "a rule needs at least one action");
  }
  if (reader.find("exit") != nullptr) {
    const auto& exits = reader.array("exit");
    for (std::size_t i = 0; i < exits.size(); ++i) {
      rule.exits.push_back(read_condition(reader, exits[i], reader.path_of("exit", i)));
    }
  }
  if (reader.find("reentry") != nullptr) rule.reentry = read_reentry(reader);
  if (const JsonValue* marketing = reader.find("marketing")) {
    if (marketing->kind != JsonValue::Kind::boolean) {
      throw reader.error(*marketing, reader.path_of("marketing"), ErrorCode::wrong_type,
                         "expected true or false");
    }
    rule.marketing = marketing->text == "true";
  }
  if (const JsonValue* quiet = reader.find("quiet_hours")) {
    const std::string& text = detail::json_string(*quiet, source, reader.path_of("quiet_hours"));
    if (text != "hold" && text != "drop") {
      throw reader.error(*quiet, reader.path_of("quiet_hours"), ErrorCode::invalid_value,
                         "expected \"hold\" or \"drop\"");
    }
    rule.hold_in_quiet_hours = text == "hold";
  }
  reader.finish();
  return rule;
}

Guards read_guards(JsonObjectReader reader) {
  Guards g;
  const auto cap = [&](std::string_view key, std::optional<std::uint32_t>& out) {
    if (reader.find(key) != nullptr)
      out = static_cast<std::uint32_t>(reader.integer(key, 1, 1'000'000));
  };
  cap("per_customer_day", g.per_customer_day);
  cap("per_customer_week", g.per_customer_week);
  cap("per_customer_month", g.per_customer_month);
  cap("per_staff_day", g.per_staff_day);
  if (reader.find("quiet_hours") != nullptr) {
    JsonObjectReader quiet = reader.object("quiet_hours");
    g.quiet_from = quiet.clock("from");
    g.quiet_to = quiet.clock("to");
    if (*g.quiet_from == *g.quiet_to) {
      throw quiet.error(reader.get("quiet_hours"), reader.path_of("quiet_hours"),
                        ErrorCode::conflict,
                        "quiet hours from and to the same time never open (or never close): "
                        "leave them out for none");
    }
    quiet.finish();
  }
  if (reader.find("holdout_percent") != nullptr) {
    g.holdout_bp = static_cast<std::int32_t>(reader.integer("holdout_percent", 0, 50) * 100);
  }
  if (reader.find("holdout_salt") != nullptr) g.holdout_salt = reader.string("holdout_salt");
  if (reader.find("wecom") != nullptr) {
    JsonObjectReader wecom = reader.object("wecom");
    if (const JsonValue* mass = wecom.find("mass_messages")) {
      const std::string& text =
          detail::json_string(*mass, wecom.source(), wecom.path_of("mass_messages"));
      using Mass = Guards::MassMessages;
      constexpr std::array<std::pair<std::string_view, Mass>, 3> limits = {
          {{"per_month", Mass::per_month},
           {"per_week", Mass::per_week},
           {"per_day", Mass::per_day}}};
      const auto* found = std::find_if(limits.begin(), limits.end(),
                                       [&](const auto& l) { return l.first == text; });
      if (found == limits.end()) {
        throw wecom.error(*mass, wecom.path_of("mass_messages"), ErrorCode::invalid_value,
                          "expected \"per_month\", \"per_week\" or \"per_day\"");
      }
      g.wecom_mass_messages = found->second;
    }
    const auto flag = [&](std::string_view key, bool& out) {
      const JsonValue* value = wecom.find(key);
      if (value == nullptr) return;
      if (value->kind != JsonValue::Kind::boolean) {
        throw wecom.error(*value, wecom.path_of(key), ErrorCode::wrong_type,
                          "expected true or false");
      }
      out = value->text == "true";
    };
    flag("welcome", g.wecom_welcome);
    flag("staff_reminders", g.wecom_staff_reminders);
    flag("transfers", g.wecom_transfers);
    wecom.finish();
  }
  reader.finish();
  return g;
}

// Rules that trigger each other through the tags they add or remove loop forever.
void check_cycles(const std::vector<SopRule>& rules, const JsonValue& document,
                  const std::string& source) {
  const auto feeds = [](const SopRule& from, const SopRule& to) {
    if (to.trigger.kind != Trigger::Kind::event) return false;
    const EventType t = to.trigger.event.type;
    return std::any_of(from.actions.begin(), from.actions.end(), [&](const ActionTemplate& a) {
      return ((a.kind == ActionKind::add_tag && t == EventType::tag_added) ||
              (a.kind == ActionKind::remove_tag && t == EventType::tag_removed)) &&
             (to.trigger.event.ref.empty() || to.trigger.event.ref == a.target);
    });
  };
  const std::size_t n = rules.size();
  std::vector<int> state(n, 0);  // 0 unseen, 1 on the path, 2 done
  std::vector<std::size_t> path;
  const std::function<void(std::size_t)> visit = [&](std::size_t r) {
    state[r] = 1;
    path.push_back(r);
    for (std::size_t next = 0; next < n; ++next) {
      if (!feeds(rules[r], rules[next])) continue;
      if (state[next] == 1) {
        std::string loop;
        for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it) {
          loop += rules[*it].key + " -> ";
        }
        loop += rules[next].key;
        const std::string field = "rules[" + std::to_string(next) + "].trigger";
        throw RuleError(
            ErrorCode::conflict, "rules trigger each other through their tags: " + loop,
            Where{.source = source, .line = detail::line_of(document, field), .field = field});
      }
      if (state[next] == 0) visit(next);
    }
    path.pop_back();
    state[r] = 2;
  };
  for (std::size_t r = 0; r < n; ++r) {
    if (state[r] == 0) visit(r);
  }
}

std::vector<RuleWarning> warnings_of(const std::vector<SopRule>& rules, const JsonValue& document,
                                     const std::string& source) {
  std::vector<RuleWarning> out;
  const auto warn = [&](std::size_t r, const std::string& message) {
    const std::string field = "rules[" + std::to_string(r) + "]";
    out.push_back(RuleWarning{.source = source,
                              .line = detail::line_of(document, field),
                              .field = field,
                              .message = message});
  };
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const SopRule& rule = rules[r];
    const bool delayed = rule.trigger.delay.micros > 0 || rule.trigger.at_minute.has_value();
    if (rule.trigger.kind == Trigger::Kind::event && delayed &&
        std::find(rule.exits.begin(), rule.exits.end(), rule.trigger.event) != rule.exits.end()) {
      warn(r,
           "unreachable: its exit is its own trigger event, which has always happened by the "
           "time the action is due");
    }
    // The first earlier rule it repeats is enough to name: n copies of a rule give n - 1
    // warnings, not one per pair.
    for (std::size_t other = 0; other < r; ++other) {
      const SopRule& o = rules[other];
      if (o.trigger == rule.trigger && o.actions.front().kind == rule.actions.front().kind &&
          o.actions.front().target == rule.actions.front().target) {
        warn(r, "conflicts with rule " + detail::quoted(o.key) +
                    ": same trigger and same first action, so customers get it twice");
        break;
      }
    }
  }
  return out;
}

// Compiles, keeping each rule's first error and the file's own instead of stopping at the
// first, then (with a pool) the keys it lacks.
RuleDiagnostic diagnostic_of(const Error& e, const std::string& source) {
  return RuleDiagnostic{.source = e.where().source.empty() ? source : e.where().source,
                        .line = e.where().line,
                        .field = e.where().field,
                        .code = e.code(),
                        .message = e.message()};
}

RuleCheck check_document(const JsonValue& document, const std::string& source, const Pool* pool) {
  RuleCheck check;
  const auto keep = [&](const Error& e) { check.errors.push_back(diagnostic_of(e, source)); };
  RuleSet set;
  try {
    JsonObjectReader reader(document, source, "");
    if (reader.find("guards") != nullptr) {
      try {
        set.guards = read_guards(reader.object("guards"));
      } catch (const Error& e) {
        keep(e);
      }
    }
    const auto& items = reader.array("rules");
    std::set<std::string> keys;
    for (std::size_t i = 0; i < items.size(); ++i) {
      try {
        SopRule rule = read_rule(items[i], source, reader.path_of("rules", i));
        if (!keys.insert(rule.key).second) {
          throw reader.error(items[i], reader.path_of("rules", i) + ".key", ErrorCode::conflict,
                             "rule key " + detail::quoted(rule.key) + " is used twice");
        }
        set.rules.push_back(std::move(rule));
      } catch (const Error& e) {
        keep(e);
      }
    }
    reader.finish();
  } catch (const Error& e) {
    keep(e);
  }
  if (!check.errors.empty()) return check;
  try {
    check_cycles(set.rules, document, source);
  } catch (const Error& e) {
    keep(e);
    return check;
  }
  if (pool != nullptr) {
    for (const detail::MissingKey& m : detail::missing_keys(*pool, set.rules)) {
      const std::string field = "rules[" + std::to_string(m.rule) + "]." + m.field;
      check.errors.push_back(RuleDiagnostic{.source = source,
                                            .line = detail::line_of(document, field),
                                            .field = field,
                                            .code = ErrorCode::not_found,
                                            .message = m.message});
    }
    if (!check.errors.empty()) return check;
  }
  set.warnings = warnings_of(set.rules, document, source);
  check.rules = std::move(set);
  return check;
}

RuleSet rules_from(const JsonValue& document, const std::string& source) {
  RuleCheck check = check_document(document, source, nullptr);
  if (!check.errors.empty()) {
    const RuleDiagnostic& first = check.errors.front();
    throw RuleError(first.code, first.message,
                    Where{.source = first.source, .line = first.line, .field = first.field});
  }
  return std::move(*check.rules);
}

// Reads a rule file's JSON; a file that cannot be read is an `Error` (io), one that is not
// JSON a `RuleError`.
JsonValue read_document(const std::string& path) {
  try {
    return detail::read_json_file(path);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::io) throw;
    throw RuleError(e.code(), e.message(), e.where());
  }
}

}  // namespace

std::string_view to_string(ActionKind kind) noexcept {
  return action_names[static_cast<std::size_t>(kind)];
}

std::optional<ActionKind> find_action_kind(std::string_view name) noexcept {
  const auto* found = std::find(action_names.begin(), action_names.end(), name);
  if (found == action_names.end()) return std::nullopt;
  return static_cast<ActionKind>(found - action_names.begin());
}

bool reaches_customer(ActionKind kind) noexcept {
  switch (kind) {
    case ActionKind::send_material:
    case ActionKind::send_message:
    case ActionKind::issue_coupon:
    case ActionKind::invite_to_group: return true;
    default: return false;
  }
}

RuleSet compile_rules(std::string_view json, const std::string& source) {
  try {
    return rules_from(detail::parse_json_document(json, source), source);
  } catch (const RuleError&) {
    throw;
  } catch (const Error& e) {
    throw RuleError(e.code(), e.message(), e.where());
  }
}

RuleSet read_rules(const std::string& path) { return rules_from(read_document(path), path); }

RuleCheck check_rules(std::string_view json, const std::string& source, const Pool* pool) {
  JsonValue document;
  try {
    document = detail::parse_json_document(json, source);
  } catch (const Error& e) {
    return RuleCheck{.errors = {diagnostic_of(e, source)}};
  }
  return check_document(document, source, pool);
}

RuleCheck check_rules_file(const std::string& path, const Pool* pool) {
  JsonValue document;
  try {
    document = read_document(path);
  } catch (const RuleError& e) {
    return RuleCheck{.errors = {diagnostic_of(e, path)}};
  }
  return check_document(document, path, pool);
}

}  // namespace siyu

#include "siyu/sop/engine.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <tuple>

#include <fmt/format.h>

#include "core/calendar.hpp"
#include "model/event_matcher.hpp"
#include "siyu/core/column_allocator.hpp"
#include "siyu/core/error.hpp"
#include "siyu/metrics/rfm.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/tiers/tier_engine.hpp"
#include "sop/flat_map.hpp"
#include "sop/keys.hpp"
#include "sop/run.hpp"

namespace siyu {

namespace {

using detail::micros_per_day;

// A rule that came due for a person: what the guards judge. 32 bytes: a backtest of many
// rules holds tens of millions, so the trigger event is its log position, not its fields.
struct Candidate {
  static constexpr std::uint32_t no_source = 0xFFFF'FFFF;
  static constexpr std::uint32_t alert_bit = 0x8000'0000;  // else a log position
  std::uint32_t rule;
  std::uint32_t person;
  std::int64_t due;
  std::int64_t triggered;  // the trigger event's time, or the schedule's
  // What triggered it: a log position, an index into the run's alert sources with
  // alert_bit set, or no_source for schedules, audiences and tier moves.
  std::uint32_t source = no_source;
  std::uint32_t rank = 0;  // the rule's place in the run's order: priority, then file order
};

static_assert(sizeof(Candidate) == 32);

// The trigger of an alert candidate: the alert's event, if any, and its staff member.
struct AlertSource {
  std::optional<std::uint64_t> event;
  StaffId staff;
};

template <class T>
using Column = std::vector<T, detail::ColumnAllocator<T>>;

std::int64_t due_of(const Trigger& trigger, std::int64_t t, const detail::LocalCalendar& calendar) {
  const std::int64_t delayed = t + trigger.delay.micros;
  if (!trigger.at_minute) return delayed;
  return calendar.at(calendar.day(delayed), *trigger.at_minute);
}

// Schedule occurrences in [from, to].
std::vector<std::int64_t> occurrences(const Trigger& trigger, std::int64_t from, std::int64_t to,
                                      const detail::LocalCalendar& calendar) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = calendar.day(from); calendar.at(d, 0) <= to; ++d) {
    const LocalDate date = detail::civil_from_days(d);
    bool due = false;
    if (trigger.every == Trigger::Every::week) {
      due = detail::LocalCalendar::weekday(d) + 1 == trigger.day;  // 1 Monday … 7 Sunday
    } else {
      const int last = detail::days_in_month(date.year, date.month);
      due = date.day == std::min(trigger.day, last);
    }
    const std::int64_t t = calendar.at(d, trigger.at_minute.value_or(0));
    if (due && t >= from && t <= to) out.push_back(t);
  }
  return out;
}

// FNV-1a: a stable hash, so the holdout picks the same customers everywhere.
std::uint64_t stable_hash(std::string_view a, std::string_view b) {
  std::uint64_t h = 14'695'981'039'346'656'037ULL;
  for (const std::string_view part : {a, std::string_view("\x1f", 1), b}) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1'099'511'628'211ULL;
    }
  }
  return h;
}

std::string fill(std::string text, const Pool& pool, CustomerId customer, StaffId staff,
                 ProductId product) {
  const auto replace = [&](std::string_view name, const std::string& value) {
    for (std::size_t at = text.find(name); at != std::string::npos;
         at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  };
  replace("{customer}", pool.customers()[customer].key);
  if (staff.has_value()) {
    const Staff& s = pool.staff()[staff];
    replace("{staff}", s.name.empty() ? s.key : s.name);
  }
  if (product.has_value()) {
    const Product& p = pool.products()[product];
    replace("{product}", p.name.empty() ? p.key : p.name);
  }
  return text;
}

// Rules triggered by alerts: the alerts of the period and as far before it as their delays
// reach, judged by the query's policy and words.
void add_alert_candidates(const Pool& pool, const std::vector<SopRule>& rules,
                          const SopQuery& query, const detail::LocalCalendar& calendar,
                          Column<Candidate>& out, std::vector<AlertSource>& sources) {
  std::optional<std::int64_t> reach;
  for (const SopRule& rule : rules) {
    if (rule.trigger.kind != Trigger::Kind::alert) continue;
    // A day more than the delay: the action may be due at a local time the next day.
    reach = std::max(reach.value_or(0), rule.trigger.delay.micros + micros_per_day);
  }
  if (!reach) return;
  const AlertPolicy defaults;
  const AlertResult alerts = run_alerts(
      pool, query.alert_policy != nullptr ? *query.alert_policy : defaults,
      AlertQuery{
          .from = Timestamp{query.from.micros - *reach}, .to = query.to, .words = query.words});
  for (const Alert& alert : alerts.alerts) {
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
      const Trigger& trigger = rules[r].trigger;
      if (trigger.kind != Trigger::Kind::alert || trigger.alert != alert.kind) continue;
      const std::int64_t due = due_of(trigger, alert.due.micros, calendar);
      if (due < query.from.micros || due > query.to.micros) continue;
      out.push_back(
          Candidate{.rule = r,
                    .person = alert.customer.value,
                    .due = due,
                    .triggered = alert.happened.micros,
                    .source = static_cast<std::uint32_t>(sources.size()) | Candidate::alert_bit});
      sources.push_back(AlertSource{.event = alert.event, .staff = alert.staff});
    }
  }
}

// Rules triggered by moves between layers or levels, from the tier engine's history.
void add_tier_candidates(const std::vector<SopRule>& rules, const SopQuery& query,
                         const detail::LocalCalendar& calendar, Column<Candidate>& out) {
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    const Trigger& trigger = rules[r].trigger;
    if (trigger.kind != Trigger::Kind::layer && trigger.kind != Trigger::Kind::level) continue;
    const bool level = trigger.kind == Trigger::Kind::level;
    const std::string field = std::string(trigger.leaving ? "trigger.leave_" : "trigger.enter_") +
                              (level ? "level" : "layer");
    if (query.tiers == nullptr) {
      throw ConfigError(ErrorCode::missing_field,
                        "the rule triggers on moves between layers or levels: run it with a "
                        "tier engine",
                        Where{.record = rules[r].key, .field = field});
    }
    std::optional<std::uint32_t> target;
    if (!level) {
      target = static_cast<std::uint32_t>(*find_layer(trigger.tier));
    } else if (const auto& ladder = query.tiers->policy().ladder) {
      for (std::uint32_t i = 0; i < ladder->levels.size(); ++i) {
        if (ladder->levels[i].key == trigger.tier) target = i;
      }
    }
    if (!target) {
      throw NotFound("the tier policy's ladder has no level \"" + trigger.tier + "\"",
                     Where{.record = rules[r].key, .field = field});
    }
    for (const TierMove& move : query.tiers->history()) {
      if (move.level != level || (trigger.leaving ? move.from : move.to) != target) continue;
      const std::int64_t due = due_of(trigger, move.at.micros, calendar);
      if (due < query.from.micros || due > query.to.micros) continue;
      out.push_back(Candidate{
          .rule = r, .person = move.customer.value, .due = due, .triggered = move.at.micros});
    }
  }
}

bool in_quiet_hours(std::int32_t minute, const Guards& g) {
  if (!g.quiet_from || !g.quiet_to) return false;
  return *g.quiet_from < *g.quiet_to ? minute >= *g.quiet_from && minute < *g.quiet_to
                                     : minute >= *g.quiet_from || minute < *g.quiet_to;
}

}  // namespace

namespace detail {

std::string_view to_string(Guard guard) noexcept {
  constexpr std::array<std::string_view, guard_count> names = {"audience",
                                                               "exit",
                                                               "reentry",
                                                               "consent",
                                                               "holdout",
                                                               "quiet_hours",
                                                               "per_customer_day",
                                                               "per_customer_week",
                                                               "per_customer_month",
                                                               "wecom_mass_messages",
                                                               "wecom_welcome",
                                                               "wecom_staff_reminders",
                                                               "wecom_transfers",
                                                               "per_staff_day"};
  return names[static_cast<std::size_t>(guard)];
}

SopRun run_entries(const Pool& pool, const RuleSet& set, const SopQuery& query, GuardState& state,
                   RunMemory& memory, RunSink* sink) {
  const detail::LocalCalendar calendar(pool.options().zone);
  const Guards& guards = set.guards;
  const std::vector<SopRule>& rules = set.rules;
  const std::int64_t to = query.to.micros;
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const auto types = log.types();
  const auto ids = log.ids();
  const auto products = log.products();
  const auto staff = log.staff();

  // Rules share a few audiences: each distinct one is judged once per person and day.
  constexpr std::uint32_t no_audience = 0xFFFF'FFFF;
  std::vector<std::uint32_t> audience_of(rules.size(), no_audience);
  std::vector<std::uint32_t> audience_rules;  // per distinct audience, the first rule with it
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    if (!rules[r].audience) continue;
    const auto same = std::find_if(audience_rules.begin(), audience_rules.end(), [&](auto first) {
      return rules[first].audience->text() == rules[r].audience->text();
    });
    audience_of[r] = static_cast<std::uint32_t>(same - audience_rules.begin());
    if (same == audience_rules.end()) audience_rules.push_back(r);
  }

  // Audiences judge each customer on their state at the start of the due's local day:
  // profiles are computed once per day that has a candidate of a rule with an audience.
  struct DaySnapshot {
    Profiles profiles;
    std::vector<std::optional<AudienceMatcher>> matchers;  // distinct rule audiences
    std::vector<std::optional<AudienceMatcher>> watchers;  // audiences triggers watch
  };
  std::vector<std::optional<Audience>> watched(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].trigger.kind == Trigger::Kind::audience) {
      watched[r] = Audience::parse(rules[r].trigger.watch);
    }
  }
  std::map<std::int64_t, std::unique_ptr<DaySnapshot>> snapshots;
  // `only`: the persons whose profiles are needed, when not everyone's.
  const auto snapshot = [&](std::int64_t day,
                            std::vector<CustomerId> only = {}) -> const DaySnapshot& {
    auto& slot = snapshots[day];
    if (slot) return *slot;
    ProfileQuery at_start{.at = Timestamp{calendar.at(day, 0) - 1}, .only = std::move(only)};
    if (query.tiers != nullptr) at_start.window = query.tiers->policy().window;
    // The memory of a day gone by, where a subset rewrites only its persons.
    Profiles profiles;
    if (memory.profiles) {
      profiles = *std::move(memory.profiles);
      memory.profiles.reset();
    }
    profiles.recompute(pool, at_start);
    slot = std::make_unique<DaySnapshot>(DaySnapshot{std::move(profiles), {}});
    slot->matchers.resize(audience_rules.size());
    slot->watchers.resize(rules.size());
    const AudienceInputs inputs{
        .pool = pool, .profiles = slot->profiles, .tiers = query.tiers, .rfm = query.rfm};
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
      try {
        const std::uint32_t a = audience_of[r];
        if (a != no_audience && audience_rules[a] == r)
          slot->matchers[a].emplace(*rules[r].audience, inputs);
        if (watched[r]) slot->watchers[r].emplace(*watched[r], inputs);
      } catch (Error& e) {
        e.locate(Where{.record = rules[r].key});
        throw;
      }
    }
    return *slot;
  };
  // Days before `day` are done with: their profiles become the memory the next day reuses.
  const auto forget_before = [&](std::int64_t day) {
    const auto gone = snapshots.lower_bound(day);
    if (gone != snapshots.begin()) memory.profiles = std::move(std::prev(gone)->second->profiles);
    snapshots.erase(snapshots.begin(), gone);
  };

  if (log.size() >= Candidate::alert_bit) {
    throw Error(ErrorCode::out_of_range, "the SOP engine reads logs of fewer than 2^31 events");
  }
  // Materials, coupons, groups and staff the actions name must be the pool's; tags may be new.
  if (const auto missing = detail::missing_keys(pool, rules); !missing.empty()) {
    throw NotFound(missing.front().message, Where{.record = rules[missing.front().rule].key,
                                                  .field = missing.front().field});
  }

  // The trigger times whose action falls due in the period, per rule: the due never falls
  // as the trigger time grows, so they are one interval, and an event outside it is passed
  // over with two comparisons instead of a calendar computation.
  struct Span {
    std::int64_t first = 1;
    std::int64_t last = 0;  // empty unless set
  };
  std::vector<Span> triggered_in(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Trigger& trigger = rules[r].trigger;
    if (!trigger.at_minute) {
      triggered_in[r] = Span{query.from.micros - trigger.delay.micros, to - trigger.delay.micros};
      continue;
    }
    // The local days whose time of day falls in the period, then the delayed trigger
    // times on those days.
    std::int64_t first_day = calendar.day(query.from.micros);
    if (calendar.at(first_day, *trigger.at_minute) < query.from.micros) ++first_day;
    std::int64_t last_day = calendar.day(to);
    if (calendar.at(last_day, *trigger.at_minute) > to) --last_day;
    if (first_day <= last_day) {
      triggered_in[r] = Span{calendar.at(first_day, 0) - trigger.delay.micros,
                             calendar.at(last_day + 1, 0) - 1 - trigger.delay.micros};
    }
  }

  // A rule a condition triggers, with the trigger times that fall due in the period.
  struct Windowed {
    Span window;
    std::uint32_t rule;
  };
  // Trigger and exit conditions, each distinct one matched once per event (a thousand rules
  // share a handful), indexed by event type so each event meets only its conditions.
  struct Watch {
    detail::EventMatcher matcher;
    std::vector<Windowed> triggers;           // rules it triggers
    std::vector<Windowed> audience_triggers;  // of those, the rules with an audience
    std::int64_t widest = 0;                  // the longest of their windows
    std::optional<std::uint32_t> exit;        // its index among exit conditions, if one
  };
  std::vector<EventCondition> conditions;
  std::vector<Watch> watches;
  const auto watch_of = [&](const EventCondition& c) -> Watch& {
    const auto found = std::find(conditions.begin(), conditions.end(), c);
    if (found != conditions.end())
      return watches[static_cast<std::size_t>(found - conditions.begin())];
    conditions.push_back(c);
    return watches.emplace_back(Watch{detail::EventMatcher(pool, c), {}, {}, 0, std::nullopt});
  };
  std::uint32_t exit_count = 0;
  std::vector<std::vector<std::uint32_t>> exits_of(rules.size());  // exit condition ids per rule
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    try {
      if (rules[r].trigger.kind == Trigger::Kind::event) {
        Watch& w = watch_of(rules[r].trigger.event);
        const Span window = triggered_in[r];
        if (window.first <= window.last) {  // else nothing it triggers falls due in the period
          w.triggers.push_back(Windowed{window, r});
          if (audience_of[r] != no_audience) w.audience_triggers.push_back(w.triggers.back());
          w.widest = std::max(w.widest, window.last - window.first);
        }
      }
      for (const EventCondition& exit : rules[r].exits) {
        Watch& w = watch_of(exit);
        if (!w.exit) w.exit = exit_count++;
        exits_of[r].push_back(*w.exit);
      }
    } catch (Error& e) {
      e.locate(Where{.record = rules[r].key});
      throw;
    }
  }
  // How far before the period an event can be and still fall due in it: the longest delay,
  // and a day for a local time on the day the delay lands on.
  std::int64_t reach = micros_per_day;
  for (const SopRule& rule : rules)
    reach = std::max(reach, rule.trigger.delay.micros + micros_per_day);
  // A condition's rules by the start of their windows: an event meets only the rules whose
  // window holds it, found by a search. A short period's windows are a day or two of the
  // fortnight its delays reach, so an incremental run tries a tenth of the rules.
  for (Watch& w : watches) {
    for (std::vector<Windowed>* list : {&w.triggers, &w.audience_triggers}) {
      std::sort(list->begin(), list->end(), [](const Windowed& a, const Windowed& b) {
        return std::pair(a.window.first, a.rule) < std::pair(b.window.first, b.rule);
      });
    }
  }
  std::vector<std::vector<const Watch*>> by_type(event_type_count);
  for (const Watch& w : watches) by_type[static_cast<std::size_t>(w.matcher.type())].push_back(&w);
  // Exit events by (exit condition, person), sorted: looked up once per candidate.
  using Exit = std::pair<std::uint64_t, std::int64_t>;
  const auto pair_key = [](std::uint32_t high, std::uint32_t person) {
    return (std::uint64_t{high} << 32U) | person;
  };
  // The run's order: due, then priority, rule, person and trigger event. A rule's place
  // among the rules (priority, then file order) is ranked once and carried by its
  // candidates, so ordering them reads nothing else.
  std::vector<std::uint32_t> rank_of(rules.size());
  {
    std::vector<std::uint32_t> ranked(rules.size());
    std::iota(ranked.begin(), ranked.end(), 0U);
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
      return rules[a].priority > rules[b].priority;
    });
    for (std::uint32_t i = 0; i < ranked.size(); ++i) rank_of[ranked[i]] = i;
  }

  // The persons with events that may fall due in the period or exit what does, with where
  // those events are: found in one pass, read by each pass below. Events long before the
  // period cannot fall due in it. The log is clustered by person, so a customer id with
  // events is a person.
  struct Active {
    std::uint32_t person;
    std::size_t begin;  // the first event at or after the reach before the period
    std::size_t end;    // the end of the person's events
  };
  std::vector<Active> active;
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range range = log.range(CustomerId{c});
    const auto end = ts.begin() + static_cast<std::ptrdiff_t>(range.end);
    const auto first = std::lower_bound(ts.begin() + static_cast<std::ptrdiff_t>(range.begin), end,
                                        query.from.micros - reach);
    if (first == end || *first > to) continue;
    active.push_back(Active{.person = pool.person(CustomerId{c}).value,
                            .begin = static_cast<std::size_t>(first - ts.begin()),
                            .end = range.end});
  }
  // A rule due at a local time a whole number of days after its trigger is due on the
  // trigger's local day plus those days: one day computation per event, not per rule.
  std::vector<std::optional<std::int64_t>> whole_days(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Trigger& trigger = rules[r].trigger;
    if (trigger.at_minute && trigger.delay.micros % micros_per_day == 0)
      whole_days[r] = trigger.delay.micros / micros_per_day;
  }
  // A person's exit events and the candidates their events trigger whose action falls due in
  // the period; with `audiences_only`, only those of rules with an audience, and no exits.
  const auto scan = [&](const Active& a, bool audiences_only, auto&& on_exit, auto&& on_candidate) {
    const Customer& record = pool.customers()[CustomerId{a.person}];
    for (std::size_t p = a.begin; p < a.end && ts[p] <= to; ++p) {
      const std::int64_t event_day = calendar.day(ts[p]);
      for (const Watch* w : by_type[static_cast<std::size_t>(types[p])]) {
        if (audiences_only && w->audience_triggers.empty()) continue;
        if (!w->matcher.matches(log, p) || !w->matcher.customer_matches(record)) continue;
        if (w->exit && !audiences_only) on_exit(Exit{pair_key(*w->exit, a.person), ts[p]});
        const std::vector<Windowed>& triggered =
            audiences_only ? w->audience_triggers : w->triggers;
        const std::int64_t t = ts[p];
        // The windows that start no earlier than the widest could and still hold t: all of
        // them in a long period, which needs no search.
        const Windowed* next = triggered.data();
        if (!triggered.empty() && next->window.first < t - w->widest) {
          next = detail::lower_bound_branchless(
              triggered.data(), triggered.size(),
              [&](const Windowed& x) { return x.window.first < t - w->widest; });
        }
        for (; next != triggered.data() + triggered.size() && next->window.first <= t; ++next) {
          if (t > next->window.last) continue;
          const std::uint32_t r = next->rule;
          const Trigger& trigger = rules[r].trigger;
          const std::int64_t due = whole_days[r]
                                       ? calendar.at(event_day + *whole_days[r], *trigger.at_minute)
                                       : due_of(trigger, ts[p], calendar);
          on_candidate(Candidate{.rule = r,
                                 .person = a.person,
                                 .due = due,
                                 .triggered = ts[p],
                                 .source = static_cast<std::uint32_t>(p),
                                 .rank = rank_of[r]});
        }
      }
    }
  };

  // Candidates not triggered by a person's events: schedules, alerts, moves between tiers,
  // entering or leaving audiences.
  // Millions of candidates with many rules: columns, so growing them costs neither zeroing
  // nor a page fault per 4 KiB.
  Column<Candidate> others;
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    if (rules[r].trigger.kind != Trigger::Kind::schedule) continue;
    // A schedule reaches the persons with an event by the start of its day, of its
    // audience: the others were never its target, so they are not suppressions.
    for (const std::int64_t t : occurrences(rules[r].trigger, query.from.micros, to, calendar)) {
      const DaySnapshot& day_state = snapshot(calendar.day(t));
      const Profiles& profiles = day_state.profiles;
      for (std::uint32_t c = 0; c < profiles.size(); ++c) {
        if (!profiles.is_person(CustomerId{c}) || !profiles.all()[c].first_seen) continue;
        if (rules[r].audience && !day_state.matchers[audience_of[r]]->holds(CustomerId{c}))
          continue;
        others.push_back(Candidate{.rule = r, .person = c, .due = t, .triggered = t});
      }
    }
  }
  std::vector<AlertSource> alert_sources;
  add_alert_candidates(pool, rules, query, calendar, others, alert_sources);
  add_tier_candidates(rules, query, calendar, others);
  // Entering or leaving an audience, judged at the start of each local day against the
  // day before.
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    if (!watched[r]) continue;
    const Trigger& trigger = rules[r].trigger;
    for (std::int64_t d = calendar.day(query.from.micros - trigger.delay.micros) - 1;
         calendar.at(d, 0) <= to; ++d) {
      const std::int64_t due = due_of(trigger, calendar.at(d, 0), calendar);
      if (due < query.from.micros || due > to) continue;
      const DaySnapshot& before = snapshot(d - 1);
      const DaySnapshot& now = snapshot(d);
      const auto in = [r](const DaySnapshot& day, std::uint32_t c) {
        return day.profiles.is_person(CustomerId{c}) && day.profiles.all()[c].first_seen &&
               day.watchers[r]->holds(CustomerId{c});
      };
      for (std::uint32_t c = 0; c < now.profiles.size(); ++c) {
        if (in(now, c) == in(before, c) || in(now, c) == trigger.leaving) continue;
        others.push_back(
            Candidate{.rule = r, .person = c, .due = due, .triggered = calendar.at(d, 0)});
      }
    }
  }
  for (Candidate& k : others) k.rank = rank_of[k.rule];
  std::stable_sort(others.begin(), others.end(),
                   [](const Candidate& a, const Candidate& b) { return a.person < b.person; });
  // Each person with candidates, ascending: their events to scan (or none), and their
  // candidates of other sources.
  const auto for_each_person = [&](auto&& visit) {
    constexpr std::uint32_t none = 0xFFFF'FFFF;
    std::size_t next_active = 0;
    std::size_t next_other = 0;
    while (next_active < active.size() || next_other < others.size()) {
      const std::uint32_t person =
          std::min(next_active < active.size() ? active[next_active].person : none,
                   next_other < others.size() ? others[next_other].person : none);
      const Active* events = nullptr;
      if (next_active < active.size() && active[next_active].person == person)
        events = &active[next_active++];
      const std::size_t first_other = next_other;
      while (next_other < others.size() && others[next_other].person == person) ++next_other;
      visit(person, events,
            std::span<const Candidate>(others.data() + first_other, next_other - first_other));
    }
  };

  // Every (person, local day) a candidate of a rule with an audience asks about, ascending,
  // with a bit per distinct audience that holds. Judged day by day before any guard runs, so
  // each day's profiles are computed once, for that day's persons only.
  using Ask = std::pair<std::uint32_t, std::int64_t>;
  std::vector<Ask> asks;
  const std::size_t words = (audience_rules.size() + 63) / 64;
  std::vector<std::uint64_t> verdicts;
  if (!audience_rules.empty()) {
    std::vector<std::int64_t> days;
    for_each_person(
        [&](std::uint32_t person, const Active* events, std::span<const Candidate> theirs) {
          days.clear();
          if (events != nullptr) {
            scan(
                *events, true, [](const Exit&) {},
                [&](const Candidate& k) { days.push_back(calendar.day(k.due)); });
          }
          for (const Candidate& k : theirs) {
            if (audience_of[k.rule] != no_audience) days.push_back(calendar.day(k.due));
          }
          std::sort(days.begin(), days.end());
          days.erase(std::unique(days.begin(), days.end()), days.end());
          for (const std::int64_t d : days) asks.emplace_back(person, d);
        });
    verdicts.assign(asks.size() * words, 0);
    std::vector<std::uint32_t> by_day(asks.size());
    std::iota(by_day.begin(), by_day.end(), 0U);
    std::stable_sort(by_day.begin(), by_day.end(), [&](std::uint32_t a, std::uint32_t b) {
      return asks[a].second < asks[b].second;
    });
    std::vector<CustomerId> persons;
    for (std::size_t begin = 0, end = 0; begin < by_day.size(); begin = end) {
      const std::int64_t day = asks[by_day[begin]].second;
      persons.clear();
      for (end = begin; end < by_day.size() && asks[by_day[end]].second == day; ++end)
        persons.push_back(CustomerId{asks[by_day[end]].first});
      forget_before(day);
      const DaySnapshot& judged = snapshot(day, persons);
      for (std::size_t k = begin; k < end; ++k) {
        const std::uint32_t i = by_day[k];
        for (std::size_t a = 0; a < audience_rules.size(); ++a) {
          if (judged.matchers[a]->holds(CustomerId{asks[i].first}))
            verdicts[i * words + a / 64] |= std::uint64_t{1} << (a % 64);
        }
      }
    }
  }
  const auto holds = [&](std::span<const Ask> among, const Candidate& c) {
    const Ask key{c.person, calendar.day(c.due)};
    const Ask* at = detail::lower_bound_branchless(among.data(), among.size(),
                                                   [&key](const Ask& ask) { return ask < key; });
    const auto i = static_cast<std::size_t>(at - asks.data());
    const std::uint32_t a = audience_of[c.rule];
    return (verdicts[i * words + a / 64] >> (a % 64) & 1U) != 0;
  };

  // The trigger's fields, read from the log (or the alert) the candidate points into.
  struct TriggerFields {
    std::optional<std::uint64_t> event;
    StaffId staff;
    ProductId product;
  };
  const auto trigger_of = [&](const Candidate& c) -> TriggerFields {
    if (c.source == Candidate::no_source) return {};
    if (c.source >= Candidate::alert_bit) {
      const AlertSource& alert = alert_sources[c.source ^ Candidate::alert_bit];
      return {.event = alert.event, .staff = alert.staff};
    }
    return {.event = ids[c.source],
            .staff = StaffId{staff[c.source]},
            .product = ProductId{products[c.source]}};
  };
  const auto place = [&](std::int64_t due, std::uint32_t rule, std::uint32_t person) {
    return std::tuple(due, rank_of[rule], person);
  };
  const auto in_order = [&](const Candidate& a, const Candidate& b) {
    if (a.due != b.due) return a.due < b.due;
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.person != b.person) return a.person < b.person;
    return trigger_of(a).event < trigger_of(b).event;
  };

  // Per rule, once: its actions that reach the customer, of those the mass messages (the
  // sends of marketing rules) that WeCom counts, and its transfers.
  std::vector<std::uint32_t> reaching_of(rules.size(), 0);
  std::vector<std::uint32_t> mass_of(rules.size(), 0);
  std::vector<std::uint32_t> transfers_of(rules.size(), 0);
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (const ActionTemplate& a : rules[r].actions) {
      reaching_of[r] += reaches_customer(a.kind) ? 1U : 0U;
      transfers_of[r] += a.kind == ActionKind::transfer_customer ? 1U : 0U;
      const bool send = a.kind == ActionKind::send_material || a.kind == ActionKind::send_message;
      mass_of[r] += rules[r].marketing && send ? 1U : 0U;
    }
  }

  // What the guards read of a candidate's person: their record, their marks, whether they
  // are in the holdout, and sorted spans that hold their audience verdicts and exits.
  struct Judged {
    const Customer& customer;
    PersonMarks& marks;
    bool held_out;
    std::span<const Ask> asks;
    std::span<const Exit> exits;
  };
  SopRun out;
  out.stopped.resize(rules.size());
  // A backtest's sink takes only the holdout's stops; a run lists them all unless asked not to.
  const bool listing = query.suppressions == Suppressions::list;
  enum class Period : std::uint64_t { day, week, month, mass };
  const auto period_key = [](Period kind, std::int64_t period) {
    return (static_cast<std::uint64_t>(kind) << 32U) | static_cast<std::uint32_t>(period);
  };
  // The day, week or month that holds `t`.
  const auto period_of = [&](Period kind, std::int64_t t) -> std::int64_t {
    return kind == Period::day    ? calendar.day(t)
           : kind == Period::week ? calendar.week(t)
                                  : calendar.month(t);
  };
  // The period WeCom counts a customer's mass messages in, by the corp's setting.
  using Mass = Guards::MassMessages;
  const Period mass_period_kind = guards.wecom_mass_messages == Mass::per_month  ? Period::month
                                  : guards.wecom_mass_messages == Mass::per_week ? Period::week
                                                                                 : Period::day;
  if (state.remember) {
    // Every candidate of this run is due at or after its start: counts of periods before
    // and transfers too old for the 90-day window are never read again. Dropping them keeps
    // a long-running engine's memory to each person's recent periods.
    const std::array<std::int64_t, 4> first = {
        // by Period
        period_of(Period::day, query.from.micros), period_of(Period::week, query.from.micros),
        period_of(Period::month, query.from.micros),
        period_of(mass_period_kind, query.from.micros)};
    const std::int64_t transfers_since = query.from.micros - 90 * micros_per_day;
    for (PersonMarks& marks : state.persons) {
      marks.counts.erase_if([&](std::uint64_t key, std::uint32_t /*count*/) {
        const auto period = static_cast<std::int32_t>(key & 0xFFFF'FFFFU);
        return period < first[key >> 32U];
      });
      std::erase_if(marks.transferred, [&](std::int64_t t) { return t <= transfers_since; });
      // A welcome is due at its add, so only the run the add falls due in reads it;
      // re-entry once per N days reads the last entry for N days.
      marks.welcomed.clear();
      marks.entered.erase_if([&](std::uint64_t rule, std::int64_t last) {
        const Reentry& reentry = rules[rule].reentry;
        return reentry.kind == Reentry::Kind::per_period &&
               query.from.micros - last >= reentry.period.micros;
      });
    }
    state.compact();
    // Staff loads of days before this run's first, and reminders more than 24 hours before
    // its start, are never read again.
    const std::int64_t first_day = calendar.day(query.from.micros);
    state.per_staff.erase_if([&](std::uint64_t key, std::uint32_t /*actions*/) {
      return static_cast<std::int32_t>(key & 0xFFFF'FFFFU) < first_day;
    });
    for (auto at = state.reminders.begin(); at != state.reminders.end();) {
      std::erase_if(at->second,
                    [&](std::int64_t t) { return t <= query.from.micros - micros_per_day; });
      at = at->second.empty() ? state.reminders.erase(at) : std::next(at);
    }
  }
  // Re-entry reads a rule's last entry unless the rule runs every time.
  const auto enter = [&](PersonMarks& marks, std::uint32_t rule, std::int64_t due) {
    if (rules[rule].reentry.kind != Reentry::Kind::every_time) marks.entered[rule] = due;
  };
  std::vector<StaffId> actors;
  // The control arm: a stable share of the customers, by a hash of their key.
  const auto in_holdout = [&](std::uint32_t person) {
    const std::string& key = pool.customers()[CustomerId{person}].key;
    return guards.holdout_bp > 0 &&
           static_cast<std::int64_t>(stable_hash(key, guards.holdout_salt) % 10'000) <
               guards.holdout_bp;
  };
  // The guards, in order, over one candidate of the person.
  const auto judge = [&](Candidate cand, const Judged& whom) {
    const SopRule& rule = rules[cand.rule];
    const CustomerId person{cand.person};
    const Customer& customer = whom.customer;
    PersonMarks& marks = whom.marks;
    const std::int64_t planned = cand.due;
    std::uint16_t passed = 0;
    const auto pass = [&](Guard g) {
      passed = static_cast<std::uint16_t>(passed | (1U << static_cast<unsigned>(g)));
    };
    const auto stop = [&](Guard guard, std::uint8_t variant = 0, std::int64_t a = 0,
                          std::int64_t b = 0) {
      ++out.stopped[cand.rule][static_cast<std::size_t>(guard)];
      if (sink != nullptr ? guard != Guard::holdout : !listing) return;
      const Stop stopped{.rule = cand.rule,
                         .customer = person,
                         .due = cand.due,
                         .planned = planned,
                         .guard = guard,
                         .variant = variant,
                         .a = a,
                         .b = b};
      if (sink != nullptr) {
        sink->holdout(stopped);
      } else {
        out.stops.push_back(stopped);
      }
    };
    if (rule.audience && !holds(whom.asks, cand)) {
      stop(Guard::audience);
      return;
    }
    if (rule.audience) pass(Guard::audience);
    // An exit event of the person between the trigger and the due cancels.
    bool exited = false;
    for (const std::uint32_t x : exits_of[cand.rule]) {
      const std::uint64_t exit_key = pair_key(x, cand.person);
      const Exit after{exit_key, cand.triggered + 1};
      const Exit* next = detail::lower_bound_branchless(
          whom.exits.data(), whom.exits.size(), [&after](const Exit& e) { return e < after; });
      exited = exited || (next != whom.exits.data() + whom.exits.size() &&
                          next->first == exit_key && next->second <= cand.due);
    }
    if (exited) {
      stop(Guard::exit);
      return;
    }
    if (!exits_of[cand.rule].empty()) pass(Guard::exit);
    const std::int64_t* last = marks.entered.find(cand.rule);
    if (last != nullptr && rule.reentry.kind != Reentry::Kind::every_time) {
      if (rule.reentry.kind == Reentry::Kind::once) {
        stop(Guard::reentry);
        return;
      }
      if (cand.due - *last < rule.reentry.period.micros) {
        stop(Guard::reentry, 1, (cand.due - *last) / micros_per_day,
             rule.reentry.period.micros / micros_per_day);
        return;
      }
    }
    pass(Guard::reentry);
    if (rule.marketing && customer.marketing_opt_out) {
      stop(Guard::consent);
      return;
    }
    if (rule.marketing) pass(Guard::consent);
    if (rule.marketing && whom.held_out) {
      // The control arm enters the rule too, so re-entry treats both arms alike.
      enter(marks, cand.rule, cand.due);
      stop(Guard::holdout, 0, guards.holdout_bp / 100);
      return;
    }
    if (rule.marketing && guards.holdout_bp > 0) pass(Guard::holdout);
    const std::uint32_t reaching = reaching_of[cand.rule];
    if (reaching > 0 && in_quiet_hours(calendar.minute(cand.due), guards)) {
      if (!rule.hold_in_quiet_hours) {
        stop(Guard::quiet_hours);
        return;
      }
      std::int64_t d = calendar.day(cand.due);
      if (calendar.minute(cand.due) >= *guards.quiet_to) ++d;
      cand.due = calendar.at(d, *guards.quiet_to);
    }
    if (reaching > 0 && guards.quiet_from) pass(Guard::quiet_hours);
    const std::int64_t day = calendar.day(cand.due);
    // The caps' periods are computed only for the caps that are set.
    const auto capped = [&](const std::optional<std::uint32_t>& cap, Period kind, Guard guard) {
      if (!cap || reaching == 0) return false;
      const std::uint32_t* found = marks.counts.find(period_key(kind, period_of(kind, cand.due)));
      const std::uint32_t used = found != nullptr ? *found : 0;
      if (used + reaching <= *cap) return false;
      stop(guard, 0, used, *cap);
      return true;
    };
    if (capped(guards.per_customer_day, Period::day, Guard::per_customer_day) ||
        capped(guards.per_customer_week, Period::week, Guard::per_customer_week) ||
        capped(guards.per_customer_month, Period::month, Guard::per_customer_month)) {
      return;
    }
    // WeCom's platform limits, when the host switches them on.
    const std::uint32_t mass = mass_of[cand.rule];
    std::int64_t mass_period = 0;
    if (mass > 0 && guards.wecom_mass_messages != Mass::unlimited) {
      const LocalDate date = detail::civil_from_days(day);
      const std::uint32_t limit =
          guards.wecom_mass_messages == Mass::per_month
              ? static_cast<std::uint32_t>(detail::days_in_month(date.year, date.month))
          : guards.wecom_mass_messages == Mass::per_week ? 7U
                                                         : 1U;
      mass_period = period_of(mass_period_kind, cand.due);
      const std::uint32_t* found = marks.counts.find(period_key(Period::mass, mass_period));
      const std::uint32_t sent = found != nullptr ? *found : 0;
      if (sent + mass > limit) {
        stop(Guard::wecom_mass_messages, 0, sent, limit);
        return;
      }
      pass(Guard::wecom_mass_messages);
    }
    const TriggerFields trigger = trigger_of(cand);
    const std::optional<std::uint64_t>& event = trigger.event;
    const bool welcome = guards.wecom_welcome && reaching > 0 && event &&
                         rule.trigger.kind == Trigger::Kind::event &&
                         rule.trigger.event.type == EventType::friend_added &&
                         rule.trigger.delay.micros == 0 && !rule.trigger.at_minute;
    if (welcome) {
      constexpr std::int64_t window = 20'000'000;
      if (cand.due - cand.triggered > window) {
        stop(Guard::wecom_welcome);
        return;
      }
      if (std::find(marks.welcomed.begin(), marks.welcomed.end(), *event) != marks.welcomed.end()) {
        stop(Guard::wecom_welcome, 1);
        return;
      }
      pass(Guard::wecom_welcome);
    }
    if (reaching > 0 && guards.per_customer_day) pass(Guard::per_customer_day);
    if (reaching > 0 && guards.per_customer_week) pass(Guard::per_customer_week);
    if (reaching > 0 && guards.per_customer_month) pass(Guard::per_customer_month);
    // Who acts: the template's staff member, else the owner, else the trigger event's staff.
    actors.clear();
    for (const ActionTemplate& a : rule.actions) {
      StaffId who = customer.owner.has_value() ? customer.owner : trigger.staff;
      if (!a.staff.empty()) who = *pool.staff().find(a.staff);  // checked by missing_keys
      actors.push_back(who);
    }
    // The reminders each staff member gets, recorded once every guard has passed.
    std::map<std::uint32_t, std::uint32_t> notices;
    if (guards.wecom_staff_reminders) {
      constexpr std::int64_t day_span = micros_per_day;
      for (std::size_t i = 0; i < rule.actions.size(); ++i) {
        const ActionKind k = rule.actions[i].kind;
        if ((k == ActionKind::notify_staff || k == ActionKind::notify_manager ||
             k == ActionKind::create_task) &&
            actors[i].has_value()) {
          ++notices[actors[i].value];
        }
      }
      const auto busy = std::find_if(notices.begin(), notices.end(), [&](const auto& n) {
        const auto times = state.reminders.find(n.first);
        if (times == state.reminders.end()) return n.second > 3;
        const auto recent = std::count_if(times->second.begin(), times->second.end(),
                                          [&](std::int64_t t) { return t > cand.due - day_span; });
        return static_cast<std::uint32_t>(recent) + n.second > 3;
      });
      if (busy != notices.end()) {
        stop(Guard::wecom_staff_reminders, 0, busy->first);
        return;
      }
      if (!notices.empty()) pass(Guard::wecom_staff_reminders);
    }
    const std::uint32_t transfers = transfers_of[cand.rule];
    if (guards.wecom_transfers && transfers > 0) {
      constexpr std::int64_t window = 90 * micros_per_day;
      const auto recent = [&](std::int64_t t) { return t > cand.due - window && t <= cand.due; };
      auto earlier = std::count_if(
          customer.owner_history.begin(), customer.owner_history.end(),
          [&](const OwnerChange& c) { return c.reason == "transfer" && recent(c.at.micros); });
      earlier += std::count_if(marks.transferred.begin(), marks.transferred.end(), recent);
      if (earlier + transfers > 2) {
        stop(Guard::wecom_transfers, 0, earlier);
        return;
      }
      pass(Guard::wecom_transfers);
    }
    if (guards.per_staff_day) {
      std::map<std::uint32_t, std::uint32_t> needed;
      for (const StaffId who : actors) {
        if (who.has_value()) ++needed[who.value];
      }
      const auto over = std::find_if(needed.begin(), needed.end(), [&](const auto& n) {
        const std::uint32_t* used = state.per_staff.find(staff_day(n.first, day));
        return (used != nullptr ? *used : 0) + n.second > *guards.per_staff_day;
      });
      if (over != needed.end()) {
        stop(Guard::per_staff_day, 0, over->first, *guards.per_staff_day);
        return;
      }
      pass(Guard::per_staff_day);
      for (const auto& [who, n] : needed) state.per_staff[staff_day(who, day)] += n;
    }
    if (mass > 0 && guards.wecom_mass_messages != Mass::unlimited) {
      marks.counts[period_key(Period::mass, mass_period)] += mass;
    }
    for (const auto& [who, n] : notices) {
      for (std::uint32_t k = 0; k < n; ++k) state.reminders[who].push_back(cand.due);
    }
    if (welcome) marks.welcomed.push_back(*event);
    if (guards.wecom_transfers) {
      for (std::uint32_t k = 0; k < transfers; ++k) marks.transferred.push_back(cand.due);
    }
    enter(marks, cand.rule, cand.due);
    if (reaching > 0) {
      if (guards.per_customer_day) marks.counts[period_key(Period::day, day)] += reaching;
      if (guards.per_customer_week)
        marks.counts[period_key(Period::week, period_of(Period::week, cand.due))] += reaching;
      if (guards.per_customer_month)
        marks.counts[period_key(Period::month, period_of(Period::month, cand.due))] += reaching;
    }
    const Entry entry{.rule = cand.rule,
                      .customer = person,
                      .due = cand.due,
                      .planned = planned,
                      .event = event,
                      .product = trigger.product,
                      .passed = passed,
                      .actors = static_cast<std::uint32_t>(out.actors.size())};
    if (sink != nullptr) {
      sink->entry(entry, actors);
      return;
    }
    out.entries.push_back(entry);
    out.actors.insert(out.actors.end(), actors.begin(), actors.end());
  };

  if (guards.per_staff_day || guards.wecom_staff_reminders) {
    // Staff limits couple persons: whoever comes first in the run's order takes the staff
    // member's capacity, so every candidate is ordered and judged in one sequence.
    Column<Candidate> candidates;
    Column<Exit> exits;
    for (const Active& a : active) {
      scan(
          a, false, [&](const Exit& x) { exits.push_back(x); },
          [&](const Candidate& k) { candidates.push_back(k); });
    }
    candidates.insert(candidates.end(), others.begin(), others.end());
    std::sort(exits.begin(), exits.end());
    std::sort(candidates.begin(), candidates.end(), in_order);
    for (const Candidate& cand : candidates) {
      judge(cand, Judged{.customer = pool.customers()[CustomerId{cand.person}],
                         .marks = state.marks(cand.person),
                         // hashed only where it is read: for marketing rules
                         .held_out = rules[cand.rule].marketing && in_holdout(cand.person),
                         .asks = asks,
                         .exits = exits});
    }
  } else {
    // Otherwise each person's guards read only their own marks: a person's candidates are
    // ordered and judged together, with their marks in cache, and the output is put in the
    // run's order at the end.
    std::vector<Candidate> mine;
    std::vector<Candidate> sorted;
    std::vector<std::uint32_t> firsts;  // by local day: where its candidates start in `sorted`
    std::vector<std::uint32_t> slots;   // each candidate's local day, counted from the first
    // A person's candidates fall due over a few weeks, many a day: put them in order of
    // their local day first, a counting pass, then sort each day's few. A comparison sort
    // of them all took a fifth of a backtest of many rules.
    const auto order = [&] {
      const auto [low, high] =
          std::minmax_element(mine.begin(), mine.end(),
                              [](const Candidate& a, const Candidate& b) { return a.due < b.due; });
      const std::int64_t first_day = calendar.day(low->due);
      const auto days = static_cast<std::size_t>(calendar.day(high->due) - first_day + 1);
      if (days > 2 * mine.size()) {  // spread thin (a long period): the counts would cost more
        std::sort(mine.begin(), mine.end(), in_order);
        return;
      }
      firsts.assign(days + 1, 0);
      slots.resize(mine.size());
      for (std::size_t i = 0; i < mine.size(); ++i) {
        slots[i] = static_cast<std::uint32_t>(calendar.day(mine[i].due) - first_day);
        ++firsts[slots[i] + 1];
      }
      std::partial_sum(firsts.begin(), firsts.end(), firsts.begin());
      sorted.resize(mine.size());
      for (std::size_t i = 0; i < mine.size(); ++i) sorted[firsts[slots[i]]++] = mine[i];
      // Each day's slot now ends where the next day's begins.
      for (std::size_t d = 0, begin = 0; d < days; begin = firsts[d++]) {
        std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(begin),
                  sorted.begin() + static_cast<std::ptrdiff_t>(firsts[d]), in_order);
      }
      mine.swap(sorted);
    };
    std::vector<Exit> exits;
    PersonMarks scratch;  // the marks of a person not remembered
    std::size_t next_ask = 0;
    for_each_person(
        [&](std::uint32_t person, const Active* events, std::span<const Candidate> theirs) {
          mine.assign(theirs.begin(), theirs.end());
          exits.clear();
          if (events != nullptr) {
            scan(
                *events, false, [&](const Exit& x) { exits.push_back(x); },
                [&](const Candidate& k) { mine.push_back(k); });
          }
          while (next_ask < asks.size() && asks[next_ask].first < person) ++next_ask;
          const std::size_t first_ask = next_ask;
          while (next_ask < asks.size() && asks[next_ask].first == person) ++next_ask;
          if (mine.empty()) return;
          std::sort(exits.begin(), exits.end());
          order();
          scratch.clear();
          const Judged whom{.customer = pool.customers()[CustomerId{person}],
                            .marks = state.remember ? state.marks(person) : scratch,
                            .held_out = in_holdout(person),
                            .asks = std::span(asks).subspan(first_ask, next_ask - first_ask),
                            .exits = exits};
          for (const Candidate& cand : mine) judge(cand, whom);
        });
    // Each person's output is in order: merge them by a stable sort on the run's order
    // (a sink takes them in any order).
    const auto merge = [&](auto& column) {
      std::stable_sort(column.begin(), column.end(), [&](const auto& a, const auto& b) {
        return place(a.planned, a.rule, a.customer.value) <
               place(b.planned, b.rule, b.customer.value);
      });
    };
    merge(out.entries);
    merge(out.stops);
  }
  // The next run (of an incremental engine) profiles its first day's persons in this memory.
  if (!snapshots.empty()) memory.profiles = std::move(snapshots.rbegin()->second->profiles);
  return out;
}

std::string reason_of(const Stop& s, const RuleSet& rules, const Pool& pool) {
  const SopRule& rule = rules.rules[s.rule];
  // "1 action", "2 actions"; "1 action already reaches", "2 actions already reach".
  const auto counted = [](std::int64_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
  };
  const auto reach = [](std::int64_t n) { return n == 1 ? "reaches" : "reach"; };
  const auto staff_key = [&](std::int64_t id) {
    return pool.staff()[StaffId{static_cast<std::uint32_t>(id)}].key;
  };
  switch (s.guard) {
    case Guard::audience: return "not in the audience " + rule.audience->text();
    case Guard::exit: return "an exit event came between the trigger and the due time";
    case Guard::reentry:
      return s.variant == 0 ? "entered the rule before, and it runs once per customer"
                            : fmt::format("entered {} before; once per {}", counted(s.a, "day"),
                                          counted(s.b, "day"));
    case Guard::consent: return "opted out of marketing";
    case Guard::holdout: return fmt::format("in the {}% holdout kept as a control", s.a);
    case Guard::quiet_hours: return "due in quiet hours, and the rule drops such actions";
    case Guard::per_customer_day:
    case Guard::per_customer_week:
    case Guard::per_customer_month:
      return fmt::format("{} already {} the customer, cap {}", counted(s.a, "action"), reach(s.a),
                         s.b);
    case Guard::wecom_mass_messages:
      return fmt::format("{} already {} the customer this period; WeCom allows {}",
                         counted(s.a, "mass message"), reach(s.a), s.b);
    case Guard::wecom_welcome:
      return s.variant == 0 ? "a welcome message must go out within 20 s of the add"
                            : "the add was already welcomed; WeCom sends one welcome per add";
    case Guard::wecom_staff_reminders:
      return fmt::format("staff {} already has 3 reminders in 24 hours", staff_key(s.a));
    case Guard::wecom_transfers:
      return fmt::format("transferred {} in the last 90 days; WeCom allows 2",
                         counted(s.a, "time"));
    case Guard::per_staff_day:
      return fmt::format("staff {} reached {} for the day", staff_key(s.a), counted(s.b, "action"));
  }
  return {};
}

}  // namespace detail

namespace {

SopResult expand(const detail::SopRun& run, const Pool& pool, const RuleSet& set) {
  SopResult result;
  // Holds move some actions later: keep the output in due order. Actions of an entry share
  // its due, so sorting the compact entries orders the actions without moving their texts.
  std::vector<std::uint32_t> order(run.entries.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return run.entries[a].due < run.entries[b].due;
  });
  result.actions.reserve(run.actors.size());
  for (const std::uint32_t index : order) {
    const detail::Entry& e = run.entries[index];
    const SopRule& rule = set.rules[e.rule];
    std::vector<std::string> passed;
    for (std::size_t g = 0; g < detail::guard_count; ++g) {
      if ((e.passed >> g & 1U) != 0) passed.emplace_back(detail::to_string(detail::Guard(g)));
    }
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const ActionTemplate& a = rule.actions[i];
      const StaffId who = run.actors[e.actors + i];
      result.actions.push_back(Action{.rule = rule.key,
                                      .kind = a.kind,
                                      .customer = e.customer,
                                      .staff = who,
                                      .target = a.target,
                                      .text = fill(a.text, pool, e.customer, who, e.product),
                                      .due = Timestamp{e.due},
                                      .trigger_event = e.event,
                                      .guards = passed});
    }
  }
  result.suppressed.reserve(run.stops.size());
  for (const detail::Stop& s : run.stops) {
    result.suppressed.push_back(SuppressedAction{.rule = set.rules[s.rule].key,
                                                 .customer = s.customer,
                                                 .due = Timestamp{s.due},
                                                 .guard = std::string(detail::to_string(s.guard)),
                                                 .reason = detail::reason_of(s, set, pool)});
  }
  detail::for_each_stopped(
      run, [&](std::uint32_t rule, std::string_view guard, std::uint64_t count) {
        result.suppression_counts.push_back(SuppressionCount{
            .rule = set.rules[rule].key, .guard = std::string(guard), .count = count});
      });
  return result;
}

}  // namespace

SopResult run_sop(const Pool& pool, const RuleSet& set, const SopQuery& query) {
  detail::GuardState state{.remember = false};
  detail::RunMemory memory;
  return expand(detail::run_entries(pool, set, query, state, memory), pool, set);
}

struct SopEngine::State {
  RuleSet rules;
  std::optional<Timestamp> last;
  detail::GuardState guards;
  detail::RunMemory memory;
};

SopEngine::SopEngine(RuleSet rules)
    : state_(std::make_unique<State>(State{std::move(rules), {}, {}})) {}
SopEngine::SopEngine(SopEngine&&) noexcept = default;
SopEngine& SopEngine::operator=(SopEngine&&) noexcept = default;
SopEngine::~SopEngine() = default;

SopResult SopEngine::run(const Pool& pool, const SopQuery& query) {
  if (state_->last && query.from <= *state_->last) {
    throw ConfigError(ErrorCode::conflict,
                      "the period starts at or before the end of the last one: its actions would "
                      "be due twice",
                      Where{.field = "from"});
  }
  if (query.to < query.from) {
    throw ConfigError(ErrorCode::invalid_value, "the period ends before it starts",
                      Where{.field = "to"});
  }
  SopResult result =
      expand(detail::run_entries(pool, state_->rules, query, state_->guards, state_->memory), pool,
             state_->rules);
  state_->last = query.to;
  return result;
}

std::optional<Timestamp> SopEngine::last() const noexcept { return state_->last; }

const RuleSet& SopEngine::rules() const noexcept { return state_->rules; }

SopEngineMemory SopEngine::memory() const noexcept {
  const detail::GuardState& guards = state_->guards;
  SopEngineMemory out{.staff_days = guards.per_staff.size()};
  for (const detail::PersonMarks& marks : guards.persons) {
    out.entries += marks.entered.size();
    out.counts += marks.counts.size();
    out.welcomes += marks.welcomed.size();
    out.transfers += marks.transferred.size();
    out.customers += marks.empty() ? 0U : 1U;
  }
  for (const auto& [staff, times] : guards.reminders) out.reminders += times.size();
  return out;
}

std::string SopEngine::save(const Pool& pool) const {
  return detail::save_engine(state_->guards, state_->last, state_->rules, pool);
}

SopEngine SopEngine::restore(RuleSet rules, const Pool& pool, std::string_view saved) {
  detail::SavedEngine restored = detail::restore_engine(saved, rules, pool);
  SopEngine engine(std::move(rules));
  engine.state_->last = restored.last;
  engine.state_->guards = std::move(restored.guards);
  return engine;
}

}  // namespace siyu

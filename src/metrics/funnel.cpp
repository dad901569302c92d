#include "siyu/metrics/funnel.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <span>

#include "core/text.hpp"
#include "metrics/breakdown_index.hpp"
#include "metrics/quantile.hpp"
#include "model/condition_syntax.hpp"
#include "model/event_matcher.hpp"
#include "model/type_scan.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

constexpr std::size_t max_steps = 64;
constexpr std::int64_t no_gap = -1;

constexpr std::array<std::pair<FunnelMode, std::string_view>, 4> mode_names = {{
    {FunnelMode::strict_order, "strict_order"},
    {FunnelMode::strict_increase, "strict_increase"},
    {FunnelMode::strict_once, "strict_once"},
    {FunnelMode::strict_deduplication, "strict_deduplication"},
}};

constexpr std::uint64_t bit(std::size_t i) noexcept { return std::uint64_t{1} << i; }
// Bits 0..i.
constexpr std::uint64_t up_to(std::size_t i) noexcept {
  return i >= 63 ? ~std::uint64_t{0} : bit(i + 1) - 1;
}

[[noreturn]] void invalid_query(std::string message, std::string_view field) {
  throw ConfigError(ErrorCode::invalid_value, std::move(message),
                    Where{.field = std::string(field)});
}

// A partial match: the first step's time, the last matched step's time, the steps an
// exclusion barred for good, the next steps an interrupting event barred from this level,
// and (strict_once) the event types used.
struct Chain {
  std::int64_t start = 0;
  std::int64_t last = 0;
  std::uint64_t excluded = 0;
  std::uint64_t interrupted = 0;
  std::uint64_t used = 0;
};

// The query resolved against the pool, with the per-step tables the scan needs.
struct CompiledFunnel {
  std::size_t steps = 0;
  std::vector<detail::EventMatcher> matchers;
  std::vector<detail::EventMatcher> exclusion_matchers;
  std::array<std::uint64_t, event_type_count> steps_of_type{};
  std::array<std::uint64_t, event_type_count> exclusions_of_type{};
  std::vector<EventType> types;               // every type a step or an exclusion names
  std::uint64_t type_only = 0;                // steps whose type alone decides a match
  std::vector<std::int64_t> within;           // per step, -1 when unbounded
  std::vector<std::uint64_t> type_bit;        // per step: the bit of its event type's first step
  std::vector<std::size_t> lowest_parent;     // per step j: chains at levels [this, j) may fill j
  std::vector<std::uint64_t> next_steps;      // per level i: the steps a chain there may fill next
  std::vector<std::size_t> exclusion_after;   // 0-based
  std::vector<std::size_t> exclusion_before;  // 0-based
  bool any_tag = false;
  std::int64_t window = 0;
  bool strict_order = false;
  bool strict_increase = false;
  bool strict_once = false;
  bool strict_deduplication = false;
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  std::int64_t to = std::numeric_limits<std::int64_t>::max();
};

CompiledFunnel compile(const Pool& pool, const FunnelQuery& query) {
  CompiledFunnel f;
  f.steps = query.steps.size();
  if (f.steps == 0) invalid_query("a funnel needs at least one step", "steps");
  if (f.steps > max_steps) invalid_query("a funnel has at most 64 steps", "steps");
  if (query.steps.front().optional) invalid_query("the first step cannot be optional", "steps");
  if (query.window.micros < 0) invalid_query("the window is negative", "window");
  if (query.exclusions.size() > max_steps) invalid_query("at most 64 exclusions", "exclude");
  if (query.from && query.to && *query.from > *query.to) {
    invalid_query("--from is after --to", "from");
  }
  f.window = query.window.micros;
  f.strict_order = has_mode(query.mode, FunnelMode::strict_order);
  f.strict_increase = has_mode(query.mode, FunnelMode::strict_increase);
  f.strict_once = has_mode(query.mode, FunnelMode::strict_once);
  f.strict_deduplication = has_mode(query.mode, FunnelMode::strict_deduplication);
  if (query.from) f.from = query.from->micros;
  if (query.to) f.to = query.to->micros;
  for (std::size_t j = 0; j < f.steps; ++j) {
    const FunnelStep& step = query.steps[j];
    try {
      f.matchers.emplace_back(pool, step.condition);
    } catch (Error& e) {
      e.locate(Where{.record = "step " + std::to_string(j + 1)});
      throw;
    }
    if (step.within && step.within->micros < 0) {
      invalid_query("step " + std::to_string(j + 1) + ": within is negative", "steps");
    }
    if (f.matchers.back().type_only()) f.type_only |= bit(j);
    f.within.push_back(step.within ? step.within->micros : -1);
    f.steps_of_type[static_cast<std::size_t>(step.condition.type)] |= bit(j);
    f.any_tag = f.any_tag || !step.condition.tag.empty();
    std::size_t first = j;
    for (std::size_t i = 0; i < j; ++i) {
      const EventCondition& other = query.steps[i].condition;
      if (other.type == step.condition.type && other.custom_name == step.condition.custom_name) {
        first = i;
        break;
      }
    }
    f.type_bit.push_back(bit(first));
    std::size_t lowest = j == 0 ? 0 : j - 1;
    while (lowest > 0 && query.steps[lowest].optional) --lowest;
    f.lowest_parent.push_back(lowest);
  }
  f.next_steps.assign(f.steps, 0);
  for (std::size_t j = 1; j < f.steps; ++j) {
    for (std::size_t i = f.lowest_parent[j]; i < j; ++i) f.next_steps[i] |= bit(j);
  }
  for (std::size_t e = 0; e < query.exclusions.size(); ++e) {
    const FunnelExclusion& exclusion = query.exclusions[e];
    const std::size_t before = exclusion.before == 0 ? f.steps : exclusion.before;
    if (exclusion.after < 1 || before > f.steps || exclusion.after >= before) {
      invalid_query("exclusion " + std::to_string(e + 1) + ": steps " +
                        std::to_string(exclusion.after) + "-" + std::to_string(before) +
                        " are not two steps of the funnel in order",
                    "exclude");
    }
    try {
      f.exclusion_matchers.emplace_back(pool, exclusion.condition);
    } catch (Error& err) {
      err.locate(Where{.record = "exclusion " + std::to_string(e + 1)});
      throw;
    }
    f.exclusion_after.push_back(exclusion.after - 1);
    f.exclusion_before.push_back(before - 1);
    f.exclusions_of_type[static_cast<std::size_t>(exclusion.condition.type)] |= bit(e);
    f.any_tag = f.any_tag || !exclusion.condition.tag.empty();
  }
  for (std::size_t t = 0; t < event_type_count; ++t) {
    if ((f.steps_of_type[t] | f.exclusions_of_type[t]) != 0) {
      f.types.push_back(static_cast<EventType>(t));
    }
  }
  return f;
}

// How far one customer got, and for each step first reached the shortest times to it.
struct Outcome {
  std::size_t level = 0;
  std::vector<std::int64_t> from_previous;  // per step, no_gap unless reached
  std::vector<std::int64_t> from_first;
};

// Runs the chains of one customer at a time; keeps its buffers between customers.
class FunnelScan {
 public:
  explicit FunnelScan(const CompiledFunnel& f) : f_(f), frontier_(f.steps) {
    outcome_.from_previous.assign(f.steps, no_gap);
    outcome_.from_first.assign(f.steps, no_gap);
  }

  // The outcome of one customer, from the positions of their events of the funnel's types.
  const Outcome& run(const EventLog& log, std::span<const std::size_t> positions,
                     const Customer& customer) {
    outcome_.level = 0;
    std::uint64_t step_allowed = ~std::uint64_t{0};
    std::uint64_t exclusion_allowed = ~std::uint64_t{0};
    if (f_.any_tag) {
      step_allowed = 0;
      exclusion_allowed = 0;
      for (std::size_t j = 0; j < f_.steps; ++j) {
        if (f_.matchers[j].customer_matches(customer)) step_allowed |= bit(j);
      }
      for (std::size_t e = 0; e < f_.exclusion_matchers.size(); ++e) {
        if (f_.exclusion_matchers[e].customer_matches(customer)) exclusion_allowed |= bit(e);
      }
    }
    const auto types = log.types();
    const auto ts = log.ts();
    // Most customers have no event of a later step's type: they reach step 1 or nothing,
    // which takes no chains (exclusions and strict modes bar only later steps).
    std::uint64_t steps_seen = 0;
    for (const std::size_t p : positions) {
      steps_seen |= f_.steps_of_type[static_cast<std::size_t>(types[p])];
    }
    if ((steps_seen & step_allowed & ~bit(0)) == 0) {
      if ((step_allowed & 1) == 0) return outcome_;
      for (const std::size_t p : positions) {
        if (f_.matchers[0].matches(log, p) && ts[p] >= f_.from && ts[p] < f_.to) {
          outcome_.level = 1;
          break;
        }
      }
      return outcome_;  // the times are read only for steps 2 and later
    }
    for (auto& level : frontier_) level.clear();
    std::fill(outcome_.from_previous.begin(), outcome_.from_previous.end(), no_gap);
    std::fill(outcome_.from_first.begin(), outcome_.from_first.end(), no_gap);
    for (const std::size_t p : positions) {
      const auto type = static_cast<std::size_t>(types[p]);
      std::uint64_t candidates = f_.steps_of_type[type] & step_allowed;
      std::uint64_t exclusion_candidates = f_.exclusions_of_type[type] & exclusion_allowed;
      if ((candidates | exclusion_candidates) == 0) continue;
      std::uint64_t matched = candidates & f_.type_only;
      for (candidates &= ~f_.type_only; candidates != 0; candidates &= candidates - 1) {
        const auto j = static_cast<std::size_t>(std::countr_zero(candidates));
        if (f_.matchers[j].matches(log, p)) matched |= bit(j);
      }
      std::uint64_t excluding = 0;
      for (; exclusion_candidates != 0; exclusion_candidates &= exclusion_candidates - 1) {
        const auto e = static_cast<std::size_t>(std::countr_zero(exclusion_candidates));
        if (f_.exclusion_matchers[e].matches(log, p)) excluding |= bit(e);
      }
      if ((matched | excluding) != 0) step(ts[p], matched, excluding);
    }
    return outcome_;
  }

 private:
  struct NewChain {
    std::size_t level;
    Chain chain;
  };

  bool can_fill(const Chain& c, std::size_t j, std::int64_t now) const noexcept {
    if (now - c.start > f_.window) return false;
    if (((c.excluded | c.interrupted) & bit(j)) != 0) return false;
    if (f_.within[j] >= 0 && now - c.last > f_.within[j]) return false;
    if (f_.strict_increase && now <= c.last) return false;
    return !f_.strict_once || (c.used & f_.type_bit[j]) == 0;
  }

  // Everything an event matching steps `matched` and exclusions `excluding` does.
  void step(std::int64_t now, std::uint64_t matched, std::uint64_t excluding) {
    const std::size_t reached_before = outcome_.level;
    fresh_.clear();
    for (std::uint64_t m = matched; m != 0; m &= m - 1) {
      const auto j = static_cast<std::size_t>(std::countr_zero(m));
      if (j == 0) {
        if (now < f_.from || now >= f_.to) continue;
        fresh_.push_back({0, Chain{now, now, 0, 0, f_.strict_once ? f_.type_bit[0] : 0}});
        outcome_.level = std::max<std::size_t>(outcome_.level, 1);
        continue;
      }
      for (std::size_t i = f_.lowest_parent[j]; i < j; ++i) {
        for (const Chain& c : frontier_[i]) {
          if (!can_fill(c, j, now)) continue;
          Chain next{c.start, now, c.excluded, 0, f_.strict_once ? c.used | f_.type_bit[j] : 0};
          // Steps (i, j] first reached now: keep the shortest times to them.
          for (std::size_t k = std::max(i + 1, reached_before); k <= j; ++k) {
            shorten(outcome_.from_previous[k], now - c.last);
            shorten(outcome_.from_first[k], now - c.start);
          }
          outcome_.level = std::max(outcome_.level, j + 1);
          if (j + 1 < f_.steps) fresh_.push_back({j, next});
        }
      }
    }
    interrupt(matched, excluding);
    for (const NewChain& n : fresh_) insert(n.level, n.chain, now);
  }

  static void shorten(std::int64_t& gap, std::int64_t candidate) noexcept {
    if (gap == no_gap || candidate < gap) gap = candidate;
  }

  // Bars the chains that already existed from what this event interrupts.
  void interrupt(std::uint64_t matched, std::uint64_t excluding) {
    const bool interrupts = matched != 0 && (f_.strict_order || f_.strict_deduplication);
    if (!interrupts && excluding == 0) return;
    for (std::size_t i = 0; i + 1 < f_.steps; ++i) {
      if (frontier_[i].empty()) continue;
      std::uint64_t interrupted = 0;
      if (interrupts) {
        for (std::uint64_t next = f_.next_steps[i]; next != 0; next &= next - 1) {
          const auto j = static_cast<std::size_t>(std::countr_zero(next));
          if (f_.strict_order && (matched & ~(bit(i) | bit(j))) != 0) interrupted |= bit(j);
          if (f_.strict_deduplication && (matched & up_to(j)) != 0) interrupted |= bit(j);
        }
      }
      std::uint64_t excluded = 0;
      for (std::uint64_t e = excluding; e != 0; e &= e - 1) {
        const auto x = static_cast<std::size_t>(std::countr_zero(e));
        if (i >= f_.exclusion_after[x] && i < f_.exclusion_before[x]) {
          excluded |= ~std::uint64_t{0} << f_.exclusion_before[x];
        }
      }
      if ((interrupted | excluded) == 0) continue;
      for (Chain& c : frontier_[i]) {
        c.interrupted |= interrupted;
        c.excluded |= excluded;
      }
    }
  }

  // A dominates B when every extension open to B is open to A with times no longer.
  bool dominates(const Chain& a, const Chain& b) const noexcept {
    if (a.start < b.start) return false;
    if (f_.strict_increase ? a.last != b.last : a.last < b.last) return false;
    return (a.excluded & ~b.excluded) == 0 && (a.interrupted & ~b.interrupted) == 0 &&
           (a.used & ~b.used) == 0;
  }

  void insert(std::size_t level, const Chain& chain, std::int64_t now) {
    auto& chains = frontier_[level];
    const std::uint64_t next = f_.next_steps[level];
    // Drop chains that can no longer fill anything: past the window, or every next step barred.
    std::erase_if(chains, [&](const Chain& c) {
      return now - c.start > f_.window || ((c.excluded | c.interrupted) & next) == next;
    });
    if (((chain.excluded | chain.interrupted) & next) == next) return;
    for (const Chain& c : chains) {
      if (dominates(c, chain)) return;
    }
    std::erase_if(chains, [&](const Chain& c) { return dominates(chain, c); });
    chains.push_back(chain);
  }

  const CompiledFunnel& f_;
  std::vector<std::vector<Chain>> frontier_;  // per level: chains not dominated by another
  std::vector<NewChain> fresh_;
  Outcome outcome_;
};

// Calls `each(customer, outcome)` for every customer with events of the funnel's types
// (the others reach no step). Those events are found first, eight type bytes at a time, so
// the chains never look at the rest of the log.
template <class Each>
void scan(const Pool& pool, const CompiledFunnel& f, Each&& each) {
  const EventLog& log = pool.events();
  const auto offsets = log.offsets();
  const detail::Column<std::size_t> positions = detail::positions_of(log.types(), f.types);
  const std::span<const std::size_t> all(positions);
  detail::CustomerCursor owner(offsets);
  FunnelScan scan(f);
  const auto ts = log.ts();
  std::size_t fetched = 0;  // positions whose timestamps were asked for
  for (std::size_t i = 0; i < positions.size();) {
    // The events lie apart in the log: their timestamps are asked for some events ahead.
    for (const std::size_t ahead = std::min(positions.size(), i + 32); fetched < ahead; ++fetched) {
      detail::prefetch(&ts[positions[fetched]]);
    }
    const std::uint32_t c = owner.customer_of(positions[i]);
    std::size_t end = i + 1;
    while (end < positions.size() && positions[end] < offsets[c + 1]) ++end;
    each(c, scan.run(log, all.subspan(i, end - i), pool.customers()[CustomerId{c}]));
    i = end;
  }
}

// Counts and times of one set of customers.
struct Tally {
  std::vector<std::uint64_t> customers;
  std::vector<std::vector<std::int64_t>> from_previous;
  std::vector<std::vector<std::int64_t>> from_first;

  explicit Tally(std::size_t steps)
      : customers(steps, 0), from_previous(steps), from_first(steps) {}

  void add(const Outcome& o) {
    for (std::size_t k = 0; k < o.level; ++k) {
      ++customers[k];
      if (k == 0) continue;
      from_previous[k].push_back(o.from_previous[k]);
      // Step 2 is reached from chains that hold only a step-1 event, so its time from the
      // first step is its time from the previous one: kept once.
      if (k > 1) from_first[k].push_back(o.from_first[k]);
    }
  }

  std::vector<FunnelStepResult> results() {
    std::vector<FunnelStepResult> steps(customers.size());
    const auto ratio = [](std::uint64_t n, std::uint64_t d) {
      return d == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(d);
    };
    const auto duration = [](std::optional<std::int64_t> micros) -> std::optional<Duration> {
      if (!micros) return std::nullopt;
      return Duration{*micros};
    };
    for (std::size_t k = 0; k < steps.size(); ++k) {
      FunnelStepResult& r = steps[k];
      r.customers = customers[k];
      r.conversion_from_previous = ratio(customers[k], customers[k == 0 ? 0 : k - 1]);
      r.conversion_from_first = ratio(customers[k], customers[0]);
      const detail::MedianAndP90 previous = detail::median_and_p90(from_previous[k]);
      const detail::MedianAndP90 first = k == 1 ? previous : detail::median_and_p90(from_first[k]);
      r.median_from_previous = duration(previous.median);
      r.p90_from_previous = duration(previous.p90);
      r.median_from_first = duration(first.median);
      r.p90_from_first = duration(first.p90);
    }
    return steps;
  }
};

}  // namespace

std::string to_string(FunnelMode mode) {
  std::string text;
  for (const auto& [m, name] : mode_names) {
    if (!has_mode(mode, m)) continue;
    if (!text.empty()) text += ',';
    text += name;
  }
  return text.empty() ? "default" : text;
}

FunnelMode parse_funnel_mode(std::string_view text) {
  if (text == "default") return FunnelMode::none;
  FunnelMode mode = FunnelMode::none;
  for (std::string_view name : detail::split_condition_list(text)) {
    const auto found = std::find_if(mode_names.begin(), mode_names.end(),
                                    [&](const auto& entry) { return entry.second == name; });
    if (found == mode_names.end()) {
      throw ParseError(ErrorCode::invalid_value,
                       "unknown funnel mode " + detail::quoted(name) +
                           " (use default, strict_order, strict_increase, strict_once or "
                           "strict_deduplication)",
                       Where{.field = "mode"});
    }
    mode = mode | found->first;
  }
  return mode;
}

FunnelStep parse_funnel_step(std::string_view text) {
  detail::ConditionSyntax syntax = detail::parse_condition_syntax(text);
  FunnelStep step;
  if (syntax.suffix == "?") {
    step.optional = true;
  } else if (!syntax.suffix.empty()) {
    throw ParseError(ErrorCode::bad_syntax,
                     "unexpected \"" + syntax.suffix + "\" after the step (only '?' may follow)");
  }
  step.condition = detail::build_condition(syntax, [&](const detail::ConditionAttribute& a) {
    if (a.name != "within") return false;
    if (a.op != "=" || step.within) {
      throw ParseError(ErrorCode::bad_syntax, "write within=<duration> once");
    }
    step.within = parse_duration(a.value);
    return true;
  });
  return step;
}

std::vector<FunnelStep> parse_funnel_steps(std::string_view text) {
  std::vector<FunnelStep> steps;
  const auto parts = detail::split_condition_list(text);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    try {
      steps.push_back(parse_funnel_step(parts[i]));
    } catch (Error& e) {
      e.locate(Where{.record = "step " + std::to_string(i + 1), .field = "steps"});
      throw;
    }
  }
  return steps;
}

std::string to_string(const FunnelStep& step) {
  std::vector<std::string> extra;
  if (step.within) extra.push_back("within=" + to_string(*step.within));
  return detail::condition_text(step.condition, extra) + (step.optional ? "?" : "");
}

FunnelExclusion parse_funnel_exclusion(std::string_view text) {
  const detail::ConditionSyntax syntax = detail::parse_condition_syntax(text);
  FunnelExclusion exclusion;
  exclusion.condition =
      detail::build_condition(syntax, [](const detail::ConditionAttribute&) { return false; });
  if (syntax.suffix.empty()) return exclusion;
  const std::string& s = syntax.suffix;
  const std::size_t dash = s.find('-');
  const auto number = [&](std::string_view digits) {
    std::size_t value = 0;
    if (digits.empty() || digits.size() > 2 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw ParseError(ErrorCode::bad_syntax,
                       "expected @I-J (two step numbers) after the exclusion, not \"" + s + "\"");
    }
    for (char c : digits) value = value * 10 + static_cast<std::size_t>(c - '0');
    return value;
  };
  if (s.front() != '@' || dash == std::string::npos) number("");
  exclusion.after = number(std::string_view(s).substr(1, dash - 1));
  exclusion.before = number(std::string_view(s).substr(dash + 1));
  return exclusion;
}

FunnelResult run_funnel(const Pool& pool, const FunnelQuery& query) {
  const CompiledFunnel f = compile(pool, query);
  Tally overall(f.steps);
  FunnelResult result;
  if (!query.by) {
    scan(pool, f, [&](std::uint32_t, const Outcome& o) { overall.add(o); });
  } else {
    const detail::BreakdownIndex index = detail::index_breakdown(pool, *query.by);
    std::vector<Tally> groups(index.values.size(), Tally(f.steps));
    scan(pool, f, [&](std::uint32_t c, const Outcome& o) {
      overall.add(o);
      groups[index.group_of[c]].add(o);
    });
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].customers[0] == 0) continue;
      result.groups.push_back(FunnelGroup{.value = index.values[g], .steps = groups[g].results()});
    }
  }
  result.steps = overall.results();
  return result;
}

std::vector<std::uint8_t> funnel_levels(const Pool& pool, const FunnelQuery& query) {
  const CompiledFunnel f = compile(pool, query);
  std::vector<std::uint8_t> levels(pool.customers().size(), 0);
  scan(pool, f,
       [&](std::uint32_t c, const Outcome& o) { levels[c] = static_cast<std::uint8_t>(o.level); });
  return levels;
}

}  // namespace siyu

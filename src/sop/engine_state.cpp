// A running SOP engine's state as bytes a host keeps across restarts. Customers, staff and
// rules are named by key, not by the ids of one process's pool and rule set: a pool loaded
// again from its store, or a rule file edited between save and restore, still lines up.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"
#include "sop/run.hpp"

namespace siyu::detail {

namespace {

constexpr std::string_view magic = "siyu.sop-engine";
constexpr std::uint32_t format = 1;

const Where saved_state{.source = "saved SOP engine state"};

struct StateDamaged {
  [[noreturn]] void operator()() const {
    throw ParseError(ErrorCode::bad_syntax,
                     "the bytes do not add up: the state is truncated or damaged", saved_state);
  }
};

template <class T>
void put_list(ByteWriter& w, const std::vector<T>& items) {
  w.put(static_cast<std::uint32_t>(items.size()));
  for (const T& item : items) w.put(item);
}

}  // namespace

std::string save_engine(const GuardState& guards, std::optional<Timestamp> last,
                        const RuleSet& rules, const Pool& pool) {
  std::string out;
  ByteWriter w(out);
  w.put(magic);
  w.put(format);
  w.put(static_cast<std::uint8_t>(last.has_value() ? 1 : 0));
  w.put(last.value_or(Timestamp{}).micros);
  // Entries name their rule by its place in this list of keys.
  w.put(static_cast<std::uint32_t>(rules.rules.size()));
  for (const SopRule& rule : rules.rules) w.put(std::string_view(rule.key));

  // Persons in id order, those with nothing kept left out.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> persons;  // person, slot
  guards.person_slot.for_each([&](std::uint64_t person, std::uint32_t slot) {
    if (!guards.persons[slot - 1].empty())
      persons.emplace_back(static_cast<std::uint32_t>(person), slot);
  });
  std::sort(persons.begin(), persons.end());
  w.put(static_cast<std::uint32_t>(persons.size()));
  for (const auto& [person, slot] : persons) {
    const PersonMarks& m = guards.persons[slot - 1];
    w.put(std::string_view(pool.customers()[CustomerId{person}].key));
    w.put(static_cast<std::uint32_t>(m.entered.size()));
    for (const auto& [rule, at] : m.entered.items()) {
      w.put(static_cast<std::uint32_t>(rule));
      w.put(at);
    }
    w.put(static_cast<std::uint32_t>(m.counts.size()));
    for (const auto& [period, count] : m.counts.items()) {
      w.put(period);
      w.put(count);
    }
    put_list(w, m.welcomed);
    put_list(w, m.transferred);
  }

  std::vector<std::pair<std::uint64_t, std::uint32_t>> loads;
  guards.per_staff.for_each(
      [&](std::uint64_t key, std::uint32_t actions) { loads.emplace_back(key, actions); });
  std::sort(loads.begin(), loads.end());
  w.put(static_cast<std::uint32_t>(loads.size()));
  for (const auto& [key, actions] : loads) {
    w.put(std::string_view(pool.staff()[StaffId{static_cast<std::uint32_t>(key >> 32U)}].key));
    w.put(static_cast<std::int32_t>(key & 0xFFFF'FFFFU));
    w.put(actions);
  }

  std::vector<std::uint32_t> reminded;
  for (const auto& [staff, times] : guards.reminders) reminded.push_back(staff);
  std::sort(reminded.begin(), reminded.end());
  w.put(static_cast<std::uint32_t>(reminded.size()));
  for (const std::uint32_t staff : reminded) {
    w.put(std::string_view(pool.staff()[StaffId{staff}].key));
    put_list(w, guards.reminders.at(staff));
  }
  return out;
}

SavedEngine restore_engine(std::string_view saved, const RuleSet& rules, const Pool& pool) {
  std::string head;
  ByteWriter(head).put(magic);
  if (!saved.starts_with(head)) {
    throw ParseError(ErrorCode::bad_syntax, "not a saved SOP engine state", saved_state);
  }
  ByteReader r(saved.substr(head.size()), StateDamaged{});
  if (const auto saved_format = r.get<std::uint32_t>(); saved_format != format) {
    throw ConfigError(ErrorCode::conflict,
                      "saved in format " + std::to_string(saved_format) +
                          "; this siyu reads format " + std::to_string(format),
                      saved_state);
  }
  SavedEngine out;
  const bool has_last = r.get<std::uint8_t>() != 0;
  const auto last = r.get<std::int64_t>();
  if (has_last) out.last = Timestamp{last};

  std::unordered_map<std::string, std::uint32_t> rule_index;
  for (std::uint32_t i = 0; i < rules.rules.size(); ++i) rule_index.emplace(rules.rules[i].key, i);
  // A saved rule the rule set no longer has: its entries are dropped.
  std::vector<std::optional<std::uint32_t>> rule_now(r.count(sizeof(std::uint32_t)));
  for (auto& now : rule_now) {
    const auto found = rule_index.find(r.text());
    if (found != rule_index.end()) now = found->second;
  }

  // A customer erased since is dropped; two saved persons that are one person now (a link
  // added since) are kept as one.
  PersonMarks dropped;
  const std::uint32_t persons = r.count(5 * sizeof(std::uint32_t));
  for (std::uint32_t i = 0; i < persons; ++i) {
    const std::optional<CustomerId> customer = pool.customers().find(r.text());
    PersonMarks& m = customer ? out.guards.marks(pool.person(*customer).value) : dropped;
    for (std::uint32_t n = r.count(sizeof(std::uint32_t) + sizeof(std::int64_t)); n > 0; --n) {
      const auto rule = r.get<std::uint32_t>();
      const auto at = r.get<std::int64_t>();
      if (rule >= rule_now.size()) StateDamaged{}();
      if (!rule_now[rule]) continue;
      const std::int64_t* before = m.entered.find(*rule_now[rule]);
      m.entered[*rule_now[rule]] = before != nullptr ? std::max(*before, at) : at;
    }
    for (std::uint32_t n = r.count(sizeof(std::uint64_t) + sizeof(std::uint32_t)); n > 0; --n) {
      const auto period = r.get<std::uint64_t>();
      m.counts[period] += r.get<std::uint32_t>();
    }
    for (std::uint32_t n = r.count(sizeof(std::uint64_t)); n > 0; --n)
      m.welcomed.push_back(r.get<std::uint64_t>());
    for (std::uint32_t n = r.count(sizeof(std::int64_t)); n > 0; --n)
      m.transferred.push_back(r.get<std::int64_t>());
    dropped.clear();
  }

  // Staff members the pool no longer has: their loads and reminders are dropped.
  for (std::uint32_t n = r.count(3 * sizeof(std::uint32_t)); n > 0; --n) {
    const std::optional<StaffId> staff = pool.staff().find(r.text());
    const auto day = r.get<std::int32_t>();
    const auto actions = r.get<std::uint32_t>();
    if (staff) out.guards.per_staff[staff_day(staff->value, day)] += actions;
  }
  for (std::uint32_t n = r.count(2 * sizeof(std::uint32_t)); n > 0; --n) {
    const std::optional<StaffId> staff = pool.staff().find(r.text());
    std::vector<std::int64_t> times(r.count(sizeof(std::int64_t)));
    for (std::int64_t& t : times) t = r.get<std::int64_t>();
    if (staff) {
      std::vector<std::int64_t>& kept = out.guards.reminders[staff->value];
      kept.insert(kept.end(), times.begin(), times.end());
    }
  }
  r.finish();
  return out;
}

}  // namespace siyu::detail

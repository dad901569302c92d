#include "sop/keys.hpp"

#include "core/text.hpp"
#include "model/event_matcher.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::detail {

std::vector<MissingKey> missing_keys(const Pool& pool, const std::vector<SopRule>& rules) {
  std::vector<MissingKey> out;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const SopRule& rule = rules[r];
    const auto condition = [&](const EventCondition& c, std::string field) {
      try {
        (void)EventMatcher(pool, c);
      } catch (const NotFound& e) {
        out.push_back({r, std::move(field), e.message()});
      }
    };
    if (rule.trigger.kind == Trigger::Kind::event) condition(rule.trigger.event, "trigger.event");
    for (std::size_t i = 0; i < rule.exits.size(); ++i) {
      condition(rule.exits[i], "exit[" + std::to_string(i) + "]");
    }
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const ActionTemplate& a = rule.actions[i];
      const std::string at = "actions[" + std::to_string(i) + "]";
      const auto require = [&](bool found, std::string_view what, const std::string& key,
                               std::string_view field) {
        if (found) return;
        out.push_back({r, at + "." + std::string(field),
                       "no " + std::string(what) + " has the key " + quoted(key)});
      };
      switch (a.kind) {
        case ActionKind::send_material:
          require(pool.materials().find(a.target).has_value(), "material", a.target, "target");
          break;
        case ActionKind::issue_coupon:
          require(pool.coupons().find(a.target).has_value(), "coupon", a.target, "target");
          break;
        case ActionKind::send_to_group:
        case ActionKind::invite_to_group:
          require(pool.groups().find(a.target).has_value(), "group", a.target, "target");
          break;
        case ActionKind::transfer_customer:
          require(pool.staff().find(a.target).has_value(), "staff member", a.target, "target");
          break;
        default: break;
      }
      if (!a.staff.empty()) {
        require(pool.staff().find(a.staff).has_value(), "staff member", a.staff, "staff");
      }
    }
  }
  return out;
}

}  // namespace siyu::detail

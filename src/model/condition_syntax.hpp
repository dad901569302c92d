#pragma once
// The text form of event conditions, `type[name op value, ...]suffix`, shared by everything
// that reads one: event conditions, funnel steps (`within=`, a trailing `?`) and
// exclusions (a trailing `@I-J`).

#include <string>
#include <string_view>
#include <vector>

#include "siyu/model/event_condition.hpp"

namespace siyu::detail {

/// One `name op value` inside the brackets; `op` is "=", ">=" or "<=".
struct ConditionAttribute {
  std::string name;   ///< Attribute name ("product", "amount", "within").
  std::string op;     ///< Comparison.
  std::string value;  ///< Value, unquoted.
};

/// A condition's text taken apart.
struct ConditionSyntax {
  std::string type;                            ///< "order_paid" or "custom.<name>".
  std::vector<ConditionAttribute> attributes;  ///< The bracketed attributes, in order.
  std::string suffix;                          ///< What follows the type and brackets.
};

/// Takes `text` apart; throws `ParseError` for a missing type, unbalanced brackets or
/// quotes, or an attribute without an operator.
[[nodiscard]] ConditionSyntax parse_condition_syntax(std::string_view text);

/// Applies a filter attribute (channel, staff, product, ref, tag, amount) to `condition`;
/// false when `attribute` names no filter. Throws `ParseError` for a bad value or operator.
bool apply_filter(EventCondition& condition, const ConditionAttribute& attribute);

/// The condition from its syntax, every attribute a filter: throws `ParseError` naming an
/// attribute `apply_extra` does not take either (it returns false for those).
template <class ApplyExtra>
EventCondition build_condition(const ConditionSyntax& syntax, ApplyExtra&& apply_extra);

/// Writes `condition` with `extra` attributes ("within=3d") appended inside the brackets.
[[nodiscard]] std::string condition_text(const EventCondition& condition,
                                         const std::vector<std::string>& extra = {});

/// Splits a comma-separated list of conditions, leaving commas inside brackets or quotes.
[[nodiscard]] std::vector<std::string_view> split_condition_list(std::string_view list);

/// Throws `ParseError` for an attribute no reader of this condition takes.
[[noreturn]] void unknown_attribute(const ConditionAttribute& attribute);

/// The type fields of `condition` from "order_paid" or "custom.<name>"; `ParseError` for an
/// unknown type or a bad custom name.
void set_condition_type(EventCondition& condition, std::string_view type);

template <class ApplyExtra>
EventCondition build_condition(const ConditionSyntax& syntax, ApplyExtra&& apply_extra) {
  EventCondition condition;
  set_condition_type(condition, syntax.type);
  for (const ConditionAttribute& attribute : syntax.attributes) {
    if (!apply_filter(condition, attribute) && !apply_extra(attribute)) {
      unknown_attribute(attribute);
    }
  }
  return condition;
}

}  // namespace siyu::detail

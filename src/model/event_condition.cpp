#include "siyu/model/event_condition.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "model/condition_syntax.hpp"
#include "model/event_type_text.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace detail {

namespace {

[[noreturn]] void syntax_error(std::string message, std::string_view text) {
  throw ParseError(ErrorCode::bad_syntax, std::move(message) + " in " + quoted(text));
}

bool is_type_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// A value as written inside the brackets: bare up to ',' or ']', or double-quoted.
std::string read_value(std::string_view text, std::size_t& i) {
  std::string value;
  if (i < text.size() && text[i] == '"') {
    for (++i;; ++i) {
      if (i >= text.size()) syntax_error("unclosed quote", text);
      if (text[i] == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          value += '"';
          ++i;
          continue;
        }
        ++i;
        return value;
      }
      value += text[i];
    }
  }
  while (i < text.size() && text[i] != ',' && text[i] != ']') value += text[i++];
  return std::string(detail::trim_blanks(value));
}

void set_key(std::string& target, const ConditionAttribute& attribute) {
  if (attribute.op != "=") {
    throw ParseError(ErrorCode::bad_syntax,
                     attribute.name + " takes '=', not '" + attribute.op + "'");
  }
  if (attribute.value.empty()) {
    throw ParseError(ErrorCode::missing_field, attribute.name + " needs a key");
  }
  if (!target.empty()) throw ParseError(ErrorCode::conflict, attribute.name + " appears twice");
  target = attribute.value;
}

// A key as written back: bare, or double-quoted (inner quotes doubled) when it holds
// ',', ']' or '"', or begins or ends with a blank.
std::string key_text(std::string_view value) {
  const bool plain = !value.empty() && value.find_first_of(",]\"") == std::string_view::npos &&
                     !is_blank(value.front()) && !is_blank(value.back());
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

ConditionSyntax parse_condition_syntax(std::string_view text) {
  text = detail::trim_blanks(text);
  ConditionSyntax syntax;
  std::size_t i = 0;
  while (i < text.size() && is_type_char(text[i])) ++i;
  if (i == 0) syntax_error("expected an event type", text);
  syntax.type = std::string(text.substr(0, i));
  if (i < text.size() && text[i] == '[') {
    ++i;
    for (;;) {
      while (i < text.size() && is_blank(text[i])) ++i;
      if (i < text.size() && text[i] == ']' && syntax.attributes.empty()) break;
      ConditionAttribute attribute;
      while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_')) {
        attribute.name += text[i++];
      }
      if (attribute.name.empty()) syntax_error("expected a filter name", text);
      while (i < text.size() && is_blank(text[i])) ++i;
      for (std::string_view op : {">=", "<=", "="}) {
        if (text.substr(i, op.size()) == op) {
          attribute.op = std::string(op);
          i += op.size();
          break;
        }
      }
      if (attribute.op.empty()) syntax_error("expected =, >= or <= after " + attribute.name, text);
      while (i < text.size() && is_blank(text[i])) ++i;
      attribute.value = read_value(text, i);
      syntax.attributes.push_back(std::move(attribute));
      while (i < text.size() && is_blank(text[i])) ++i;
      if (i >= text.size()) syntax_error("unclosed '['", text);
      if (text[i] == ']') break;
      if (text[i] != ',') syntax_error("expected ',' or ']'", text);
      ++i;
    }
    ++i;  // the ']'
  }
  syntax.suffix = std::string(detail::trim_blanks(text.substr(i)));
  return syntax;
}

bool apply_filter(EventCondition& condition, const ConditionAttribute& attribute) {
  const std::string& name = attribute.name;
  if (name == "channel") {
    set_key(condition.channel, attribute);
  } else if (name == "staff") {
    set_key(condition.staff, attribute);
  } else if (name == "product") {
    set_key(condition.product, attribute);
  } else if (name == "ref") {
    set_key(condition.ref, attribute);
  } else if (name == "tag") {
    set_key(condition.tag, attribute);
  } else if (name == "amount") {
    const Money amount = parse_money(attribute.value);
    const bool at_least = attribute.op != "<=";
    const bool at_most = attribute.op != ">=";
    if ((at_least && condition.min_amount) || (at_most && condition.max_amount)) {
      throw ParseError(ErrorCode::conflict, "amount bound appears twice");
    }
    if (at_least) condition.min_amount = amount;
    if (at_most) condition.max_amount = amount;
    if (condition.min_amount && condition.max_amount &&
        *condition.min_amount > *condition.max_amount) {
      throw ParseError(ErrorCode::conflict, "amount>= is above amount<=");
    }
  } else {
    return false;
  }
  return true;
}

void unknown_attribute(const ConditionAttribute& attribute) {
  throw ParseError(ErrorCode::unknown_field,
                   "unknown filter \"" + attribute.name +
                       "\" (use channel, staff, product, ref, tag or amount)");
}

void set_condition_type(EventCondition& condition, std::string_view type) {
  std::string_view custom_name;
  read_event_type(type, condition.type, custom_name);
  condition.custom_name = custom_name;
  if (condition.type == EventType::custom && !valid_custom_name(condition.custom_name)) {
    throw ParseError(ErrorCode::invalid_value,
                     "custom event name must be 1-64 letters, digits, '_', '-' or '.'");
  }
}

std::string condition_text(const EventCondition& condition, const std::vector<std::string>& extra) {
  std::vector<std::string> attributes;
  for (const auto& [name, key] : {std::pair{"channel", &condition.channel},
                                  {"staff", &condition.staff},
                                  {"product", &condition.product},
                                  {"ref", &condition.ref},
                                  {"tag", &condition.tag}}) {
    if (!key->empty()) attributes.push_back(std::string(name) + '=' + key_text(*key));
  }
  if (condition.min_amount && condition.max_amount &&
      *condition.min_amount == *condition.max_amount) {
    attributes.push_back("amount=" + to_string(*condition.min_amount));
  } else {
    if (condition.min_amount) attributes.push_back("amount>=" + to_string(*condition.min_amount));
    if (condition.max_amount) attributes.push_back("amount<=" + to_string(*condition.max_amount));
  }
  attributes.insert(attributes.end(), extra.begin(), extra.end());
  std::string text = event_type_text(condition.type, condition.custom_name);
  if (attributes.empty()) return text;
  text += '[';
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (i > 0) text += ',';
    text += attributes[i];
  }
  return text + ']';
}

std::vector<std::string_view> split_condition_list(std::string_view list) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  int depth = 0;
  bool quoted_text = false;
  for (std::size_t i = 0; i <= list.size(); ++i) {
    if (i == list.size() || (list[i] == ',' && depth == 0 && !quoted_text)) {
      parts.push_back(detail::trim_blanks(list.substr(start, i - start)));
      start = i + 1;
    } else if (list[i] == '"') {
      quoted_text = !quoted_text;
    } else if (!quoted_text && list[i] == '[') {
      ++depth;
    } else if (!quoted_text && list[i] == ']') {
      depth = std::max(0, depth - 1);
    }
  }
  return parts;
}

}  // namespace detail

EventCondition parse_event_condition(std::string_view text) {
  const detail::ConditionSyntax syntax = detail::parse_condition_syntax(text);
  if (!syntax.suffix.empty()) {
    throw ParseError(ErrorCode::bad_syntax,
                     "unexpected \"" + syntax.suffix + "\" after the condition");
  }
  return detail::build_condition(syntax, [](const detail::ConditionAttribute&) { return false; });
}

std::string to_string(const EventCondition& condition) { return detail::condition_text(condition); }

}  // namespace siyu

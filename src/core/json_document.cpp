#include "core/json_document.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/text.hpp"

namespace siyu::detail {

namespace {

namespace od = simdjson::ondemand;

// Walks a document on demand, so each value's position in the buffer is known: simdjson's
// tree (DOM) forgets where values were.
class Walker {
 public:
  Walker(const simdjson::padded_string& text, const std::string& source)
      : begin_(text.data()), source_(source) {}

  // Values come in document order, so lines are counted on from the last value's: counting
  // from the start for each value made a rule file of a thousand rules slow to compile.
  std::int64_t line_at(const char* position) {
    position = std::max(begin_, position);
    if (position < counted_to_) {
      counted_to_ = begin_;
      lines_before_ = 0;
    }
    lines_before_ += std::count(counted_to_, position, '\n');
    counted_to_ = position;
    return 1 + lines_before_;
  }

  JsonValue walk(od::value value, int depth) {
    if (depth > 64) fail(value.raw_json_token().data(), "nested more than 64 levels deep");
    JsonValue result;
    result.line = line_at(value.raw_json_token().data());
    switch (value.type().value()) {
      case od::json_type::object:
        result.kind = JsonValue::Kind::object;
        for (auto member_result : value.get_object()) {
          // Take the member out of its result first: a malformed member throws here instead
          // of leaving a dead field to read from.
          if (member_result.error() != simdjson::SUCCESS) {
            throw simdjson::simdjson_error(member_result.error());
          }
          od::field field = std::move(member_result).value_unsafe();
          // Unescaping consumes the key, so its position is taken first.
          const char* key_at = field.key().raw();
          std::string key(field.unescaped_key().value());
          if (std::any_of(result.members.begin(), result.members.end(),
                          [&](const JsonMember& m) { return m.key == key; })) {
            fail(key_at, "field " + detail::quoted(key) + " appears twice");
          }
          JsonValue member = walk(field.value(), depth + 1);
          result.members.push_back(JsonMember{std::move(key), std::move(member)});
        }
        break;
      case od::json_type::array:
        result.kind = JsonValue::Kind::array;
        for (auto item : value.get_array()) result.items.push_back(walk(item.value(), depth + 1));
        break;
      case od::json_type::string:
        result.kind = JsonValue::Kind::string;
        result.text = std::string(value.get_string().value());
        break;
      case od::json_type::number:
        result.kind = JsonValue::Kind::number;
        result.text = std::string(trim_blanks(value.raw_json_token()));
        (void)value.get_double().value();  // validates the literal
        break;
      case od::json_type::boolean:
        result.kind = JsonValue::Kind::boolean;
        result.text = value.get_bool().value() ? "true" : "false";
        break;
      case od::json_type::null:
        result.kind = JsonValue::Kind::null;
        if (!value.is_null().value()) fail(value.raw_json_token().data(), "not valid JSON");
        break;
    }
    return result;
  }

  [[noreturn]] void fail(const char* position, std::string message) {
    throw ParseError(ErrorCode::bad_syntax, std::move(message),
                     Where{.source = source_, .line = line_at(position)});
  }

 private:
  const char* begin_;
  const std::string& source_;
  const char* counted_to_ = begin_;  // newlines before here are in lines_before_
  std::int64_t lines_before_ = 0;
};

}  // namespace

std::string_view describe(JsonValue::Kind kind) noexcept {
  switch (kind) {
    case JsonValue::Kind::null: return "null";
    case JsonValue::Kind::boolean: return "a boolean";
    case JsonValue::Kind::number: return "a number";
    case JsonValue::Kind::string: return "a string";
    case JsonValue::Kind::array: return "an array";
    case JsonValue::Kind::object: return "an object";
  }
  return "a value";
}

JsonValue parse_json_document(std::string_view text, const std::string& source) {
  // simdjson reads an empty buffer through a null pointer; an empty file is simply not JSON.
  if (trim_blanks(text).empty()) {
    throw ParseError(ErrorCode::bad_syntax, "not valid JSON: the document is empty",
                     Where{.source = source, .line = 1});
  }
  const simdjson::padded_string padded(text);
  Walker walker(padded, source);
  od::parser parser;
  od::document document;
  bool iterating = false;  // a document that failed to start has no location to ask for
  try {
    document = parser.iterate(padded);
    iterating = true;
    JsonValue root;
    // A scalar document is no configuration; every file here is an object or an array.
    od::value value = document.get_value();
    root = walker.walk(value, 0);
    // A location in bounds after the root value means text follows it.
    if (const auto rest = document.current_location(); rest.error() == simdjson::SUCCESS) {
      walker.fail(rest.value_unsafe(), "text after the JSON value");
    }
    return root;
  } catch (const simdjson::simdjson_error& e) {
    const char* at = padded.data() + padded.size();
    if (iterating) {
      const auto location = document.current_location();
      if (location.error() == simdjson::SUCCESS) at = location.value_unsafe();
    }
    walker.fail(at, std::string("not valid JSON: ") + simdjson::error_message(e.error()));
  }
}

std::int64_t line_of(const JsonValue& root, std::string_view path) {
  const JsonValue* at = &root;
  while (!path.empty()) {
    if (path.front() == '.') {
      path.remove_prefix(1);
      continue;
    }
    const JsonValue* next = nullptr;
    if (path.front() == '[') {
      const std::size_t close = path.find(']');
      if (close == std::string_view::npos) break;
      std::size_t index = 0;
      const auto [stop, problem] = std::from_chars(path.data() + 1, path.data() + close, index);
      if (problem == std::errc() && index < at->items.size()) next = &at->items[index];
      path.remove_prefix(close + 1);
    } else {
      const std::size_t end = path.find_first_of(".[");
      const std::string_view key = path.substr(0, end);
      path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
      for (const auto& [name, value] : at->members) {
        if (name == key) next = &value;
      }
    }
    if (next == nullptr) break;
    at = next;
  }
  return at->line;
}

JsonValue read_json_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(ErrorCode::io, "cannot open the file", Where{.source = path});
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw Error(ErrorCode::io, "cannot read the file", Where{.source = path});
  return parse_json_document(text.str(), path);
}

JsonObjectReader::JsonObjectReader(const JsonValue& object, std::string source, std::string path)
    : object_(object),
      source_(std::move(source)),
      path_(std::move(path)),
      used_(object.members.size(), false) {
  if (object.kind != JsonValue::Kind::object) {
    throw error(object, path_, ErrorCode::wrong_type,
                "expected an object, found " + std::string(describe(object.kind)));
  }
}

std::string JsonObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + '.' + std::string(key);
}

std::string JsonObjectReader::path_of(std::string_view key, std::size_t index) const {
  return path_of(key) + '[' + std::to_string(index) + ']';
}

const JsonValue* JsonObjectReader::find(std::string_view key) {
  for (std::size_t i = 0; i < object_.members.size(); ++i) {
    if (object_.members[i].key == key) {
      used_[i] = true;
      return &object_.members[i].value;
    }
  }
  return nullptr;
}

const JsonValue& JsonObjectReader::get(std::string_view key) {
  if (const JsonValue* value = find(key)) return *value;
  throw error(object_, path_of(key), ErrorCode::missing_field, "required field is missing");
}

void JsonObjectReader::finish() const {
  for (std::size_t i = 0; i < used_.size(); ++i) {
    if (!used_[i]) {
      throw error(object_.members[i].value, path_of(object_.members[i].key),
                  ErrorCode::unknown_field, "unknown field");
    }
  }
}

JsonObjectReader JsonObjectReader::object(std::string_view key) {
  return {get(key), source_, path_of(key)};
}

std::string JsonObjectReader::string(std::string_view key) {
  return json_string(get(key), source_, path_of(key));
}

std::int64_t JsonObjectReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  return json_integer(get(key), source_, path_of(key), min, max);
}

double JsonObjectReader::number(std::string_view key, double min, double max) {
  const JsonValue& value = get(key);
  if (value.kind != JsonValue::Kind::number) {
    throw error(value, path_of(key), ErrorCode::wrong_type,
                "expected a number, found " + std::string(describe(value.kind)));
  }
  double number = 0;
  const char* end = value.text.data() + value.text.size();
  const auto [stop, problem] = std::from_chars(value.text.data(), end, number);
  if (problem != std::errc() || stop != end || !(number >= min && number <= max)) {
    throw error(value, path_of(key), ErrorCode::out_of_range,
                value.text + " is outside " + fmt::format("{}..{}", min, max));
  }
  return number;
}

std::int32_t JsonObjectReader::clock(std::string_view key) {
  const JsonValue& value = get(key);
  const std::string& text = json_string(value, source_, path_of(key));
  const bool shaped = text.size() == 5 && text[2] == ':' &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return c == ':' || (c >= '0' && c <= '9'); });
  const int hours = shaped ? (text[0] - '0') * 10 + (text[1] - '0') : 99;
  const int minutes = shaped ? (text[3] - '0') * 10 + (text[4] - '0') : 99;
  if (hours > 23 || minutes > 59) {
    throw error(value, path_of(key), ErrorCode::bad_syntax,
                "expected a local time HH:MM, not " + detail::quoted(text));
  }
  return hours * 60 + minutes;
}

Duration JsonObjectReader::duration(std::string_view key) {
  const JsonValue& value = get(key);
  const std::string& text = json_string(value, source_, path_of(key));
  try {
    return parse_duration(text);
  } catch (const Error& e) {
    throw error(value, path_of(key), e.code(), e.message());
  }
}

Money JsonObjectReader::money(std::string_view key) {
  return json_money(get(key), source_, path_of(key));
}

const std::vector<JsonValue>& JsonObjectReader::array(std::string_view key) {
  const JsonValue& value = get(key);
  if (value.kind != JsonValue::Kind::array) {
    throw error(value, path_of(key), ErrorCode::wrong_type,
                "expected an array, found " + std::string(describe(value.kind)));
  }
  return value.items;
}

ConfigError JsonObjectReader::error(const JsonValue& value, const std::string& path, ErrorCode code,
                                    std::string message) const {
  return ConfigError(code, std::move(message),
                     Where{.source = source_, .line = value.line, .field = path});
}

std::int64_t json_integer(const JsonValue& value, const std::string& source,
                          const std::string& path, std::int64_t min, std::int64_t max) {
  const Where where{.source = source, .line = value.line, .field = path};
  if (value.kind != JsonValue::Kind::number) {
    throw ConfigError(ErrorCode::wrong_type,
                      "expected a whole number, found " + std::string(describe(value.kind)), where);
  }
  std::int64_t number = 0;
  const char* end = value.text.data() + value.text.size();
  const auto [stop, problem] = std::from_chars(value.text.data(), end, number);
  if (problem != std::errc() || stop != end) {
    throw ConfigError(ErrorCode::wrong_type, "expected a whole number, found " + value.text, where);
  }
  if (number < min || number > max) {
    throw ConfigError(
        ErrorCode::out_of_range,
        value.text + " is outside " + std::to_string(min) + ".." + std::to_string(max), where);
  }
  return number;
}

Money json_money(const JsonValue& value, const std::string& source, const std::string& path) {
  const Where where{.source = source, .line = value.line, .field = path};
  if (value.kind != JsonValue::Kind::number && value.kind != JsonValue::Kind::string) {
    throw ConfigError(ErrorCode::wrong_type,
                      "expected yuan (\"19.90\"), found " + std::string(describe(value.kind)),
                      where);
  }
  try {
    return parse_money(value.text);
  } catch (Error& e) {
    throw ConfigError(e.code(), e.message(), where);
  }
}

const std::string& json_string(const JsonValue& value, const std::string& source,
                               const std::string& path) {
  if (value.kind != JsonValue::Kind::string) {
    throw ConfigError(ErrorCode::wrong_type,
                      "expected a string, found " + std::string(describe(value.kind)),
                      Where{.source = source, .line = value.line, .field = path});
  }
  return value.text;
}

}  // namespace siyu::detail

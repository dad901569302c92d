#include <fmt/format.h>

#include <set>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/alerts/sensitive_words.hpp"

namespace siyu {

namespace {

using detail::JsonObjectReader;
using detail::JsonValue;

std::vector<std::string> strings(JsonObjectReader& reader, std::string_view key) {
  std::vector<std::string> out;
  if (reader.find(key) == nullptr) return out;
  const auto& items = reader.array(key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    out.push_back(detail::json_string(items[i], reader.source(), reader.path_of(key, i)));
  }
  return out;
}

// A word must be something a message can contain and a person can read in a report.
void check_word(const std::string& word, const JsonValue& value, const JsonObjectReader& reader,
                const std::string& path) {
  if (word.empty()) throw reader.error(value, path, ErrorCode::missing_field, "the word is empty");
  if (!detail::is_valid_utf8(word)) {
    throw reader.error(value, path, ErrorCode::invalid_value, "the word is not valid UTF-8");
  }
  for (const char c : word) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw reader.error(value, path, ErrorCode::invalid_value,
                         "the word " + detail::quoted(word) + " holds a control character");
    }
  }
}

WordRule read_rule(const JsonValue& value, const std::string& source, const std::string& path) {
  JsonObjectReader reader(value, source, path);
  WordRule rule;
  rule.name = reader.string("name");
  if (rule.name.empty()) {
    throw reader.error(reader.get("name"), reader.path_of("name"), ErrorCode::missing_field,
                       "the rule has no name");
  }
  const auto& words = reader.array("words");
  if (words.empty()) {
    throw reader.error(reader.get("words"), reader.path_of("words"), ErrorCode::missing_field,
                       "the rule has no words");
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string path_i = reader.path_of("words", i);
    rule.words.push_back(detail::json_string(words[i], source, path_i));
    check_word(rule.words.back(), words[i], reader, path_i);
  }
  if (const JsonValue* severity = reader.find("severity"); severity != nullptr) {
    const std::string& name = detail::json_string(*severity, source, reader.path_of("severity"));
    if (name == "block") {
      rule.severity = WordSeverity::block;
    } else if (name != "warn") {
      throw reader.error(*severity, reader.path_of("severity"), ErrorCode::invalid_value,
                         "severity is \"warn\" or \"block\", not " + detail::quoted(name));
    }
  }
  if (reader.find("scope") != nullptr) {
    JsonObjectReader scope = reader.object("scope");
    rule.stores = strings(scope, "stores");
    rule.groups = strings(scope, "groups");
    scope.finish();
  }
  reader.finish();
  return rule;
}

WordList list_from(const JsonValue& document, const std::string& source) {
  JsonObjectReader reader(document, source, "");
  WordList list;
  const auto& items = reader.array("rules");
  std::set<std::string> names;
  for (std::size_t i = 0; i < items.size(); ++i) {
    list.rules.push_back(read_rule(items[i], source, reader.path_of("rules", i)));
    if (!names.insert(list.rules.back().name).second) {
      throw reader.error(items[i], reader.path_of("rules", i), ErrorCode::conflict,
                         "rule name " + detail::quoted(list.rules.back().name) + " is used twice");
    }
  }
  reader.finish();
  return list;
}

}  // namespace

std::string_view to_string(WordSeverity severity) noexcept {
  return severity == WordSeverity::block ? "block" : "warn";
}

std::size_t WordList::word_count() const noexcept {
  std::size_t n = 0;
  for (const WordRule& rule : rules) n += rule.words.size();
  return n;
}

WordList parse_word_list(std::string_view json, const std::string& source) {
  return list_from(detail::parse_json_document(json, source), source);
}

WordList read_word_list(const std::string& path) {
  return list_from(detail::read_json_file(path), path);
}

std::vector<std::string> wecom_limit_breaches(const WordList& list) {
  std::vector<std::string> out;
  if (list.rules.size() > wecom_intercept_rules) {
    out.push_back(fmt::format("{} rules: WeCom keeps at most {} intercept rules", list.rules.size(),
                              wecom_intercept_rules));
  }
  for (const WordRule& rule : list.rules) {
    if (rule.words.size() > wecom_words_per_rule) {
      out.push_back(fmt::format("rule {} has {} words: a WeCom intercept rule holds at most {}",
                                detail::quoted(rule.name), rule.words.size(),
                                wecom_words_per_rule));
    }
  }
  return out;
}

}  // namespace siyu

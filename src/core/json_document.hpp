#pragma once
// Configuration files kept in git (tier policies, ladders, product matrices, rule files) are
// small JSON documents whose every error must name the file, line and field. This reads one
// into a tree that remembers each value's line, and walks objects so that a misspelt or
// unknown field is an error instead of a silent default.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "siyu/core/duration.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/money.hpp"

namespace siyu::detail {

struct JsonMember;

/// One JSON value with the line it starts on.
struct JsonValue {
  enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  std::int64_t line = 0;
  std::string text;                 // a string's content, a number's literal, "true" or "false"
  std::vector<JsonValue> items;     // an array's elements
  std::vector<JsonMember> members;  // an object's fields, in order
};

/// One field of a JSON object.
struct JsonMember {
  std::string key;
  JsonValue value;
};

/// "an object", "a number", ...: for messages.
[[nodiscard]] std::string_view describe(JsonValue::Kind kind) noexcept;

/// Parses a whole document; throws `ParseError` naming `source` and the line of a syntax
/// error.
[[nodiscard]] JsonValue parse_json_document(std::string_view text, const std::string& source);

/// The line of the value at `path` ("capacity.seats_per_group", "core.all[1]") in `root`,
/// or of its nearest enclosing value that exists; 0 when `root` itself has no line.
[[nodiscard]] std::int64_t line_of(const JsonValue& root, std::string_view path);

/// Reads the file at `path` and parses it; throws `Error` (io) when it cannot be read.
[[nodiscard]] JsonValue read_json_file(const std::string& path);

/// Reads the fields of one JSON object, each error naming the source, the line and the
/// field's path ("core.require[1].promote").
class JsonObjectReader {
 public:
  /// Reads `object` found at `path` ("" for the document); throws when it is not an object.
  JsonObjectReader(const JsonValue& object, std::string source, std::string path);

  /// The field `key`, or null when absent.
  [[nodiscard]] const JsonValue* find(std::string_view key);
  /// The field `key`; throws `ConfigError` (missing_field) when absent.
  [[nodiscard]] const JsonValue& get(std::string_view key);
  /// Throws `ConfigError` (unknown_field) for a field nothing asked for.
  void finish() const;

  /// The path of field `key` ("core.require").
  [[nodiscard]] std::string path_of(std::string_view key) const;
  /// The path of element `index` of the array field `key` ("core.require[1]").
  [[nodiscard]] std::string path_of(std::string_view key, std::size_t index) const;
  /// The source (file name).
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

  /// A reader of the object field `key`.
  [[nodiscard]] JsonObjectReader object(std::string_view key);
  /// The string field `key`.
  [[nodiscard]] std::string string(std::string_view key);
  /// The integer field `key`, within [min, max].
  [[nodiscard]] std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
  /// The number field `key`, within [min, max].
  [[nodiscard]] double number(std::string_view key, double min, double max);
  /// The local time field `key` ("20:00") in minutes after midnight.
  [[nodiscard]] std::int32_t clock(std::string_view key);
  /// The duration field `key` ("30m", "2h", "1d"), not negative.
  [[nodiscard]] Duration duration(std::string_view key);
  /// The field `key` in yuan, a number or a string ("19.90"), as `Money`.
  [[nodiscard]] Money money(std::string_view key);
  /// The array field `key`.
  [[nodiscard]] const std::vector<JsonValue>& array(std::string_view key);

  /// An error at `value`, found at `path`.
  [[nodiscard]] ConfigError error(const JsonValue& value, const std::string& path, ErrorCode code,
                                  std::string message) const;

 private:
  const JsonValue& object_;
  std::string source_;
  std::string path_;
  std::vector<bool> used_;
};

/// Reads `value` (found at `path` of `source`) as an integer within [min, max].
[[nodiscard]] std::int64_t json_integer(const JsonValue& value, const std::string& source,
                                        const std::string& path, std::int64_t min,
                                        std::int64_t max);
/// Reads `value` as yuan (a number or a string) into `Money`.
[[nodiscard]] Money json_money(const JsonValue& value, const std::string& source,
                               const std::string& path);
/// Reads `value` as a string.
[[nodiscard]] const std::string& json_string(const JsonValue& value, const std::string& source,
                                             const std::string& path);

/// Runs `validate` (a policy's own consistency check, which names the field at fault) and
/// rethrows its error as a `ConfigError` at that field's line in `document`.
template <class Validate>
void validate_document(const JsonValue& document, const std::string& source, Validate&& validate) {
  try {
    validate();
  } catch (const Error& e) {
    throw ConfigError(e.code(), e.message(),
                      Where{.source = source,
                            .line = line_of(document, e.where().field),
                            .field = e.where().field});
  }
}

}  // namespace siyu::detail

#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

/// What kind of failure an `Error` reports; stable values, listed in docs/errors.md.
enum class ErrorCode : std::uint8_t {
  bad_syntax = 1,     ///< Text does not follow the expected grammar ("19.9.9", "7x").
  out_of_range = 2,   ///< A value beyond what the type holds (int64 overflow, year 10000).
  invalid_value = 3,  ///< Well-formed but not allowed (2024-02-30, a negative window).
  missing_field = 4,  ///< A required field is absent or empty.
  unknown_field = 5,  ///< A field or name that the format does not define.
  wrong_type = 6,     ///< A field of the wrong type (a string where a number belongs).
  conflict = 7,       ///< Contradicts other input (demote threshold above promote).
  not_found = 8,      ///< A looked-up record does not exist.
  storage = 9,        ///< The database failed; `StorageError` carries the engine's code.
  io = 10,            ///< A file could not be opened, read or written.
};

/// Stable lower-case name of a code ("bad_syntax"), as printed in messages and JSON.
[[nodiscard]] SIYU_EXPORT std::string_view to_string(ErrorCode code) noexcept;

/// Where the offending input is: any part may be empty or zero when unknown.
struct Where {
  std::string source;     ///< File name, stream name or API call ("events.csv").
  std::int64_t line = 0;  ///< 1-based line number in the source; 0 when not line-based.
  std::string record;     ///< Record id (an event id, a rule name).
  std::string field;      ///< Field name ("amount", "ts").

  /// True when no part is set.
  [[nodiscard]] bool empty() const noexcept {
    return source.empty() && line == 0 && record.empty() && field.empty();
  }
};

/// Base of every exception siyu throws: a code, the offending input's location and a message.
///
/// `what()` is one sentence that names the location first, e.g.
/// `events.csv:12: record e-17, field amount: more than two decimals in "19.999"`.
class SIYU_EXPORT Error : public std::runtime_error {
 public:
  /// An error with a code, a message (without location) and where it happened.
  Error(ErrorCode code, std::string message, Where where = {});

  /// The kind of failure.
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  /// The location of the offending input.
  [[nodiscard]] const Where& where() const noexcept { return where_; }
  /// The message without its location.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  /// The full sentence: location, then message.
  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }

  /// Fills in the parts of the location that are still unknown, e.g. when a line-based
  /// reader catches an error from a field parser; parts already set are kept.
  void locate(const Where& outer);

 private:
  void compose();

  ErrorCode code_;
  std::string message_;
  Where where_;
  std::string what_;
};

/// Text that does not parse: money, timestamps, durations, CSV, JSON.
class SIYU_EXPORT ParseError : public Error {
 public:
  using Error::Error;
};

/// Well-formed input that breaks a rule of the model (a missing required field).
class SIYU_EXPORT ValidationError : public Error {
 public:
  using Error::Error;
};

/// A SOP rule or rule file that cannot be compiled.
class SIYU_EXPORT RuleError : public Error {
 public:
  using Error::Error;
};

/// A database failure; `extended_code()` is the storage engine's own code (SQLite's
/// extended result code), kept so callers can tell "busy" from "corrupt".
class SIYU_EXPORT StorageError : public Error {
 public:
  /// A storage failure with the engine's extended result code.
  StorageError(std::string message, int extended_code, Where where = {});
  /// The storage engine's extended result code.
  [[nodiscard]] int extended_code() const noexcept { return extended_code_; }

 private:
  int extended_code_;
};

/// A record looked up by a throwing accessor does not exist (`find_x()` returns empty instead).
class SIYU_EXPORT NotFound : public Error {
 public:
  /// A not-found error for the named record.
  explicit NotFound(std::string message, Where where = {});
};

/// Options, policies or settings that contradict themselves or the data.
class SIYU_EXPORT ConfigError : public Error {
 public:
  using Error::Error;
};

}  // namespace siyu

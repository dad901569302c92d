#pragma once

#include <cstdint>
#include <string>

#include "siyu/core/error.hpp"

namespace siyu {

/// A rejected input record, kept whole with the reason so nothing is silently lost.
/// Thread-safety: a plain value.
struct QuarantineRecord {
  std::string source;     ///< File or stream name, or "api" for typed C++ calls.
  std::int64_t line = 0;  ///< 1-based line of the record's start in the source; 0 if none.
  std::string record;     ///< The record's id, if it had one.
  std::string customer;   ///< The customer key, if the record named one readably (for erase).
  std::string field;      ///< The field at fault, if one is.
  ErrorCode code = ErrorCode::invalid_value;  ///< Kind of problem.
  std::string reason;                         ///< What was wrong, one sentence.
  std::string raw;  ///< The record as read (a CSV row or JSON line), verbatim.

  /// Records compare field by field.
  friend bool operator==(const QuarantineRecord&, const QuarantineRecord&) = default;
};

}  // namespace siyu

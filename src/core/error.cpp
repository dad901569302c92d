#include "siyu/core/error.hpp"

#include <utility>

namespace siyu {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::bad_syntax: return "bad_syntax";
    case ErrorCode::out_of_range: return "out_of_range";
    case ErrorCode::invalid_value: return "invalid_value";
    case ErrorCode::missing_field: return "missing_field";
    case ErrorCode::unknown_field: return "unknown_field";
    case ErrorCode::wrong_type: return "wrong_type";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::storage: return "storage";
    case ErrorCode::io: return "io";
  }
  return "unknown";
}

Error::Error(ErrorCode code, std::string message, Where where)
    : std::runtime_error(message),
      code_(code),
      message_(std::move(message)),
      where_(std::move(where)) {
  compose();
}

void Error::locate(const Where& outer) {
  if (where_.source.empty()) where_.source = outer.source;
  if (where_.line == 0) where_.line = outer.line;
  if (where_.record.empty()) where_.record = outer.record;
  if (where_.field.empty()) where_.field = outer.field;
  compose();
}

// "events.csv:12: record e-17, field amount: message", leaving out the unknown parts.
void Error::compose() {
  std::string location = where_.source;
  if (where_.line > 0) {
    location += location.empty() ? "line " : ":";
    location += std::to_string(where_.line);
  }
  std::string detail;
  if (!where_.record.empty()) detail = "record " + where_.record;
  if (!where_.field.empty()) detail += (detail.empty() ? "field " : ", field ") + where_.field;
  what_.clear();
  for (const std::string* part : {&location, &detail}) {
    if (!part->empty()) what_ += *part + ": ";
  }
  what_ += message_;
}

StorageError::StorageError(std::string message, int extended_code, Where where)
    : Error(ErrorCode::storage, std::move(message), std::move(where)),
      extended_code_(extended_code) {}

NotFound::NotFound(std::string message, Where where)
    : Error(ErrorCode::not_found, std::move(message), std::move(where)) {}

}  // namespace siyu

#pragma once

#include <string>

#include "siyu/core/id.hpp"

namespace siyu {

/// A customer group (社群): a WeCom or WeChat group chat. Thread-safety: a plain value.
struct Group {
  std::string key;           ///< The host's id (what group events name in `ref`).
  std::string name;          ///< Display name.
  StaffId owner;             ///< The staff member who runs it.
  bool placeholder = false;  ///< First seen in an event, not yet described.

  /// Groups compare field by field.
  friend bool operator==(const Group&, const Group&) = default;
};

}  // namespace siyu

#pragma once

#include <string>

#include "siyu/core/id.hpp"

namespace siyu {

/// A group of tags (source, follow-up status, product interest). In an exclusive group a
/// customer carries at most one tag. Thread-safety: a plain value.
struct TagGroup {
  std::string key;         ///< The host's id.
  std::string name;        ///< Display name.
  bool exclusive = false;  ///< At most one tag of the group per customer.

  /// Tag groups compare field by field.
  friend bool operator==(const TagGroup&, const TagGroup&) = default;
};

/// A tag that customers carry. Thread-safety: a plain value.
struct Tag {
  std::string key;           ///< The host's id (also what events name in `ref`).
  std::string name;          ///< Display name.
  TagGroupId group;          ///< Its group, if any.
  bool placeholder = false;  ///< First seen in an event, not yet described by the host.

  /// Tags compare field by field.
  friend bool operator==(const Tag&, const Tag&) = default;
};

}  // namespace siyu

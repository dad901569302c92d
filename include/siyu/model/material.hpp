#pragma once

#include <string>

#include "siyu/core/id.hpp"

namespace siyu {

/// A piece of content (article, video, poster, mini-program page) that staff send and
/// customers view and share. Thread-safety: a plain value.
struct Material {
  std::string key;           ///< The host's id (what content events name in `ref`).
  std::string title;         ///< Title.
  std::string kind;          ///< article, video, poster, mini_program, ...
  ProductId product;         ///< The product it presents, if any.
  bool placeholder = false;  ///< First seen in an event, not yet described.

  /// Materials compare field by field.
  friend bool operator==(const Material&, const Material&) = default;
};

}  // namespace siyu

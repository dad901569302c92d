#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "siyu/export.hpp"

namespace siyu {

/// The kinds of identifier a customer is known by across the brand's channels.
enum class IdentityKind : std::uint8_t {
  external_userid = 0,  ///< A WeCom external contact id.
  unionid = 1,          ///< A WeChat unionid: one per person across the brand's apps.
  openid = 2,           ///< A WeChat openid: one per person per app.
  phone = 3,            ///< A phone number: personal, kept only as a keyed hash.
  order_account = 4,    ///< A shop platform account (Tmall, Douyin): personal, hashed too.
  custom = 5,           ///< Any other identifier the host defines.
};

/// Stable lower-case name of a kind ("unionid"), as in files and JSON.
[[nodiscard]] SIYU_EXPORT std::string_view to_string(IdentityKind kind) noexcept;
/// The kind named `name`, or nothing.
[[nodiscard]] SIYU_EXPORT std::optional<IdentityKind> parse_identity_kind(
    std::string_view name) noexcept;
/// True for kinds that identify a natural person outside WeChat (phone, order_account): the
/// pool keeps only their keyed hash and a masked display form, never the raw value.
[[nodiscard]] SIYU_EXPORT bool is_personal(IdentityKind kind) noexcept;

/// An identifier customers are known by. Customer records (keys) that hold the same identity
/// are one person; the shared identity is the evidence. Thread-safety: a plain value.
struct Identity {
  std::string key;  ///< "<kind>:<value>", unique in the pool (the directory's key).
  IdentityKind kind = IdentityKind::custom;  ///< What the identifier is.
  std::string value;    ///< The identifier; for a personal kind its keyed hash, in hex.
  std::string display;  ///< For people to read: the value, or masked ("138****1234").

  /// Identities compare field by field.
  friend bool operator==(const Identity&, const Identity&) = default;
};

}  // namespace siyu

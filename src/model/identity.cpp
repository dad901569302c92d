#include "siyu/model/identity.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/text.hpp"
#include "model/identity_hash.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, 6> kind_names = {
    "external_userid", "unionid", "openid", "phone", "order_account", "custom"};

// Longest identifier accepted: far above any platform's ids, far below a pasted document.
constexpr std::size_t max_identifier_bytes = 256;

using Digest = std::array<unsigned char, crypto_generichash_BYTES>;

Digest blake2b(std::string_view text, const unsigned char* key, std::size_t key_size) {
  Digest out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), key, key_size);
  return out;
}

std::string hex(const Digest& digest) {
  std::string out(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), digest.data(), digest.size());
  out.pop_back();  // the terminating NUL
  return out;
}

// The hashing key: BLAKE2b of the secret, so a secret of any length (from 16 bytes) keys it.
Digest hashing_key(std::string_view secret) {
  if (secret.size() < 16) {
    throw ConfigError(ErrorCode::invalid_value,
                      "personal identifiers are hashed with the pool's secret, which must be at "
                      "least 16 bytes (PoolOptions::secret)",
                      Where{.field = "secret"});
  }
  if (sodium_init() < 0) {
    throw ConfigError(ErrorCode::invalid_value, "libsodium could not initialise",
                      Where{.field = "secret"});
  }
  return blake2b(secret, nullptr, 0);
}

[[noreturn]] void invalid(IdentityKind kind, const std::string& why) {
  throw ValidationError(ErrorCode::invalid_value, why,
                        Where{.field = std::string(to_string(kind))});
}

// A phone number in one canonical form, so "+86 138-1234-5678" and "13812345678" match:
// mainland numbers (+86, 0086, 86 before a mobile number) as national digits, others as
// "+" and digits (E.164).
std::string canonical_phone(std::string_view raw) {
  std::string digits;
  bool international = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !international) {
      international = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      invalid(IdentityKind::phone,
              "a phone number holds digits, one leading '+', blanks, dashes, dots or "
              "parentheses, not " +
                  detail::quoted(raw.substr(
                      i, std::max<std::size_t>(1, detail::utf8_sequence_length(raw, i)))));
    }
  }
  if (!international && digits.starts_with("00")) {
    international = true;
    digits.erase(0, 2);
  }
  if (!international && digits.size() == 13 && digits.starts_with("861")) digits.erase(0, 2);
  if (international && digits.starts_with("86")) {
    international = false;
    digits.erase(0, 2);
  }
  if (digits.size() < 6 || digits.size() > 15) {
    invalid(IdentityKind::phone, "a phone number has 6 to 15 digits, not " +
                                     std::to_string(digits.size()) + " (" + detail::quoted(raw) +
                                     ")");
  }
  if (!international && digits.size() == 11 && digits[0] != '1' && digits[0] != '0') {
    invalid(IdentityKind::phone,
            "an 11-digit mainland number starts with 1 (mobile) or 0 "
            "(area code), not " +
                detail::quoted(raw));
  }
  return international ? "+" + digits : digits;
}

// "138****5678": the first three and last four characters stay, enough for staff to tell
// numbers apart and too little to call one.
std::string masked_phone(const std::string& canonical) {
  if (canonical.size() >= 8) {
    return canonical.substr(0, 3) + "****" + canonical.substr(canonical.size() - 4);
  }
  return "****" + canonical.substr(canonical.size() - 2);
}

// "t***3": the first and last character of an account name (whole UTF-8 characters).
std::string masked_account(std::string_view account) {
  std::size_t first = detail::utf8_sequence_length(account, 0);
  std::size_t last_start = account.size();
  while (last_start > first && (static_cast<unsigned char>(account[last_start - 1]) & 0xC0) == 0x80)
    --last_start;
  if (last_start > first) --last_start;
  if (last_start <= first) return std::string(account.substr(0, first)) + "***";
  return std::string(account.substr(0, first)) + "***" + std::string(account.substr(last_start));
}

}  // namespace

std::string_view to_string(IdentityKind kind) noexcept {
  return kind_names.at(static_cast<std::size_t>(kind));
}

std::optional<IdentityKind> parse_identity_kind(std::string_view name) noexcept {
  const auto* found = std::find(kind_names.begin(), kind_names.end(), name);
  if (found == kind_names.end()) return std::nullopt;
  return static_cast<IdentityKind>(found - kind_names.begin());
}

bool is_personal(IdentityKind kind) noexcept {
  return kind == IdentityKind::phone || kind == IdentityKind::order_account;
}

Identity detail::make_identity(IdentityKind kind, std::string_view raw, std::string_view secret) {
  const std::string_view value = detail::trim_blanks(raw);
  if (value.empty()) invalid(kind, "an identifier cannot be empty");
  if (value.size() > max_identifier_bytes) {
    invalid(kind, "an identifier has at most 256 bytes, not " + std::to_string(value.size()));
  }
  if (!detail::is_valid_utf8(value)) {
    invalid(kind, "an identifier must be valid UTF-8: " + detail::quoted(value));
  }
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    invalid(kind, "an identifier cannot hold control characters: " + detail::quoted(value));
  }
  Identity identity{.kind = kind};
  if (is_personal(kind)) {
    const std::string canonical =
        kind == IdentityKind::phone ? canonical_phone(value) : std::string(value);
    const Digest key = hashing_key(secret);
    identity.value =
        hex(blake2b(std::string(to_string(kind)) + ":" + canonical, key.data(), key.size()));
    identity.display =
        kind == IdentityKind::phone ? masked_phone(canonical) : masked_account(canonical);
  } else {
    identity.value = std::string(value);
    identity.display = identity.value;
  }
  identity.key = std::string(to_string(kind)) + ":" + identity.value;
  return identity;
}

std::string detail::secret_check(std::string_view secret) {
  const Digest key = hashing_key(secret);
  return hex(blake2b("siyu secret check", key.data(), key.size()));
}

}  // namespace siyu

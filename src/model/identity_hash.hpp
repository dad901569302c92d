#pragma once
// Turning a raw identifier into what the pool keeps (model and store only).

#include <string>
#include <string_view>

#include "siyu/model/identity.hpp"

namespace siyu::detail {

/// The identity for `raw`: validated and, for a personal kind, canonicalised (phone numbers),
/// hashed with keyed BLAKE2b under `secret` and masked. Throws `ValidationError` naming the
/// kind for a bad value and `ConfigError` when a personal kind meets a secret under 16 bytes.
Identity make_identity(IdentityKind kind, std::string_view raw, std::string_view secret);

/// A keyed hash of a fixed text under `secret`: a store keeps it to refuse a pool opened
/// with another secret, which would hash the same phone number differently.
std::string secret_check(std::string_view secret);

}  // namespace siyu::detail

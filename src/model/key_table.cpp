#include "siyu/model/key_table.hpp"

#define XXH_INLINE_ALL  // NOLINT(readability-identifier-naming): xxHash's own switch
#include <xxhash.h>

namespace siyu::detail {

KeyHash hash_key(std::string_view key) noexcept {
  const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  return {h.low64, h.high64};
}

}  // namespace siyu::detail

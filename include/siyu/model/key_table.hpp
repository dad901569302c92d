#pragma once
// Internal (public only because Directory, a template, holds one): string keys by their
// 128-bit hash, each with a 64-bit value, in one open-addressing array. It holds a pool's
// accepted idempotency keys (the value: a hash of the content first accepted under the key)
// and the index of every directory (the value: the record's id). A node per key
// (std::unordered_map) cost a malloc, a copy of the key, a cache miss and about 56 bytes;
// a slot here is 24 bytes and a lookup touches one cache line.

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <string_view>

#include "siyu/core/column_allocator.hpp"
#include "siyu/export.hpp"

namespace siyu::detail {

// An idempotency key as a 128-bit hash: collisions are out of reach (about 1 in 10^24 for
// ten million ids), so the raw ids need not stay in memory.
struct KeyHash {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  friend bool operator==(const KeyHash&, const KeyHash&) = default;
};

/// The 128-bit hash (XXH3) of a key.
SIYU_EXPORT KeyHash hash_key(std::string_view key) noexcept;

class KeyTable {
 public:
  // Also the form in which keys are listed and stored: 24 bytes, the low and high halves of
  // the key, then the content hash.
  struct Slot {
    KeyHash key;  // {0, 0} marks an empty slot; the one key hashing to it is stored as {0, 1}
    std::uint64_t content = 0;
  };
  static_assert(sizeof(Slot) == 24 && std::is_trivially_copyable_v<Slot>);

  // The slot holding `key`, inserted with `content` if it was absent; true when inserted.
  std::pair<Slot*, bool> try_emplace(KeyHash key, std::uint64_t content) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow(slots_.empty() ? 1024 : slots_.size() * 2);
    key = stored(key);
    for (std::size_t i = key.low & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.key == key) return {&slot, false};
      if (empty(slot)) {
        slot = Slot{key, content};
        ++size_;
        return {&slot, true};
      }
    }
  }

  // The slot holding `key`, or null.
  [[nodiscard]] const Slot* find(KeyHash key) const noexcept {
    if (slots_.empty()) return nullptr;
    key = stored(key);
    for (std::size_t i = key.low & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.key == key) return &slot;
      if (empty(slot)) return nullptr;
    }
  }

  // Starts loading the slot where a lookup of `key` begins, for a lookup soon after.
  void prefetch(KeyHash key) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[stored(key).low & mask_]);
  }
  // Removes `key` if present, shifting later slots of its run back so lookups stay correct.
  void erase(KeyHash key) {
    if (slots_.empty()) return;
    key = stored(key);
    std::size_t hole = key.low & mask_;
    while (!(slots_[hole].key == key)) {
      if (empty(slots_[hole])) return;
      hole = (hole + 1) & mask_;
    }
    for (std::size_t i = (hole + 1) & mask_; !empty(slots_[i]); i = (i + 1) & mask_) {
      const std::size_t home = slots_[i].key.low & mask_;
      // The slot may move into the hole unless its home lies cyclically in (hole, i].
      const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (!stays) {
        slots_[hole] = slots_[i];
        hole = i;
      }
    }
    slots_[hole] = Slot{};
    --size_;
  }

  // Makes room for `count` keys in all without growing again.
  void reserve(std::size_t count) {
    std::size_t capacity = slots_.empty() ? 1024 : slots_.size();
    while (count * 4 > capacity * 3) capacity *= 2;
    if (capacity > slots_.size()) grow(capacity);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  static bool empty(const Slot& slot) noexcept { return slot.key.low == 0 && slot.key.high == 0; }
  static KeyHash stored(KeyHash key) noexcept {
    if (key.low == 0 && key.high == 0) key.high = 1;
    return key;
  }

  void grow(std::size_t capacity) {
    detail::Column<Slot> old = std::exchange(slots_, detail::Column<Slot>(capacity));
    mask_ = capacity - 1;
    for (const Slot& slot : old) {
      if (empty(slot)) continue;
      std::size_t i = slot.key.low & mask_;
      while (!empty(slots_[i])) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }

  detail::Column<Slot> slots_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace siyu::detail

#pragma once
// Counts and times keyed by a 64-bit key, for the SOP guards, which look keys up millions of
// times per run, where node-based maps spend their time allocating: an open-addressing array
// for tables of many keys, a sorted vector for one person's few.
// (Boost 1.74, Debian 12's, predates boost::unordered_flat_map.)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace siyu::detail {

/// `std::lower_bound` without a branch per step: the guards search small sorted arrays
/// millions of times with keys in no pattern, where each mispredicted step costs more than
/// the comparison.
template <class T, class Less>
const T* lower_bound_branchless(const T* first, std::size_t n, const Less& less) {
  if (n == 0) return first;
  const T* base = first;
  while (n > 1) {
    const std::size_t half = n / 2;
    base = less(base[half]) ? base + half : base;  // a conditional move
    n -= half;
  }
  return base + (less(*base) ? 1 : 0);
}

template <class Value>
class FlatMap {
 public:
  /// The value at `key`, value-initialized when new.
  Value& operator[](std::uint64_t key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& slot = slots_[find_slot(key)];
    if (!slot.used) {
      slot = Slot{key, Value{}, true};
      ++size_;
    }
    return slot.value;
  }
  /// The value at `key`, or null.
  [[nodiscard]] const Value* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[find_slot(key)];
    return slot.used ? &slot.value : nullptr;
  }
  /// Drops the items `drop(key, value)` says, rebuilding the table for those kept: it
  /// shrinks with them, to no memory when none is.
  template <class Drop>
  void erase_if(const Drop& drop) {
    std::vector<Slot> kept;
    for (const Slot& s : slots_) {
      if (s.used && !drop(s.key, s.value)) kept.push_back(s);
    }
    std::size_t capacity = kept.empty() ? 0 : 1024;
    while (capacity > 0 && capacity < 2 * (kept.size() + 1)) capacity *= 2;
    slots_.assign(capacity, Slot{});
    slots_.shrink_to_fit();
    for (const Slot& s : kept) slots_[find_slot(s.key)] = s;
    size_ = kept.size();
  }
  /// How many items it holds.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Calls `visit(key, value)` for each item, in no particular order.
  template <class Visit>
  void for_each(const Visit& visit) const {
    for (const Slot& s : slots_) {
      if (s.used) visit(s.key, s.value);
    }
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    Value value{};
    bool used = false;
  };
  [[nodiscard]] std::size_t find_slot(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = mix(key) & mask;
    while (slots_[i].used && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33U;
    x *= 0xFF51'AFD7'ED55'8CCDULL;
    return x ^ (x >> 33U);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.used) slots_[find_slot(s.key)] = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

/// Values by 64-bit key in a sorted vector: the handful one person has, found in cache.
template <class Value>
class SmallMap {
 public:
  /// The value at `key`, value-initialized when new.
  Value& operator[](std::uint64_t key) {
    auto at = items_.begin() + static_cast<std::ptrdiff_t>(lower(key));
    if (at == items_.end() || at->first != key) at = items_.insert(at, {key, Value{}});
    return at->second;
  }
  /// The value at `key`, or null.
  [[nodiscard]] const Value* find(std::uint64_t key) const {
    const std::size_t at = lower(key);
    return at < items_.size() && items_[at].first == key ? &items_[at].second : nullptr;
  }
  /// No values, keeping the memory for the next ones.
  void clear() noexcept { items_.clear(); }
  /// Drops the items `drop(key, value)` says.
  template <class Drop>
  void erase_if(const Drop& drop) {
    std::erase_if(items_, [&](const Item& item) { return drop(item.first, item.second); });
  }
  /// How many items it holds.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  /// The items by key.
  [[nodiscard]] const std::vector<std::pair<std::uint64_t, Value>>& items() const noexcept {
    return items_;
  }

 private:
  using Item = std::pair<std::uint64_t, Value>;
  [[nodiscard]] std::size_t lower(std::uint64_t key) const {
    const Item* at = lower_bound_branchless(items_.data(), items_.size(),
                                            [key](const Item& item) { return item.first < key; });
    return static_cast<std::size_t>(at - items_.data());
  }
  std::vector<Item> items_;
};

}  // namespace siyu::detail

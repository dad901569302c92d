#pragma once
// Internal: the allocator of siyu's large flat arrays (the event log's columns, the
// idempotency keys). Public only because EventLog's private members name it.

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "siyu/export.hpp"

namespace siyu::detail {

/// Memory for `bytes` bytes; large blocks come straight from the kernel on huge pages
/// where it offers them. Throws std::bad_alloc.
SIYU_EXPORT void* allocate_column(std::size_t bytes);
/// Returns memory from `allocate_column(bytes)`.
SIYU_EXPORT void free_column(void* memory, std::size_t bytes) noexcept;

/// An allocator for columns of millions of values. Two differences from std::allocator:
/// - Large blocks are mapped on transparent huge pages. Filling fresh memory costs a page
///   fault per page, and on virtual machines a fault per 4 KiB page made opening a pool
///   of ten million events cost three times the copying itself.
/// - Growing a vector default-initializes (leaves trivial values unset) instead of zeroing:
///   a column about to be overwritten is written once, not twice.
template <class T>
struct ColumnAllocator {
  using value_type = T;

  ColumnAllocator() noexcept = default;
  template <class U>
  ColumnAllocator(const ColumnAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding converts

  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(allocate_column(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { free_column(p, n * sizeof(T)); }

  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U>
  friend bool operator==(const ColumnAllocator& /*a*/, const ColumnAllocator<U>& /*b*/) noexcept {
    return true;
  }
};

/// A vector on the column allocator.
template <class T>
using Column = std::vector<T, ColumnAllocator<T>>;

}  // namespace siyu::detail

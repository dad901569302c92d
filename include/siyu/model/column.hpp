#pragma once

#include <cstddef>
#include <new>
#include <vector>

#include "siyu/export.hpp"

namespace siyu {

namespace detail {
/// Allocates `bytes` for a column: from 2 MiB up, aligned to and advised onto transparent
/// huge pages where the system offers them. Throws `std::bad_alloc`.
SIYU_EXPORT void* allocate_column(std::size_t bytes);
/// Frees what `allocate_column(bytes)` returned.
SIYU_EXPORT void free_column(void* memory, std::size_t bytes) noexcept;
}  // namespace detail

/// Allocator of the event log's columns. A log of ten million events holds about half a
/// gigabyte of columns; touching it in 2 MiB pages instead of 4 KiB ones is what lets a
/// pool open or load at memory speed rather than page-fault speed.
template <class T>
struct ColumnAllocator {
  using value_type = T;  ///< What it allocates.

  ColumnAllocator() noexcept = default;
  /// Allocators of any element type are interchangeable.
  template <class U>
  ColumnAllocator(const ColumnAllocator<U>& /*other*/) noexcept {}

  /// Room for `n` values.
  [[nodiscard]] T* allocate(std::size_t n) {
    return static_cast<T*>(detail::allocate_column(n * sizeof(T)));
  }
  /// Frees room for `n` values.
  void deallocate(T* values, std::size_t n) noexcept { detail::free_column(values, n * sizeof(T)); }

  /// All column allocators are equal: memory from one is freed by any.
  template <class U>
  friend bool operator==(const ColumnAllocator&, const ColumnAllocator<U>&) noexcept {
    return true;
  }
};

/// A column of the event log: a vector on the column allocator.
template <class T>
using Column = std::vector<T, ColumnAllocator<T>>;

}  // namespace siyu

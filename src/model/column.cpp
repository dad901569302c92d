#include "siyu/model/column.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace siyu::detail {

namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;

// Columns under a huge page come from the ordinary heap.
bool is_huge(std::size_t bytes) noexcept { return bytes >= huge_page; }

std::size_t huge_size(std::size_t bytes) noexcept {
  return (bytes + huge_page - 1) / huge_page * huge_page;
}

}  // namespace

void* allocate_column(std::size_t bytes) {
  if (!is_huge(bytes)) return ::operator new(bytes);
  void* memory = std::aligned_alloc(huge_page, huge_size(bytes));
  if (memory == nullptr) throw std::bad_alloc();
#if defined(__linux__)
  // Advice only: where the system has no transparent huge pages this changes nothing.
  (void)madvise(memory, huge_size(bytes), MADV_HUGEPAGE);
#endif
  return memory;
}

void free_column(void* memory, std::size_t bytes) noexcept {
  if (!is_huge(bytes)) {
    ::operator delete(memory);
    return;
  }
  std::free(memory);  // pairs with aligned_alloc
}

}  // namespace siyu::detail

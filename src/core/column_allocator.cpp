#include "siyu/core/column_allocator.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace siyu::detail {

#if defined(__linux__) && defined(MADV_HUGEPAGE)

namespace {

// Blocks from this size up are mapped on their own: a huge page is 2 MiB, and smaller
// blocks are better served (and reused) by the heap.
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t mapped_from = 2 * huge_page;

std::size_t mapped_size(std::size_t bytes) { return (bytes + huge_page - 1) & ~(huge_page - 1); }

}  // namespace

void* allocate_column(std::size_t bytes) {
  if (bytes < mapped_from) return ::operator new(bytes);
  // Map one huge page more than needed and trim to a 2 MiB boundary, so every page of the
  // block can be a huge one.
  const std::size_t size = mapped_size(bytes);
  void* mapped =
      mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(mapped) % huge_page;
  const std::size_t head = misalignment == 0 ? 0 : huge_page - misalignment;
  char* block = static_cast<char*>(mapped) + head;
  if (head > 0) munmap(mapped, head);
  if (head < huge_page) munmap(block + size, huge_page - head);
  (void)madvise(block, size, MADV_HUGEPAGE);  // only advice: small pages work too
  return block;
}

void free_column(void* memory, std::size_t bytes) noexcept {
  if (memory == nullptr) return;
  if (bytes < mapped_from) {
    ::operator delete(memory);
    return;
  }
  munmap(memory, mapped_size(bytes));
}

#else

void* allocate_column(std::size_t bytes) { return ::operator new(bytes); }
void free_column(void* memory, std::size_t /*bytes*/) noexcept { ::operator delete(memory); }

#endif

}  // namespace siyu::detail

#include "siyu/core/column_allocator.hpp"

#include <cstdint>
#include <numeric>
#include <string>

#include "support/catch.hpp"

namespace siyu::detail {

TEST_CASE("columns keep their values through growth past the mapped size", "[core]") {
  // 8 bytes a value: growth crosses from heap blocks to mapped huge-page blocks at 4 MiB.
  Column<std::uint64_t> column;
  for (std::uint64_t i = 0; i < 3'000'000; ++i) column.push_back(i * 7);
  for (std::uint64_t i = 0; i < column.size(); i += 99'991) REQUIRE(column[i] == i * 7);
  CHECK(column.back() == 2'999'999 * 7);

  Column<std::uint64_t> copy = column;  // a second mapped block, freed on its own
  copy.resize(copy.size() + 1'000'000);
  copy.back() = 1;
  CHECK(copy[2'999'999] == column.back());
  column.clear();
  column.shrink_to_fit();
  CHECK(copy.size() == 4'000'000);
}

TEST_CASE("columns of class types construct and destroy their values", "[core]") {
  Column<std::string> texts(600'000, std::string(20, 'x'));  // above the mapped size
  texts.emplace_back("last");
  CHECK(texts.front() == std::string(20, 'x'));
  CHECK(texts.back() == "last");
  Column<std::string> defaulted(3);
  CHECK(defaulted[1].empty());  // default-initialized class values are constructed
}

TEST_CASE("a resized column keeps its values and takes new ones", "[core]") {
  Column<std::uint32_t> column(1'500'000);
  std::iota(column.begin(), column.end(), 0U);
  column.resize(column.size() + 10);
  for (std::size_t i = 1'500'000; i < column.size(); ++i) column[i] = 5;
  CHECK(column[1'499'999] == 1'499'999);
  CHECK(column.back() == 5);
}

}  // namespace siyu::detail

#include "siyu/core/id.hpp"

#include <type_traits>
#include <unordered_set>

#include "support/catch.hpp"

namespace siyu {

TEST_CASE("ids of different kinds do not convert into each other", "[core]") {
  STATIC_REQUIRE_FALSE(std::is_convertible_v<StaffId, CustomerId>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<CustomerId, StaffId>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<std::uint32_t, CustomerId>);
  STATIC_REQUIRE(std::is_same_v<EventId::rep_type, std::uint64_t>);
}

TEST_CASE("ids default to none, order by index and hash", "[core]") {
  const CustomerId none;
  CHECK_FALSE(none.has_value());
  const CustomerId a{3};
  const CustomerId b{7};
  CHECK(a.has_value());
  CHECK(a < b);
  CHECK(a == CustomerId{3});
  std::unordered_set<CustomerId> set{a, b, CustomerId{3}};
  CHECK(set.size() == 2);
}

}  // namespace siyu

#include "model/type_scan.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu {

namespace {

constexpr EventType a = EventType::order_paid;
constexpr EventType b = EventType::order_refunded;

std::vector<std::size_t> naive_positions(std::span<const EventType> types) {
  std::vector<std::size_t> positions;
  for (std::size_t p = 0; p < types.size(); ++p) {
    if (types[p] == a || types[p] == b) positions.push_back(p);
  }
  return positions;
}

}  // namespace

TEST_CASE("the type scan finds exactly the wanted events, at every length and offset", "[model]") {
  std::mt19937_64 random(20261123);
  const auto type_count = static_cast<std::uint64_t>(EventType::custom) + 1;
  for (int round = 0; round < 2000; ++round) {
    // Lengths around the 64-event blocks and their tails.
    const std::size_t n = random() % 300;
    // Kinds from just below the wanted ones (or all kinds): matches dense or sparse.
    const std::uint64_t low = random() % static_cast<std::uint64_t>(a);
    const std::uint64_t kinds = 1 + random() % (type_count - low);
    std::vector<EventType> types(n);
    for (EventType& type : types) type = static_cast<EventType>(low + random() % kinds);
    const std::span<const EventType> all(types);
    const std::size_t skip = n == 0 ? 0 : random() % n;  // unaligned starts
    REQUIRE(detail::positions_of<a, b>(all) == naive_positions(all));
    REQUIRE(detail::positions_of<a, b>(all.subspan(skip)) == naive_positions(all.subspan(skip)));
    REQUIRE(detail::positions_of<a>(all).size() ==
            static_cast<std::size_t>(std::count(types.begin(), types.end(), a)));
  }
}

TEST_CASE("the type scan finds a type in every byte of a block", "[model]") {
  for (std::size_t at = 0; at < 130; ++at) {
    std::vector<EventType> types(130, EventType::message_in);
    types[at] = EventType::order_paid;
    REQUIRE(detail::positions_of<EventType::order_paid>(types) == std::vector<std::size_t>{at});
  }
}

}  // namespace siyu

#include "model/type_scan.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace siyu {

namespace {

detail::Column<std::size_t> naive_positions(std::span<const EventType> types,
                                            const std::vector<EventType>& wanted) {
  detail::Column<std::size_t> positions;
  for (std::size_t p = 0; p < types.size(); ++p) {
    if (std::find(wanted.begin(), wanted.end(), types[p]) != wanted.end()) positions.push_back(p);
  }
  return positions;
}

}  // namespace

TEST_CASE("the type scan finds exactly the wanted events, at every length and offset", "[model]") {
  std::mt19937_64 random(20261123);
  const auto type_count = static_cast<std::uint64_t>(EventType::custom) + 1;
  for (int round = 0; round < 3000; ++round) {
    // Lengths around the 64-event blocks and their tails; a few kinds (matches dense) or
    // all of them (sparse); up to four wanted types, repeats allowed.
    const std::size_t n = random() % 300;
    const std::uint64_t kinds = 1 + random() % type_count;
    std::vector<EventType> types(n);
    for (EventType& type : types) type = static_cast<EventType>(random() % kinds);
    std::vector<EventType> wanted(random() % 5);
    for (EventType& type : wanted) type = static_cast<EventType>(random() % kinds);
    const std::span<const EventType> all(types);
    const std::size_t skip = n == 0 ? 0 : random() % n;  // unaligned starts
    REQUIRE(detail::positions_of(all, wanted) == naive_positions(all, wanted));
    REQUIRE(detail::positions_of(all.subspan(skip), wanted) ==
            naive_positions(all.subspan(skip), wanted));
  }
}

TEST_CASE("the type scan finds a type in every byte of a block", "[model]") {
  for (std::size_t at = 0; at < 130; ++at) {
    std::vector<EventType> types(130, EventType::message_in);
    types[at] = EventType::order_paid;
    REQUIRE(detail::positions_of(types, detail::order_types) == detail::Column<std::size_t>{at});
  }
}

TEST_CASE("the word-at-a-time compare, used where SSE2 is missing, marks exactly the wanted bytes",
          "[model]") {
  std::mt19937_64 random(20261124);
  const auto type_count = static_cast<std::uint64_t>(EventType::custom) + 1;
  for (int round = 0; round < 3000; ++round) {
    std::array<unsigned char, 8> bytes{};
    for (unsigned char& byte : bytes) byte = static_cast<unsigned char>(random() % type_count);
    std::vector<EventType> wanted(random() % 5);
    for (EventType& type : wanted) type = static_cast<EventType>(random() % type_count);
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (std::find(wanted.begin(), wanted.end(), static_cast<EventType>(bytes[i])) !=
          wanted.end()) {
        expected |= std::uint64_t{1} << i;
      }
    }
    REQUIRE(detail::matching_bytes(detail::load_little_endian(bytes.data()), wanted) == expected);
  }
}

}  // namespace siyu

// A host's first use of siyu: parse an order's amount and time, and print them back.
#include <iostream>
#include <siyu/siyu.hpp>

int main() {
  const siyu::Money amount = siyu::parse_money("19.90") * 3;
  const siyu::Timestamp paid = siyu::parse_timestamp("2024-05-01T10:00:00+08:00");
  std::cout << "siyu " << siyu::version() << ": " << siyu::to_string(amount) << " yuan at "
            << siyu::format_timestamp(paid, siyu::Zone::china()) << '\n';
  return siyu::version() == SIYU_VERSION_STRING ? 0 : 1;
}

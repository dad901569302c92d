// Quickstart: the core values every siyu record is made of. A host reads an order from its
// own systems, keeps the amount in fen and the time in UTC, and answers calendar questions
// in the pool's zone (China Standard Time by default).
#include <iostream>
#include <siyu/siyu.hpp>

int main() {
  const siyu::Zone zone = siyu::Zone::china();

  // Money is integer fen: 0.10 yuan added ten times is exactly 1.00 yuan.
  const siyu::Money price = siyu::parse_money("19.90");
  const siyu::Money order = price * 3 - siyu::parse_money("5");
  std::cout << "order total: " << siyu::to_string(order) << " yuan (" << order.fen << " fen)\n";

  // Any of the three timestamp forms; text without an offset is read in the zone.
  const siyu::Timestamp paid = siyu::parse_timestamp("2024-05-01 20:15:00", zone);
  const siyu::Timestamp added = siyu::parse_timestamp("1714176000");  // epoch seconds
  std::cout << "paid at " << siyu::format_timestamp(paid, zone) << '\n';
  std::cout << "local day " << siyu::to_string(zone.local_date(paid)) << ", week from "
            << siyu::to_string(zone.local_date(zone.start_of_week(paid))) << '\n';

  // Windows are durations: did the customer pay within 7 days of being added?
  const siyu::Duration window = siyu::parse_duration("7d");
  std::cout << "paid " << siyu::to_string(paid - added) << " after the add; within "
            << siyu::to_string(window) << ": " << (paid - added <= window ? "yes" : "no") << '\n';

  // Bad input is an exception that names the problem and quotes the input.
  try {
    (void)siyu::parse_money("19.999");
  } catch (const siyu::ParseError& e) {
    std::cout << "rejected: " << e.what() << '\n';
  }
  return 0;
}

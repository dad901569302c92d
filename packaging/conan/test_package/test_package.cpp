// Links the packaged siyu and exercises a parser, the version and a zone.
#include <iostream>
#include <siyu/siyu.hpp>

int main() {
  const siyu::Money total = siyu::parse_money("19.90") * 3;
  const siyu::Timestamp t = siyu::parse_timestamp("2024-05-01T10:00:00+08:00");
  std::cout << "siyu " << siyu::version() << ": " << siyu::to_string(total) << " on "
            << siyu::to_string(siyu::Zone::china().local_date(t)) << '\n';
  return total.fen == 5970 ? 0 : 1;
}

// RFM: who are the best buyers, who is slipping away, and how much of the revenue rests on
// the top fifth? A host runs this over its own pool; here the sample brand stands in.
#include <algorithm>
#include <iostream>
#include <siyu/siyu.hpp>

#include <vector>
#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();

  // Scored as of 1 July; recency counts days in the pool's zone (UTC+8).
  const siyu::RfmQuery query{.at = siyu::parse_timestamp("2024-07-01T00:00:00+08:00")};
  const siyu::RfmResult rfm = siyu::run_rfm(pool, query);
  siyu::write_rfm(std::cout, pool, rfm, siyu::OutputFormat::table, {.zone = pool.options().zone});

  // A win-back list for the owners: good buyers gone quiet, biggest spenders first.
  std::vector<siyu::RfmScore> slipping;
  for (const siyu::RfmScore& buyer : rfm.buyers) {
    if (buyer.segment == siyu::RfmSegment::at_risk ||
        buyer.segment == siyu::RfmSegment::cannot_lose) {
      slipping.push_back(buyer);
    }
  }
  std::sort(slipping.begin(), slipping.end(),
            [](const auto& a, const auto& b) { return a.revenue > b.revenue; });
  std::cout << "\nwin back first:\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(5, slipping.size()); ++i) {
    const siyu::RfmScore& b = slipping[i];
    std::cout << pool.customers()[b.customer].key << ": " << b.orders << " orders, "
              << siyu::to_string(siyu::Money{b.revenue}) << " yuan, quiet for " << b.recency_days
              << " days\n";
  }

  // One cell of the 125: the best on all three scores.
  std::cout << "\nR5 F5 M5: " << rfm.cells[siyu::rfm_cell(5, 5, 5)] << " buyers\n";
  return 0;
}

#pragma once
// The plain way to score RFM, for tests: each buyer's figures summed event by event through
// the public API, ranks counted by comparing every buyer with every other, segments looked
// up in the documented table. Slow and obviously right.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "siyu/metrics/rfm.hpp"
#include "siyu/model/pool.hpp"

namespace siyu::testing {

// docs/metrics.md's segment table, row by row: the first row whose ranges hold both scores.
inline RfmSegment reference_segment(int r, int f) {
  struct Row {
    RfmSegment segment;
    int r_low, r_high, f_low, f_high;
  };
  const std::vector<Row> rows = {
      {RfmSegment::champions, 5, 5, 4, 5},           {RfmSegment::loyal, 3, 4, 4, 5},
      {RfmSegment::potential_loyalists, 4, 5, 2, 3}, {RfmSegment::new_customers, 5, 5, 1, 1},
      {RfmSegment::promising, 4, 4, 1, 1},           {RfmSegment::need_attention, 3, 3, 3, 3},
      {RfmSegment::about_to_sleep, 3, 3, 1, 2},      {RfmSegment::at_risk, 1, 2, 3, 4},
      {RfmSegment::cannot_lose, 1, 2, 5, 5},         {RfmSegment::hibernating, 1, 2, 1, 2}};
  for (const Row& row : rows) {
    if (r >= row.r_low && r <= row.r_high && f >= row.f_low && f <= row.f_high) return row.segment;
  }
  throw std::logic_error("the segment table misses a cell");
}

// 1 + floor(5 (rank - 1) / n), rank = 1 + the number of values below `value`.
template <class Value>
int reference_score(const std::vector<Value>& values, Value value) {
  const auto below =
      std::count_if(values.begin(), values.end(), [&](Value other) { return other < value; });
  return 1 + static_cast<int>(5 * below / static_cast<std::ptrdiff_t>(values.size()));
}

inline RfmResult reference_rfm(const Pool& pool, const RfmQuery& query) {
  const EventLog& log = pool.events();
  const Zone zone = query.zone.value_or(pool.options().zone);
  RfmResult result;
  if (query.at) {
    result.at = *query.at;
  } else {
    for (std::size_t p = 0; p < log.size(); ++p) result.at = std::max(result.at, log.at(p).ts);
  }
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    RfmScore buyer{.customer = CustomerId{c}};
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const LoggedEvent e = log.at(p);
      if ((query.from && e.ts < *query.from) || e.ts > result.at) continue;
      if (e.type == EventType::order_paid) {
        ++buyer.orders;
        buyer.revenue += e.amount->fen;
        buyer.last_order = std::max(buyer.last_order, e.ts);
      } else if (e.type == EventType::order_refunded) {
        buyer.revenue -= e.amount->fen;
      }
    }
    if (buyer.orders == 0) continue;
    for (Timestamp t = buyer.last_order; zone.local_date(t) < zone.local_date(result.at);
         t = zone.add_days(t, 1)) {
      ++buyer.recency_days;
    }
    result.buyers.push_back(buyer);
  }
  std::vector<std::int64_t> days;
  std::vector<std::uint64_t> orders;
  std::vector<std::int64_t> revenue;
  for (const RfmScore& b : result.buyers) {
    days.push_back(-b.recency_days);
    orders.push_back(b.orders);
    revenue.push_back(b.revenue);
    result.revenue += b.revenue;
  }
  for (std::size_t s = 0; s < rfm_segment_count; ++s) {
    result.segments[s].segment = static_cast<RfmSegment>(s);
  }
  for (RfmScore& b : result.buyers) {
    b.recency = reference_score(days, -b.recency_days);
    b.frequency = reference_score(orders, b.orders);
    b.monetary = reference_score(revenue, b.revenue);
    b.segment = reference_segment(b.recency, b.frequency);
    ++result.cells[static_cast<std::size_t>((b.recency - 1) * 25 + (b.frequency - 1) * 5 +
                                            b.monetary - 1)];
    ++result.segments[static_cast<std::size_t>(b.segment)].customers;
    result.segments[static_cast<std::size_t>(b.segment)].revenue += b.revenue;
  }
  if (result.buyers.empty()) return result;
  std::sort(revenue.begin(), revenue.end(), std::greater<>());
  RfmConcentration& top = result.concentration;
  while (top.top_customers * 5 < result.buyers.size()) ++top.top_customers;
  for (std::size_t i = 0; i < top.top_customers; ++i) top.top_revenue += revenue[i];
  if (result.revenue > 0) {
    top.share = static_cast<double>(top.top_revenue) / static_cast<double>(result.revenue);
  }
  return result;
}

}  // namespace siyu::testing

#include "siyu/metrics/rfm.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/calendar.hpp"
#include "metrics/quintiles.hpp"
#include "model/type_scan.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

constexpr std::array<std::string_view, rfm_segment_count> segment_names = {
    "champions",   "loyal",          "potential_loyalists", "new_customers",
    "promising",   "need_attention", "about_to_sleep",      "at_risk",
    "cannot_lose", "hibernating"};

using enum RfmSegment;
// Rows are R 1..5, columns F 1..5.
constexpr std::array<std::array<RfmSegment, 5>, 5> segment_grid = {{
    {hibernating, hibernating, at_risk, at_risk, cannot_lose},
    {hibernating, hibernating, at_risk, at_risk, cannot_lose},
    {about_to_sleep, about_to_sleep, need_attention, loyal, loyal},
    {promising, potential_loyalists, potential_loyalists, loyal, loyal},
    {new_customers, potential_loyalists, potential_loyalists, champions, champions},
}};

template <class Value, class Field>
std::vector<Value> column(const std::vector<RfmScore>& buyers, Field field) {
  std::vector<Value> values(buyers.size());
  std::transform(buyers.begin(), buyers.end(), values.begin(), field);
  return values;
}

RfmConcentration concentration(std::vector<std::int64_t> revenue, std::int64_t total) {
  RfmConcentration result;
  result.top_customers = (revenue.size() + 4) / 5;
  const auto first_top = revenue.end() - static_cast<std::ptrdiff_t>(result.top_customers);
  std::nth_element(revenue.begin(), first_top, revenue.end());
  result.top_revenue = std::accumulate(first_top, revenue.end(), std::int64_t{0});
  if (total > 0) {
    result.share = static_cast<double>(result.top_revenue) / static_cast<double>(total);
  }
  return result;
}

}  // namespace

std::string_view to_string(RfmSegment segment) noexcept {
  return segment_names[static_cast<std::size_t>(segment)];
}

RfmSegment rfm_segment(int recency, int frequency) noexcept {
  return segment_grid[static_cast<std::size_t>(std::clamp(recency, 1, 5) - 1)]
                     [static_cast<std::size_t>(std::clamp(frequency, 1, 5) - 1)];
}

RfmResult run_rfm(const Pool& pool, const RfmQuery& query) {
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const auto types = log.types();
  const auto amounts = log.amounts();
  RfmResult result;
  for (std::size_t s = 0; s < rfm_segment_count; ++s) {
    result.segments[s].segment = static_cast<RfmSegment>(s);
  }
  if (query.at) {
    result.at = *query.at;
  } else if (const auto span = log.span()) {
    result.at = span->last;
  }
  const std::int64_t from =
      query.from ? query.from->micros : std::numeric_limits<std::int64_t>::min();
  const std::int64_t at = result.at.micros;

  // Orders and refunds are found in the type column alone; a cursor over the customer
  // offsets says whose they are, as both run in position order. Orders lie far apart, so
  // their timestamps and amounts are fetched some orders ahead instead of one miss each.
  const detail::Column<std::size_t> orders = detail::positions_of(types, detail::order_types);
  detail::CustomerCursor owner(log.offsets());
  RfmScore tally{.customer = CustomerId{0}};
  const auto close = [&] {
    if (tally.orders > 0) result.buyers.push_back(tally);
  };
  const auto add_order = [&](std::size_t p) {
    if (ts[p] < from || ts[p] > at) return;
    if (const std::uint32_t c = owner.customer_of(p); c != tally.customer.value) {
      close();
      tally = RfmScore{.customer = CustomerId{c}};
    }
    if (types[p] == EventType::order_paid) {
      ++tally.orders;
      tally.revenue += amounts[p];
      tally.last_order = Timestamp{ts[p]};
    } else {
      tally.revenue -= amounts[p];
    }
  };
  detail::for_each_fetched_ahead(orders, add_order, ts, amounts);
  close();
  if (result.buyers.empty()) return result;

  const Zone zone = query.zone.value_or(pool.options().zone);
  const std::int64_t today = detail::local_day(zone, at);
  for (RfmScore& buyer : result.buyers) {
    buyer.recency_days = today - detail::local_day(zone, buyer.last_order.micros);
    result.revenue += buyer.revenue;
  }
  // Recency ranks by the last order's day, oldest first, so a more recent order ranks higher.
  const detail::Quintiles<std::int64_t> recency(
      column<std::int64_t>(result.buyers, [](const RfmScore& b) { return -b.recency_days; }));
  const detail::Quintiles<std::uint64_t> frequency(
      column<std::uint64_t>(result.buyers, [](const RfmScore& b) { return b.orders; }));
  std::vector<std::int64_t> revenue =
      column<std::int64_t>(result.buyers, [](const RfmScore& b) { return b.revenue; });
  const detail::Quintiles<std::int64_t> monetary(revenue);

  for (RfmScore& buyer : result.buyers) {
    buyer.recency = recency.score(-buyer.recency_days);
    buyer.frequency = frequency.score(buyer.orders);
    buyer.monetary = monetary.score(buyer.revenue);
    buyer.segment = rfm_segment(buyer.recency, buyer.frequency);
    ++result.cells[rfm_cell(buyer.recency, buyer.frequency, buyer.monetary)];
    RfmSegmentTotal& segment = result.segments[static_cast<std::size_t>(buyer.segment)];
    ++segment.customers;
    segment.revenue += buyer.revenue;
  }
  result.concentration = concentration(std::move(revenue), result.revenue);
  return result;
}

}  // namespace siyu

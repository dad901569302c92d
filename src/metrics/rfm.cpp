#include "siyu/metrics/rfm.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/calendar.hpp"
#include "metrics/log_span.hpp"
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

// score(x) = 1 + floor(5 * less(x) / n), where less(x) counts the values below x (so ties
// share the lowest rank). score(x) > s exactly when less(x) >= ceil(s * n / 5), that is when
// x exceeds the ceil(s * n / 5)-th smallest value: four order statistics score everyone,
// in linear time.
template <class Value>
class Quintiles {
 public:
  explicit Quintiles(std::vector<Value> values) {
    const std::size_t n = values.size();
    auto begin = values.begin();
    for (std::size_t s = 1; s <= 4; ++s) {
      const std::size_t rank = (s * n + 4) / 5;  // ceil(s * n / 5), at least 1 when n > 0
      const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
      std::nth_element(begin, nth, values.end());
      bounds_[s - 1] = *nth;
      begin = nth;
    }
  }

  [[nodiscard]] int score(Value x) const {
    int score = 1;
    for (const Value bound : bounds_) score += x > bound ? 1 : 0;
    return score;
  }

 private:
  std::array<Value, 4> bounds_{};
};

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
  } else if (const auto span = detail::log_span(log)) {
    result.at = span->last;
  }
  const std::int64_t from =
      query.from ? query.from->micros : std::numeric_limits<std::int64_t>::min();
  const std::int64_t at = result.at.micros;

  // Orders and refunds are found in the type column alone; a cursor over the customer
  // offsets says whose they are, as both run in position order.
  const auto offsets = log.offsets();
  RfmScore tally{.customer = CustomerId{0}};
  const auto close = [&] {
    if (tally.orders > 0) result.buyers.push_back(tally);
  };
  detail::for_each_event_of(types, {EventType::order_paid, EventType::order_refunded},
                            [&](std::size_t p) {
                              if (ts[p] < from || ts[p] > at) return;
                              if (p >= offsets[tally.customer.value + 1]) {
                                close();
                                std::uint32_t c = tally.customer.value + 1;
                                while (p >= offsets[c + 1]) ++c;
                                tally = RfmScore{.customer = CustomerId{c}};
                              }
                              if (types[p] == EventType::order_paid) {
                                ++tally.orders;
                                tally.revenue += amounts[p];
                                tally.last_order = Timestamp{ts[p]};
                              } else {
                                tally.revenue -= amounts[p];
                              }
                            });
  close();
  if (result.buyers.empty()) return result;

  const Zone zone = query.zone.value_or(pool.options().zone);
  const std::int64_t offset = std::int64_t{zone.offset_seconds} * detail::micros_per_second;
  const auto local_day = [offset](std::int64_t micros) {
    return detail::floor_div(micros + offset, detail::micros_per_day);
  };
  const std::int64_t today = local_day(at);
  for (RfmScore& buyer : result.buyers) {
    buyer.recency_days = today - local_day(buyer.last_order.micros);
    result.revenue += buyer.revenue;
  }
  // Recency ranks by the last order's day, oldest first, so a more recent order ranks higher.
  const Quintiles<std::int64_t> recency(
      column<std::int64_t>(result.buyers, [](const RfmScore& b) { return -b.recency_days; }));
  const Quintiles<std::uint64_t> frequency(
      column<std::uint64_t>(result.buyers, [](const RfmScore& b) { return b.orders; }));
  std::vector<std::int64_t> revenue =
      column<std::int64_t>(result.buyers, [](const RfmScore& b) { return b.revenue; });
  const Quintiles<std::int64_t> monetary(revenue);

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

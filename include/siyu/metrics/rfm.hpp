#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"

namespace siyu {

class Pool;

/// A named RFM segment, read off the recency and frequency scores (docs/metrics.md has the
/// grid).
enum class RfmSegment : std::uint8_t {
  champions,            ///< R 5, F 4-5: bought lately and often.
  loyal,                ///< R 3-4, F 4-5: buy often.
  potential_loyalists,  ///< R 4-5, F 2-3: recent, bought more than once.
  new_customers,        ///< R 5, F 1: first order just now.
  promising,            ///< R 4, F 1: one recent order.
  need_attention,       ///< R 3, F 3: middling on both.
  about_to_sleep,       ///< R 3, F 1-2: fading.
  at_risk,              ///< R 1-2, F 3-4: bought often, not lately.
  cannot_lose,          ///< R 1-2, F 5: the best buyers, gone quiet.
  hibernating,          ///< R 1-2, F 1-2: few orders, long ago.
};

/// Segments in the order reports list them.
inline constexpr std::size_t rfm_segment_count = 10;

/// "champions", "loyal", "potential_loyalists", …, "hibernating".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(RfmSegment segment) noexcept;

/// The segment of a recency and a frequency score, each 1 to 5.
[[nodiscard]] SIYU_EXPORT RfmSegment rfm_segment(int recency, int frequency) noexcept;

/// Which orders RFM reads, and the clock it scores recency against.
/// Thread-safety: a plain value.
struct RfmQuery {
  std::optional<Timestamp> from;  ///< Orders and refunds at or after this; all when none.
  /// The clock: orders and refunds at or before it count, recency is measured to it. The
  /// pool's latest event when none, so the same log always scores the same.
  std::optional<Timestamp> at;
  std::optional<Zone> zone;  ///< Zone of the calendar days recency counts; the pool's when none.
};

/// One buyer's figures and scores. Thread-safety: a plain value.
struct RfmScore {
  CustomerId customer;            ///< The buyer (a person).
  Timestamp last_order;           ///< Their latest paid order.
  std::int64_t recency_days = 0;  ///< Local days from the last order's day to the clock's.
  std::uint64_t orders = 0;       ///< F: paid orders.
  std::int64_t revenue = 0;       ///< M: paid amounts minus refunds, in fen.
  int recency = 0;                ///< R score 1-5, more recent higher.
  int frequency = 0;              ///< F score 1-5.
  int monetary = 0;               ///< M score 1-5.
  RfmSegment segment = RfmSegment::hibernating;  ///< Read off R and F.
  /// Scores compare field by field.
  friend bool operator==(const RfmScore&, const RfmScore&) = default;
};

/// A segment's size and what it brings. Thread-safety: a plain value.
struct RfmSegmentTotal {
  RfmSegment segment = RfmSegment::champions;  ///< Which segment.
  std::uint64_t customers = 0;                 ///< Buyers in it.
  std::int64_t revenue = 0;                    ///< The members' M, in fen.
  /// Totals compare field by field.
  friend bool operator==(const RfmSegmentTotal&, const RfmSegmentTotal&) = default;
};

/// How much of the revenue the top fifth of buyers brings (the 20/80 of the seeds).
struct RfmConcentration {
  std::uint64_t top_customers = 0;  ///< ceil(buyers / 5), ranked by M.
  std::int64_t top_revenue = 0;     ///< Their M, in fen.
  /// top_revenue / the buyers' total M; none when the total is not positive.
  std::optional<double> share;
  /// Concentrations compare field by field.
  friend bool operator==(const RfmConcentration&, const RfmConcentration&) = default;
};

/// RFM over a pool. Thread-safety: a plain value.
struct RfmResult {
  Timestamp at;                            ///< The clock used.
  std::vector<RfmScore> buyers;            ///< Customers with a paid order, by customer index.
  std::int64_t revenue = 0;                ///< The buyers' total M, in fen.
  std::array<std::uint64_t, 125> cells{};  ///< Buyers per (R, F, M): see `rfm_cell`.
  std::array<RfmSegmentTotal, rfm_segment_count> segments{};  ///< In `RfmSegment` order.
  RfmConcentration concentration;                             ///< The top fifth's share.
  /// Results compare field by field.
  friend bool operator==(const RfmResult&, const RfmResult&) = default;
};

/// The index in `RfmResult::cells` of scores R, F and M (each 1 to 5).
[[nodiscard]] constexpr std::size_t rfm_cell(int recency, int frequency, int monetary) noexcept {
  return static_cast<std::size_t>(recency - 1) * 25 + static_cast<std::size_t>(frequency - 1) * 5 +
         static_cast<std::size_t>(monetary - 1);
}

/// Scores every buyer in the pool (docs/metrics.md has the semantics): each figure is ranked
/// ascending with ties sharing the lowest rank, and score = 1 + floor(5 (rank - 1) / buyers).
/// Reads only; safe to run concurrently.
[[nodiscard]] SIYU_EXPORT RfmResult run_rfm(const Pool& pool, const RfmQuery& query = {});

}  // namespace siyu

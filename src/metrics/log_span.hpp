#pragma once
// When a log starts and ends: the default clock and period of the metrics that need one.

#include <algorithm>
#include <optional>

#include "siyu/model/event_log.hpp"

namespace siyu::detail {

/// The earliest and latest timestamps of a log.
struct LogSpan {
  Timestamp first;  ///< The earliest event's.
  Timestamp last;   ///< The latest event's.
};

/// The span of `log`'s events; none for an empty log. Reads each customer's first and last
/// event, as a customer's events are in time order.
[[nodiscard]] inline std::optional<LogSpan> log_span(const EventLog& log) {
  const auto ts = log.ts();
  std::optional<LogSpan> span;
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const EventLog::Range r = log.range(CustomerId{c});
    if (r.size() == 0) continue;
    const Timestamp first{ts[r.begin]};
    const Timestamp last{ts[r.end - 1]};
    if (!span) span = LogSpan{first, last};
    span->first = std::min(span->first, first);
    span->last = std::max(span->last, last);
  }
  return span;
}

}  // namespace siyu::detail

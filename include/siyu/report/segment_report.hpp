#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>

#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/report/table.hpp"
#include "siyu/segments/segment_book.hpp"

namespace siyu {

class Pool;

/// What a segments report shows besides the counts.
struct SegmentReportOptions {
  Timestamp at;                 ///< The clock the segments were matched at.
  Zone zone;                    ///< The zone times are printed in.
  std::uint64_t customers = 0;  ///< Customers matched against: the share's denominator.
  bool list_members = false;    ///< Also each member's key (`siyu segments --members`).
};

/// Writes segments as `siyu segments` prints them (docs/cli.md): per segment its key, name,
/// audience, member count and share of the customers, and with `list_members` the members'
/// keys. CSV has one row per segment, or per member with `list_members`.
SIYU_EXPORT void write_segments(std::ostream& out, const Pool& pool,
                                std::span<const SegmentMembers> segments, OutputFormat format,
                                const SegmentReportOptions& options);

}  // namespace siyu

#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"

namespace siyu {

/// Parses "YYYY-MM-DD"; throws `ParseError` for other shapes and for dates that do not
/// exist (2023-02-29, 2024-04-31) or lie outside the years 1400-9999.
[[nodiscard]] SIYU_EXPORT LocalDate parse_local_date(std::string_view text);
/// Formats as "YYYY-MM-DD".
[[nodiscard]] SIYU_EXPORT std::string to_string(const LocalDate& date);
/// Writes `to_string(date)`.
SIYU_EXPORT std::ostream& operator<<(std::ostream& out, const LocalDate& date);

/// Parses a UTC offset: "+08:00", "+0800", "+08", "-05:30", "Z" or "UTC"; throws
/// `ParseError` for other shapes and offsets beyond ±18:00.
[[nodiscard]] SIYU_EXPORT Zone parse_zone(std::string_view text);
/// Formats the offset as "+08:00", "-05:30" or "+00:00".
[[nodiscard]] SIYU_EXPORT std::string to_string(Zone zone);
/// Writes `to_string(zone)`.
SIYU_EXPORT std::ostream& operator<<(std::ostream& out, Zone zone);

/// Parses an instant in any of the three forms siyu's inputs use:
/// - ISO 8601 with an offset or `Z`: "2024-05-01T10:00:00+08:00", "2024-05-01T02:00:00Z";
/// - ISO 8601 without an offset, read in `zone`: "2024-05-01T10:00:00", "2024-05-01 10:00",
///   or a bare date "2024-05-01" (local midnight);
/// - epoch seconds, optionally negative or fractional: "1714528800", "-86400", "1714528800.25".
/// A space may stand for `T`; seconds and a fraction of up to 9 digits are optional (digits
/// past microseconds are truncated); "24:00:00" is the end of the day. Throws `ParseError`
/// naming the problem for other shapes, dates that do not exist (2024-02-30), times past
/// 24:00 (24:01, 23:60) and instants outside `Timestamp`'s supported range.
[[nodiscard]] SIYU_EXPORT Timestamp parse_timestamp(std::string_view text, Zone zone = {});

/// Formats as ISO 8601 in `zone`: "2024-05-01T10:00:00+08:00"; a fraction appears only when
/// non-zero, as 3 digits for whole milliseconds and 6 otherwise. `parse_timestamp` reads it back.
[[nodiscard]] SIYU_EXPORT std::string format_timestamp(Timestamp t, Zone zone = {});

/// Writes `format_timestamp(t, Zone::utc())`.
SIYU_EXPORT std::ostream& operator<<(std::ostream& out, Timestamp t);

}  // namespace siyu

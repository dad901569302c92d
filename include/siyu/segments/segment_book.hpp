#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "siyu/export.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/segments/audience.hpp"

namespace siyu {

/// A named audience. Thread-safety: a plain value.
struct Segment {
  std::string key;    ///< Unique within its book ("tea_warm").
  std::string name;   ///< Display name; the key when the file gives none.
  Audience audience;  ///< Who belongs.
};

/// A segment file kept in git: the tags that lapse and the named segments
/// (docs/segments.md). Thread-safety: a plain value.
struct SegmentBook {
  std::vector<TagLifespan> tag_lifespans;  ///< For `ProfileQuery::tag_lifespans`.
  std::vector<Segment> segments;           ///< In file order.

  /// The segment with `key`, or null.
  [[nodiscard]] SIYU_EXPORT const Segment* find(std::string_view key) const noexcept;
};

/// A segment and the customers in it. Thread-safety: a plain value.
struct SegmentMembers {
  const Segment* segment = nullptr;  ///< The segment, in its book.
  std::vector<CustomerId> members;   ///< Who is in it, ascending.
};

/// The members of each segment of `book` (of `only`, when given), in book order. Throws
/// as `AudienceMatcher` does for a name the pool lacks, and `NotFound` for an `only` key
/// the book lacks.
[[nodiscard]] SIYU_EXPORT std::vector<SegmentMembers> segment_members(const SegmentBook& book,
                                                                      const AudienceInputs& inputs,
                                                                      std::string_view only = {});

/// Reads a segment book from JSON text; `source` names it in errors. Throws `ParseError` or
/// `ConfigError` naming the source, line and field (`segments[2].audience`, with the
/// column inside the expression) for bad JSON, unknown fields, a duplicate key, a lifespan
/// with neither expiry nor fade, or an audience that does not parse.
[[nodiscard]] SIYU_EXPORT SegmentBook parse_segment_book(std::string_view json,
                                                         const std::string& source);

/// Reads the segment book file at `path`; throws as `parse_segment_book`, or `Error` (io)
/// when the file cannot be read.
[[nodiscard]] SIYU_EXPORT SegmentBook read_segment_book(const std::string& path);

}  // namespace siyu

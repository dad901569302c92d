#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "siyu/export.hpp"
#include "siyu/model/quarantine.hpp"

namespace siyu {

/// Directory entries created because an event named a key the pool did not know yet.
struct PlaceholderCounts {
  std::size_t customers = 0;  ///< New customers.
  std::size_t staff = 0;      ///< New staff members.
  std::size_t channels = 0;   ///< New channels.
  std::size_t products = 0;   ///< New products.
  std::size_t tags = 0;       ///< New tags.
  std::size_t materials = 0;  ///< New materials.
  std::size_t coupons = 0;    ///< New coupons.
  std::size_t groups = 0;     ///< New groups.

  /// Counts compare field by field.
  friend bool operator==(const PlaceholderCounts&, const PlaceholderCounts&) = default;
};

/// A record whose id the pool had already accepted with different content: the first one
/// was kept and this one counted as a duplicate.
struct DuplicateConflict {
  std::string source;     ///< Where the later record came from.
  std::int64_t line = 0;  ///< Its line, 0 if none.
  std::string record;     ///< The shared id.

  /// Conflicts compare field by field.
  friend bool operator==(const DuplicateConflict&, const DuplicateConflict&) = default;
};

/// What adding a batch of events did. Every record read is exactly one of accepted,
/// duplicate or rejected. Thread-safety: a plain value.
struct SIYU_EXPORT IngestReport {
  /// How many rejections and conflicts the report keeps as samples; all rejections are in
  /// the pool's quarantine.
  static constexpr std::size_t sample_limit = 20;

  std::string source;                        ///< File or stream name ("api" for typed calls).
  std::size_t read = 0;                      ///< Records read.
  std::size_t accepted = 0;                  ///< Records added to the log.
  std::size_t duplicate = 0;                 ///< Records whose id was already accepted (kept once).
  std::size_t rejected = 0;                  ///< Records sent to the quarantine.
  std::size_t conflicting = 0;               ///< Duplicates whose content differed from the first.
  PlaceholderCounts placeholders;            ///< Directory entries first seen in these events.
  std::vector<QuarantineRecord> rejections;  ///< The first rejections, up to `sample_limit`.
  std::vector<DuplicateConflict> conflicts;  ///< The first conflicts, up to `sample_limit`.

  /// True when nothing was rejected.
  [[nodiscard]] bool clean() const noexcept { return rejected == 0; }
  /// Adds another report's counts and samples (for totals over several files).
  IngestReport& operator+=(const IngestReport& other);
};

}  // namespace siyu

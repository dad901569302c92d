#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "siyu/export.hpp"
#include "siyu/model/ingest_report.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

/// The interchange formats events arrive in (docs/formats.md).
enum class InputFormat : std::uint8_t {
  csv,    ///< One event per row, with a header row; RFC 4180 quoting.
  jsonl,  ///< One JSON object per line.
};

/// How a reader reads its input.
struct IngestOptions {
  std::size_t chunk_bytes = 1 << 20;  ///< Bytes read from the stream at a time (CSV).
};

/// The format a file's extension names: `.csv` or `.jsonl` / `.ndjson`; nothing otherwise.
[[nodiscard]] SIYU_EXPORT std::optional<InputFormat> format_of(const std::filesystem::path& path);

/// Reads every event in `in` into `pool` and commits them. A record that does not parse or
/// validate goes to the pool's quarantine with its line, field and reason; it never stops
/// the stream. Throws `ParseError` (line 1, field "header") when a CSV header is not the
/// interchange header, and `Error` (io) when the stream fails: then nothing from this
/// stream is committed.
[[nodiscard]] SIYU_EXPORT IngestReport ingest(Pool& pool, std::istream& in, InputFormat format,
                                              std::string_view source,
                                              const IngestOptions& options = {});

/// Reads a file: as `ingest`, with the format from `format` or else from the extension
/// (throws `ConfigError` when neither names one) and the path as given as the source.
[[nodiscard]] SIYU_EXPORT IngestReport ingest_file(Pool& pool, const std::filesystem::path& path,
                                                   std::optional<InputFormat> format = {},
                                                   const IngestOptions& options = {});

}  // namespace siyu

#pragma once
// RFC 4180 records from a stream, read in chunks: fields are views into the reader's
// buffer, valid until the next call.

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace siyu::detail {

/// One record as read.
struct CsvRecord {
  std::vector<std::string_view> fields;  ///< Unquoted, unescaped fields.
  std::string_view raw;                  ///< The record's text, without its line end.
  std::int64_t line = 0;                 ///< 1-based line the record starts on.
  std::string_view error;                ///< Set when the record is malformed (unclosed quote).
};

/// Reads CSV records: quoted fields with doubled quotes, commas and line breaks inside,
/// CRLF or LF line ends, a UTF-8 byte order mark, a last line without a line end. Blank
/// lines are skipped.
class CsvReader {
 public:
  /// A reader of `in`; `chunk_size` bytes are read at a time.
  explicit CsvReader(std::istream& in, std::size_t chunk_size = 1 << 20);
  /// Reads the next record into `record`; false at the end of the stream. Throws
  /// `Error` (io) when the stream fails.
  bool next(CsvRecord& record);
  /// Reads up to `limit` records into `records` (grown as needed) whose views all stay
  /// valid until the next call, so a caller can hand them on together; returns how many
  /// (0 at the end of the stream). Fewer come back where the buffer must be refilled.
  std::size_t next_records(std::vector<CsvRecord>& records, std::size_t limit);

 private:
  bool fill();  // reads more, keeping [start_, end); false at EOF
  // Parses the record at start_; false when the buffer ends before the record does and
  // more input may follow.
  bool parse(CsvRecord& record);
  // The common case, fast: a record without quotes that ends in the buffer. False, with
  // nothing consumed, for any other record.
  bool parse_plain(CsvRecord& record);

  std::istream& in_;
  std::size_t chunk_size_;
  std::string buffer_;
  std::size_t start_ = 0;  // where the current record starts
  bool eof_ = false;
  bool first_ = true;
  std::int64_t line_ = 1;
  std::string unescaped_;  // quoted fields with doubled quotes, rewritten; cleared per call
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // field offsets before views
  std::vector<bool> in_scratch_;
};

}  // namespace siyu::detail

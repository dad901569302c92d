#include "ingest/csv_reader.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "siyu/core/error.hpp"

namespace siyu::detail {

namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// The bytes that end an unquoted field: one table lookup per byte instead of three tests.
constexpr std::array<bool, 256> field_end = [] {
  std::array<bool, 256> table{};
  table[','] = table['\n'] = table['\r'] = true;
  return table;
}();

// Bit i says whether p[i] is a comma, a quote or a line end, for the 16 bytes at `p`: what
// splits a record, found sixteen bytes a step where SSE2 is there (every x86-64).
std::uint32_t structural_mask(const char* p) noexcept {
#if defined(__SSE2__)
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto is = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
  const __m128i structural =
      _mm_or_si128(_mm_or_si128(is(','), is('"')), _mm_or_si128(is('\n'), is('\r')));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(structural));
#else
  std::uint32_t mask = 0;
  for (std::uint32_t i = 0; i < 16; ++i) {
    const char c = p[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') mask |= std::uint32_t{1} << i;
  }
  return mask;
#endif
}

}  // namespace

CsvReader::CsvReader(std::istream& in, std::size_t chunk_size) : in_(in), chunk_size_(chunk_size) {}

bool CsvReader::fill() {
  if (eof_) return false;
  buffer_.erase(0, start_);
  start_ = 0;
  const std::size_t old_size = buffer_.size();
  // Grow with the record: a 10 MB field takes a few reads, not thousands.
  const std::size_t want = std::max(chunk_size_, old_size);
  buffer_.resize(old_size + want);
  in_.read(buffer_.data() + old_size, static_cast<std::streamsize>(want));
  const auto got = static_cast<std::size_t>(in_.gcount());
  buffer_.resize(old_size + got);
  if (in_.bad()) throw Error(ErrorCode::io, "reading the input failed");
  if (got < want) eof_ = true;
  if (first_ && buffer_.size() >= byte_order_mark.size()) {
    if (std::string_view(buffer_).substr(0, 3) == byte_order_mark) buffer_.erase(0, 3);
    first_ = false;
  }
  return got > 0;
}

bool CsvReader::next(CsvRecord& record) {
  unescaped_.clear();
  for (;;) {
    if (start_ >= buffer_.size() && !fill()) return false;
    while (!parse(record)) fill();
    if (!record.raw.empty()) return true;  // a blank line is not a record
  }
}

std::size_t CsvReader::next_records(std::vector<CsvRecord>& records, std::size_t limit) {
  unescaped_.clear();
  std::size_t count = 0;
  while (count < limit) {
    if (records.size() == count) records.emplace_back();
    CsvRecord& record = records[count];
    // Refilling moves the buffer: only a group still empty may do it.
    if (start_ >= buffer_.size() && (count > 0 || !fill())) break;
    if (!parse(record)) {
      if (count > 0) break;
      fill();
      continue;
    }
    if (record.raw.empty()) continue;  // a blank line is not a record
    ++count;
    // A record that unescaped a field ends the group: the next may move the scratch.
    if (!unescaped_.empty()) break;
  }
  return count;
}

bool CsvReader::parse_plain(CsvRecord& record) {
  const char* data = buffer_.data();
  const std::size_t size = buffer_.size();
  record.fields.clear();
  std::size_t field_begin = start_;
  for (std::size_t block = start_; block + 16 <= size; block += 16) {
    for (std::uint32_t mask = structural_mask(data + block); mask != 0; mask &= mask - 1) {
      const std::size_t at = block + static_cast<std::size_t>(std::countr_zero(mask));
      if (data[at] == ',') {
        record.fields.emplace_back(data + field_begin, at - field_begin);
        field_begin = at + 1;
        continue;
      }
      if (data[at] == '"') return false;
      std::size_t next = at + 1;  // past the line end
      if (data[at] == '\r') {
        if (next >= size) return false;  // CR of a CRLF?
        if (data[next] == '\n') ++next;
      }
      record.fields.emplace_back(data + field_begin, at - field_begin);
      record.raw = std::string_view(data + start_, at - start_);
      record.line = line_++;
      record.error = {};
      start_ = next;
      return true;
    }
  }
  return false;
}

bool CsvReader::parse(CsvRecord& record) {
  if (parse_plain(record)) return true;
  const char* data = buffer_.data();
  const std::size_t size = buffer_.size();
  const auto is_end = [&](std::size_t p) { return field_end[static_cast<unsigned char>(data[p])]; };
  std::size_t pos = start_;
  std::int64_t line_breaks = 0;      // inside quoted fields: only they can hold one
  std::size_t end_of_record = size;  // where the raw text ends, before the line end
  spans_.clear();
  in_scratch_.clear();
  record.error = {};

  for (;;) {  // one field per iteration
    if (pos < size && data[pos] == '"') {
      std::size_t scan = pos + 1;
      bool escaped = false;
      std::size_t close = std::string::npos;  // stays npos when unclosed to the end
      for (;;) {
        const void* quote = scan < size ? std::memchr(data + scan, '"', size - scan) : nullptr;
        if (quote == nullptr) {
          if (!eof_) return false;
          break;
        }
        const auto q = static_cast<std::size_t>(static_cast<const char*>(quote) - data);
        if (q + 1 >= size && !eof_) return false;  // cannot tell "" from " yet
        if (q + 1 < size && data[q + 1] == '"') {
          escaped = true;
          scan = q + 2;
          continue;
        }
        close = q;
        break;
      }
      line_breaks +=
          std::count(data + pos + 1, data + (close == std::string::npos ? size : close), '\n');
      if (close == std::string::npos) {
        record.error = "unclosed quote";
        spans_.emplace_back(pos + 1, size - pos - 1);
        in_scratch_.push_back(false);
        pos = size;
        break;
      }
      if (escaped) {
        const std::size_t offset = unescaped_.size();
        for (std::size_t k = pos + 1; k < close; ++k) {
          unescaped_ += data[k];
          if (data[k] == '"') ++k;  // the second of a doubled quote
        }
        spans_.emplace_back(offset, unescaped_.size() - offset);
        in_scratch_.push_back(true);
      } else {
        spans_.emplace_back(pos + 1, close - pos - 1);
        in_scratch_.push_back(false);
      }
      pos = close + 1;
      if (pos < size && !is_end(pos)) record.error = "text after a closing quote";
      // Skip to the field's end so the record still splits where a reader would expect.
      while (pos < size && !is_end(pos)) ++pos;
    } else {
      const std::size_t begin = pos;
      while (pos < size && !is_end(pos)) ++pos;
      spans_.emplace_back(begin, pos - begin);
      in_scratch_.push_back(false);
    }
    if (pos >= size) {
      if (!eof_) return false;
      break;  // the last line, without a line end
    }
    if (data[pos] == ',') {
      ++pos;
      continue;
    }
    end_of_record = pos;
    if (data[pos] == '\r' && pos + 1 >= size && !eof_) return false;  // CR of a CRLF?
    pos += (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n') ? 2 : 1;
    break;
  }

  record.raw = std::string_view(data + start_, end_of_record - start_);
  record.line = line_;
  line_ += 1 + line_breaks;
  start_ = pos;
  record.fields.clear();
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    const char* base = in_scratch_[i] ? unescaped_.data() : data;
    record.fields.emplace_back(base + spans_[i].first, spans_[i].second);
  }
  return true;
}

}  // namespace siyu::detail

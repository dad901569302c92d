#include "siyu/ingest/ingest.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <istream>
#include <span>
#include <string>
#include <vector>

#include "ingest/csv_reader.hpp"
#include "ingest/fields.hpp"
#include "siyu/core/error.hpp"

namespace siyu {

namespace {

using detail::Field;
using detail::field_count;

// Hands what a reader parses to the pool a group at a time (a group's views into the
// reader's buffer stay valid until the reader moves on), and commits at the end.
class Staging {
 public:
  Staging(Pool& pool, std::string_view source) : pool_(pool) {
    report_.source = std::string(source);
  }

  void add(const EventView& event, std::int64_t line, std::string_view raw) {
    events_.push_back(event);
    lines_.push_back(line);
    raw_.push_back(raw);
  }

  // Stages the events added since the last flush; their views must still be valid.
  void flush() {
    if (events_.empty()) return;
    pool_.add_events(events_, report_, lines_, raw_);
    events_.clear();
    lines_.clear();
    raw_.clear();
  }

  void reject(const Error& error, std::int64_t line, std::string_view record,
              std::string_view customer, std::string_view raw) {
    flush();  // keep the quarantine in input order
    pool_.reject(QuarantineRecord{.source = report_.source,
                                  .line = line,
                                  .record = std::string(record),
                                  .customer = std::string(customer),
                                  .field = error.where().field,
                                  .code = error.code(),
                                  .reason = error.message(),
                                  .raw = std::string(raw)},
                 report_);
  }

  IngestReport finish() {
    flush();
    pool_.commit();
    return std::move(report_);
  }

 private:
  Pool& pool_;
  IngestReport report_;
  std::vector<EventView> events_;
  std::vector<std::int64_t> lines_;
  std::vector<std::string_view> raw_;
};

// Records read and staged together: enough for the pool to overlap their lookups.
constexpr std::size_t records_per_group = 64;

// The bytes left in `in`, or 0 when it cannot tell (files and strings can, pipes cannot).
std::size_t bytes_left(std::istream& in) {
  const std::istream::pos_type here = in.tellg();
  if (here == std::istream::pos_type(-1)) return 0;
  in.seekg(0, std::ios::end);
  const std::istream::pos_type end = in.tellg();
  in.clear();
  in.seekg(here);
  return end == std::istream::pos_type(-1) || end < here ? 0 : static_cast<std::size_t>(end - here);
}

// Sizes the pool for a stream of `bytes` once the first records show how long a record is:
// a large import then fills its tables once instead of growing them step by step.
class SizeHint {
 public:
  explicit SizeHint(std::size_t bytes) : bytes_(static_cast<double>(bytes)) {}

  void record(Pool& pool, std::size_t record_bytes, std::size_t text_bytes) {
    if (bytes_ == 0) return;
    sampled_bytes_ += static_cast<double>(record_bytes + 1);  // and its line end
    sampled_text_ += static_cast<double>(text_bytes);
    if (++sampled_ < sample) return;
    const double records = bytes_ / sampled_bytes_ * static_cast<double>(sampled_);
    const double text = bytes_ / sampled_bytes_ * sampled_text_;
    pool.reserve(static_cast<std::size_t>(records * margin),
                 static_cast<std::size_t>(text * margin));
    bytes_ = 0;  // once
  }

 private:
  static constexpr std::size_t sample = 1024;
  static constexpr double margin = 1.1;
  double bytes_;
  std::size_t sampled_ = 0;
  double sampled_bytes_ = 0;
  double sampled_text_ = 0;
};

// The fields of a CSV header's columns, in order: any order, unknown or repeated names and
// missing required ones refused.
std::vector<Field> read_header(const detail::CsvRecord& header, std::string_view source) {
  const Where where{.source = std::string(source), .line = header.line, .field = "header"};
  if (!header.error.empty() || header.fields.size() > field_count) {
    throw ParseError(ErrorCode::bad_syntax, "not a CSV event file: the header is malformed", where);
  }
  std::vector<Field> columns;
  std::array<bool, field_count> seen{};
  for (std::string_view name : header.fields) {
    const auto field = detail::find_field(name);
    if (!field) {
      throw ParseError(ErrorCode::unknown_field,
                       "unknown column \"" + std::string(name.substr(0, 64)) + "\" (expected " +
                           std::string(event_csv_header) + ")",
                       where);
    }
    if (seen[static_cast<std::size_t>(*field)]) {
      throw ParseError(ErrorCode::conflict, "column \"" + std::string(name) + "\" appears twice",
                       where);
    }
    seen[static_cast<std::size_t>(*field)] = true;
    columns.push_back(*field);
  }
  try {
    detail::require_fields(seen);
  } catch (Error& e) {
    throw ParseError(e.code(), "the header lacks a required column: " + e.message(), where);
  }
  return columns;
}

IngestReport ingest_csv(Pool& pool, std::istream& in, std::string_view source,
                        const IngestOptions& options) {
  SizeHint size_hint(bytes_left(in));
  detail::CsvReader reader(in, std::max<std::size_t>(options.chunk_bytes, 1));
  detail::CsvRecord header;
  Staging staging(pool, source);
  if (!reader.next(header)) return staging.finish();  // an empty file holds no events
  const std::vector<Field> columns = read_header(header, source);
  const std::size_t width = columns.size();
  const Zone zone = pool.options().zone;
  const auto column_of = [&](Field field) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), field) -
                                    columns.begin());
  };
  const std::size_t id_column = column_of(Field::id);
  const std::size_t customer_column = column_of(Field::customer);
  const auto read_row = [&](const detail::CsvRecord& record) {
    // Name the record and its customer even when the rest of the row is broken.
    const auto field_text = [&](std::size_t column) {
      return column < record.fields.size() ? record.fields[column] : std::string_view();
    };
    EventView event;
    try {
      if (!record.error.empty()) throw ParseError(ErrorCode::bad_syntax, std::string(record.error));
      if (record.fields.size() != width) {
        throw ParseError(ErrorCode::bad_syntax, "expected " + std::to_string(width) +
                                                    " fields, found " +
                                                    std::to_string(record.fields.size()));
      }
      std::array<bool, field_count> seen{};
      for (std::size_t i = 0; i < width; ++i) {
        const Field field = columns[i];
        detail::set_field(event, field, record.fields[i], zone);
        seen[static_cast<std::size_t>(field)] = !record.fields[i].empty();
      }
      detail::require_fields(seen);
    } catch (const Error& error) {
      staging.reject(error, record.line, field_text(id_column), field_text(customer_column),
                     record.raw);
      return;
    }
    // Outside the try: the pool rejects bad events itself, and its own errors (a store
    // gone) must stop the stream.
    staging.add(event, record.line, record.raw);
    size_hint.record(pool, record.raw.size(), event.text.size());
  };
  std::vector<detail::CsvRecord> records;
  while (const std::size_t count = reader.next_records(records, records_per_group)) {
    for (const detail::CsvRecord& record : std::span(records).first(count)) read_row(record);
    staging.flush();  // before the reader moves on
  }
  return staging.finish();
}

// The text of a JSON value as a field reads it: strings unescaped, numbers as written
// (so "19.90" and 19.90 read alike and no amount passes through a float), null as absent.
// The view lives as long as the parser's current document.
std::string_view json_field_text(simdjson::ondemand::value value, std::string_view key) {
  switch (value.type()) {
    case simdjson::ondemand::json_type::string: {
      const std::string_view text = value.get_string();
      return text;
    }
    case simdjson::ondemand::json_type::number: {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      return token;
    }
    case simdjson::ondemand::json_type::null: return {};
    default:
      throw ParseError(ErrorCode::wrong_type, "expected a string or a number",
                       Where{.field = std::string(key)});
  }
}

IngestReport ingest_jsonl(Pool& pool, std::istream& in, std::string_view source) {
  Staging staging(pool, source);
  simdjson::ondemand::parser parser;
  const Zone zone = pool.options().zone;
  std::string line;
  std::int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank line
    std::string id;
    std::string customer;
    // The event's views point into `padded` (numbers) and the parser (strings).
    simdjson::padded_string padded;
    EventView event;
    try {
      padded = simdjson::padded_string(line);
      simdjson::ondemand::document document = parser.iterate(padded);
      simdjson::ondemand::object object = document.get_object();
      std::array<bool, field_count> seen{};
      for (auto member : object) {
        const std::string key(std::string_view(member.unescaped_key()));
        const auto field = detail::find_field(key);
        if (!field) {
          throw ParseError(ErrorCode::unknown_field, "unknown field \"" + key.substr(0, 64) + "\"",
                           Where{.field = key});
        }
        if (seen[static_cast<std::size_t>(*field)]) {
          throw ParseError(ErrorCode::conflict, "field appears twice", Where{.field = key});
        }
        const std::string_view text = json_field_text(member.value(), key);
        if (*field == Field::id) id = text;
        if (*field == Field::customer) customer = text;
        detail::set_field(event, *field, text, zone);
        seen[static_cast<std::size_t>(*field)] = !text.empty();
      }
      // A location still in bounds after the object means more JSON follows it.
      if (!document.current_location().error()) {
        throw ParseError(ErrorCode::bad_syntax, "text after the JSON object");
      }
      detail::require_fields(seen);
    } catch (const simdjson::simdjson_error& e) {
      staging.reject(
          ParseError(ErrorCode::bad_syntax, std::string("not a JSON object: ") + e.what()),
          line_number, id, customer, line);
      continue;
    } catch (const Error& error) {
      staging.reject(error, line_number, id, customer, line);
      continue;
    }
    // Outside the try: the pool rejects bad events itself, and its own errors (a store
    // gone) must stop the stream.
    staging.add(event, line_number, line);
    staging.flush();  // before the next line replaces this one
  }
  if (in.bad())
    throw Error(ErrorCode::io, "reading the input failed", Where{.source = std::string(source)});
  return staging.finish();
}

}  // namespace

std::optional<InputFormat> format_of(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".csv") return InputFormat::csv;
  if (extension == ".jsonl" || extension == ".ndjson") return InputFormat::jsonl;
  return std::nullopt;
}

IngestReport ingest(Pool& pool, std::istream& in, InputFormat format, std::string_view source,
                    const IngestOptions& options) {
  return format == InputFormat::csv ? ingest_csv(pool, in, source, options)
                                    : ingest_jsonl(pool, in, source);
}

IngestReport ingest_file(Pool& pool, const std::filesystem::path& path,
                         std::optional<InputFormat> format, const IngestOptions& options) {
  const std::string source = path.string();  // as the caller named it
  if (!format) format = format_of(path);
  if (!format) {
    throw ConfigError(ErrorCode::invalid_value,
                      "cannot tell the format from the extension (use .csv or .jsonl, or name it)",
                      Where{.source = path.string()});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot open the file", Where{.source = path.string()});
  return ingest(pool, in, *format, source, options);
}

}  // namespace siyu

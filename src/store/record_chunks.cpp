#include "store/record_chunks.hpp"

#include <sqlite3.h>

#include "core/bytes.hpp"
#include "siyu/core/error.hpp"

namespace siyu::detail {

namespace {

// Layout of a record, field after field: numbers as the machine holds them (ids at their
// representation's width, absent ids as their `none` value), strings and lists as
// ByteWriter writes them.
using Writer = ByteWriter;

// A damaged chunk is named: "customer chunk 3 is damaged".
struct ChunkDamaged {
  const char* what;
  std::int64_t chunk_id;
  [[noreturn]] void operator()() const {
    throw StorageError(std::string(what) + " chunk " + std::to_string(chunk_id) + " is damaged",
                       SQLITE_CORRUPT);
  }
};
using Reader = ByteReader<ChunkDamaged>;

enum CustomerFlags : std::uint8_t {
  opted_out = 1,
  placeholder = 2,
  has_created_at = 4,
  has_deleted_at = 8,
};

void write(Writer& w, const Customer& c) {
  w.put(std::string_view(c.key));
  w.put(c.owner);
  w.put(c.follow_up);
  w.put(c.channel);
  w.put(c.live_code);
  w.put(static_cast<std::uint8_t>(
      (c.marketing_opt_out ? opted_out : 0) | (c.placeholder ? placeholder : 0) |
      (c.created_at ? has_created_at : 0) | (c.deleted_at ? has_deleted_at : 0)));
  if (c.created_at) w.put(c.created_at->micros);
  if (c.deleted_at) w.put(c.deleted_at->micros);
  w.put(static_cast<std::uint32_t>(c.tags.size()));
  for (TagId tag : c.tags) w.put(tag);
  w.put(static_cast<std::uint32_t>(c.owner_history.size()));
  for (const OwnerChange& change : c.owner_history) {
    w.put(change.at.micros);
    w.put(change.from);
    w.put(change.to);
    w.put(std::string_view(change.reason));
  }
}

Customer read_customer(Reader& r) {
  Customer c;
  c.key = r.text();
  c.owner = r.get<StaffId>();
  c.follow_up = r.get<StaffId>();
  c.channel = r.get<ChannelId>();
  c.live_code = r.get<LiveCodeId>();
  const auto flags = r.get<std::uint8_t>();
  c.marketing_opt_out = (flags & opted_out) != 0;
  c.placeholder = (flags & placeholder) != 0;
  if ((flags & has_created_at) != 0) c.created_at = Timestamp{r.get<std::int64_t>()};
  if ((flags & has_deleted_at) != 0) c.deleted_at = Timestamp{r.get<std::int64_t>()};
  c.tags.resize(r.count(sizeof(TagId)));
  for (TagId& tag : c.tags) tag = r.get<TagId>();
  c.owner_history.resize(r.count(8 + 2 * sizeof(StaffId) + 4));
  for (OwnerChange& change : c.owner_history) {
    change.at = Timestamp{r.get<std::int64_t>()};
    change.from = r.get<StaffId>();
    change.to = r.get<StaffId>();
    change.reason = r.text();
  }
  return c;
}

void write(Writer& w, const Label& label) { w.put(std::string_view(label.key)); }
Label read_label(Reader& r) { return Label{r.text()}; }

template <class Record>
std::string encode_records(std::span<const Record> records, std::size_t bytes_per_record) {
  std::string out;
  out.reserve(records.size() * bytes_per_record);
  Writer w(out);
  for (const Record& record : records) write(w, record);
  return out;
}

template <class Record, class Read>
void decode_records(std::string_view chunk, std::size_t count, const char* what,
                    std::int64_t chunk_id, Column<Record>& records, Read&& read) {
  Reader r(chunk, ChunkDamaged{what, chunk_id});
  for (std::size_t i = 0; i < count; ++i) records.push_back(read(r));
  r.finish();
}

}  // namespace

std::string RecordChunks::encode(std::span<const Customer> records) {
  return encode_records(records, 64);
}
std::string RecordChunks::encode(std::span<const Label> records) {
  return encode_records(records, 16);
}

void RecordChunks::decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                          Column<Customer>& records) {
  decode_records(chunk, count, "customer", chunk_id, records, read_customer);
}
void RecordChunks::decode(std::string_view chunk, std::size_t count, std::int64_t chunk_id,
                          Column<Label>& records) {
  decode_records(chunk, count, "ref", chunk_id, records, read_label);
}

}  // namespace siyu::detail

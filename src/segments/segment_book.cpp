#include "siyu/segments/segment_book.hpp"

#include <set>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/event_condition.hpp"

namespace siyu {

namespace {

using detail::JsonObjectReader;
using detail::JsonValue;

constexpr std::int64_t max_days = 36'500;

// Rethrows an error from a text parser (an event condition, an audience) at the JSON value
// it came from.
template <class Parse>
auto parse_at(const JsonValue& value, const std::string& source, const std::string& path,
              Parse&& parse) {
  try {
    return parse();
  } catch (const Error& e) {
    throw ConfigError(e.code(), e.message(),
                      Where{.source = source, .line = value.line, .field = path});
  }
}

TagLifespan read_lifespan(const JsonValue& value, const std::string& source,
                          const std::string& path) {
  JsonObjectReader reader(value, source, path);
  TagLifespan lifespan{.tag = reader.string("tag")};
  if (reader.find("expires_after_days") != nullptr) {
    lifespan.expires_after = Duration::days(reader.integer("expires_after_days", 1, max_days));
  }
  if (reader.find("fades_after_days") != nullptr) {
    lifespan.fades_after = Duration::days(reader.integer("fades_after_days", 1, max_days));
  }
  if (reader.find("renewed_by") != nullptr) {
    const auto& items = reader.array("renewed_by");
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string item_path = reader.path_of("renewed_by", i);
      const std::string& text = detail::json_string(items[i], source, item_path);
      lifespan.renewed_by.push_back(
          parse_at(items[i], source, item_path, [&] { return parse_event_condition(text); }));
    }
  }
  if (!lifespan.expires_after && !lifespan.fades_after) {
    throw reader.error(value, path, ErrorCode::missing_field,
                       "a tag lifespan needs expires_after_days, fades_after_days or both");
  }
  if (!lifespan.renewed_by.empty() && !lifespan.fades_after) {
    throw reader.error(reader.get("renewed_by"), reader.path_of("renewed_by"), ErrorCode::conflict,
                       "renewing events need fades_after_days to renew");
  }
  reader.finish();
  return lifespan;
}

Segment read_segment(const JsonValue& value, const std::string& source, const std::string& path) {
  JsonObjectReader reader(value, source, path);
  Segment segment;
  segment.key = reader.string("key");
  if (segment.key.empty()) {
    throw reader.error(reader.get("key"), reader.path_of("key"), ErrorCode::missing_field,
                       "a segment needs a key");
  }
  segment.name = reader.find("name") != nullptr ? reader.string("name") : segment.key;
  const JsonValue& audience = reader.get("audience");
  const std::string& text = detail::json_string(audience, source, reader.path_of("audience"));
  segment.audience =
      parse_at(audience, source, reader.path_of("audience"), [&] { return Audience::parse(text); });
  reader.finish();
  return segment;
}

SegmentBook book_from(const JsonValue& document, const std::string& source) {
  JsonObjectReader reader(document, source, "");
  SegmentBook book;
  if (reader.find("tags") != nullptr) {
    const auto& items = reader.array("tags");
    std::set<std::string> tags;
    for (std::size_t i = 0; i < items.size(); ++i) {
      book.tag_lifespans.push_back(read_lifespan(items[i], source, reader.path_of("tags", i)));
      if (!tags.insert(book.tag_lifespans.back().tag).second) {
        throw reader.error(
            items[i], reader.path_of("tags", i), ErrorCode::conflict,
            "tag " + detail::quoted(book.tag_lifespans.back().tag) + " has two lifespans");
      }
    }
  }
  const auto& items = reader.array("segments");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < items.size(); ++i) {
    book.segments.push_back(read_segment(items[i], source, reader.path_of("segments", i)));
    if (!keys.insert(book.segments.back().key).second) {
      throw reader.error(
          items[i], reader.path_of("segments", i), ErrorCode::conflict,
          "segment key " + detail::quoted(book.segments.back().key) + " is used twice");
    }
  }
  reader.finish();
  return book;
}

}  // namespace

const Segment* SegmentBook::find(std::string_view key) const noexcept {
  for (const Segment& segment : segments) {
    if (segment.key == key) return &segment;
  }
  return nullptr;
}

std::vector<SegmentMembers> segment_members(const SegmentBook& book, const AudienceInputs& inputs,
                                            std::string_view only) {
  std::vector<SegmentMembers> out;
  if (!only.empty() && book.find(only) == nullptr) {
    throw NotFound("no segment has the key " + detail::quoted(only), Where{.field = "segment"});
  }
  for (const Segment& segment : book.segments) {
    if (!only.empty() && segment.key != only) continue;
    try {
      out.push_back({&segment, AudienceMatcher(segment.audience, inputs).members()});
    } catch (Error& e) {
      e.locate(Where{.record = segment.key});
      throw;
    }
  }
  return out;
}

SegmentBook parse_segment_book(std::string_view json, const std::string& source) {
  return book_from(detail::parse_json_document(json, source), source);
}

SegmentBook read_segment_book(const std::string& path) {
  return book_from(detail::read_json_file(path), path);
}

}  // namespace siyu

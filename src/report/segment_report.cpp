#include "siyu/report/segment_report.hpp"

#include <ostream>
#include <string>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

double share(std::size_t members, std::uint64_t customers) {
  return customers == 0 ? 0.0 : static_cast<double>(members) / static_cast<double>(customers);
}

void write_json(std::ostream& out, const Pool& pool, std::span<const SegmentMembers> segments,
                const SegmentReportOptions& options) {
  out << "{\"at\": " << json_quote(format_timestamp(options.at, options.zone))
      << ", \"customers\": " << options.customers << ", \"segments\": [";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const SegmentMembers& s = segments[i];
    out << (i > 0 ? ", " : "") << "{\"key\": " << json_quote(s.segment->key)
        << ", \"name\": " << json_quote(s.segment->name)
        << ", \"audience\": " << json_quote(s.segment->audience.text())
        << ", \"members\": " << s.members.size()
        << ", \"share\": " << detail::json_number(share(s.members.size(), options.customers));
    if (options.list_members) {
      out << ", \"customers\": [";
      for (std::size_t m = 0; m < s.members.size(); ++m) {
        out << (m > 0 ? ", " : "") << json_quote(pool.customers()[s.members[m]].key);
      }
      out << ']';
    }
    out << '}';
  }
  out << "]}\n";
}

}  // namespace

void write_segments(std::ostream& out, const Pool& pool, std::span<const SegmentMembers> segments,
                    OutputFormat format, const SegmentReportOptions& options) {
  if (format == OutputFormat::json) return write_json(out, pool, segments, options);
  ReportTable counts{.header = {"segment", "name", "members", "share", "audience"}};
  ReportTable members{.header = {"segment", "customer"}};
  for (const SegmentMembers& s : segments) {
    counts.rows.push_back({s.segment->key, s.segment->name, std::to_string(s.members.size()),
                           // CSV is for programs: the ratio itself.
                           format == OutputFormat::csv
                               ? detail::json_number(share(s.members.size(), options.customers))
                               : detail::percent(share(s.members.size(), options.customers)),
                           s.segment->audience.text()});
    for (const CustomerId c : s.members) {
      members.rows.push_back({s.segment->key, pool.customers()[c].key});
    }
  }
  if (format == OutputFormat::csv) {
    (options.list_members ? members : counts).print_csv(out);
    return;
  }
  out << "segments at " << format_timestamp(options.at, options.zone) << " over "
      << options.customers << " customers\n";
  counts.print(out);
  if (options.list_members) {
    out << '\n';
    members.print(out);
  }
}

}  // namespace siyu

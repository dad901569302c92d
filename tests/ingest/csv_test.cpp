#include <algorithm>
#include <array>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "siyu/core/iso8601.hpp"
#include "siyu/ingest/ingest.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

const std::string header = "id,ts,customer,type,staff,channel,product,amount,ref,duration,text\n";

IngestReport read_csv(Pool& pool, const std::string& text, std::size_t chunk = 1 << 20) {
  std::istringstream in(text);
  return ingest(pool, in, InputFormat::csv, "events.csv", IngestOptions{.chunk_bytes = chunk});
}

// Every record read is accepted, a duplicate or rejected.
void check_balance(const IngestReport& r) {
  CHECK(r.accepted + r.duplicate + r.rejected == r.read);
}

}  // namespace

TEST_CASE("CSV rows become events", "[ingest]") {
  Pool pool;
  const auto report =
      read_csv(pool, header +
                         "e1,2024-05-01T10:00:00+08:00,c1,friend_added,g1,card,,,,,\n"
                         "e2,2024-05-01 11:00:00,c1,order_paid,g1,,tea,19.90,A1,,\n"
                         "e3,1714535000,c1,content_viewed,,,,,page-1,42,\n"
                         "e4,2024-05-01T12:00:00Z,c1,custom.trial_class,,,,,,,\n");
  check_balance(report);
  CHECK(report.accepted == 4);
  CHECK(report.source == "events.csv");
  REQUIRE(pool.events().size() == 4);
  const LoggedEvent paid = pool.events().at(1);
  CHECK(paid.ts == parse_timestamp("2024-05-01T11:00:00+08:00"));  // read in the pool's zone
  CHECK(paid.amount == Money{1990});
  CHECK(pool.events().at(2).duration == Duration::seconds(42));
  CHECK(pool.events().at(3).type == EventType::custom);
}

TEST_CASE("RFC 4180 quoting, CRLF, BOM and chunk boundaries", "[ingest]") {
  const std::string text =
      "\xEF\xBB\xBF" + std::string(
                           "id,ts,customer,type,text\r\n"
                           "m1,1714528800,c1,message_in,\"hello, world\"\r\n"
                           "m2,1714528801,c1,message_in,\"she said \"\"hi\"\"\"\r\n"
                           "m3,1714528802,c1,message_in,\"line one\r\nline two\"\r\n"
                           "m4,1714528803,c1,message_in,\"\"\r\n"
                           "\r\n"
                           "m5,1714528804,c1,message_in,last line without an end");
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                            std::size_t{64}, std::size_t{1} << 20}) {
    CAPTURE(chunk);
    Pool pool;
    const auto report = read_csv(pool, text, chunk);
    check_balance(report);
    REQUIRE(report.accepted == 5);
    CHECK(pool.events().at(0).text == "hello, world");
    CHECK(pool.events().at(1).text == "she said \"hi\"");
    CHECK(pool.events().at(2).text == "line one\r\nline two");
    CHECK(pool.events().at(3).text.empty());
    CHECK(pool.events().at(4).text == "last line without an end");
  }
}

TEST_CASE("unescaped fields of neighbouring rows stay apart, lines count quoted breaks",
          "[ingest]") {
  // Rows are staged in groups of views into the reader's buffer: each row with doubled
  // quotes must keep its own text, and a line break inside quotes moves later line numbers.
  std::string text = "id,ts,customer,type,text\n";
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(i);
    text += "m" + n + ",1714528800,c" + n + ",message_in,\"say \"\"" + n + "\"\"\"\n";
  }
  text += "m100,1714528800,c1,message_in,\"two\nlines\"\n";
  text += "bad,1714528800,c1,no_such_type,\n";
  for (std::size_t chunk : {std::size_t{5}, std::size_t{64}, std::size_t{1} << 20}) {
    CAPTURE(chunk);
    Pool pool;
    const auto report = read_csv(pool, text, chunk);
    check_balance(report);
    REQUIRE(report.accepted == 101);
    for (int i = 0; i < 100; ++i) {
      const std::string key = "c" + std::to_string(i);
      const EventLog::Range range = pool.events().range(pool.customers().id(key));
      REQUIRE(range.size() >= 1);
      CHECK(pool.events().at(range.begin).text == "say \"" + std::to_string(i) + "\"");
    }
    REQUIRE(pool.quarantine().size() == 1);
    CHECK(pool.quarantine()[0].line == 104);
  }
}

TEST_CASE("fields with and without quotes split alike across blocks and chunks", "[ingest]") {
  // Rows without quotes take a fast path that splits sixteen bytes at a time; any other
  // row falls back to the full parser. Random rows of both kinds, with texts long enough to
  // cross blocks, must read back field for field at any chunk size.
  std::mt19937 random(20261207);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const std::array<std::string_view, 4> plain_pieces = {"a", "b c", "\xE8\x8C\xB6", "\""};
  const std::array<std::string_view, 6> quoted_pieces = {"a",  ",",    "\"",
                                                         "\n", "\r\n", "\xE8\x8C\xB6"};
  const std::array<std::string_view, 3> line_ends = {"\n", "\r\n", "\r"};
  std::string text = "id,ts,customer,type,text\n";
  std::vector<std::string> expected;
  std::int64_t line = 2;
  for (int i = 0; i < 300; ++i) {
    std::string value;
    const std::size_t length = pick(40);
    const bool quoted = pick(2) == 0;
    for (std::size_t k = 0; k < length; ++k) {
      // An unquoted field may hold a quote, but not first: that would open a quoted field.
      std::string_view piece = quoted ? quoted_pieces[pick(quoted_pieces.size())]
                                      : plain_pieces[pick(plain_pieces.size())];
      if (!quoted && k == 0 && piece == "\"") piece = "a";
      value += piece;
    }
    std::string field = value;
    if (quoted) {
      field.clear();
      for (char c : value) field += c == '"' ? std::string("\"\"") : std::string(1, c);
      field = "\"" + field + "\"";
    }
    const std::string customer = pick(2) == 0 ? "c1" : "\"c1\"";
    text += "m" + std::to_string(i) + ",1714528800," + customer + ",message_in," + field +
            std::string(line_ends[pick(line_ends.size())]);
    expected.push_back(value);
    line += 1 + std::count(value.begin(), value.end(), '\n');
  }
  text += "bad,1714528800,c1,no_such_type,";  // the last line, without a line end
  for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{16}, std::size_t{17},
                            std::size_t{64}, std::size_t{1} << 20}) {
    CAPTURE(chunk);
    Pool pool;
    const auto report = read_csv(pool, text, chunk);
    check_balance(report);
    REQUIRE(report.accepted == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(pool.events().at(i).text == expected[i]);
    }
    REQUIRE(pool.quarantine().size() == 1);
    CHECK(pool.quarantine()[0].line == line);
    CHECK(pool.quarantine()[0].field == "type");
  }
}

TEST_CASE("a long seekable stream is sized from its first rows and read whole", "[ingest]") {
  std::string text = "id,ts,customer,type,text\n";
  for (int i = 0; i < 5000; ++i) {
    const std::string n = std::to_string(i);
    text += "m" + n + ",1714528800,c" + std::to_string(i % 700) + ",message_in,hello " + n + "\n";
  }
  Pool pool;
  const auto report = read_csv(pool, text);
  check_balance(report);
  CHECK(report.accepted == 5000);
  CHECK(pool.events().size() == 5000);
  CHECK(pool.customers().size() == 700);
}

TEST_CASE("bad rows are quarantined with line and field: the rest is kept", "[ingest]") {
  Pool pool;
  const auto report =
      read_csv(pool, header +
                         "ok1,1714528800,c1,friend_added,,,,,,,\n"               // line 2
                         "b1,1714528800,c1,friend_added,,,\n"                    // 3: columns
                         "b2,1714528800,c1,bought_something,,,,,,,\n"            // 4: type
                         "b3,2024-02-30T10:00:00,c1,friend_added,,,,,,,\n"       // 5: ts
                         "b4,1714528800,c1,order_paid,,,,19.999,A,,\n"           // 6: amount
                         "b5,1714528800,c1,order_paid,,,,1e3,A,,\n"              // 7: amount
                         "b6,1714528800,c1,message_in,,,,,,,\"bad \xC0\xAF\"\n"  // 8
                         "b7,,c1,friend_added,,,,,,,\n"                          // 9: ts
                         "b8,1714528800,c1,content_viewed,,,,,,-5,\n"            // 10
                         "ok2,1714528801,c1,friend_added,,,,,,,\n"               // 11
                         "b9,1714528800,c1,message_in,,,,,,,\"unclosed\n"
                         "and more\n");
  check_balance(report);
  CHECK(report.accepted == 2);
  CHECK(report.rejected == 9);
  const auto& q = pool.quarantine();
  REQUIRE(q.size() == 9);
  struct Expected {
    std::int64_t line;
    std::string field;
    ErrorCode code;
  };
  const Expected expected[] = {
      {3, "", ErrorCode::bad_syntax},       {4, "type", ErrorCode::invalid_value},
      {5, "ts", ErrorCode::invalid_value},  {6, "amount", ErrorCode::invalid_value},
      {7, "amount", ErrorCode::bad_syntax}, {8, "text", ErrorCode::invalid_value},
      {9, "ts", ErrorCode::missing_field},  {10, "duration", ErrorCode::invalid_value},
      {12, "", ErrorCode::bad_syntax}};
  for (std::size_t i = 0; i < q.size(); ++i) {
    CAPTURE(i, q[i].reason);
    CHECK(q[i].source == "events.csv");
    CHECK(q[i].line == expected[i].line);
    CHECK(q[i].field == expected[i].field);
    CHECK(q[i].code == expected[i].code);
    CHECK(q[i].record == "b" + std::to_string(i + 1));
  }
  CHECK(q[0].reason == "expected 11 fields, found 7");
  CHECK(q[0].raw == "b1,1714528800,c1,friend_added,,,");
  CHECK(q[8].reason == "unclosed quote");
  CHECK(q[8].raw == "b9,1714528800,c1,message_in,,,,,,,\"unclosed\nand more\n");
  CHECK(pool.events().size() == 2);
}

TEST_CASE("headers: any order, required columns, unknown ones refused", "[ingest]") {
  {
    Pool pool;
    const auto r = read_csv(pool, "type,customer,ts\nfriend_added,c1,1714528800\n");
    CHECK(r.accepted == 1);
  }
  for (const char* bad : {"id,customer,type\n", "id,ts,customer,type,colour\n",
                          "ts,ts,customer,type\n", "{\"id\": 1}\n", "\x89PNG\r\n\x1a\n\x00\x00"}) {
    CAPTURE(bad);
    Pool pool;
    try {
      (void)read_csv(pool, bad);
      FAIL("no error for a bad header");
    } catch (const ParseError& e) {
      CHECK(e.where().line == 1);
      CHECK(e.where().field == "header");
      CHECK(e.where().source == "events.csv");
    }
  }
}

TEST_CASE("empty input and a header alone hold no events", "[ingest]") {
  Pool pool;
  CHECK(read_csv(pool, "").read == 0);
  CHECK(read_csv(pool, header).read == 0);
  CHECK(read_csv(pool, header + "\n\n").read == 0);
}

TEST_CASE("re-reading a file adds nothing twice", "[ingest]") {
  Pool pool;
  const std::string text = header +
                           "e1,1714528800,c1,friend_added,,,,,,,\n"
                           ",1714528900,c2,friend_added,,,,,,,\n";
  CHECK(read_csv(pool, text).accepted == 2);
  const auto again = read_csv(pool, text);
  CHECK(again.duplicate == 2);
  CHECK(again.accepted == 0);
  CHECK(pool.events().size() == 2);
  const auto conflict = read_csv(pool, header + "e1,1714528800,c1,friend_deleted,,,,,,,\n");
  CHECK(conflict.duplicate == 1);
  CHECK(conflict.conflicting == 1);
  REQUIRE(conflict.conflicts.size() == 1);
  CHECK(conflict.conflicts[0].line == 2);
}

TEST_CASE("a 10 MB field is read whole", "[ingest]") {
  Pool pool;
  const std::string big(10'000'000, 'x');
  const auto report = read_csv(pool,
                               header + "e1,1714528800,c1,message_in,,,,,,,\"" + big + "\"\n" +
                                   "e2,1714528801,c1,message_in,,,,,,," + big + "\n",
                               4096);
  CHECK(report.accepted == 2);
  CHECK(pool.events().at(0).text.size() == big.size());
  CHECK(pool.events().at(1).text.size() == big.size());
}

TEST_CASE("ingest_file picks the format from the extension", "[ingest]") {
  CHECK(format_of("a/b/events.csv") == InputFormat::csv);
  CHECK(format_of("events.jsonl") == InputFormat::jsonl);
  CHECK(format_of("events.ndjson") == InputFormat::jsonl);
  CHECK_FALSE(format_of("events.txt").has_value());
  Pool pool;
  CHECK_THROWS_AS(ingest_file(pool, "events.txt"), ConfigError);
  try {
    (void)ingest_file(pool, "no/such/file.csv");
    FAIL("no error for a missing file");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::io);
  }
}

}  // namespace siyu

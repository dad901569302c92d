#include <sstream>
#include <string>

#include "siyu/ingest/ingest.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

IngestReport read_jsonl(Pool& pool, const std::string& text) {
  std::istringstream in(text);
  return ingest(pool, in, InputFormat::jsonl, "events.jsonl");
}

}  // namespace

TEST_CASE("JSONL objects become events: numbers keep their exact text", "[ingest]") {
  Pool pool;
  const auto report = read_jsonl(pool,
                                 "{\"id\":\"e1\",\"ts\":\"2024-05-01T10:00:00+08:00\",\"customer\":"
                                 "\"c1\",\"type\":\"friend_added\"}\n"
                                 "{\"id\":\"e2\",\"ts\":1714528900,\"customer\":\"c1\",\"type\":"
                                 "\"order_paid\",\"amount\":19.90,"
                                 "\"ref\":\"A1\",\"staff\":null}\r\n"
                                 "\n"
                                 "{\"id\":\"e3\",\"ts\":1714529000,\"customer\":\"c1\",\"type\":"
                                 "\"message_in\",\"text\":\"a\\nb \\u4f60\"}\n");
  CHECK(report.accepted == 3);
  REQUIRE(pool.events().size() == 3);
  CHECK(pool.events().at(1).amount == Money{1990});
  CHECK(pool.events().at(2).text == "a\nb 你");
}

TEST_CASE("bad JSONL lines are quarantined with line and field", "[ingest]") {
  Pool pool;
  const auto report = read_jsonl(
      pool,
      "{\"id\":\"b1\",\"ts\":1714528800,\"customer\":\"c1\",\"type\":\"order_paid\",\"amount\":1e3,"
      "\"ref\":\"A\"}\n"
      "{\"id\":\"b2\",\"ts\":1714528800,\"customer\":\"c1\",\"type\":\"friend_added\",\"colour\":"
      "\"red\"}\n"
      "{\"id\":\"b3\",\"ts\":true,\"customer\":\"c1\",\"type\":\"friend_added\"}\n"
      "not json at all\n"
      "{\"id\":\"b5\",\"ts\":1714528800,\"customer\":\"c1\"}\n"
      "{\"id\":\"b6\",\"ts\":1714528800,\"customer\":\"c1\",\"type\":\"friend_added\"} {}\n"
      "[1,2,3]\n"
      "{\"id\":\"b8\",\"ts\":1714528800,\"customer\":\"c1\",\"type\":\"friend_added\"\n"
      "{\"id\":\"ok\",\"ts\":1714528800,\"customer\":\"c1\",\"type\":\"friend_added\"}\n");
  CHECK(report.accepted == 1);
  CHECK(report.rejected == 8);
  CHECK(report.accepted + report.duplicate + report.rejected == report.read);
  const auto& q = pool.quarantine();
  REQUIRE(q.size() == 8);
  CHECK(q[0].field == "amount");
  CHECK(q[0].line == 1);
  CHECK(q[1].field == "colour");
  CHECK(q[1].code == ErrorCode::unknown_field);
  CHECK(q[2].field == "ts");
  CHECK(q[2].code == ErrorCode::wrong_type);
  CHECK(q[3].code == ErrorCode::bad_syntax);
  CHECK(q[3].raw == "not json at all");
  CHECK(q[4].field == "type");
  CHECK(q[4].code == ErrorCode::missing_field);
  CHECK(q[5].code == ErrorCode::bad_syntax);
  CHECK(q[6].code == ErrorCode::bad_syntax);
  CHECK(q[7].line == 8);
}

TEST_CASE("the same event in CSV and JSONL is one event", "[ingest]") {
  Pool pool;
  std::istringstream csv("ts,customer,type,amount,ref\n1714528800,c1,order_paid,19.9,A1\n");
  CHECK(ingest(pool, csv, InputFormat::csv, "a.csv").accepted == 1);
  const auto report = read_jsonl(pool,
                                 "{\"ts\":\"1714528800\",\"customer\":\"c1\",\"type\":\"order_"
                                 "paid\",\"amount\":\"19.90\",\"ref\":\"A1\"}\n");
  CHECK(report.duplicate == 1);
  CHECK(report.conflicting == 0);
}

}  // namespace siyu

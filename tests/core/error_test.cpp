#include "siyu/core/error.hpp"

#include <string>

#include "support/catch.hpp"

namespace siyu {

TEST_CASE("what() names the location first, then the message", "[core]") {
  const Error full(ErrorCode::bad_syntax, "more than two decimals",
                   Where{.source = "events.csv", .line = 12, .record = "e-17", .field = "amount"});
  CHECK(std::string(full.what()) ==
        "events.csv:12: record e-17, field amount: more than two decimals");
  CHECK(full.message() == "more than two decimals");
  CHECK(full.code() == ErrorCode::bad_syntax);

  CHECK(std::string(Error(ErrorCode::io, "cannot open").what()) == "cannot open");
  CHECK(std::string(Error(ErrorCode::io, "m", Where{.line = 3}).what()) == "line 3: m");
  CHECK(std::string(Error(ErrorCode::io, "m", Where{.field = "ts"}).what()) == "field ts: m");
  CHECK(std::string(Error(ErrorCode::io, "m", Where{.source = "a.jsonl", .field = "ts"}).what()) ==
        "a.jsonl: field ts: m");
}

TEST_CASE("locate() fills in only what is still unknown", "[core]") {
  ParseError error(ErrorCode::invalid_value, "no such day", Where{.field = "ts"});
  error.locate(Where{.source = "in.csv", .line = 4, .record = "r1", .field = "other"});
  CHECK(error.where().field == "ts");
  CHECK(error.where().line == 4);
  CHECK(std::string(error.what()) == "in.csv:4: record r1, field ts: no such day");
}

TEST_CASE("subclasses carry their codes and are caught as Error", "[core]") {
  try {
    throw StorageError("database is locked", 5, Where{.source = "pool.db"});
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::storage);
    CHECK(dynamic_cast<const StorageError&>(e).extended_code() == 5);
  }
  CHECK(NotFound("no customer c-1").code() == ErrorCode::not_found);
  CHECK(to_string(ErrorCode::out_of_range) == "out_of_range");
  CHECK(to_string(ErrorCode::io) == "io");
}

}  // namespace siyu

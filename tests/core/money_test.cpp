#include "siyu/core/money.hpp"

#include <limits>
#include <sstream>
#include <string>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();

// The code and message of the ParseError that parsing `text` throws.
std::pair<ErrorCode, std::string> money_error(const std::string& text) {
  try {
    (void)parse_money(text);
  } catch (const ParseError& e) {
    return {e.code(), e.what()};
  }
  FAIL("parse_money(\"" << text << "\") did not throw");
  return {};
}

}  // namespace

TEST_CASE("parse_money reads yuan strings into fen", "[core]") {
  CHECK(parse_money("19.90").fen == 1990);
  CHECK(parse_money("19.9").fen == 1990);
  CHECK(parse_money("-3").fen == -300);
  CHECK(parse_money("0.05").fen == 5);
  CHECK(parse_money("+12").fen == 1200);
  CHECK(parse_money("0").fen == 0);
  CHECK(parse_money("-0.00").fen == 0);
  CHECK(parse_money("007.50").fen == 750);
  CHECK(parse_money(" 8000000 ").fen == 800'000'000);
  CHECK(parse_money("\t1.5\t").fen == 150);
}

TEST_CASE("parse_money reaches both ends of int64 fen and no further", "[core]") {
  CHECK(parse_money("92233720368547758.07").fen == int64_max);
  CHECK(parse_money("-92233720368547758.08").fen == int64_min);
  CHECK(money_error("92233720368547758.08").first == ErrorCode::out_of_range);
  CHECK(money_error("-92233720368547758.09").first == ErrorCode::out_of_range);
  CHECK(money_error("92233720368547759").first == ErrorCode::out_of_range);
  CHECK(money_error("99999999999999999999999999").first == ErrorCode::out_of_range);
}

TEST_CASE("parse_money rejects what is not a two-decimal yuan amount", "[core]") {
  const auto [code, message] = money_error("19.999");
  CHECK(code == ErrorCode::invalid_value);
  CHECK(message == "more than two decimals in a money amount in \"19.999\"");

  CHECK(money_error("1e3").second.find("exponent") != std::string::npos);
  CHECK(money_error("1.5E2").second.find("exponent") != std::string::npos);
  CHECK(money_error("19 .90").second.find("blank inside") != std::string::npos);
  CHECK(money_error("- 3").second.find("blank inside") != std::string::npos);
  CHECK(money_error("1,000").second.find("separator") != std::string::npos);
  CHECK(money_error("").first == ErrorCode::missing_field);
  CHECK(money_error("   ").first == ErrorCode::missing_field);
  for (const char* junk :
       {"abc", "-", "+", ".5", "5.", "1.2.3", "--1", "0x10", "¥5", "5元", "NaN"}) {
    CAPTURE(junk);
    CHECK(money_error(junk).first == ErrorCode::bad_syntax);
  }
}

TEST_CASE("money error messages quote long or binary input safely", "[core]") {
  const std::string long_field(10'000'000, '9');
  const std::string message = money_error(long_field + "x").second;
  CHECK(message.size() < 200);
  CHECK(message.find("...\"") != std::string::npos);
  CHECK(money_error(std::string("1\x01\xff", 3)).second.find("\\x01\\xff") != std::string::npos);
  CHECK(money_error("\"5\"").second.find("\\\"5\\\"") != std::string::npos);
}

TEST_CASE("to_string writes two decimals and reads back", "[core]") {
  CHECK(to_string(Money{1990}) == "19.90");
  CHECK(to_string(Money{-5}) == "-0.05");
  CHECK(to_string(Money{0}) == "0.00");
  CHECK(to_string(Money::yuan(1280)) == "1280.00");
  CHECK(to_string(Money{int64_max}) == "92233720368547758.07");
  CHECK(to_string(Money{int64_min}) == "-92233720368547758.08");
  for (std::int64_t fen : {int64_min, std::int64_t{-100}, std::int64_t{-1}, std::int64_t{0},
                           std::int64_t{7}, std::int64_t{123456}, int64_max}) {
    CHECK(parse_money(to_string(Money{fen})).fen == fen);
  }
  std::ostringstream out;
  out << Money{150};
  CHECK(out.str() == "1.50");
}

TEST_CASE("money arithmetic is exact and checked", "[core]") {
  CHECK(Money{1990} + Money{10} == Money{2000});
  CHECK(Money{100} - Money{250} == Money{-150});
  CHECK(Money{1990} * 3 == Money{5970});
  CHECK(3 * Money{1990} == Money{5970});
  CHECK(-Money{5} == Money{-5});
  Money total;
  for (int i = 0; i < 10; ++i) total += Money{10};  // 0.1 yuan ten times is exactly 1 yuan
  CHECK(total == Money::yuan(1));

  CHECK_THROWS_AS(Money{int64_max} + Money{1}, Error);
  CHECK_THROWS_AS(Money{int64_min} - Money{1}, Error);
  CHECK_THROWS_AS(-Money{int64_min}, Error);
  CHECK_THROWS_AS(Money{int64_max / 2 + 1} * 2, Error);
  CHECK_THROWS_AS(Money::yuan(int64_max / 100 + 1), Error);
  try {
    (void)(Money{int64_max} + Money{1});
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::out_of_range);
  }
  CHECK(Money{int64_max} + Money{int64_min} == Money{-1});
}

}  // namespace siyu

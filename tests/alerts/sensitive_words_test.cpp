#include "siyu/alerts/sensitive_words.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "siyu/core/error.hpp"
#include "support/catch.hpp"

namespace siyu {

namespace {

std::vector<MatcherEngine> engines() {
  std::vector<MatcherEngine> out{MatcherEngine::portable};
  if (WordMatcher::hyperscan_available()) out.push_back(MatcherEngine::hyperscan);
  return out;
}

std::vector<WordMatch> scan(const WordMatcher& matcher, std::string_view text) {
  std::vector<WordMatch> out;
  matcher.scan(text, out);
  return out;
}

// The obvious matcher: every word at every position.
std::vector<WordMatch> naive(const std::vector<std::string>& words, const std::string& text) {
  const auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    return s;
  };
  const std::string t = lower(text);
  std::vector<WordMatch> out;
  for (std::size_t at = 0; at < t.size(); ++at) {
    for (std::uint32_t w = 0; w < words.size(); ++w) {
      if (t.compare(at, words[w].size(), lower(words[w])) == 0) out.push_back({w, at});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("both engines find Chinese, mixed and overlapping words with byte offsets") {
  const std::vector<std::string> words = {"加微信", "微信", "vx", "VX123", "a", "aa"};
  for (const MatcherEngine engine : engines()) {
    CAPTURE(to_string(engine));
    const WordMatcher matcher(words, engine);
    CHECK(matcher.engine() == engine);
    const std::string text = "您好，加微信 Vx123 吧 aaa";
    const std::vector<WordMatch> found = scan(matcher, text);
    CHECK(found == naive(words, text));
    // "加微信" starts after "您好，" (9 bytes); "微信" three bytes later.
    REQUIRE(found.size() >= 2);
    CHECK(found[0] == WordMatch{0, 9});
    CHECK(found[1] == WordMatch{1, 12});
    CHECK(scan(matcher, "").empty());
    CHECK(scan(matcher, "没有问题").empty());
  }
}

TEST_CASE("both engines agree with the obvious matcher on random texts and word lists") {
  std::mt19937 random(7);
  const std::string alphabet[] = {"茶", "礼", "盒", "加", "微", "信", "a", "B", "1", " ", "v", "x"};
  const auto pick = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[random() % std::size(alphabet)];
    return s;
  };
  for (int round = 0; round < 30; ++round) {
    std::vector<std::string> words;
    for (int w = 0; w < 40; ++w) words.push_back(pick(1 + random() % 4));
    const std::string text = pick(300);
    const std::vector<WordMatch> expected = naive(words, text);
    for (const MatcherEngine engine : engines()) {
      CAPTURE(round, to_string(engine));
      CHECK(scan(WordMatcher(words, engine), text) == expected);
    }
  }
}

TEST_CASE("a batch scan finds what scanning each text alone finds, nothing across texts") {
  const std::vector<std::string> words = {"加微信", "微信", "vx", "ab", "b\nc"};
  const std::vector<std::string> owned = {"加微", "信vx", "", "a", "b", "加微信", "c"};
  const std::vector<std::string_view> texts(owned.begin(), owned.end());
  for (const MatcherEngine engine : engines()) {
    CAPTURE(to_string(engine));
    const WordMatcher matcher(words, engine);
    std::vector<TextMatch> batch;
    matcher.scan(texts, batch);
    std::vector<TextMatch> alone;
    for (std::uint32_t t = 0; t < texts.size(); ++t) {
      for (const WordMatch& m : scan(matcher, texts[t])) alone.push_back({t, m.word, m.offset});
    }
    CHECK(batch == alone);
    CHECK(batch == std::vector<TextMatch>{{1, 2, 3}, {5, 0, 0}, {5, 1, 3}});
  }
}

TEST_CASE("a copied matcher scans on its own and an empty word is refused") {
  const WordMatcher matcher({"加微信"});
  const WordMatcher copy = matcher;
  CHECK(scan(copy, "加微信") == scan(matcher, "加微信"));
  CHECK(copy.words() == std::vector<std::string>{"加微信"});
  CHECK_THROWS_AS(WordMatcher({"ok", ""}), ValidationError);
  CHECK(scan(WordMatcher({}), "anything").empty());
  if (!WordMatcher::hyperscan_available()) {
    CHECK_THROWS_AS(WordMatcher({"x"}, MatcherEngine::hyperscan), Error);
  }
}

TEST_CASE("word lists read rules, severities and scopes, and name the field at fault") {
  const WordList list = parse_word_list(R"({"rules": [
      {"name": "poaching", "words": ["加微信", "VX"], "severity": "block"},
      {"name": "promises", "words": ["保证有效"], "scope": {"stores": ["hz01"], "groups": ["g1"]}}
    ]})",
                                        "words.json");
  REQUIRE(list.rules.size() == 2);
  CHECK(list.rules[0].severity == WordSeverity::block);
  CHECK(list.rules[0].everywhere());
  CHECK(list.rules[1].severity == WordSeverity::warn);
  CHECK(list.rules[1].stores == std::vector<std::string>{"hz01"});
  CHECK(list.rules[1].groups == std::vector<std::string>{"g1"});
  CHECK(list.word_count() == 3);

  const auto fails = [](const std::string& json, const std::string& field, int line) {
    try {
      (void)parse_word_list(json, "words.json");
      FAIL("no error for " << json);
    } catch (const Error& e) {
      CHECK(e.where().field == field);
      CHECK(e.where().line == line);
    }
  };
  fails("{\"rules\": [{\"name\": \"a\",\n \"words\": [\"x\", \"\"]}]}", "rules[0].words[1]", 2);
  fails("{\"rules\": [{\"name\": \"a\", \"words\": [\"x\"],\n \"severity\": \"loud\"}]}",
        "rules[0].severity", 2);
  fails(
      "{\"rules\": [{\"name\": \"a\", \"words\": [\"x\"]},\n {\"name\": \"a\", \"words\": "
      "[\"y\"]}]}",
      "rules[1]", 2);
  fails("{\"rules\": [{\"name\": \"a\", \"words\": [\"x\"], \"colour\": 1}]}", "rules[0].colour",
        1);
  fails("{\"rules\": [{\"name\": \"a\", \"words\": [\"tab\\there\"]}]}", "rules[0].words[0]", 1);
  fails("{\"rules\": [{\"name\": \"a\", \"words\": []}]}", "rules[0].words", 1);
  CHECK_THROWS_AS(parse_word_list("{\"rules\": [", "words.json"), ParseError);
}

TEST_CASE("WeCom's intercept-rule limits are reported per rule and for the list") {
  WordList list;
  list.rules.push_back(WordRule{.name = "fits", .words = std::vector<std::string>(300, "w")});
  CHECK(wecom_limit_breaches(list).empty());
  list.rules.push_back(WordRule{.name = "long", .words = std::vector<std::string>(301, "w")});
  const std::vector<std::string> one = wecom_limit_breaches(list);
  REQUIRE(one.size() == 1);
  CHECK(one[0] == "rule \"long\" has 301 words: a WeCom intercept rule holds at most 300");
  list.rules.resize(101, WordRule{.name = "more", .words = {"w"}});
  const std::vector<std::string> two = wecom_limit_breaches(list);
  REQUIRE(two.size() == 2);
  CHECK(two[0] == "101 rules: WeCom keeps at most 100 intercept rules");
}

}  // namespace siyu

// Sensitive words and alerts. Issue targets, single thread: 10,000 words over chat text at
// >= 300 MB/s with Hyperscan and >= 150 MB/s with the portable matcher; a plain loop of
// `find` per word is the baseline that must not ship. Chat text is 16 MiB of messages in
// the shape of the sample brand's (Chinese with digits and Latin letters, 10 to 80 bytes),
// scanned three ways: one message at a time, 1,024 messages per batch scan (as `run_alerts`
// does), and in 64 KiB blocks of the text.
// The words are 10,000 made-up phrases of two to five characters and Latin-digit handles
// ("vx1234"), about 1 in 200 messages holding one. run_alerts is measured on the sample
// brand (SIYU_BENCH_CUSTOMERS, 100,000 by default).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

// Three thousand CJK characters (U+4E00 on), as UTF-8.
std::vector<std::string> characters() {
  std::vector<std::string> out;
  for (char32_t c = 0x4E00; c < 0x4E00 + 3000; ++c) {
    out.push_back({static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                   static_cast<char>(0x80 | (c & 0x3F))});
  }
  return out;
}

// Words drawn evenly from the characters: 10% two characters, the rest three to five, and
// one in five a Latin handle with digits ("vx1234").
std::vector<std::string> make_words(std::size_t count) {
  std::mt19937_64 random(20261207);
  const std::vector<std::string> chars = characters();
  std::vector<std::string> words;
  const char* latin[] = {"vx", "wx", "qq", "tb", "dy"};
  while (words.size() < count) {
    std::string word;
    if (random() % 5 == 0) {
      word = std::string(latin[random() % 5]) + std::to_string(1000 + random() % 9000);
    } else {
      const std::size_t n = random() % 10 == 0 ? 2 : 3 + random() % 3;
      for (std::size_t i = 0; i < n; ++i) word += chars[random() % chars.size()];
    }
    words.push_back(std::move(word));
  }
  return words;
}

// Messages of 10 to 80 bytes in which a few characters are common and most rare, as in
// natural text, with digits and Latin letters mixed in; every 200th holds one of the words.
std::vector<std::string> make_messages(std::size_t total_bytes,
                                       const std::vector<std::string>& words) {
  std::mt19937_64 random(7);
  const std::vector<std::string> chars = characters();
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::string> messages;
  std::size_t bytes = 0;
  while (bytes < total_bytes) {
    std::string m;
    const std::size_t target = 10 + random() % 71;
    while (m.size() < target) {
      const auto pick = random() % 20;
      if (pick == 0) {
        m += std::to_string(random() % 1000);
      } else if (pick == 1) {
        m += "ok";
      } else {
        const double u = unit(random);
        m += chars[static_cast<std::size_t>(u * u * u * static_cast<double>(chars.size()))];
      }
    }
    if (messages.size() % 200 == 0) m += words[random() % words.size()];
    bytes += m.size();
    messages.push_back(std::move(m));
  }
  return messages;
}

struct Corpus {
  std::vector<std::string> words = make_words(10'000);
  std::vector<std::string> messages = make_messages(16U << 20U, words);
  std::string joined = [this] {
    std::string out;
    for (const std::string& m : messages) (out += m) += '\n';
    return out;
  }();
};

const Corpus& corpus() {
  static const Corpus c;
  return c;
}

void by_message(benchmark::State& state, siyu::MatcherEngine engine) {
  const Corpus& c = corpus();
  const siyu::WordMatcher matcher(c.words, engine);
  std::vector<siyu::WordMatch> matches;
  std::size_t bytes = 0;
  std::size_t hits = 0;
  for (auto _ : state) {
    bytes = 0;
    hits = 0;
    for (const std::string& m : c.messages) {
      matches.clear();
      matcher.scan(m, matches);
      hits += matches.size();
      bytes += m.size();
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["messages"] = static_cast<double>(c.messages.size());
  state.counters["hits"] = static_cast<double>(hits);
}

// Messages 1,024 at a time through the batch scan, as `run_alerts` does.
void by_batch(benchmark::State& state, siyu::MatcherEngine engine) {
  const Corpus& c = corpus();
  const siyu::WordMatcher matcher(c.words, engine);
  std::vector<std::string_view> batch;
  std::vector<siyu::TextMatch> matches;
  std::size_t bytes = 0;
  std::size_t hits = 0;
  for (auto _ : state) {
    bytes = 0;
    hits = 0;
    for (std::size_t i = 0; i < c.messages.size(); i += 1'024) {
      batch.clear();
      for (std::size_t j = i; j < std::min(i + 1'024, c.messages.size()); ++j) {
        batch.push_back(c.messages[j]);
        bytes += c.messages[j].size();
      }
      matches.clear();
      matcher.scan(batch, matches);
      hits += matches.size();
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["hits"] = static_cast<double>(hits);
}

void by_block(benchmark::State& state, siyu::MatcherEngine engine) {
  const Corpus& c = corpus();
  const siyu::WordMatcher matcher(c.words, engine);
  const std::string_view text = c.joined;
  std::vector<siyu::WordMatch> matches;
  std::size_t hits = 0;
  for (auto _ : state) {
    hits = 0;
    for (std::size_t at = 0; at < text.size(); at += 65'536) {
      matches.clear();
      matcher.scan(text.substr(at, 65'536), matches);
      hits += matches.size();
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
  state.counters["hits"] = static_cast<double>(hits);
}

void words_hyperscan_messages(benchmark::State& state) {
  if (!siyu::WordMatcher::hyperscan_available()) return state.SkipWithError("no Hyperscan");
  by_message(state, siyu::MatcherEngine::hyperscan);
}
void words_portable_messages(benchmark::State& state) {
  by_message(state, siyu::MatcherEngine::portable);
}
void words_hyperscan_batches(benchmark::State& state) {
  if (!siyu::WordMatcher::hyperscan_available()) return state.SkipWithError("no Hyperscan");
  by_batch(state, siyu::MatcherEngine::hyperscan);
}
void words_portable_batches(benchmark::State& state) {
  by_batch(state, siyu::MatcherEngine::portable);
}
void words_hyperscan_blocks(benchmark::State& state) {
  if (!siyu::WordMatcher::hyperscan_available()) return state.SkipWithError("no Hyperscan");
  by_block(state, siyu::MatcherEngine::hyperscan);
}
void words_portable_blocks(benchmark::State& state) {
  by_block(state, siyu::MatcherEngine::portable);
}

// The baseline: `find` for each word over the first 64 KiB of the text.
void words_find_loop(benchmark::State& state) {
  const Corpus& c = corpus();
  const std::string_view text = std::string_view(c.joined).substr(0, 65'536);
  std::size_t hits = 0;
  for (auto _ : state) {
    hits = 0;
    for (const std::string& word : c.words) {
      for (std::size_t at = text.find(word); at != std::string_view::npos;
           at = text.find(word, at + 1)) {
        ++hits;
      }
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
  state.counters["hits"] = static_cast<double>(hits);
}

// Every alert over the sample brand's last 30 days of acquisition, words included.
void alerts_sample_brand(benchmark::State& state) {
  static const siyu::Pool pool = siyu::bench::ingested_pool();
  const siyu::WordList words = siyu::parse_word_list(
      R"({"rules": [{"name": "poaching", "words": ["加微信", "vx", "私聊"], "severity": "block"}]})",
      "bench");
  const siyu::Zone zone = pool.options().zone;
  const siyu::Timestamp to = zone.add_days(pool.events().span()->last, -30);
  const siyu::AlertQuery query{.from = zone.add_days(to, -30), .to = to, .words = &words};
  std::size_t alerts = 0;
  for (auto _ : state) {
    const siyu::AlertResult result = siyu::run_alerts(pool, siyu::AlertPolicy{}, query);
    alerts = result.alerts.size();
    benchmark::DoNotOptimize(alerts);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pool.events().size()) * state.iterations());
  state.counters["events"] = static_cast<double>(pool.events().size());
  state.counters["alerts"] = static_cast<double>(alerts);
}

}  // namespace

BENCHMARK(words_hyperscan_messages)->Unit(benchmark::kMillisecond);
BENCHMARK(words_portable_messages)->Unit(benchmark::kMillisecond);
BENCHMARK(words_hyperscan_batches)->Unit(benchmark::kMillisecond);
BENCHMARK(words_portable_batches)->Unit(benchmark::kMillisecond);
BENCHMARK(words_hyperscan_blocks)->Unit(benchmark::kMillisecond);
BENCHMARK(words_portable_blocks)->Unit(benchmark::kMillisecond);
BENCHMARK(words_find_loop)->Unit(benchmark::kMillisecond);
BENCHMARK(alerts_sample_brand)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

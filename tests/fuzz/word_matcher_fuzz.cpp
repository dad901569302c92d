// Differential fuzzing of the sensitive-word matchers: the input's lines before the first
// empty line are the words, the rest is the text. The portable matcher, Hyperscan (when
// available) and the obvious matcher must find exactly the same occurrences, alone and in
// a batch with the text split in two.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/siyu.hpp"

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::vector<siyu::WordMatch> obvious(const std::vector<std::string>& words, std::string_view text) {
  std::vector<siyu::WordMatch> out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (std::uint32_t w = 0; w < words.size(); ++w) {
      const std::string& word = words[w];
      if (word.size() > text.size() - at) continue;
      if (std::equal(word.begin(), word.end(), text.begin() + static_cast<std::ptrdiff_t>(at),
                     [](char a, char b) { return lower(a) == lower(b); })) {
        out.push_back({w, at});
      }
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find("\n\n");
  if (split == std::string_view::npos) return 0;
  std::vector<std::string> words;
  for (std::size_t at = 0; at < split;) {
    const std::size_t end = std::min(input.find('\n', at), split);
    if (end > at) words.emplace_back(input.substr(at, end - at));
    at = end + 1;
  }
  if (words.empty() || words.size() > 64) return 0;
  const std::string_view text = input.substr(split + 2);
  const std::vector<siyu::WordMatch> expected = obvious(words, text);

  std::vector<siyu::MatcherEngine> engines{siyu::MatcherEngine::portable};
  if (siyu::WordMatcher::hyperscan_available()) engines.push_back(siyu::MatcherEngine::hyperscan);
  for (const siyu::MatcherEngine engine : engines) {
    const siyu::WordMatcher matcher(words, engine);
    std::vector<siyu::WordMatch> found;
    matcher.scan(text, found);
    if (found != expected) std::abort();
    // In a batch, split in two: the same matches, none across the split.
    const std::size_t half = text.size() / 2;
    const std::vector<std::string_view> parts{text.substr(0, half), text.substr(half)};
    std::vector<siyu::TextMatch> batch;
    matcher.scan(parts, batch);
    for (const siyu::TextMatch& m : batch) {
      const std::size_t offset = m.offset + (m.text == 1 ? half : 0);
      const bool inside = m.offset + words[m.word].size() <= parts[m.text].size();
      if (!inside || std::find(expected.begin(), expected.end(), siyu::WordMatch{m.word, offset}) ==
                         expected.end()) {
        std::abort();
      }
    }
    const auto within =
        std::count_if(expected.begin(), expected.end(), [&](const siyu::WordMatch& m) {
          return m.offset + words[m.word].size() <= half || m.offset >= half;
        });
    if (static_cast<std::size_t>(within) != batch.size()) std::abort();
  }
  return 0;
}

#pragma once
// Sensitive words (敏感词): the word lists a brand keeps so that staff do not lure customers
// off the platform ("加微信"), promise what they must not, or leak contact details, and the
// matcher that finds them in chat text.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/export.hpp"

namespace siyu {

/// What a hit asks for, as WeCom's intercept rules put it.
enum class WordSeverity : std::uint8_t {
  warn,   ///< Warn the staff member (and report the hit).
  block,  ///< Block the message and warn (a host mirroring to WeCom intercepts it).
};

/// "warn" or "block".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(WordSeverity severity) noexcept;

/// One rule of a word list: words, a severity and a scope. Matching ignores the case of
/// ASCII letters ("VX" is "vx"). Thread-safety: a plain value.
struct WordRule {
  std::string name;                            ///< Unique within the list ("poaching").
  std::vector<std::string> words;              ///< The words, UTF-8, none empty.
  WordSeverity severity = WordSeverity::warn;  ///< What a hit asks for.
  /// Staff of these stores (`Staff::store`); with `groups`, empty means all staff.
  std::vector<std::string> stores;
  /// Messages in these customer groups (a group message names its group key in `ref`).
  std::vector<std::string> groups;

  /// True when the rule applies to every message.
  [[nodiscard]] bool everywhere() const noexcept { return stores.empty() && groups.empty(); }
  /// Rules compare field by field.
  friend bool operator==(const WordRule&, const WordRule&) = default;
};

/// A word list file kept in git (docs/alerts.md). Thread-safety: a plain value.
struct WordList {
  std::vector<WordRule> rules;  ///< In file order.
  /// Words over all rules.
  [[nodiscard]] SIYU_EXPORT std::size_t word_count() const noexcept;
};

/// Reads a word list from JSON text; `source` names it in errors. Throws `ParseError` or
/// `ConfigError` naming the source, line and field (`rules[1].words[3]`) for bad JSON,
/// unknown fields, a duplicate rule name, an empty word, a word with control characters
/// or invalid UTF-8, or an unknown severity.
[[nodiscard]] SIYU_EXPORT WordList parse_word_list(std::string_view json,
                                                   const std::string& source);
/// Reads the word list file at `path`; throws as `parse_word_list`, or `Error` (io).
[[nodiscard]] SIYU_EXPORT WordList read_word_list(const std::string& path);

/// WeCom's limits on intercept rules (敏感词拦截): words per rule.
inline constexpr std::size_t wecom_words_per_rule = 300;
/// WeCom's limits on intercept rules: rules per corp.
inline constexpr std::size_t wecom_intercept_rules = 100;

/// What keeps `list` from being mirrored to WeCom as intercept rules, one sentence per
/// breach naming the rule and the count (more than 300 words in a rule, more than 100
/// rules); empty when it fits.
[[nodiscard]] SIYU_EXPORT std::vector<std::string> wecom_limit_breaches(const WordList& list);

/// Which implementation a `WordMatcher` runs.
enum class MatcherEngine : std::uint8_t {
  hyperscan,  ///< Intel Hyperscan: when siyu was built with it and the CPU runs it.
  portable,   ///< siyu's own hashed-prefix matcher: any platform.
};

/// "hyperscan" or "portable".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(MatcherEngine engine) noexcept;

/// One occurrence of a word in a text.
struct WordMatch {
  std::uint32_t word = 0;  ///< Index into the matcher's words.
  std::size_t offset = 0;  ///< Byte offset of the occurrence's first byte.

  /// Matches compare field by field.
  friend bool operator==(const WordMatch&, const WordMatch&) = default;
};

/// One occurrence of a word in one text of a batch.
struct TextMatch {
  std::uint32_t text = 0;  ///< Index of the text in the batch.
  std::uint32_t word = 0;  ///< Index into the matcher's words.
  std::size_t offset = 0;  ///< Byte offset of the occurrence's first byte in that text.

  /// Matches compare field by field.
  friend bool operator==(const TextMatch&, const TextMatch&) = default;
};

/// Finds every occurrence of many words in texts, ignoring the case of ASCII letters:
/// overlapping occurrences and words inside other words all count. Both engines give the
/// same matches. Thread-safety: `scan` keeps working memory in the matcher, so one thread
/// scans at a time; copy the matcher for another thread.
class SIYU_EXPORT WordMatcher {
 public:
  /// Compiles `words` (UTF-8, none empty) with `engine`, by default Hyperscan when
  /// available and the portable matcher otherwise. Throws `ValidationError` for an empty
  /// word and `Error` when Hyperscan is asked for but unavailable or refuses the words.
  explicit WordMatcher(std::vector<std::string> words,
                       std::optional<MatcherEngine> engine = std::nullopt);
  /// Copies the compiled words; the copy has its own working memory.
  WordMatcher(const WordMatcher& other);
  /// Copies the compiled words; the copy has its own working memory.
  WordMatcher& operator=(const WordMatcher& other);
  /// Moves.
  WordMatcher(WordMatcher&&) noexcept;
  /// Moves.
  WordMatcher& operator=(WordMatcher&&) noexcept;
  ~WordMatcher();

  /// Appends the occurrences in `text` to `matches`, by offset, then word index.
  void scan(std::string_view text, std::vector<WordMatch>& matches) const;
  /// Appends the occurrences in each of `texts` to `matches`, by text, offset, then word:
  /// what scanning each text alone finds, in one pass over all of them, which for short
  /// messages is several times faster.
  void scan(std::span<const std::string_view> texts, std::vector<TextMatch>& matches) const;
  /// The engine in use.
  [[nodiscard]] MatcherEngine engine() const noexcept;
  /// The words, as given.
  [[nodiscard]] const std::vector<std::string>& words() const noexcept;

  /// True when siyu was built with Hyperscan and this CPU can run it.
  [[nodiscard]] static bool hyperscan_available() noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace siyu

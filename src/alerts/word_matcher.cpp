#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>

#include "core/text.hpp"
#include "siyu/alerts/sensitive_words.hpp"
#include "siyu/core/error.hpp"

#if SIYU_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

namespace siyu {

namespace {

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, 8);
  return v;
}

// The portable matcher: Rabin-Karp over fixed-length prefixes. Every word is filed under its
// first k = min(length, 8) bytes: eight bytes span two Chinese characters and more, where
// four would leave one character and a lead byte, which nearly every position of Chinese
// text matches once the list has a few thousand words. Per prefix length in use, a bitmap
// of hashed prefixes (about 1 bit in 256 set) screens each text position with one multiply
// and one bit test; only positions that pass look the prefix up and compare whole words.
// The text is scanned once for the whole list, where a loop of `find` scans it once per word.
class PortableMatcher {
 public:
  explicit PortableMatcher(const std::vector<std::string>& words) {
    std::array<std::size_t, 9> per_length{};
    for (const std::string& word : words) {
      detail::append_ascii_lower(words_.emplace_back(), word);
      ++per_length[std::min<std::size_t>(word.size(), 8)];
      lead_bytes_only_ = lead_bytes_only_ && (static_cast<unsigned char>(word[0]) & 0xC0U) != 0x80U;
    }
    for (std::size_t k = 1; k <= 8; ++k) {
      if (per_length[k] == 0) continue;
      Screen screen{.k = k, .mask = k == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1};
      while (screen.bits < 20 && (std::size_t{1} << screen.bits) < per_length[k] * 64) {
        ++screen.bits;
      }
      screen.words.assign(std::size_t{1} << (screen.bits - 6), 0);
      screens_.push_back(std::move(screen));
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    std::string padded;
    for (std::uint32_t w = 0; w < words_.size(); ++w) {
      padded.assign(words_[w]).resize(words_[w].size() + 8, '\0');
      const std::size_t k = std::min<std::size_t>(words_[w].size(), 8);
      Screen& screen = *std::find_if(screens_.begin(), screens_.end(),
                                     [k](const Screen& sc) { return sc.k == k; });
      const std::uint64_t prefix = load8(padded.data()) & screen.mask;
      entries.emplace_back(key(k, prefix), w);
      const std::uint64_t bit = screen.slot(prefix);
      screen.words[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [k, w] : entries) order_.push_back(w);
    std::size_t capacity = 16;
    while (capacity < entries.size() * 2) capacity *= 2;
    table_.assign(capacity, Slot{});
    for (std::size_t i = 0; i < entries.size();) {
      std::size_t j = i;
      while (j < entries.size() && entries[j].first == entries[i].first) ++j;
      std::size_t slot = mix(entries[i].first) & (capacity - 1);
      while (table_[slot].end != 0) slot = (slot + 1) & (capacity - 1);
      table_[slot] =
          Slot{entries[i].first, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)};
      i = j;
    }
  }

  // `padded` is the lower-cased text followed by at least 8 zero bytes; `n` its length.
  void scan(const char* padded, std::size_t n, std::vector<WordMatch>& out) const {
    // The screens' fields in locals: the loop's stores to `out` could alias them otherwise.
    struct Hot {
      std::uint64_t mask;
      unsigned shift;
      const std::uint64_t* bits;
    };
    std::array<Hot, 8> hot{};
    const std::size_t count = screens_.size();
    for (std::size_t c = 0; c < count; ++c) {
      hot[c] = {screens_[c].mask, 64 - screens_[c].bits, screens_[c].words.data()};
    }
    // A word that starts with a character starts only where a character does: in Chinese
    // text one byte in three. Eight bytes at a time, the bytes that are not UTF-8
    // continuation bytes (10xxxxxx) get their top bit set in `lead`.
    constexpr std::uint64_t high = 0x8080'8080'8080'8080ULL;
    constexpr std::uint64_t low = 0x7F7F'7F7F'7F7F'7F7FULL;
    const bool every_byte = !lead_bytes_only_ || std::endian::native != std::endian::little;
    for (std::size_t base = 0; base < n; base += 8) {
      const std::uint64_t t = (load8(padded + base) & 0xC0C0'C0C0'C0C0'C0C0ULL) ^ high;
      std::uint64_t lead = every_byte ? high : (((t & low) + low) | t) & high;
      for (; lead != 0; lead &= lead - 1) {
        const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(lead) >> 3);
        if (i >= n) break;
        const std::uint64_t window = load8(padded + i);
        for (std::size_t c = 0; c < count; ++c) {
          const std::uint64_t prefix = window & hot[c].mask;
          const std::uint64_t bit = (prefix * hash_multiplier) >> hot[c].shift;
          if ((hot[c].bits[bit >> 6] >> (bit & 63) & 1U) == 0) [[likely]]
            continue;
          confirm(padded, n, i, key(screens_[c].k, prefix), out);
        }
      }
    }
  }

 private:
  static constexpr std::uint64_t hash_multiplier = 0x9E37'79B9'7F4A'7C15ULL;
  struct Screen {
    std::size_t k = 0;
    std::uint64_t mask = 0;
    unsigned bits = 12;
    std::vector<std::uint64_t> words;
    [[nodiscard]] std::uint64_t slot(std::uint64_t prefix) const noexcept {
      return (prefix * hash_multiplier) >> (64 - bits);
    }
  };
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  // 0: empty (a filled slot holds at least one word)
  };

  // Prefixes of different lengths differ even when their bytes agree.
  static std::uint64_t key(std::size_t k, std::uint64_t prefix) noexcept { return mix(prefix) ^ k; }
  static std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 31;
    x *= 0xBF58'476D'1CE4'E5B9ULL;
    return x ^ (x >> 29);
  }

  void confirm(const char* text, std::size_t n, std::size_t at, std::uint64_t k,
               std::vector<WordMatch>& out) const {
    const std::size_t mask = table_.size() - 1;
    for (std::size_t s = mix(k) & mask; table_[s].end != 0; s = (s + 1) & mask) {
      if (table_[s].key != k) continue;
      for (std::uint32_t e = table_[s].begin; e < table_[s].end; ++e) {
        const std::string& word = words_[order_[e]];
        if (word.size() <= n - at && std::memcmp(text + at, word.data(), word.size()) == 0) {
          out.push_back({order_[e], at});
        }
      }
      return;
    }
  }

  std::vector<std::string> words_;    // lower-cased
  std::vector<Screen> screens_;       // one per prefix length in use
  bool lead_bytes_only_ = true;       // no word starts with a UTF-8 continuation byte
  std::vector<std::uint32_t> order_;  // word indices by prefix key
  std::vector<Slot> table_;           // prefix key -> range of order_
};

#if SIYU_HAVE_HYPERSCAN
struct DatabaseDeleter {
  void operator()(hs_database_t* db) const noexcept { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const noexcept { hs_free_scratch(s); }
};
using Database = std::shared_ptr<hs_database_t>;
using Scratch = std::unique_ptr<hs_scratch_t, ScratchDeleter>;

Database compile_hyperscan(const std::vector<std::string>& words) {
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> flags(words.size(), HS_FLAG_CASELESS);
  std::vector<unsigned> ids;
  for (std::size_t w = 0; w < words.size(); ++w) {
    expressions.push_back(words[w].data());
    lengths.push_back(words[w].size());
    ids.push_back(static_cast<unsigned>(w));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* failure = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(words.size()), HS_MODE_BLOCK, nullptr, &db,
                           &failure) != HS_SUCCESS) {
    const std::string message =
        failure != nullptr && failure->message != nullptr ? failure->message : "unknown failure";
    hs_free_compile_error(failure);
    throw Error(ErrorCode::invalid_value, "Hyperscan refused the word list: " + message);
  }
  return Database(db, DatabaseDeleter{});
}

Scratch scratch_for(hs_database_t* db) {
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    throw Error(ErrorCode::io, "Hyperscan could not allocate its scratch space");
  }
  return Scratch(scratch);
}
#endif

}  // namespace

class WordMatcher::Impl {
 public:
  Impl(std::vector<std::string> words, MatcherEngine engine)
      : words_(std::move(words)), engine_(engine) {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      if (words_[w].empty()) {
        throw ValidationError(ErrorCode::missing_field, "word " + std::to_string(w) + " is empty",
                              Where{.field = "words"});
      }
    }
    if (engine_ == MatcherEngine::portable) {
      portable_ = std::make_shared<const PortableMatcher>(words_);
      return;
    }
    if (!hyperscan_available()) {
      throw Error(ErrorCode::invalid_value,
                  "Hyperscan is not available in this build or on this CPU");
    }
#if SIYU_HAVE_HYPERSCAN
    if (!words_.empty()) {
      database_ = compile_hyperscan(words_);
      scratch_ = scratch_for(database_.get());
    }
#endif
  }

  // The compiled words are immutable and shared; working memory is the copy's own.
  Impl(const Impl& other)
      : words_(other.words_), engine_(other.engine_), portable_(other.portable_) {
#if SIYU_HAVE_HYPERSCAN
    database_ = other.database_;
    if (database_) scratch_ = scratch_for(database_.get());
#endif
  }

  void scan(std::string_view text, std::vector<WordMatch>& out) const {
    const std::size_t first = out.size();
    if (engine_ == MatcherEngine::portable) {
      buffer_.clear();
      detail::append_ascii_lower(buffer_, text);
      buffer_.append(8, '\0');
      portable_->scan(buffer_.data(), text.size(), out);
    } else {
      scan_hyperscan(text, out);
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const WordMatch& a, const WordMatch& b) {
                return a.offset != b.offset ? a.offset < b.offset : a.word < b.word;
              });
  }

  // The texts back to back with a line break between, scanned once: a scan has a fixed cost
  // that short messages would otherwise pay one by one. Matches across a break are dropped.
  void scan(std::span<const std::string_view> texts, std::vector<TextMatch>& out) const {
    const std::size_t first = out.size();
    buffer_.clear();
    starts_.clear();
    for (const std::string_view text : texts) {
      starts_.push_back(buffer_.size());
      if (engine_ == MatcherEngine::portable) {
        detail::append_ascii_lower(buffer_, text);
      } else {
        buffer_.append(text);
      }
      buffer_.push_back('\n');
    }
    const std::size_t n = buffer_.size();
    found_.clear();
    if (engine_ == MatcherEngine::portable) {
      buffer_.append(8, '\0');
      portable_->scan(buffer_.data(), n, found_);
    } else {
      scan_hyperscan(std::string_view(buffer_.data(), n), found_);
    }
    for (const WordMatch& m : found_) {
      const auto after = std::upper_bound(starts_.begin(), starts_.end(), m.offset);
      const auto index = static_cast<std::size_t>(after - starts_.begin()) - 1;
      const std::size_t offset = m.offset - starts_[index];
      if (offset + words_[m.word].size() > texts[index].size()) continue;
      out.push_back({static_cast<std::uint32_t>(index), m.word, offset});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const TextMatch& a, const TextMatch& b) {
                if (a.text != b.text) return a.text < b.text;
                return a.offset != b.offset ? a.offset < b.offset : a.word < b.word;
              });
  }

  [[nodiscard]] MatcherEngine engine() const noexcept { return engine_; }
  [[nodiscard]] const std::vector<std::string>& words() const noexcept { return words_; }

 private:
  void scan_hyperscan([[maybe_unused]] std::string_view text,
                      [[maybe_unused]] std::vector<WordMatch>& out) const {
#if SIYU_HAVE_HYPERSCAN
    if (!database_ || text.empty()) return;
    if (text.size() > std::numeric_limits<unsigned>::max()) {
      throw Error(ErrorCode::out_of_range, "a text over 4 GiB cannot be scanned at once");
    }
    struct Context {
      const std::vector<std::string>* words;
      std::vector<WordMatch>* out;
    } context{&words_, &out};
    const auto on_match = [](unsigned id, unsigned long long /*from*/, unsigned long long to,
                             unsigned /*flags*/, void* c) -> int {
      auto* ctx = static_cast<Context*>(c);
      ctx->out->push_back({id, static_cast<std::size_t>(to) - (*ctx->words)[id].size()});
      return 0;
    };
    if (hs_scan(database_.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch_.get(),
                on_match, &context) != HS_SUCCESS) {
      throw Error(ErrorCode::io, "Hyperscan failed to scan a text");
    }
#endif
  }

  std::vector<std::string> words_;
  MatcherEngine engine_;
  std::shared_ptr<const PortableMatcher> portable_;
  // Working memory: the text(s) to scan (lower-cased for the portable matcher), where each
  // text of a batch starts, and the matches before they are mapped to texts.
  mutable std::string buffer_;
  mutable std::vector<std::size_t> starts_;
  mutable std::vector<WordMatch> found_;
#if SIYU_HAVE_HYPERSCAN
  Database database_;
  mutable Scratch scratch_;  // Hyperscan's working memory for one scan at a time
#endif
};

std::string_view to_string(MatcherEngine engine) noexcept {
  return engine == MatcherEngine::hyperscan ? "hyperscan" : "portable";
}

bool WordMatcher::hyperscan_available() noexcept {
#if SIYU_HAVE_HYPERSCAN
  return hs_valid_platform() == HS_SUCCESS;
#else
  return false;
#endif
}

WordMatcher::WordMatcher(std::vector<std::string> words, std::optional<MatcherEngine> engine)
    : impl_(std::make_unique<Impl>(
          std::move(words), engine.value_or(hyperscan_available() ? MatcherEngine::hyperscan
                                                                  : MatcherEngine::portable))) {}

WordMatcher::WordMatcher(const WordMatcher& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}

WordMatcher& WordMatcher::operator=(const WordMatcher& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}

WordMatcher::WordMatcher(WordMatcher&&) noexcept = default;
WordMatcher& WordMatcher::operator=(WordMatcher&&) noexcept = default;
WordMatcher::~WordMatcher() = default;

void WordMatcher::scan(std::string_view text, std::vector<WordMatch>& matches) const {
  impl_->scan(text, matches);
}

void WordMatcher::scan(std::span<const std::string_view> texts,
                       std::vector<TextMatch>& matches) const {
  impl_->scan(texts, matches);
}

MatcherEngine WordMatcher::engine() const noexcept { return impl_->engine(); }

const std::vector<std::string>& WordMatcher::words() const noexcept { return impl_->words(); }

}  // namespace siyu

#include "siyu/segments/audience.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "core/text.hpp"
#include "model/event_matcher.hpp"
#include "profile/feature_reader.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/money.hpp"
#include "siyu/metrics/rfm.hpp"
#include "siyu/model/event_condition.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/tiers/tier_engine.hpp"

namespace siyu {

namespace detail {

enum class Comparison : std::uint8_t { eq, ne, ge, gt, le, lt };

/// One node of a parsed audience; children come before their parent, the root is last.
struct AudienceNode {
  enum class Kind : std::uint8_t {
    all_of,    // every child holds
    any_of,    // some child holds
    negation,  // the one child does not hold
    tag,       // carries names[0]
    layer,     // in one of names
    level,     // `op value` in ladder order (names[0]), or in one of names (`in`)
    rfm,       // in one of names
    owner,     // owned by one of names (staff keys)
    channel,   // acquired through one of names (channel keys)
    feature,   // feature op value
    count,     // events matching condition within window, op value
  };
  Kind kind = Kind::all_of;
  std::size_t column = 0;  // where the predicate starts, for errors when binding
  std::vector<std::uint32_t> children;
  std::vector<std::string> names;
  bool in_set = false;  // `level in (...)` rather than a comparison
  Comparison op = Comparison::eq;
  std::int64_t value = 0;
  Feature feature = Feature::spend;
  EventCondition condition;
  Duration window;
};

}  // namespace detail

namespace {

using detail::AudienceNode;
using detail::Comparison;
using Kind = AudienceNode::Kind;

bool compare(std::int64_t a, Comparison op, std::int64_t b) noexcept {
  switch (op) {
    case Comparison::eq: return a == b;
    case Comparison::ne: return a != b;
    case Comparison::ge: return a >= b;
    case Comparison::gt: return a > b;
    case Comparison::le: return a <= b;
    case Comparison::lt: return a < b;
  }
  return false;
}

bool word_byte(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.';
}

bool same_word(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? static_cast<char>(x - 'A' + 'a') : x) == y;
         });
}

// Recursive descent over the text (grammar in docs/segments.md):
//   expr := term ("or" term)*     term := factor ("and" factor)*
//   factor := "not" factor | "(" expr ")" | predicate
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::vector<AudienceNode> parse() {
    const std::uint32_t root = expression();
    skip_space();
    if (pos_ < text_.size()) fail("expected \"and\", \"or\" or the end");
    // Every production returns the node it added last, so the root is the last node.
    (void)root;
    return std::move(nodes_);
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { fail_at(pos_, message); }
  [[noreturn]] void fail_at(std::size_t at, const std::string& message) const {
    throw ParseError(ErrorCode::bad_syntax, "column " + std::to_string(column(at)) + ": " + message,
                     Where{.field = "audience"});
  }
  // 1-based, in characters rather than bytes.
  [[nodiscard]] std::size_t column(std::size_t at) const {
    std::size_t characters = 1;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++characters;
    }
    return characters;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  [[nodiscard]] std::string_view peek_word() {
    skip_space();
    std::size_t end = pos_;
    while (end < text_.size() && word_byte(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  bool keyword(std::string_view word) {
    const std::string_view next = peek_word();
    if (!same_word(next, word)) return false;
    pos_ += next.size();
    return true;
  }
  bool symbol(std::string_view s) {
    skip_space();
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  void expect(std::string_view s) {
    if (!symbol(s)) fail("expected \"" + std::string(s) + "\"");
  }
  // A bare word or a double-quoted string ("" inside stands for one quote).
  std::string value(std::string_view what) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string out;
      for (std::size_t i = pos_ + 1; i < text_.size(); ++i) {
        if (text_[i] != '"') {
          out += text_[i];
        } else if (i + 1 < text_.size() && text_[i + 1] == '"') {
          out += '"';
          ++i;
        } else {
          pos_ = i + 1;
          return out;
        }
      }
      fail("unclosed quote");
    }
    const std::string_view word = peek_word();
    if (word.empty()) fail("expected " + std::string(what));
    pos_ += word.size();
    return std::string(word);
  }
  Comparison comparison() {
    skip_space();
    static constexpr std::array<std::pair<std::string_view, Comparison>, 6> ops = {{
        {"!=", Comparison::ne},
        {">=", Comparison::ge},
        {"<=", Comparison::le},
        {"=", Comparison::eq},
        {">", Comparison::gt},
        {"<", Comparison::lt},
    }};
    for (const auto& [text, op] : ops) {
      if (symbol(text)) return op;
    }
    fail("expected a comparison: =, !=, >=, >, <= or <");
  }
  std::int64_t integer() {
    skip_space();
    const std::size_t start = pos_;
    std::string word(peek_word());
    if (word.empty() && symbol("-")) word = "-" + std::string(peek_word());
    pos_ = start + word.size();
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
    if (word.empty() || ec != std::errc() || end != word.data() + word.size()) {
      fail_at(start, "expected a whole number");
    }
    return out;
  }

  std::uint32_t add(AudienceNode node) {
    nodes_.push_back(std::move(node));
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  std::uint32_t join(Kind kind, std::vector<std::uint32_t> children) {
    if (children.size() == 1) return children.front();
    return add(AudienceNode{.kind = kind, .children = std::move(children)});
  }

  std::uint32_t expression() {
    std::vector<std::uint32_t> terms{term()};
    while (keyword("or")) terms.push_back(term());
    return join(Kind::any_of, std::move(terms));
  }
  std::uint32_t term() {
    std::vector<std::uint32_t> factors{factor()};
    while (keyword("and")) factors.push_back(factor());
    return join(Kind::all_of, std::move(factors));
  }
  std::uint32_t factor() {
    if (keyword("not")) return add(AudienceNode{.kind = Kind::negation, .children = {factor()}});
    if (symbol("(")) {
      const std::uint32_t inner = expression();
      expect(")");
      return inner;
    }
    return predicate();
  }

  // `= v`, `!= v` or `in (v, ...)` after a set predicate's name.
  std::uint32_t set_predicate(AudienceNode node, std::string_view what) {
    if (keyword("in")) {
      expect("(");
      do node.names.push_back(value(what));
      while (symbol(","));
      expect(")");
      return add(std::move(node));
    }
    const Comparison op = comparison();
    if (op != Comparison::eq && op != Comparison::ne) {
      fail("expected =, != or in: " + std::string(what) + " has no order");
    }
    node.names.push_back(value(what));
    const std::uint32_t index = add(std::move(node));
    if (op == Comparison::eq) return index;
    return add(AudienceNode{.kind = Kind::negation, .children = {index}});
  }

  std::uint32_t predicate() {
    skip_space();
    const std::size_t start = pos_;
    const std::string word(peek_word());
    if (word.empty()) fail("expected a predicate, \"not\" or \"(\"");
    pos_ += word.size();
    AudienceNode node{.column = column(start)};
    if (same_word(word, "tag")) {
      node.kind = Kind::tag;
      expect("(");
      node.names.push_back(value("a tag key"));
      expect(")");
      return add(std::move(node));
    }
    if (same_word(word, "layer")) {
      node.kind = Kind::layer;
      const std::uint32_t index = set_predicate(std::move(node), "a layer");
      check_names(index, {"core", "influence", "periphery"}, "layer", start);
      return index;
    }
    if (same_word(word, "rfm")) {
      node.kind = Kind::rfm;
      std::vector<std::string_view> segments;
      for (std::size_t s = 0; s < rfm_segment_count; ++s) {
        segments.push_back(to_string(static_cast<RfmSegment>(s)));
      }
      const std::uint32_t index = set_predicate(std::move(node), "an RFM segment");
      check_names(index, segments, "RFM segment", start);
      return index;
    }
    if (same_word(word, "owner") || same_word(word, "channel")) {
      node.kind = same_word(word, "owner") ? Kind::owner : Kind::channel;
      return set_predicate(std::move(node),
                           same_word(word, "owner") ? "a staff key" : "a channel key");
    }
    if (same_word(word, "level")) {
      node.kind = Kind::level;
      if (keyword("in")) {
        node.in_set = true;
        expect("(");
        do node.names.push_back(value("a level key"));
        while (symbol(","));
        expect(")");
      } else {
        node.op = comparison();
        node.names.push_back(value("a level key"));
      }
      return add(std::move(node));
    }
    if (same_word(word, "count")) return count(std::move(node));
    const std::optional<Feature> feature = find_feature(word);
    if (!feature) {
      fail_at(start, "unknown predicate " + detail::quoted(word) +
                         ": expected tag(...), layer, level, rfm, owner, channel, count(...) "
                         "or a profile feature (docs/profile.md)");
    }
    node.kind = Kind::feature;
    node.feature = *feature;
    node.op = comparison();
    if (is_money(*feature)) {
      skip_space();
      const std::size_t at = pos_;
      std::string amount = symbol("-") ? "-" : "";
      amount += peek_word();
      pos_ = at + amount.size();
      try {
        node.value = parse_money(amount).fen;
      } catch (const Error& e) {
        fail_at(at, "expected an amount in yuan: " + e.message());
      }
    } else {
      node.value = integer();
    }
    return add(std::move(node));
  }

  // count(condition, window) op n: the condition runs to the comma outside brackets and
  // quotes.
  std::uint32_t count(AudienceNode node) {
    node.kind = Kind::count;
    expect("(");
    skip_space();
    const std::size_t start = pos_;
    int depth = 0;
    bool quoted = false;
    std::size_t end = start;
    for (; end < text_.size(); ++end) {
      const char c = text_[end];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '[') ++depth;
      if (c == ']') --depth;
      if (depth == 0 && (c == ',' || c == ')')) break;
    }
    if (end >= text_.size() || text_[end] != ',') {
      pos_ = end;
      fail("expected \",\" and a window after the event condition");
    }
    std::string_view condition = text_.substr(start, end - start);
    while (!condition.empty() && condition.back() == ' ') condition.remove_suffix(1);
    try {
      node.condition = parse_event_condition(condition);
    } catch (const Error& e) {
      fail_at(start, "bad event condition: " + e.message());
    }
    pos_ = end + 1;
    skip_space();
    const std::size_t window_at = pos_;
    const std::string window(peek_word());
    pos_ += window.size();
    try {
      node.window = parse_duration(window);
    } catch (const Error& e) {
      fail_at(window_at, "bad window: " + e.message());
    }
    if (node.window.micros <= 0) fail_at(window_at, "the window must be positive");
    expect(")");
    node.op = comparison();
    node.value = integer();
    return add(std::move(node));
  }

  void check_names(std::uint32_t index, const std::vector<std::string_view>& allowed,
                   std::string_view what, std::size_t at) const {
    // `!=` wraps the set in a negation.
    const AudienceNode& node =
        nodes_[index].kind == Kind::negation ? nodes_[nodes_[index].children[0]] : nodes_[index];
    for (const std::string& name : node.names) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string list;
        for (const std::string_view a : allowed)
          list += (list.empty() ? "" : ", ") + std::string(a);
        fail_at(at, "unknown " + std::string(what) + " " + detail::quoted(name) +
                        ": expected one of " + list);
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<AudienceNode> nodes_;
};

}  // namespace

Audience Audience::parse(std::string_view text) {
  Audience audience;
  audience.text_ = std::string(text);
  audience.nodes_ = std::make_shared<const std::vector<AudienceNode>>(Parser(text).parse());
  return audience;
}

namespace {

bool reads(const std::vector<AudienceNode>& nodes, std::initializer_list<Kind> kinds) {
  return std::any_of(nodes.begin(), nodes.end(), [&](const AudienceNode& n) {
    return std::find(kinds.begin(), kinds.end(), n.kind) != kinds.end();
  });
}

}  // namespace

bool Audience::needs_tiers() const noexcept {
  return nodes_ && reads(*nodes_, {Kind::layer, Kind::level});
}

bool Audience::needs_rfm() const noexcept { return nodes_ && reads(*nodes_, {Kind::rfm}); }

// A node with its names resolved to ids of the pool.
struct AudienceMatcher::State {
  struct Bound {
    Kind kind;
    Comparison op;
    bool in_set;
    std::int64_t value;
    std::vector<std::uint32_t> children;
    std::vector<std::uint32_t> ids;  // tag, staff, channel ids; layers, levels, RFM segments
    std::optional<detail::FeatureReader> reader;
    std::vector<std::uint32_t> counts;  // by customer, for a count node
  };

  const Profiles& profiles;
  const TierEngine* tiers;
  std::vector<Bound> nodes;
  std::vector<std::uint8_t> rfm_of;  // by customer; no_segment for a non-buyer
  static constexpr std::uint8_t no_segment = 0xFF;

  [[nodiscard]] bool present(std::uint32_t c) const {
    return c < profiles.size() && profiles.is_person(CustomerId{c}) &&
           profiles.all()[c].first_seen.has_value();
  }

  // Evaluates node `n` for customers [begin, begin + count) into its row of `results`
  // (one row of `stride` bytes per node, 1 where it holds), children first. A block of
  // customers at a time keeps each node's loop tight and the block's profiles in cache.
  void evaluate(std::uint32_t n, std::uint32_t begin, std::uint32_t count, std::uint8_t* results,
                std::uint32_t stride) const {
    const Bound& node = nodes[n];
    std::uint8_t* out = results + std::size_t{n} * stride;
    const Profile* profile = profiles.all().data() + begin;
    const auto each = [&](auto&& holds) {
      for (std::uint32_t i = 0; i < count; ++i) out[i] = holds(begin + i, profile[i]) ? 1 : 0;
    };
    const auto in = [&](std::uint32_t id) {
      return std::find(node.ids.begin(), node.ids.end(), id) != node.ids.end();
    };
    switch (node.kind) {
      case Kind::all_of:
      case Kind::any_of:
      case Kind::negation: {
        for (const std::uint32_t child : node.children)
          evaluate(child, begin, count, results, stride);
        const std::uint8_t* first = results + std::size_t{node.children[0]} * stride;
        if (node.kind == Kind::negation) {
          for (std::uint32_t i = 0; i < count; ++i) out[i] = first[i] ^ 1U;
          return;
        }
        std::copy(first, first + count, out);
        for (std::size_t k = 1; k < node.children.size(); ++k) {
          const std::uint8_t* row = results + std::size_t{node.children[k]} * stride;
          if (node.kind == Kind::all_of) {
            for (std::uint32_t i = 0; i < count; ++i) out[i] &= row[i];
          } else {
            for (std::uint32_t i = 0; i < count; ++i) out[i] |= row[i];
          }
        }
        return;
      }
      case Kind::tag: {
        const TagId tag{node.ids[0]};
        return each([&](std::uint32_t c, const Profile&) {
          const auto tags = profiles.tags(CustomerId{c});
          return std::binary_search(tags.begin(), tags.end(), tag);
        });
      }
      case Kind::layer:
        return each([&](std::uint32_t c, const Profile&) {
          return in(static_cast<std::uint32_t>(tiers->layer(CustomerId{c})));
        });
      case Kind::level:
        return each([&](std::uint32_t c, const Profile&) {
          const std::optional<std::uint32_t> level = tiers->level(CustomerId{c});
          if (node.in_set) return level && in(*level);
          // No level sits below the first.
          return compare(level ? static_cast<std::int64_t>(*level) : -1, node.op, node.value);
        });
      case Kind::rfm:
        return each([&](std::uint32_t c, const Profile&) {
          return rfm_of[c] != no_segment && in(rfm_of[c]);
        });
      case Kind::owner:
        return each([&](std::uint32_t, const Profile& p) {
          return p.owner.has_value() && in(p.owner.value);
        });
      case Kind::channel:
        return each([&](std::uint32_t, const Profile& p) {
          return p.channel.has_value() && in(p.channel.value);
        });
      case Kind::feature:
        return each([&](std::uint32_t, const Profile& p) {
          const std::optional<std::int64_t> value = (*node.reader)(p);
          return value && compare(*value, node.op, node.value);
        });
      case Kind::count:
        return each([&](std::uint32_t c, const Profile&) {
          return compare(node.counts[c], node.op, node.value);
        });
    }
  }
};

namespace {

template <class Directory>
std::uint32_t resolve(const Directory& directory, const std::string& key, std::string_view what,
                      const AudienceNode& node) {
  const auto id = directory.find(key);
  if (!id) {
    throw NotFound("column " + std::to_string(node.column) + ": no " + std::string(what) +
                       " has the key " + detail::quoted(key),
                   Where{.field = "audience"});
  }
  return id->value;
}

ConfigError missing_input(std::string_view what) {
  return ConfigError(ErrorCode::missing_field,
                     "the audience reads " + std::string(what) + " but none were given",
                     Where{.field = "audience"});
}

// Counts, for each count node, each person's events that match in its window ending at the
// profiles' clock: one pass over the log.
std::vector<std::vector<std::uint32_t>> count_events(const Pool& pool, const Profiles& profiles,
                                                     const std::vector<AudienceNode>& nodes) {
  struct Counter {
    detail::EventMatcher matcher;
    std::int64_t after;
    std::vector<std::uint32_t>* counts;
  };
  std::vector<std::vector<std::uint32_t>> counts(nodes.size());
  std::vector<Counter> counters;
  const std::int64_t at = profiles.at().micros;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].kind != Kind::count) continue;
    try {
      counters.push_back(Counter{detail::EventMatcher(pool, nodes[n].condition),
                                 at - nodes[n].window.micros, &counts[n]});
    } catch (Error& e) {
      throw NotFound("column " + std::to_string(nodes[n].column) + ": " + e.message(),
                     Where{.field = "audience"});
    }
    counts[n].assign(profiles.size(), 0);
  }
  if (counters.empty()) return counts;
  const EventLog& log = pool.events();
  const auto ts = log.ts();
  const std::size_t customers = std::min<std::size_t>(log.customer_count(), profiles.size());
  for (std::uint32_t c = 0; c < customers; ++c) {
    const CustomerId id{c};
    const std::uint32_t person = pool.person(id).value;
    const Customer& record = pool.customers()[id];
    const EventLog::Range range = log.range(id);
    for (std::size_t p = range.begin; p < range.end && ts[p] <= at; ++p) {
      for (Counter& counter : counters) {
        if (ts[p] > counter.after && counter.matcher.matches(log, p) &&
            counter.matcher.customer_matches(record)) {
          ++(*counter.counts)[person];
        }
      }
    }
  }
  return counts;
}

}  // namespace

AudienceMatcher::AudienceMatcher(const Audience& audience, const AudienceInputs& inputs)
    : state_(std::make_unique<State>(State{.profiles = inputs.profiles, .tiers = inputs.tiers})) {
  const std::vector<AudienceNode>& nodes = *audience.nodes_;
  if (audience.needs_tiers() && inputs.tiers == nullptr) throw missing_input("layers or levels");
  if (audience.needs_rfm() && inputs.rfm == nullptr) throw missing_input("RFM segments");
  const Pool& pool = inputs.pool;
  State& state = *state_;
  state.nodes.resize(nodes.size());
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const AudienceNode& node = nodes[n];
    State::Bound& b = state.nodes[n];
    b = State::Bound{.kind = node.kind,
                     .op = node.op,
                     .in_set = node.in_set,
                     .value = node.value,
                     .children = node.children};
    switch (node.kind) {
      case Kind::tag: b.ids.push_back(resolve(pool.tags(), node.names[0], "tag", node)); break;
      case Kind::owner:
        for (const std::string& key : node.names)
          b.ids.push_back(resolve(pool.staff(), key, "staff member", node));
        break;
      case Kind::channel:
        for (const std::string& key : node.names)
          b.ids.push_back(resolve(pool.channels(), key, "channel", node));
        break;
      case Kind::layer:
        for (const std::string& name : node.names) {
          if (const auto layer = find_layer(name))
            b.ids.push_back(static_cast<std::uint32_t>(*layer));
        }
        break;
      case Kind::rfm:
        for (const std::string& name : node.names) {
          for (std::uint32_t s = 0; s < rfm_segment_count; ++s) {
            if (to_string(static_cast<RfmSegment>(s)) == name) b.ids.push_back(s);
          }
        }
        break;
      case Kind::level: {
        const auto& ladder = inputs.tiers->policy().ladder;
        for (const std::string& name : node.names) {
          std::optional<std::uint32_t> index;
          for (std::uint32_t l = 0; ladder && l < ladder->levels.size(); ++l) {
            if (ladder->levels[l].key == name) index = l;
          }
          if (!index) {
            throw NotFound("column " + std::to_string(node.column) +
                               ": the tier policy's ladder has no level " + detail::quoted(name),
                           Where{.field = "audience"});
          }
          b.ids.push_back(*index);
        }
        if (!node.in_set) b.value = b.ids[0];
        break;
      }
      case Kind::feature: b.reader.emplace(node.feature, inputs.profiles); break;
      default: break;
    }
  }
  std::vector<std::vector<std::uint32_t>> counts = count_events(pool, inputs.profiles, nodes);
  for (std::size_t n = 0; n < nodes.size(); ++n) state.nodes[n].counts = std::move(counts[n]);
  if (inputs.rfm != nullptr) {
    state.rfm_of.assign(inputs.profiles.size(), State::no_segment);
    for (const RfmScore& score : inputs.rfm->buyers) {
      if (score.customer.value < state.rfm_of.size()) {
        state.rfm_of[score.customer.value] = static_cast<std::uint8_t>(score.segment);
      }
    }
  }
}

AudienceMatcher::~AudienceMatcher() = default;
AudienceMatcher::AudienceMatcher(AudienceMatcher&&) noexcept = default;
AudienceMatcher& AudienceMatcher::operator=(AudienceMatcher&&) noexcept = default;

bool AudienceMatcher::contains(CustomerId customer) const {
  return state_->present(customer.value) && holds(customer);
}

bool AudienceMatcher::holds(CustomerId customer) const {
  if (customer.value >= state_->profiles.size()) return false;
  // Engines ask millions of times; most audiences have few nodes, whose results fit here.
  const std::size_t nodes = state_->nodes.size();
  std::array<std::uint8_t, 64> few{};
  std::vector<std::uint8_t> many;
  std::uint8_t* results = few.data();
  if (nodes > few.size()) {
    many.resize(nodes);
    results = many.data();
  }
  state_->evaluate(static_cast<std::uint32_t>(nodes - 1), customer.value, 1, results, 1);
  return results[nodes - 1] != 0;
}

std::vector<CustomerId> AudienceMatcher::members() const {
  constexpr std::uint32_t block = 1024;
  const auto root = static_cast<std::uint32_t>(state_->nodes.size() - 1);
  const auto customers = static_cast<std::uint32_t>(state_->profiles.size());
  std::vector<std::uint8_t> results(state_->nodes.size() * block);
  const std::uint8_t* held = results.data() + std::size_t{root} * block;
  std::vector<CustomerId> out;
  for (std::uint32_t begin = 0; begin < customers; begin += block) {
    const std::uint32_t count = std::min(block, customers - begin);
    state_->evaluate(root, begin, count, results.data(), block);
    for (std::uint32_t i = 0; i < count; ++i) {
      if (held[i] != 0 && state_->present(begin + i)) out.push_back(CustomerId{begin + i});
    }
  }
  return out;
}

}  // namespace siyu

#include "siyu/sample/sample_brand.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace siyu {

namespace {

// Uniform integers from the standard's fixed mt19937_64 sequence, unbiased by rejection
// (no std:: distributions: their output differs between standard libraries).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n: values below it are biased
    for (;;) {
      const std::uint64_t r = engine_();
      if (r >= threshold) return r % n;
    }
  }
  std::int64_t between(std::int64_t low, std::int64_t high) {  // inclusive
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
  }
  bool percent(std::uint64_t p) { return below(100) < p; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

struct Store {
  std::string_view key;
  std::string_view name;
  std::string_view branch;
};

constexpr std::array<Store, 7> stores = {{{"sh1", "上海南京路店", "华东"},
                                          {"hz1", "杭州西湖店", "华东"},
                                          {"sz1", "苏州观前店", "华东"},
                                          {"gz1", "广州天河店", "华南"},
                                          {"sz2", "深圳福田店", "华南"},
                                          {"bj1", "北京三里屯店", "华北"},
                                          {"tj1", "天津滨江道店", "华北"}}};

struct ChannelShare {
  std::string_view key;
  std::string_view name;
  std::string_view kind;
  std::uint64_t percent;  // of acquisitions
};

constexpr std::array<ChannelShare, 5> channels = {{{"package_card", "包裹卡", "package_card", 40},
                                                   {"store_poster", "门店海报", "poster", 25},
                                                   {"douyin_ad", "抖音广告", "ad", 15},
                                                   {"livestream", "直播间", "livestream", 10},
                                                   {"referral", "老带新", "referral", 10}}};

struct ProductSpec {
  std::string_view key;
  std::string_view name;
  std::string_view category;
  std::int64_t price_fen;
  Standardization standardization;
  std::int32_t margin_basis_points;
};

// The traffic product (a tea sample), two star products, a premium gift box and a
// personalized teaware set (DOMAIN.md §5).
constexpr std::array<ProductSpec, 5> products = {{
    {"tea-sample", "龙井体验装 10g", "green_tea", 990, Standardization::standard, 1000},
    {"longjing-250g", "明前龙井 250g", "green_tea", 26800, Standardization::standard, 6200},
    {"tieguanyin-500g", "安溪铁观音 500g", "oolong", 19800, Standardization::standard, 5800},
    {"gift-box", "茶礼礼盒", "gifting", 68800, Standardization::non_standard, 7500},
    {"teaware-custom", "定制茶具", "teaware", 128000, Standardization::non_standard, 3500},
}};

constexpr std::array<std::string_view, 4> materials = {"article-brew", "video-longjing",
                                                       "poster-618", "mini-price-page"};
constexpr std::array<std::string_view, 3> interest_tags = {"green_tea", "oolong", "gifting"};
constexpr std::array<std::string_view, 6> questions = {
    "这个茶怎么泡？", "有优惠吗", "什么时候发货", "可以开发票吗", "礼盒还有货吗", "加微信聊吧"};
constexpr std::array<std::string_view, 4> answers = {"您好，水温80度左右最佳",
                                                     "新人有9.9元体验装哦", "今天下单明天发货",
                                                     "可以的，下单备注抬头即可"};

constexpr std::string_view welcome = "欢迎关注茶语！新人专享9.9元龙井体验装，回复1领取";

constexpr std::int64_t second = 1'000'000;
constexpr std::int64_t minute = 60 * second;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day = 24 * hour;

std::size_t guides_per_store(const SampleBrandOptions& o) {
  // About 60 adds per guide per day on average keeps campaign spikes under 300.
  const std::size_t per_day = o.customers / static_cast<std::size_t>(std::max(o.days, 1));
  return std::max<std::size_t>(4, (per_day + stores.size() * 60 - 1) / (stores.size() * 60));
}

std::string guide_key(std::size_t store, std::size_t n) {
  std::string key = "guide-" + std::string(stores[store].key) + "-";
  if (n < 10) key += '0';
  return key + std::to_string(n);
}

std::string customer_key(std::size_t i) {
  std::string digits = std::to_string(i);
  return "wx_c" + std::string(digits.size() < 7 ? 7 - digits.size() : 0, '0') + digits;
}

// Relative acquisition weight of each day: weekends and the campaigns of the period
// (Women's Day, 520, 618) bring spikes.
std::vector<std::uint64_t> day_weights(const SampleBrandOptions& o) {
  std::vector<std::uint64_t> weights(static_cast<std::size_t>(o.days), 100);
  const Timestamp start = o.zone.at(o.first_day);
  for (int d = 0; d < o.days; ++d) {
    const Timestamp t = start + Duration::days(d);
    const LocalDate date = o.zone.local_date(t);
    auto& w = weights[static_cast<std::size_t>(d)];
    const Weekday weekday = o.zone.weekday(t);
    if (weekday == Weekday::saturday || weekday == Weekday::sunday) w = 130;
    for (const auto& [month, first, last] :
         std::array<std::array<int, 3>, 3>{{{3, 6, 8}, {5, 18, 20}, {6, 16, 18}}}) {
      if (date.month == month && date.day >= first && date.day <= last) w = 400;
    }
  }
  return weights;
}

class Writer {
 public:
  Writer(std::ostream& out, const SampleBrandOptions& options) : out_(out), zone_(options.zone) {}
  void add(const Event& e) {
    out_ << format_event_csv(e) << '\n';
    ++count_;
  }
  [[nodiscard]] std::size_t count() const { return count_; }

 private:
  std::ostream& out_;
  Zone zone_;
  std::size_t count_ = 0;
};

// Writes the brand's customers one after another. Each part of a customer's story is its own
// step, and the steps draw from the one random sequence in a fixed order, so a seed gives the
// same brand byte for byte.
class SampleWriter {
 public:
  SampleWriter(std::ostream& csv, const SampleBrandOptions& options)
      : options_(options),
        random_(options.seed),
        out_(csv, options),
        per_store_(guides_per_store(options)),
        start_(options.zone.at(options.first_day)),
        period_end_(start_ + Duration::days(options.days + 30)),
        adds_(stores.size() * per_store_ * days(), 0),
        guide_of_(options.customers),
        summary_{.customers = options.customers, .staff = stores.size() * per_store_ + 6} {}

  SampleBrandSummary write() {
    const std::vector<std::int64_t> added_at = acquisition_times();
    for (std::size_t i = 0; i < options_.customers; ++i) {
      index_ = i;
      key_ = customer_key(i);
      serial_ = 0;
      added_ = added_at[i];
      acquire();
      converse();
      engage();
      const std::uint64_t segment = random_.below(1000);
      const std::size_t orders = buy(segment);
      follow_up(segment, orders);
    }
    summary_.events = out_.count();
    return summary_;
  }

 private:
  // Days with an adds counter per guide: the period plus its last partial day.
  [[nodiscard]] std::size_t days() const { return static_cast<std::size_t>(options_.days) + 1; }

  // Acquisition times, in order, so referrals can point at earlier customers.
  std::vector<std::int64_t> acquisition_times() {
    const auto weights = day_weights(options_);
    const std::uint64_t total_weight =
        std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
    std::vector<std::int64_t> added_at(options_.customers);
    for (auto& t : added_at) {
      std::uint64_t r = random_.below(total_weight);
      std::size_t d = 0;
      while (r >= weights[d]) r -= weights[d++];
      t = start_.micros + static_cast<std::int64_t>(d) * day +
          random_.between(9 * hour, 22 * hour - 1);
    }
    std::sort(added_at.begin(), added_at.end());
    return added_at;
  }

  Event event(EventType type, std::int64_t at) {
    Event e;
    e.id = "e" + std::to_string(index_) + "-" + std::to_string(serial_++);
    e.ts = Timestamp{std::min(at, period_end_.micros)};
    e.customer = key_;
    e.type = type;
    return e;
  }

  // Channel and guide: a live code of a store rotates to its least-loaded guide; a referral
  // goes to the inviter's guide.
  void acquire() {
    std::uint64_t roll = random_.below(100);
    std::size_t c = 0;
    while (roll >= channels[c].percent) roll -= channels[c++].percent;
    const bool referral = channels[c].key == "referral" && index_ > 0;
    const std::size_t inviter = referral ? static_cast<std::size_t>(random_.below(index_)) : 0;
    const auto day_index = static_cast<std::size_t>((added_ - start_.micros) / day);
    const std::size_t store = referral ? guide_of_[inviter] / per_store_
                                       : static_cast<std::size_t>(random_.below(stores.size()));
    std::size_t guide = store * per_store_;
    for (std::size_t n = 0; n < per_store_; ++n) {
      const std::size_t g = store * per_store_ + n;
      if (adds_[g * days() + day_index] < adds_[guide * days() + day_index]) guide = g;
    }
    if (referral) guide = guide_of_[inviter];
    auto& load = adds_[guide * days() + day_index];
    ++load;
    summary_.max_daily_adds = std::max<std::size_t>(summary_.max_daily_adds, load);
    guide_of_[index_] = guide;
    store_ = guide / per_store_;
    staff_ = guide_key(store_, guide % per_store_ + 1);

    if (referral) {
      Event invited = event(EventType::invited, added_ - minute);
      invited.ref = customer_key(inviter);
      out_.add(invited);
    }
    Event added = event(EventType::friend_added, added_);
    added.staff = staff_;
    added.channel =
        referral ? std::string("referral")
                 : "code-" + std::string(stores[store_].key) + "-" + std::string(channels[c].key);
    out_.add(added);
    Event source_tag = event(EventType::tag_added, added_ + second);
    source_tag.ref = "src-" + std::string(channels[c].key);
    out_.add(source_tag);
    Event hello = event(EventType::message_out, added_ + random_.between(3, 20) * second);
    hello.staff = staff_;
    hello.text = std::string(welcome);
    out_.add(hello);
  }

  // Conversation: questions answered within minutes, a few left waiting for hours.
  void converse() {
    const auto chats = random_.below(5);
    std::int64_t chat_at = added_;
    for (std::uint64_t k = 0; k < chats; ++k) {
      chat_at += random_.between(10 * minute, 3 * day);
      Event question = event(EventType::message_in, chat_at);
      question.staff = staff_;
      question.text = std::string(random_.pick(questions));
      out_.add(question);
      const std::int64_t wait =
          random_.percent(90) ? random_.between(30, 900) : random_.between(1, 6) * 3600;
      Event answer = event(EventType::message_out, chat_at + wait * second);
      answer.staff = staff_;
      answer.text = std::string(random_.pick(answers));
      out_.add(answer);
    }
  }

  // Content sent by the guide, viewed by most, shared by some; interest tags; live watching.
  void engage() {
    if (random_.percent(70)) {
      const std::string material(random_.pick(materials));
      const std::int64_t sent_at = added_ + random_.between(1, 7) * day;
      Event sent = event(EventType::content_sent, sent_at);
      sent.staff = staff_;
      sent.ref = material;
      out_.add(sent);
      if (random_.percent(65)) {
        Event viewed = event(EventType::content_viewed, sent_at + random_.between(1, 240) * minute);
        viewed.ref = material;
        viewed.duration = Duration::seconds(random_.between(5, 300));
        out_.add(viewed);
        if (random_.percent(15)) {
          Event shared =
              event(EventType::content_shared, viewed.ts.micros + random_.between(1, 30) * minute);
          shared.ref = material;
          out_.add(shared);
        }
      }
    }
    if (random_.percent(30)) {
      Event interest = event(EventType::tag_added, added_ + random_.between(1, 20) * day);
      interest.ref = std::string(random_.pick(interest_tags));
      out_.add(interest);
    }
    if (random_.percent(15)) {
      Event live = event(EventType::live_watched, added_ + random_.between(1, 60) * day);
      live.duration = Duration::seconds(random_.between(5, 90) * 60);
      out_.add(live);
    }
  }

  // About 15% buy; the 2% of heavy buyers (segment < 20) carry most of the revenue. Coupons go
  // mostly to customers about to buy; the first order that qualifies uses it.
  std::size_t buy(std::uint64_t segment) {
    const std::size_t orders = segment < 20    ? static_cast<std::size_t>(random_.between(6, 14))
                               : segment < 70  ? static_cast<std::size_t>(random_.between(2, 5))
                               : segment < 150 ? 1
                                               : 0;
    const bool coupon = orders > 0 ? random_.percent(80) : random_.percent(8);
    bool coupon_used = false;
    if (coupon) {
      Event issued = event(EventType::coupon_issued, added_ + random_.between(1, 3) * day);
      issued.ref = "coupon-20";
      out_.add(issued);
    }
    std::int64_t order_at = added_ + random_.between(1, 72) * hour;
    for (std::size_t o = 0; o < orders; ++o) {
      // The first order is usually the tea sample: the traffic product leads to the stars.
      std::size_t p =
          (o == 0 && random_.percent(70)) ? 0 : 1 + static_cast<std::size_t>(random_.below(2));
      if (segment < 20 && random_.percent(35)) p = 3 + static_cast<std::size_t>(random_.below(2));
      const std::int64_t quantity = p == 0 ? 1 : random_.between(1, 3);
      Event paid = event(EventType::order_paid, order_at);
      paid.staff = staff_;
      paid.product = std::string(products[p].key);
      paid.amount = Money{products[p].price_fen * quantity};
      paid.ref = "o" + std::to_string(++order_number_);
      if (coupon && !coupon_used && paid.amount->fen >= 19800 && random_.percent(75)) {
        coupon_used = true;
        Event redeemed = event(EventType::coupon_redeemed, order_at - second);
        redeemed.ref = "coupon-20";
        out_.add(redeemed);
        paid.amount = Money{paid.amount->fen - 2000};
      }
      out_.add(paid);
      if (random_.percent(3)) {
        Event refund = event(EventType::order_refunded, order_at + random_.between(1, 10) * day);
        refund.amount = paid.amount;
        refund.ref = paid.ref;
        out_.add(refund);
      }
      order_at += random_.between(7, 40) * day;
    }
    return orders;
  }

  // Repeat buyers join a group, a few link a second identifier, some non-buyers leave.
  void follow_up(std::uint64_t segment, std::size_t orders) {
    if (orders >= 2 && random_.percent(40)) {
      Event joined = event(EventType::group_joined, added_ + random_.between(3, 30) * day);
      joined.ref = (segment < 20 ? "vip-" : "benefits-") + std::string(stores[store_].key);
      out_.add(joined);
    }
    if (random_.percent(2)) {
      Event linked = event(EventType::identity_linked, added_ + random_.between(1, 30) * day);
      linked.ref = "un_" + key_.substr(4);
      out_.add(linked);
    }
    if (orders == 0 && random_.percent(9)) {
      Event deleted = event(EventType::friend_deleted, added_ + random_.between(1, 90) * day);
      deleted.staff = staff_;
      out_.add(deleted);
    }
  }

  const SampleBrandOptions& options_;
  Random random_;
  Writer out_;
  std::size_t per_store_;
  Timestamp start_;
  Timestamp period_end_;
  std::vector<std::uint16_t> adds_;    // adds per guide per day, to stay under the limit
  std::vector<std::size_t> guide_of_;  // each customer's guide, for referrals
  SampleBrandSummary summary_;
  std::size_t order_number_ = 0;
  // The customer being written.
  std::size_t index_ = 0;
  std::string key_;
  std::size_t serial_ = 0;
  std::int64_t added_ = 0;
  std::size_t store_ = 0;
  std::string staff_;
};

}  // namespace

void add_sample_directory(Pool& pool, const SampleBrandOptions& options) {
  const std::size_t per_store = guides_per_store(options);
  for (std::size_t s = 0; s < stores.size(); ++s) {
    for (std::size_t n = 1; n <= per_store; ++n) {
      pool.staff().upsert(Staff{.key = guide_key(s, n),
                                .name = std::string(stores[s].name) + " 导购" + std::to_string(n),
                                .role = StaffRole::front_office,
                                .store = std::string(stores[s].name),
                                .branch = std::string(stores[s].branch),
                                .team = "guides"});
    }
  }
  for (const auto& [key, name] :
       std::array<std::array<std::string_view, 2>, 4>{{{"ops-content", "内容运营"},
                                                       {"ops-campaign", "活动运营"},
                                                       {"ops-channel", "渠道运营"},
                                                       {"ops-community", "社群运营"}}}) {
    pool.staff().upsert(Staff{.key = std::string(key),
                              .name = std::string(name),
                              .role = StaffRole::middle_office,
                              .branch = "总部",
                              .team = "operations"});
  }
  for (const auto& [key, name] : std::array<std::array<std::string_view, 2>, 2>{
           {{"tech-1", "SCRM 工程师"}, {"tech-2", "数据工程师"}}}) {
    pool.staff().upsert(Staff{.key = std::string(key),
                              .name = std::string(name),
                              .role = StaffRole::back_office,
                              .branch = "总部",
                              .team = "technology"});
  }

  const TagGroupId source =
      pool.tag_groups().upsert(TagGroup{.key = "source", .name = "来源", .exclusive = true});
  const TagGroupId interest = pool.tag_groups().upsert(TagGroup{.key = "interest", .name = "兴趣"});
  for (const ChannelShare& c : channels) {
    const ChannelId channel = pool.channels().upsert(Channel{
        .key = std::string(c.key), .name = std::string(c.name), .kind = std::string(c.kind)});
    const TagId tag = pool.tags().upsert(
        Tag{.key = "src-" + std::string(c.key), .name = std::string(c.name), .group = source});
    if (c.key == "referral") continue;  // referrals come through the inviter's guide, not a code
    for (std::size_t s = 0; s < stores.size(); ++s) {
      LiveCode code{.key = "code-" + std::string(stores[s].key) + "-" + std::string(c.key),
                    .channel = channel,
                    .auto_tags = {tag},
                    .daily_add_limit = 280};
      for (std::size_t n = 1; n <= per_store; ++n)
        code.staff.push_back(pool.staff().id(guide_key(s, n)));
      pool.live_codes().upsert(std::move(code));
    }
  }
  for (std::string_view t : interest_tags) {
    pool.tags().upsert(Tag{.key = std::string(t), .name = std::string(t), .group = interest});
  }
  for (const ProductSpec& p : products) {
    pool.products().upsert(Product{.key = std::string(p.key),
                                   .name = std::string(p.name),
                                   .category = std::string(p.category),
                                   .price = Money{p.price_fen},
                                   .standardization = p.standardization,
                                   .margin_basis_points = p.margin_basis_points});
  }
  pool.coupons().upsert(Coupon{.key = "coupon-20",
                               .name = "满198减20",
                               .face_value = Money{2000},
                               .minimum_spend = Money{19800}});
  pool.coupons().upsert(Coupon{.key = "coupon-50",
                               .name = "满500减50",
                               .face_value = Money{5000},
                               .minimum_spend = Money{50000}});
  for (std::string_view m : materials) {
    pool.materials().upsert(Material{.key = std::string(m),
                                     .title = std::string(m),
                                     .kind = std::string(m.substr(0, m.find('-')))});
  }
  for (std::size_t s = 0; s < stores.size(); ++s) {
    const StaffId owner = pool.staff().id(guide_key(s, 1));
    pool.groups().upsert(Group{.key = "vip-" + std::string(stores[s].key),
                               .name = std::string(stores[s].name) + " VIP 核心群",
                               .owner = owner});
    pool.groups().upsert(Group{.key = "benefits-" + std::string(stores[s].key),
                               .name = std::string(stores[s].name) + " 福利群",
                               .owner = owner});
  }
}

std::size_t add_sample_identities(Pool& pool, const SampleBrandOptions& options) {
  constexpr std::size_t second_account_every = 40;
  constexpr std::array<std::string_view, 6> prefixes = {"135", "138", "139", "150", "186", "188"};
  Random random(options.seed ^ 0x70686f6e65ULL);  // its own sequence: events stay unchanged
  const EventLog& log = pool.events();
  // Each key's first paid order, in log order (by person, then time).
  std::vector<std::int64_t> first_order(pool.customers().size(), -1);
  std::vector<std::uint32_t> buyers;
  for (std::size_t p = 0; p < log.size(); ++p) {
    if (log.types()[p] != EventType::order_paid) continue;
    auto& first = first_order[log.keys()[p]];
    if (first < 0) {
      first = log.ts()[p];
      buyers.push_back(log.keys()[p]);
    }
  }
  std::sort(buyers.begin(), buyers.end());
  std::string phone;
  for (std::size_t b = 0; b < buyers.size(); ++b) {
    if (b % second_account_every != second_account_every - 1) {
      phone = std::string(random.pick(prefixes));
      for (int digit = 0; digit < 8; ++digit) phone += static_cast<char>('0' + random.below(10));
    }
    const CustomerId buyer{buyers[b]};
    (void)pool.add_identity(pool.customers()[buyer].key, IdentityKind::phone, phone,
                            Timestamp{first_order[buyer.value]});
  }
  return buyers.size();
}

SampleBrandSummary write_sample_events(std::ostream& csv, const SampleBrandOptions& options) {
  csv << event_csv_header << '\n';
  return SampleWriter(csv, options).write();
}

}  // namespace siyu

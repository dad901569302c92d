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
  void add(Event e) {
    out_ << format_event_csv(e) << '\n';
    ++count_;
  }
  [[nodiscard]] std::size_t count() const { return count_; }

 private:
  std::ostream& out_;
  Zone zone_;
  std::size_t count_ = 0;
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

SampleBrandSummary write_sample_events(std::ostream& csv, const SampleBrandOptions& options) {
  Random random(options.seed);
  Writer out(csv, options);
  csv << event_csv_header << '\n';
  const std::size_t per_store = guides_per_store(options);
  const Timestamp start = options.zone.at(options.first_day);
  const Timestamp period_end = start + Duration::days(options.days + 30);

  // Acquisition times, in order, so referrals can point at earlier customers.
  const auto weights = day_weights(options);
  const std::uint64_t total_weight =
      std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  std::vector<std::int64_t> added_at(options.customers);
  for (auto& t : added_at) {
    std::uint64_t r = random.below(total_weight);
    std::size_t d = 0;
    while (r >= weights[d]) r -= weights[d++];
    t = start.micros + static_cast<std::int64_t>(d) * day + random.between(9 * hour, 22 * hour - 1);
  }
  std::sort(added_at.begin(), added_at.end());

  // Adds per guide per day, to rotate live codes by load and stay under the daily limit.
  std::vector<std::uint16_t> adds(
      stores.size() * per_store * static_cast<std::size_t>(options.days + 1), 0);
  std::vector<std::size_t> guide_of(options.customers);
  SampleBrandSummary summary{.customers = options.customers,
                             .staff = stores.size() * per_store + 6};
  std::size_t order_number = 0;

  for (std::size_t i = 0; i < options.customers; ++i) {
    const std::string key = customer_key(i);
    std::int64_t t = added_at[i];
    std::size_t serial = 0;
    const auto event = [&](EventType type, std::int64_t at) {
      Event e;
      e.id = "e" + std::to_string(i) + "-" + std::to_string(serial++);
      e.ts = Timestamp{std::min(at, period_end.micros)};
      e.customer = key;
      e.type = type;
      return e;
    };

    // Channel and guide: a live code of a store rotates to its least-loaded guide; a
    // referral goes to the inviter's guide.
    std::uint64_t roll = random.below(100);
    std::size_t c = 0;
    while (roll >= channels[c].percent) roll -= channels[c++].percent;
    const bool referral = channels[c].key == "referral" && i > 0;
    const std::size_t inviter = referral ? static_cast<std::size_t>(random.below(i)) : 0;
    const auto day_index = static_cast<std::size_t>((t - start.micros) / day);
    std::size_t store = referral ? guide_of[inviter] / per_store
                                 : static_cast<std::size_t>(random.below(stores.size()));
    std::size_t guide = store * per_store;
    for (std::size_t n = 0; n < per_store; ++n) {
      const std::size_t g = store * per_store + n;
      if (adds[g * static_cast<std::size_t>(options.days + 1) + day_index] <
          adds[guide * static_cast<std::size_t>(options.days + 1) + day_index]) {
        guide = g;
      }
    }
    if (referral) guide = guide_of[inviter];
    auto& load = adds[guide * static_cast<std::size_t>(options.days + 1) + day_index];
    ++load;
    summary.max_daily_adds = std::max<std::size_t>(summary.max_daily_adds, load);
    guide_of[i] = guide;
    const std::string staff = guide_key(store = guide / per_store, guide % per_store + 1);
    const std::string code =
        "code-" + std::string(stores[store].key) + "-" + std::string(channels[c].key);

    if (referral) {
      Event invited = event(EventType::invited, t - minute);
      invited.ref = customer_key(inviter);
      out.add(invited);
    }
    Event added = event(EventType::friend_added, t);
    added.staff = staff;
    added.channel = referral ? "referral" : code;
    out.add(added);
    Event source_tag = event(EventType::tag_added, t + second);
    source_tag.ref = "src-" + std::string(channels[c].key);
    out.add(source_tag);
    Event hello = event(EventType::message_out, t + random.between(3, 20) * second);
    hello.staff = staff;
    hello.text = std::string(welcome);
    out.add(hello);

    // Conversation: questions answered within minutes, a few left waiting for hours.
    const auto chats = random.below(5);
    std::int64_t chat_at = t;
    for (std::uint64_t k = 0; k < chats; ++k) {
      chat_at += random.between(10 * minute, 3 * day);
      Event question = event(EventType::message_in, chat_at);
      question.staff = staff;
      question.text = std::string(random.pick(questions));
      out.add(question);
      Event answer = event(
          EventType::message_out,
          chat_at + (random.percent(90) ? random.between(30, 900) : random.between(1, 6) * 3600) *
                        second);
      answer.staff = staff;
      answer.text = std::string(random.pick(answers));
      out.add(answer);
    }

    // Content: sent by the guide, viewed by most, shared by some.
    if (random.percent(70)) {
      const std::string material(random.pick(materials));
      const std::int64_t sent_at = t + random.between(1, 7) * day;
      Event sent = event(EventType::content_sent, sent_at);
      sent.staff = staff;
      sent.ref = material;
      out.add(sent);
      if (random.percent(65)) {
        Event viewed = event(EventType::content_viewed, sent_at + random.between(1, 240) * minute);
        viewed.ref = material;
        viewed.duration = Duration::seconds(random.between(5, 300));
        out.add(viewed);
        if (random.percent(15)) {
          Event shared =
              event(EventType::content_shared, viewed.ts.micros + random.between(1, 30) * minute);
          shared.ref = material;
          out.add(shared);
        }
      }
    }
    if (random.percent(30)) {
      Event interest = event(EventType::tag_added, t + random.between(1, 20) * day);
      interest.ref = std::string(random.pick(interest_tags));
      out.add(interest);
    }
    if (random.percent(15)) {
      Event live = event(EventType::live_watched, t + random.between(1, 60) * day);
      live.duration = Duration::seconds(random.between(5, 90) * 60);
      out.add(live);
    }

    // Buying: about 15% buy; 2% are heavy buyers who carry most of the revenue.
    const std::uint64_t segment = random.below(1000);
    const std::size_t orders = segment < 20    ? static_cast<std::size_t>(random.between(6, 14))
                               : segment < 70  ? static_cast<std::size_t>(random.between(2, 5))
                               : segment < 150 ? 1
                                               : 0;
    // Coupons go mostly to customers about to buy; the first order that qualifies uses it.
    const bool coupon = orders > 0 ? random.percent(80) : random.percent(8);
    bool coupon_used = false;
    if (coupon) {
      Event issued = event(EventType::coupon_issued, t + random.between(1, 3) * day);
      issued.ref = "coupon-20";
      out.add(issued);
    }
    std::int64_t order_at = t + random.between(1, 72) * hour;
    for (std::size_t o = 0; o < orders; ++o) {
      // The first order is usually the tea sample: the traffic product leads to the stars.
      std::size_t p =
          (o == 0 && random.percent(70)) ? 0 : 1 + static_cast<std::size_t>(random.below(2));
      if (segment < 20 && random.percent(35)) p = 3 + static_cast<std::size_t>(random.below(2));
      const std::int64_t quantity = p == 0 ? 1 : random.between(1, 3);
      Event paid = event(EventType::order_paid, order_at);
      paid.staff = staff;
      paid.product = std::string(products[p].key);
      paid.amount = Money{products[p].price_fen * quantity};
      paid.ref = "o" + std::to_string(++order_number);
      if (coupon && !coupon_used && paid.amount->fen >= 19800 && random.percent(75)) {
        coupon_used = true;
        Event redeemed = event(EventType::coupon_redeemed, order_at - second);
        redeemed.ref = "coupon-20";
        out.add(redeemed);
        paid.amount = Money{paid.amount->fen - 2000};
      }
      out.add(paid);
      if (random.percent(3)) {
        Event refund = event(EventType::order_refunded, order_at + random.between(1, 10) * day);
        refund.amount = paid.amount;
        refund.ref = paid.ref;
        out.add(refund);
      }
      order_at += random.between(7, 40) * day;
    }
    if (orders >= 2 && random.percent(40)) {
      Event joined = event(EventType::group_joined, t + random.between(3, 30) * day);
      joined.ref = (segment < 20 ? "vip-" : "benefits-") + std::string(stores[store].key);
      out.add(joined);
    }
    if (random.percent(2)) {
      Event linked = event(EventType::identity_linked, t + random.between(1, 30) * day);
      linked.ref = "un_" + key.substr(4);
      out.add(linked);
    }
    if (orders == 0 && random.percent(9)) {
      Event deleted = event(EventType::friend_deleted, t + random.between(1, 90) * day);
      deleted.staff = staff;
      out.add(deleted);
    }
  }
  summary.events = out.count();
  return summary;
}

}  // namespace siyu

#include "siyu/strategy/strategy.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "core/calendar.hpp"
#include "core/judged.hpp"
#include "core/text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/profile/profile.hpp"
#include "siyu/tiers/tier_engine.hpp"

namespace siyu {

namespace {

constexpr std::int64_t whole = 10'000;  // basis points in one
constexpr std::int64_t micros_per_day = 86'400'000'000;
constexpr std::int64_t conversion_days = 30;  // a cohort's conversion counts orders this soon

std::string percent(std::int64_t bp) { return detail::basis_points_text(bp); }
std::string rate(std::int64_t centi) { return fmt::format("{}.{:02}", centi / 100, centi % 100); }
std::string yuan(std::int64_t fen) { return detail::yuan_text(fen); }

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// "3-4", or "1" when both ends agree.
std::string span_text(std::uint64_t low, std::uint64_t high) {
  return low == high ? std::to_string(low) : fmt::format("{}-{}", low, high);
}

// "1 operator", "5 operators".
std::string count_of(std::uint64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

using detail::judged;

// What one pass over the log's orders and adds gives.
struct LogFigures {
  std::uint64_t orders = 0;           // paid orders in the last year
  std::uint64_t buyers = 0;           // persons with one
  std::int64_t revenue = 0;           // their amounts
  std::int64_t declared_revenue = 0;  // of which on products with a declared margin
  std::int64_t margin_weighted = 0;   // sum of amount × margin (bp) / whole
  std::int64_t year_days = 0;         // days of the last year the log covers
  std::uint64_t peak_daily_adds = 0;  // in the window
  std::uint32_t accounts_active = 0;  // staff with an add in the window
  std::uint64_t max_account_daily_adds = 0;
};

LogFigures read_log(const Pool& pool, std::int64_t at, std::int64_t window_micros) {
  LogFigures f;
  const EventLog& log = pool.events();
  const auto span = log.span();
  if (!span) return f;
  const std::int64_t year_after = at - 365 * micros_per_day;
  const std::int64_t window_after = at - window_micros;
  f.year_days = std::clamp<std::int64_t>(
      (at - std::max(span->first.micros, year_after)) / micros_per_day, 30, 365);
  const Zone zone = pool.options().zone;
  const auto ts = log.ts();
  const auto types = log.types();
  const auto products = log.products();
  const auto amounts = log.amounts();
  const auto staff = log.staff();
  std::vector<bool> bought(pool.customers().size(), false);
  std::unordered_map<std::int64_t, std::uint64_t> adds_by_day;
  std::unordered_map<std::uint64_t, std::uint64_t> adds_by_account_day;
  std::vector<bool> adding(pool.staff().size(), false);
  for (std::uint32_t c = 0; c < log.customer_count(); ++c) {
    const std::uint32_t person = pool.person(CustomerId{c}).value;
    const EventLog::Range range = log.range(CustomerId{c});
    for (std::size_t p = range.begin; p < range.end && ts[p] <= at; ++p) {
      if (types[p] == EventType::order_paid && ts[p] > year_after) {
        ++f.orders;
        f.revenue += amounts[p];
        if (!bought[person]) {
          bought[person] = true;
          ++f.buyers;
        }
        if (products[p] != ProductId::none_value) {
          const auto margin = pool.products()[ProductId{products[p]}].margin_basis_points;
          if (margin) {
            f.declared_revenue += amounts[p];
            f.margin_weighted += amounts[p] * *margin / whole;
          }
        }
      } else if (types[p] == EventType::friend_added && ts[p] > window_after) {
        const std::int64_t day = detail::local_day(zone, ts[p]);
        f.peak_daily_adds = std::max(f.peak_daily_adds, ++adds_by_day[day]);
        if (staff[p] != StaffId::none_value) {
          const std::uint64_t key =
              (std::uint64_t{staff[p]} << 32U) | static_cast<std::uint32_t>(day);
          f.max_account_daily_adds = std::max(f.max_account_daily_adds, ++adds_by_account_day[key]);
          if (!adding[staff[p]]) {
            adding[staff[p]] = true;
            ++f.accounts_active;
          }
        }
      }
    }
  }
  return f;
}

// Share of a cohort (persons first seen in (after, until]) who ordered within
// `conversion_days` of it, and the cohort's size.
struct Cohort {
  std::uint64_t size = 0;
  std::uint64_t converted = 0;
  [[nodiscard]] std::optional<std::int64_t> conversion_bp() const {
    if (size == 0) return std::nullopt;
    return static_cast<std::int64_t>(converted * whole / size);
  }
};

Cohort cohort(const Profiles& profiles, std::int64_t after, std::int64_t until) {
  Cohort out;
  for (std::uint32_t c = 0; c < profiles.size(); ++c) {
    const Profile& p = profiles.all()[c];
    if (p.customer.value != c || !p.first_seen) continue;
    const std::int64_t seen = p.first_seen->micros;
    if (seen <= after || seen > until) continue;
    ++out.size;
    if (p.first_order && p.first_order->micros - seen <= conversion_days * micros_per_day) {
      ++out.converted;
    }
  }
  return out;
}

struct Playbook {
  std::string_view en;
  std::string_view zh;
};

Playbook quadrant_playbook(Quadrant q) {
  switch (q) {
    case Quadrant::paradise:
      return {
          "High frequency and high margin: a private-domain paradise. Repeat purchases carry "
          "the economics; margin pays for distribution, resellers and rich operations. Start "
          "early and invest.",
          "高频高毛利：私域天堂。高频意味着高复购，高毛利可以支撑分销代理、渠道和更多运营动作，尽早"
          "入局。"};
    case Quadrant::heavy_operations:
      return {
          "Low frequency, high margin: private domain works but demands heavy operations over a "
          "long, costly decision cycle. Use high-frequency items to pull the low-frequency "
          "ones.",
          "低频高毛利：可以做私域，但对运营要求很高，营销周期长、成本高。适合用高频打低频。"};
    case Quadrant::not_worth_it:
      return {
          "Low frequency, low margin: a private domain will barely pay back. Keep it light, or "
          "add a higher-frequency or higher-margin line before investing.",
          "低频低毛利：做私域效果不大。保持轻量，或先补充高频或高毛利的产品线再投入。"};
    case Quadrant::supply_chain:
      return {
          "High frequency, low margin: it works only with a strong supply chain: thin margins, "
          "high volume. Automate service and keep the cost per order low.",
          "高频低毛利：可以做私域，但对供应链要求很高，薄利多销。服务要自动化，压低每单成本。"};
    case Quadrant::unknown:
      return {
          "The quadrant is unknown: record paid orders with products, and declare each "
          "product's gross margin.",
          "无法判断业务象限：请记录带商品的支付订单，并为商品声明毛利率。"};
  }
  return {};
}

Playbook rhythm_playbook(Rhythm r) {
  switch (r) {
    case Rhythm::high_frequency_low_ticket:
      return {
          "High frequency, low ticket: win on volume. Automate the welcome, push a fast first "
          "order and batch deals, and grow through referral fission.",
          "高频低客单：拼规模。自动欢迎语、快速促成首单、批量成交，用裂变拉新。"};
    case Rhythm::high_frequency_high_ticket:
      return {
          "High frequency, high ticket: repeat service in depth. Keep owners with their "
          "customers and layer them by value.",
          "高频高客单：深度复购服务。让专属顾问长期跟进，按价值分层运营。"};
    case Rhythm::low_frequency_high_ticket:
      return {
          "Low frequency, high ticket: long decisions. Attract with high-value campaigns, "
          "operate deeply, and layer customers by intent.",
          "低频高客单：决策周期长。用高吸引力活动引流，深度运营，按意向分层。"};
    case Rhythm::low_frequency_low_ticket:
      return {
          "Low frequency, low ticket: operate lightly, in batches, with content and "
          "automation.",
          "低频低客单：轻运营，批量触达，以内容和自动化为主。"};
  }
  return {};
}

Playbook stage_playbook(Stage s) {
  switch (s) {
    case Stage::zero_to_one:
      return {
          "Stage 0-1, testing: bring in seed users, test the products and the venue, and "
          "measure the settling pond's conversion before scaling anything.",
          "0-1 测试阶段：引入种子用户，测试产品和场域，先跑通沉淀池转化率，再谈放量。"};
    case Stage::one_to_ten:
      return {
          "Stage 1-10, preparing: conversion falls as users grow. Layer customers, let the core "
          "run the community, write SOPs, and build the team's roles now for the next stage.",
          "1-10 预备阶段：用户增加后转化率会下降。做用户分层，让核心用户带动社群，制定 SOP，"
          "明确团队分工，为规模化储备能力。"};
    case Stage::ten_to_n:
      return {
          "Stage 10-N, scaling: onboard at volume. Replicate the team, warm up accounts in "
          "advance and spread adds over live codes, and run service and content as "
          "pipelines.",
          "10-N 规模化阶段：大规模承接。复制团队能力，提前注册养号，用活码分散加粉，"
          "客服与内容流程化、标准化。"};
  }
  return {};
}

void add(std::vector<Advice>& advice, std::string topic, Playbook playbook) {
  advice.push_back(Advice{
      .topic = std::move(topic), .en = std::string(playbook.en), .zh = std::string(playbook.zh)});
}

}  // namespace

std::string_view to_string(Quadrant quadrant) noexcept {
  switch (quadrant) {
    case Quadrant::paradise: return "paradise";
    case Quadrant::heavy_operations: return "heavy_operations";
    case Quadrant::not_worth_it: return "not_worth_it";
    case Quadrant::supply_chain: return "supply_chain";
    case Quadrant::unknown: return "unknown";
  }
  return "";
}

std::string_view to_string(Stage stage) noexcept {
  switch (stage) {
    case Stage::zero_to_one: return "0-1";
    case Stage::one_to_ten: return "1-10";
    case Stage::ten_to_n: return "10-N";
  }
  return "";
}

std::string_view to_string(Operators operators) noexcept {
  return operators == Operators::executors ? "executors" : "headquarters";
}

std::string_view to_string(Rhythm rhythm) noexcept {
  switch (rhythm) {
    case Rhythm::high_frequency_low_ticket: return "high_frequency_low_ticket";
    case Rhythm::high_frequency_high_ticket: return "high_frequency_high_ticket";
    case Rhythm::low_frequency_high_ticket: return "low_frequency_high_ticket";
    case Rhythm::low_frequency_low_ticket: return "low_frequency_low_ticket";
  }
  return "";
}

void StrategyPolicy::validate() const {
  const auto bad = [](const std::string& field, const std::string& message) {
    throw ConfigError(ErrorCode::conflict, message, Where{.field = field});
  };
  if (high_frequency_centi <= 0) bad("high_frequency", "a frequency bound is positive");
  if (high_margin_bp <= 0 || high_margin_bp > whole)
    bad("high_margin", "a margin lies within 0-100%");
  if (high_ticket.fen <= 0) bad("high_ticket", "a ticket bound is positive");
  if (large_volume == 0) bad("large_volume", "a volume bound is positive");
  if (stage_one_max == 0 || stage_scale_min <= stage_one_max) {
    bad("stage_scale_min", "stage bounds rise: 0 < stage_one_max < stage_scale_min");
  }
  if (scale_daily_adds == 0) bad("scale_daily_adds", "an adds bound is positive");
  if (core_per_operator_min == 0 || core_per_operator_min > core_per_operator_max) {
    bad("core_per_operator", "an operator's radius is 0 < min <= max");
  }
  if (close_per_operators == 0 || operators_per_close == 0) {
    bad("close_per_operators", "close-service capacity is positive");
  }
  if (adds_per_account == 0 || adds_per_account > account_add_limit) {
    bad("adds_per_account", "planned adds per account are positive and within the account limit");
  }
  if (window.micros <= 0) bad("window", "the window is positive");
}

StrategyReport advise(const Pool& pool, const StrategyPolicy& policy,
                      const StrategyInputs& inputs) {
  policy.validate();
  StrategyReport r;
  const auto span = pool.events().span();
  r.at = inputs.at.value_or(span ? span->last : Timestamp{});
  const std::int64_t at = r.at.micros;
  const std::int64_t window = policy.window.micros;
  const Profiles profiles =
      Profiles::compute(pool, ProfileQuery{.at = r.at, .window = policy.window});
  const LogFigures log = read_log(pool, at, window);

  // Customers, their owners and close service.
  std::uint64_t owned = 0;
  std::uint64_t owned_by_executors = 0;
  for (std::uint32_t c = 0; c < profiles.size(); ++c) {
    const Profile& p = profiles.all()[c];
    if (p.customer.value != c || !p.first_seen) continue;
    ++r.customers;
    r.capacity.close_customers += p.recent.orders > 0 ? 1U : 0U;
    if (!p.owner.has_value()) continue;
    ++owned;
    const Staff& owner = pool.staff()[p.owner];
    owned_by_executors += owner.role == StaffRole::front_office && !owner.store.empty() ? 1U : 0U;
  }
  r.buyers = log.buyers;

  // Quadrant: frequency and margin.
  if (log.buyers > 0) {
    r.purchases_per_year_centi = static_cast<std::int64_t>(
        log.orders * 100 * 365 / log.buyers / static_cast<std::uint64_t>(log.year_days));
    r.ticket = log.revenue / static_cast<std::int64_t>(log.orders);
  }
  if (log.declared_revenue > 0) r.margin_bp = log.margin_weighted * whole / log.declared_revenue;
  const bool high_frequency =
      r.purchases_per_year_centi && *r.purchases_per_year_centi >= policy.high_frequency_centi;
  const bool high_margin = r.margin_bp && *r.margin_bp >= policy.high_margin_bp;
  r.quadrant_reasons.push_back(judged(
      "frequency", CheckUnit::centi, r.purchases_per_year_centi, policy.high_frequency_centi,
      high_frequency,
      r.purchases_per_year_centi
          ? fmt::format("{} orders per buyer per year ({} orders, {} buyers over {} days) {} "
                        "{}: {} frequency",
                        rate(*r.purchases_per_year_centi), log.orders, log.buyers, log.year_days,
                        high_frequency ? ">=" : "<", rate(policy.high_frequency_centi),
                        high_frequency ? "high" : "low")
          : std::string("no paid orders in the last year")));
  r.quadrant_reasons.push_back(judged(
      "margin", CheckUnit::basis_points, r.margin_bp, policy.high_margin_bp, high_margin,
      r.margin_bp
          ? fmt::format("gross margin {} (declared margins weighted by revenue) {} {}: {} margin",
                        percent(*r.margin_bp), high_margin ? ">=" : "<",
                        percent(policy.high_margin_bp), high_margin ? "high" : "low")
          : std::string("no revenue on products with a declared margin")));
  if (r.purchases_per_year_centi && r.margin_bp) {
    r.quadrant = high_frequency
                     ? (high_margin ? Quadrant::paradise : Quadrant::supply_chain)
                     : (high_margin ? Quadrant::heavy_operations : Quadrant::not_worth_it);
  }

  // Operating dimensions.
  const std::optional<std::int64_t> executors_bp =
      owned == 0 ? std::nullopt
                 : std::optional<std::int64_t>(
                       static_cast<std::int64_t>(owned_by_executors * whole / owned));
  r.operators =
      executors_bp && *executors_bp >= whole / 2 ? Operators::executors : Operators::headquarters;
  r.dimension_reasons.push_back(judged(
      "operators", CheckUnit::basis_points, executors_bp, whole / 2,
      r.operators == Operators::executors,
      executors_bp ? fmt::format("{} of owned customers belong to front-office staff in stores: "
                                 "operated by {}",
                                 percent(*executors_bp), to_string(r.operators))
                   : std::string("no customer has an owner: operated by headquarters")));
  const bool high_ticket = r.ticket && *r.ticket >= policy.high_ticket.fen;
  r.rhythm =
      high_frequency
          ? (high_ticket ? Rhythm::high_frequency_high_ticket : Rhythm::high_frequency_low_ticket)
          : (high_ticket ? Rhythm::low_frequency_high_ticket : Rhythm::low_frequency_low_ticket);
  r.dimension_reasons.push_back(judged(
      "ticket", CheckUnit::fen, r.ticket, policy.high_ticket.fen, high_ticket,
      r.ticket
          ? fmt::format("mean order {} {} {}: {} ticket", yuan(*r.ticket), high_ticket ? ">=" : "<",
                        yuan(policy.high_ticket.fen), high_ticket ? "high" : "low")
          : std::string("no paid orders in the last year: low ticket")));
  r.large_volume = r.customers >= policy.large_volume;
  r.dimension_reasons.push_back(
      judged("volume", CheckUnit::count, static_cast<std::int64_t>(r.customers),
             static_cast<std::int64_t>(policy.large_volume), r.large_volume,
             fmt::format("{} customers {} {}: a {} base", r.customers, r.large_volume ? ">=" : "<",
                         policy.large_volume, r.large_volume ? "large" : "small")));

  // Stage: size, adds, and how conversion holds up as cohorts grow.
  const std::int64_t matured = at - conversion_days * micros_per_day;
  const Cohort recent = cohort(profiles, matured - window, matured);
  const Cohort earlier = cohort(profiles, matured - 2 * window, matured - window);
  const bool scaling =
      r.customers >= policy.stage_scale_min || log.peak_daily_adds >= policy.scale_daily_adds;
  r.stage = r.customers < policy.stage_one_max ? Stage::zero_to_one
            : scaling                          ? Stage::ten_to_n
                                               : Stage::one_to_ten;
  r.stage_reasons.push_back(
      judged("customers", CheckUnit::count, static_cast<std::int64_t>(r.customers),
             static_cast<std::int64_t>(r.customers < policy.stage_one_max ? policy.stage_one_max
                                                                          : policy.stage_scale_min),
             r.customers >= policy.stage_one_max,
             fmt::format("{} customers: 0-1 below {}, 10-N from {}", r.customers,
                         policy.stage_one_max, policy.stage_scale_min)));
  r.stage_reasons.push_back(judged(
      "daily_adds", CheckUnit::count, static_cast<std::int64_t>(log.peak_daily_adds),
      static_cast<std::int64_t>(policy.scale_daily_adds),
      log.peak_daily_adds >= policy.scale_daily_adds,
      fmt::format("at most {} adds a day in the last {} days; 10-N from {}", log.peak_daily_adds,
                  policy.window.micros / micros_per_day, policy.scale_daily_adds)));
  const std::optional<std::int64_t> growth =
      earlier.size == 0 ? std::nullopt
                        : std::optional<std::int64_t>(
                              static_cast<std::int64_t>(recent.size * whole / earlier.size));
  r.stage_reasons.push_back(judged(
      "growth", CheckUnit::basis_points, growth, whole, growth && *growth >= whole,
      fmt::format("{} new customers in the latest {}-day cohort against {} in the one before",
                  recent.size, policy.window.micros / micros_per_day, earlier.size)));
  const auto recent_conversion = recent.conversion_bp();
  const auto earlier_conversion = earlier.conversion_bp();
  // Holding up: no more than a tenth below the earlier cohort's.
  const bool conversion_holds = !recent_conversion || !earlier_conversion ||
                                *recent_conversion * 10 >= *earlier_conversion * 9;
  r.stage_reasons.push_back(judged(
      "conversion_trend", CheckUnit::basis_points, recent_conversion,
      earlier_conversion.value_or(0), conversion_holds,
      fmt::format("{} of the latest cohort ordered within {} days, against {} of the one before",
                  recent_conversion ? percent(*recent_conversion) : "none", conversion_days,
                  earlier_conversion ? percent(*earlier_conversion) : "none")));

  // Seed users.
  const std::uint64_t existing = policy.existing_customers.value_or(r.customers);
  if (!high_frequency) {
    r.seed_users.min = r.seed_users.max = 1'000;
    r.seed_users.reason =
        judged("seed_users", CheckUnit::count, static_cast<std::int64_t>(existing), 0, true,
               "a low-frequency business: about 1,000 seed users, no fewer, or "
               "the test measures nothing");
  } else if (existing >= 100'000) {
    r.seed_users.min = 3'000;
    r.seed_users.max = 5'000;
    r.seed_users.reason = judged(
        "seed_users", CheckUnit::count, static_cast<std::int64_t>(existing), 100'000, true,
        fmt::format("{} existing customers >= 100,000: 3,000-5,000 seed users are enough to test "
                    "products and the settling pond",
                    existing));
  } else {
    r.seed_users.min = 1'000;
    r.seed_users.max = 3'000;
    r.seed_users.reason = judged(
        "seed_users", CheckUnit::count, static_cast<std::int64_t>(existing), 100'000, false,
        fmt::format("{} existing customers < 100,000: 1,000-3,000 seed users, between the seeds' "
                    "figures for small and large bases",
                    existing));
  }

  // Capacity.
  CapacityPlan& cap = r.capacity;
  std::optional<TierEngine> own_tiers;
  if (inputs.tiers == nullptr && span) {
    own_tiers.emplace(TierPolicy::defaults());
    own_tiers->rebalance(pool, r.at);
  }
  const TierEngine* tiers = inputs.tiers != nullptr ? inputs.tiers
                            : own_tiers             ? &*own_tiers
                                                    : nullptr;
  cap.core_customers =
      tiers != nullptr ? tiers->counts().layers[static_cast<std::size_t>(Layer::core)] : 0;
  cap.core_operators_min =
      static_cast<std::uint32_t>(ceil_div(cap.core_customers, policy.core_per_operator_max));
  cap.core_operators_max =
      static_cast<std::uint32_t>(ceil_div(cap.core_customers, policy.core_per_operator_min));
  cap.close_operators = static_cast<std::uint32_t>(
      ceil_div(cap.close_customers * policy.operators_per_close, policy.close_per_operators));
  cap.peak_daily_adds = log.peak_daily_adds;
  cap.planned_daily_adds = policy.planned_daily_adds.value_or(log.peak_daily_adds);
  cap.accounts_needed =
      static_cast<std::uint32_t>(ceil_div(cap.planned_daily_adds, policy.adds_per_account));
  cap.accounts_active = log.accounts_active;
  cap.max_account_daily_adds = log.max_account_daily_adds;
  cap.reasons.push_back(judged(
      "core_operators", CheckUnit::count, static_cast<std::int64_t>(cap.core_customers), 0, true,
      fmt::format("{} core customers at {}-{} per operator: {} operators", cap.core_customers,
                  policy.core_per_operator_min, policy.core_per_operator_max,
                  span_text(cap.core_operators_min, cap.core_operators_max))));
  cap.reasons.push_back(judged(
      "close_operators", CheckUnit::count, static_cast<std::int64_t>(cap.close_customers), 0, true,
      fmt::format("{} customers ordered in the last {} days; {} operators serve {} closely: {}",
                  cap.close_customers, policy.window.micros / micros_per_day,
                  policy.operators_per_close, policy.close_per_operators,
                  count_of(cap.close_operators, "operator"))));
  cap.reasons.push_back(judged(
      "accounts", CheckUnit::count, static_cast<std::int64_t>(cap.accounts_needed),
      static_cast<std::int64_t>(cap.accounts_active), cap.accounts_active >= cap.accounts_needed,
      fmt::format("{} adds a day{} at {} per account: {}; {} added customers in the window",
                  cap.planned_daily_adds,
                  policy.planned_daily_adds ? " planned" : " (the busiest day)",
                  policy.adds_per_account, count_of(cap.accounts_needed, "account"),
                  count_of(cap.accounts_active, "account"))));
  cap.reasons.push_back(judged(
      "account_limit", CheckUnit::count, static_cast<std::int64_t>(cap.max_account_daily_adds),
      policy.account_add_limit, cap.max_account_daily_adds < policy.account_add_limit,
      fmt::format("the busiest account added {} in a day; keep every account under {}",
                  cap.max_account_daily_adds, policy.account_add_limit)));

  // Advice, most fundamental first.
  add(r.advice, "quadrant", quadrant_playbook(r.quadrant));
  add(r.advice, "rhythm", rhythm_playbook(r.rhythm));
  r.advice.push_back(
      r.large_volume
          ? Advice{"volume",
                   fmt::format("{} customers is a large base: rely on tools and automation (SOPs, "
                               "tags, segments) rather than one-to-one attention.",
                               r.customers),
                   fmt::format(
                       "{} 位客户属于大体量：依靠工具和自动化（SOP、标签、分群），而不是一对一。",
                       r.customers)}
          : Advice{"volume",
                   fmt::format("{} customers is a small base: operate each person deeply.",
                               r.customers),
                   fmt::format("{} 位客户属于小体量：对每个人做深度运营。", r.customers)});
  r.advice.push_back(
      r.operators == Operators::executors
          ? Advice{"operators",
                   "Stores own most customers: give them SOPs, tasks and leaderboards, and keep "
                   "strategy and content at headquarters.",
                   "客户主要由门店导购运营：为门店提供 SOP、任务和排行榜，策略与内容由总部统一。"}
          : Advice{"operators",
                   "Headquarters owns most customers: centralize SOPs and content, and route "
                   "customers to operators by layer.",
                   "客户主要由总部运营：集中制定 SOP 与内容，按分层把客户分配给运营。"});
  add(r.advice, "stage", stage_playbook(r.stage));
  if (!conversion_holds) {
    r.advice.push_back(Advice{
        "conversion",
        fmt::format("Conversion fell from {} to {} as the base grew: layer customers and let the "
                    "core serve the community before adding more.",
                    percent(*earlier_conversion), percent(*recent_conversion)),
        fmt::format("转化率从 {} 降到 {}：先做用户分层，让核心用户服务社群，再继续放量。",
                    percent(*earlier_conversion), percent(*recent_conversion))});
  }
  r.advice.push_back(Advice{
      "seed_users", fmt::format("Seed users: {}.", span_text(r.seed_users.min, r.seed_users.max)),
      fmt::format("种子用户：{} 人。", span_text(r.seed_users.min, r.seed_users.max))});
  r.advice.push_back(Advice{
      "capacity",
      fmt::format("Team: {} operators for the {} core customers, {} for close service of {} "
                  "recent buyers.",
                  span_text(cap.core_operators_min, cap.core_operators_max), cap.core_customers,
                  count_of(cap.close_operators, "operator"), cap.close_customers),
      fmt::format("团队：{} 位核心用户需要 {} 名运营，{} 位近期购买客户的贴身服务需要 {} 名运营。",
                  cap.core_customers, span_text(cap.core_operators_min, cap.core_operators_max),
                  cap.close_customers, cap.close_operators)});
  r.advice.push_back(Advice{
      "accounts",
      fmt::format("Accounts: {} for {} adds a day at {} each; spread adds over live codes.",
                  count_of(cap.accounts_needed, "WeCom account"), cap.planned_daily_adds,
                  policy.adds_per_account),
      fmt::format("账号：每天加粉 {} 人、每号 {} 人，需要 {} 个企业微信账号；用活码分散加粉。",
                  cap.planned_daily_adds, policy.adds_per_account, cap.accounts_needed)});
  if (cap.max_account_daily_adds >= policy.account_add_limit) {
    r.advice.push_back(Advice{
        "account_risk",
        fmt::format("An account added {} customers in one day: at {} or more a day it risks a ban. "
                    "Add accounts and spread the adds.",
                    cap.max_account_daily_adds, policy.account_add_limit),
        fmt::format("有账号单日加粉 {} 人，超过 {} 人有封号风险：增加账号并分散加粉。",
                    cap.max_account_daily_adds, policy.account_add_limit)});
  }
  return r;
}

}  // namespace siyu

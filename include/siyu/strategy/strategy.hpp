#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/check.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"

namespace siyu {

class Pool;
class TierEngine;

/// The business quadrant of purchase frequency × gross margin (DOMAIN.md §4, seed 002).
enum class Quadrant : std::uint8_t {
  paradise,          ///< First quadrant: high frequency, high margin: 私域天堂.
  heavy_operations,  ///< Second: low frequency, high margin: works with heavy operations.
  not_worth_it,      ///< Third: low frequency, low margin: private domain barely pays.
  supply_chain,      ///< Fourth: high frequency, low margin: works with a strong supply chain.
  unknown,           ///< No orders, or no declared margin on what sold.
};

/// The stage of a private domain (seed 002).
enum class Stage : std::uint8_t {
  zero_to_one,  ///< 0→1: testing people, goods and venue with seed users.
  one_to_ten,   ///< 1→10: growing; conversion drops as users grow; layers and team.
  ten_to_n,     ///< 10→N: scaling; onboarding capacity, accounts, content pipelines.
};

/// Who operates the customers (seed 001).
enum class Operators : std::uint8_t {
  headquarters,  ///< A central team owns most customers.
  executors,     ///< Stores or resellers own most customers.
};

/// Purchase frequency × ticket size (seed 001).
enum class Rhythm : std::uint8_t {
  high_frequency_low_ticket,   ///< Volume, fission, automation, a fast first order.
  high_frequency_high_ticket,  ///< Repeat service with depth.
  low_frequency_high_ticket,   ///< Long decisions: high-attraction campaigns, deep ops, layers.
  low_frequency_low_ticket,    ///< Light batch operations.
};

/// "paradise", "heavy_operations", "not_worth_it", "supply_chain", "unknown".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Quadrant quadrant) noexcept;
/// "0-1", "1-10", "10-N".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Stage stage) noexcept;
/// "headquarters", "executors".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Operators operators) noexcept;
/// "high_frequency_low_ticket", ….
[[nodiscard]] SIYU_EXPORT std::string_view to_string(Rhythm rhythm) noexcept;

/// The bounds the advisor judges by (docs/strategy.md), with the seeds' figures as defaults.
/// Thread-safety: a plain value.
struct StrategyPolicy {
  /// Orders per buyer per year, × 100, at or above which a business is high-frequency.
  std::int64_t high_frequency_centi = 4'00;
  std::int32_t high_margin_bp = 40'00;        ///< Revenue-weighted gross margin: high at or above.
  Money high_ticket = Money{300'00};          ///< Mean order at or above: a high ticket.
  std::uint64_t large_volume = 50'000;        ///< Customers at or above: a large base.
  std::uint64_t stage_one_max = 5'000;        ///< Fewer customers than this: 0→1.
  std::uint64_t stage_scale_min = 100'000;    ///< At least this many customers: 10→N.
  std::uint64_t scale_daily_adds = 1'000;     ///< Or adding at least this many a day: 10→N.
  std::uint32_t core_per_operator_min = 15;   ///< An operator's deep radius in a core group.
  std::uint32_t core_per_operator_max = 20;   ///< The same radius, upper end.
  std::uint32_t close_per_operators = 5'000;  ///< Close-service customers that ...
  std::uint32_t operators_per_close = 3;      ///< ... this many operators serve.
  std::uint32_t adds_per_account = 250;       ///< Planned adds per WeCom account a day (< 300).
  std::uint32_t account_add_limit = 300;      ///< The platform's risk line per account a day.
  Duration window = Duration::days(90);  ///< Recent activity: growth, conversion, close service.
  /// The host's existing customers (CRM, Tmall, stores) for seed sizing; the pool's
  /// customers when none.
  std::optional<std::uint64_t> existing_customers;
  /// The planned acquisition, adds a day; the busiest day of the window when none.
  std::optional<std::uint64_t> planned_daily_adds;

  /// Throws `ConfigError` (field named) for a zero bound, a radius min above its max, or
  /// adds per account above the limit.
  SIYU_EXPORT void validate() const;
};

/// A sentence of advice in English and Chinese. Thread-safety: a plain value.
struct Advice {
  std::string topic;  ///< "quadrant", "rhythm", "stage", "seed_users", "capacity", ….
  std::string en;     ///< English.
  std::string zh;     ///< Chinese.
};

/// How many seed users to bring in first (seed 002). Thread-safety: a plain value.
struct SeedUsers {
  std::uint64_t min = 0;  ///< At least this many.
  std::uint64_t max = 0;  ///< At most this many are needed for the test.
  Check reason;           ///< Which rule applied, with the existing base it rests on.
};

/// The team and accounts the pool needs now. Thread-safety: a plain value.
struct CapacityPlan {
  std::uint64_t core_customers = 0;      ///< The core layer.
  std::uint32_t core_operators_min = 0;  ///< Operators for it at the wide radius.
  std::uint32_t core_operators_max = 0;  ///< At the narrow radius.
  std::uint64_t close_customers = 0;     ///< Customers with an order in the window.
  std::uint32_t close_operators = 0;     ///< Operators to serve them closely.
  std::uint64_t peak_daily_adds = 0;     ///< The busiest day of the window, friend adds.
  std::uint64_t planned_daily_adds = 0;  ///< The plan the accounts are sized for.
  std::uint32_t accounts_needed = 0;     ///< WeCom accounts for the plan.
  std::uint32_t accounts_active = 0;     ///< Staff accounts that added a customer in the window.
  std::uint64_t max_account_daily_adds = 0;  ///< The most one account added in one day.
  std::vector<Check> reasons;                ///< Each figure with the rule behind it.
};

/// The advisor's reading of a pool (docs/strategy.md). Thread-safety: a plain value.
struct StrategyReport {
  Timestamp at;                 ///< The clock.
  std::uint64_t customers = 0;  ///< Persons with an event by the clock.
  std::uint64_t buyers = 0;     ///< Of those, with a paid order in the last year.
  std::optional<std::int64_t> purchases_per_year_centi;  ///< Orders per buyer per year × 100.
  std::optional<std::int64_t> margin_bp;             ///< Revenue-weighted declared gross margin.
  std::optional<std::int64_t> ticket;                ///< Mean paid order, in fen.
  Quadrant quadrant = Quadrant::unknown;             ///< Frequency × margin.
  std::vector<Check> quadrant_reasons;               ///< The frequency and margin checks.
  Operators operators = Operators::headquarters;     ///< Who owns the customers.
  Rhythm rhythm = Rhythm::low_frequency_low_ticket;  ///< Frequency × ticket.
  bool large_volume = false;                         ///< A large base: tools and automation.
  std::vector<Check> dimension_reasons;              ///< Operators, ticket and volume checks.
  Stage stage = Stage::zero_to_one;                  ///< 0→1, 1→10 or 10→N.
  std::vector<Check> stage_reasons;                  ///< Size, adds and the conversion trend.
  SeedUsers seed_users;                              ///< Seed sizing.
  CapacityPlan capacity;                             ///< Team and accounts.
  std::vector<Advice> advice;                        ///< What to do, in order.
};

/// What the advisor reads besides the pool. Thread-safety: a plain value of pointers.
struct StrategyInputs {
  std::optional<Timestamp> at;        ///< The clock; the latest event when none.
  const TierEngine* tiers = nullptr;  ///< The core layer; one default rebalance when none.
};

/// Reads the pool's own data into a quadrant, operating dimensions, a stage, seed sizing, a
/// capacity plan and advice (docs/strategy.md). Throws `ConfigError` for an invalid policy.
/// Reads only.
[[nodiscard]] SIYU_EXPORT StrategyReport advise(const Pool& pool, const StrategyPolicy& policy = {},
                                                const StrategyInputs& inputs = {});

}  // namespace siyu

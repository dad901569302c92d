#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/check.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"

namespace siyu {

class Pool;

/// A product's role in the product matrix (DOMAIN.md §5): standardization × margin.
enum class ProductRole : std::uint8_t {
  traffic,       ///< 引流产品: standard, low margin, a token price; acquires customers.
  star,          ///< 明星产品: standard, high margin; the cash cow.
  personalized,  ///< 个性化产品: non-standard, ordinary margin or price.
  premium,       ///< 贵族产品: non-standard, very high margin and ticket.
  unclassified,  ///< Standardization or margin not declared, and no role given.
};

/// Number of roles, for tables indexed by role.
inline constexpr std::size_t product_role_count = 5;

/// "traffic", "star", "personalized", "premium", "unclassified".
[[nodiscard]] SIYU_EXPORT std::string_view to_string(ProductRole role) noexcept;

/// What a product's declaration and the traffic→star linkage are judged by
/// (docs/products.md has each rule). Shares and margins are in basis points (1/100 of a
/// percent); files write them in percent. Thread-safety: a plain value.
struct MatrixPolicy {
  /// Classification from declared attributes.
  std::int32_t star_margin_bp = 40'00;      ///< Standard at or above: star; below: traffic.
  std::int32_t premium_margin_bp = 60'00;   ///< Non-standard at or above (and priced): premium.
  Money premium_min_price = Money{500'00};  ///< Non-standard premium products cost at least this.
  /// Checks of a declaration against the data.
  Money traffic_max_ticket = Money{50'00};    ///< A traffic product's mean order at most this.
  std::int32_t traffic_min_reach_bp = 10'00;  ///< It reaches at least this share of buyers.
  std::int32_t star_min_repeat_bp = 15'00;    ///< A star's buyers buy it again at least this often.
  /// The five linkage checks.
  std::int32_t min_path_bp = 50'00;          ///< Star buyers who took the traffic product first.
  std::int32_t min_repeat_bp = 10'00;        ///< Traffic takers who take it again (sustainability).
  std::int32_t min_active_weeks_bp = 50'00;  ///< Or: weeks of the period it sold in.
  std::int32_t max_price_ratio_bp = 20'00;   ///< Traffic price over star price at most this.
  std::int32_t refund_tolerance_bp = 0;      ///< Traffic refund rate over the star's at most this.
  /// Payback: the mean first order of customers who entered through the traffic product,
  /// over the acquisition cost, at least `min_payback_bp`. Checked only with a cost.
  std::optional<Money> acquisition_cost;
  std::int32_t min_payback_bp = 80'00;  ///< "Nearly pays back".
  /// Roles declared outright, by SKU: they override the classification.
  std::map<std::string, ProductRole, std::less<>> roles;
  /// Declared quality, by SKU (1 to 5): the value check compares it when both have one.
  std::map<std::string, std::int32_t, std::less<>> quality;
  /// Traffic→star pairs to audit, by SKU; every traffic × star pair when empty.
  std::vector<std::pair<std::string, std::string>> pairs;

  /// Throws `ConfigError` (field named) for a share or margin outside 0-100%, a negative
  /// price, a quality outside 1-5 or a pair naming the same product twice.
  SIYU_EXPORT void validate() const;

  /// Policies compare field by field.
  friend bool operator==(const MatrixPolicy&, const MatrixPolicy&) = default;
};

/// Reads a matrix file (docs/products.md); `source` names it in errors. Fields left out keep
/// the defaults. Throws `ParseError` or `ConfigError` naming source, line and field.
[[nodiscard]] SIYU_EXPORT MatrixPolicy parse_matrix_policy(std::string_view json,
                                                           const std::string& source = "matrix");
/// Reads the matrix file at `path`; throws as `parse_matrix_policy`, or `Error` (io).
[[nodiscard]] SIYU_EXPORT MatrixPolicy read_matrix_policy(const std::string& path);

/// What the log says about one product over the period. Thread-safety: a plain value.
struct ProductFigures {
  std::uint64_t orders = 0;               ///< Paid orders of it.
  std::uint64_t buyers = 0;               ///< Persons with an order of it.
  std::uint64_t repeat_buyers = 0;        ///< Of those, persons with two or more.
  std::uint64_t refunded_orders = 0;      ///< Orders of it with a refund naming the order.
  std::int64_t revenue = 0;               ///< Paid amounts, in fen (refunds not deducted).
  std::uint32_t active_weeks = 0;         ///< Weeks (of the period) with an order of it.
  std::optional<std::int64_t> reach_bp;   ///< buyers / all buyers; none without buyers.
  std::optional<std::int64_t> repeat_bp;  ///< repeat_buyers / buyers.
  std::optional<std::int64_t> refund_bp;  ///< refunded_orders / orders.
  std::optional<std::int64_t> ticket;     ///< revenue / orders, in fen, rounded down.
  std::optional<std::int64_t> orders_per_buyer_centi;  ///< orders / buyers × 100.

  /// Figures compare field by field.
  friend bool operator==(const ProductFigures&, const ProductFigures&) = default;
};

/// One product's role, why, and whether the data bears the role out.
/// Thread-safety: a plain value.
struct ProductAssessment {
  ProductId product;                             ///< The product.
  ProductRole role = ProductRole::unclassified;  ///< Its role.
  bool declared = false;                         ///< The role was declared in the policy outright.
  std::vector<Check> reasons;      ///< The declared attributes against the thresholds.
  ProductFigures figures;          ///< What the log says.
  std::vector<Check> data_checks;  ///< The role's expectations against the figures.

  /// True when every data check passed.
  [[nodiscard]] bool data_agrees() const noexcept {
    for (const Check& c : data_checks) {
      if (!c.passed) return false;
    }
    return true;
  }
};

/// The five checks of one traffic→star pair (DOMAIN.md §5), the time from the first
/// traffic purchase to the first star purchase, and the payback.
/// Thread-safety: a plain value.
struct LinkageAudit {
  ProductId traffic;                       ///< The traffic product.
  ProductId star;                          ///< The star product.
  std::vector<Check> checks;               ///< association, universality, sustainability, value,
                                           ///< low_price, then payback with a cost.
  std::uint64_t converted = 0;             ///< Star buyers who took the traffic product first.
  std::optional<Duration> median_to_star;  ///< Of those, the median time between firsts.
  std::optional<Duration> p90_to_star;     ///< And the 90th percentile.

  /// True when every check passed.
  [[nodiscard]] bool passed() const noexcept {
    for (const Check& c : checks) {
      if (!c.passed) return false;
    }
    return true;
  }
};

/// Which orders the matrix reads. Thread-safety: a plain value.
struct ProductQuery {
  std::optional<Timestamp> from;  ///< Orders at or after this; all when none.
  std::optional<Timestamp> at;    ///< Orders at or before this; the latest event when none.
};

/// Every product's role and the linkage audit of the traffic→star pairs.
/// Thread-safety: a plain value.
struct ProductMatrix {
  Timestamp from;                           ///< The period's first order considered.
  Timestamp at;                             ///< The period's end.
  std::uint64_t buyers = 0;                 ///< Persons with a paid order in the period.
  std::vector<ProductAssessment> products;  ///< By product id.
  std::vector<LinkageAudit> pairs;          ///< In the policy's order, else by ids.
};

/// Classifies the products of `pool` and audits the traffic→star pairs over the orders of
/// the period (docs/products.md). One pass over the log. Throws `ConfigError` for an
/// invalid policy and `NotFound` for a policy SKU the pool lacks. Reads only.
[[nodiscard]] SIYU_EXPORT ProductMatrix assess_products(const Pool& pool,
                                                        const MatrixPolicy& policy = {},
                                                        const ProductQuery& query = {});

}  // namespace siyu

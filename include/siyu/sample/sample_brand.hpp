#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

/// The shape of a generated brand (a tea brand selling through WeCom guides).
struct SampleBrandOptions {
  std::size_t customers = 20'000;   ///< Customers acquired over the period.
  std::uint64_t seed = 20'240'101;  ///< Same seed, same brand, byte for byte.
  LocalDate first_day{2024, 1, 1};  ///< First day of acquisition.
  int days = 180;                   ///< Length of the acquisition period.
  Zone zone;                        ///< Zone of the brand's calendar (UTC+8).
};

/// What a generated brand holds, counted while generating.
struct SampleBrandSummary {
  std::size_t customers = 0;       ///< Customers acquired.
  std::size_t events = 0;          ///< Events written.
  std::size_t staff = 0;           ///< Staff accounts.
  std::size_t max_daily_adds = 0;  ///< Most adds any staff account took in one day.
};

/// Adds the brand's directory to `pool`: staff in front, middle and back office across
/// branches and stores, channels and live codes, tag groups and tags, products (a traffic
/// product, star products, a premium gift box), coupons, content materials and groups.
SIYU_EXPORT void add_sample_directory(Pool& pool, const SampleBrandOptions& options = {});

/// Writes the brand's events as interchange CSV, header first, customer by customer:
/// acquisition through channel live codes with campaign spikes (under 300 adds per staff
/// account per day), welcome and follow-up messages, content sent, viewed and shared,
/// invitations, coupons issued and redeemed, orders (a small traffic product first, star
/// products for some, a few heavy buyers carrying most revenue) and refunds, tags, groups,
/// identity links and deletions. Deterministic: integer arithmetic on a fixed generator.
SIYU_EXPORT SampleBrandSummary write_sample_events(std::ostream& csv,
                                                   const SampleBrandOptions& options = {});

/// Adds the phone numbers the brand's buyers left at checkout, read from the committed log:
/// each customer key with a paid order holds a phone identity from its first order's time,
/// and every 40th buyer is a second WeChat account of the buyer before, sharing their
/// number, so those keys become one person at the next `commit()`. The pool needs a secret
/// (`PoolOptions::secret`). Deterministic for a seed. Returns the identities added.
SIYU_EXPORT std::size_t add_sample_identities(Pool& pool, const SampleBrandOptions& options = {});

}  // namespace siyu

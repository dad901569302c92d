#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "siyu/core/id.hpp"

namespace siyu {

/// A source customers arrive through: package cards, store posters, an ad, a livestream.
/// Thread-safety: a plain value.
struct Channel {
  std::string key;           ///< The host's id.
  std::string name;          ///< Display name ("包裹卡", "门店海报").
  std::string kind;          ///< Free classification (package_card, poster, ad, store, ...).
  bool placeholder = false;  ///< First seen in an event, not yet described by the host.

  /// Channels compare field by field.
  friend bool operator==(const Channel&, const Channel&) = default;
};

/// A channel live code (渠道活码): one QR code that records its channel, tags the customer
/// and rotates adds among several staff accounts. Thread-safety: a plain value.
struct LiveCode {
  std::string key;                    ///< The host's id.
  ChannelId channel;                  ///< The channel the code is printed for.
  std::vector<StaffId> staff;         ///< Accounts the code rotates among.
  std::vector<TagId> auto_tags;       ///< Tags given to every customer who scans it.
  std::uint32_t daily_add_limit = 0;  ///< Adds per staff account per day; 0 = no limit.

  /// Live codes compare field by field.
  friend bool operator==(const LiveCode&, const LiveCode&) = default;
};

}  // namespace siyu

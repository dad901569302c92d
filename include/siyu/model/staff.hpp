#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "siyu/core/timestamp.hpp"

namespace siyu {

/// Where a staff member works in the private-domain team (DOMAIN.md §3).
enum class StaffRole : std::uint8_t {
  front_office,   ///< 大前台: sales, shopping guides, advisors, service; own the relationship.
  middle_office,  ///< 小中台: content, campaign and channel operators; write the SOPs.
  back_office,    ///< 强后台: technology; automates the middle office's strategies.
};

/// A staff member (an employee's WeCom account). Thread-safety: a plain value.
struct Staff {
  std::string key;                           ///< The host's id (a WeCom userid).
  std::string name;                          ///< Display name.
  StaffRole role = StaffRole::front_office;  ///< Team position.
  std::string store;                         ///< Store (门店), if any.
  std::string branch;                        ///< Branch or region (分公司), if any.
  std::string team;                          ///< Team, if any.
  std::optional<Timestamp> resigned_at;      ///< When they left; their customers are handed over.
  bool placeholder = false;  ///< First seen in an event, not yet described by the host.

  /// True while the staff member has not resigned.
  [[nodiscard]] bool active() const noexcept { return !resigned_at.has_value(); }
  /// Staff compare field by field.
  friend bool operator==(const Staff&, const Staff&) = default;
};

}  // namespace siyu

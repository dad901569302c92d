#pragma once

#include <optional>
#include <string>
#include <vector>

#include "siyu/core/id.hpp"
#include "siyu/core/timestamp.hpp"

namespace siyu {

/// A change of the staff member responsible for a customer: a handover when staff resign
/// (离职继承) or a transfer between active staff (在职转移). Thread-safety: a plain value.
struct OwnerChange {
  Timestamp at;        ///< When the change took effect.
  StaffId from;        ///< The previous owner (none for the first assignment).
  StaffId to;          ///< The new owner.
  std::string reason;  ///< Why ("resigned", "transfer", "first add").

  /// Changes compare field by field.
  friend bool operator==(const OwnerChange&, const OwnerChange&) = default;
};

/// A customer: one person after identity resolution. Thread-safety: a plain value.
struct Customer {
  std::string key;                         ///< The first external key seen for the person.
  StaffId owner;                           ///< The staff member who owns the relationship.
  StaffId follow_up;                       ///< A second staff member who follows up, if any.
  std::vector<OwnerChange> owner_history;  ///< Every change of owner, oldest first.
  ChannelId channel;                       ///< Channel of acquisition (first friend_added).
  LiveCodeId live_code;                    ///< Live code of acquisition, if any.
  std::vector<TagId> tags;                 ///< Tags carried now, ascending.
  bool marketing_opt_out = false;  ///< Opted out of marketing messages (service still allowed).
  std::optional<Timestamp> created_at;  ///< First seen (first event or the host's record).
  std::optional<Timestamp> deleted_at;  ///< Last deleted the owner, if not re-added since.
  bool placeholder = false;             ///< First seen in an event, not yet described.

  /// Customers compare field by field.
  friend bool operator==(const Customer&, const Customer&) = default;
};

}  // namespace siyu

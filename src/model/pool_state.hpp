#pragma once
// The pool's insides, shared by the model and the store (a friend of Pool), nobody else.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/event_type_text.hpp"
#include "siyu/core/error.hpp"
#include "siyu/model/key_table.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace detail {

/// True when a quarantined record belongs to the customer `key`: it names them, or names no
/// one readably and its raw text contains the key (erasing errs on the side of removal).
bool quarantine_names_customer(const QuarantineRecord& record, std::string_view key);

/// The id of the customer with `key`; throws NotFound naming the key.
CustomerId customer_id(const Pool& pool, std::string_view key);

/// The hash that identifies a quarantined record: its source, line and raw text.
std::uint64_t quarantine_hash(const QuarantineRecord& record);

/// What an erased customer record becomes: an anonymous placeholder keyed `~erased-<id>`
/// (ids stay dense, so the record stays).
Customer erased_customer(CustomerId id);

}  // namespace detail

/// A customer record holding an identifier; removed holdings stay, inactive, so a store's
/// rows keep their ids.
struct IdentityHolding {
  CustomerId customer;
  IdentityId identity;
  Timestamp at;
  bool active = true;
};

struct Pool::State {
  PoolOptions options;
  Directory<Customer, CustomerId> customers;
  Directory<Staff, StaffId> staff;
  Directory<Channel, ChannelId> channels;
  Directory<LiveCode, LiveCodeId> live_codes;
  Directory<TagGroup, TagGroupId> tag_groups;
  Directory<Tag, TagId> tags;
  Directory<Product, ProductId> products;
  Directory<Coupon, CouponId> coupons;
  Directory<Material, MaterialId> materials;
  Directory<Group, GroupId> groups;
  Directory<Label, RefId> refs;
  Directory<Label, CustomNameId> custom_names;
  EventLog log;
  detail::EventBatch staged;
  // Person resolution: links in commit order, and each customer record's person.
  std::vector<IdentityLink> links;
  Directory<Identity, IdentityId> identities;
  std::vector<IdentityHolding> holdings;
  // The active holdings by (customer, identity): adding a million identifiers must not scan
  // the holdings a million times.
  std::unordered_map<std::uint64_t, std::size_t> active_holdings;
  static std::uint64_t holding_key(CustomerId customer, IdentityId identity) noexcept {
    return (std::uint64_t{customer.value} << 32) | identity.value;
  }
  std::vector<std::uint32_t> person_of;

  // Recomputes person_of from the active links; true when a customer's person changed.
  bool resolve_identities();
  std::vector<QuarantineRecord> quarantine;
  // Hashes of (source, line, raw) of the quarantined records: a record rejected again (a
  // file imported twice) is counted in the report but kept once.
  std::unordered_set<std::uint64_t> quarantined;
  // Accepted ids (hashed) with the hash of the content first accepted under them.
  detail::KeyTable accepted_ids;
  // Reads the accepted ids a store holds for this pool; called, and cleared, when the pool
  // first adds events (a pool opened to be queried never needs them).
  std::function<detail::Column<detail::KeyTable::Slot>()> load_keys;
  // Calls load_keys, if set, into accepted_ids.
  void adopt_saved_keys();
  std::uint64_t next_event_id = 0;

  // What a store has saved: events below `saved_events`, the first `saved_quarantine`
  // rejections; `unsaved_keys` are the ids of committed (or erased) events not saved yet.
  // The ids of staged events wait in `staged_ids`, one per staged event in its order: a
  // save that wrote them without their events would make the events duplicates if they
  // were read again after the process stopped.
  std::uint64_t saved_events = 0;
  std::size_t saved_quarantine = 0;
  std::vector<detail::KeyTable::Slot> unsaved_keys;
  std::vector<detail::KeyTable::Slot> staged_ids;
  // Per directory, in the store's order: records saved, and updates() entries saved.
  std::array<std::pair<std::size_t, std::size_t>, 13> saved_directories{};
  // Holdings saved, and saved holdings changed since (removed or erased).
  std::size_t saved_holdings = 0;
  std::vector<std::size_t> changed_holdings;
  std::string content;  // scratch for canonical_content

  // An event's hashes, computed a group ahead of staging it.
  struct EventKeys {
    detail::KeyHash id;         // of its idempotency key, given or derived
    std::uint64_t content = 0;  // of its canonical content
    detail::KeyHash customer;   // of its customer key
  };
  // Validates `e` and stages it, or counts it as a duplicate, or rejects it.
  void stage(const EventView& e, const EventKeys& keys, IngestReport& report, std::int64_t line,
             std::string_view raw);
  // Counts a rejected record and quarantines it, once per (source, line, raw).
  void reject(QuarantineRecord record, IngestReport& report);

  // The id of the record with `key` in `directory`, creating a placeholder if it is new.
  template <class Record, class RecordId>
  RecordId resolve(Directory<Record, RecordId>& directory, std::string_view key,
                   std::size_t& placeholders) {
    if (key.empty()) return RecordId{};
    return resolve(directory, key, detail::hash_key(key), placeholders);
  }
  // As above, for a non-empty key whose hash is known.
  template <class Record, class RecordId>
  RecordId resolve(Directory<Record, RecordId>& directory, std::string_view key,
                   detail::KeyHash hash, std::size_t& placeholders) {
    if (auto found = directory.find_hash(hash)) return *found;
    Record placeholder;
    placeholder.key = std::string(key);
    placeholder.placeholder = true;
    ++placeholders;
    return directory.upsert(std::move(placeholder));
  }

  // The id of the label `key`, added if new (not replaced if known: a replacement would
  // count as a change for the store to save).
  template <class RecordId>
  static RecordId upsert_label(Directory<Label, RecordId>& labels, std::string_view key) {
    if (auto found = labels.find(key)) return *found;
    return labels.upsert(Label{std::string(key)});
  }

  // The log stores channels and custom names in 16 bits (sizes first: lookups cost).
  void check_capacity(const EventView& e) const {
    if (channels.size() >= 0xFFFF && !e.channel.empty() && !live_codes.find(e.channel) &&
        !channels.find(e.channel)) {
      throw ValidationError(ErrorCode::out_of_range, "a pool holds at most 65,535 channels",
                            Where{.field = "channel"});
    }
    if (custom_names.size() >= 0xFFFF && e.type == EventType::custom &&
        !custom_names.find(e.custom_name)) {
      throw ValidationError(ErrorCode::out_of_range,
                            "a pool holds at most 65,535 custom event names",
                            Where{.field = "type"});
    }
  }

  // A channel key, or a live code's key standing for the channel it was printed for.
  ChannelId resolve_channel(std::string_view key, PlaceholderCounts& counts) {
    if (key.empty()) return ChannelId{};
    if (auto code = live_codes.find(key)) return live_codes[*code].channel;
    return resolve(channels, key, counts.channels);
  }

  std::uint32_t resolve_ref(const EventView& e, PlaceholderCounts& counts) {
    if (e.ref.empty()) return LoggedEvent::no_ref;
    switch (detail::ref_kind(e.type)) {
      case detail::RefKind::customer: return resolve(customers, e.ref, counts.customers).value;
      case detail::RefKind::coupon: return resolve(coupons, e.ref, counts.coupons).value;
      case detail::RefKind::tag: return resolve(tags, e.ref, counts.tags).value;
      case detail::RefKind::material: return resolve(materials, e.ref, counts.materials).value;
      case detail::RefKind::group: return resolve(groups, e.ref, counts.groups).value;
      case detail::RefKind::label: return upsert_label(refs, e.ref).value;
    }
    return LoggedEvent::no_ref;
  }
};

}  // namespace siyu

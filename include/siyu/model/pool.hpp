#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/error.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/model/channel.hpp"
#include "siyu/model/coupon.hpp"
#include "siyu/model/customer.hpp"
#include "siyu/model/directory.hpp"
#include "siyu/model/event.hpp"
#include "siyu/model/event_log.hpp"
#include "siyu/model/group.hpp"
#include "siyu/model/identity.hpp"
#include "siyu/model/ingest_report.hpp"
#include "siyu/model/material.hpp"
#include "siyu/model/product.hpp"
#include "siyu/model/quarantine.hpp"
#include "siyu/model/staff.hpp"
#include "siyu/model/tag.hpp"

namespace siyu {

class Store;

/// Settings a pool keeps with its data.
struct PoolOptions {
  Zone zone;           ///< Zone for calendar questions; UTC+8 by default.
  std::string secret;  ///< Key for hashing personal identifiers (phone numbers).
};

/// Where a batch of events comes from, so rejections name it and keep the raw records.
struct BatchOrigin {
  std::string source = "api";           ///< File or stream name.
  std::span<const std::int64_t> lines;  ///< Each event's line in the source, if line-based.
  std::span<const std::string> raw;     ///< Each event's record as read; if absent, a
                                        ///< rejected event is kept as a formatted CSV row.
};

/// What erasing a customer removed.
struct CustomerErasure {
  CustomerId customer;           ///< The erased person's id, now an anonymous record.
  std::vector<CustomerId> keys;  ///< Every customer record erased (the person's linked keys).
  std::size_t events = 0;        ///< Events removed.
  std::size_t quarantine = 0;    ///< Quarantined records removed.
};

/// Evidence that two keys belong to one person: an `identity_linked` event, or an identifier
/// (`Pool::add_identity`) that both keys hold.
struct IdentityLink {
  EventId event;        ///< The identity_linked event; none for a shared identifier.
  IdentityId identity;  ///< The identifier both keys hold; none for an event.
  Timestamp at;         ///< When it happened (the event's time, or when `b` got the identifier).
  CustomerId a;         ///< The key the event was reported under, or the identifier's first holder.
  CustomerId b;         ///< The key the event named in `ref`, or a later holder.
  bool active = true;   ///< False once undone with `Pool::unlink`.

  /// Links compare field by field.
  friend bool operator==(const IdentityLink&, const IdentityLink&) = default;
};

/// One person after identity resolution: their keys and the links that join them.
struct Person {
  CustomerId person;                ///< The person's id: the smallest id among the keys.
  std::vector<CustomerId> keys;     ///< Every customer record (external key) of the person.
  std::vector<IdentityLink> links;  ///< The active links among them, oldest first.
};

/// A string the log refers to by index: an order id or a custom event's ref or name.
struct Label {
  std::string key;  ///< The string itself.
  /// Labels compare by their string.
  friend bool operator==(const Label&, const Label&) = default;
};

/// Identifies an order id or custom ref in `Pool::refs()`.
using RefId = Id<struct RefTag>;
/// Identifies a custom event name in `Pool::custom_names()`.
using CustomNameId = Id<struct CustomNameTag, std::uint16_t>;

/// Everything a host holds about its private domain: directories of customers, staff,
/// channels, live codes, tags, products, coupons, materials and groups, the event log, and
/// the quarantine of rejected records.
///
/// Events are added in batches (`add_events`) and become visible in `events()` on
/// `commit()`, which merges them into the log in one pass; the readers in `ingest` commit
/// once per file. Keys an event names but the directories lack become placeholder entries.
/// Thread-safety: const methods may run concurrently; anything else needs exclusive access.
class SIYU_EXPORT Pool {
 public:
  /// An empty pool.
  explicit Pool(PoolOptions options = {});
  /// Pools are moved, not copied: they hold the whole log.
  Pool(Pool&&) noexcept;
  /// Move assignment.
  Pool& operator=(Pool&&) noexcept;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  /// The pool's settings.
  [[nodiscard]] const PoolOptions& options() const noexcept;

  /// Customers (one per person); add or describe them with `customers().upsert`.
  [[nodiscard]] Directory<Customer, CustomerId>& customers() noexcept;
  /// Customers, read-only.
  [[nodiscard]] const Directory<Customer, CustomerId>& customers() const noexcept;
  /// Staff members.
  [[nodiscard]] Directory<Staff, StaffId>& staff() noexcept;
  /// Staff members, read-only.
  [[nodiscard]] const Directory<Staff, StaffId>& staff() const noexcept;
  /// Channels (at most 65,535 per pool).
  [[nodiscard]] Directory<Channel, ChannelId>& channels() noexcept;
  /// Channels, read-only.
  [[nodiscard]] const Directory<Channel, ChannelId>& channels() const noexcept;
  /// Channel live codes.
  [[nodiscard]] Directory<LiveCode, LiveCodeId>& live_codes() noexcept;
  /// Channel live codes, read-only.
  [[nodiscard]] const Directory<LiveCode, LiveCodeId>& live_codes() const noexcept;
  /// Tag groups.
  [[nodiscard]] Directory<TagGroup, TagGroupId>& tag_groups() noexcept;
  /// Tag groups, read-only.
  [[nodiscard]] const Directory<TagGroup, TagGroupId>& tag_groups() const noexcept;
  /// Tags.
  [[nodiscard]] Directory<Tag, TagId>& tags() noexcept;
  /// Tags, read-only.
  [[nodiscard]] const Directory<Tag, TagId>& tags() const noexcept;
  /// Products.
  [[nodiscard]] Directory<Product, ProductId>& products() noexcept;
  /// Products, read-only.
  [[nodiscard]] const Directory<Product, ProductId>& products() const noexcept;
  /// Coupons.
  [[nodiscard]] Directory<Coupon, CouponId>& coupons() noexcept;
  /// Coupons, read-only.
  [[nodiscard]] const Directory<Coupon, CouponId>& coupons() const noexcept;
  /// Content materials.
  [[nodiscard]] Directory<Material, MaterialId>& materials() noexcept;
  /// Content materials, read-only.
  [[nodiscard]] const Directory<Material, MaterialId>& materials() const noexcept;
  /// Customer groups.
  [[nodiscard]] Directory<Group, GroupId>& groups() noexcept;
  /// Customer groups, read-only.
  [[nodiscard]] const Directory<Group, GroupId>& groups() const noexcept;
  /// Order ids and custom refs that logged events refer to.
  [[nodiscard]] const Directory<Label, RefId>& refs() const noexcept;
  /// Names of custom event types ("trial_class" for `custom.trial_class`).
  [[nodiscard]] const Directory<Label, CustomNameId>& custom_names() const noexcept;

  /// Validates and stages events; each is accepted, counted as a duplicate of an id
  /// already accepted, or rejected into the quarantine with the reason. Never throws for
  /// a bad record.
  [[nodiscard]] IngestReport add_events(std::span<const Event> events,
                                        const BatchOrigin& origin = {});
  /// Validates and stages events given as views, as above, counting each into `report` and
  /// quarantining rejections under `report.source`. `lines[i]` and `raw[i]`, where given,
  /// say where event i was read (an empty `raw[i]` keeps a rejected event as a formatted
  /// CSV row). The views need to live only for the call: the readers in `ingest` pass
  /// views into their buffers. Never throws for a bad record.
  void add_events(std::span<const EventView> events, IngestReport& report,
                  std::span<const std::int64_t> lines = {},
                  std::span<const std::string_view> raw = {});
  /// Quarantines a record that could not even be parsed (a reader's syntax error).
  void reject(QuarantineRecord record, IngestReport& report);
  /// Merges the staged events into the log.
  void commit();
  /// Events staged and not yet committed.
  [[nodiscard]] std::size_t staged() const noexcept;
  /// Makes room for about `events` more events with `text_bytes` of message text, so a
  /// large import fills its tables once instead of growing and copying them step by step.
  /// A hint: adding more or fewer events is fine. The readers in `ingest` call it when the
  /// stream's size is known.
  void reserve(std::size_t events, std::size_t text_bytes = 0);

  /// Erases a person from memory, every linked key included: their events (committed and
  /// staged) and texts, their quarantined records, and their records, which become anonymous
  /// placeholders keyed "~erased-<id>" so ids stay dense. Throws `NotFound` for an unknown key.
  /// `Store::erase` does the same in the file; use it for a stored pool.
  CustomerErasure erase_customer(std::string_view key);

  /// The person a customer record belongs to after identity resolution (itself if unlinked).
  /// Events in `events()` are clustered by person.
  [[nodiscard]] CustomerId person(CustomerId customer) const;
  /// Why keys are one customer: the person of `customer`, every key, and the links.
  [[nodiscard]] Person identity(CustomerId customer) const;
  /// Every identity link, active or undone, in the order committed.
  [[nodiscard]] const std::vector<IdentityLink>& identity_links() const noexcept;
  /// Undoes a wrong link (named by its identity_linked event): persons are recomputed and the
  /// log regrouped. Throws `NotFound` when no active link has that event.
  void unlink(EventId link);

  /// Identifiers customers are known by (unionids, openids, hashed phone numbers, ...).
  [[nodiscard]] const Directory<Identity, IdentityId>& identities() const noexcept;
  /// Records that the customer with key `customer` (a placeholder if new) holds the identifier
  /// `value` of `kind`, learned at `at`. A personal kind (`is_personal`) is canonicalised
  /// (phone numbers: "+86 138-1234-5678" is "13812345678"), hashed with keyed BLAKE2b under
  /// the pool's secret and masked; the raw value is kept nowhere. Keys holding one identifier
  /// become one person at the next `commit()`, with the identifier as the evidence. Holding
  /// it again changes nothing. Returns the identity. Throws `ValidationError` (field: the
  /// kind) for a bad value, `ConfigError` for a personal kind when the secret is under 16 bytes.
  IdentityId add_identity(std::string_view customer, IdentityKind kind, std::string_view value,
                          Timestamp at);
  /// The identity that `value` of `kind` is stored as, if some key has held it; throws as
  /// `add_identity` does for a bad value.
  [[nodiscard]] std::optional<IdentityId> find_identity(IdentityKind kind,
                                                        std::string_view value) const;
  /// The identifiers a customer record holds now, in the order added.
  [[nodiscard]] std::vector<IdentityId> identities_of(CustomerId customer) const;
  /// The customer records that hold an identifier now, in the order added.
  [[nodiscard]] std::vector<CustomerId> holders(IdentityId identity) const;
  /// Takes an identifier away from a customer record (a wrong match): persons are recomputed
  /// and the log regrouped at once. Throws `NotFound` when the record does not hold it.
  void remove_identity(CustomerId customer, IdentityId identity);

  /// The committed events.
  [[nodiscard]] const EventLog& events() const noexcept;
  /// Every rejected record, in the order rejected; a record rejected again (same source,
  /// line and raw text, as when a file is imported twice) is kept once.
  [[nodiscard]] const std::vector<QuarantineRecord>& quarantine() const noexcept;

 private:
  friend class Store;  // saves and restores the state below
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace siyu

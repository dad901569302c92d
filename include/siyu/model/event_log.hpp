#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "siyu/core/column_allocator.hpp"
#include "siyu/core/duration.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/model/event_type.hpp"

namespace siyu {

namespace detail {
/// The store's codec for the log's columns (internal).
struct EventChunks;
}  // namespace detail

/// One event as the log holds it: keys resolved to directory ids.
/// Thread-safety: a plain value.
struct LoggedEvent {
  EventId id;           ///< Arrival order in the pool; breaks timestamp ties.
  CustomerId customer;  ///< The person (after identity resolution).
  CustomerId key;       ///< The customer record (external key) it was reported under.
  Timestamp ts;         ///< When it happened.
  EventType type = EventType::custom;  ///< What happened.
  std::uint16_t custom_name = 0;       ///< For custom events: index into `Pool::custom_names()`.
  StaffId staff;                       ///< Staff involved, if any.
  ChannelId channel;                   ///< Channel, if any.
  ProductId product;                   ///< Product, if any.
  /// What `ref` named, resolved by type: a tag, material, coupon, group, the inviter or
  /// linked customer, or (orders, custom events) an index into `Pool::refs()`.
  std::uint32_t ref = no_ref;
  std::optional<Money> amount;       ///< Money involved, if any.
  std::optional<Duration> duration;  ///< Watch time in whole seconds, if any.
  std::string text;                  ///< Message text, empty if none.

  /// `ref` when the event refers to nothing.
  static constexpr std::uint32_t no_ref = 0xFFFF'FFFF;
  /// Events compare field by field.
  friend bool operator==(const LoggedEvent&, const LoggedEvent&) = default;
};

namespace detail {

/// Message texts back to back in one buffer (a string each would cost an allocation per
/// message): text i is bytes[ends[i], ends[i + 1]); text 0 is the empty text.
struct Texts {
  std::basic_string<char, std::char_traits<char>, ColumnAllocator<char>> bytes;
  Column<std::uint64_t> ends{0, 0};

  /// The text with index `index`.
  [[nodiscard]] std::string_view operator[](std::uint32_t index) const noexcept {
    return std::string_view(bytes).substr(ends[index], ends[index + 1] - ends[index]);
  }
  /// Stores `text` and returns its index; the empty text is index 0.
  std::uint32_t add(std::string_view text);
  /// True when nothing but the empty text is stored.
  [[nodiscard]] bool empty() const noexcept { return bytes.empty() && ends.size() == 2; }
  /// Makes room to `append` `more` without allocating.
  void reserve_for(const Texts& more);
  /// Takes `more`'s texts after these in one copy (none when these are empty) and returns
  /// what to add to an index of `more` (other than 0) to find its text here.
  std::uint32_t append(Texts&& more);
  /// Overwrites text `index` with zero bytes: an erased customer's messages must not linger
  /// in memory until the buffer is next rebuilt.
  void blank(std::uint32_t index) noexcept;
};

/// Keeps the values of `column` at `kept` (ascending positions), in order, and drops the
/// rest.
template <class Values>
void keep_positions(Values& column, std::span<const std::uint32_t> kept) {
  for (std::size_t i = 0; i < kept.size(); ++i) column[i] = column[kept[i]];
  column.resize(kept.size());
}

/// Flags of a logged event.
inline constexpr std::uint8_t event_has_amount = 1;
inline constexpr std::uint8_t event_has_duration = 2;
/// The channel column's value for an event without a channel.
inline constexpr std::uint16_t no_channel = 0xFFFF;

/// The per-event columns of a log, or of a batch on its way into one, in the log's
/// encoding. `each` lists them, in the one order the store's chunks also follow.
struct EventColumns {
  // Hot columns, 32 bytes per event; `flags` says whether amount and duration are present.
  // Channel ids are 16-bit: a pool has at most 65,535 channels (live codes are not limited).
  Column<std::int64_t> ts;
  Column<std::int64_t> amounts;
  Column<std::uint32_t> staff;
  Column<std::uint32_t> products;
  Column<std::uint32_t> refs;
  Column<std::uint16_t> channels;
  Column<EventType> types;
  Column<std::uint8_t> flags;
  // Cold columns: arrival id, the customer record reported under, custom name, duration and
  // text (0 = none).
  Column<std::uint64_t> ids;
  Column<std::uint32_t> keys;
  Column<std::uint16_t> custom_names;
  Column<std::uint32_t> durations;
  Column<std::uint32_t> text_index;

  /// Calls f(&EventColumns::column) for every column.
  template <class F>
  static void each_member(F&& f) {
    f(&EventColumns::ts), f(&EventColumns::amounts), f(&EventColumns::staff);
    f(&EventColumns::products), f(&EventColumns::refs), f(&EventColumns::channels);
    f(&EventColumns::types), f(&EventColumns::flags), f(&EventColumns::ids);
    f(&EventColumns::keys), f(&EventColumns::custom_names), f(&EventColumns::durations);
    f(&EventColumns::text_index);
  }
  /// Calls f(column) for every column of `columns`.
  template <class Columns, class F>
  static void each(Columns& columns, F&& f) {
    each_member([&](auto member) { f(columns.*member); });
  }
  /// Number of events.
  [[nodiscard]] std::size_t size() const noexcept { return ts.size(); }
  /// Puts the event at `order[i]` at position i, column by column through one scratch
  /// column: 8 bytes an event of extra memory, not a second copy of the columns.
  void permute(std::span<const std::uint32_t> order);
};

/// An accepted event on its way into the log, in the log's column encoding: what a pool
/// builds per event before the batch takes it apart into columns.
struct StagedEvent {
  std::uint64_t id = 0;
  std::int64_t ts = 0;
  std::int64_t amount = 0;     // fen, when flags has event_has_amount
  std::uint32_t customer = 0;  // the person: the key's record until identities are resolved
  std::uint32_t key = 0;       // the customer record it was reported under
  std::uint32_t staff = StaffId::none_value;
  std::uint32_t product = ProductId::none_value;
  std::uint32_t ref = LoggedEvent::no_ref;
  std::uint32_t duration = 0;  // whole seconds, when flags has event_has_duration
  std::uint32_t text = 0;      // index into the batch's texts
  std::uint16_t channel = no_channel;
  std::uint16_t custom_name = 0;
  EventType type = EventType::custom;
  std::uint8_t flags = 0;

  /// Sets the fields the log encodes: amount and duration with their flags, and the
  /// 16-bit channel (a pool holds at most 65,535 channels).
  void set_encoded(std::optional<Money> money, std::optional<Duration> time,
                   ChannelId through) noexcept;
};

/// Events accepted and not yet merged into a log, in arrival order, in columns: a first
/// import's batch becomes the log's columns in place.
struct EventBatch {
  EventColumns events;
  Column<std::uint32_t> customers;  ///< The person of each event.
  Texts texts;

  /// Number of events.
  [[nodiscard]] std::size_t size() const noexcept { return events.size(); }
  /// Makes room for `count` more events.
  void reserve(std::size_t count);
  /// Adds `event`, whose `text` indexes `texts`, to every column or (out of memory) none.
  void push_back(const StagedEvent& event);
  /// Adds `event` (its `key`, when unset, is its customer) and its text.
  void push_back(const LoggedEvent& event);
  /// Keeps the events at `kept` (ascending positions), in order; blanks the others' texts.
  void keep(std::span<const std::uint32_t> kept);
  /// Empties the batch.
  void clear();
};

}  // namespace detail

/// The pool's events in columns, clustered by customer and ordered within a customer by
/// timestamp, ties in arrival order. The hot columns a metric scans take 32 bytes per event
/// (ts, value, staff, product, ref, channel, kind); message text is stored apart.
///
/// Appending merges a batch into the clustering in one linear pass: no event already in
/// the log is compared again. Thread-safety: const methods may run concurrently;
/// `append` needs exclusive access.
class SIYU_EXPORT EventLog {
 public:
  /// Positions [begin, end) of one customer's events.
  struct Range {
    std::size_t begin = 0;  ///< First position.
    std::size_t end = 0;    ///< One past the last position.
    /// Number of events in the range.
    [[nodiscard]] std::size_t size() const noexcept { return end - begin; }
  };

  /// When the log starts and ends.
  struct Span {
    Timestamp first;  ///< The earliest event's timestamp.
    Timestamp last;   ///< The latest event's timestamp.
    /// Spans compare field by field.
    friend bool operator==(const Span&, const Span&) = default;
  };

  /// Number of events.
  [[nodiscard]] std::size_t size() const noexcept { return columns_.ts.size(); }
  /// The earliest and latest timestamps; none for an empty log. Kept as events come and go,
  /// so the metrics' default clock costs nothing.
  [[nodiscard]] std::optional<Span> span() const noexcept { return span_; }
  /// Customers the clustering covers: ids below this have a (possibly empty) range.
  [[nodiscard]] std::size_t customer_count() const noexcept { return offsets_.size() - 1; }
  /// A customer's events; empty for customers the log has never seen.
  [[nodiscard]] Range range(CustomerId customer) const noexcept;
  /// The event at a position, rebuilt from the columns.
  [[nodiscard]] LoggedEvent at(std::size_t position) const;
  /// The customer whose range holds `position`.
  [[nodiscard]] CustomerId customer_at(std::size_t position) const;

  /// Timestamps column (µs since the epoch).
  [[nodiscard]] std::span<const std::int64_t> ts() const noexcept { return columns_.ts; }
  /// Event types column.
  [[nodiscard]] std::span<const EventType> types() const noexcept { return columns_.types; }
  /// Amount in fen column; 0 where the event has none (see `has_amount`).
  [[nodiscard]] std::span<const std::int64_t> amounts() const noexcept { return columns_.amounts; }
  /// Staff column (`StaffId::value`).
  [[nodiscard]] std::span<const std::uint32_t> staff() const noexcept { return columns_.staff; }
  /// Product column (`ProductId::value`).
  [[nodiscard]] std::span<const std::uint32_t> products() const noexcept {
    return columns_.products;
  }
  /// Ref column (see `LoggedEvent::ref`).
  [[nodiscard]] std::span<const std::uint32_t> refs() const noexcept { return columns_.refs; }
  /// Channel column (`ChannelId::value`, 16-bit: 0xFFFF where the event has none).
  [[nodiscard]] std::span<const std::uint16_t> channels() const noexcept {
    return columns_.channels;
  }
  /// Custom name column: for custom events, an index into `Pool::custom_names()`.
  [[nodiscard]] std::span<const std::uint16_t> custom_names() const noexcept {
    return columns_.custom_names;
  }
  /// Duration column: watch time in whole seconds; 0 where the event has none.
  [[nodiscard]] std::span<const std::uint32_t> durations() const noexcept {
    return columns_.durations;
  }
  /// The message text of the event at `position`; empty when it has none. No copy: valid
  /// until the log changes.
  [[nodiscard]] std::string_view text(std::size_t position) const noexcept {
    return texts_[columns_.text_index[position]];
  }
  /// Key column: the customer record each event was reported under (`CustomerId::value`).
  [[nodiscard]] std::span<const std::uint32_t> keys() const noexcept { return columns_.keys; }
  /// Arrival ids column (`EventId::value`).
  [[nodiscard]] std::span<const std::uint64_t> ids() const noexcept { return columns_.ids; }
  /// Per-customer offsets: customer c's events are [offsets[c], offsets[c + 1]).
  [[nodiscard]] std::span<const std::uint64_t> offsets() const noexcept { return offsets_; }
  /// True when the event at `position` carries an amount.
  [[nodiscard]] bool has_amount(std::size_t position) const noexcept;

  /// Removes every event of `customer` and blanks their texts; returns how many were removed.
  std::size_t remove_customer(CustomerId customer);

  /// Re-clusters the log after identity links changed: each event moves to the person
  /// `person_of[key]` of the key it was reported under, keeping (ts, id) order.
  void regroup(std::span<const std::uint32_t> person_of);

  /// Merges `batch` into the log. Events keep (customer, ts, id) order; ids must be new
  /// and ascending within the batch. Customers may be new.
  void append(std::span<const LoggedEvent> batch);
  /// Merges staged events, as above, taking the batch's texts: what a pool commits. Into
  /// an empty log the batch's columns move, put in order where they are. When memory runs
  /// out, neither the log nor the batch has changed.
  void append(detail::EventBatch&& batch);

 private:
  friend struct detail::EventChunks;  // the store keeps the columns as chunks

  // Sets span_ from the timestamps, after events were removed or read in bulk.
  void recompute_span() noexcept;

  // Calls f(column) for every per-event column of `log`.
  template <class Log, class F>
  static void each_column(Log& log, F&& f) {
    detail::EventColumns::each(log.columns_, f);
  }

  detail::EventColumns columns_;
  detail::Texts texts_;
  detail::Column<std::uint64_t> offsets_{0};
  std::optional<Span> span_;
};

}  // namespace siyu

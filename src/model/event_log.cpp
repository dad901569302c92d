#include "siyu/model/event_log.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>
#include <tuple>
#include <type_traits>

namespace siyu {

using detail::event_has_amount;
using detail::event_has_duration;

std::uint32_t detail::Texts::add(std::string_view text) {
  if (text.empty()) return 0;
  bytes += text;
  ends.push_back(bytes.size());
  return static_cast<std::uint32_t>(ends.size() - 2);
}

void detail::Texts::reserve_for(const Texts& more) {
  if (empty()) return;  // `append` will take `more` whole
  bytes.reserve(bytes.size() + more.bytes.size());
  ends.reserve(ends.size() + more.ends.size() - 2);
}

std::uint32_t detail::Texts::append(Texts&& more) {
  if (empty()) {
    *this = std::move(more);
    return 0;
  }
  reserve_for(more);
  const auto shift = static_cast<std::uint32_t>(ends.size() - 2);
  const std::uint64_t base = bytes.size();
  bytes += more.bytes;
  for (std::size_t i = 2; i < more.ends.size(); ++i) ends.push_back(base + more.ends[i]);
  more = Texts{};
  return shift;
}

void detail::Texts::blank(std::uint32_t index) noexcept {
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(ends[index]),
            bytes.begin() + static_cast<std::ptrdiff_t>(ends[index + 1]), '\0');
}

void detail::StagedEvent::set_encoded(std::optional<Money> money, std::optional<Duration> time,
                                      ChannelId through) noexcept {
  assert(!through.has_value() || through.value < no_channel);
  amount = money ? money->fen : 0;
  duration = time ? static_cast<std::uint32_t>(time->whole_seconds()) : 0;
  channel = through.has_value() ? static_cast<std::uint16_t>(through.value) : no_channel;
  flags =
      static_cast<std::uint8_t>((money ? event_has_amount : 0) | (time ? event_has_duration : 0));
}

void detail::EventColumns::permute(std::span<const std::uint32_t> order) {
  assert(order.size() == size());
  const std::size_t n = order.size();
  // Each column in turn is gathered into the scratch and copied back, reading it in the
  // order's runs rather than cycle by cycle. The scratch is the only allocation, and comes
  // first: a failure leaves the columns as they were.
  Column<std::uint64_t> scratch(n);
  each(*this, [&](auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    static_assert(std::is_trivially_copyable_v<Value> && sizeof(Value) <= sizeof(std::uint64_t));
    auto* gathered = reinterpret_cast<Value*>(scratch.data());
    for (std::size_t i = 0; i < n; ++i) gathered[i] = column[order[i]];
    std::memcpy(column.data(), gathered, n * sizeof(Value));
  });
}

void detail::EventBatch::reserve(std::size_t count) {
  EventColumns::each(events, [&](auto& column) { column.reserve(column.size() + count); });
  customers.reserve(customers.size() + count);
}

void detail::EventBatch::push_back(const StagedEvent& e) {
  // Room in every column first, so that a failed allocation leaves them all one length.
  bool full = customers.size() == customers.capacity();
  EventColumns::each(
      events, [&](const auto& column) { full = full || column.size() == column.capacity(); });
  if (full) reserve(std::max<std::size_t>(size(), 64));
  events.ts.push_back(e.ts);
  events.amounts.push_back(e.amount);
  events.staff.push_back(e.staff);
  events.products.push_back(e.product);
  events.refs.push_back(e.ref);
  events.channels.push_back(e.channel);
  events.types.push_back(e.type);
  events.flags.push_back(e.flags);
  events.ids.push_back(e.id);
  events.keys.push_back(e.key);
  events.custom_names.push_back(e.custom_name);
  events.durations.push_back(e.duration);
  events.text_index.push_back(e.text);
  customers.push_back(e.customer);
}

void detail::EventBatch::keep(std::span<const std::uint32_t> kept) {
  assert(std::is_sorted(kept.begin(), kept.end()));
  std::size_t next = 0;  // the next kept position
  for (std::size_t p = 0; p < size(); ++p) {
    if (next < kept.size() && kept[next] == p) {
      ++next;
    } else {
      texts.blank(events.text_index[p]);
    }
  }
  EventColumns::each(events, [&](auto& column) { keep_positions(column, kept); });
  keep_positions(customers, kept);
}

void detail::EventBatch::push_back(const LoggedEvent& e) {
  StagedEvent staged{.id = e.id.value,
                     .ts = e.ts.micros,
                     .customer = e.customer.value,
                     .key = e.key.has_value() ? e.key.value : e.customer.value,
                     .staff = e.staff.value,
                     .product = e.product.value,
                     .ref = e.ref,
                     .text = texts.add(e.text),
                     .custom_name = e.custom_name,
                     .type = e.type};
  staged.set_encoded(e.amount, e.duration, e.channel);
  push_back(staged);
}

void detail::EventBatch::clear() {
  EventColumns::each(events, [](auto& column) { column.clear(); });
  customers.clear();
  texts = Texts{};
}

EventLog::Range EventLog::range(CustomerId customer) const noexcept {
  if (customer.value >= customer_count()) return {};
  return {offsets_[customer.value], offsets_[customer.value + 1]};
}

bool EventLog::has_amount(std::size_t position) const noexcept {
  return (columns_.flags[position] & event_has_amount) != 0;
}

CustomerId EventLog::customer_at(std::size_t position) const {
  // The last customer whose range starts at or before `position` (empty ranges share starts).
  const auto it = std::upper_bound(offsets_.begin(), offsets_.end(), position);
  return CustomerId{static_cast<std::uint32_t>(it - offsets_.begin() - 1)};
}

LoggedEvent EventLog::at(std::size_t position) const {
  LoggedEvent event;
  event.id = EventId{columns_.ids[position]};
  event.customer = customer_at(position);
  event.key = CustomerId{columns_.keys[position]};
  event.ts = Timestamp{columns_.ts[position]};
  event.type = columns_.types[position];
  event.custom_name = columns_.custom_names[position];
  event.staff = StaffId{columns_.staff[position]};
  event.channel =
      ChannelId{columns_.channels[position] == detail::no_channel ? ChannelId::none_value
                                                                  : columns_.channels[position]};
  event.product = ProductId{columns_.products[position]};
  event.ref = columns_.refs[position];
  if ((columns_.flags[position] & event_has_amount) != 0)
    event.amount = Money{columns_.amounts[position]};
  if ((columns_.flags[position] & event_has_duration) != 0) {
    event.duration = Duration::seconds(columns_.durations[position]);
  }
  event.text = texts_[columns_.text_index[position]];
  return event;
}

void EventLog::recompute_span() noexcept {
  if (columns_.ts.empty()) {
    span_.reset();
    return;
  }
  const auto [first, last] = std::minmax_element(columns_.ts.begin(), columns_.ts.end());
  span_ = Span{Timestamp{*first}, Timestamp{*last}};
}

std::size_t EventLog::remove_customer(CustomerId customer) {
  const Range r = range(customer);
  if (r.size() == 0) return 0;
  // Overwrite the texts, not just drop their indexes: an erased customer's messages must not
  // linger in memory. The bytes are reclaimed when the log is next rebuilt.
  for (std::size_t p = r.begin; p < r.end; ++p) texts_.blank(columns_.text_index[p]);
  each_column(*this, [&](auto& column) {
    column.erase(column.begin() + static_cast<std::ptrdiff_t>(r.begin),
                 column.begin() + static_cast<std::ptrdiff_t>(r.end));
  });
  for (std::size_t c = customer.value + 1; c < offsets_.size(); ++c) offsets_[c] -= r.size();
  recompute_span();
  return r.size();
}

void EventLog::regroup(std::span<const std::uint32_t> person_of) {
  const std::size_t n = size();
  const auto by_time = [&](std::size_t a, std::size_t b) {
    return std::tie(columns_.ts[a], columns_.ids[a]) < std::tie(columns_.ts[b], columns_.ids[b]);
  };
  // Counting sort by person; within a person the events of its keys interleave by (ts, id).
  // A log read back in the order it was saved in one go is clustered already: then only
  // the persons' offsets are counted, with no order and no event moved.
  std::size_t customers = customer_count();
  bool clustered = true;
  for (std::size_t p = 0; p < n; ++p) {
    const std::uint32_t person = person_of[columns_.keys[p]];
    customers = std::max<std::size_t>(customers, std::size_t{person} + 1);
    if (p > 0 && clustered) {
      const std::uint32_t before = person_of[columns_.keys[p - 1]];
      clustered = before < person || (before == person && !by_time(p, p - 1));
    }
  }
  detail::Column<std::uint64_t> offsets(customers + 1, 0);
  for (std::uint32_t key : columns_.keys) ++offsets[person_of[key] + 1];
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  if (clustered) {
    offsets_ = std::move(offsets);
    recompute_span();
    return;
  }
  detail::Column<std::uint32_t> order(n);
  {
    std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
    for (std::size_t p = 0; p < n; ++p) {
      order[next[person_of[columns_.keys[p]]]++] = static_cast<std::uint32_t>(p);
    }
  }
  for (std::size_t c = 0; c < customers; ++c) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(offsets[c]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(offsets[c + 1]);
    if (!std::is_sorted(first, last, by_time)) std::sort(first, last, by_time);
  }
  columns_.permute(order);
  offsets_ = std::move(offsets);
  recompute_span();  // the same events, but the store's reader fills the columns directly
}

void EventLog::append(std::span<const LoggedEvent> batch) {
  detail::EventBatch staged;
  staged.reserve(batch.size());
  for (const LoggedEvent& event : batch) staged.push_back(event);
  append(std::move(staged));
}

void EventLog::append(detail::EventBatch&& batch) {
  detail::EventColumns& events = batch.events;
  const std::size_t n = events.size();
  if (n == 0) return;
  assert(std::is_sorted(events.ids.begin(), events.ids.end()));
  assert(columns_.ids.empty() ||
         events.ids.front() > *std::max_element(columns_.ids.begin(), columns_.ids.end()));
  const auto& person = batch.customers;

  std::size_t customers = customer_count();
  for (std::uint32_t c : person) customers = std::max<std::size_t>(customers, std::size_t{c} + 1);
  const auto [earliest, latest] = std::minmax_element(events.ts.begin(), events.ts.end());
  Span span{Timestamp{*earliest}, Timestamp{*latest}};
  if (span_) span = Span{std::min(span_->first, span.first), std::max(span_->last, span.last)};

  // Counting sort of the batch by customer, then by timestamp within a customer; stable,
  // so equal timestamps stay in arrival order.
  detail::Column<std::uint64_t> batch_offsets(customers + 1, 0);
  for (std::uint32_t c : person) ++batch_offsets[c + 1];
  std::partial_sum(batch_offsets.begin(), batch_offsets.end(), batch_offsets.begin());
  detail::Column<std::uint32_t> order(n);
  {
    detail::Column<std::uint64_t> next(batch_offsets.begin(), batch_offsets.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) order[next[person[i]]++] = i;
  }
  const auto by_ts = [&](std::uint32_t a, std::uint32_t b) { return events.ts[a] < events.ts[b]; };
  for (std::size_t c = 0; c < customers; ++c) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(batch_offsets[c]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(batch_offsets[c + 1]);
    if (!std::is_sorted(first, last, by_ts)) std::stable_sort(first, last, by_ts);
  }

  // Every allocation comes before the first change, so a failed append leaves the log and
  // the batch as they were (the pool keeps the batch staged). The batch's texts join the
  // log's whole, in arrival order: an event finds its text by index, so the texts need not
  // follow the clustering.
  texts_.reserve_for(batch.texts);
  const auto take_texts = [&] {
    if (const std::uint32_t shift = texts_.append(std::move(batch.texts)); shift != 0) {
      for (std::uint32_t& text : events.text_index) text += text != 0 ? shift : 0;
    }
  };

  if (size() == 0) {
    // Nothing to merge with (a first import): the batch's columns become the log's, put in
    // order where they are.
    events.permute(order);
    take_texts();
    columns_ = std::move(events);
    offsets_ = std::move(batch_offsets);
    span_ = span;
    return;
  }

  // Where each merged position comes from: position p of the log, or the batch's event
  // i as size() + i. Older events win ties: their arrival ids are smaller.
  const std::size_t old_size = size();
  const std::size_t old_customers = customer_count();
  detail::Column<std::uint32_t> source;
  source.reserve(old_size + n);
  detail::Column<std::uint64_t> offsets;
  offsets.reserve(customers + 1);
  offsets.push_back(0);
  for (std::size_t c = 0; c < customers; ++c) {
    std::size_t p = c < old_customers ? offsets_[c] : old_size;
    const std::size_t p_end = c < old_customers ? offsets_[c + 1] : old_size;
    for (std::size_t b = batch_offsets[c]; b < batch_offsets[c + 1]; ++b) {
      const std::int64_t ts = events.ts[order[b]];
      for (; p < p_end && columns_.ts[p] <= ts; ++p)
        source.push_back(static_cast<std::uint32_t>(p));
      source.push_back(static_cast<std::uint32_t>(old_size + order[b]));
    }
    for (; p < p_end; ++p) source.push_back(static_cast<std::uint32_t>(p));
    offsets.push_back(source.size());
  }
  detail::EventColumns merged;
  detail::EventColumns::each(merged, [&](auto& column) { column.resize(source.size()); });
  take_texts();
  detail::EventColumns::each_member([&](auto member) {
    const auto& old = columns_.*member;
    const auto& added = events.*member;
    auto& to = merged.*member;
    for (std::size_t i = 0; i < source.size(); ++i) {
      const std::uint32_t from = source[i];
      to[i] = from < old_size ? old[from] : added[from - old_size];
    }
  });
  columns_ = std::move(merged);
  offsets_ = std::move(offsets);
  span_ = span;
}

}  // namespace siyu

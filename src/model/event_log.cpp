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

std::uint32_t detail::Texts::append(Texts&& more) {
  if (bytes.empty() && ends.size() == 2) {
    *this = std::move(more);
    return 0;
  }
  const auto shift = static_cast<std::uint32_t>(ends.size() - 2);
  const std::uint64_t base = bytes.size();
  bytes += more.bytes;
  ends.reserve(ends.size() + more.ends.size() - 2);
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
  events.push_back(staged);
}

void detail::EventBatch::clear() {
  events.clear();
  texts = Texts{};
}

EventLog::Range EventLog::range(CustomerId customer) const noexcept {
  if (customer.value >= customer_count()) return {};
  return {offsets_[customer.value], offsets_[customer.value + 1]};
}

bool EventLog::has_amount(std::size_t position) const noexcept {
  return (flags_[position] & event_has_amount) != 0;
}

CustomerId EventLog::customer_at(std::size_t position) const {
  // The last customer whose range starts at or before `position` (empty ranges share starts).
  const auto it = std::upper_bound(offsets_.begin(), offsets_.end(), position);
  return CustomerId{static_cast<std::uint32_t>(it - offsets_.begin() - 1)};
}

LoggedEvent EventLog::at(std::size_t position) const {
  LoggedEvent event;
  event.id = EventId{ids_[position]};
  event.customer = customer_at(position);
  event.key = CustomerId{keys_[position]};
  event.ts = Timestamp{ts_[position]};
  event.type = types_[position];
  event.custom_name = custom_names_[position];
  event.staff = StaffId{staff_[position]};
  event.channel = ChannelId{channels_[position] == detail::no_channel ? ChannelId::none_value
                                                                      : channels_[position]};
  event.product = ProductId{products_[position]};
  event.ref = refs_[position];
  if ((flags_[position] & event_has_amount) != 0) event.amount = Money{amounts_[position]};
  if ((flags_[position] & event_has_duration) != 0) {
    event.duration = Duration::seconds(durations_[position]);
  }
  event.text = texts_[text_index_[position]];
  return event;
}

void EventLog::recompute_span() noexcept {
  if (ts_.empty()) {
    span_.reset();
    return;
  }
  const auto [first, last] = std::minmax_element(ts_.begin(), ts_.end());
  span_ = Span{Timestamp{*first}, Timestamp{*last}};
}

std::size_t EventLog::remove_customer(CustomerId customer) {
  const Range r = range(customer);
  if (r.size() == 0) return 0;
  // Overwrite the texts, not just drop their indexes: an erased customer's messages must not
  // linger in memory. The bytes are reclaimed when the log is next rebuilt.
  for (std::size_t p = r.begin; p < r.end; ++p) texts_.blank(text_index_[p]);
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
    return std::tie(ts_[a], ids_[a]) < std::tie(ts_[b], ids_[b]);
  };
  // Counting sort by person; within a person the events of its keys interleave by (ts, id).
  // A log read back in the order it was saved in one go is clustered already: then only
  // the persons' offsets are counted, with no order and no event moved.
  std::size_t customers = customer_count();
  bool clustered = true;
  for (std::size_t p = 0; p < n; ++p) {
    const std::uint32_t person = person_of[keys_[p]];
    customers = std::max<std::size_t>(customers, std::size_t{person} + 1);
    if (p > 0 && clustered) {
      const std::uint32_t before = person_of[keys_[p - 1]];
      clustered = before < person || (before == person && !by_time(p, p - 1));
    }
  }
  detail::Column<std::uint64_t> offsets(customers + 1, 0);
  for (std::uint32_t key : keys_) ++offsets[person_of[key] + 1];
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
      order[next[person_of[keys_[p]]]++] = static_cast<std::uint32_t>(p);
    }
  }
  for (std::size_t c = 0; c < customers; ++c) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(offsets[c]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(offsets[c + 1]);
    if (!std::is_sorted(first, last, by_time)) std::sort(first, last, by_time);
  }
  // Position i takes the event at order[i]: each column in turn is gathered into one
  // scratch buffer and copied back, so moving needs one column's worth of memory more, not
  // a second copy of the log (and reads each column in order's runs, not cycle by cycle).
  detail::Column<std::uint64_t> scratch(n);
  each_column(*this, [&](auto& column) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    static_assert(std::is_trivially_copyable_v<Value> && sizeof(Value) <= sizeof(std::uint64_t));
    auto* gathered = reinterpret_cast<Value*>(scratch.data());
    for (std::size_t i = 0; i < n; ++i) gathered[i] = column[order[i]];
    std::memcpy(column.data(), gathered, n * sizeof(Value));
  });
  offsets_ = std::move(offsets);
  recompute_span();  // the same events, but the store's reader fills the columns directly
}

void EventLog::append(std::span<const LoggedEvent> batch) {
  detail::EventBatch staged;
  staged.events.reserve(batch.size());
  for (const LoggedEvent& event : batch) staged.push_back(event);
  append(std::move(staged));
}

void EventLog::append(detail::EventBatch&& batch) {
  const auto& events = batch.events;
  if (events.empty()) return;
  assert(std::is_sorted(events.begin(), events.end(),
                        [](const auto& a, const auto& b) { return a.id < b.id; }));
  assert(ids_.empty() || events.front().id > *std::max_element(ids_.begin(), ids_.end()));

  std::size_t customers = customer_count();
  std::int64_t earliest = events.front().ts;
  std::int64_t latest = earliest;
  for (const detail::StagedEvent& event : events) {
    customers = std::max<std::size_t>(customers, std::size_t{event.customer} + 1);
    earliest = std::min(earliest, event.ts);
    latest = std::max(latest, event.ts);
  }

  // Counting sort of the batch by customer, then by timestamp within a customer; stable,
  // so equal timestamps stay in arrival order.
  detail::Column<std::uint64_t> batch_offsets(customers + 1, 0);
  for (const detail::StagedEvent& event : events) ++batch_offsets[event.customer + 1];
  std::partial_sum(batch_offsets.begin(), batch_offsets.end(), batch_offsets.begin());
  detail::Column<std::uint32_t> order(events.size());
  {
    detail::Column<std::uint64_t> next(batch_offsets.begin(), batch_offsets.end() - 1);
    for (std::uint32_t i = 0; i < events.size(); ++i) order[next[events[i].customer]++] = i;
  }
  const auto by_ts = [&](std::uint32_t a, std::uint32_t b) { return events[a].ts < events[b].ts; };
  for (std::size_t c = 0; c < customers; ++c) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(batch_offsets[c]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(batch_offsets[c + 1]);
    if (!std::is_sorted(first, last, by_ts)) std::stable_sort(first, last, by_ts);
  }

  EventLog merged;
  const std::size_t total = size() + events.size();
  each_column(merged, [&](auto& column) { column.reserve(total); });
  // The batch's texts join the log's whole, in arrival order: an event finds its text by
  // index, so the texts need not follow the clustering.
  merged.texts_ = std::move(texts_);
  const std::uint32_t text_shift = merged.texts_.append(std::move(batch.texts));
  merged.offsets_.reserve(customers + 1);

  // Runs of existing events with nothing new among them are copied column by column.
  std::size_t run_begin = 0;
  const auto copy_existing = [&](std::size_t run_end) {
    if (run_end == run_begin) return;
    each_column_pair(merged, *this, [&](auto& to, const auto& from) {
      to.insert(to.end(), from.begin() + static_cast<std::ptrdiff_t>(run_begin),
                from.begin() + static_cast<std::ptrdiff_t>(run_end));
    });
    run_begin = run_end;
  };
  const auto copy_new = [&](const detail::StagedEvent& e) {
    merged.ts_.push_back(e.ts);
    merged.amounts_.push_back(e.amount);
    merged.staff_.push_back(e.staff);
    merged.products_.push_back(e.product);
    merged.refs_.push_back(e.ref);
    merged.channels_.push_back(e.channel);
    merged.types_.push_back(e.type);
    merged.flags_.push_back(e.flags);
    merged.ids_.push_back(e.id);
    merged.keys_.push_back(e.key);
    merged.custom_names_.push_back(e.custom_name);
    merged.durations_.push_back(e.duration);
    merged.text_index_.push_back(e.text == 0 ? 0 : e.text + text_shift);
  };

  const std::size_t old_customers = customer_count();
  std::size_t added = 0;  // new events placed so far
  for (std::size_t c = 0; c < customers; ++c) {
    std::size_t p = c < old_customers ? offsets_[c] : size();
    const std::size_t p_end = c < old_customers ? offsets_[c + 1] : size();
    std::size_t b = batch_offsets[c];
    const std::size_t b_end = batch_offsets[c + 1];
    if (b < b_end) {
      // Older events win ties: their arrival ids are smaller.
      for (; b < b_end; ++b) {
        const detail::StagedEvent& e = events[order[b]];
        while (p < p_end && ts_[p] <= e.ts) ++p;
        copy_existing(p);
        copy_new(e);
        ++added;
      }
    }
    merged.offsets_.push_back(p_end + added);
  }
  copy_existing(size());
  merged.span_ = span_.value_or(Span{Timestamp{earliest}, Timestamp{latest}});
  merged.span_->first = std::min(merged.span_->first, Timestamp{earliest});
  merged.span_->last = std::max(merged.span_->last, Timestamp{latest});
  *this = std::move(merged);
}

}  // namespace siyu

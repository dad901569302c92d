#include "siyu/model/pool.hpp"

#define XXH_INLINE_ALL  // NOLINT(readability-identifier-naming): xxHash's own switch
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <string>
#include <unordered_map>

#include "core/text.hpp"
#include "model/disjoint_sets.hpp"
#include "model/event_type_text.hpp"
#include "model/identity_hash.hpp"
#include "model/pool_state.hpp"
#include "siyu/core/iso8601.hpp"

namespace siyu {

namespace {

using detail::hash_key;

constexpr char separator = '\x1f';

// Appends `value` in decimal, as std::to_string writes it, without a temporary string.
void append_decimal(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), end);
}

// The fields that make an event what it is, in one canonical string: the content hash
// compares duplicates and, when the host gave no id, names the event. Stores remember ids
// derived from it, so its shape never changes.
void canonical_content(const EventView& e, std::string& out) {
  out.clear();
  append_decimal(out, e.ts.micros);
  for (std::string_view part :
       {e.customer, to_string(e.type), e.custom_name, e.staff, e.channel, e.product}) {
    out += separator;
    out += part;
  }
  out += separator;
  if (e.amount) append_decimal(out, e.amount->fen);
  out += separator;
  out += e.ref;
  out += separator;
  if (e.duration) append_decimal(out, e.duration->micros);
  out += separator;
  out += e.text;
}

// The id of an event the host sent without one: "~" and 32 hex digits of its content hash.
using DerivedId = std::array<char, 33>;
std::string_view derived_id(std::string_view content, DerivedId& out) {
  const XXH128_hash_t h = XXH3_128bits(content.data(), content.size());
  constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                        '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::size_t at = 0;
  out[at++] = '~';
  for (std::uint64_t part : {h.high64, h.low64}) {
    for (int shift = 60; shift >= 0; shift -= 4) out[at++] = hex[(part >> shift) & 0xF];
  }
  return {out.data(), out.size()};
}

[[noreturn]] void invalid(ErrorCode code, std::string_view field, std::string message) {
  throw ValidationError(code, std::move(message), Where{.field = std::string(field)});
}

// The checks every event passes, whether read from a file or built in C++.
void validate(const EventView& e) {
  if (e.customer.empty()) invalid(ErrorCode::missing_field, "customer", "customer key is empty");
  if (e.ts < Timestamp::earliest() || e.ts > Timestamp::latest()) {
    invalid(ErrorCode::out_of_range, "ts", "timestamp outside the supported years 1400-9999");
  }
  if (e.type == EventType::custom && !detail::valid_custom_name(e.custom_name)) {
    invalid(ErrorCode::invalid_value, "type",
            "custom event name must be 1-64 letters, digits, '_', '-' or '.'");
  }
  if (e.type != EventType::custom && !e.custom_name.empty()) {
    invalid(ErrorCode::invalid_value, "type", "only custom events have a custom name");
  }
  switch (e.type) {
    case EventType::order_paid:
    case EventType::order_refunded:
      if (!e.amount)
        invalid(ErrorCode::missing_field, "amount",
                std::string(to_string(e.type)) + " needs an amount");
      if (e.amount->fen < 0) {
        invalid(ErrorCode::invalid_value, "amount",
                "order amounts are not negative (a refund is an order_refunded event)");
      }
      if (e.ref.empty())
        invalid(ErrorCode::missing_field, "ref",
                std::string(to_string(e.type)) + " needs the order id in ref");
      break;
    case EventType::invited:
    case EventType::identity_linked:
      if (e.ref.empty()) {
        invalid(ErrorCode::missing_field, "ref",
                std::string(to_string(e.type)) + " needs the other customer's key in ref");
      }
      if (e.ref == e.customer)
        invalid(ErrorCode::invalid_value, "ref", "ref names the customer itself");
      break;
    case EventType::coupon_issued:
    case EventType::coupon_redeemed:
      if (e.ref.empty())
        invalid(ErrorCode::missing_field, "ref",
                std::string(to_string(e.type)) + " needs the coupon in ref");
      break;
    case EventType::tag_added:
    case EventType::tag_removed:
      if (e.ref.empty())
        invalid(ErrorCode::missing_field, "ref",
                std::string(to_string(e.type)) + " needs the tag in ref");
      break;
    default: break;
  }
  if (e.duration) {
    if (e.duration->micros < 0)
      invalid(ErrorCode::invalid_value, "duration", "duration is negative");
    if (e.duration->micros % 1'000'000 != 0) {
      invalid(ErrorCode::invalid_value, "duration", "duration must be whole seconds");
    }
    if (e.duration->whole_seconds() > std::numeric_limits<std::uint32_t>::max()) {
      invalid(ErrorCode::out_of_range, "duration", "duration longer than 136 years");
    }
  }
  for (const auto& [field, text] : {std::pair{"customer", e.customer},
                                    {"staff", e.staff},
                                    {"channel", e.channel},
                                    {"product", e.product},
                                    {"ref", e.ref},
                                    {"text", e.text}}) {
    if (!detail::is_valid_utf8(text)) invalid(ErrorCode::invalid_value, field, "not valid UTF-8");
  }
}

}  // namespace

Pool::Pool(PoolOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
Pool::Pool(Pool&&) noexcept = default;
Pool& Pool::operator=(Pool&&) noexcept = default;
Pool::~Pool() = default;

const PoolOptions& Pool::options() const noexcept { return state_->options; }
Directory<Customer, CustomerId>& Pool::customers() noexcept { return state_->customers; }
const Directory<Customer, CustomerId>& Pool::customers() const noexcept {
  return state_->customers;
}
Directory<Staff, StaffId>& Pool::staff() noexcept { return state_->staff; }
const Directory<Staff, StaffId>& Pool::staff() const noexcept { return state_->staff; }
Directory<Channel, ChannelId>& Pool::channels() noexcept { return state_->channels; }
const Directory<Channel, ChannelId>& Pool::channels() const noexcept { return state_->channels; }
Directory<LiveCode, LiveCodeId>& Pool::live_codes() noexcept { return state_->live_codes; }
const Directory<LiveCode, LiveCodeId>& Pool::live_codes() const noexcept {
  return state_->live_codes;
}
Directory<TagGroup, TagGroupId>& Pool::tag_groups() noexcept { return state_->tag_groups; }
const Directory<TagGroup, TagGroupId>& Pool::tag_groups() const noexcept {
  return state_->tag_groups;
}
Directory<Tag, TagId>& Pool::tags() noexcept { return state_->tags; }
const Directory<Tag, TagId>& Pool::tags() const noexcept { return state_->tags; }
Directory<Product, ProductId>& Pool::products() noexcept { return state_->products; }
const Directory<Product, ProductId>& Pool::products() const noexcept { return state_->products; }
Directory<Coupon, CouponId>& Pool::coupons() noexcept { return state_->coupons; }
const Directory<Coupon, CouponId>& Pool::coupons() const noexcept { return state_->coupons; }
Directory<Material, MaterialId>& Pool::materials() noexcept { return state_->materials; }
const Directory<Material, MaterialId>& Pool::materials() const noexcept {
  return state_->materials;
}
Directory<Group, GroupId>& Pool::groups() noexcept { return state_->groups; }
const Directory<Group, GroupId>& Pool::groups() const noexcept { return state_->groups; }
const Directory<Label, RefId>& Pool::refs() const noexcept { return state_->refs; }
const Directory<Label, CustomNameId>& Pool::custom_names() const noexcept {
  return state_->custom_names;
}
const EventLog& Pool::events() const noexcept { return state_->log; }
const std::vector<QuarantineRecord>& Pool::quarantine() const noexcept {
  return state_->quarantine;
}
std::size_t Pool::staged() const noexcept { return state_->staged.size(); }

void Pool::reserve(std::size_t events, std::size_t text_bytes) {
  State& s = *state_;
  s.adopt_saved_keys();  // first, or the keys read later would grow the table again
  s.accepted_ids.reserve(s.accepted_ids.size() + events);
  s.staged.reserve(events);
  s.staged_ids.reserve(s.staged_ids.size() + events);
  s.staged.texts.bytes.reserve(s.staged.texts.bytes.size() + text_bytes);
}

std::uint64_t detail::quarantine_hash(const QuarantineRecord& record) {
  std::string key = record.source;
  key += separator;
  key += std::to_string(record.line);
  key += separator;
  key += record.raw;
  return XXH3_64bits(key.data(), key.size());
}

Customer detail::erased_customer(CustomerId id) {
  return Customer{.key = "~erased-" + std::to_string(id.value), .placeholder = true};
}

bool detail::quarantine_names_customer(const QuarantineRecord& record, std::string_view key) {
  if (!record.customer.empty()) return record.customer == key;
  return record.raw.find(key) != std::string::npos;
}

CustomerId detail::customer_id(const Pool& pool, std::string_view key) {
  if (auto found = pool.customers().find(key)) return *found;
  throw NotFound("no customer with key \"" + std::string(key) + "\"");
}

CustomerErasure Pool::erase_customer(std::string_view key) {
  State& s = *state_;
  const CustomerId found = detail::customer_id(*this, key);
  CustomerErasure erasure{.customer = person(found), .keys = identity(found).keys};
  const auto is_erased = [&](CustomerId c) {
    return std::find(erasure.keys.begin(), erasure.keys.end(), c) != erasure.keys.end();
  };
  erasure.events = s.log.remove_customer(erasure.customer);
  std::vector<std::uint32_t> staged_kept;
  const auto& staged_keys = s.staged.events.keys;
  for (std::uint32_t p = 0; p < staged_keys.size(); ++p) {
    if (is_erased(CustomerId{staged_keys[p]})) {
      s.unsaved_keys.push_back(s.staged_ids[p]);  // its id stays taken
    } else {
      staged_kept.push_back(p);
    }
  }
  erasure.events += staged_keys.size() - staged_kept.size();
  detail::keep_positions(s.staged_ids, staged_kept);
  s.staged.keep(staged_kept);

  std::vector<std::string> keys;
  keys.reserve(erasure.keys.size());
  for (CustomerId c : erasure.keys) keys.push_back(s.customers[c].key);
  const auto kept = std::stable_partition(
      s.quarantine.begin(), s.quarantine.end(), [&](const QuarantineRecord& q) {
        return std::none_of(keys.begin(), keys.end(), [&](const std::string& k) {
          return detail::quarantine_names_customer(q, k);
        });
      });
  erasure.quarantine = static_cast<std::size_t>(s.quarantine.end() - kept);
  for (auto it = kept; it != s.quarantine.end(); ++it)
    s.quarantined.erase(detail::quarantine_hash(*it));
  s.quarantine.erase(kept, s.quarantine.end());

  // The links' events are gone; each erased record becomes its own anonymous person.
  for (IdentityLink& link : s.links) {
    if (is_erased(link.a) || is_erased(link.b)) link.active = false;
  }
  for (CustomerId c : erasure.keys) {
    s.customers.replace(c, detail::erased_customer(c));
  }
  // Their identifiers go too, unless another person still holds one (the erased record gave
  // it up before): holdings stay as inactive, timeless rows; identities become anonymous.
  std::vector<bool> still_held(s.identities.size(), false);
  std::vector<IdentityId> held;
  for (std::size_t h = 0; h < s.holdings.size(); ++h) {
    IdentityHolding& holding = s.holdings[h];
    if (!is_erased(holding.customer)) {
      if (holding.active) still_held[holding.identity.value] = true;
      continue;
    }
    held.push_back(holding.identity);
    s.active_holdings.erase(State::holding_key(holding.customer, holding.identity));
    holding = IdentityHolding{.customer = holding.customer,
                              .identity = holding.identity,
                              .at = Timestamp{},
                              .active = false};
    s.changed_holdings.push_back(h);
  }
  for (IdentityId id : held) {
    if (still_held[id.value] || s.identities[id].key.starts_with("~")) continue;
    s.identities.replace(
        id, Identity{.key = "~erased-" + std::to_string(id.value), .kind = s.identities[id].kind});
  }
  (void)s.resolve_identities();  // the erased person has no events left to regroup
  return erasure;
}

void Pool::reject(QuarantineRecord record, IngestReport& report) {
  state_->reject(std::move(record), report);
}

void Pool::State::reject(QuarantineRecord record, IngestReport& report) {
  ++report.read;
  ++report.rejected;
  if (report.rejections.size() < IngestReport::sample_limit) report.rejections.push_back(record);
  if (quarantined.insert(detail::quarantine_hash(record)).second) {
    quarantine.push_back(std::move(record));
  }
}

void Pool::State::adopt_saved_keys() {
  if (!load_keys) return;
  const auto keys = load_keys();
  load_keys = nullptr;
  accepted_ids.reserve(accepted_ids.size() + keys.size());
  for (const auto& [key, hash] : keys) (void)accepted_ids.try_emplace(key, hash);
}

IngestReport Pool::add_events(std::span<const Event> events, const BatchOrigin& origin) {
  IngestReport report;
  report.source = origin.source;
  const std::vector<EventView> views(events.begin(), events.end());
  const std::vector<std::string_view> raw(origin.raw.begin(), origin.raw.end());
  add_events(views, report, origin.lines, raw);
  return report;
}

void Pool::add_events(std::span<const EventView> events, IngestReport& report,
                      std::span<const std::int64_t> lines, std::span<const std::string_view> raw) {
  State& s = *state_;
  s.adopt_saved_keys();
  // A group's keys are hashed and their table slots fetched first, then its events staged
  // in order: the slot reads of a group overlap instead of each waiting on memory.
  constexpr std::size_t group = 16;
  std::array<State::EventKeys, group> keys;
  for (std::size_t first = 0; first < events.size(); first += group) {
    const std::size_t count = std::min(group, events.size() - first);
    for (std::size_t k = 0; k < count; ++k) {
      const EventView& e = events[first + k];
      canonical_content(e, s.content);
      DerivedId derived{};
      keys[k] =
          State::EventKeys{.id = hash_key(e.id.empty() ? derived_id(s.content, derived) : e.id),
                           .content = XXH3_64bits(s.content.data(), s.content.size()),
                           .customer = hash_key(e.customer)};
      s.accepted_ids.prefetch(keys[k].id);
      s.customers.prefetch(keys[k].customer);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t i = first + k;
      s.stage(events[i], keys[k], report, i < lines.size() ? lines[i] : 0,
              i < raw.size() ? raw[i] : std::string_view());
    }
  }
}

void Pool::State::stage(const EventView& e, const EventKeys& keys, IngestReport& report,
                        std::int64_t line, std::string_view raw) {
  try {
    validate(e);
    const auto [existing, inserted] = accepted_ids.try_emplace(keys.id, keys.content);
    if (!inserted) {
      ++report.read;
      ++report.duplicate;
      if (existing->content != keys.content) {
        ++report.conflicting;
        if (report.conflicts.size() < IngestReport::sample_limit) {
          canonical_content(e, content);
          DerivedId derived{};
          const std::string_view id = e.id.empty() ? derived_id(content, derived) : e.id;
          report.conflicts.push_back({report.source, line, std::string(id)});
        }
      }
      return;
    }
    // Capacity first: a rejected event must leave no placeholders behind.
    try {
      check_capacity(e);
    } catch (...) {
      accepted_ids.erase(keys.id);
      throw;
    }
    PlaceholderCounts& placeholders = report.placeholders;
    const ChannelId channel = resolve_channel(e.channel, placeholders);
    const CustomerId customer =
        resolve(customers, e.customer, keys.customer, placeholders.customers);
    detail::StagedEvent event{.id = next_event_id++,
                              .ts = e.ts.micros,
                              .customer = customer.value,
                              .key = customer.value,
                              .staff = resolve(staff, e.staff, placeholders.staff).value,
                              .product = resolve(products, e.product, placeholders.products).value,
                              .ref = resolve_ref(e, placeholders),
                              .text = staged.texts.add(e.text),
                              .custom_name = e.type == EventType::custom
                                                 ? upsert_label(custom_names, e.custom_name).value
                                                 : std::uint16_t{0},
                              .type = e.type};
    event.set_encoded(e.amount, e.duration, channel);
    try {
      staged_ids.push_back({keys.id, keys.content});
      staged.push_back(event);  // every column or none
    } catch (...) {
      // Out of memory: the event is not staged, so its id must not stay taken.
      if (staged_ids.size() > staged.size()) staged_ids.pop_back();
      accepted_ids.erase(keys.id);
      throw;
    }
    ++report.read;
    ++report.accepted;
  } catch (const Error& error) {
    reject(QuarantineRecord{.source = report.source,
                            .line = line,
                            .record = std::string(e.id),
                            .customer = std::string(e.customer),
                            .field = error.where().field,
                            .code = error.code(),
                            .reason = error.message(),
                            .raw = raw.empty() ? format_event_csv(e) : std::string(raw)},
           report);
  }
}

bool Pool::State::resolve_identities() {
  detail::DisjointSets sets(customers.size());
  for (const IdentityLink& link : links) {
    if (link.active) sets.unite(link.a.value, link.b.value);
  }
  // Keys holding one identifier are one person: each holder joins the first.
  std::vector<CustomerId> first_holder(identities.size());
  for (const IdentityHolding& h : holdings) {
    if (!h.active) continue;
    CustomerId& first = first_holder[h.identity.value];
    if (first.has_value()) {
      sets.unite(first.value, h.customer.value);
    } else {
      first = h.customer;
    }
  }
  std::vector<std::uint32_t> roots = sets.roots();
  bool changed = false;
  for (std::size_t c = 0; c < person_of.size() && !changed; ++c) changed = roots[c] != person_of[c];
  person_of = std::move(roots);
  return changed;
}

void Pool::commit() {
  State& s = *state_;
  const detail::EventColumns& staged = s.staged.events;
  for (std::size_t p = 0; p < staged.size(); ++p) {
    if (staged.types[p] == EventType::identity_linked && staged.refs[p] != LoggedEvent::no_ref) {
      s.links.push_back(IdentityLink{.event = EventId{staged.ids[p]},
                                     .at = Timestamp{staged.ts[p]},
                                     .a = CustomerId{staged.keys[p]},
                                     .b = CustomerId{staged.refs[p]}});
    }
  }
  if (s.resolve_identities()) s.log.regroup(s.person_of);  // links joined people with history
  for (std::size_t p = 0; p < staged.size(); ++p) {
    s.staged.customers[p] = s.person_of[staged.keys[p]];
  }
  // The committed events' ids join those to save; room first, so nothing fails after the
  // log has changed (an empty list takes them whole).
  if (!s.unsaved_keys.empty()) s.unsaved_keys.reserve(s.unsaved_keys.size() + s.staged_ids.size());
  s.log.append(std::move(s.staged));
  s.staged.clear();
  if (s.unsaved_keys.empty()) {
    s.unsaved_keys.swap(s.staged_ids);
  } else {
    s.unsaved_keys.insert(s.unsaved_keys.end(), s.staged_ids.begin(), s.staged_ids.end());
  }
  s.staged_ids.clear();
}

CustomerId Pool::person(CustomerId customer) const {
  const auto& person_of = state_->person_of;
  return customer.value < person_of.size() ? CustomerId{person_of[customer.value]} : customer;
}

Person Pool::identity(CustomerId customer) const {
  Person identity{.person = person(customer)};
  for (std::uint32_t c = 0; c < state_->customers.size(); ++c) {
    if (person(CustomerId{c}) == identity.person) identity.keys.push_back(CustomerId{c});
  }
  for (const IdentityLink& link : state_->links) {
    if (link.active && person(link.a) == identity.person) identity.links.push_back(link);
  }
  // Shared identifiers: each later holder is linked to the first, in the order they came.
  std::unordered_map<std::uint32_t, CustomerId> first_holder;
  for (const IdentityHolding& h : state_->holdings) {
    if (!h.active || person(h.customer) != identity.person) continue;
    const auto [first, inserted] = first_holder.try_emplace(h.identity.value, h.customer);
    if (!inserted) {
      identity.links.push_back(
          IdentityLink{.identity = h.identity, .at = h.at, .a = first->second, .b = h.customer});
    }
  }
  return identity;
}

const Directory<Identity, IdentityId>& Pool::identities() const noexcept {
  return state_->identities;
}

IdentityId Pool::add_identity(std::string_view customer, IdentityKind kind, std::string_view value,
                              Timestamp at) {
  State& s = *state_;
  Identity identity = detail::make_identity(kind, value, s.options.secret);
  if (customer.empty()) {
    throw ValidationError(ErrorCode::missing_field, "an identifier needs the customer's key",
                          Where{.field = "customer"});
  }
  std::size_t placeholders = 0;
  const CustomerId holder = s.resolve(s.customers, std::string(customer), placeholders);
  const auto existing = s.identities.find(identity.key);
  const IdentityId id = existing ? *existing : s.identities.upsert(std::move(identity));
  if (s.active_holdings.try_emplace(State::holding_key(holder, id), s.holdings.size()).second) {
    s.holdings.push_back(IdentityHolding{.customer = holder, .identity = id, .at = at});
  }
  return id;
}

std::optional<IdentityId> Pool::find_identity(IdentityKind kind, std::string_view value) const {
  return state_->identities.find(detail::make_identity(kind, value, state_->options.secret).key);
}

std::vector<IdentityId> Pool::identities_of(CustomerId customer) const {
  std::vector<IdentityId> held;
  for (const IdentityHolding& h : state_->holdings) {
    if (h.active && h.customer == customer) held.push_back(h.identity);
  }
  return held;
}

std::vector<CustomerId> Pool::holders(IdentityId identity) const {
  std::vector<CustomerId> found;
  for (const IdentityHolding& h : state_->holdings) {
    if (h.active && h.identity == identity) found.push_back(h.customer);
  }
  return found;
}

void Pool::remove_identity(CustomerId customer, IdentityId identity) {
  State& s = *state_;
  const auto found = s.active_holdings.find(State::holding_key(customer, identity));
  if (found == s.active_holdings.end()) {
    throw NotFound("customer #" + std::to_string(customer.value) + " does not hold identity #" +
                   std::to_string(identity.value));
  }
  s.holdings[found->second].active = false;
  s.changed_holdings.push_back(found->second);
  s.active_holdings.erase(found);
  if (s.resolve_identities()) s.log.regroup(s.person_of);
}

const std::vector<IdentityLink>& Pool::identity_links() const noexcept { return state_->links; }

void Pool::unlink(EventId link) {
  State& s = *state_;
  const auto found = std::find_if(s.links.begin(), s.links.end(), [&](const IdentityLink& l) {
    return l.active && l.event == link;
  });
  if (found == s.links.end()) {
    throw NotFound("no active identity link made by event " + std::to_string(link.value));
  }
  found->active = false;
  if (s.resolve_identities()) s.log.regroup(s.person_of);
}

IngestReport& IngestReport::operator+=(const IngestReport& other) {
  read += other.read;
  accepted += other.accepted;
  duplicate += other.duplicate;
  rejected += other.rejected;
  conflicting += other.conflicting;
  placeholders.customers += other.placeholders.customers;
  placeholders.staff += other.placeholders.staff;
  placeholders.channels += other.placeholders.channels;
  placeholders.products += other.placeholders.products;
  placeholders.tags += other.placeholders.tags;
  placeholders.materials += other.placeholders.materials;
  placeholders.coupons += other.placeholders.coupons;
  placeholders.groups += other.placeholders.groups;
  for (const auto& r : other.rejections) {
    if (rejections.size() < sample_limit) rejections.push_back(r);
  }
  for (const auto& c : other.conflicts) {
    if (conflicts.size() < sample_limit) conflicts.push_back(c);
  }
  return *this;
}

}  // namespace siyu

#include "model/event_matcher.hpp"

#include <algorithm>
#include <string>

#include "model/event_type_text.hpp"
#include "siyu/core/error.hpp"

namespace siyu::detail {

namespace {

template <class Record, class RecordId>
std::uint32_t require(const Directory<Record, RecordId>& directory, const std::string& key,
                      std::string_view field, std::string_view what) {
  if (const auto found = directory.find(key)) return found->value;
  throw NotFound("no " + std::string(what) + " with key \"" + key + "\"",
                 Where{.field = std::string(field)});
}

}  // namespace

EventMatcher::EventMatcher(const Pool& pool, const EventCondition& condition)
    : type_(condition.type) {
  if (condition.type == EventType::custom) {
    const auto name = pool.custom_names().find(condition.custom_name);
    never_ = !name.has_value();
    if (name) custom_name_ = name->value;
  }
  if (!condition.channel.empty()) {
    if (!pool.channels().find(condition.channel) && pool.live_codes().find(condition.channel)) {
      throw NotFound("\"" + condition.channel +
                         "\" is a live code: events keep only its channel (filter on the "
                         "channel, or break down by live_code)",
                     Where{.field = "channel"});
    }
    channel_ = require(pool.channels(), condition.channel, "channel", "channel");
  }
  if (!condition.staff.empty()) staff_ = require(pool.staff(), condition.staff, "staff", "staff");
  if (!condition.product.empty()) {
    product_ = require(pool.products(), condition.product, "product", "product");
  }
  if (!condition.tag.empty()) tag_ = TagId{require(pool.tags(), condition.tag, "tag", "tag")};
  if (!condition.ref.empty()) {
    const std::string& key = condition.ref;
    switch (ref_kind(condition.type)) {
      case RefKind::customer: ref_ = require(pool.customers(), key, "ref", "customer"); break;
      case RefKind::coupon: ref_ = require(pool.coupons(), key, "ref", "coupon"); break;
      case RefKind::tag: ref_ = require(pool.tags(), key, "ref", "tag"); break;
      case RefKind::material: ref_ = require(pool.materials(), key, "ref", "material"); break;
      case RefKind::group: ref_ = require(pool.groups(), key, "ref", "group"); break;
      case RefKind::label: {
        const auto label = pool.refs().find(key);
        never_ = never_ || !label.has_value();
        if (label) ref_ = label->value;
      }
    }
  }
  if (condition.min_amount) {
    has_min_ = true;
    min_fen_ = condition.min_amount->fen;
  }
  if (condition.max_amount) {
    has_max_ = true;
    max_fen_ = condition.max_amount->fen;
  }
  type_only_ = !never_ && custom_name_ == any && channel_ == any && staff_ == any &&
               product_ == any && ref_ == any && !has_min_ && !has_max_;
}

bool EventMatcher::matches_fields(const EventLog& log, std::size_t p) const noexcept {
  if (never_) return false;
  if (custom_name_ != any && log.custom_names()[p] != custom_name_) return false;
  if (channel_ != any && log.channels()[p] != channel_) return false;
  if (staff_ != any && log.staff()[p] != staff_) return false;
  if (product_ != any && log.products()[p] != product_) return false;
  if (ref_ != any && log.refs()[p] != ref_) return false;
  if (has_min_ || has_max_) {
    if (!log.has_amount(p)) return false;
    const std::int64_t fen = log.amounts()[p];
    if ((has_min_ && fen < min_fen_) || (has_max_ && fen > max_fen_)) return false;
  }
  return true;
}

bool EventMatcher::has_tag(const Customer& customer) const noexcept {
  return std::binary_search(customer.tags.begin(), customer.tags.end(), tag_);
}

}  // namespace siyu::detail

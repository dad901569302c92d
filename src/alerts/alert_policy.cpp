#include <algorithm>
#include <array>

#include "core/json_document.hpp"
#include "core/text.hpp"
#include "siyu/alerts/alerts.hpp"

namespace siyu {

namespace {

using detail::JsonObjectReader;
using detail::JsonValue;

constexpr std::array<std::string_view, 7> day_names = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

void fail(std::string field, std::string message) {
  throw ConfigError(ErrorCode::invalid_value, std::move(message), Where{.field = std::move(field)});
}

void read_churn(JsonObjectReader reader, ChurnPolicy& p) {
  if (reader.find("delivery") != nullptr) {
    const std::string delivery = reader.string("delivery");
    if (delivery == "digest") {
      p.digest_minute = reader.find("digest_at") != nullptr ? reader.clock("digest_at") : 8 * 60;
    } else if (delivery != "immediate") {
      throw reader.error(
          reader.get("delivery"), reader.path_of("delivery"), ErrorCode::invalid_value,
          "delivery is \"immediate\" or \"digest\", not " + detail::quoted(delivery));
    }
  }
  if (!p.digest_minute && reader.find("digest_at") != nullptr) {
    throw reader.error(reader.get("digest_at"), reader.path_of("digest_at"), ErrorCode::conflict,
                       "digest_at needs \"delivery\": \"digest\"");
  }
  if (reader.find("dormant_days") != nullptr) {
    p.dormant_days = static_cast<std::int32_t>(reader.integer("dormant_days", 0, 36'500));
  }
  if (reader.find("rhythm_probability") != nullptr) {
    p.rhythm_probability = reader.number("rhythm_probability", 0, 0.999);
  }
  if (reader.find("rhythm_min_orders") != nullptr) {
    p.rhythm_min_orders = static_cast<std::int32_t>(reader.integer("rhythm_min_orders", 2, 1000));
  }
  reader.finish();
}

void read_chat(JsonObjectReader reader, ChatPolicy& p) {
  if (reader.find("reply_within") != nullptr) p.reply_within = reader.duration("reply_within");
  if (reader.find("escalate_after") != nullptr)
    p.escalate_after = reader.duration("escalate_after");
  if (reader.find("working_hours") != nullptr) {
    JsonObjectReader hours = reader.object("working_hours");
    p.work_from = hours.clock("from");
    p.work_to = hours.clock("to");
    hours.finish();
  }
  if (reader.find("work_days") != nullptr) {
    const auto& days = reader.array("work_days");
    p.work_days = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
      const std::string path = reader.path_of("work_days", i);
      const std::string& name = detail::json_string(days[i], reader.source(), path);
      const auto* found = std::find(day_names.begin(), day_names.end(), name);
      if (found == day_names.end()) {
        throw reader.error(
            days[i], path, ErrorCode::invalid_value,
            "a day is mon, tue, wed, thu, fri, sat or sun, not " + detail::quoted(name));
      }
      p.work_days = static_cast<std::uint8_t>(p.work_days | (1U << (found - day_names.begin())));
    }
  }
  reader.finish();
}

void read_intent(JsonObjectReader reader, IntentPolicy& p) {
  if (reader.find("half_life") != nullptr) p.half_life = reader.duration("half_life");
  if (reader.find("threshold") != nullptr) p.threshold = reader.number("threshold", 0, 1e9);
  if (reader.find("weights") != nullptr) {
    JsonObjectReader w = reader.object("weights");
    const auto weight = [&w](std::string_view key, double& into) {
      if (w.find(key) != nullptr) into = w.number(key, 0, 1e6);
    };
    weight("view", p.view);
    weight("repeat_view", p.repeat_view);
    weight("watch_minute", p.watch_minute);
    weight("share", p.share);
    weight("reply", p.reply);
    weight("live_minute", p.live_minute);
    w.finish();
  }
  reader.finish();
}

AlertPolicy policy_from(const JsonValue& document, const std::string& source) {
  JsonObjectReader reader(document, source, "");
  AlertPolicy policy;
  if (reader.find("churn") != nullptr) read_churn(reader.object("churn"), policy.churn);
  if (reader.find("chat") != nullptr) read_chat(reader.object("chat"), policy.chat);
  if (reader.find("intent") != nullptr) read_intent(reader.object("intent"), policy.intent);
  reader.finish();
  detail::validate_document(document, source, [&] { policy.validate(); });
  return policy;
}

}  // namespace

void AlertPolicy::validate() const {
  if (churn.digest_minute && (*churn.digest_minute < 0 || *churn.digest_minute >= 24 * 60)) {
    fail("churn.digest_at", "the digest time is minutes after midnight, 0 to 1439");
  }
  if (churn.dormant_days < 0) fail("churn.dormant_days", "dormant days cannot be negative");
  if (!(churn.rhythm_probability >= 0 && churn.rhythm_probability < 1)) {
    fail("churn.rhythm_probability", "the rhythm probability is in [0, 1)");
  }
  if (churn.rhythm_min_orders < 2) {
    fail("churn.rhythm_min_orders", "a purchase rhythm needs at least 2 orders");
  }
  if (chat.reply_within.micros <= 0) fail("chat.reply_within", "the reply time must be positive");
  if (chat.escalate_after < chat.reply_within) {
    fail("chat.escalate_after", "the escalation cannot come before the reminder");
  }
  if (chat.work_from < 0 || chat.work_to > 24 * 60 || chat.work_from >= chat.work_to) {
    fail("chat.working_hours", "working hours must open before they close, within one day");
  }
  if ((chat.work_days & 0x7F) == 0) fail("chat.work_days", "there is no working day");
  if (intent.half_life.micros <= 0) fail("intent.half_life", "the half-life must be positive");
  if (!(intent.threshold > 0)) fail("intent.threshold", "the threshold must be positive");
  for (const double w : {intent.view, intent.repeat_view, intent.watch_minute, intent.share,
                         intent.reply, intent.live_minute}) {
    if (!(w >= 0)) fail("intent.weights", "weights cannot be negative");
  }
}

AlertPolicy parse_alert_policy(std::string_view json, const std::string& source) {
  return policy_from(detail::parse_json_document(json, source), source);
}

AlertPolicy read_alert_policy(const std::string& path) {
  return policy_from(detail::read_json_file(path), path);
}

}  // namespace siyu

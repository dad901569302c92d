#include "siyu/model/event.hpp"

#include "siyu/core/iso8601.hpp"
#include "support/catch.hpp"

namespace siyu {

TEST_CASE("event type names round-trip", "[model]") {
  for (std::size_t i = 0; i + 1 < event_type_count; ++i) {
    const auto type = static_cast<EventType>(i);
    CHECK(find_event_type(to_string(type)) == type);
  }
  CHECK(to_string(EventType::order_paid) == "order_paid");
  CHECK_FALSE(find_event_type("custom").has_value());
  CHECK_FALSE(find_event_type("Order_Paid").has_value());
}

TEST_CASE("events format as interchange CSV rows", "[model]") {
  Event e;
  e.id = "e-1";
  e.ts = parse_timestamp("2024-05-01T02:00:00.25Z");
  e.customer = "wm_abc";
  e.type = EventType::message_in;
  e.text = "hi, \"boss\"\nbye";
  CHECK(format_event_csv(e) ==
        "e-1,1714528800.25,wm_abc,message_in,,,,,,,\"hi, \"\"boss\"\"\nbye\"");
  e.type = EventType::custom;
  e.custom_name = "trial";
  e.amount = Money{1990};
  e.duration = Duration::seconds(60);
  e.text.clear();
  e.ts = Timestamp{-1'500'000};
  CHECK(format_event_csv(e) == "e-1,-1.5,wm_abc,custom.trial,,,,19.90,,1m,");
}

TEST_CASE("the ts column reads back to the same instant", "[model]") {
  for (const std::int64_t micros : {std::int64_t{-1'500'000}, std::int64_t{-1}, std::int64_t{0},
                                    std::int64_t{1'714'528'800'000'001},
                                    Timestamp::earliest().micros, Timestamp::latest().micros}) {
    Event e;
    e.ts = Timestamp{micros};
    const std::string row = format_event_csv(e);
    const std::string ts = row.substr(1, row.find(',', 1) - 1);
    CAPTURE(row);
    CHECK(parse_timestamp(ts).micros == micros);
  }
}

}  // namespace siyu

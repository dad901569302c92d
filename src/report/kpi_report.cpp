#include "siyu/report/kpi_report.hpp"

#include <array>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"

namespace siyu {

namespace {

// One KPI as each format prints it: JSON (exact; "null" for none) and a person's reading.
struct Figure {
  const char* name;   // the JSON and CSV name
  const char* label;  // the table's
  std::string json;
  std::string text;
};

Figure count(const char* name, const char* label, std::uint64_t n) {
  return {name, label, std::to_string(n), std::to_string(n)};
}
Figure money(const char* name, const char* label, std::optional<std::int64_t> fen) {
  if (!fen) return {name, label, "null", "-"};
  return {name, label, std::to_string(*fen), to_string(Money{*fen})};
}
Figure share(const char* name, const char* label, std::optional<double> ratio) {
  if (!ratio) return {name, label, "null", "-"};
  return {name, label, detail::json_number(*ratio), detail::percent(*ratio)};
}

// A figure a person reads: one decimal.
std::string one_decimal(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f", value);
  return text.data();
}

std::vector<Figure> figures(const Kpis& k) {
  return {
      count("new_friends", "new friends", k.new_friends),
      count("deletions", "deletions", k.deletions),
      {"net_adds", "net adds", std::to_string(k.net_adds), std::to_string(k.net_adds)},
      {"reach", "reach", k.reach ? std::to_string(*k.reach) : "null",
       k.reach ? std::to_string(*k.reach) : "-"},
      share("add_rate", "add rate", k.add_rate),
      count("friends", "friends at the end", k.friends),
      count("new_customers", "new customers", k.new_customers),
      count("converted", "converted", k.converted),
      share("conversion_rate", "conversion rate", k.conversion_rate),
      count("orders", "orders", k.orders),
      money("gmv_fen", "GMV (yuan)", k.gmv),
      money("aov_fen", "AOV (yuan)", k.aov),
      count("buyers", "buyers", k.buyers),
      count("repeat_buyers", "repeat buyers", k.repeat_buyers),
      share("repeat_rate", "repeat rate", k.repeat_rate),
      count("refunds", "refunds", k.refunds),
      money("refunded_fen", "refunded (yuan)", k.refunded),
      money("net_revenue_fen", "net revenue (yuan)", k.net_revenue),
      money("revenue_per_customer_month_fen", "revenue per customer per month (yuan)",
            k.revenue_per_customer_month),
      count("coupons_issued", "coupons issued", k.coupons_issued),
      count("coupons_redeemed", "coupons redeemed", k.coupons_redeemed),
      share("redemption_rate", "redemption rate", k.redemption_rate),
      count("coupon_orders", "coupon orders", k.coupon_orders),
      money("coupon_sales_fen", "coupon sales (yuan)", k.coupon_sales),
      share("coupon_share_of_sales", "coupon share of sales", k.coupon_share_of_sales),
      count("interactions", "interactions", k.interactions),
      {"interactions_per_month", "interactions per month",
       k.interactions_per_month ? detail::json_number(*k.interactions_per_month) : "null",
       k.interactions_per_month ? one_decimal(*k.interactions_per_month) : "-"},
      count("inbound_chats", "inbound chats", k.inbound_chats),
      count("replied_chats", "replied chats", k.replied_chats),
      share("reply_rate", "reply rate", k.reply_rate),
      {"median_first_reply_seconds", "median first reply",
       detail::json_seconds(k.median_first_reply),
       k.median_first_reply ? detail::human_duration(k.median_first_reply) : "-"},
  };
}

void write_json_kpis(std::ostream& out, const Kpis& kpis) {
  out << '{';
  bool first = true;
  for (const Figure& f : figures(kpis)) {
    out << (first ? "" : ", ") << '"' << f.name << "\": " << f.json;
    first = false;
  }
  out << '}';
}

void write_json(std::ostream& out, const KpiQuery& query, const KpiResult& result, Zone zone) {
  out << "{\"from\": " << json_quote(format_timestamp(result.from, zone))
      << ", \"to\": " << json_quote(format_timestamp(result.to, zone))
      << ", \"months\": " << detail::json_number(result.months)
      << ", \"conversion_window_seconds\": " << detail::json_seconds(query.conversion_window)
      << ", \"coupon_window_seconds\": " << detail::json_seconds(query.coupon_window)
      << ", \"kpis\": ";
  write_json_kpis(out, result.overall);
  if (query.by) {
    out << ", \"by\": " << json_quote(to_string(*query.by)) << ", \"groups\": [";
    for (std::size_t g = 0; g < result.groups.size(); ++g) {
      const KpiGroup& group = result.groups[g];
      out << (g > 0 ? ", " : "")
          << "{\"value\": " << (group.value.empty() ? std::string("null") : json_quote(group.value))
          << ", \"kpis\": ";
      write_json_kpis(out, group.kpis);
      out << '}';
    }
    out << ']';
  }
  out << "}\n";
}

std::string group_name(const std::string& value) { return value.empty() ? "(none)" : value; }

// One row per group, overall first: the wide form spreadsheets read.
ReportTable csv_rows(const KpiQuery& query, const KpiResult& result) {
  ReportTable table;
  if (query.by) table.header.push_back(to_string(*query.by));
  for (const Figure& f : figures(result.overall)) table.header.emplace_back(f.name);
  const auto add = [&](const std::string& group, const Kpis& kpis) {
    std::vector<std::string> row;
    if (query.by) row.push_back(group);
    for (const Figure& f : figures(kpis)) row.push_back(f.json == "null" ? std::string() : f.json);
    table.rows.push_back(std::move(row));
  };
  add("", result.overall);
  for (const KpiGroup& group : result.groups) add(group_name(group.value), group.kpis);
  return table;
}

// One row per KPI, a column per group: figures read down, groups compare across.
ReportTable table_rows(const KpiResult& result) {
  ReportTable table{.header = {"kpi", "all"}};
  for (const KpiGroup& group : result.groups) table.header.push_back(group_name(group.value));
  for (const Figure& f : figures(result.overall)) table.rows.push_back({f.label, f.text});
  for (const KpiGroup& group : result.groups) {
    const std::vector<Figure> column = figures(group.kpis);
    for (std::size_t i = 0; i < column.size(); ++i) table.rows[i].push_back(column[i].text);
  }
  return table;
}

}  // namespace

void write_kpis(std::ostream& out, const KpiQuery& query, const KpiResult& result,
                OutputFormat format, Zone zone) {
  switch (format) {
    case OutputFormat::json: write_json(out, query, result, zone); return;
    case OutputFormat::csv: csv_rows(query, result).print_csv(out); return;
    case OutputFormat::table:
      out << "kpis: " << format_timestamp(result.from, zone) << " to "
          << format_timestamp(result.to, zone) << " (" << one_decimal(result.months) << " months)";
      if (query.by) out << " by " << to_string(*query.by);
      out << '\n';
      table_rows(result).print(out);
      return;
  }
}

}  // namespace siyu

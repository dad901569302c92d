#include "siyu/report/sop_report.hpp"

#include <cstdint>
#include <ostream>
#include <string>

#include "core/text.hpp"
#include "report/numbers.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

namespace {

std::string trigger_text(const Trigger& t) {
  const std::string_view move = t.leaving ? "leave " : "enter ";
  std::string text;
  switch (t.kind) {
    case Trigger::Kind::schedule:
      return std::string(t.every == Trigger::Every::week ? "every week, day "
                                                         : "every month, day ") +
             std::to_string(t.day);
    case Trigger::Kind::event: text = to_string(t.event); break;
    case Trigger::Kind::alert: text = "alert " + std::string(to_string(t.alert)); break;
    case Trigger::Kind::audience: text = std::string(move) + t.watch; break;
    case Trigger::Kind::layer: text = std::string(move) + "layer " + t.tier; break;
    case Trigger::Kind::level: text = std::string(move) + "level " + t.tier; break;
  }
  if (t.delay.micros > 0) text += " + " + to_string(t.delay);
  return text;
}

std::string clock_text(const std::optional<std::int32_t>& minute) {
  return minute ? detail::clock_text(*minute) : std::string();
}

std::string staff_key(const Pool& pool, StaffId staff) {
  return staff.has_value() ? pool.staff()[staff].key : std::string();
}

}  // namespace

void write_rule_check(std::ostream& out, const RuleSet& rules, OutputFormat format) {
  if (format == OutputFormat::json) {
    out << "{\"rules\": [";
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
      const SopRule& r = rules.rules[i];
      out << (i > 0 ? ", " : "") << "{\"key\": " << json_quote(r.key)
          << ", \"name\": " << json_quote(r.name) << ", \"actions\": " << r.actions.size() << '}';
    }
    out << "], \"warnings\": [";
    for (std::size_t i = 0; i < rules.warnings.size(); ++i) {
      const RuleWarning& w = rules.warnings[i];
      out << (i > 0 ? ", " : "") << "{\"source\": " << json_quote(w.source)
          << ", \"line\": " << w.line << ", \"field\": " << json_quote(w.field)
          << ", \"message\": " << json_quote(w.message) << '}';
    }
    out << "]}\n";
    return;
  }
  ReportTable table{.header = {"rule", "name", "priority", "trigger", "at", "audience", "actions"}};
  for (const SopRule& r : rules.rules) {
    std::string actions;
    for (const ActionTemplate& a : r.actions) {
      actions += (actions.empty() ? "" : ", ") + std::string(to_string(a.kind)) +
                 (a.target.empty() ? "" : " " + a.target);
    }
    table.rows.push_back({r.key, r.name, std::to_string(r.priority), trigger_text(r.trigger),
                          clock_text(r.trigger.at_minute),
                          r.audience ? r.audience->text() : std::string(), actions});
  }
  if (format == OutputFormat::csv) return table.print_csv(out);
  table.print(out);
  for (const RuleWarning& w : rules.warnings) {
    out << "warning: " << w.source << ':' << w.line << ": field " << w.field << ": " << w.message
        << '\n';
  }
}

void write_sop_run(std::ostream& out, const Pool& pool, const SopQuery& query,
                   const SopResult& result, OutputFormat format, Zone zone) {
  const auto time = [&](Timestamp t) { return format_timestamp(t, zone); };
  const auto customer = [&](CustomerId c) { return pool.customers()[c].key; };
  if (format == OutputFormat::json) {
    out << "{\"from\": " << json_quote(time(query.from))
        << ", \"to\": " << json_quote(time(query.to)) << ", \"actions\": [";
    for (std::size_t i = 0; i < result.actions.size(); ++i) {
      const Action& a = result.actions[i];
      out << (i > 0 ? ", " : "") << "{\"rule\": " << json_quote(a.rule)
          << ", \"kind\": " << json_quote(to_string(a.kind))
          << ", \"customer\": " << json_quote(customer(a.customer)) << ", \"staff\": "
          << (a.staff.has_value() ? json_quote(staff_key(pool, a.staff)) : "null")
          << ", \"target\": " << json_quote(a.target) << ", \"text\": " << json_quote(a.text)
          << ", \"due\": " << json_quote(time(a.due)) << ", \"trigger_event\": "
          << (a.trigger_event ? std::to_string(*a.trigger_event) : "null") << ", \"guards\": [";
      for (std::size_t g = 0; g < a.guards.size(); ++g) {
        out << (g > 0 ? ", " : "") << json_quote(a.guards[g]);
      }
      out << "]}";
    }
    out << "], \"suppressed\": [";
    for (std::size_t i = 0; i < result.suppressed.size(); ++i) {
      const SuppressedAction& s = result.suppressed[i];
      out << (i > 0 ? ", " : "") << "{\"rule\": " << json_quote(s.rule)
          << ", \"customer\": " << json_quote(customer(s.customer))
          << ", \"due\": " << json_quote(time(s.due)) << ", \"guard\": " << json_quote(s.guard)
          << ", \"reason\": " << json_quote(s.reason) << '}';
    }
    out << "], \"suppression_counts\": [";
    for (std::size_t i = 0; i < result.suppression_counts.size(); ++i) {
      const SuppressionCount& c = result.suppression_counts[i];
      out << (i > 0 ? ", " : "") << "{\"rule\": " << json_quote(c.rule)
          << ", \"guard\": " << json_quote(c.guard) << ", \"count\": " << c.count << '}';
    }
    out << "]}\n";
    return;
  }
  ReportTable actions{
      .header = {"due", "rule", "kind", "customer", "staff", "target", "text", "guards"}};
  for (const Action& a : result.actions) {
    std::string guards;
    for (const std::string& g : a.guards) guards += (guards.empty() ? "" : " ") + g;
    actions.rows.push_back({time(a.due), a.rule, std::string(to_string(a.kind)),
                            customer(a.customer), staff_key(pool, a.staff), a.target, a.text,
                            guards});
  }
  ReportTable suppressed{.header = {"due", "rule", "customer", "guard", "reason"}};
  for (const SuppressedAction& s : result.suppressed) {
    suppressed.rows.push_back({time(s.due), s.rule, customer(s.customer), s.guard, s.reason});
  }
  if (format == OutputFormat::csv) {
    ReportTable rows{.header = {"status", "due", "rule", "kind", "customer", "staff", "target",
                                "text", "guard", "reason"}};
    for (const Action& a : result.actions) {
      rows.rows.push_back({"due", time(a.due), a.rule, std::string(to_string(a.kind)),
                           customer(a.customer), staff_key(pool, a.staff), a.target, a.text, "",
                           ""});
    }
    for (const SuppressedAction& s : result.suppressed) {
      rows.rows.push_back({"suppressed", time(s.due), s.rule, "", customer(s.customer), "", "", "",
                           s.guard, s.reason});
    }
    return rows.print_csv(out);
  }
  std::uint64_t stopped = 0;
  ReportTable counts{.header = {"rule", "guard", "suppressed"}};
  for (const SuppressionCount& c : result.suppression_counts) {
    stopped += c.count;
    counts.rows.push_back({c.rule, c.guard, std::to_string(c.count)});
  }
  out << "sop run from " << time(query.from) << " to " << time(query.to) << ": "
      << result.actions.size() << (result.actions.size() == 1 ? " action" : " actions") << " due, "
      << stopped << " suppressed\n";
  actions.print(out);
  // Counted only: the counts stand for the list.
  const ReportTable& stops = query.suppressions == Suppressions::list ? suppressed : counts;
  if (!stops.rows.empty()) {
    out << '\n';
    stops.print(out);
  }
}

namespace {

std::string rate_json(const std::optional<double>& r) {
  return r ? detail::json_number(*r) : std::string("null");
}

std::string rate_text(const std::optional<double>& r) {
  return r ? detail::percent(*r) : std::string("-");
}

}  // namespace

void write_backtest(std::ostream& out, const Pool& pool, const BacktestQuery& query,
                    const BacktestResult& result, OutputFormat format, Zone zone) {
  const auto time = [&](Timestamp t) { return format_timestamp(t, zone); };
  if (format == OutputFormat::json) {
    out << "{\"from\": " << json_quote(time(query.run.from))
        << ", \"to\": " << json_quote(time(query.run.to))
        << ", \"outcome\": " << json_quote(to_string(query.outcome))
        << ", \"outcome_window_seconds\": " << detail::json_seconds(query.outcome_window)
        << ", \"rules\": [";
    for (std::size_t i = 0; i < result.rules.size(); ++i) {
      const RuleBacktest& r = result.rules[i];
      const OutcomeComparison& o = r.outcome;
      out << (i > 0 ? ", " : "") << "{\"rule\": " << json_quote(r.rule) << ", \"due\": " << r.due
          << ", \"actions\": " << r.actions << ", \"customers\": " << r.customers
          << ", \"suppressed\": {";
      std::size_t g = 0;
      for (const auto& [guard, n] : r.suppressed) {
        out << (g++ > 0 ? ", " : "") << json_quote(guard) << ": " << n;
      }
      out << "}, \"outcome\": {\"treated\": " << o.treated
          << ", \"treated_converted\": " << o.treated_converted << ", \"holdout\": " << o.holdout
          << ", \"holdout_converted\": " << o.holdout_converted
          << ", \"treated_rate\": " << rate_json(o.treated_rate)
          << ", \"holdout_rate\": " << rate_json(o.holdout_rate)
          << ", \"lift\": " << rate_json(o.lift) << ", \"lift_low\": " << rate_json(o.lift_low)
          << ", \"lift_high\": " << rate_json(o.lift_high) << "}}";
    }
    out << "], \"load\": [";
    for (std::size_t i = 0; i < result.load.size(); ++i) {
      const StaffLoad& l = result.load[i];
      out << (i > 0 ? ", " : "") << "{\"staff\": " << json_quote(pool.staff()[l.staff].key)
          << ", \"day\": " << json_quote(to_string(l.day)) << ", \"actions\": " << l.actions << '}';
    }
    out << "]}\n";
    return;
  }
  ReportTable rules{.header = {"rule", "due", "actions", "customers", "suppressed", "converted",
                               "holdout converted", "lift (95% CI)"}};
  for (const RuleBacktest& r : result.rules) {
    std::string suppressed;
    for (const auto& [guard, n] : r.suppressed) {
      suppressed += (suppressed.empty() ? "" : ", ") + guard + " " + std::to_string(n);
    }
    const OutcomeComparison& o = r.outcome;
    rules.rows.push_back({r.rule, std::to_string(r.due), std::to_string(r.actions),
                          std::to_string(r.customers), suppressed, rate_text(o.treated_rate),
                          rate_text(o.holdout_rate),
                          o.lift ? rate_text(o.lift) + " (" + rate_text(o.lift_low) + " to " +
                                       rate_text(o.lift_high) + ")"
                                 : std::string("-")});
  }
  if (format == OutputFormat::csv) return rules.print_csv(out);
  out << "backtest from " << time(query.run.from) << " to " << time(query.run.to) << ", outcome "
      << to_string(query.outcome) << " within " << to_string(query.outcome_window) << '\n';
  rules.print(out);
  std::uint64_t peak = 0;
  const StaffLoad* busiest = nullptr;
  for (const StaffLoad& l : result.load) {
    if (l.actions > peak) {
      peak = l.actions;
      busiest = &l;
    }
  }
  if (busiest != nullptr) {
    out << "\nbusiest staff day: " << pool.staff()[busiest->staff].key << " on "
        << to_string(busiest->day) << ", " << peak << " actions\n";
  }
}

}  // namespace siyu

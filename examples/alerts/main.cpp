// A week of alerts for the sample tea brand: churn, dormant customers, chat
// timeouts, sensitive words and high intent, judged with the word list and policy kept in git
// beside this file, and the first alert of each kind with its reasons.
#include <iostream>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();
  const siyu::WordList words = siyu::read_word_list(ALERT_WORDS);
  const siyu::AlertPolicy policy = siyu::read_alert_policy(ALERT_POLICY);
  for (const std::string& breach : siyu::wecom_limit_breaches(words)) {
    std::cout << "cannot mirror to WeCom: " << breach << '\n';
  }

  const siyu::Zone zone = pool.options().zone;
  const siyu::AlertQuery query{
      .from = zone.at({2024, 6, 1}), .to = zone.at({2024, 6, 8}), .words = &words};
  const siyu::AlertResult result = siyu::run_alerts(pool, policy, query);

  std::cout << "alerts in the week from 2024-06-01: " << result.alerts.size() << '\n';
  for (std::size_t k = 0; k < siyu::alert_kind_count; ++k) {
    const auto kind = static_cast<siyu::AlertKind>(k);
    std::cout << "  " << siyu::to_string(kind) << ": " << result.counts[k] << '\n';
  }
  std::cout << "messages scanned for sensitive words: " << result.messages_scanned << '\n';

  for (std::size_t k = 0; k < siyu::alert_kind_count; ++k) {
    for (const siyu::Alert& alert : result.alerts) {
      if (static_cast<std::size_t>(alert.kind) != k) continue;
      std::cout << '\n'
                << siyu::to_string(alert.kind) << " for "
                << (alert.to_manager ? "the manager of " : "") << pool.staff()[alert.staff].key
                << ", due " << siyu::format_timestamp(alert.due, zone) << '\n';
      for (const std::string& reason : alert.reasons) std::cout << "  " << reason << '\n';
      break;
    }
  }
}

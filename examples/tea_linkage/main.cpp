// A tea brand's traffic→star audit: the 9.90-yuan longjing sample is meant to lead buyers to
// the 268-yuan longjing tin. The matrix file (kept in git) names the pairs, declares quality
// and the acquisition cost; the sample brand stands in for the host's pool. Each check prints
// the figure it rests on, so a failed check says what to fix.
#include <iostream>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();

  const siyu::MatrixPolicy policy = siyu::read_matrix_policy(TEA_MATRIX);
  const siyu::ProductMatrix matrix = siyu::assess_products(pool, policy);

  std::cout << "roles:\n";
  for (const siyu::ProductAssessment& a : matrix.products) {
    std::cout << "  " << pool.products()[a.product].key << ": " << siyu::to_string(a.role) << " ("
              << a.reasons.front().text << ")\n";
  }
  for (const siyu::LinkageAudit& audit : matrix.pairs) {
    std::cout << '\n'
              << pool.products()[audit.traffic].key << " -> " << pool.products()[audit.star].key
              << ": " << (audit.passed() ? "linked" : "not linked yet") << '\n';
    for (const siyu::Check& check : audit.checks) {
      std::cout << "  " << (check.passed ? "ok  " : "FIX ") << check.name << ": " << check.text
                << '\n';
    }
    if (audit.median_to_star) {
      std::cout << "  " << audit.converted << " star buyers came through the sample; median "
                << audit.median_to_star->micros / 86'400'000'000 << " days between first orders\n";
    }
  }
}

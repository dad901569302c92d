// Funnel: how far do customers get from the add to a second order, and which channel brings
// the ones who get there? A host runs this over its own pool; here the sample brand stands in.
#include <iostream>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  // A small sample brand, generated and read through the same ingest path as real data.
  const siyu::Pool pool = examples::sample_brand_pool();

  // Added, viewed content, paid, paid again: every step within 30 days of the add.
  siyu::FunnelQuery query{
      .steps = siyu::parse_funnel_steps("friend_added,content_viewed,order_paid,order_paid"),
      .window = siyu::Duration::days(30)};
  const siyu::FunnelResult result = siyu::run_funnel(pool, query);
  siyu::write_funnel(std::cout, query, result, siyu::OutputFormat::table);

  // The same funnel per channel of acquisition, and the figures a program would read.
  query.by = siyu::parse_breakdown("channel");
  for (const siyu::FunnelGroup& group : siyu::run_funnel(pool, query).groups) {
    const auto& steps = group.steps;
    std::cout << group.value << ": " << steps.front().customers << " added, "
              << steps.back().customers << " paid twice\n";
  }

  // A step can carry filters and its own window; a typo in a key is an error, not a zero.
  query.steps = siyu::parse_funnel_steps("friend_added,order_paid[amount>=100,within=3d]");
  query.by.reset();
  std::cout << "paid 100 yuan or more within 3 days: "
            << siyu::run_funnel(pool, query).steps[1].customers << '\n';
  try {
    query.steps = siyu::parse_funnel_steps("friend_added,order_paid[product=no-such-sku]");
    (void)siyu::run_funnel(pool, query);
  } catch (const siyu::NotFound& e) {
    std::cout << "refused: " << e.what() << '\n';
  }
  return 0;
}

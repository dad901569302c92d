// Retention: of the customers added each month, how many come back, how many buy again, and
// what is an average one worth after n months? A host runs this over its own pool; here the
// sample brand stands in.
#include <iostream>
#include <siyu/siyu.hpp>

#include "sample_brand_pool.hpp"

int main() {
  const siyu::Pool pool = examples::sample_brand_pool();

  // Monthly cohorts by first add; coming back = any event. Months in the pool's zone (UTC+8).
  siyu::RetentionQuery query{.period = siyu::CalendarPeriod::month, .periods = 3};
  const siyu::RetentionResult any = siyu::run_retention(pool, query);
  siyu::write_retention(std::cout, query, any, siyu::OutputFormat::table);

  // Coming back to buy, with revenue net of refunds and the LTV curve, as a program reads it.
  query.return_event = siyu::parse_event_condition("order_paid");
  for (const siyu::Cohort& cohort : siyu::run_retention(pool, query).cohorts) {
    std::cout << siyu::to_string(cohort.start) << ": " << cohort.size << " added, "
              << cohort.retained[0] << " bought the next month; LTV after 3 months "
              << siyu::to_string(siyu::Money{cohort.ltv.back()}) << " yuan\n";
  }

  // Growth accounting: who is new, still here, back again, or lapsed each month.
  std::cout << "month       new  returning  resurrecting  dormant\n";
  for (const siyu::LifecyclePeriod& month : any.lifecycle) {
    std::cout << siyu::to_string(month.start) << "  " << month.new_customers << "  "
              << month.returning << "  " << month.resurrecting << "  " << month.dormant << '\n';
  }
  return 0;
}

#pragma once
// Finding a judged rule by name in an explanation.

#include <string>
#include <vector>

#include "siyu/core/check.hpp"
#include "support/catch.hpp"

namespace siyu::testing {

/// The check called `name` in `checks`; fails the test when there is none.
inline const Check& named_check(const std::vector<Check>& checks, const std::string& name) {
  for (const Check& c : checks) {
    if (c.name == name) return c;
  }
  FAIL("no check named " << name);
  return checks.front();
}

}  // namespace siyu::testing

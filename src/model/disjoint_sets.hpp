#pragma once
// A flat union-find over dense ids: path halving, and the smaller id becomes the root, so a
// person's id is the smallest id among its keys whatever order the links came in.

#include <cstdint>
#include <numeric>
#include <vector>

namespace siyu::detail {

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), 0U);
  }

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

  // The root of every element: after it, roots()[x] is x's set's smallest id.
  std::vector<std::uint32_t> roots() {
    std::vector<std::uint32_t> out(parent_.size());
    for (std::uint32_t x = 0; x < parent_.size(); ++x) out[x] = find(x);
    return out;
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace siyu::detail

#include "siyu/core/check.hpp"

namespace siyu {

std::string_view to_string(CheckUnit unit) noexcept {
  switch (unit) {
    case CheckUnit::none: return "none";
    case CheckUnit::basis_points: return "basis_points";
    case CheckUnit::fen: return "fen";
    case CheckUnit::count: return "count";
    case CheckUnit::centi: return "centi";
  }
  return "";
}

}  // namespace siyu

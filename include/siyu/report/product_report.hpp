#pragma once

#include <iosfwd>

#include "siyu/core/zone.hpp"
#include "siyu/export.hpp"
#include "siyu/products/product_matrix.hpp"
#include "siyu/report/table.hpp"

namespace siyu {

class Pool;

/// Writes a product matrix as `siyu products` prints it (docs/cli.md): per product its role
/// with reasons, figures and data checks, and per traffic→star pair the linkage checks. A
/// table shows products and pair verdicts with each check's sentence; JSON has everything;
/// CSV has one row per check. Times print in `zone`.
SIYU_EXPORT void write_products(std::ostream& out, const Pool& pool, const ProductMatrix& matrix,
                                OutputFormat format, Zone zone);

}  // namespace siyu

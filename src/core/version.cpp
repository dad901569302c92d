#include "siyu/version.hpp"

namespace siyu {

std::string_view version() noexcept { return SIYU_VERSION_STRING; }

}  // namespace siyu

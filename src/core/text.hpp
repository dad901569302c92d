#pragma once
// Text helpers shared by every parser: quoting offending input in messages.

#include <string>
#include <string_view>

namespace siyu::detail {

/// `text` in double quotes for an error message: control bytes, quotes, backslashes and
/// invalid UTF-8 escaped, and cut after 64 bytes with "..." so a 10 MB field stays readable.
std::string quoted(std::string_view text);

}  // namespace siyu::detail

#pragma once
// One include for Catch2 v3 (if the build found it) or v2.13 (Debian 12). Tests use only
// the macros both versions share.

#if defined(SIYU_CATCH2_V3)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#include <catch2/catch.hpp>
#endif

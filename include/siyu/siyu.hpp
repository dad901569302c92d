#pragma once
// The umbrella header: everything siyu offers a host application.

#include "siyu/core/duration.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/version.hpp"

/// siyu (私域, "private domain"): the embeddable engine for private-domain customer operations.
namespace siyu {}

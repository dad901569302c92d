#pragma once
// The umbrella header: everything siyu offers a host application.

#include "siyu/core/duration.hpp"
#include "siyu/core/error.hpp"
#include "siyu/core/id.hpp"
#include "siyu/core/iso8601.hpp"
#include "siyu/core/money.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/core/zone.hpp"
#include "siyu/ingest/ingest.hpp"
#include "siyu/model/channel.hpp"
#include "siyu/model/coupon.hpp"
#include "siyu/model/customer.hpp"
#include "siyu/model/directory.hpp"
#include "siyu/model/event.hpp"
#include "siyu/model/event_log.hpp"
#include "siyu/model/event_type.hpp"
#include "siyu/model/group.hpp"
#include "siyu/model/identity.hpp"
#include "siyu/model/ingest_report.hpp"
#include "siyu/model/material.hpp"
#include "siyu/model/pool.hpp"
#include "siyu/model/product.hpp"
#include "siyu/model/quarantine.hpp"
#include "siyu/model/staff.hpp"
#include "siyu/model/tag.hpp"
#include "siyu/report/table.hpp"
#include "siyu/sample/sample_brand.hpp"
#include "siyu/store/store.hpp"
#include "siyu/version.hpp"

/// siyu (私域, "private domain"): the embeddable engine for private-domain customer operations.
namespace siyu {}

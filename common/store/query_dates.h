// Internal to the query language (query.h): turns the date terms of a query into UTC second
// bounds, resolving relative days (7d, 3m, today) against a caller-given `now` so that results
// are reproducible in tests. Pure arithmetic; no clock, no time zones (days are UTC days).
#pragma once

#include <cstdint>
#include <optional>

#include "common/store/query.h"

namespace pigeon::store::query_internal {

// m.date >= from (when set) and m.date < until (when set).
struct SecondsRange {
  std::optional<int64_t> from;
  std::optional<int64_t> until;
};

// `now` is clamped to 0000-01-01..9999-12-31 so that no input can overflow.
SecondsRange ResolveDates(const DateTerm& term, int64_t now_utc_seconds);

}  // namespace pigeon::store::query_internal

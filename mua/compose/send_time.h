// The answer to "Send at: " (send later): "+30m", "+2h", "+1d" (also combined, "+1h30m"),
// "HH:MM" (today, or tomorrow once that time has passed), "tomorrow HH:MM", and a local ISO
// date-time "2026-12-24 09:00" or "2026-12-24T09:00[:SS]". Local times use the clock's time
// zone. Pure: typed input only; anything else is an error naming the accepted forms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/sys/clock.h"
#include "common/util/result.h"

namespace pigeon::mua::compose {

// The UTC second `text` names, after `clock`'s now; errors (kParse) for text it cannot read or
// a time that is not in the future.
Result<int64_t> ParseSendTime(std::string_view text, const sys::Clock& clock);

// "Thu 14:05" within a week of `now`, else "2026-12-24 09:00": local time, for the outbox.
std::string FormatLocalTime(int64_t utc_seconds, int64_t now, const sys::Clock& clock);

}  // namespace pigeon::mua::compose

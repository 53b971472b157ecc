// One index line per message, as mutt's default $index_format lays it out
// ("%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s"): number-free here (the store pages by key,
// not by position), so: flags, date, sender, size, subject. Pure: the clock is passed in, so
// "today" and "this year" are testable. Summaries are trusted to be UTF-8 (the store decodes
// them) but not to be printable; every field goes through display_width.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/store.h"
#include "common/sys/clock.h"

namespace pigeon::mua::ui {

// "14:05" for today, "Mar 07" for an earlier day of this year, "2023-03-07" otherwise, all in
// the clock's local time. Dates in the future within this year are shown as "Mon DD" too.
std::string FormatIndexDate(int64_t utc_seconds, const sys::Clock& clock);

// mutt's %c: "512", "4.2K", "12K", "1.5M", "230M".
std::string FormatSize(int64_t bytes);

// Six columns, each a mark or a space: N (unread), r (replied), F (flagged), D (deleted),
// '*' (tagged: reader state, not in the summary), '@' (has an attachment). mutt's %Z packs
// flags into fewer columns; a fixed column per flag keeps the eye on one place per flag.
std::string FormatFlags(const store::MessageSummary& summary, bool tagged);

// Sender's name (else address); with `show_recipient` (the Sent folder) "To " and the first
// recipient, as mutt's %L does for mail you sent.
std::string IndexParty(const store::MessageSummary& summary, bool show_recipient);

// The whole line, exactly `columns` wide: flags, date, party (20 columns, or less on a narrow
// terminal), size, subject.
std::string FormatIndexLine(const store::MessageSummary& summary, bool tagged, bool show_recipient,
                            int columns, const sys::Clock& clock);
// The same with `subject` in the subject column (the threaded index's tree art and subject).
std::string FormatIndexLine(const store::MessageSummary& summary, bool tagged, bool show_recipient,
                            int columns, const sys::Clock& clock, std::string_view subject);

// The counts of mutt's status line, each only when not zero but the total:
// "Msgs:120 New:3 Del:1 Flag:2 Tag:4"; under a limit `shown` of them: "Msgs:12/120 …".
std::string FolderCounts(const store::FolderInfo& folder, size_t tagged,
                         std::optional<int64_t> shown = std::nullopt);

}  // namespace pigeon::mua::ui

// The fields of an index line, as mutt's $index_format draws them: flags, date, party, size;
// the line's layout is index_layout.h's. Pure: the clock is passed in, so "today", "this year"
// and the local offset are testable. Summaries are trusted to be UTF-8 (the store decodes them)
// but not to be printable; the layout puts every field through display_width.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/util/result.h"

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

// One message as the index shows it: what the index format's conversions draw from.
struct IndexRow {
  const store::MessageSummary& summary;
  bool tagged = false;          // '*' in the flags
  bool show_recipient = false;  // the Sent folder: the party is "To " and the first recipient
  // The subject column's text: the threaded index passes its tree art and subject; nullopt is
  // the summary's subject.
  std::optional<std::string_view> subject;
};

// strftime(3) of `utc_seconds` in the clock's local time, in the C locale; %z and %Z give the
// clock's offset ("+0200"; %Z is "UTC" or that offset, as no zone name is known). `format`
// must have passed CheckTimeFormat; a result longer than the bound gives "".
std::string FormatLocalTime(int64_t utc_seconds, const sys::Clock& clock, std::string_view format);

// Whether `format` is one FormatLocalTime takes: every conversion one of POSIX's (flags
// "_-0^#", a width of at most two digits, E or O), but not %s, which would read TZ. The error
// names the first bad conversion.
Result<void> CheckTimeFormat(std::string_view format);

// The index's date: FormatIndexDate when `date_format` is empty, else FormatLocalTime with it
// (mutt's leading '!', "C locale", is dropped: pigeon formats in the C locale anyway).
std::string FormatMessageDate(int64_t utc_seconds, const sys::Clock& clock,
                              std::string_view date_format);

// The counts of mutt's status line, each only when not zero but the total:
// "Msgs:120 New:3 Del:1 Flag:2 Tag:4"; under a limit `shown` of them: "Msgs:12/120 …".
std::string FolderCounts(const store::FolderInfo& folder, size_t tagged,
                         std::optional<int64_t> shown = std::nullopt);

}  // namespace pigeon::mua::ui

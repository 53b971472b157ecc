// See index_format.h. Local time is UTC plus the clock's offset, broken down with gmtime_r:
// no TZ reads here, so tests fix both.
#include "mua/ui/index_format.h"

#include <locale.h>
#include <time.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

// Room for what a checked format can give: at most 64 bytes of format (config.h), and no
// conversion longer than a two-digit width or %c's 24 characters.
constexpr size_t kMaxTimeText = 4096;

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct tm LocalTime(int64_t utc_seconds, const sys::Clock& clock) {
  const time_t local =
      static_cast<time_t>(utc_seconds + clock.LocalOffsetMinutes(utc_seconds) * 60);
  struct tm broken = {};
  gmtime_r(&local, &broken);
  return broken;
}

// The first mailbox of a to_text ("Name <a@b>, c@d"): its name, else its address. A bare
// address has its '@' before any " <"; a display name may itself contain ", ".
std::string FirstRecipient(const std::string& to_text) {
  const size_t angle = to_text.find(" <");
  const size_t at = to_text.find('@');
  if (angle != std::string::npos && (at == std::string::npos || at > angle)) {
    return to_text.substr(0, angle);
  }
  return to_text.substr(0, to_text.find(", "));
}

}  // namespace

std::string FormatIndexDate(int64_t utc_seconds, const sys::Clock& clock) {
  const struct tm when = LocalTime(utc_seconds, clock);
  const struct tm now = LocalTime(clock.NowUtcSeconds(), clock);
  if (when.tm_year == now.tm_year && when.tm_yday == now.tm_yday) {
    return fmt::format("{:02}:{:02}", when.tm_hour, when.tm_min);
  }
  if (when.tm_year == now.tm_year) {
    return fmt::format("{} {:02}", kMonths[static_cast<size_t>(when.tm_mon)], when.tm_mday);
  }
  return fmt::format("{:04}-{:02}-{:02}", when.tm_year + 1900, when.tm_mon + 1, when.tm_mday);
}

std::string FormatSize(int64_t bytes) {
  if (bytes < 0) bytes = 0;
  if (bytes < 1024) return std::to_string(bytes);
  const auto scaled = [](int64_t value, int64_t unit, char suffix) {
    // One decimal below 10 units, as mutt does ("4.2K"), rounded to the nearest tenth.
    if (value < 10 * unit - unit / 20) {
      const int64_t tenths = (value * 10 + unit / 2) / unit;
      return fmt::format("{}.{}{}", tenths / 10, tenths % 10, suffix);
    }
    return fmt::format("{}{}", (value + unit / 2) / unit, suffix);
  };
  constexpr int64_t kMega = 1024 * 1024;
  if (bytes < kMega - 512) return scaled(bytes, 1024, 'K');
  return scaled(bytes, kMega, 'M');
}

std::string FormatFlags(const store::MessageSummary& summary, bool tagged) {
  std::string flags(6, ' ');
  if (!(summary.flags & store::kFlagSeen)) flags[0] = 'N';
  if (summary.flags & store::kFlagAnswered) flags[1] = 'r';
  if (summary.flags & store::kFlagFlagged) flags[2] = 'F';
  if (summary.flags & store::kFlagDeleted) flags[3] = 'D';
  if (tagged) flags[4] = '*';
  if (summary.has_attachment) flags[5] = '@';
  return flags;
}

std::string IndexParty(const store::MessageSummary& summary, bool show_recipient) {
  if (show_recipient && !summary.to_text.empty()) {
    return "To " + FirstRecipient(summary.to_text);
  }
  return summary.from_name.empty() ? summary.from_addr : summary.from_name;
}

std::string FormatLocalTime(int64_t utc_seconds, const sys::Clock& clock, std::string_view format) {
  const int offset = clock.LocalOffsetMinutes(utc_seconds);
  struct tm broken = LocalTime(utc_seconds, clock);
  // gmtime_r left UTC's offset and name: %z and %Z read these two fields, not TZ.
  broken.tm_gmtoff = static_cast<long>(offset) * 60;
  const int magnitude = offset < 0 ? -offset : offset;
  const std::string zone = offset == 0 ? "UTC"
                                       : fmt::format("{}{:02}{:02}", offset < 0 ? '-' : '+',
                                                     magnitude / 60 % 100, magnitude % 60);
  broken.tm_zone = zone.c_str();
  // The C locale's names whatever LC_ALL says; glibc hands back a built-in object for "C".
  const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  if (c_locale == static_cast<locale_t>(nullptr)) return "";
  const std::string format_text(format);  // strftime wants a NUL-terminated string
  std::array<char, kMaxTimeText> text;
  const size_t length =
      strftime_l(text.data(), text.size(), format_text.c_str(), &broken, c_locale);
  freelocale(c_locale);
  return std::string(text.data(), length);
}

Result<void> CheckTimeFormat(std::string_view format) {
  // POSIX's conversions less %s (seconds since the epoch: glibc gets them from mktime, which
  // reads TZ) and %+ (not in glibc).
  constexpr std::string_view kConversions = "aAbBcCdDeFgGhHIjmMnprRtTuUVwWxXyYzZ%";
  constexpr std::string_view kFlags = "_-0^#";
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    const size_t start = i++;
    while (i < format.size() && kFlags.find(format[i]) != std::string_view::npos) ++i;
    size_t digits = 0;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') ++i, ++digits;
    if (i < format.size() && (format[i] == 'E' || format[i] == 'O')) ++i;
    if (i >= format.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("\"{}\" at the end is not a time conversion",
                                   Printable(format.substr(start))));
    }
    if (kConversions.find(format[i]) == std::string_view::npos || digits > 2) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("\"{}\" is not a time conversion pigeon knows",
                                   Printable(format.substr(start, i + 1 - start))));
    }
  }
  return {};
}

std::string FormatMessageDate(int64_t utc_seconds, const sys::Clock& clock,
                              std::string_view date_format) {
  if (!date_format.empty() && date_format[0] == '!') date_format.remove_prefix(1);
  if (date_format.empty()) return FormatIndexDate(utc_seconds, clock);
  return FormatLocalTime(utc_seconds, clock, date_format);
}

std::string FolderCounts(const store::FolderInfo& folder, size_t tagged,
                         std::optional<int64_t> shown) {
  std::string counts = shown ? fmt::format("Msgs:{}/{}", *shown, folder.total)
                             : fmt::format("Msgs:{}", folder.total);
  const auto add = [&counts](std::string_view label, int64_t count) {
    if (count > 0) counts += fmt::format(" {}:{}", label, count);
  };
  add("New", folder.unread);
  add("Del", folder.deleted);
  add("Flag", folder.flagged);
  add("Tag", static_cast<int64_t>(tagged));
  return counts;
}

}  // namespace pigeon::mua::ui

// The mbox From_ line ("From SENDER DATE"), shared by the mbox reader and writer. The date is
// the asctime() layout of mbox(5) ("Www Mmm dd hh:mm:ss yyyy"), always written in UTC. Input is
// untrusted: parsing never fails, it only reports what it could recognise. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pigeon::mailbox {

// Envelope metadata carried by a From_ line.
struct FromLine {
  std::string sender;           // first word after "From "; "" when absent
  std::string date_text;        // the rest of the line, trimmed; "" when absent
  std::optional<int64_t> date;  // UTC seconds when date_text could be parsed
};

// `line` starts with "From "; its line ending (LF or CRLF), if any, is ignored.
FromLine ParseFromLine(std::string_view line);

// True when `line` is "From ADDR Www Mmm d hh:mm:ss [ZONE] yyyy[ anything]": the strict shape
// used to accept a From_ line that is not preceded by an empty line. Day and month names are
// checked against the English abbreviations, numbers against their ranges.
bool HasStrictFromLineShape(std::string_view line);

// The sender written on a From_ line: `sender` itself when it is one word of printable ASCII
// (1..512 bytes), otherwise "MAILER-DAEMON" (unknown or unsafe to write).
std::string FromLineSender(std::string_view sender);

// "From SENDER Www Mmm dd hh:mm:ss yyyy\n" in UTC. Dates outside years 1000..9999 are written
// as 1970-01-01 00:00:00 (the shape must stay parseable).
std::string FormatFromLine(std::string_view sender, int64_t utc_seconds);

}  // namespace pigeon::mailbox

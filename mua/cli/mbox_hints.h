// What an mbox file tells about itself, for `pigeon import`: which mbox(5) variant wrote it
// (sniffed from its first megabytes) and the classic Status / X-Status flags of a message.
// Input is untrusted; both functions are pure and never fail, they only report what they
// recognise. They do not change any bytes: messages are stored as they are.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/mailbox/mbox_splitter.h"

namespace pigeon::mua {

// How much of a file SniffMboxVariant is given.
inline constexpr size_t kMboxSniffBytes = size_t{8} << 20;

// The variant to read a file with, from `sample`, its first bytes (`complete`: the whole
// file). Content-Length-delimited when every message of the sample has a Content-Length that
// proves right: kMboxcl2 when a counted body has an unquoted "From " line or no "From " lines
// at all, else kMboxcl (mboxo quoting). Otherwise kAuto (mboxrd unquoting, which is also right
// for mboxo except a body line that really began ">>From ").
mailbox::MboxVariant SniffMboxVariant(std::string_view sample, bool complete);

// Store flag bits from the header's "Status:" (R read; O old) and "X-Status:" (A answered,
// F flagged, D deleted, T draft) fields, as mutt and Pine write them.
int MboxStatusFlags(std::string_view message);

}  // namespace pigeon::mua

// Bouncing (mutt's `b`, "remail"): the original message sent on unchanged to new recipients,
// with a Resent- block in front of it (RFC 5322 §3.6.6: Resent-From, Resent-To, Resent-Date,
// Resent-Message-ID). The addresses are the user's typed answer, checked as strictly as a
// draft's; the original is untrusted mail and passes through byte for byte. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/message/address.h"
#include "common/util/result.h"

namespace pigeon::mua::compose {

// "bob@example.org, Carol <carol@example.org>": at least one address, each a full one
// (local@domain), nothing unreadable. Errors (kInvalidArgument) say what is wrong.
Result<std::vector<message::Mailbox>> ParseBounceAddresses(std::string_view text);

struct ResentFields {
  message::Mailbox from;  // the owner
  std::vector<message::Mailbox> to;
  std::string date;        // RFC 5322 date-time
  std::string message_id;  // "<id@domain>"
};

// `raw` with the Resent- fields in front, RFC 2047 encoded and folded as a sender's fields
// are, and CRLF line ends (bare LFs of mail imported from an mbox made CRLF). A leading mbox
// "From " line and the leading Return-Path fields (written at delivery) are dropped.
std::string BouncedMessage(std::string_view raw, const ResentFields& resent);

}  // namespace pigeon::mua::compose

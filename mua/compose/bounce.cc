// See bounce.h.
#include "mua/compose/bounce.h"

#include <strings.h>

#include <fmt/format.h>

#include "common/message/field_fold.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::compose {
namespace {

std::string AddressField(std::string_view name, const std::vector<message::Mailbox>& mailboxes) {
  std::string value;
  for (const message::Mailbox& mailbox : mailboxes) {
    if (!value.empty()) value += ", ";
    value += message::FormatMailbox(mailbox);
  }
  std::string field = message::FoldField(fmt::format("{}: {}", name, value));
  return field + "\r\n";
}

}  // namespace

Result<std::vector<message::Mailbox>> ParseBounceAddresses(std::string_view text) {
  message::Defects defects;
  const std::vector<message::Mailbox> mailboxes =
      message::ParseAddressList(text, &defects).Mailboxes();
  for (const message::Mailbox& mailbox : mailboxes) {
    if (mailbox.local_part.empty() || mailbox.domain.empty()) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          fmt::format("\"{}\" is not a full address (local@domain).", EditorAddress(mailbox)));
    }
  }
  if (!defects.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("Cannot read the addresses \"{}\".", text));
  }
  if (mailboxes.empty()) return MakeError(ErrorCode::kInvalidArgument, "No recipients.");
  return mailboxes;
}

std::string BouncedMessage(std::string_view raw, const ResentFields& resent) {
  const auto drop_line = [&raw] {
    const size_t end = raw.find('\n');
    raw = end == std::string_view::npos ? std::string_view() : raw.substr(end + 1);
  };
  if (raw.starts_with("From ")) drop_line();
  // The Return-Path the store wrote at delivery (RFC 5321 4.4: the final delivery adds it);
  // the bounced copy gets its own where it is delivered, never two.
  while (raw.size() >= 12 && strncasecmp(raw.data(), "Return-Path:", 12) == 0) {
    drop_line();
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) drop_line();
  }
  std::string out = AddressField("Resent-From", {resent.from});
  out += AddressField("Resent-To", resent.to);
  out += fmt::format("Resent-Date: {}\r\n", resent.date);
  out += fmt::format("Resent-Message-ID: {}\r\n", resent.message_id);
  out += WithCrlf(raw);
  return out;
}

}  // namespace pigeon::mua::compose

#include "mta/submit/header_completion.h"

#include <fmt/format.h>

#include "common/message/address.h"
#include "common/message/header.h"

namespace pigeon::mta::submit {
namespace {

using message::EqualsIgnoreCase;

bool IsBcc(std::string_view name) {
  return EqualsIgnoreCase(name, "Bcc") || EqualsIgnoreCase(name, "Resent-Bcc");
}

void CollectAddresses(const message::HeaderField& field, std::vector<std::string>& out) {
  message::AddressList list = message::ParseAddressList(field.Unfolded(), nullptr);
  for (const message::Mailbox& mailbox : list.Mailboxes()) {
    if (!mailbox.local_part.empty()) out.push_back(mailbox.AddrSpec());
  }
}

}  // namespace

CompletedMessage CompleteHeaders(std::string_view raw, const HeaderDefaults& defaults) {
  const message::HeaderBodySplit split = message::SplitHeaderBody(raw);
  const message::Header header = message::Header::Parse(split.header, nullptr);
  CompletedMessage completed;
  // Room for the added fields and the trace fields the submission puts in front.
  completed.raw.reserve(raw.size() + 2048);

  bool resent = false;
  for (const message::HeaderField& field : header.fields()) {
    if (field.name.size() > 7 && EqualsIgnoreCase(field.name.substr(0, 7), "Resent-")) {
      resent = true;
    }
  }
  completed.has_resent_block = resent;
  const std::string_view prefix = resent ? "Resent-" : "";

  // The header section as given, less the Bcc fields; each field runs from its name to the
  // start of the next field (folds and the line break included).
  const char* section = split.header.data();
  const std::vector<message::HeaderField>& fields = header.fields();
  // An mbox "From " line in front of the first field is not part of the message.
  size_t kept_from = fields.empty() ? 0 : static_cast<size_t>(fields.front().name.data() - section);
  for (size_t i = 0; i < fields.size(); ++i) {
    const message::HeaderField& field = fields[i];
    const size_t start = static_cast<size_t>(field.name.data() - section);
    const size_t end = i + 1 < fields.size()
                           ? static_cast<size_t>(fields[i + 1].name.data() - section)
                           : split.header.size();
    for (std::string_view kind : {"To", "Cc", "Bcc"}) {
      if (EqualsIgnoreCase(field.name, fmt::format("{}{}", prefix, kind))) {
        CollectAddresses(field, completed.header_recipients);
      }
    }
    if (IsBcc(field.name)) {
      completed.raw.append(split.header.substr(kept_from, start - kept_from));
      kept_from = end;
    }
  }
  completed.raw.append(split.header.substr(kept_from));
  if (!completed.raw.empty() && completed.raw.back() != '\n') completed.raw.append("\r\n");

  if (header.Find("From") == nullptr) completed.raw += fmt::format("From: {}\r\n", defaults.from);
  if (header.Find("Date") == nullptr) completed.raw += fmt::format("Date: {}\r\n", defaults.date);
  if (header.Find("Message-ID") == nullptr) {
    completed.raw += fmt::format("Message-ID: {}\r\n", defaults.message_id);
  }
  completed.raw.append("\r\n");
  completed.raw.append(split.body);
  return completed;
}

}  // namespace pigeon::mta::submit

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

CompletedMessage CompleteHeaders(std::string raw, const HeaderDefaults& defaults) {
  const message::HeaderBodySplit split = message::SplitHeaderBody(raw);
  const message::Header header = message::Header::Parse(split.header, nullptr);
  CompletedMessage completed;
  std::string section;  // the new header section, built aside

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
  const char* start_of_header = split.header.data();
  const std::vector<message::HeaderField>& fields = header.fields();
  // An mbox "From " line in front of the first field is not part of the message.
  size_t kept_from =
      fields.empty() ? 0 : static_cast<size_t>(fields.front().name.data() - start_of_header);
  for (size_t i = 0; i < fields.size(); ++i) {
    const message::HeaderField& field = fields[i];
    const size_t start = static_cast<size_t>(field.name.data() - start_of_header);
    const size_t end = i + 1 < fields.size()
                           ? static_cast<size_t>(fields[i + 1].name.data() - start_of_header)
                           : split.header.size();
    for (std::string_view kind : {"To", "Cc", "Bcc"}) {
      if (EqualsIgnoreCase(field.name, fmt::format("{}{}", prefix, kind))) {
        CollectAddresses(field, completed.header_recipients);
      }
    }
    if (IsBcc(field.name)) {
      section.append(split.header.substr(kept_from, start - kept_from));
      kept_from = end;
    }
  }
  section.append(split.header.substr(kept_from));
  if (!section.empty() && section.back() != '\n') section.append("\r\n");

  if (header.Find("From") == nullptr) section += fmt::format("From: {}\r\n", defaults.from);
  if (header.Find("Date") == nullptr) section += fmt::format("Date: {}\r\n", defaults.date);
  if (header.Find("Message-ID") == nullptr) {
    section += fmt::format("Message-ID: {}\r\n", defaults.message_id);
  }
  section.append("\r\n");
  // The body stays where it is: a 50 MB message is edited in place, never copied.
  const size_t body_start =
      split.body.empty() ? raw.size() : static_cast<size_t>(split.body.data() - raw.data());
  raw.replace(0, std::min(body_start, raw.size()), section);
  completed.raw = std::move(raw);
  return completed;
}

}  // namespace pigeon::mta::submit

// See show_command.h. The JSON field set is a contract documented in man/pigeon.1.scd.
#include "mua/cli/show_command.h"

#include <fmt/format.h>

#include "common/message/charset.h"
#include "common/util/sha256.h"

namespace pigeon::mua {
namespace {

using message::Mailbox;
using message::Message;
using message::Part;
using nlohmann::json;

json MailboxesJson(const std::vector<Mailbox>& mailboxes) {
  json list = json::array();
  for (const Mailbox& mailbox : mailboxes) {
    // An empty angle-addr ("MAILER-DAEMON <>") is the null reverse-path: shown as SMTP writes it.
    bool null_path = mailbox.local_part.empty() && mailbox.domain.empty();
    list.push_back({{"name", message::SanitizeUtf8(mailbox.name)},
                    {"addr", null_path ? "<>" : message::SanitizeUtf8(mailbox.AddrSpec())}});
  }
  return list;
}

json OptionalString(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return message::SanitizeUtf8(*value);
}

// Appends `part` and its descendants in pre-order.
void AppendMimeNodes(const Part& part, const std::string& path, json& nodes) {
  json node = {
      {"path", path},
      {"content_type", message::SanitizeUtf8(part.content_type)},
      {"charset", part.charset ? json(message::SanitizeUtf8(message::AsciiLower(*part.charset)))
                               : json(nullptr)},
      {"filename", OptionalString(part.filename)},
      {"disposition", OptionalString(part.disposition)},
      {"sha256", nullptr},
      {"size", nullptr}};
  if (!part.IsContainer()) {
    std::string decoded = part.DecodedBody(nullptr);
    node["sha256"] = Sha256Hex(decoded);
    node["size"] = decoded.size();
  }
  nodes.push_back(std::move(node));
  for (size_t i = 0; i < part.children.size(); ++i) {
    AppendMimeNodes(part.children[i], fmt::format("{}.{}", path, i + 1), nodes);
  }
}

void AppendTree(const Part& part, int depth, std::string& out) {
  std::string line = fmt::format("{:{}}{}", "", depth * 2, part.content_type);
  if (part.charset) line += fmt::format("; charset={}", *part.charset);
  if (part.filename) line += fmt::format(" \"{}\"", message::SanitizeUtf8(*part.filename));
  if (part.disposition) line += fmt::format(" [{}]", *part.disposition);
  if (!part.IsContainer()) line += fmt::format(", {} bytes", part.DecodedBody(nullptr).size());
  out += line + "\n";
  for (const Part& child : part.children) AppendTree(child, depth + 1, out);
}

// A mailbox for a reader, not for a header: the name decoded (FormatMailbox would encode a
// non-ASCII one as an RFC 2047 word), quoted only when it holds a list separator or specials.
std::string DisplayMailbox(const Mailbox& mailbox) {
  const bool null_path = mailbox.local_part.empty() && mailbox.domain.empty();
  const std::string addr = null_path ? "<>" : mailbox.AddrSpec();
  if (mailbox.name.empty()) return addr;
  const bool quote = mailbox.name.find_first_of(",;:<>@\"") != std::string::npos;
  std::string name = mailbox.name;
  if (quote) {
    std::string escaped;
    for (char c : name) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    name = "\"" + escaped + "\"";
  }
  return name + (null_path ? " <>" : " <" + addr + ">");
}

std::string FormatMailboxes(const std::vector<Mailbox>& mailboxes) {
  std::string out;
  for (const Mailbox& mailbox : mailboxes) {
    if (!out.empty()) out += ", ";
    out += message::SanitizeUtf8(DisplayMailbox(mailbox));
  }
  return out;
}

}  // namespace

json ShowJson(const Message& message) {
  json result;
  result["subject"] = OptionalString(message.Subject());
  result["from"] = MailboxesJson(message.From());
  result["to"] = MailboxesJson(message.AddressesOf("To"));
  result["cc"] = MailboxesJson(message.AddressesOf("Cc"));
  std::optional<message::DateTime> date = message.Date();
  result["date_utc"] = date ? json(message::FormatIsoUtc(date->utc_seconds)) : json(nullptr);
  result["message_id"] = OptionalString(message.MessageId());
  json nodes = json::array();
  AppendMimeNodes(message.Mime(), "0", nodes);
  result["mime"] = std::move(nodes);
  result["text_plain"] = OptionalString(message.FirstTextPlain());
  return result;
}

std::vector<DisplayField> DisplayFields(const Message& message) {
  std::vector<DisplayField> fields;
  auto add = [&fields](std::string_view name, std::string value) {
    if (!value.empty()) fields.push_back(DisplayField{std::string(name), std::move(value)});
  };
  std::optional<message::DateTime> date = message.Date();
  if (date) {
    add("Date", message::FormatRfc5322Date(date->utc_seconds, date->zone_offset_minutes));
  }
  add("From", FormatMailboxes(message.From()));
  add("To", FormatMailboxes(message.AddressesOf("To")));
  add("Cc", FormatMailboxes(message.AddressesOf("Cc")));
  add("Subject", message::SanitizeUtf8(message.Subject().value_or("")));
  return fields;
}

std::string ShowText(const Message& message) {
  std::string out;
  for (const DisplayField& field : DisplayFields(message)) {
    out += fmt::format("{}: {}\n", field.name, field.value);
  }
  const std::string message_id = message.MessageId().value_or("");
  if (!message_id.empty()) out += fmt::format("Message-ID: {}\n", message_id);
  out += "\nMIME structure:\n";
  AppendTree(message.Mime(), 1, out);
  std::optional<std::string> text = message.FirstTextPlain();
  if (text) out += "\n" + *text + (text->ends_with('\n') ? "" : "\n");
  return out;
}

}  // namespace pigeon::mua

// See summary.h. Everything here runs once per message at insert, so it parses the message a
// single time and bounds what it keeps (snippet, index text).
#include "common/store/summary.h"

#include <algorithm>

#include "common/message/address.h"
#include "common/message/charset.h"
#include "common/message/message.h"
#include "common/message/text_extract.h"
#include "common/util/sha256.h"

namespace pigeon::store {
namespace {

using message::Mailbox;
using message::Message;
using message::Part;

constexpr size_t kSnippetLength = 200;

// Runs of whitespace (including line breaks) become one space; ends trimmed.
std::string CollapseWhitespace(std::string_view text, size_t max_bytes) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (out.size() >= max_bytes) break;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  // Do not end inside a UTF-8 sequence when the cut fell in one.
  return message::SanitizeUtf8(out);
}

std::string JoinMailboxes(const std::vector<Mailbox>& mailboxes) {
  std::string out;
  for (const Mailbox& mailbox : mailboxes) {
    if (!out.empty()) out += ", ";
    out +=
        mailbox.name.empty() ? mailbox.AddrSpec() : mailbox.name + " <" + mailbox.AddrSpec() + ">";
  }
  return message::SanitizeUtf8(out);
}

std::string SearchText(const std::vector<Mailbox>& mailboxes) {
  std::string out;
  for (const Mailbox& mailbox : mailboxes) {
    out += mailbox.name + " " + mailbox.AddrSpec() + " ";
  }
  return message::SanitizeUtf8(out);
}

bool HasAttachment(const Part& part) {
  if (part.children.empty()) {
    return part.disposition == "attachment" ||
           (part.filename.has_value() && !part.IsText() && !part.IsMultipart());
  }
  return std::any_of(part.children.begin(), part.children.end(), HasAttachment);
}

std::optional<std::string> FirstId(const message::Header& header, std::string_view name) {
  const message::HeaderField* field = header.Find(name);
  if (field == nullptr) return std::nullopt;
  std::vector<std::string> ids = ParseMessageIds(field->Unfolded());
  if (ids.empty()) return std::nullopt;
  return ids.front();
}

}  // namespace

std::vector<std::string> ParseMessageIds(std::string_view value) {
  std::vector<std::string> ids;
  auto add = [&ids](std::string_view id) {
    if (id.empty() || id.size() > 900 || ids.size() >= 1000) return;
    std::string text = message::SanitizeUtf8(id);
    if (std::find(ids.begin(), ids.end(), text) == ids.end()) ids.push_back(std::move(text));
  };
  size_t pos = 0;
  bool bracketed = value.find('<') != std::string_view::npos;
  while (pos < value.size()) {
    if (bracketed) {
      size_t open = value.find('<', pos);
      if (open == std::string_view::npos) break;
      size_t close = value.find('>', open + 1);
      if (close == std::string_view::npos) break;
      std::string_view id = value.substr(open + 1, close - open - 1);
      // Whitespace inside an id is folding damage, not part of it.
      std::string compact;
      for (char c : id) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.push_back(c);
      }
      add(compact);
      pos = close + 1;
    } else {  // ids without brackets: whitespace-separated words containing "@"
      size_t start = value.find_first_not_of(" \t\r\n,", pos);
      if (start == std::string_view::npos) break;
      size_t end = value.find_first_of(" \t\r\n,", start);
      if (end == std::string_view::npos) end = value.size();
      std::string_view word = value.substr(start, end - start);
      if (word.find('@') != std::string_view::npos) add(word);
      pos = end;
    }
  }
  return ids;
}

MessageSummaryFields ExtractSummary(std::string_view raw) {
  MessageSummaryFields fields;
  Message message{std::string(raw)};
  if (std::optional<message::DateTime> date = message.Date()) fields.date = date->utc_seconds;
  std::vector<Mailbox> from = message.From();
  if (!from.empty()) {
    fields.from_name = message::SanitizeUtf8(from.front().name);
    fields.from_addr = message::SanitizeUtf8(from.front().AddrSpec());
  }
  std::vector<Mailbox> to = message.AddressesOf("To");
  std::vector<Mailbox> cc = message.AddressesOf("Cc");
  std::vector<Mailbox> all = to;
  all.insert(all.end(), cc.begin(), cc.end());
  fields.to_text = JoinMailboxes(all);
  fields.subject = CollapseWhitespace(message.Subject().value_or(""), 4096);

  const message::Header& header = message.header();
  fields.message_id = FirstId(header, "Message-ID");
  std::optional<std::string> in_reply_to = FirstId(header, "In-Reply-To");
  if (const message::HeaderField* references = header.Find("References")) {
    fields.references = ParseMessageIds(references->Unfolded());
  }
  if (in_reply_to) {
    fields.parent_id = in_reply_to;
    if (std::find(fields.references.begin(), fields.references.end(), *in_reply_to) ==
        fields.references.end()) {
      fields.references.push_back(*in_reply_to);
    }
  } else if (!fields.references.empty()) {
    fields.parent_id = fields.references.back();
  }
  if (fields.message_id && fields.parent_id == fields.message_id) fields.parent_id.reset();

  const Part& root = message.Mime();
  fields.has_attachment = HasAttachment(root);
  fields.search_body = message::ExtractSearchText(root);
  fields.snippet = CollapseWhitespace(fields.search_body, kSnippetLength);

  std::vector<Mailbox> senders = from;
  std::vector<Mailbox> sender = message.AddressesOf("Sender");
  senders.insert(senders.end(), sender.begin(), sender.end());
  fields.search_sender = SearchText(senders);
  fields.search_recipients = SearchText(to);
  fields.search_cc = SearchText(cc);
  return fields;
}

PreparedMessage PrepareMessage(std::string raw) {
  PreparedMessage message;
  message.sha256 = Sha256Hex(raw);
  message.fields = ExtractSummary(raw);
  message.raw = std::move(raw);
  return message;
}

}  // namespace pigeon::store

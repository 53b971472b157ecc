// See draft.h. The header block is read line by line, not with message::Header: that parser
// is lenient with mail from others (a stray line ends the header), where a typo in one's own
// draft should be pointed out instead of sent as body text.
#include "mua/compose/draft.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/message/header.h"

namespace pigeon::mua::compose {
namespace {

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool IsFieldName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return c >= 33 && c <= 126 && c != ':'; });
}

// The next line of `text` (without its LF or CRLF); advances `rest`.
std::string_view NextLine(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

struct RawField {
  std::string name;
  std::string value;
  int line = 0;
};

std::string* KnownField(EditableDraft& draft, std::string_view name) {
  if (message::EqualsIgnoreCase(name, "From")) return &draft.from;
  if (message::EqualsIgnoreCase(name, "To")) return &draft.to;
  if (message::EqualsIgnoreCase(name, "Cc")) return &draft.cc;
  if (message::EqualsIgnoreCase(name, "Bcc")) return &draft.bcc;
  if (message::EqualsIgnoreCase(name, "Subject")) return &draft.subject;
  return nullptr;
}

}  // namespace

Result<std::vector<message::Mailbox>> ParseEditorAddresses(std::string_view field,
                                                           std::string_view value) {
  message::Defects defects;
  message::AddressList list = message::ParseAddressList(value, &defects);
  std::vector<message::Mailbox> mailboxes = list.Mailboxes();
  for (const message::Mailbox& mailbox : mailboxes) {
    if (mailbox.local_part.empty() || mailbox.domain.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{}: \"{}\" is not a full address (local@domain)", field,
                                   EditorAddress(mailbox)));
    }
  }
  if (!defects.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: cannot read the addresses \"{}\"", field, value));
  }
  return mailboxes;
}

// A second one typed in would contradict the field the builder or the submitter writes.
bool IsWrittenBySending(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kWritten = {"date", "message-id", "mime-version",
                                                               "in-reply-to", "references"};
  const std::string lower = message::AsciiLower(name);
  return lower.starts_with("content-") ||
         std::find(kWritten.begin(), kWritten.end(), lower) != kWritten.end();
}

std::string EditorAddress(const message::Mailbox& mailbox) {
  const std::string addr = mailbox.AddrSpec();
  if (mailbox.name.empty()) return addr;
  constexpr std::string_view kSpecials = "()<>[]:;@\\,.\"";
  if (mailbox.name.find_first_of(kSpecials) == std::string::npos) {
    return fmt::format("{} <{}>", mailbox.name, addr);
  }
  std::string quoted = "\"";
  for (char c : mailbox.name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return fmt::format("{}\" <{}>", quoted, addr);
}

std::string EditorAddressList(const std::vector<message::Mailbox>& mailboxes) {
  std::string out;
  for (const message::Mailbox& mailbox : mailboxes) {
    if (!out.empty()) out += ", ";
    out += EditorAddress(mailbox);
  }
  return out;
}

std::string WithCrlf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 32);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += raw[i];
  }
  return out;
}

std::string DraftText(const EditableDraft& draft) {
  std::string out = fmt::format("From: {}\nTo: {}\nCc: {}\nBcc: {}\nSubject: {}\n", draft.from,
                                draft.to, draft.cc, draft.bcc, draft.subject);
  for (const auto& [name, value] : draft.other_fields) out += fmt::format("{}: {}\n", name, value);
  out += "\n";
  out += draft.body;
  return out;
}

Result<EditableDraft> ParseDraftText(std::string_view text, EditableDraft base) {
  std::vector<RawField> fields;
  std::string_view rest = text;
  int number = 0;
  while (!rest.empty()) {
    const std::string_view line = NextLine(rest);
    ++number;
    if (IsBlank(line)) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (fields.empty()) {
        return MakeError(ErrorCode::kParse,
                         fmt::format("line {}: a folded line with no field above it", number));
      }
      std::string& value = fields.back().value;
      const std::string_view more = message::TrimWhitespace(line);
      value += value.empty() ? std::string(more) : " " + std::string(more);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsFieldName(line.substr(0, colon))) {
      // Short: it is shown on the message line with "Edit again?" after it.
      return MakeError(ErrorCode::kParse,
                       fmt::format("line {}: \"{}\" is not a header field (Name: value)", number,
                                   line.substr(0, 30)));
    }
    fields.push_back(RawField{std::string(line.substr(0, colon)),
                              std::string(message::TrimWhitespace(line.substr(colon + 1))),
                              number});
  }

  EditableDraft draft = std::move(base);
  draft.from.clear();
  draft.to.clear();
  draft.cc.clear();
  draft.bcc.clear();
  draft.subject.clear();
  draft.other_fields.clear();
  std::vector<std::string> seen;
  for (RawField& field : fields) {
    if (IsWrittenBySending(field.name)) {
      return MakeError(
          ErrorCode::kParse,
          fmt::format("line {}: {} is written when the message is sent", field.line, field.name));
    }
    const std::string lower = message::AsciiLower(field.name);
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      return MakeError(ErrorCode::kParse,
                       fmt::format("line {}: a second {} field", field.line, field.name));
    }
    seen.push_back(lower);
    if (std::string* known = KnownField(draft, field.name)) {
      *known = std::move(field.value);
    } else {
      draft.other_fields.emplace_back(std::move(field.name), std::move(field.value));
    }
  }
  draft.body = std::string(rest);
  std::erase(draft.body, '\r');
  return draft;
}

Result<message::Draft> ToMessageDraft(const EditableDraft& draft, Recipients recipients) {
  message::Draft out;
  Result<std::vector<message::Mailbox>> from = ParseEditorAddresses("From", draft.from);
  if (!from) return tl::unexpected(from.error());
  if (from->size() != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "From: needs exactly one address");
  }
  out.from = from->front();
  struct AddressField {
    std::string_view name;
    const std::string& value;
    std::vector<message::Mailbox>& target;
  };
  for (const AddressField& field :
       {AddressField{"To", draft.to, out.to}, AddressField{"Cc", draft.cc, out.cc},
        AddressField{"Bcc", draft.bcc, out.bcc}}) {
    Result<std::vector<message::Mailbox>> parsed = ParseEditorAddresses(field.name, field.value);
    if (!parsed) return tl::unexpected(parsed.error());
    field.target = std::move(*parsed);
  }
  if (recipients == Recipients::kRequired && out.to.empty() && out.cc.empty() && out.bcc.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "No recipients were specified (To, Cc, Bcc).");
  }
  for (const auto& [name, value] : draft.other_fields) {
    if (message::EqualsIgnoreCase(name, "Reply-To")) {
      Result<std::vector<message::Mailbox>> reply_to = ParseEditorAddresses(name, value);
      if (!reply_to) return tl::unexpected(reply_to.error());
      out.reply_to = std::move(*reply_to);
    } else {
      out.extra_headers.emplace_back(name, value);
    }
  }
  out.subject = draft.subject;
  out.text = draft.body;
  out.in_reply_to = draft.in_reply_to;
  out.references = draft.references;
  out.attachments = draft.attachments;
  out.include_bcc = true;
  return out;
}

}  // namespace pigeon::mua::compose

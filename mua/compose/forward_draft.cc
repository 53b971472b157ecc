// See forward_draft.h.
#include "mua/compose/forward_draft.h"

#include <fmt/format.h>

#include "common/message/header.h"

namespace pigeon::mua::compose {
namespace {

constexpr std::string_view kFwd = "Fwd:";

// Header values as one line: a hostile Subject with a line break must not start a new field
// of the forwarded text.
std::string OneLine(std::string_view value) {
  std::string out(message::TrimWhitespace(value));
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace

std::string ForwardSubject(std::string_view subject) {
  const std::string clean = OneLine(subject);
  if (clean.empty()) return "Fwd: (no subject)";
  if (clean.size() >= kFwd.size() &&
      message::EqualsIgnoreCase(clean.substr(0, kFwd.size()), kFwd)) {
    return clean;
  }
  return fmt::format("{} {}", kFwd, clean);
}

std::string ForwardedText(const message::Message& original) {
  const std::vector<message::Mailbox> from = original.From();
  std::string out = from.empty() ? std::string("----- Forwarded message -----\n")
                                 : fmt::format("----- Forwarded message from {} -----\n",
                                               OneLine(EditorAddress(from.front())));
  if (std::optional<std::string> date = original.header().Get("Date")) {
    out += fmt::format("Date: {}\n", OneLine(*date));
  }
  struct Field {
    std::string_view name;
    std::vector<message::Mailbox> addresses;
  };
  for (const Field& field : {Field{"From", from}, Field{"To", original.AddressesOf("To")},
                             Field{"Cc", original.AddressesOf("Cc")}}) {
    if (field.addresses.empty()) continue;
    out += fmt::format("{}: {}\n", field.name, OneLine(EditorAddressList(field.addresses)));
  }
  if (std::optional<std::string> subject = original.Subject()) {
    out += fmt::format("Subject: {}\n", OneLine(*subject));
  }
  out += "\n";
  std::string text = original.FirstTextPlain().value_or("");
  std::erase(text, '\r');
  if (!text.empty() && !text.ends_with('\n')) text += '\n';
  out += text;
  out += "----- End forwarded message -----\n";
  return out;
}

EditableDraft ForwardDraft(const message::Message& original, const std::string& from,
                           ForwardMode mode) {
  EditableDraft draft;
  draft.from = from;
  draft.subject = ForwardSubject(original.Subject().value_or(""));
  if (mode == ForwardMode::kInline) {
    draft.body = ForwardedText(original);
    return draft;
  }
  message::Attachment attached;
  attached.content = WithCrlf(original.raw());  // canonical: sent as 7bit or 8bit, not base64
  attached.content_type = "message/rfc822";
  attached.inline_disposition = true;  // as mutt sends it: readers show it in place
  draft.attachments.push_back(std::move(attached));
  return draft;
}

}  // namespace pigeon::mua::compose

// See reply_draft.h.
#include "mua/compose/reply_draft.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/message/header.h"
#include "common/message/list_post.h"
#include "common/store/summary.h"

namespace pigeon::mua::compose {
namespace {

// "Re:" (any case) at the start of `subject`, after spaces; the rest, or nullopt.
std::optional<std::string_view> AfterRe(std::string_view subject) {
  subject = message::TrimWhitespace(subject);
  if (subject.size() < 3 || !message::EqualsIgnoreCase(subject.substr(0, 3), "re:")) {
    return std::nullopt;
  }
  return message::TrimWhitespace(subject.substr(3));
}

std::vector<std::string> Bracketed(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& id : ids) out.push_back("<" + id + ">");
  return out;
}

// Appends the addresses of `from` that are not own and not in `taken` yet, to both. Two
// spellings of one address are the same by IsOwnAddress's rule.
void AppendNew(const std::vector<message::Mailbox>& from, const std::vector<message::Mailbox>& own,
               std::vector<message::Mailbox>& taken, std::vector<message::Mailbox>& to) {
  for (const message::Mailbox& address : from) {
    const bool seen = IsOwnAddress(address, taken);
    if (address.local_part.empty() || seen || IsOwnAddress(address, own)) continue;
    taken.push_back(address);
    to.push_back(address);
  }
}

std::vector<message::Mailbox> ReplyTo(const message::Message& original) {
  std::vector<message::Mailbox> to = original.AddressesOf("Reply-To");
  return to.empty() ? original.From() : to;
}

}  // namespace

std::string ReplySubject(std::string_view subject) {
  subject = message::TrimWhitespace(subject);
  while (std::optional<std::string_view> rest = AfterRe(subject)) subject = *rest;
  return subject.empty() ? "Re: your mail" : fmt::format("Re: {}", subject);
}

std::string QuoteText(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    out += line.empty() ? ">" : fmt::format("> {}", line);
    out += '\n';
  }
  return out;
}

std::string Attribution(const message::Message& original) {
  const std::vector<message::Mailbox> from = original.From();
  std::string name = "someone";
  if (!from.empty()) name = from.front().name.empty() ? from.front().AddrSpec() : from.front().name;
  const std::optional<std::string> date = original.header().Get("Date");
  if (!date || date->empty()) return fmt::format("{} wrote:", name);
  return fmt::format("On {}, {} wrote:", *date, name);
}

std::vector<std::string> ReplyReferences(const message::Message& original) {
  std::vector<std::string> ids;
  if (std::optional<std::string> references = original.header().Get("References")) {
    ids = store::ParseMessageIds(*references);
  }
  if (ids.empty()) {
    // RFC 5322 §3.6.4: without References, a parent's single In-Reply-To id stands for them.
    if (std::optional<std::string> in_reply_to = original.header().Get("In-Reply-To")) {
      std::vector<std::string> parent = store::ParseMessageIds(*in_reply_to);
      if (parent.size() == 1) ids = std::move(parent);
    }
  }
  if (std::optional<std::string> id = original.MessageId()) {
    std::vector<std::string> own = store::ParseMessageIds(*id);
    if (!own.empty()) {
      std::erase(ids, own.front());  // a looped chain names it last, once
      ids.push_back(own.front());
    }
  }
  return Bracketed(ids);
}

EditableDraft ReplyDraft(const message::Message& original, const std::string& from) {
  EditableDraft draft;
  draft.from = from;
  draft.to = EditorAddressList(ReplyTo(original));
  draft.subject = ReplySubject(original.Subject().value_or(""));
  if (std::optional<std::string> id = original.MessageId()) {
    std::vector<std::string> own = store::ParseMessageIds(*id);
    if (!own.empty()) draft.in_reply_to = "<" + own.front() + ">";
  }
  draft.references = ReplyReferences(original);
  std::string text = original.FirstTextPlain().value_or("");
  std::erase(text, '\r');
  draft.body = Attribution(original) + "\n" + QuoteText(text);
  return draft;
}

bool IsOwnAddress(const message::Mailbox& address, const std::vector<message::Mailbox>& own) {
  for (const message::Mailbox& mine : own) {
    if (address.local_part == mine.local_part &&
        message::EqualsIgnoreCase(address.domain, mine.domain)) {
      return true;
    }
  }
  return false;
}

ReplyRecipients GroupReplyRecipients(const message::Message& original,
                                     const std::vector<message::Mailbox>& own) {
  ReplyRecipients out;
  std::vector<message::Mailbox> taken;
  AppendNew(ReplyTo(original), own, taken, out.to);
  AppendNew(original.AddressesOf("To"), own, taken, out.cc);
  AppendNew(original.AddressesOf("Cc"), own, taken, out.cc);
  if (out.to.empty()) std::swap(out.to, out.cc);  // as mutt does: someone must be in To
  return out;
}

EditableDraft GroupReplyDraft(const message::Message& original, const std::string& from,
                              const std::vector<message::Mailbox>& own) {
  EditableDraft draft = ReplyDraft(original, from);
  const ReplyRecipients recipients = GroupReplyRecipients(original, own);
  draft.to = EditorAddressList(recipients.to);
  draft.cc = EditorAddressList(recipients.cc);
  return draft;
}

std::optional<EditableDraft> ListReplyDraft(const message::Message& original,
                                            const std::string& from) {
  const std::optional<std::string> list_post = original.header().Get("List-Post");
  if (!list_post) return std::nullopt;
  const std::optional<message::Mailbox> list = message::ListPostAddress(*list_post);
  if (!list) return std::nullopt;
  EditableDraft draft = ReplyDraft(original, from);
  draft.to = EditorAddress(*list);
  return draft;
}

}  // namespace pigeon::mua::compose

// See recalled_draft.h. The MIME tree comes from message::Message (the parser the pager and the
// attachment menu use) and every decoding from its parts: nothing here reads MIME itself. Field
// values become one line each, because the editor's header block is "Name: value" per line.
#include "mua/compose/recalled_draft.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message/charset.h"
#include "common/message/encoded_word.h"
#include "common/message/header.h"
#include "common/message/text_extract.h"
#include "common/store/summary.h"

namespace pigeon::mua::compose {
namespace {

// Fields of the editor's own lines, filled apart from other_fields.
bool IsEditorField(std::string_view lower) {
  return lower == "from" || lower == "to" || lower == "cc" || lower == "bcc" || lower == "subject";
}

// Fields added on the way (transport) or by a mailbox format (mbox state), not by the user.
bool IsTransportField(std::string_view lower) {
  static constexpr std::array<std::string_view, 9> kTransport = {
      "received", "return-path", "delivered-to", "x-original-to", "status",
      "x-status", "x-keywords",  "x-uid",        "lines"};
  return std::find(kTransport.begin(), kTransport.end(), lower) != kTransport.end();
}

// What ParseDraftText accepts as a field name.
bool IsEditableName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return c >= 33 && c <= 126 && c != ':'; });
}

// `text` on one line of valid UTF-8: control characters (a decoded "=0A" included) become
// spaces.
std::string OneLine(std::string_view text) {
  std::string out = message::SanitizeUtf8(message::TrimWhitespace(text));
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) c = ' ';
  }
  return std::string(message::TrimWhitespace(out));
}

// Every field named `name`, in the editor's address form. A field that does not read cleanly
// as addresses is kept as its decoded text, so the user sees it and the send names the problem.
std::string AddressField(const message::Header& header, std::string_view name) {
  std::vector<std::string> pieces;
  for (const message::HeaderField* field : header.FindAll(name)) {
    const std::string unfolded = field->Unfolded();
    if (message::TrimWhitespace(unfolded).empty()) continue;
    message::Defects defects;
    std::vector<message::Mailbox> mailboxes =
        message::ParseAddressList(unfolded, &defects).Mailboxes();
    std::string piece = !mailboxes.empty() && defects.empty()
                            ? OneLine(EditorAddressList(mailboxes))
                            : OneLine(message::DecodeEncodedWords(unfolded, nullptr));
    // A field of control characters alone is blank once on one line: no ", " for it.
    if (!piece.empty()) pieces.push_back(std::move(piece));
  }
  std::string out;
  for (const std::string& piece : pieces) {
    if (!out.empty()) out += ", ";
    out += piece;
  }
  return out;
}

// Reply-To, X-… and the like: the first of each name (the editor refuses a second one).
std::vector<std::pair<std::string, std::string>> OtherFields(const message::Header& header) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> seen;
  for (const message::HeaderField& field : header.fields()) {
    const std::string lower = message::AsciiLower(field.name);
    if (!IsEditableName(field.name) || IsEditorField(lower) || IsTransportField(lower) ||
        IsWrittenBySending(lower) || std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      continue;
    }
    seen.push_back(lower);
    std::string value = lower == "reply-to"
                            ? AddressField(header, field.name)
                            : OneLine(message::DecodeEncodedWords(field.Unfolded(), nullptr));
    out.emplace_back(std::string(field.name), std::move(value));
  }
  return out;
}

std::vector<std::string> BracketedIds(const message::Header& header, std::string_view name) {
  std::vector<std::string> ids;
  if (std::optional<std::string> value = header.Get(name)) {
    for (const std::string& id : store::ParseMessageIds(*value)) ids.push_back("<" + id + ">");
  }
  return ids;
}

struct Leaf {
  const message::Part* part = nullptr;
  const message::Part* alternative = nullptr;  // the nearest multipart/alternative above it
};

// The parts a user attached or wrote, in order: leaves, and message/* parts taken whole (an
// attached message is one attachment, not its parts).
void CollectLeaves(const message::Part& part, const message::Part* alternative,
                   std::vector<Leaf>& leaves) {
  if (!part.IsContainer() || part.content_type.starts_with("message/")) {
    leaves.push_back(Leaf{&part, alternative});
    return;
  }
  if (part.content_type == "multipart/alternative") alternative = &part;
  for (const message::Part& child : part.children) CollectLeaves(child, alternative, leaves);
}

bool IsBodyText(const message::Part& part, std::string_view type) {
  return part.content_type == type && part.disposition != "attachment" && !part.filename;
}

// The body's part: the first text/plain that is not an attachment, else the first HTML one.
const Leaf* FindBody(const std::vector<Leaf>& leaves) {
  for (std::string_view type : {"text/plain", "text/html"}) {
    for (const Leaf& leaf : leaves) {
      if (IsBodyText(*leaf.part, type)) return &leaf;
    }
  }
  return nullptr;
}

// The name without directories (a sender's path must not choose where a save lands) or
// control characters.
std::string BareFilename(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) out += c;
  }
  return out == "." || out == ".." ? std::string() : out;
}

message::Attachment AttachmentOf(const message::Part& part) {
  message::Attachment attachment;
  attachment.filename = BareFilename(part.filename.value_or(""));
  message::Defects defects;
  attachment.content = part.DecodedBody(&defects);
  attachment.content_type = part.content_type;
  attachment.inline_disposition = part.disposition == "inline";
  return attachment;
}

std::string BodyText(const message::Part& part) {
  message::Defects defects;
  std::string text = part.TextUtf8(&defects);
  if (part.content_type == "text/html") text = message::HtmlToText(text);
  std::erase(text, '\r');
  return text;
}

}  // namespace

Result<EditableDraft> RecalledDraft(const message::Message& stored) {
  const message::Header& header = stored.header();
  if (header.fields().empty()) {
    return MakeError(ErrorCode::kParse, "the stored draft has no header fields");
  }
  EditableDraft draft;
  draft.from = AddressField(header, "From");
  draft.to = AddressField(header, "To");
  draft.cc = AddressField(header, "Cc");
  draft.bcc = AddressField(header, "Bcc");
  if (const message::HeaderField* subject = header.Find("Subject")) {
    draft.subject = OneLine(message::DecodeEncodedWords(subject->Unfolded(), nullptr));
  }
  draft.other_fields = OtherFields(header);
  std::vector<std::string> in_reply_to = BracketedIds(header, "In-Reply-To");
  if (!in_reply_to.empty()) draft.in_reply_to = std::move(in_reply_to.front());
  draft.references = BracketedIds(header, "References");

  std::vector<Leaf> leaves;
  CollectLeaves(stored.Mime(), nullptr, leaves);
  const Leaf* body = FindBody(leaves);
  if (body != nullptr) draft.body = BodyText(*body->part);
  for (const Leaf& leaf : leaves) {
    if (body != nullptr && (&leaf == body || (body->alternative != nullptr &&
                                              leaf.alternative == body->alternative))) {
      continue;
    }
    draft.attachments.push_back(AttachmentOf(*leaf.part));
  }
  return draft;
}

std::optional<int64_t> RepliedOriginal(std::span<const store::MessageSummary> copies,
                                       int64_t drafts_folder_id, int64_t sent_folder_id) {
  std::optional<int64_t> own;
  for (const store::MessageSummary& copy : copies) {
    if (copy.folder_id == drafts_folder_id) continue;
    if (copy.folder_id != sent_folder_id) return copy.id;
    if (!own) own = copy.id;
  }
  return own;
}

}  // namespace pigeon::mua::compose

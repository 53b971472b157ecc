// Search text of a MIME tree: what a reader would read, not what is attached. text/plain leaves
// decoded to UTF-8, text/html leaves through HtmlToText (html_to_text.cc), one alternative of
// each multipart/alternative (the plain one when there is one), enclosed messages' bodies.
// The tree comes from untrusted mail; output is capped at kMaxExtractedText, cut on a UTF-8
// character boundary, and the walk stops once the cap is reached.
#include <algorithm>

#include "common/message/text_extract.h"

namespace pigeon::message {
namespace {

bool IsAttachment(const Part& part) {
  return part.disposition == "attachment" || (part.filename && !part.filename->empty());
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// Whether the subtree holds a text/plain leaf the walk would use (not inside an enclosed
// message, which is another message's text, not an alternative rendering of this one).
bool HasReadablePlain(const Part& part, int depth) {
  if (depth > kMaxMimeDepth) return false;
  if (part.children.empty()) return part.content_type == "text/plain" && !IsAttachment(part);
  if (!part.IsMultipart()) return false;
  return std::any_of(part.children.begin(), part.children.end(),
                     [depth](const Part& child) { return HasReadablePlain(child, depth + 1); });
}

class Extractor {
 public:
  void Walk(const Part& part, int depth);
  std::string Take() { return std::move(out_); }

 private:
  void WalkAlternative(const Part& part, int depth);
  // Walks `part` and keeps what it added only when that is not blank. Returns whether it kept.
  bool TryWalk(const Part& part, int depth);
  void Append(std::string_view text);

  std::string out_;
  bool full_ = false;
};

void Extractor::Walk(const Part& part, int depth) {
  // Trees from ParseMime are at most kMaxMimeDepth deep; a hand-made deeper one stops here too.
  if (full_ || depth > kMaxMimeDepth) return;
  if (!part.children.empty()) {
    if (part.content_type == "multipart/alternative") {
      WalkAlternative(part, depth);
    } else if (part.IsMultipart() || part.IsMessage()) {
      for (const Part& child : part.children) Walk(child, depth + 1);
    }
    // Other containers (delivery-status fields, an external body's phantom header) hold no
    // text a reader would search for.
    return;
  }
  if (IsAttachment(part)) return;
  if (part.content_type == "text/plain" || part.IsMultipart()) {
    // A multipart whose boundary was never found is read as the text it is.
    Append(part.TextUtf8(nullptr));
  } else if (part.content_type == "text/html") {
    Append(HtmlToText(part.TextUtf8(nullptr)));
  }
}

void Extractor::WalkAlternative(const Part& part, int depth) {
  // RFC 2046 §5.1.4 orders alternatives from plainest to richest: the same content each time,
  // so one is enough. The plain one indexes best; if it is empty (some mailers send an empty
  // text/plain beside the HTML), take the richest one that has text.
  for (const Part& child : part.children) {
    if (HasReadablePlain(child, depth + 1)) {
      if (TryWalk(child, depth + 1)) return;
      break;
    }
  }
  for (auto it = part.children.rbegin(); it != part.children.rend(); ++it) {
    if (TryWalk(*it, depth + 1)) return;
  }
}

bool Extractor::TryWalk(const Part& part, int depth) {
  size_t before = out_.size();
  bool was_full = full_;
  Walk(part, depth);
  if (!IsBlank(std::string_view(out_).substr(before))) return true;
  out_.resize(before);
  full_ = was_full;
  return false;
}

void Extractor::Append(std::string_view text) {
  if (full_ || IsBlank(text)) return;
  if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  size_t room = kMaxExtractedText > out_.size() ? kMaxExtractedText - out_.size() : 0;
  if (text.size() > room) {
    // Back up to the start of a UTF-8 character so the cut leaves valid text.
    while (room > 0 && (static_cast<unsigned char>(text[room]) & 0xC0) == 0x80) --room;
    text = text.substr(0, room);
    full_ = true;
  }
  out_.append(text);
}

}  // namespace

std::string ExtractSearchText(const Part& root) {
  Extractor extractor;
  extractor.Walk(root, 0);
  return extractor.Take();
}

}  // namespace pigeon::message

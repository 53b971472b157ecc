// The MIME tree (RFC 2045 §5, RFC 2046 §5.1 multipart, §5.2 message; RFC 3464 delivery status)
// of an untrusted message, read as Python's email.feedparser reads it: a line matching the
// boundary of any enclosing multipart ends a part; the line break before a delimiter belongs to
// it; a missing start or final delimiter is repaired with a defect. Depth and part count are
// bounded; each nesting level scans its own bytes once (memmem), so time is linear in the input.
#include <string.h>  // memmem (a GNU extension, not in <cstring>)

#include <memory>

#include "common/message/codec.h"
#include "common/message/mime.h"
#include "common/message/mime_internal.h"

namespace pigeon::message {
namespace {

bool IsTokenChar(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// RFC 2045 §5.1: type "/" subtype, both tokens. Anything else is invalid and read as text/plain.
bool IsValidMediaType(std::string_view type) {
  size_t slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (i != slash && !IsTokenChar(type[i])) return false;
  }
  return true;
}

// The first word of Content-Transfer-Encoding, lower-cased ("Base64 (by X)" → "base64").
std::string TransferEncoding(const Header& header) {
  std::optional<std::string> value = header.Get("Content-Transfer-Encoding");
  if (!value) return "7bit";
  std::string_view text = *value;
  size_t end = 0;
  while (end < text.size() && IsTokenChar(text[end])) ++end;
  return end == 0 ? "7bit" : AsciiLower(text.substr(0, end));
}

// message/* types whose body is one entity: RFC 2046 §5.2 (rfc822, and external-body's phantom
// header), RFC 6532 message/global, and the obsolete message/news.
bool EnclosesOneEntity(std::string_view type) {
  return type == "message/rfc822" || type == "message/global" || type == "message/news" ||
         type == "message/external-body";
}

// RFC 3464 §2.1, RFC 6533: blocks of fields separated by empty lines.
bool IsDeliveryStatus(std::string_view type) {
  return type == "message/delivery-status" || type == "message/global-delivery-status";
}

// A delimiter line: "--" boundary, "--" again for the close delimiter, transport padding (SP and
// HTAB), then the line break or the end of the body. Python's boundary regex, nothing laxer.
struct Delimiter {
  size_t start = 0;  // offset of the line in the body
  size_t next = 0;   // offset just after its line break
  bool close = false;
};

std::optional<Delimiter> DelimiterAt(std::string_view body, std::string_view dash_boundary,
                                     size_t start) {
  if (body.substr(start, dash_boundary.size()) != dash_boundary) return std::nullopt;
  size_t pos = start + dash_boundary.size();
  Delimiter found{start, 0, false};
  if (body.substr(pos, 2) == "--") {
    found.close = true;
    pos += 2;
  }
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
  if (pos < body.size() && body[pos] == '\r') ++pos;
  if (pos < body.size() && body[pos] != '\n') return std::nullopt;
  found.next = pos < body.size() ? pos + 1 : pos;
  return found;
}

// The first delimiter line at or after `from`, which must be the start of a line. Searching for
// "\n--boundary" with memmem skips through long bodies without looking at every line.
std::optional<Delimiter> FindDelimiter(std::string_view body, std::string_view newline_dash,
                                       size_t from) {
  std::string_view dash_boundary = newline_dash.substr(1);
  if (std::optional<Delimiter> here = DelimiterAt(body, dash_boundary, from)) return here;
  size_t pos = from;
  while (pos < body.size()) {
    const void* hit =
        memmem(body.data() + pos, body.size() - pos, newline_dash.data(), newline_dash.size());
    if (hit == nullptr) return std::nullopt;
    size_t line = static_cast<size_t>(static_cast<const char*>(hit) - body.data()) + 1;
    if (std::optional<Delimiter> found = DelimiterAt(body, dash_boundary, line)) return found;
    pos = line;
  }
  return std::nullopt;
}

// Where the content before the delimiter line at `line` ends: RFC 2046 §5.1.1 gives the line
// break before "--boundary" to the delimiter, not to the part (or preamble) before it.
size_t ContentEnd(std::string_view body, size_t line, size_t content_start) {
  size_t end = line;
  if (end > content_start && body[end - 1] == '\n') --end;
  if (end > content_start && body[end - 1] == '\r') --end;
  return end;
}

// The boundary parameter as written (octets, not converted: it is compared with body bytes),
// without trailing blanks, which RFC 2046 §5.1.1 forbids and Python strips. "" when none.
std::string BoundaryOf(const Header& header) {
  const HeaderField* field = header.Find("Content-Type");
  if (field == nullptr) return "";
  std::string boundary = mime_internal::RawParameter(field->Unfolded(), "boundary").value_or("");
  while (!boundary.empty() && (boundary.back() == ' ' || boundary.back() == '\t')) {
    boundary.pop_back();
  }
  return boundary;
}

// An empty line (the RFC 3464 block separator): "\n" or "\r\n" alone.
bool IsEmptyLineAt(std::string_view s, size_t pos) {
  return s.substr(pos, 1) == "\n" || s.substr(pos, 2) == "\r\n";
}

}  // namespace

// Builds the tree. One per ParseMime call; holds the budgets shared by the whole tree.
class MimeParser {
 public:
  MimeParser(Defects* defects, size_t input_size)
      : defects_(defects), decode_budget_(2 * input_size + 1024 * 1024) {}

  // `trailing_break` is the length of the line break that follows `entity` in its buffer and
  // belongs to an enclosing delimiter (0 when none).
  Part ParseEntity(std::string_view entity, int depth, std::string_view default_type,
                   size_t trailing_break);

 private:
  void ReadContentFields(Part& part, std::string_view default_type);
  void ParseMultipart(Part& part, int depth, size_t body_slack);
  void ParseParts(Part& part, std::string_view newline_dash, Delimiter first, int depth,
                  size_t body_slack);
  void ParseEnclosed(Part& part, int depth, size_t body_slack);
  void ParseDeliveryStatus(Part& part, int depth);
  bool CanNest(int depth);
  bool TakePart();

  Defects* defects_;
  size_t parts_ = 1;  // the root
  bool parts_exhausted_ = false;
  // Bytes of decoded message/rfc822 bodies still allowed: nested encoded messages must not
  // multiply memory.
  size_t decode_budget_;
  // The buffer the entity being parsed views into when it is not the caller's (a decoded
  // message/rfc822): every Part made from it holds a reference.
  std::shared_ptr<const std::string> owned_;
};

bool MimeParser::CanNest(int depth) {
  if (depth < kMaxMimeDepth) return true;
  AddDefect(defects_, DefectKind::kMimeNestingTooDeep);
  return false;
}

bool MimeParser::TakePart() {
  if (parts_ < kMaxMimeParts) {
    ++parts_;
    return true;
  }
  if (!parts_exhausted_) AddDefect(defects_, DefectKind::kMimeTooManyParts);
  parts_exhausted_ = true;
  return false;
}

Part MimeParser::ParseEntity(std::string_view entity, int depth, std::string_view default_type,
                             size_t trailing_break) {
  Part part;
  part.owned_ = owned_;
  HeaderBodySplit split = SplitHeaderBody(entity);
  part.header = Header::Parse(split.header, defects_);
  part.body = split.body;
  if (part.body.data() == nullptr) part.body = entity.substr(entity.size());
  // The trailing break would end the body's last line, unless the body is empty and there is
  // no separator: then it ends the header's last line (or is the separator).
  size_t body_slack = split.has_separator || !split.body.empty() ? trailing_break : 0;
  ReadContentFields(part, default_type);
  if (part.IsMultipart()) {
    ParseMultipart(part, depth, body_slack);
  } else if (EnclosesOneEntity(part.content_type)) {
    ParseEnclosed(part, depth, body_slack);
  } else if (IsDeliveryStatus(part.content_type)) {
    ParseDeliveryStatus(part, depth);
  }
  return part;
}

void MimeParser::ReadContentFields(Part& part, std::string_view default_type) {
  part.content_type = default_type;
  if (const HeaderField* field = part.header.Find("Content-Type")) {
    part.content_type_field = ParseParameterizedValue(field->Unfolded(), defects_);
    if (IsValidMediaType(part.content_type_field.value)) {
      part.content_type = part.content_type_field.value;
    } else {
      // RFC 2045 §5.2: an invalid Content-Type means text/plain, whatever the context.
      part.content_type = "text/plain";
      AddDefect(defects_, DefectKind::kMimeInvalidContentType,
                part.content_type_field.value.substr(0, 40));
    }
  }
  part.charset = part.content_type_field.Param("charset");
  if (const HeaderField* field = part.header.Find("Content-Disposition")) {
    ParameterizedValue disposition = ParseParameterizedValue(field->Unfolded(), defects_);
    part.disposition = disposition.value;
    part.filename = disposition.Param("filename");
  }
  if (!part.filename) part.filename = part.content_type_field.Param("name");
  if (part.filename) part.filename = std::string(TrimWhitespace(*part.filename));
  part.transfer_encoding = TransferEncoding(part.header);
}

void MimeParser::ParseMultipart(Part& part, int depth, size_t body_slack) {
  if (!CanNest(depth)) return;
  // A multipart read as a leaf keeps the line break before the enclosing delimiter, as Python
  // keeps it (it strips that break from a multipart's epilogue, and a leaf has none).
  std::string_view leaf_body(part.body.data(), part.body.size() + body_slack);
  std::string boundary = BoundaryOf(part.header);
  if (boundary.empty()) {
    AddDefect(defects_, DefectKind::kMimeMissingBoundary);
    part.body = leaf_body;  // a leaf: its body is all it has
    return;
  }
  const std::string newline_dash = "\n--" + boundary;
  std::string_view body = part.body;
  std::optional<Delimiter> first = FindDelimiter(body, newline_dash, 0);
  if (!first || first->close) {
    // No part ever starts: a leaf whose content is what precedes the close delimiter, if any.
    AddDefect(defects_, DefectKind::kMimeNoStartBoundary, boundary.substr(0, 40));
    if (first) {
      part.body = body.substr(0, first->start);
      part.epilogue = body.substr(first->next);
    } else {
      part.body = leaf_body;
    }
    return;
  }
  part.preamble = body.substr(0, ContentEnd(body, first->start, 0));
  ParseParts(part, newline_dash, *first, depth, body_slack);
}

void MimeParser::ParseParts(Part& part, std::string_view newline_dash, Delimiter delimiter,
                            int depth, size_t body_slack) {
  std::string_view body = part.body;
  std::string_view child_type =
      part.content_type == "multipart/digest" ? "message/rfc822" : "text/plain";
  while (true) {
    size_t start = delimiter.next;
    // Repeated delimiter lines make no empty parts (as Python reads RFC 2046's grammar).
    while (std::optional<Delimiter> again = DelimiterAt(body, newline_dash.substr(1), start)) {
      if (again->close) break;
      start = again->next;
    }
    if (!TakePart()) {
      part.epilogue = body.substr(start);  // unparsed, but kept
      return;
    }
    std::optional<Delimiter> next = FindDelimiter(body, newline_dash, start);
    // Without a next delimiter the part runs to the end; its last line break is then the
    // enclosing delimiter's (already cut off: body_slack), or, at the end of the input, dropped
    // as Python drops it.
    size_t limit = next ? next->start : body.size();
    size_t end = next || body_slack == 0 ? ContentEnd(body, limit, start) : limit;
    size_t trailing_break = next || body_slack == 0 ? limit - end : body_slack;
    part.children.push_back(
        ParseEntity(body.substr(start, end - start), depth + 1, child_type, trailing_break));
    if (!next) {
      AddDefect(defects_, DefectKind::kMimeMissingFinalBoundary,
                std::string(newline_dash.substr(3, 40)));
      return;
    }
    if (next->close) {
      part.epilogue = body.substr(next->next);
      return;
    }
    delimiter = *next;
  }
}

void MimeParser::ParseEnclosed(Part& part, int depth, size_t body_slack) {
  if (!CanNest(depth) || !TakePart()) return;
  const std::string& encoding = part.transfer_encoding;
  if (encoding != "base64" && encoding != "quoted-printable") {
    part.children.push_back(ParseEntity(part.body, depth + 1, "text/plain", body_slack));
    return;
  }
  // RFC 2046 §5.2.1 forbids encoding a message/rfc822 body, but mailers do it; decode it and
  // parse the result, which the child and its descendants keep alive.
  std::string decoded = encoding == "base64" ? DecodeBase64(part.body, defects_)
                                             : DecodeQuotedPrintable(part.body, defects_);
  if (decoded.size() > decode_budget_) {
    AddDefect(defects_, DefectKind::kLimitExceeded, "encoded messages too large");
    part.children.push_back(ParseEntity(part.body, depth + 1, "text/plain", body_slack));
    return;
  }
  decode_budget_ -= decoded.size();
  std::shared_ptr<const std::string> saved = owned_;
  owned_ = std::make_shared<const std::string>(std::move(decoded));
  part.children.push_back(ParseEntity(*owned_, depth + 1, "text/plain", 0));
  owned_ = std::move(saved);
}

void MimeParser::ParseDeliveryStatus(Part& part, int depth) {
  if (!CanNest(depth)) return;
  std::string_view body = part.body;
  size_t pos = 0;
  while (TakePart()) {
    // A block runs to the next empty line; each becomes a header-only child (as in Python).
    size_t end = pos;
    while (end < body.size() && !IsEmptyLineAt(body, end)) {
      size_t newline = body.find('\n', end);
      end = newline == std::string_view::npos ? body.size() : newline + 1;
    }
    part.children.push_back(ParseEntity(body.substr(pos, end - pos), depth + 1, "text/plain", 0));
    if (end >= body.size()) return;
    pos = end + (body[end] == '\r' ? 2 : 1);
    if (pos >= body.size()) return;
  }
}

Part ParseMime(std::string_view message, Defects* defects) {
  MimeParser parser(defects, message.size());
  return parser.ParseEntity(message, 0, "text/plain", 0);
}

}  // namespace pigeon::message

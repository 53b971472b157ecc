// See eight_bit_downgrade.h. The MIME tree's views point into the message, so the conversion is
// a list of edits at offsets (replace a body, rewrite or insert a field) applied in one pass:
// what is not converted stays byte for byte.
#include "mta/client/eight_bit_downgrade.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/message/codec.h"
#include "common/message/header.h"
#include "common/message/mime.h"

namespace pigeon::mta::client {
namespace {

using message::Part;

struct Edit {
  size_t begin = 0;
  size_t end = 0;  // == begin: an insertion
  std::string text;
};

class Downgrader {
 public:
  explicit Downgrader(std::string_view raw) : raw_(raw) {}

  Result<std::string> Run();

 private:
  Result<void> Visit(const Part& part, const char* entity_start);
  Result<void> CheckHeader(const Part& part);
  void Encode(const Part& part, const char* entity_start);
  void SetTransferEncoding(const Part& part, const char* entity_start, std::string_view cte);
  void InsertField(const Part& part, const char* entity_start, std::string_view field);
  void BlankEightBit(std::string_view text);

  bool Inside(std::string_view view) const {
    return view.empty() ||
           (view.data() >= raw_.data() && view.data() + view.size() <= raw_.data() + raw_.size());
  }
  size_t Offset(const char* p) const { return static_cast<size_t>(p - raw_.data()); }

  std::string_view raw_;
  std::vector<Edit> edits_;
};

Result<std::string> Downgrader::Run() {
  message::Defects defects;
  const Part root = message::ParseMime(raw_, &defects);
  // The top header, field or not (a stray line too), must be ASCII.
  if (HasEightBit(raw_.substr(0, Offset(root.body.data())))) {
    return MakeError(ErrorCode::kUnsupported, "8-bit bytes in the message header");
  }
  if (Result<void> visited = Visit(root, raw_.data()); !visited) {
    return tl::unexpected(visited.error());
  }
  if (!edits_.empty() && root.header.Find("MIME-Version") == nullptr) {
    InsertField(root, raw_.data(), "MIME-Version: 1.0");
  }
  // An insertion goes before a replacement starting at the same offset.
  std::stable_sort(edits_.begin(), edits_.end(), [](const Edit& a, const Edit& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
  });
  std::string out;
  out.reserve(raw_.size() + raw_.size() / 3 + 64);
  size_t pos = 0;
  for (const Edit& edit : edits_) {
    if (edit.begin < pos) return MakeError(ErrorCode::kInternal, "overlapping MIME edits");
    out.append(raw_.substr(pos, edit.begin - pos));
    out += edit.text;
    pos = edit.end;
  }
  out.append(raw_.substr(pos));
  return out;
}

Result<void> Downgrader::CheckHeader(const Part& part) {
  for (const message::HeaderField& field : part.header.fields()) {
    if (HasEightBit(field.name) || HasEightBit(field.raw)) {
      return MakeError(ErrorCode::kUnsupported,
                       HasEightBit(field.name)
                           ? std::string("8-bit bytes in a header field name")
                           : fmt::format("8-bit bytes in the {} field of a part", field.name));
    }
  }
  return {};
}

// `entity_start`: where the part's own header begins in the message, or nullptr when only the
// parser knew (a part of a multipart).
Result<void> Downgrader::Visit(const Part& part, const char* entity_start) {
  if (Result<void> ok = CheckHeader(part); !ok) return ok;
  if (!HasEightBit(part.body)) return {};
  if (!Inside(part.body)) {
    return MakeError(ErrorCode::kInvalidArgument, "8-bit bytes inside an encoded part");
  }
  const std::string& type = part.content_type;
  if (part.IsMultipart()) {
    if (!part.IsContainer()) {
      return MakeError(ErrorCode::kInvalidArgument, "8-bit multipart without parts");
    }
    // Nobody reads a preamble or an epilogue; blanking is enough there.
    BlankEightBit(part.preamble);
    BlankEightBit(part.epilogue);
    for (const Part& child : part.children) {
      if (Result<void> ok = Visit(child, nullptr); !ok) return ok;
    }
    return {};
  }
  if (type == "message/rfc822" || type == "message/news") {
    // RFC 2046 §5.2.1: no encoding but 7bit, 8bit or binary; convert inside instead.
    if (part.children.size() != 1 || !Inside(part.children[0].body)) {
      return MakeError(ErrorCode::kInvalidArgument, "8-bit encoded message/rfc822");
    }
    return Visit(part.children[0], part.body.data());
  }
  if (type == "message/external-body" || type == "message/partial") {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("8-bit {}", type));
  }
  Encode(part, entity_start);
  return {};
}

void Downgrader::Encode(const Part& part, const char* entity_start) {
  const std::string decoded = part.DecodedBody(nullptr);
  const bool text = part.IsText();
  const size_t begin = Offset(part.body.data());
  edits_.push_back(
      {begin, begin + part.body.size(),
       text ? message::EncodeQuotedPrintable(decoded) : message::EncodeBase64(decoded)});
  SetTransferEncoding(part, entity_start, text ? "quoted-printable" : "base64");
}

void Downgrader::SetTransferEncoding(const Part& part, const char* entity_start,
                                     std::string_view cte) {
  const std::vector<const message::HeaderField*> fields =
      part.header.FindAll("Content-Transfer-Encoding");
  if (fields.empty()) {
    InsertField(part, entity_start, fmt::format("Content-Transfer-Encoding: {}", cte));
    return;
  }
  for (const message::HeaderField* field : fields) {
    const size_t begin = Offset(field->raw.data());
    edits_.push_back({begin, begin + field->raw.size(), fmt::format(" {}", cte)});
  }
}

void Downgrader::InsertField(const Part& part, const char* entity_start, std::string_view field) {
  const std::vector<message::HeaderField>& fields = part.header.fields();
  if (!fields.empty()) {  // after the last field, so trace fields stay on top
    const message::HeaderField& last = fields.back();
    edits_.push_back({Offset(last.raw.data() + last.raw.size()),
                      Offset(last.raw.data() + last.raw.size()), fmt::format("\r\n{}", field)});
    return;
  }
  // No fields: the entity is either an empty line and the body, or the body alone.
  const char* body = part.body.data();
  bool separator = false;
  if (entity_start != nullptr) {
    separator = body > entity_start;
  } else {
    const size_t at = Offset(body);
    const std::string_view before = raw_.substr(0, at);
    separator = before.ends_with("\n\n") || before.ends_with("\n\r\n");
    entity_start = body - (separator ? (before.ends_with("\r\n") ? 2 : 1) : 0);
  }
  const size_t at = Offset(entity_start);
  edits_.push_back({at, at, std::string(field) + (separator ? "\r\n" : "\r\n\r\n")});
}

void Downgrader::BlankEightBit(std::string_view text) {
  if (!HasEightBit(text) || !Inside(text)) return;
  std::string blanked(text);
  for (char& c : blanked) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  }
  const size_t begin = Offset(text.data());
  edits_.push_back({begin, begin + text.size(), std::move(blanked)});
}

}  // namespace

bool HasEightBit(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

Result<std::string> DowngradeTo7Bit(std::string_view message) {
  if (!HasEightBit(message)) return std::string(message);
  return Downgrader(message).Run();
}

}  // namespace pigeon::mta::client

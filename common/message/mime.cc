// A part's content: transfer decoding (RFC 2045 §6: base64, quoted-printable; x-uuencode as
// older mailers send it) and conversion of text to UTF-8. The body is untrusted: decoders are
// lenient and report defects, and an unknown encoding leaves the bytes as they are. The tree
// itself is built in mime_parser.cc, parameters are parsed in mime_params.cc.
#include "common/message/mime.h"
#include "common/message/charset.h"
#include "common/message/codec.h"

namespace pigeon::message {
namespace {

// The next line of `s` at `pos` without its line break; advances pos past the break.
std::string_view NextLine(std::string_view s, size_t& pos) {
  size_t end = s.find('\n', pos);
  if (end == std::string_view::npos) end = s.size();
  std::string_view line = s.substr(pos, end - pos);
  pos = end < s.size() ? end + 1 : end;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// One uuencoded line: a length character, then groups of four characters carrying three bytes
// each. Characters are taken modulo 64 (so both " " and "`" are zero, as encoders differ).
void DecodeUuLine(std::string_view line, std::string& out) {
  if (line.empty()) return;
  size_t want = static_cast<size_t>((line[0] - 32) & 63);
  size_t produced = 0;
  auto sixbits = [&line](size_t i) -> unsigned {
    return i < line.size() ? static_cast<unsigned>((line[i] - 32) & 63) : 0u;
  };
  for (size_t i = 1; produced < want; i += 4) {
    unsigned group = sixbits(i) << 18 | sixbits(i + 1) << 12 | sixbits(i + 2) << 6 | sixbits(i + 3);
    for (int shift = 16; shift >= 0 && produced < want; shift -= 8, ++produced) {
      out.push_back(static_cast<char>((group >> shift) & 0xFF));
    }
  }
}

// "begin <mode> <name>" … "end". Without a begin line the body is returned as it is (as Python
// does); a missing end line just ends the data.
std::string DecodeUuencode(std::string_view body, Defects* defects) {
  size_t pos = 0;
  bool begun = false;
  while (pos < body.size() && !begun) begun = NextLine(body, pos).starts_with("begin ");
  if (!begun) {
    AddDefect(defects, DefectKind::kUnknownTransferEncoding, "uuencode without begin line");
    return std::string(body);
  }
  std::string out;
  while (pos < body.size()) {
    std::string_view line = NextLine(body, pos);
    if (TrimWhitespace(line) == "end") return out;
    DecodeUuLine(line, out);
  }
  AddDefect(defects, DefectKind::kUnknownTransferEncoding, "uuencode without end line");
  return out;
}

}  // namespace

std::string Part::DecodedBody(Defects* defects) const {
  const std::string& encoding = transfer_encoding;
  if (encoding == "base64") return DecodeBase64(body, defects);
  if (encoding == "quoted-printable") return DecodeQuotedPrintable(body, defects);
  if (encoding == "x-uuencode" || encoding == "uuencode" || encoding == "x-uue" ||
      encoding == "uue") {
    return DecodeUuencode(body, defects);
  }
  if (encoding != "7bit" && encoding != "8bit" && encoding != "binary") {
    AddDefect(defects, DefectKind::kUnknownTransferEncoding, encoding.substr(0, 40));
  }
  return std::string(body);
}

std::string Part::TextUtf8(Defects* defects) const {
  std::string decoded = DecodedBody(defects);
  std::string_view label = charset ? TrimWhitespace(*charset) : std::string_view();
  // Unlabelled text is US-ASCII by RFC 2045 §5.2, but 8-bit bytes in it are UTF-8 far more often
  // than not nowadays, windows-1252 otherwise: exactly BytesToUtf8's guess. ASCII is unchanged.
  if (label.empty()) return IsValidUtf8(decoded) ? decoded : BytesToUtf8(decoded);
  return MoveToUtf8(std::move(decoded), label, defects);
}

}  // namespace pigeon::message

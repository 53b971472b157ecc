// Content-Transfer-Encodings: base64 (RFC 2045 §6.8), quoted-printable (§6.7) and the RFC 2047
// §4.2 "Q" encoding. Input is untrusted: decoders accept anything, work in one linear pass with
// output no larger than the input, and report each kind of irregularity once per call (a
// hostile body cannot grow the defect list). Encoders take any bytes and emit CRLF lines.
#include "common/message/codec.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace pigeon::message {
namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kSkip = 0x40;  // whitespace: ignored silently
constexpr uint8_t kPad = 0x41;   // "="
constexpr uint8_t kBad = 0xFF;   // outside the alphabet

constexpr std::array<uint8_t, 256> MakeBase64Table() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kBad;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(kBase64Alphabet[i])] = i;
  for (char c : {' ', '\t', '\r', '\n'}) table[static_cast<uint8_t>(c)] = kSkip;
  table['='] = kPad;
  return table;
}
constexpr std::array<uint8_t, 256> kBase64Table = MakeBase64Table();

constexpr std::array<int8_t, 256> MakeHexTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<int8_t>(i);
  for (int i = 0; i < 6; ++i) {
    table['A' + i] = static_cast<int8_t>(10 + i);
    table['a' + i] = static_cast<int8_t>(10 + i);  // RFC 2045 wants upper case; mail has both
  }
  return table;
}
constexpr std::array<int8_t, 256> kHexTable = MakeHexTable();

// Adds a defect of `kind` unless this call already reported one (`*reported`).
void ReportOnce(Defects* defects, bool* reported, DefectKind kind, std::string detail) {
  if (*reported) return;
  *reported = true;
  AddDefect(defects, kind, std::move(detail));
}

// Checks what follows the first "=" of a padding run: `want` more "=" (whitespace allowed
// between) and nothing but whitespace after them.
bool PaddingIsClean(std::string_view rest, int want) {
  int pads = 0;
  for (char c : rest) {
    const uint8_t v = kBase64Table[static_cast<uint8_t>(c)];
    if (v == kSkip) continue;
    if (v != kPad || ++pads > want) return false;
  }
  return pads == want;
}

// Decodes Q or quoted-printable text (without line breaks) into `out`, which must have room for
// text.size() bytes. Returns the end of what was written; sets *bad on a malformed escape.
char* DecodeEscapes(std::string_view text, bool underscore_is_space, char* out, bool* bad) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const auto* equals = static_cast<const char*>(std::memchr(p, '=', end - p));
    const char* stop = equals != nullptr ? equals : end;
    if (underscore_is_space) {
      for (; p < stop; ++p) *out++ = *p == '_' ? ' ' : *p;
    } else {
      std::memcpy(out, p, stop - p);
      out += stop - p;
      p = stop;
    }
    if (p == end) break;
    const int hi = end - p >= 3 ? HexDigitValue(p[1]) : -1;
    const int lo = hi >= 0 ? HexDigitValue(p[2]) : -1;
    if (lo >= 0) {
      *out++ = static_cast<char>(hi * 16 + lo);
      p += 3;
    } else {
      *bad = true;  // kept literally: the "=" and whatever follows it
      *out++ = *p++;
    }
  }
  return out;
}

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// One output line of quoted-printable under construction.
class QpLineWriter {
 public:
  explicit QpLineWriter(std::string* out) : out_(out) {}

  // Appends input byte `c`; `last` when it is the final byte before a hard line break or the
  // end, `rest` the input from `c` on (for the "From " check).
  void Put(char c, bool last, std::string_view rest) {
    // Fast path: a plain character inside a line that has room for it.
    if (column_ > 0 && column_ < 75 && !last && c > 32 && c < 127 && c != '=') {
      out_->push_back(c);
      ++column_;
      return;
    }
    bool escape = NeedsEscape(c, last, rest);
    const size_t limit = last ? 76 : 75;  // room for the "=" of a soft break
    if (column_ + (escape ? 3 : 1) > limit) {
      out_->append("=\r\n");
      column_ = 0;
      escape = NeedsEscape(c, last, rest);
    }
    if (escape) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<uint8_t>(c);
      const char triple[3] = {'=', kHex[byte >> 4], kHex[byte & 15]};
      out_->append(triple, 3);
      column_ += 3;
    } else {
      out_->push_back(c);
      ++column_;
    }
  }
  void HardBreak() {
    out_->append("\r\n");
    column_ = 0;
  }

 private:
  bool NeedsEscape(char c, bool last, std::string_view rest) const {
    if (IsWsp(c)) return last;  // trailing whitespace is stripped in transit (§6.7 (3))
    if (c < 33 || c > 126 || c == '=') return true;
    // A line starting "." changes meaning in SMTP, one starting "From " in mbox.
    if (column_ == 0) return c == '.' || rest.starts_with("From ");
    return false;
  }

  std::string* out_;
  size_t column_ = 0;
};

}  // namespace

int HexDigitValue(char c) { return kHexTable[static_cast<uint8_t>(c)]; }

std::string DecodeBase64(std::string_view in, Defects* defects) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  char* o = out.data();
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  uint32_t acc = 0;
  int pending = 0;  // sextets in acc
  bool reported_bad = false, padded = false;
  size_t i = 0;
  while (i < n) {
    if (pending == 0 && i + 4 <= n) {  // fast path: a whole clean quantum
      const uint8_t a = kBase64Table[p[i]], b = kBase64Table[p[i + 1]], c = kBase64Table[p[i + 2]],
                    d = kBase64Table[p[i + 3]];
      if ((a | b | c | d) < 64) {
        const uint32_t v = a << 18 | b << 12 | c << 6 | d;
        *o++ = static_cast<char>(v >> 16);
        *o++ = static_cast<char>(v >> 8);
        *o++ = static_cast<char>(v);
        i += 4;
        continue;
      }
    }
    const uint8_t v = kBase64Table[p[i++]];
    if (v < 64) {
      acc = acc << 6 | v;
      if (++pending == 4) {
        *o++ = static_cast<char>(acc >> 16);
        *o++ = static_cast<char>(acc >> 8);
        *o++ = static_cast<char>(acc);
        acc = 0;
        pending = 0;
      }
    } else if (v == kPad) {
      if (pending < 2 || !PaddingIsClean(in.substr(i), 3 - pending)) {
        AddDefect(defects, DefectKind::kBase64BadPadding, "padding does not end the data");
      }
      padded = true;
      break;
    } else if (v == kBad) {
      ReportOnce(defects, &reported_bad, DefectKind::kBase64InvalidCharacter,
                 "byte " + std::to_string(p[i - 1]));
    }
  }
  if (!padded && pending != 0) {
    AddDefect(defects, DefectKind::kBase64BadPadding, "final quantum not padded");
  }
  // A partial quantum carries 8 bits per whole byte: 2 sextets → 1 byte, 3 → 2.
  if (pending >= 2) *o++ = static_cast<char>(acc >> (pending * 6 - 8));
  if (pending == 3) *o++ = static_cast<char>(acc >> 2);
  out.resize(o - out.data());
  return out;
}

std::string EncodeBase64(std::string_view in, size_t line_length) {
  std::string flat((in.size() + 2) / 3 * 4, '\0');
  char* o = flat.data();
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
    *o++ = kBase64Alphabet[v >> 18];
    *o++ = kBase64Alphabet[(v >> 12) & 63];
    *o++ = kBase64Alphabet[(v >> 6) & 63];
    *o++ = kBase64Alphabet[v & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const uint32_t v = p[i] << 16 | (two ? p[i + 1] << 8 : 0);
    *o++ = kBase64Alphabet[v >> 18];
    *o++ = kBase64Alphabet[(v >> 12) & 63];
    *o++ = two ? kBase64Alphabet[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
  if (line_length == 0 || flat.size() <= line_length) return flat;
  std::string out;
  out.reserve(flat.size() + flat.size() / line_length * 2);
  for (size_t pos = 0; pos < flat.size(); pos += line_length) {
    if (pos > 0) out.append("\r\n");
    out.append(flat, pos, line_length);
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view in, Defects* defects) {
  std::string out(in.size(), '\0');  // decoding never grows the text
  char* o = out.data();
  bool bad_escape = false, reported_bad = false, reported_long = false;
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t newline = in.find('\n', pos);
    const size_t line_end = newline == std::string_view::npos ? in.size() : newline;
    size_t content_end = line_end;
    const bool crlf =
        newline != std::string_view::npos && content_end > pos && in[content_end - 1] == '\r';
    if (crlf) --content_end;
    if (content_end - pos > 76) {
      ReportOnce(defects, &reported_long, DefectKind::kQuotedPrintableLongLine,
                 "line of " + std::to_string(content_end - pos) + " characters");
    }
    // Transport may add trailing whitespace, so it carries nothing (§6.7 (3)); an encoder
    // that wanted it escaped it.
    while (content_end > pos && IsWsp(in[content_end - 1])) --content_end;
    const bool soft = content_end > pos && in[content_end - 1] == '=';
    if (soft) --content_end;
    o = DecodeEscapes(in.substr(pos, content_end - pos), false, o, &bad_escape);
    if (bad_escape) {
      ReportOnce(defects, &reported_bad, DefectKind::kQuotedPrintableBadEscape,
                 "\"=\" not followed by two hex digits");
    }
    if (!soft && newline != std::string_view::npos) {
      if (crlf) *o++ = '\r';
      *o++ = '\n';
    }
    pos = newline == std::string_view::npos ? in.size() : newline + 1;
  }
  out.resize(o - out.data());
  return out;
}

std::string EncodeQuotedPrintable(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8 + 16);
  QpLineWriter writer(&out);
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t newline = in.find('\n', pos);
    size_t end = newline == std::string_view::npos ? in.size() : newline;
    if (newline != std::string_view::npos && end > pos && in[end - 1] == '\r') --end;
    for (size_t i = pos; i < end; ++i) {
      writer.Put(in[i], i + 1 == end, in.substr(i, 5));
    }
    if (newline == std::string_view::npos) break;
    writer.HardBreak();
    pos = newline + 1;
  }
  return out;
}

std::string DecodeQ(std::string_view in, Defects* defects) {
  std::string out(in.size(), '\0');
  bool bad = false;
  char* end = DecodeEscapes(in, true, out.data(), &bad);
  out.resize(end - out.data());
  if (bad) {
    AddDefect(defects, DefectKind::kQuotedPrintableBadEscape,
              "\"=\" not followed by two hex digits");
  }
  return out;
}

}  // namespace pigeon::message

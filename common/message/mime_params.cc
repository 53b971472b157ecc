// MIME parameters: "value; name=param" fields (RFC 2045 §5.1, RFC 2183) with RFC 2231
// continuations, charsets and percent-escapes, parsed as real mail writes them: missing ";",
// spaces around "=", unquoted values with spaces, RFC 2047 words inside quotes, raw 8-bit bytes.
// Input is untrusted; nothing here fails: each repair is a defect. Values come out as UTF-8
// (conversions are charset.h's and encoded_word.h's). Also formats parameters for composing.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/message/charset.h"
#include "common/message/codec.h"
#include "common/message/encoded_word.h"
#include "common/message/mime.h"
#include "common/message/mime_internal.h"

namespace pigeon::message {
namespace {

// RFC 2231 section numbers above this are dropped: no sender splits a value into more pieces,
// and the bound keeps a hostile "name*4294967296" from mattering.
constexpr int kMaxSection = 9999;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 2045 §5.1 token characters: printable ASCII except SPACE and tspecials.
bool IsTokenChar(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

void SkipSpaces(std::string_view s, size_t& pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
}

// Skips an RFC 822 comment starting at the "(" at `pos`, nesting and "\" escapes included.
// Returns false when it runs to the end of `s` unclosed (pos is then s.size()).
bool SkipComment(std::string_view s, size_t& pos) {
  int depth = 0;
  while (pos < s.size()) {
    char c = s[pos++];
    if (c == '\\') {
      if (pos < s.size()) ++pos;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return true;
    }
  }
  return false;
}

void SkipCfws(std::string_view s, size_t& pos) {
  while (pos < s.size()) {
    if (IsSpace(s[pos])) {
      ++pos;
    } else if (s[pos] == '(') {
      SkipComment(s, pos);
    } else {
      break;
    }
  }
}

// Reads the quoted string whose opening quote is at `pos`, undoing "\" escapes. Line breaks of
// a folded value are dropped (unfolding). An unclosed quote runs to the end of the field.
std::string ReadQuotedString(std::string_view s, size_t& pos, Defects* defects) {
  std::string out;
  ++pos;
  while (pos < s.size()) {
    char c = s[pos++];
    if (c == '"') return out;
    if (c == '\\' && pos < s.size()) c = s[pos++];
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  AddDefect(defects, DefectKind::kMimeInvalidParameter, "unclosed quoted string");
  return out;
}

// Whether a parameter ("name=" or "name *=", spaces allowed before "=") starts at `pos`: how a
// missing ";" separator is recognised.
bool LooksLikeParamStart(std::string_view s, size_t pos) {
  size_t start = pos;
  while (pos < s.size() && (IsTokenChar(s[pos]) || s[pos] == '*')) ++pos;
  if (pos == start) return false;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos < s.size() && s[pos] == '=';
}

// Advances past the next ";" that is not inside a quoted string (or to the end).
void SkipToSemicolon(std::string_view s, size_t& pos) {
  while (pos < s.size() && s[pos] != ';') {
    if (s[pos] == '"') {
      ReadQuotedString(s, pos, nullptr);
    } else {
      ++pos;
    }
  }
}

// The "type/subtype" or disposition before the parameters: comments dropped, spaces around "/"
// removed, lower-cased. Stops before a parameter that lacks its ";".
std::string ReadLeadingValue(std::string_view s, size_t& pos, Defects* defects) {
  std::string out;
  bool pending_space = false;
  while (pos < s.size() && s[pos] != ';') {
    char c = s[pos];
    if (IsSpace(c) || c == '(') {
      SkipCfws(s, pos);
      if (!out.empty() && LooksLikeParamStart(s, pos)) {
        AddDefect(defects, DefectKind::kMimeInvalidParameter, "missing ';' before parameter");
        break;
      }
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != '/' && c != '/') out.push_back(' ');
    pending_space = false;
    if (c == '"') {
      out += ReadQuotedString(s, pos, defects);
    } else {
      out.push_back(c);
      ++pos;
    }
  }
  return AsciiLower(TrimWhitespace(out));
}

// An unquoted value runs to ";" or to a following parameter whose ";" is missing; inner spaces
// are kept ("name=my file.txt" as some mailers write it). A comment that ends the value is
// dropped (RFC 2045's own "charset=us-ascii (Plain text)"), one inside it is kept, as in
// "name=report (1).pdf".
std::string ReadUnquotedValue(std::string_view s, size_t& pos, Defects* defects) {
  std::string out;
  bool pending_space = false;
  while (pos < s.size() && s[pos] != ';') {
    char c = s[pos];
    if (IsSpace(c)) {
      SkipSpaces(s, pos);
      if (pos < s.size() && LooksLikeParamStart(s, pos)) {
        AddDefect(defects, DefectKind::kMimeInvalidParameter, "missing ';' before parameter");
        break;
      }
      pending_space = true;
      continue;
    }
    if (c == '(') {
      size_t end = pos;
      bool closed = SkipComment(s, end);
      size_t after = end;
      SkipSpaces(s, after);
      if (!closed || after >= s.size() || s[after] == ';') {
        pos = after;
        break;
      }
      // Not trailing: the whole parenthesised run is value text. Jumping past it keeps the scan
      // linear for nested parentheses.
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.substr(pos, end - pos));
      pos = end;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    ++pos;
  }
  return out;
}

// One "name=value" as written, before continuations are joined and values decoded.
struct RawParam {
  std::string name;       // lower-cased, without the RFC 2231 "*N" / "*" suffixes
  int section = -1;       // RFC 2231 continuation number, -1 when none
  bool extended = false;  // trailing "*": charset'language'percent-encoded
  std::string value;      // quotes and escapes removed, octets as written
};

// Splits "title*1*" into name "title", section 1, extended. Returns false for a name that cannot
// be used (empty, or a section number out of range).
bool SplitParamName(std::string_view written, RawParam& param, Defects* defects) {
  std::string name = AsciiLower(written);
  if (!name.empty() && name.back() == '*') {
    param.extended = true;
    name.pop_back();
  }
  size_t star = name.rfind('*');
  if (star != std::string::npos && star + 1 < name.size() &&
      std::all_of(name.begin() + star + 1, name.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    std::string_view digits = std::string_view(name).substr(star + 1);
    if (digits.size() > 4 || std::stoi(std::string(digits)) > kMaxSection) {
      AddDefect(defects, DefectKind::kMimeRfc2231Malformed, "section number out of range");
      return false;
    }
    param.section = std::stoi(std::string(digits));
    name.resize(star);
  }
  if (name.empty()) return false;
  param.name = std::move(name);
  return true;
}

struct RawField {
  std::string value;
  std::vector<RawParam> params;
};

// Reads one parameter at `pos` (which is past any ";" and space). Returns false when what is
// there is not a parameter; pos then is past the junk.
bool ReadParam(std::string_view s, size_t& pos, RawParam& param, Defects* defects) {
  size_t start = pos;
  while (pos < s.size() && !IsSpace(s[pos]) && s[pos] != '=' && s[pos] != ';' && s[pos] != '"' &&
         s[pos] != '(') {
    ++pos;
  }
  std::string_view name = s.substr(start, pos - start);
  SkipCfws(s, pos);
  if (name.empty() || pos >= s.size() || s[pos] != '=') {
    AddDefect(defects, DefectKind::kMimeInvalidParameter,
              std::string(s.substr(start, std::min<size_t>(pos - start + 1, 40))));
    if (pos == start) ++pos;  // a stray quote or "=": always make progress
    // "; flowed charset=x": keep the parameter that follows a valueless word.
    if (!LooksLikeParamStart(s, pos)) SkipToSemicolon(s, pos);
    return false;
  }
  ++pos;  // "="
  SkipSpaces(s, pos);
  bool name_ok = SplitParamName(name, param, defects);
  if (pos < s.size() && s[pos] == '"') {
    param.value = ReadQuotedString(s, pos, defects);
    SkipCfws(s, pos);
    if (pos < s.size() && s[pos] != ';') {
      if (LooksLikeParamStart(s, pos)) {
        AddDefect(defects, DefectKind::kMimeInvalidParameter, "missing ';' before parameter");
      } else {
        AddDefect(defects, DefectKind::kMimeInvalidParameter, "text after quoted value");
        SkipToSemicolon(s, pos);
      }
    }
  } else {
    param.value = ReadUnquotedValue(s, pos, defects);
  }
  return name_ok;
}

RawField TokenizeField(std::string_view s, Defects* defects) {
  RawField field;
  size_t pos = 0;
  SkipCfws(s, pos);
  field.value = ReadLeadingValue(s, pos, defects);
  while (pos < s.size()) {
    if (s[pos] == ';' || IsSpace(s[pos])) {
      ++pos;
      continue;
    }
    if (s[pos] == '(') {
      SkipComment(s, pos);
      continue;
    }
    RawParam param;
    if (ReadParam(s, pos, param, defects)) field.params.push_back(std::move(param));
  }
  return field;
}

// All the written forms of one parameter name: plain, "name*", and "name*N[*]" sections.
struct ParamForms {
  std::string name;
  const RawParam* plain = nullptr;
  const RawParam* extended = nullptr;
  std::map<int, const RawParam*> sections;  // sorted: sections may come in any order
};

// Groups parameters by name in order of first appearance; within a form, the first wins.
std::vector<ParamForms> GroupParams(const std::vector<RawParam>& params, Defects* defects) {
  std::vector<ParamForms> groups;
  std::unordered_map<std::string_view, size_t> index;
  for (const RawParam& param : params) {
    auto [it, inserted] = index.try_emplace(param.name, groups.size());
    if (inserted) {
      groups.emplace_back();
      groups.back().name = param.name;
    }
    ParamForms& forms = groups[it->second];
    const RawParam** slot = &forms.plain;
    if (param.section >= 0) {
      slot = &forms.sections[param.section];
    } else if (param.extended) {
      slot = &forms.extended;
    }
    if (*slot == nullptr) {
      *slot = &param;
    } else {
      AddDefect(defects, DefectKind::kMimeInvalidParameter, "duplicate parameter " + param.name);
    }
  }
  return groups;
}

void AppendPercentDecoded(std::string_view in, std::string& out, Defects* defects) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexDigitValue(in[i + 1]) >= 0 &&
        HexDigitValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigitValue(in[i + 1]) * 16 + HexDigitValue(in[i + 2])));
      i += 2;
      continue;
    }
    if (in[i] == '%') AddDefect(defects, DefectKind::kMimeRfc2231Malformed, "bad % escape");
    out.push_back(in[i]);
  }
}

// RFC 2231 value: sections joined in number order (gaps tolerated), percent-escapes of
// extended sections undone, charset'language' taken from the first one. Returns the octets and
// the charset ("" when none was given).
std::pair<std::string, std::string> Join2231(const ParamForms& forms, Defects* defects) {
  std::vector<const RawParam*> pieces;
  if (forms.extended != nullptr) {
    pieces.push_back(forms.extended);
  } else {
    int expected = 0;
    for (const auto& [number, param] : forms.sections) {
      if (number != expected) {
        AddDefect(defects, DefectKind::kMimeRfc2231Malformed, "missing section of " + forms.name);
      }
      expected = number + 1;
      pieces.push_back(param);
    }
  }
  std::string bytes;
  std::string charset;
  for (size_t i = 0; i < pieces.size(); ++i) {
    std::string_view value = pieces[i]->value;
    if (!pieces[i]->extended) {
      bytes += value;
      continue;
    }
    if (i == 0) {
      size_t first = value.find('\'');
      size_t second = first == std::string_view::npos ? first : value.find('\'', first + 1);
      if (second != std::string_view::npos) {
        charset = std::string(TrimWhitespace(value.substr(0, first)));
        value.remove_prefix(second + 1);
      } else {
        AddDefect(defects, DefectKind::kMimeRfc2231Malformed, "no charset'language' prefix");
      }
    }
    AppendPercentDecoded(value, bytes, defects);
  }
  return {std::move(bytes), std::move(charset)};
}

// A value without RFC 2231 charset: RFC 2047 words decoded when present (mailers put them
// inside quotes although §5 forbids it; readers decode them), raw 8-bit bytes as BytesToUtf8.
std::string DecodePlainValue(std::string_view value, Defects* defects) {
  if (value.find("=?") != std::string_view::npos) return DecodeEncodedWords(value, defects);
  return BytesToUtf8(value);
}

std::string DecodeForms(const ParamForms& forms, Defects* defects) {
  // The RFC 2231 form wins over a plain one of the same name: senders add the plain one as a
  // fallback (often lossy: "_____.pdf") for readers that do not know RFC 2231.
  if (forms.extended == nullptr && forms.sections.empty()) {
    return DecodePlainValue(forms.plain->value, defects);
  }
  auto [bytes, charset] = Join2231(forms, defects);
  if (charset.empty()) return DecodePlainValue(bytes, defects);
  return ToUtf8(bytes, charset, defects);
}

}  // namespace

std::optional<std::string> ParameterizedValue::Param(std::string_view name) const {
  for (const auto& [param_name, value] : params) {
    if (EqualsIgnoreCase(param_name, name)) return value;
  }
  return std::nullopt;
}

ParameterizedValue ParseParameterizedValue(std::string_view field_value, Defects* defects) {
  RawField raw = TokenizeField(field_value, defects);
  ParameterizedValue result;
  result.value = std::move(raw.value);
  for (const ParamForms& forms : GroupParams(raw.params, defects)) {
    result.params.emplace_back(forms.name, DecodeForms(forms, defects));
  }
  return result;
}

namespace {

// RFC 2231 §7 attribute-char: what may appear unescaped in an extended value.
bool IsAttributeChar(char c) { return IsTokenChar(c) && c != '*' && c != '\'' && c != '%'; }

// Length of the UTF-8 sequence starting with `lead` (1 for ASCII and for stray bytes), so a
// section boundary never splits a character: some readers decode each section on its own.
size_t Utf8SequenceLength(std::string_view s, size_t pos) {
  auto lead = static_cast<unsigned char>(s[pos]);
  size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  size_t len = 1;
  while (len < want && pos + len < s.size() &&
         (static_cast<unsigned char>(s[pos + len]) & 0xC0) == 0x80) {
    ++len;
  }
  return len;
}

// Longest "name*N*=value" section we emit, so each folded line stays well under 78 columns.
constexpr size_t kMaxSectionLength = 72;

std::string FormatRfc2231(std::string_view name, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::vector<std::string> units;  // one per character, already escaped
  for (size_t pos = 0; pos < value.size();) {
    size_t len = Utf8SequenceLength(value, pos);
    std::string unit;
    for (char c : value.substr(pos, len)) {
      if (IsAttributeChar(c)) {
        unit.push_back(c);
      } else {
        auto u = static_cast<unsigned char>(c);
        unit += {'%', kHex[u >> 4], kHex[u & 15]};
      }
    }
    units.push_back(std::move(unit));
    pos += len;
  }
  std::string single = std::string(name) + "*=utf-8''";
  for (const std::string& unit : units) single += unit;
  if (single.size() <= kMaxSectionLength) return single;
  std::string out;
  size_t next = 0;
  for (int section = 0; next < units.size(); ++section) {
    std::string piece = std::string(name) + "*" + std::to_string(section) + "*=";
    if (section == 0) piece += "utf-8''";
    // At least one character per section, however long the name, so this always progresses.
    do {
      piece += units[next++];
    } while (next < units.size() && piece.size() + units[next].size() <= kMaxSectionLength);
    if (!out.empty()) out += ";\r\n ";
    out += piece;
  }
  return out;
}

}  // namespace

std::string FormatParameter(std::string_view name, std::string_view utf8_value) {
  bool token =
      !utf8_value.empty() && std::all_of(utf8_value.begin(), utf8_value.end(), IsTokenChar);
  if (token) return std::string(name) + "=" + std::string(utf8_value);
  // Printable ASCII goes in a quoted string, which every reader understands. Control characters
  // (a CR or LF would end the header line) and 8-bit text go through RFC 2231 instead.
  bool printable =
      std::all_of(utf8_value.begin(), utf8_value.end(), [](char c) { return c >= 32 && c <= 126; });
  // "=?" would be read back as an RFC 2047 word by readers that decode those in quotes.
  bool word_hazard = utf8_value.find("=?") != std::string_view::npos;
  if (!printable || word_hazard) return FormatRfc2231(name, utf8_value);
  std::string out = std::string(name) + "=\"";
  for (char c : utf8_value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

namespace mime_internal {

std::optional<std::string> RawParameter(std::string_view field_value, std::string_view name) {
  RawField raw = TokenizeField(field_value, nullptr);
  for (const ParamForms& forms : GroupParams(raw.params, nullptr)) {
    if (!EqualsIgnoreCase(forms.name, name)) continue;
    if (forms.extended == nullptr && forms.sections.empty()) return forms.plain->value;
    return Join2231(forms, nullptr).first;
  }
  return std::nullopt;
}

}  // namespace mime_internal
}  // namespace pigeon::message

// Charset conversion to UTF-8 (RFC 2045 §5.1 charset parameter, RFC 2046 §4.1.2): UTF-8
// validation and repair, the windows-1252 fallback, charset alias resolution, and iconv (glibc)
// for everything else. Input bytes and labels are untrusted: labels are filtered before they
// reach iconv_open, every invalid sequence becomes U+FFFD, and the output is always valid UTF-8.
// UTF-8, US-ASCII, ISO-8859-1 and windows-1252 never touch iconv (they are most of all mail).
#include "common/message/charset.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace pigeon::message {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the run of ASCII bytes at the start of `s`, eight bytes at a time.
size_t AsciiPrefix(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  while (i < n && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Allowed range of the second byte after `lead` (Unicode 15, table 3-7), and how many
// continuation bytes the sequence needs. need == 0 for a byte that cannot start a sequence.
struct LeadInfo {
  int need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
};

LeadInfo InfoForLead(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {1, 0x80, 0xBF};
  if (lead == 0xE0) return {2, 0xA0, 0xBF};
  if (lead == 0xED) return {2, 0x80, 0x9F};  // no UTF-16 surrogates
  if (lead >= 0xE1 && lead <= 0xEF) return {2, 0x80, 0xBF};
  if (lead == 0xF0) return {3, 0x90, 0xBF};
  if (lead == 0xF4) return {3, 0x80, 0x8F};  // nothing above U+10FFFF
  if (lead >= 0xF1 && lead <= 0xF3) return {3, 0x80, 0xBF};
  return {};
}

// Number of bytes of the well-formed sequence at `i`, or 0 when none starts there. For an
// ill-formed one, `*subpart` gets the length of its maximal subpart (at least 1).
size_t SequenceAt(std::string_view s, size_t i, size_t* subpart) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  const LeadInfo info = InfoForLead(lead);
  size_t len = 1;
  for (int k = 0; k < info.need; ++k, ++len) {
    if (i + len >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i + len]);
    const unsigned char lo = k == 0 ? info.lo : 0x80, hi = k == 0 ? info.hi : 0xBF;
    if (c < lo || c > hi) break;
  }
  if (info.need > 0 && len == static_cast<size_t>(info.need) + 1) return len;
  *subpart = len;
  return 0;
}

// Length of the longest valid UTF-8 prefix of `s`.
size_t ValidPrefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    i += AsciiPrefix(s.substr(i));
    if (i >= s.size()) break;
    size_t subpart = 0;
    const size_t len = SequenceAt(s, i, &subpart);
    if (len == 0) break;
    i += len;
  }
  return i;
}

// windows-1252 0x80..0x9F (WHATWG index). The five undefined bytes map to U+FFFD rather than
// to C1 controls: those carry no text and some terminals act on them.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes windows-1252; sets *undefined when one of its five undefined bytes occurred.
std::string Windows1252ToUtf8(std::string_view s, bool* undefined) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  size_t i = 0;
  while (i < s.size()) {
    const size_t ascii = AsciiPrefix(s.substr(i));
    out.append(s.data() + i, ascii);
    i += ascii;
    for (; i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      const char32_t cp = c < 0xA0 ? kCp1252High[c - 0x80] : c;
      if (cp == 0xFFFD) *undefined = true;
      AppendUtf8(out, cp);
    }
  }
  return out;
}

// Aliases and common mislabels, sorted by alias (checked by a static_assert below).
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"646", "us-ascii"},
    {"ansi_x3.4-1968", "us-ascii"},
    {"ansi_x3.4-1986", "us-ascii"},
    {"ascii", "us-ascii"},
    {"big-5", "big5"},
    {"chinese", "gbk"},
    {"cn-big5", "big5"},
    {"cp367", "us-ascii"},
    {"cp819", "iso-8859-1"},
    {"cp866", "ibm866"},
    {"cp874", "windows-874"},
    {"cp932", "shift_jis"},
    {"cp936", "gbk"},
    {"csascii", "us-ascii"},
    {"csbig5", "big5"},
    {"cseuckr", "euc-kr"},
    {"cseucpkdfmtjapanese", "euc-jp"},
    {"csgb2312", "gbk"},
    {"csibm866", "ibm866"},
    {"csiso2022jp", "iso-2022-jp"},
    {"csisolatin1", "iso-8859-1"},
    {"cskoi8r", "koi8-r"},
    {"csksc56011987", "cp949"},
    {"csmacintosh", "macintosh"},
    {"csshiftjis", "shift_jis"},
    {"dos-874", "windows-874"},
    {"euc-cn", "gbk"},
    {"euc_jp", "euc-jp"},
    {"euccn", "gbk"},
    {"eucjp", "euc-jp"},
    {"euckr", "euc-kr"},
    {"gb2312", "gbk"},
    {"gb_2312", "gbk"},
    {"gb_2312-80", "gbk"},
    {"ibm367", "us-ascii"},
    {"ibm819", "iso-8859-1"},
    {"iso-ir-100", "iso-8859-1"},
    {"iso-ir-149", "cp949"},
    {"iso-ir-58", "gbk"},
    {"iso-ir-6", "us-ascii"},
    {"iso2022jp", "iso-2022-jp"},
    {"iso646-us", "us-ascii"},
    {"iso_646.irv:1991", "us-ascii"},
    {"koi", "koi8-r"},
    {"koi8", "koi8-r"},
    {"koi8r", "koi8-r"},
    {"koi8u", "koi8-u"},
    {"korean", "cp949"},
    {"ks_c_5601", "cp949"},
    {"ks_c_5601-1987", "cp949"},
    {"ks_c_5601-1989", "cp949"},
    {"ks_c_5601_1987", "cp949"},
    {"ksc5601", "cp949"},
    {"ksc_5601", "cp949"},
    {"l1", "iso-8859-1"},
    {"l2", "iso-8859-2"},
    {"latin-1", "iso-8859-1"},
    {"latin1", "iso-8859-1"},
    {"latin2", "iso-8859-2"},
    {"latin3", "iso-8859-3"},
    {"latin4", "iso-8859-4"},
    {"latin5", "iso-8859-9"},
    {"latin6", "iso-8859-10"},
    {"latin7", "iso-8859-13"},
    {"latin8", "iso-8859-14"},
    {"latin9", "iso-8859-15"},
    {"mac", "macintosh"},
    {"macroman", "macintosh"},
    {"ms932", "shift_jis"},
    {"ms936", "gbk"},
    {"ms_kanji", "shift_jis"},
    {"shift-jis", "shift_jis"},
    {"shiftjis", "shift_jis"},
    {"sjis", "shift_jis"},
    {"tis-620", "windows-874"},
    {"tis620", "windows-874"},
    {"uhc", "cp949"},
    {"unicode-1-1-utf-7", "utf-7"},
    {"unicode-1-1-utf-8", "utf-8"},
    {"unicode-2-0-utf-8", "utf-8"},
    {"us", "us-ascii"},
    {"windows-31j", "shift_jis"},
    {"windows-936", "gbk"},
    {"windows-949", "cp949"},
    {"x-euc", "euc-jp"},
    {"x-euc-cn", "gbk"},
    {"x-euc-jp", "euc-jp"},
    {"x-euc-kr", "euc-kr"},
    {"x-gbk", "gbk"},
    {"x-mac-roman", "macintosh"},
    {"x-ms-cp932", "shift_jis"},
    {"x-shift-jis", "shift_jis"},
    {"x-shift_jis", "shift_jis"},
    {"x-sjis", "shift_jis"},
    {"x-uhc", "cp949"},
    {"x-unicode20utf8", "utf-8"},
    {"x-user-defined", "x-user-defined"},
    {"x-windows-874", "windows-874"},
    {"x-x-big5", "big5"},
};
static_assert(std::is_sorted(std::begin(kAliases), std::end(kAliases),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Skips one optional '-' or '_' at `*i`.
void SkipSeparator(std::string_view s, size_t* i) {
  if (*i < s.size() && (s[*i] == '-' || s[*i] == '_')) ++*i;
}

// "iso8859-2", "iso_8859-2:1987", "iso-8859-8-i" → "iso-8859-N"; empty when not that shape.
std::string Iso8859Name(std::string_view s) {
  if (!s.starts_with("iso")) return {};
  size_t i = 3;
  SkipSeparator(s, &i);
  if (s.substr(i, 4) != "8859") return {};
  i += 4;
  SkipSeparator(s, &i);
  const size_t digits = i;
  while (i < s.size() && IsDigit(s[i]) && i - digits < 2) ++i;
  if (i == digits) return {};
  const std::string_view rest = s.substr(i);
  // ":1987" (the ISO registration year) and "-i"/"-e" (bidi variants) name the same charset.
  if (!rest.empty() && rest[0] != ':' && rest != "-i" && rest != "-e") return {};
  return "iso-8859-" + std::string(s.substr(digits, i - digits));
}

// "cp1252", "win-1251", "x-cp1250", "windows1257" → "windows-125N"; empty otherwise.
std::string WindowsName(std::string_view s) {
  for (std::string_view prefix : {"windows-", "windows", "win-", "win", "x-cp", "cp-", "cp"}) {
    if (!s.starts_with(prefix)) continue;
    const std::string_view rest = s.substr(prefix.size());
    if (rest.size() == 4 && rest.starts_with("125") && IsDigit(rest[3])) {
      return "windows-" + std::string(rest);
    }
  }
  return {};
}

// "utf8", "utf_16le", "x-utf-8" → "utf-8", "utf-16le"; empty otherwise.
std::string UtfName(std::string_view s) {
  if (s.starts_with("x-")) s.remove_prefix(2);
  if (!s.starts_with("utf")) return {};
  size_t i = 3;
  SkipSeparator(s, &i);
  if (i >= s.size() || !IsDigit(s[i])) return {};
  return "utf-" + std::string(s.substr(i));
}

// Name handed to iconv_open for a normalized charset: supersets that real mail labelled with
// the narrower name needs (WHATWG Encoding does the same), else the name itself.
std::string_view IconvName(std::string_view normalized) {
  if (normalized == "shift_jis") return "CP932";  // NEC/IBM rows; 0x5C is "\", not "¥"
  if (normalized == "euc-kr") return "CP949";
  if (normalized == "iso-2022-jp") return "ISO-2022-JP-2";  // accepts ESC ( I katakana
  if (normalized == "big5") return "BIG5-HKSCS";
  if (normalized == "windows-874") return "CP874";
  return normalized;
}

// Only plain names reach iconv_open: glibc reads "//" suffixes as options and "" as the
// locale's charset.
bool IsSafeIconvName(std::string_view name) {
  if (name.empty() || name.size() > 40) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
}

// Charsets decoded without iconv.
bool IsWindows1252Family(std::string_view n) {
  return n == "us-ascii" || n == "iso-8859-1" || n == "windows-1252";
}

// Charsets iconv knows on every glibc whose pure-ASCII text decodes to itself (unlike UTF-7/16,
// EBCDIC, ISO 646 variants or ISO-2022), so the common all-ASCII case can skip iconv.
bool IsAsciiCompatible(std::string_view n) {
  if (n.starts_with("iso-8859-")) {
    const std::string_view number = n.substr(9);
    return number.size() == 1 ? number[0] >= '1' && number[0] <= '9'
                              : number == "10" || number == "11" || number == "13" ||
                                    number == "14" || number == "15" || number == "16";
  }
  if (n.size() == 12 && n.starts_with("windows-125")) return n[11] >= '0' && n[11] <= '8';
  for (std::string_view known :
       {"windows-874", "koi8-r", "koi8-u", "euc-jp", "euc-kr", "gbk", "gb18030", "big5",
        "big5-hkscs", "shift_jis", "cp949", "macintosh", "ibm866"}) {
    if (n == known) return true;
  }
  return false;
}

// A charset label for a defect's detail: it is hostile input, so short and printable.
std::string Printable(std::string_view label) {
  std::string out(label.substr(0, 40));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7E) c = '?';
  }
  return out;
}

// glibc unloads a conversion module soon after its last descriptor closes (once two other
// modules were released), so a descriptor opened per conversion made mail mixing ISO-2022-JP,
// Shift_JIS and the like dlopen and dlclose a module for nearly every part (5% of an import's
// time). Each thread therefore keeps one descriptor per charset it met open, unused: the module
// stays loaded. Conversions still get a fresh descriptor each (a reset one would not do: glibc's
// UTF-16 keeps the byte order of the first text it saw). Bounded: the labels, filtered as they
// are, come from hostile input.
class ModulePins {
 public:
  ModulePins() = default;
  ModulePins(const ModulePins&) = delete;
  ModulePins& operator=(const ModulePins&) = delete;
  ~ModulePins() {
    for (const auto& [name, cd] : pins_) iconv_close(cd);
  }
  void Pin(const std::string& from) {
    if (pins_.size() >= kMaxPins) return;
    for (const auto& [name, cd] : pins_) {
      if (name == from) return;
    }
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd != reinterpret_cast<iconv_t>(-1)) pins_.emplace_back(from, cd);
  }

 private:
  static constexpr size_t kMaxPins = 16;
  std::vector<std::pair<std::string, iconv_t>> pins_;
};

class IconvHandle {
 public:
  explicit IconvHandle(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {
    thread_local ModulePins pins;
    if (ok()) pins.Pin(from);
  }
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// Runs iconv over all of `in`; invalid or truncated input becomes U+FFFD. Returns whether
// any input was invalid.
bool ConvertWithIconv(iconv_t cd, std::string_view in, std::string* out) {
  bool invalid = false;
  out->resize(in.size() * 2 + 16);
  size_t used = 0;
  char* in_ptr = const_cast<char*>(in.data());  // iconv's signature; it does not write
  size_t in_left = in.size();
  bool flushing = false;
  while (true) {
    if (out->size() - used < 16) out->resize(out->size() * 2);
    char* out_ptr = out->data() + used;
    size_t out_left = out->size() - used;
    const size_t rc = flushing ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left)
                               : iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    const int error = errno;
    used = out_ptr - out->data();
    if (rc != static_cast<size_t>(-1)) {
      if (flushing) break;
      flushing = true;  // emit any shift sequence the converter still holds
      continue;
    }
    if (error == E2BIG) {
      out->resize(out->size() * 2);
      continue;
    }
    invalid = true;
    if (out->size() - used < kReplacement.size()) out->resize(out->size() * 2);
    std::memcpy(out->data() + used, kReplacement.data(), kReplacement.size());
    used += kReplacement.size();
    if (error != EILSEQ || in_left == 0) break;  // EINVAL: truncated at the end
    ++in_ptr;                                    // resynchronize one byte further on
    --in_left;
  }
  out->resize(used);
  return invalid;
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return ValidPrefix(s) == s.size(); }

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t valid = ValidPrefix(s.substr(i));
    out.append(s.data() + i, valid);
    i += valid;
    if (i >= s.size()) break;
    size_t subpart = 1;
    SequenceAt(s, i, &subpart);
    out.append(kReplacement);
    i += subpart;
  }
  return out;
}

std::string BytesToUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  bool undefined = false;
  return Windows1252ToUtf8(s, &undefined);
}

std::string NormalizeCharset(std::string_view charset) {
  while (!charset.empty() && (charset.front() == ' ' || charset.front() == '"')) {
    charset.remove_prefix(1);
  }
  while (!charset.empty() && (charset.back() == ' ' || charset.back() == '"')) {
    charset.remove_suffix(1);
  }
  std::string lower(charset);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  const auto* alias =
      std::lower_bound(std::begin(kAliases), std::end(kAliases), lower,
                       [](const auto& entry, const std::string& key) { return entry.first < key; });
  if (alias != std::end(kAliases) && alias->first == lower) return std::string(alias->second);
  for (auto rule : {Iso8859Name, WindowsName, UtfName}) {
    std::string name = rule(lower);
    if (!name.empty()) return name;
  }
  return lower;
}

namespace {

// ToUtf8's work; nullopt when the result is `bytes` unchanged (valid UTF-8, or ASCII in an
// ASCII-compatible charset: most text), so a caller that owns the bytes can keep them.
std::optional<std::string> ConvertToUtf8(std::string_view bytes, std::string_view charset,
                                         Defects* defects) {
  const std::string name = NormalizeCharset(charset);
  if (name == "utf-8") {
    if (IsValidUtf8(bytes)) return std::nullopt;
    AddDefect(defects, DefectKind::kCharsetInvalidBytes, "not valid UTF-8");
    return SanitizeUtf8(bytes);
  }
  const bool all_ascii = AsciiPrefix(bytes) == bytes.size();
  if (name == "us-ascii" && !all_ascii) {
    // 8-bit bytes under a us-ascii label (the default when there is none) are a mislabel:
    // today nearly always UTF-8, and windows-1252 before that.
    AddDefect(defects, DefectKind::kCharsetInvalidBytes, "8-bit bytes in us-ascii text");
    return BytesToUtf8(bytes);
  }
  if (IsWindows1252Family(name)) {
    if (all_ascii) return std::nullopt;
    bool undefined = false;
    std::string out = Windows1252ToUtf8(bytes, &undefined);
    if (undefined) {
      AddDefect(defects, DefectKind::kCharsetInvalidBytes, "byte undefined in windows-1252");
    }
    return out;
  }
  if (all_ascii && IsAsciiCompatible(name)) return std::nullopt;
  const std::string iconv_name(IconvName(name));
  std::optional<IconvHandle> handle;
  if (IsSafeIconvName(iconv_name)) handle.emplace(iconv_name);
  if (!handle || !handle->ok()) {
    AddDefect(defects, DefectKind::kUnknownCharset, Printable(name));
    return BytesToUtf8(bytes);
  }
  std::string out;
  bool invalid = ConvertWithIconv(handle->get(), bytes, &out);
  // A gconv module is outside our control; never pass on what it emits unchecked.
  if (!IsValidUtf8(out)) {
    out = SanitizeUtf8(out);
    invalid = true;
  }
  if (invalid)
    AddDefect(defects, DefectKind::kCharsetInvalidBytes, "invalid in " + Printable(name));
  return out;
}

}  // namespace

std::string ToUtf8(std::string_view bytes, std::string_view charset, Defects* defects) {
  std::optional<std::string> converted = ConvertToUtf8(bytes, charset, defects);
  return converted ? std::move(*converted) : std::string(bytes);
}

std::string MoveToUtf8(std::string&& bytes, std::string_view charset, Defects* defects) {
  std::optional<std::string> converted = ConvertToUtf8(bytes, charset, defects);
  return converted ? std::move(*converted) : std::move(bytes);
}

bool IsKnownCharset(std::string_view charset) {
  const std::string name = NormalizeCharset(charset);
  if (name == "utf-8" || IsWindows1252Family(name)) return true;
  const std::string iconv_name(IconvName(name));
  return IsSafeIconvName(iconv_name) && IconvHandle(iconv_name).ok();
}

}  // namespace pigeon::message

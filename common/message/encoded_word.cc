// RFC 2047 encoded-words in unstructured text and phrases: decoding for display (§6), encoding
// for composing (§5, §4 B and Q). Decoding takes untrusted header text, tolerates the breakage
// real mail has (see encoded_word.h), runs in linear time, reports each kind of defect once per
// call and always returns valid UTF-8. Encoding always labels UTF-8, keeps ASCII words readable
// where RFC 2047 allows it, and guarantees DecodeEncodedWords(EncodeUnstructured(x)) == x for
// valid UTF-8 x (invalid input is repaired first).
#include "common/message/encoded_word.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/message/charset.h"
#include "common/message/codec.h"

namespace pigeon::message {
namespace {

constexpr size_t kMaxCharsetLength = 64;  // "charset*language"; real ones are < 20
constexpr size_t kMaxLine = 76;           // RFC 2047 §2: lines with encoded-words
constexpr size_t kMaxWord = 75;           // RFC 2047 §2: one encoded-word
constexpr size_t kMaxHardLine = 998;      // RFC 5322 §2.1.1
constexpr size_t kOverhead = 12;          // "=?UTF-8?Q?" and "?="
constexpr size_t kMaxRawWord = 60;        // longer words are encoded so they can be split
constexpr size_t kMaxRawWhitespace = 8;   // longer runs are encoded so lines stay short

bool IsWsp(char c) { return c == ' ' || c == '\t'; }
bool IsLinearWhitespace(char c) { return IsWsp(c) || c == '\r' || c == '\n'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Adds each kind of defect at most once per call.
class DefectSink {
 public:
  explicit DefectSink(Defects* defects) : defects_(defects) {}
  void Add(DefectKind kind, std::string_view excerpt) {
    const auto bit = uint64_t{1} << (static_cast<unsigned>(kind) % 64);
    if ((seen_ & bit) != 0) return;
    seen_ |= bit;
    // The excerpt is hostile input: keep it short and printable.
    std::string detail(excerpt.substr(0, 40));
    for (char& c : detail) {
      if (c < 0x20 || c > 0x7E) c = '?';
    }
    AddDefect(defects_, kind, std::move(detail));
  }

 private:
  Defects* defects_;
  uint64_t seen_ = 0;
};

// The first position at or after `from` where `match` holds, remembered so that the repeated
// searches of overlapping candidates (from only grows) cost linear time in total.
class ForwardSearch {
 public:
  ForwardSearch(std::string_view s, bool (*match)(std::string_view, size_t))
      : s_(s), match_(match) {}
  size_t From(size_t from) {
    if (from > cached_ || cached_from_ > from) {
      cached_from_ = from;
      cached_ = from;
      while (cached_ < s_.size() && !match_(s_, cached_)) ++cached_;
    }
    return cached_;  // s_.size() when there is none
  }

 private:
  std::string_view s_;
  bool (*match_)(std::string_view, size_t);
  size_t cached_from_ = 1, cached_ = 0;  // nothing cached yet
};

bool IsTerminatorAt(std::string_view s, size_t i) {
  return s[i] == '?' && i + 1 < s.size() && s[i + 1] == '=';
}
bool IsWhitespaceAt(std::string_view s, size_t i) { return IsLinearWhitespace(s[i]); }

// RFC 2047 token characters, plus "." and ":" that real charset names ("ansi_x3.4-1968") use.
bool IsCharsetChar(char c) {
  return IsAlnum(c) || std::string_view("!#$%&'*+-^_`{|}~.:").find(c) != std::string_view::npos;
}

struct EncodedWord {
  std::string_view charset;  // RFC 2231 language suffix removed
  char encoding = 'Q';       // 'B' or 'Q'
  std::string_view text;
  size_t end = 0;  // position after "?="
};

// Parses the encoded-word starting with "=?" at `i`. `*attempted` is set when the text went
// far enough ("=?charset?") to count as a broken encoded-word rather than plain text.
std::optional<EncodedWord> ParseAt(std::string_view s, size_t i, ForwardSearch& terminators,
                                   ForwardSearch& whitespace, bool* attempted) {
  const size_t start = i + 2;
  size_t p = start;
  while (p < s.size() && p - start <= kMaxCharsetLength && IsCharsetChar(s[p])) ++p;
  if (p == start || p >= s.size() || s[p] != '?' || p - start > kMaxCharsetLength) return {};
  *attempted = true;
  if (p + 2 >= s.size() || s[p + 2] != '?') return {};
  const char encoding = static_cast<char>(s[p + 1] & ~0x20);  // "b" and "q" occur
  if (encoding != 'B' && encoding != 'Q') return {};
  const size_t text_start = p + 3;
  // The first "?=" ends the word, so a "?" that a sloppy encoder left in Q text is kept.
  const size_t end = terminators.From(text_start);
  if (end >= s.size() || whitespace.From(text_start) < end) return {};
  std::string_view charset = s.substr(start, p - start);
  charset = charset.substr(0, charset.find('*'));  // RFC 2231 §5: "utf-8*en"
  return EncodedWord{charset, encoding, s.substr(text_start, end - text_start), end + 2};
}

// Decodes one text value, collecting adjacent words of the same charset into one run.
class Decoder {
 public:
  explicit Decoder(Defects* defects) : sink_(defects) {}

  std::string Run(std::string_view text) {
    ForwardSearch terminators(text, IsTerminatorAt), whitespace(text, IsWhitespaceAt);
    size_t literal_start = 0, pos = 0;
    bool after_word = false;
    while ((pos = text.find("=?", pos)) != std::string_view::npos) {
      bool attempted = false;
      const auto word = ParseAt(text, pos, terminators, whitespace, &attempted);
      if (!word) {
        if (attempted) sink_.Add(DefectKind::kEncodedWordMalformed, text.substr(pos));
        ++pos;
        continue;
      }
      const std::string_view between = text.substr(literal_start, pos - literal_start);
      // §6.2: whitespace separating two encoded-words is not displayed.
      if (!after_word || !std::all_of(between.begin(), between.end(), IsLinearWhitespace)) {
        FlushRun();
        AppendLiteral(between);
      }
      AddWord(*word);
      after_word = true;
      literal_start = pos = word->end;
    }
    FlushRun();
    AppendLiteral(text.substr(literal_start));
    return std::move(out_);
  }

 private:
  void AddWord(const EncodedWord& word) {
    Defects codec_defects;
    std::string bytes = word.encoding == 'B' ? DecodeBase64(word.text, &codec_defects)
                                             : DecodeQ(word.text, &codec_defects);
    if (!codec_defects.empty()) sink_.Add(DefectKind::kEncodedWordMalformed, word.text);
    std::string charset = NormalizeCharset(word.charset);
    if (run_open_ && charset != run_charset_) FlushRun();
    run_open_ = true;
    run_charset_ = std::move(charset);
    run_bytes_ += bytes;
  }

  // Converts the pending run; joined bytes let a character split between words survive.
  void FlushRun() {
    if (!run_open_) return;
    Defects charset_defects;
    out_ += ToUtf8(run_bytes_, run_charset_, &charset_defects);
    for (const Defect& defect : charset_defects) {
      DefectKind kind = defect.kind;
      if (kind == DefectKind::kUnknownCharset) kind = DefectKind::kEncodedWordUnknownCharset;
      if (kind == DefectKind::kCharsetInvalidBytes) kind = DefectKind::kEncodedWordInvalidBytes;
      sink_.Add(kind, run_charset_);
    }
    run_open_ = false;
    run_bytes_.clear();
  }

  // Plain text: folds removed (RFC 5322 §2.2.3) in case the caller did not unfold, 8-bit
  // bytes through the documented fallback.
  void AppendLiteral(std::string_view literal) {
    std::string unfolded;
    if (literal.find('\n') != std::string_view::npos) {
      for (size_t i = 0; i < literal.size(); ++i) {
        const bool fold = literal[i] == '\n' && i + 1 < literal.size() && IsWsp(literal[i + 1]);
        if (fold && !unfolded.empty() && unfolded.back() == '\r') unfolded.pop_back();
        if (!fold) unfolded += literal[i];
      }
      literal = unfolded;
    }
    if (IsValidUtf8(literal)) {
      out_.append(literal);
      return;
    }
    sink_.Add(DefectKind::kHeaderNonUtf8Bytes, literal);
    out_ += BytesToUtf8(literal);
  }

  DefectSink sink_;
  std::string out_;
  bool run_open_ = false;
  std::string run_charset_;  // normalized
  std::string run_bytes_;
};

// ---- Encoding ----

enum class Alphabet { kText, kPhrase };  // RFC 2047 §5 (1) and (3)

bool IsQLiteral(char c, Alphabet alphabet) {
  if (alphabet == Alphabet::kPhrase) {
    return IsAlnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
  }
  return c > 0x20 && c < 0x7F && c != '=' && c != '?' && c != '_';
}

size_t QLength(char c, Alphabet alphabet) { return c == ' ' || IsQLiteral(c, alphabet) ? 1 : 3; }

size_t BLength(size_t bytes) { return (bytes + 2) / 3 * 4; }

// Bytes of the UTF-8 character starting at `i` (the text is valid UTF-8).
size_t CharLength(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

struct Chunk {
  size_t end = 0;
  char encoding = 'Q';
};

// The next encoded-word's worth of `text` from `pos` within `budget` encoded characters: the
// encoding that carries more whole characters, or on a tie the shorter one.
Chunk NextChunk(std::string_view text, size_t pos, size_t budget, Alphabet alphabet) {
  size_t q_end = pos, q_length = 0;
  while (q_end < text.size()) {
    const size_t n = CharLength(text, q_end);
    size_t add = 0;
    for (size_t k = 0; k < n; ++k) add += QLength(text[q_end + k], alphabet);
    if (q_length + add > budget) break;
    q_length += add;
    q_end += n;
  }
  size_t b_end = pos;
  while (b_end < text.size()) {
    const size_t n = CharLength(text, b_end);
    if (BLength(b_end + n - pos) > budget) break;
    b_end += n;
  }
  if (q_end != b_end) return {std::max(q_end, b_end), q_end > b_end ? 'Q' : 'B'};
  return {q_end, q_length <= BLength(b_end - pos) ? 'Q' : 'B'};
}

void AppendEncodedWord(std::string& out, std::string_view bytes, char encoding, Alphabet alphabet) {
  out += encoding == 'B' ? "=?UTF-8?B?" : "=?UTF-8?Q?";
  if (encoding == 'B') {
    out += EncodeBase64(bytes, 0);
  } else {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : bytes) {
      if (c == ' ') {
        out += '_';
      } else if (IsQLiteral(c, alphabet)) {
        out += c;
      } else {
        const auto byte = static_cast<unsigned char>(c);
        out += {'=', kHex[byte >> 4], kHex[byte & 15]};
      }
    }
  }
  out += "?=";
}

// Writes raw words and encoded-words, folding with CRLF before whitespace when `fold`.
class HeaderWriter {
 public:
  HeaderWriter(size_t first_column, bool fold, Alphabet alphabet)
      : column_(first_column), fold_(fold), alphabet_(alphabet) {}

  // `word` preceded by the whitespace `sep` (empty only at the very start).
  void Raw(std::string_view sep, std::string_view word) {
    // A fold before trailing whitespace would leave a line of only whitespace.
    if (!word.empty() && column_ + sep.size() + word.size() > kMaxLine) FoldBefore(sep);
    Append(sep);
    Append(word);
  }

  // `text` as encoded-words after the raw whitespace `sep`. Whitespace between two of them is
  // not displayed, so whitespace that must survive is inside `text`.
  void Encoded(std::string_view sep, std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      const std::string_view before = pos == 0 ? sep : " ";
      constexpr size_t kMinRoom = kOverhead + 12;  // room for any one character
      size_t room = kMaxWord;
      if (fold_) {
        if (Room(before) < kMinRoom) FoldBefore(before);
        room = std::clamp(Room(before), kMinRoom, kMaxWord);  // no fold at the very start
      }
      const Chunk chunk = NextChunk(text, pos, room - kOverhead, alphabet_);
      Append(before);
      const size_t old_size = out_.size();
      AppendEncodedWord(out_, text.substr(pos, chunk.end - pos), chunk.encoding, alphabet_);
      column_ += out_.size() - old_size;
      empty_ = false;
      pos = chunk.end;
    }
  }

  size_t longest_line() const { return std::max(longest_, column_); }
  std::string Take() { return std::move(out_); }

 private:
  size_t Room(std::string_view before) const {
    const size_t used = column_ + before.size();
    return used < kMaxLine ? kMaxLine - used : 0;
  }
  void FoldBefore(std::string_view sep) {
    if (!fold_ || empty_ || sep.empty()) return;
    longest_ = std::max(longest_, column_);
    out_ += "\r\n";
    column_ = 0;
  }
  void Append(std::string_view s) {
    out_ += s;
    column_ += s.size();
    empty_ = empty_ && s.empty();
  }

  std::string out_;
  size_t column_;
  size_t longest_ = 0;
  bool fold_;
  Alphabet alphabet_;
  bool empty_ = true;  // nothing written: a fold here would start the value with whitespace
};

// Text that needs no encoding at all: printable ASCII and whitespace, nothing that a decoder
// could take for an encoded-word.
bool IsPlain(std::string_view s) {
  const bool printable =
      std::all_of(s.begin(), s.end(), [](char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; });
  return printable && s.find("=?") == std::string_view::npos;
}

bool CanStayRaw(std::string_view word, Alphabet alphabet) {
  if (word.size() > kMaxRawWord || word.find("=?") != std::string_view::npos) return false;
  return std::all_of(word.begin(), word.end(), [alphabet](char c) {
    if (alphabet == Alphabet::kText) return c > 0x20 && c < 0x7F;
    // An atom (RFC 5322 atext) so the phrase parses back; "=" and "?" never, to be safe.
    return IsAlnum(c) || std::string_view("!#$%&'*+-/^_`{|}~").find(c) != std::string_view::npos;
  });
}

// Splits `s` into whitespace-preceded words and hands them to `writer`: raw when possible,
// else as encoded groups that take the whitespace inside and around them, leaving one raw
// whitespace character between a group and a raw word. Whitespace at either end goes into a
// group too, since header parsers trim it. `first_column` is where the value starts.
void Plan(std::string_view s, Alphabet alphabet, size_t first_column, HeaderWriter& writer) {
  constexpr size_t kNoGroup = std::string_view::npos;
  size_t group_start = kNoGroup;  // start of the pending encoded group in `s`
  std::string_view group_sep;
  // A phrase parser reads any whitespace beside an atom as one space (RFC 5322 §3.2.2), so a
  // phrase with tabs or runs of spaces keeps them only when every word is encoded.
  const bool encode_all =
      alphabet == Alphabet::kPhrase &&
      (s.find('\t') != std::string_view::npos || s.find("  ") != std::string_view::npos);
  size_t last_word_end = s.size();
  while (last_word_end > 0 && IsWsp(s[last_word_end - 1])) --last_word_end;
  size_t pos = 0;
  while (true) {
    const size_t ws_start = pos;
    while (pos < s.size() && IsWsp(s[pos])) ++pos;
    const std::string_view ws = s.substr(ws_start, pos - ws_start);
    const bool at_start = ws_start == 0;
    if (pos == s.size()) {  // the end; trailing whitespace is in the group if any
      if (group_start != kNoGroup) writer.Encoded(group_sep, s.substr(group_start));
      if (group_start == kNoGroup && !ws.empty()) writer.Encoded({}, ws);  // only whitespace
      return;
    }
    const size_t word_start = pos;
    while (pos < s.size() && !IsWsp(s[pos])) ++pos;
    const std::string_view word = s.substr(word_start, pos - word_start);
    const bool raw = CanStayRaw(word, alphabet) && !encode_all && !(at_start && !ws.empty()) &&
                     !(pos == last_word_end && pos < s.size()) &&
                     !(at_start && first_column + word.size() > kMaxLine);
    if (!raw) {
      if (group_start == kNoGroup) {
        group_sep = ws.substr(0, at_start ? 0 : 1);
        group_start = ws_start + group_sep.size();
      }
      continue;
    }
    if (group_start != kNoGroup) {
      writer.Encoded(group_sep, s.substr(group_start, word_start - 1 - group_start));
      group_start = kNoGroup;
    } else if (ws.size() > kMaxRawWhitespace) {  // between two raw words
      writer.Encoded(ws.substr(0, 1), ws.substr(1, ws.size() - 2));
    } else {
      writer.Raw(ws, word);
      continue;
    }
    writer.Raw(ws.substr(ws.size() - 1), word);
  }
}

std::string Encode(std::string_view utf8, size_t column, Alphabet alphabet) {
  // Everything is labelled UTF-8, so invalid input is repaired rather than mislabelled.
  std::string repaired;
  if (!IsValidUtf8(utf8)) {
    repaired = SanitizeUtf8(utf8);
    utf8 = repaired;
  }
  HeaderWriter writer(column, alphabet == Alphabet::kText, alphabet);
  Plan(utf8, alphabet, alphabet == Alphabet::kText ? column : 0, writer);
  return writer.Take();
}

}  // namespace

std::string DecodeEncodedWords(std::string_view text, Defects* defects) {
  return Decoder(defects).Run(text);
}

std::string EncodeUnstructured(std::string_view utf8, size_t used_on_first_line) {
  if (IsPlain(utf8)) {
    if (used_on_first_line + utf8.size() <= kMaxLine) return std::string(utf8);
    // Long plain text is only folded; a word too long even for RFC 5322 gets encoded.
    HeaderWriter writer(used_on_first_line, true, Alphabet::kText);
    size_t pos = 0;
    while (pos < utf8.size()) {
      const size_t ws_start = pos;
      while (pos < utf8.size() && IsWsp(utf8[pos])) ++pos;
      const size_t word_start = pos;
      while (pos < utf8.size() && !IsWsp(utf8[pos])) ++pos;
      writer.Raw(utf8.substr(ws_start, word_start - ws_start),
                 utf8.substr(word_start, pos - word_start));
    }
    if (writer.longest_line() <= kMaxHardLine) return writer.Take();
  }
  return Encode(utf8, used_on_first_line, Alphabet::kText);
}

std::string EncodePhrase(std::string_view utf8) {
  if (IsPlain(utf8)) return std::string(utf8);
  return Encode(utf8, 0, Alphabet::kPhrase);
}

}  // namespace pigeon::message

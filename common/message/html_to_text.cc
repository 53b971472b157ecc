// HTML to plain text for search and snippets (see text_extract.h): tags dropped, the content of
// script, style, title and similar elements dropped, block elements turned into line breaks,
// entities (the HTML 4 set plus &apos;, and numeric references) decoded, whitespace collapsed.
// Input is untrusted and often broken HTML: one forward pass, no tree, no recursion; unclosed
// comments, quotes and tags end at the end of the input. Linear time.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/message/text_extract.h"

namespace pigeon::message {
namespace {

struct Entity {
  std::string_view name;
  char32_t code_point;
};

// HTML 4.01 §24 character entity references, plus XHTML's &apos;, sorted by name (bytewise).
constexpr Entity kEntities[] = {
    {"AElig", 198},    {"Aacute", 193},  {"Acirc", 194},   {"Agrave", 192},  {"Alpha", 913},
    {"Aring", 197},    {"Atilde", 195},  {"Auml", 196},    {"Beta", 914},    {"Ccedil", 199},
    {"Chi", 935},      {"Dagger", 8225}, {"Delta", 916},   {"ETH", 208},     {"Eacute", 201},
    {"Ecirc", 202},    {"Egrave", 200},  {"Epsilon", 917}, {"Eta", 919},     {"Euml", 203},
    {"Gamma", 915},    {"Iacute", 205},  {"Icirc", 206},   {"Igrave", 204},  {"Iota", 921},
    {"Iuml", 207},     {"Kappa", 922},   {"Lambda", 923},  {"Mu", 924},      {"Ntilde", 209},
    {"Nu", 925},       {"OElig", 338},   {"Oacute", 211},  {"Ocirc", 212},   {"Ograve", 210},
    {"Omega", 937},    {"Omicron", 927}, {"Oslash", 216},  {"Otilde", 213},  {"Ouml", 214},
    {"Phi", 934},      {"Pi", 928},      {"Prime", 8243},  {"Psi", 936},     {"Rho", 929},
    {"Scaron", 352},   {"Sigma", 931},   {"THORN", 222},   {"Tau", 932},     {"Theta", 920},
    {"Uacute", 218},   {"Ucirc", 219},   {"Ugrave", 217},  {"Upsilon", 933}, {"Uuml", 220},
    {"Xi", 926},       {"Yacute", 221},  {"Yuml", 376},    {"Zeta", 918},    {"aacute", 225},
    {"acirc", 226},    {"acute", 180},   {"aelig", 230},   {"agrave", 224},  {"alefsym", 8501},
    {"alpha", 945},    {"amp", 38},      {"and", 8743},    {"ang", 8736},    {"apos", 39},
    {"aring", 229},    {"asymp", 8776},  {"atilde", 227},  {"auml", 228},    {"bdquo", 8222},
    {"beta", 946},     {"brvbar", 166},  {"bull", 8226},   {"cap", 8745},    {"ccedil", 231},
    {"cedil", 184},    {"cent", 162},    {"chi", 967},     {"circ", 710},    {"clubs", 9827},
    {"cong", 8773},    {"copy", 169},    {"crarr", 8629},  {"cup", 8746},    {"curren", 164},
    {"dArr", 8659},    {"dagger", 8224}, {"darr", 8595},   {"deg", 176},     {"delta", 948},
    {"diams", 9830},   {"divide", 247},  {"eacute", 233},  {"ecirc", 234},   {"egrave", 232},
    {"empty", 8709},   {"emsp", 8195},   {"ensp", 8194},   {"epsilon", 949}, {"equiv", 8801},
    {"eta", 951},      {"eth", 240},     {"euml", 235},    {"euro", 8364},   {"exist", 8707},
    {"fnof", 402},     {"forall", 8704}, {"frac12", 189},  {"frac14", 188},  {"frac34", 190},
    {"frasl", 8260},   {"gamma", 947},   {"ge", 8805},     {"gt", 62},       {"hArr", 8660},
    {"harr", 8596},    {"hearts", 9829}, {"hellip", 8230}, {"iacute", 237},  {"icirc", 238},
    {"iexcl", 161},    {"igrave", 236},  {"image", 8465},  {"infin", 8734},  {"int", 8747},
    {"iota", 953},     {"iquest", 191},  {"isin", 8712},   {"iuml", 239},    {"kappa", 954},
    {"lArr", 8656},    {"lambda", 955},  {"lang", 9001},   {"laquo", 171},   {"larr", 8592},
    {"lceil", 8968},   {"ldquo", 8220},  {"le", 8804},     {"lfloor", 8970}, {"lowast", 8727},
    {"loz", 9674},     {"lrm", 8206},    {"lsaquo", 8249}, {"lsquo", 8216},  {"lt", 60},
    {"macr", 175},     {"mdash", 8212},  {"micro", 181},   {"middot", 183},  {"minus", 8722},
    {"mu", 956},       {"nabla", 8711},  {"nbsp", 160},    {"ndash", 8211},  {"ne", 8800},
    {"ni", 8715},      {"not", 172},     {"notin", 8713},  {"nsub", 8836},   {"ntilde", 241},
    {"nu", 957},       {"oacute", 243},  {"ocirc", 244},   {"oelig", 339},   {"ograve", 242},
    {"oline", 8254},   {"omega", 969},   {"omicron", 959}, {"oplus", 8853},  {"or", 8744},
    {"ordf", 170},     {"ordm", 186},    {"oslash", 248},  {"otilde", 245},  {"otimes", 8855},
    {"ouml", 246},     {"para", 182},    {"part", 8706},   {"permil", 8240}, {"perp", 8869},
    {"phi", 966},      {"pi", 960},      {"piv", 982},     {"plusmn", 177},  {"pound", 163},
    {"prime", 8242},   {"prod", 8719},   {"prop", 8733},   {"psi", 968},     {"quot", 34},
    {"rArr", 8658},    {"radic", 8730},  {"rang", 9002},   {"raquo", 187},   {"rarr", 8594},
    {"rceil", 8969},   {"rdquo", 8221},  {"real", 8476},   {"reg", 174},     {"rfloor", 8971},
    {"rho", 961},      {"rlm", 8207},    {"rsaquo", 8250}, {"rsquo", 8217},  {"sbquo", 8218},
    {"scaron", 353},   {"sdot", 8901},   {"sect", 167},    {"shy", 173},     {"sigma", 963},
    {"sigmaf", 962},   {"sim", 8764},    {"spades", 9824}, {"sub", 8834},    {"sube", 8838},
    {"sum", 8721},     {"sup", 8835},    {"sup1", 185},    {"sup2", 178},    {"sup3", 179},
    {"supe", 8839},    {"szlig", 223},   {"tau", 964},     {"there4", 8756}, {"theta", 952},
    {"thetasym", 977}, {"thinsp", 8201}, {"thorn", 254},   {"tilde", 732},   {"times", 215},
    {"trade", 8482},   {"uArr", 8657},   {"uacute", 250},  {"uarr", 8593},   {"ucirc", 251},
    {"ugrave", 249},   {"uml", 168},     {"upsih", 978},   {"upsilon", 965}, {"uuml", 252},
    {"weierp", 8472},  {"xi", 958},      {"yacute", 253},  {"yen", 165},     {"yuml", 255},
    {"zeta", 950},     {"zwj", 8205},    {"zwnj", 8204},
};

std::optional<char32_t> LookupEntity(std::string_view name) {
  const Entity* end = std::end(kEntities);
  const Entity* it =
      std::lower_bound(std::begin(kEntities), end, name,
                       [](const Entity& e, std::string_view n) { return e.name < n; });
  if (it == end || it->name != name) return std::nullopt;
  return it->code_point;
}

// Windows-1252 characters for references &#128; … &#159;, as HTML5 §13.2.5.80 maps them
// (mail written on Windows uses them for quotes and dashes); 0 marks the unmapped ones.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char32_t SanitizeCodePoint(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F && kWindows1252[cp - 0x80] != 0) return kWindows1252[cp - 0x80];
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Elements that start a new line. Cells get a space so neighbouring cells stay separate words.
bool IsBlockElement(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "address", "article", "aside", "blockquote", "body",       "caption", "center", "dd",
      "div",     "dl",      "dt",    "fieldset",   "figcaption", "figure",  "footer", "form",
      "h1",      "h2",      "h3",    "h4",         "h5",         "h6",      "header", "hr",
      "html",    "li",      "main",  "nav",        "ol",         "p",       "pre",    "section",
      "table",   "tbody",   "tfoot", "thead",      "tr",         "ul"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

// Elements whose content is not text a reader sees (<head> is handled apart, see SkipHead).
bool IsHiddenElement(std::string_view name) {
  return name == "script" || name == "style" || name == "title" || name == "template" ||
         name == "xml" || name == "noembed" || name == "iframe";
}

// Accumulates text with HTML's whitespace collapsing, and line breaks for blocks.
class TextSink {
 public:
  void Char(char c) {
    if (pre_depth_ > 0) {
      if (c == '\r') return;
      Put(c);
      return;
    }
    if (IsHtmlSpace(c)) {
      pending_space_ = true;
      return;
    }
    if (pending_space_ && !out_.empty() && out_.back() != '\n') out_.push_back(' ');
    pending_space_ = false;
    Put(c);
  }
  void CodePoint(char32_t cp) {
    // A no-break space matters for layout, not for reading: it collapses like a space.
    if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      Char(cp == '\n' ? '\n' : ' ');
      return;
    }
    char buf[4];
    int n = 0;
    if (cp < 0x80) {
      buf[n++] = static_cast<char>(cp);
    } else if (cp < 0x800) {
      buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
      buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
      buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
      buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    for (int i = 0; i < n; ++i) Char(buf[i]);
  }
  // Text without whitespace, "<" or "&".
  void Word(std::string_view word) {
    if (pre_depth_ == 0 && pending_space_ && !out_.empty() && out_.back() != '\n') {
      out_.push_back(' ');
    }
    pending_space_ = false;
    if (word.find('\0') == std::string_view::npos) {
      out_.append(word);
    } else {
      for (char c : word) Put(c);
    }
  }
  void Space() { pending_space_ = true; }
  // Ends the current line (a block boundary); no blank lines from nested blocks.
  void BlockBreak() {
    pending_space_ = false;
    TrimTrailingSpaces();
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  }
  // <br>: always a line break, but never more than one empty line in a row.
  void LineBreak() {
    pending_space_ = false;
    TrimTrailingSpaces();
    if (!out_.empty() && !out_.ends_with("\n\n")) out_.push_back('\n');
  }
  void EnterPre() { ++pre_depth_; }
  void LeavePre() { pre_depth_ = std::max(0, pre_depth_ - 1); }
  std::string Take() {
    while (!out_.empty() && IsHtmlSpace(out_.back())) out_.pop_back();
    return std::move(out_);
  }

 private:
  void Put(char c) {
    if (c != '\0') out_.push_back(c);  // a NUL is never text
  }
  void TrimTrailingSpaces() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
  }

  std::string out_;
  bool pending_space_ = false;
  int pre_depth_ = 0;
};

// Whether `text` starts with `lower_name` (ASCII case-insensitive) followed by a non-name char.
bool StartsWithTagName(std::string_view text, std::string_view lower_name) {
  if (text.size() < lower_name.size()) return false;
  for (size_t i = 0; i < lower_name.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower_name[i]) return false;
  }
  if (text.size() == lower_name.size()) return true;
  char next = text[lower_name.size()];
  return !IsAsciiAlpha(next) && !IsAsciiDigit(next);
}

class HtmlConverter {
 public:
  explicit HtmlConverter(std::string_view html) : html_(html) {}

  std::string Run() {
    while (pos_ < html_.size()) {
      char c = html_[pos_];
      if (c == '<') {
        Tag();
      } else if (c == '&') {
        Reference();
      } else if (IsHtmlSpace(c)) {
        sink_.Char(c);
        ++pos_;
      } else {
        // A run of ordinary text goes in at once: most of a document is this.
        size_t end = pos_ + 1;
        while (end < html_.size() && !IsHtmlSpace(html_[end]) && html_[end] != '<' &&
               html_[end] != '&') {
          ++end;
        }
        sink_.Word(html_.substr(pos_, end - pos_));
        pos_ = end;
      }
    }
    return sink_.Take();
  }

 private:
  void Tag();
  void ApplyTag(std::string_view name, bool closing);
  void Reference();
  size_t TagEnd(size_t pos);
  void SkipHiddenContent(std::string_view name);
  void SkipHead();
  size_t SkipPast(std::string_view terminator, size_t from) {
    size_t found = html_.find(terminator, from);
    return found == std::string_view::npos ? html_.size() : found + terminator.size();
  }

  std::string_view html_;
  size_t pos_ = 0;
  TextSink sink_;
  // Set once a quote character has no later occurrence: searching for it again would fail
  // again, and doing so for every tag would make broken input quadratic.
  bool quote_exhausted_[2] = {false, false};
  bool head_unterminated_ = false;  // likewise for a <head> with neither </head> nor <body>
};

void HtmlConverter::Tag() {
  std::string_view rest = html_.substr(pos_);
  if (rest.starts_with("<!--")) {
    pos_ = SkipPast("-->", pos_ + 2);  // from +2 so "<!-->" is a whole (empty) comment
    return;
  }
  if (rest.starts_with("<!") || rest.starts_with("<?")) {
    pos_ = SkipPast(">", pos_);  // doctype, CDATA, processing instruction
    return;
  }
  bool closing = rest.size() > 1 && rest[1] == '/';
  size_t name_start = pos_ + (closing ? 2 : 1);
  if (name_start >= html_.size() || !IsAsciiAlpha(html_[name_start])) {
    if (closing) {
      pos_ = SkipPast(">", pos_);  // "</ …>" is a bogus comment
    } else {
      sink_.Char('<');  // "a < b" is text
      ++pos_;
    }
    return;
  }
  size_t name_end = name_start;
  while (name_end < html_.size() &&
         (IsAsciiAlpha(html_[name_end]) || IsAsciiDigit(html_[name_end]) ||
          html_[name_end] == '-' || html_[name_end] == ':')) {
    ++name_end;
  }
  std::string name = AsciiLower(html_.substr(name_start, name_end - name_start));
  pos_ = TagEnd(name_end);
  if (!closing && IsHiddenElement(name)) {
    SkipHiddenContent(name);
    return;
  }
  if (!closing && name == "head") {
    SkipHead();
    return;
  }
  ApplyTag(name, closing);
}

void HtmlConverter::ApplyTag(std::string_view name, bool closing) {
  if (name == "br") {
    sink_.LineBreak();
  } else if (name == "pre") {
    sink_.BlockBreak();
    closing ? sink_.LeavePre() : sink_.EnterPre();
  } else if (IsBlockElement(name)) {
    sink_.BlockBreak();
  } else if (name == "td" || name == "th") {
    sink_.Space();
  }
}

// The position after the ">" closing a tag whose attributes start at `pos`. A ">" inside a
// quoted attribute value does not close it; an unclosed quote is taken literally.
size_t HtmlConverter::TagEnd(size_t pos) {
  char last = ' ';
  while (pos < html_.size()) {
    char c = html_[pos];
    if (c == '>') return pos + 1;
    if ((c == '"' || c == '\'') && last == '=' && !quote_exhausted_[c == '\'']) {
      size_t close = html_.find(c, pos + 1);
      if (close != std::string_view::npos) {
        pos = close + 1;
        last = c;
        continue;
      }
      quote_exhausted_[c == '\''] = true;
    }
    if (!IsHtmlSpace(c)) last = c;
    ++pos;
  }
  return pos;
}

// Skips to after "</name …>", or to the end: an unclosed <script> hides the rest, as in browsers.
void HtmlConverter::SkipHiddenContent(std::string_view name) {
  size_t from = pos_;
  while (true) {
    size_t lt = html_.find("</", from);
    if (lt == std::string_view::npos) {
      pos_ = html_.size();
      return;
    }
    if (StartsWithTagName(html_.substr(lt + 2), name)) {
      pos_ = TagEnd(lt + 2 + name.size());
      return;
    }
    from = lt + 2;
  }
}

// <head> holds nothing a reader sees; it ends at </head> or, when that is missing, at <body>.
// With neither, its content is read as text, as browsers show stray text in an unclosed head.
void HtmlConverter::SkipHead() {
  if (head_unterminated_) return;
  for (size_t lt = html_.find('<', pos_); lt != std::string_view::npos;
       lt = html_.find('<', lt + 1)) {
    std::string_view tag = html_.substr(lt + 1);
    if (tag.starts_with('/') && StartsWithTagName(tag.substr(1), "head")) {
      pos_ = TagEnd(lt + 6);
      return;
    }
    if (StartsWithTagName(tag, "body")) {
      pos_ = lt;
      return;
    }
  }
  head_unterminated_ = true;
}

// "&name;", "&#NNN;", "&#xHH;". Numeric references may lack the ";" (HTML allows it), and so
// may the five names people type by hand; anything else is a literal "&".
void HtmlConverter::Reference() {
  size_t p = pos_ + 1;
  if (p < html_.size() && html_[p] == '#') {
    ++p;
    bool hex = p < html_.size() && (html_[p] == 'x' || html_[p] == 'X');
    if (hex) ++p;
    size_t digits = p;
    uint32_t value = 0;
    while (p < html_.size()) {
      char c = html_[p];
      int digit = IsAsciiDigit(c) ? c - '0' : -1;
      if (hex && digit < 0 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        digit = (c | 0x20) - 'a' + 10;
      }
      if (digit < 0) break;
      value = std::min<uint32_t>(value * (hex ? 16 : 10) + static_cast<uint32_t>(digit), 0x110000);
      ++p;
    }
    if (p > digits) {
      if (p < html_.size() && html_[p] == ';') ++p;
      sink_.CodePoint(SanitizeCodePoint(value));
      pos_ = p;
      return;
    }
  } else {
    size_t end = p;
    while (end < html_.size() && end - p < 32 &&
           (IsAsciiAlpha(html_[end]) || IsAsciiDigit(html_[end]))) {
      ++end;
    }
    std::string_view name = html_.substr(p, end - p);
    bool semicolon = end < html_.size() && html_[end] == ';';
    bool bare_ok =
        name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp";
    std::optional<char32_t> cp = LookupEntity(name);
    if (cp && (semicolon || bare_ok)) {
      sink_.CodePoint(*cp);
      pos_ = end + (semicolon ? 1 : 0);
      return;
    }
  }
  sink_.Char('&');
  ++pos_;
}

}  // namespace

std::string HtmlToText(std::string_view html) { return HtmlConverter(html).Run(); }

}  // namespace pigeon::message

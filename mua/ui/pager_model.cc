// See pager_model.h. The message library decodes (RFC 2047 headers, transfer encodings,
// charsets: common/message); this file only lays the decoded text out.
#include "mua/ui/pager_model.h"

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include <fmt/format.h>

#include "common/message/charset.h"
#include "common/message/encoded_word.h"
#include "common/message/header.h"
#include "common/message/text_extract.h"
#include "mua/cli/show_command.h"
#include "mua/ui/attachment_list.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {
namespace {

constexpr int kTabStop = 8;

// Tabs to spaces at 8-column stops, measured in display columns; then made printable.
std::string ExpandTabs(std::string_view line) {
  if (line.find('\t') == std::string_view::npos) return Printable(line);
  std::string out;
  int column = 0;
  size_t pos = 0;
  while (pos < line.size()) {
    const size_t start = pos;
    const int cp = DecodeUtf8(line, pos);
    if (cp == '\t') {
      const int spaces = kTabStop - column % kTabStop;
      out.append(static_cast<size_t>(spaces), ' ');
      column += spaces;
      continue;
    }
    const std::string cell = Printable(line.substr(start, pos - start));
    out += cell;
    column += DisplayWidth(cell);
  }
  return out;
}

SourceLine HeaderLine(std::string_view name, std::string_view value) {
  SourceLine line;
  line.text = Printable(std::string(name) + ": " + std::string(value));
  line.kind = LineKind::kHeader;
  line.label_columns = DisplayWidth(name) + 1;
  return line;
}

bool IsAlternativeChild(const message::Part* parent) {
  return parent != nullptr && parent->content_type == "multipart/alternative";
}

// The first leaf of `type` in pre-order.
const message::Part* FirstLeaf(const message::Part& part, std::string_view type) {
  if (!part.IsContainer()) return part.content_type == type ? &part : nullptr;
  for (const message::Part& child : part.children) {
    if (const message::Part* found = FirstLeaf(child, type)) return found;
  }
  return nullptr;
}

// Leaves a reader would call attachments: named, marked as attachments, or not text (and
// not an alternative rendering of the text shown).
void CollectAttachments(const message::Part& part, const message::Part* parent,
                        const message::Part* shown, std::vector<const message::Part*>& out) {
  if (part.IsContainer()) {
    for (const message::Part& child : part.children) CollectAttachments(child, &part, shown, out);
    return;
  }
  if (&part == shown || parent == nullptr) return;
  const bool named = part.filename.has_value() || part.disposition == "attachment";
  if (named || (!part.IsText() && !IsAlternativeChild(parent))) out.push_back(&part);
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool HasUpperAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::vector<TextMatch> FindMatches(std::string_view text, std::string_view pattern) {
  std::vector<TextMatch> matches;
  if (pattern.empty()) return matches;
  const bool exact = HasUpperAscii(pattern);
  const auto same = [exact](char a, char b) { return exact ? a == b : LowerAscii(a) == b; };
  std::string folded(pattern);
  if (!exact) std::transform(folded.begin(), folded.end(), folded.begin(), LowerAscii);
  size_t pos = 0;
  while (pos + folded.size() <= text.size()) {
    size_t i = 0;
    while (i < folded.size() && same(text[pos + i], folded[i])) ++i;
    if (i == folded.size()) {
      matches.push_back(TextMatch{pos, folded.size()});
      pos += folded.size();
    } else {
      ++pos;
    }
  }
  return matches;
}

int QuoteLevel(std::string_view line) {
  int level = 0;
  size_t pos = 0;
  for (;;) {
    size_t next = pos;
    while (next < line.size() && (line[next] == ' ' || line[next] == '\t')) ++next;
    if (next >= line.size() || line[next] != '>') return level;
    ++level;
    pos = next + 1;
  }
}

std::vector<SourceLine> ClassifyBody(std::string_view text) {
  std::vector<SourceLine> lines;
  lines.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  size_t signature = std::string_view::npos;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw == "-- ") signature = lines.size();
    SourceLine line;
    line.quote_level = QuoteLevel(raw);
    line.kind = line.quote_level > 0 ? LineKind::kQuoted
                : raw.empty()        ? LineKind::kBlank
                                     : LineKind::kBody;
    line.text = ExpandTabs(raw);
    lines.push_back(std::move(line));
    start = end + 1;
  }
  if (signature != std::string_view::npos) {
    for (size_t i = signature; i < lines.size(); ++i) {
      lines[i].kind = LineKind::kSignature;
      lines[i].quote_level = 0;
    }
  }
  return lines;
}

std::vector<std::string> WrapText(std::string_view text, int first_columns, int rest_columns) {
  std::vector<std::string> rows;
  int limit = std::max(1, first_columns);
  // Most lines fit, and one whose bytes are no more than the row's columns needs no measuring:
  // no character is wider than its UTF-8 encoding is long (wide ones take 3 or 4 bytes for 2
  // columns; an invalid byte shows as one '?').
  if (text.size() <= static_cast<size_t>(limit)) {
    rows.emplace_back(text);
    return rows;
  }
  size_t pos = 0;
  while (rows.empty() || pos < text.size()) {
    const size_t row_start = pos;
    size_t after_space = std::string_view::npos;  // where the row may end: after its last space
    int width = 0;
    while (pos < text.size()) {
      size_t next = pos;
      const int cp = DecodeUtf8(text, next);
      const int char_width = CodePointWidth(cp);
      // Spaces always fit (they are trimmed at the break); a character that does not fit ends
      // the row, unless it is the row's first (a wide character on a 1-column screen).
      if (cp != ' ' && width + char_width > limit && pos > row_start) break;
      if (cp == ' ') after_space = next;
      width += char_width;
      pos = next;
    }
    if (pos >= text.size()) {
      rows.emplace_back(text.substr(row_start));
      break;
    }
    const size_t cut =
        after_space != std::string_view::npos && after_space > row_start ? after_space : pos;
    std::string_view row = text.substr(row_start, cut - row_start);
    while (!row.empty() && row.back() == ' ') row.remove_suffix(1);
    rows.emplace_back(row);
    pos = cut;
    while (pos < text.size() && text[pos] == ' ') ++pos;  // the next row starts with a word
    limit = std::max(1, rest_columns);
  }
  return rows;
}

std::vector<SourceLine> MessageLines(const message::Message& message, bool all_headers,
                                     const HtmlText& html_text) {
  std::vector<SourceLine> lines;
  if (all_headers) {
    for (const message::HeaderField& field : message.header().fields()) {
      const std::string value = message::SanitizeUtf8(
          message::DecodeEncodedWords(message::BytesToUtf8(field.Unfolded()), nullptr));
      lines.push_back(HeaderLine(message::BytesToUtf8(field.name), value));
    }
  } else {
    for (const DisplayField& field : DisplayFields(message)) {
      lines.push_back(HeaderLine(field.name, field.value));
    }
  }
  lines.push_back(SourceLine{"", LineKind::kBlank, 0, 0});

  const message::Part& root = message.Mime();
  const message::Part* shown = FirstLeaf(root, "text/plain");
  std::string text;
  if (std::optional<std::string> plain = message.FirstTextPlain()) {
    text = std::move(*plain);
  } else if ((shown = FirstLeaf(root, "text/html")) != nullptr) {
    text = html_text ? html_text(*shown) : message::HtmlToText(shown->TextUtf8(nullptr));
  }
  std::vector<SourceLine> body = ClassifyBody(text);
  lines.reserve(lines.size() + body.size() + 1);
  lines.insert(lines.end(), std::make_move_iterator(body.begin()),
               std::make_move_iterator(body.end()));

  std::vector<const message::Part*> attachments;
  CollectAttachments(root, nullptr, shown, attachments);
  if (!attachments.empty()) lines.push_back(SourceLine{"", LineKind::kBlank, 0, 0});
  std::unordered_map<const message::Part*, int> numbers;
  if (!attachments.empty()) {
    const std::vector<const message::Part*> order = AttachmentOrder(root);
    for (size_t i = 0; i < order.size(); ++i) numbers[order[i]] = static_cast<int>(i) + 1;
  }
  for (const message::Part* part : attachments) {
    const int number = numbers[part];
    std::string name = part->filename ? message::SanitizeUtf8(*part->filename) : "";
    SourceLine line;
    line.kind = LineKind::kAttachment;
    line.text = Printable(fmt::format(
        "[-- Attachment #{}{}{}: {}, {} --]", number, name.empty() ? "" : " ", name,
        part->content_type, FormatSize(static_cast<int64_t>(part->DecodedBody(nullptr).size()))));
    lines.push_back(std::move(line));
  }
  return lines;
}

void PagerModel::SetLines(std::vector<SourceLine> lines) {
  lines_ = std::move(lines);
  top_ = 0;
  search_.clear();
  rows_.clear();
  Layout(columns_, height_);
}

void PagerModel::Layout(int columns, int height) {
  const size_t top_source =
      top_ < static_cast<int>(rows_.size()) ? rows_[static_cast<size_t>(top_)].source : 0;
  columns_ = std::max(2, columns);
  height_ = std::max(1, height);
  rows_.clear();
  rows_.reserve(lines_.size());
  for (size_t i = 0; i < lines_.size(); ++i) {
    const SourceLine& line = lines_[i];
    if (line.text.size() <= static_cast<size_t>(columns_)) {  // fits: see WrapText
      rows_.push_back(DisplayLine{line.text, line.kind, line.quote_level, line.label_columns,
                                  /*continuation=*/false, i});
      continue;
    }
    // Continuation rows start after a one-column '+' mark (mutt's $markers).
    std::vector<std::string> pieces = WrapText(line.text, columns_, columns_ - 1);
    for (size_t piece = 0; piece < pieces.size(); ++piece) {
      DisplayLine row;
      row.text = std::move(pieces[piece]);
      row.kind = line.kind;
      row.quote_level = line.quote_level;
      row.label_columns = piece == 0 ? line.label_columns : 0;
      row.continuation = piece > 0;
      row.source = i;
      rows_.push_back(std::move(row));
    }
  }
  top_ = 0;
  while (top_ < static_cast<int>(rows_.size()) &&
         rows_[static_cast<size_t>(top_)].source < top_source) {
    ++top_;
  }
  top_ = std::min(top_, MaxTop());
  match_row_ = top_ - 1;  // rows moved: the next search-next starts from the top row
}

int PagerModel::MaxTop() const { return std::max(0, static_cast<int>(rows_.size()) - height_); }

bool PagerModel::ScrollTo(int top) {
  top = std::clamp(top, 0, MaxTop());
  if (top == top_) return false;
  top_ = top;
  return true;
}

bool PagerModel::LineDown() { return ScrollTo(top_ + 1); }
bool PagerModel::LineUp() { return ScrollTo(top_ - 1); }
bool PagerModel::PageDown() { return ScrollTo(top_ + height_); }
bool PagerModel::PageUp() { return ScrollTo(top_ - height_); }
bool PagerModel::Top() { return ScrollTo(0); }
bool PagerModel::Bottom() { return ScrollTo(MaxTop()); }

Found PagerModel::FindFrom(int from) {
  const int total = static_cast<int>(rows_.size());
  const auto has = [this](int row) {
    return !FindMatches(rows_[static_cast<size_t>(row)].text, search_).empty();
  };
  for (int row = std::max(0, from); row < total; ++row) {
    if (!has(row)) continue;
    match_row_ = row;
    ScrollTo(row);
    return Found::kYes;
  }
  for (int row = 0; row < std::min(from, total); ++row) {
    if (!has(row)) continue;
    match_row_ = row;
    ScrollTo(row);
    return Found::kWrapped;
  }
  return Found::kNo;
}

Found PagerModel::Search(std::string pattern) {
  search_ = std::move(pattern);
  const Found found = FindFrom(top_);
  if (found == Found::kNo) search_.clear();
  return found;
}

Found PagerModel::SearchNext() {
  if (search_.empty()) return Found::kNo;
  // The row last found is searched again only after the wrap: it may be the only one.
  const int total = static_cast<int>(rows_.size());
  const int from = match_row_ + 1;
  if (from >= total) {
    const Found found = FindFrom(0);
    return found == Found::kNo ? found : Found::kWrapped;
  }
  return FindFrom(from);
}

std::vector<TextMatch> PagerModel::MatchesOn(int row) const {
  if (search_.empty() || row < 0 || row >= static_cast<int>(rows_.size())) return {};
  return FindMatches(rows_[static_cast<size_t>(row)].text, search_);
}

std::string PagerModel::Position() const {
  const int total = static_cast<int>(rows_.size());
  if (AtTop() && AtEnd()) return "all";
  if (AtTop()) return "top";
  if (AtEnd()) return "end";
  return fmt::format("{}%", (top_ + height_) * 100 / std::max(1, total));
}

}  // namespace pigeon::mua::ui

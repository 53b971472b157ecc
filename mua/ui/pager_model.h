// The pager's text without a terminal: a message turned into classified lines (headers, body,
// quoted text by level, signature, attachment notes), wrapped to the screen width with
// continuation marks, and a scroll position over them. Input is untrusted message bytes: every
// line goes through display_width.h before it is measured, and nothing here fails.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message/message.h"

namespace pigeon::mua::ui {

enum class LineKind { kHeader, kBody, kQuoted, kSignature, kAttachment, kBlank };

struct SourceLine {
  std::string text;  // printable UTF-8, tabs expanded
  LineKind kind = LineKind::kBody;
  int quote_level = 0;    // kQuoted: how many '>' lead the line
  int label_columns = 0;  // kHeader: columns of "Name:" (drawn bold)
};

// One screen row: a piece of a SourceLine.
struct DisplayLine {
  std::string text;
  LineKind kind = LineKind::kBody;
  int quote_level = 0;
  int label_columns = 0;      // on the first row of a header only
  bool continuation = false;  // not the first row of its line: drawn after a '+' mark
  size_t source = 0;          // index of its SourceLine
};

// mutt's quote level: the number of '>' in the run of "[ \t]*>" at the start of the line.
int QuoteLevel(std::string_view line);

// Body text split into lines: CR LF and LF ends, tabs to 8-column stops, unprintable
// characters replaced; quoted lines and the signature (from the last "-- " line) classified.
std::vector<SourceLine> ClassifyBody(std::string_view text);

// Cuts a line into rows: the first at most `first_columns` wide, the others `rest_columns`;
// breaks after a space when one is in the row (mutt's $smart_wrap), else between characters.
// A wide character never straddles rows. Always at least one row.
std::vector<std::string> WrapText(std::string_view text, int first_columns, int rest_columns);

// The lines of a message as the pager shows them: the header (Date, From, To, Cc, Subject,
// decoded; or, with `all_headers`, every field as it is in the message, RFC 2047 decoded), a
// blank line, the first text/plain part (else the first text/html part through `html_text`,
// by default the built-in HtmlToText; see html_view.h), and a line per attachment, numbered
// as the attachments menu numbers it (attachment_list.h).
using HtmlText = std::function<std::string(const message::Part& html)>;
std::vector<SourceLine> MessageLines(const message::Message& message, bool all_headers,
                                     const HtmlText& html_text = {});

// An occurrence of the pager's search in a row: bytes of DisplayLine::text.
struct TextMatch {
  size_t start = 0;
  size_t length = 0;
};

// Every occurrence of `pattern` in `text`, left to right, not overlapping. Plain text, not a
// regular expression; ASCII letters match either case unless `pattern` has an upper-case
// letter (mutt's smart case). None for an empty pattern.
std::vector<TextMatch> FindMatches(std::string_view text, std::string_view pattern);

// How a search ended: on a row below, wrapped to the top, or not found.
enum class Found { kYes, kWrapped, kNo };

class PagerModel {
 public:
  void SetLines(std::vector<SourceLine> lines);
  // Re-wraps for a new size; the line at the top stays at the top.
  void Layout(int columns, int height);

  const std::vector<DisplayLine>& rows() const { return rows_; }
  int top() const { return top_; }
  int height() const { return height_; }
  bool AtTop() const { return top_ == 0; }
  bool AtEnd() const { return top_ + height_ >= static_cast<int>(rows_.size()); }

  // Each returns false when it could not move (already at that end).
  bool LineDown();
  bool LineUp();
  bool PageDown();
  bool PageUp();
  bool Top();
  bool Bottom();

  // The pager's search: highlights `pattern` and scrolls to the first row at or after the top
  // row that has it, else to the first from the top (kWrapped). kNo leaves no highlight.
  Found Search(std::string pattern);
  // The next row that has the pattern after the one last found, wrapping to the top.
  Found SearchNext();
  // The highlighted pattern ("" when none: a new text clears it).
  const std::string& search() const { return search_; }
  // The highlighted occurrences in rows()[row].
  std::vector<TextMatch> MatchesOn(int row) const;

  // mutt's %P: "all", "top", "end" or "NN%" (of the text above the bottom of the screen).
  std::string Position() const;

 private:
  bool ScrollTo(int top);
  int MaxTop() const;
  // Scrolls to the first row from `from` on that has `search_`, else wraps to the first one
  // before it (or at it, when `from` is past the end).
  Found FindFrom(int from);

  std::vector<SourceLine> lines_;
  std::vector<DisplayLine> rows_;
  int columns_ = 80;
  int height_ = 1;
  int top_ = 0;
  std::string search_;
  int match_row_ = -1;  // the row the last search found
};

}  // namespace pigeon::mua::ui

// The pager's text without a terminal: a message turned into classified lines (headers, body,
// quoted text by level, signature, attachment notes), wrapped to the screen width with
// continuation marks, and a scroll position over them. Input is untrusted message bytes: every
// line goes through display_width.h before it is measured, and nothing here fails.
#pragma once

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
// blank line, the first text/plain part (else the text of the first text/html part), and a
// line per attachment.
std::vector<SourceLine> MessageLines(const message::Message& message, bool all_headers);

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

  // mutt's %P: "all", "top", "end" or "NN%" (of the text above the bottom of the screen).
  std::string Position() const;

 private:
  bool ScrollTo(int top);
  int MaxTop() const;

  std::vector<SourceLine> lines_;
  std::vector<DisplayLine> rows_;
  int columns_ = 80;
  int height_ = 1;
  int top_ = 0;
};

}  // namespace pigeon::mua::ui

// App's drawing (see app.h): mutt's layout. Row 0 is the help line, then the index or the
// pager, the status line, and the message line (or a prompt) at the bottom. Every row is
// fitted to the width by display_width.h before it reaches the terminal.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "mua/ui/app.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {
namespace {

constexpr std::array<Color, 5> kQuoteColors = {Color::kCyan, Color::kGreen, Color::kYellow,
                                               Color::kMagenta, Color::kBlue};

Style StyleOf(const DisplayLine& row) {
  Style style;
  switch (row.kind) {
    case LineKind::kQuoted:
      style.color = kQuoteColors[static_cast<size_t>(row.quote_level - 1) % kQuoteColors.size()];
      break;
    case LineKind::kSignature:
      style.dim = true;
      break;
    case LineKind::kAttachment:
      style.color = Color::kMagenta;
      break;
    default:
      break;
  }
  return style;
}

// "left ... right" in exactly `columns`, the left part truncated first, padded with `fill`.
std::string Bar(std::string_view left, std::string_view right, int columns, char fill) {
  const int right_width = DisplayWidth(right);
  std::string text = TruncateToWidth(left, std::max(0, columns - right_width));
  const int gap = columns - DisplayWidth(text) - right_width;
  if (gap > 0) text.append(static_cast<size_t>(gap), fill);
  text += right;
  return FitToWidth(text, columns);
}

}  // namespace

void App::DrawBar(int row, const std::string& text) {
  Style style;
  style.reverse = true;
  terminal_.Put(row, 0, FitToWidth(text, terminal_.Columns()), style);
}

void App::Draw() {
  terminal_.Erase();
  const int columns = terminal_.Columns();
  const int rows = terminal_.Rows();
  std::string hint;
  switch (screen_) {
    case Screen::kIndex:
      hint = HelpHint(options_.index_keys, {{Op::kQuit, "Quit"},
                                            {Op::kDisplayMessage, "Open"},
                                            {Op::kNextUndeleted, "Next"},
                                            {Op::kPrevUndeleted, "Prev"},
                                            {Op::kDeleteMessage, "Del"},
                                            {Op::kUndeleteMessage, "Undel"},
                                            {Op::kSaveMessage, "Save"},
                                            {Op::kMail, "Mail"},
                                            {Op::kReply, "Reply"},
                                            {Op::kChangeFolder, "Folder"},
                                            {Op::kHelp, "Help"}});
      DrawIndex();
      DrawBar(rows - 2, Bar(fmt::format("---pigeon: {} [{}]{}{}---(date)", folder_.name,
                                        FolderCounts(folder_, tags_.size()),
                                        limit_text_.empty() ? "" : " (limit: " + limit_text_ + ")",
                                        new_mail_ ? " [New mail]" : ""),
                            "", columns, '-'));
      break;
    case Screen::kPager:
      hint = HelpHint(options_.pager_keys, {{Op::kExit, "Exit"},
                                            {Op::kPrevPage, "PrevPg"},
                                            {Op::kNextPage, "NextPg"},
                                            {Op::kNextUndeleted, "Next"},
                                            {Op::kPrevUndeleted, "Prev"},
                                            {Op::kDisplayHeaders, "Headers"},
                                            {Op::kReply, "Reply"},
                                            {Op::kHelp, "Help"}});
      DrawPager(pager_);
      DrawBar(rows - 2,
              Bar(fmt::format("-{}- {}   {}",
                              FormatFlags(pager_summary_, tags_.Contains(pager_summary_.id)),
                              IndexParty(pager_summary_, false), pager_summary_.subject),
                  fmt::format("{}-- ({})---", new_mail_ ? " [New mail] " : "", pager_.Position()),
                  columns, ' '));
      break;
    case Screen::kOutbox:
      hint = HelpHint(options_.outbox_keys, {{Op::kExit, "Exit"},
                                             {Op::kRetrySend, "Retry"},
                                             {Op::kCancelSend, "Cancel"},
                                             {Op::kHelp, "Help"}});
      DrawOutbox();
      DrawBar(rows - 2,
              Bar(fmt::format("---Outbox [{} waiting]", outbox_.size()), "", columns, '-'));
      break;
    case Screen::kHelp:
      hint = HelpHint(help_keys_,
                      {{Op::kExit, "Exit"}, {Op::kPrevPage, "PrevPg"}, {Op::kNextPage, "NextPg"}});
      DrawPager(help_);
      DrawBar(rows - 2, Bar("---Help", fmt::format("-- ({})---", help_.Position()), columns, '-'));
      break;
  }
  DrawBar(0, hint);
  if (!completions_.empty()) DrawBar(rows - 2, completions_);
  DrawMessageLine();
  terminal_.Present();
}

void App::DrawIndex() {
  const bool sent = folder_.role && *folder_.role == "sent";
  const std::vector<store::MessageSummary>& rows = index_->rows();
  for (size_t i = 0; i < rows.size(); ++i) {
    Style style;
    style.reverse = static_cast<int>(i) == index_->cursor();
    terminal_.Put(
        1 + static_cast<int>(i), 0,
        FormatIndexLine(rows[i], tags_.Contains(rows[i].id), sent, terminal_.Columns(), clock_),
        style);
  }
  if (rows.empty()) terminal_.Put(1, 0, "(no messages)", Style{});
}

void App::DrawPager(const PagerModel& pager) {
  const int columns = terminal_.Columns();
  const std::vector<DisplayLine>& rows = pager.rows();
  for (int screen_row = 0; screen_row < pager.height(); ++screen_row) {
    const size_t index = static_cast<size_t>(pager.top() + screen_row);
    if (index >= rows.size()) break;
    const DisplayLine& row = rows[index];
    const int y = 1 + screen_row;
    int x = 0;
    if (row.continuation) {
      Style marker;
      marker.bold = true;
      terminal_.Put(y, 0, "+", marker);
      x = 1;
    }
    if (row.label_columns > 0) {
      const std::string label = TruncateToWidth(row.text, row.label_columns);
      Style bold;
      bold.bold = true;
      terminal_.Put(y, x, label, bold);
      terminal_.Put(y, x + DisplayWidth(label),
                    TruncateToWidth(std::string_view(row.text).substr(label.size()),
                                    columns - x - DisplayWidth(label)),
                    Style{});
      continue;
    }
    terminal_.Put(y, x, TruncateToWidth(row.text, columns - x), StyleOf(row));
  }
  DrawSearchMatches(pager);
}

void App::DrawSearchMatches(const PagerModel& pager) {
  const int columns = terminal_.Columns();
  Style found;
  found.reverse = true;
  for (int screen_row = 0; screen_row < pager.height(); ++screen_row) {
    const int index = pager.top() + screen_row;
    if (index >= static_cast<int>(pager.rows().size())) break;
    const DisplayLine& row = pager.rows()[static_cast<size_t>(index)];
    for (const TextMatch& match : pager.MatchesOn(index)) {
      const int x = (row.continuation ? 1 : 0) +
                    DisplayWidth(std::string_view(row.text).substr(0, match.start));
      if (x >= columns) break;
      terminal_.Put(1 + screen_row, x,
                    TruncateToWidth(std::string_view(row.text).substr(match.start, match.length),
                                    columns - x),
                    found);
    }
  }
}

void App::DrawMessageLine() {
  const int row = terminal_.Rows() - 1;
  if (!prompt_.empty()) {
    const std::string shown = TruncateToWidth(prompt_, terminal_.Columns() - 1);
    terminal_.Put(row, 0, shown, Style{});
    terminal_.SetCursor(row, DisplayWidth(shown));
    return;
  }
  terminal_.SetCursor(row, -1);
  terminal_.Put(row, 0, TruncateToWidth(message_line_, terminal_.Columns()), Style{});
}

}  // namespace pigeon::mua::ui

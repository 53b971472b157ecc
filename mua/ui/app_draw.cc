// App's drawing (see app.h): mutt's layout. Row 0 is the help line, then the index or the
// pager, the status line, and the message line (or a prompt) at the bottom. Every row is
// fitted to the width by display_width.h before it reaches the terminal.
#include <algorithm>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "mua/ui/app.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_layout.h"

namespace pigeon::mua::ui {
namespace {

Style StyleOf(const DisplayLine& row, const ColorScheme& colors) {
  switch (row.kind) {
    case LineKind::kQuoted:
      return colors.Quoted(row.quote_level);
    case LineKind::kSignature:
      return colors.Of(ColorObject::kSignature);
    case LineKind::kAttachment:
      return colors.Of(ColorObject::kAttachment);
    default:
      return colors.Of(ColorObject::kNormal);
  }
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
  terminal_.Put(row, 0, FitToWidth(text, terminal_.Columns()), colors().Of(ColorObject::kStatus));
}

void App::Draw() {
  terminal_.SetBackground(colors().Of(ColorObject::kNormal));
  terminal_.Erase();
  const int columns = terminal_.Columns();
  const int rows = terminal_.Rows();
  std::string hint;
  switch (screen_) {
    case Screen::kIndex:
      hint = HelpHint(options_.keys.index, {{Op::kQuit, "Quit"},
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
      DrawSidebar();
      DrawIndex();
      DrawBar(rows - 2, Bar(fmt::format("---pigeon: {} [{}]{}{}---({})", folder_.name,
                                        FolderCounts(folder_, tags_.size(), shown_),
                                        limit_text_.empty() ? "" : " (limit: " + limit_text_ + ")",
                                        new_mail_ ? " [New mail]" : "", IndexSortName(sort_)),
                            "", columns, '-'));
      break;
    case Screen::kPager:
      hint = HelpHint(options_.keys.pager, {{Op::kExit, "Exit"},
                                            {Op::kPrevPage, "PrevPg"},
                                            {Op::kNextPage, "NextPg"},
                                            {Op::kNextUndeleted, "Next"},
                                            {Op::kPrevUndeleted, "Prev"},
                                            {Op::kDisplayHeaders, "Headers"},
                                            {Op::kReply, "Reply"},
                                            {Op::kHelp, "Help"}});
      DrawSidebar();
      DrawPager(pager_);
      if (pager_shows_attachment_) {
        DrawBar(rows - 2, Bar("---Attachment: " + attachment_title_,
                              fmt::format("-- ({})---", pager_.Position()), columns, '-'));
        break;
      }
      DrawBar(rows - 2,
              Bar(fmt::format("-{}- {}   {}",
                              FormatFlags(pager_summary_, tags_.Contains(pager_summary_.id)),
                              IndexParty(pager_summary_, false), pager_summary_.subject),
                  fmt::format("{}-- ({})---", new_mail_ ? " [New mail] " : "", pager_.Position()),
                  columns, ' '));
      break;
    case Screen::kAttach:
      hint = HelpHint(options_.keys.attach, {{Op::kExit, "Exit"},
                                             {Op::kSaveEntry, "Save"},
                                             {Op::kPipeEntry, "Pipe"},
                                             {Op::kViewAttach, "View"},
                                             {Op::kViewMailcap, "Mailcap"},
                                             {Op::kHelp, "Help"}});
      DrawAttachments();
      DrawBar(rows - 2, Bar(fmt::format("---pigeon: Attachments [{}]", attachments_.rows().size()),
                            "", columns, '-'));
      break;
    case Screen::kOutbox:
      hint = HelpHint(options_.keys.outbox, {{Op::kExit, "Exit"},
                                             {Op::kRetrySend, "Retry"},
                                             {Op::kCancelSend, "Cancel"},
                                             {Op::kHelp, "Help"}});
      DrawOutbox();
      DrawBar(rows - 2,
              Bar(fmt::format("---Outbox [{} waiting]", outbox_.size()), "", columns, '-'));
      break;
    case Screen::kCompose:
      hint = HelpHint(options_.keys.compose, {{Op::kSendMessage, "Send"},
                                              {Op::kExit, "Abort"},
                                              {Op::kEditTo, "To"},
                                              {Op::kEditCc, "CC"},
                                              {Op::kEditSubject, "Subj"},
                                              {Op::kAttachFile, "Attach file"},
                                              {Op::kDetachFile, "Detach"},
                                              {Op::kPostponeMessage, "Postpone"},
                                              {Op::kSendLater, "Later"},
                                              {Op::kHelp, "Help"}});
      DrawSidebar();
      DrawCompose();
      DrawBar(rows - 2, Bar(fmt::format("---pigeon: Compose  [Approx. msg size: {}   Atts: {}]",
                                        FormatSize(composing_->model.ApproximateSize()),
                                        composing_->model.draft().attachments.size()),
                            "", columns, '-'));
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
    const Style style = static_cast<int>(i) == index_->cursor()
                            ? colors().Of(ColorObject::kIndicator)
                            : colors().IndexLine(rows[i].flags, tags_.Contains(rows[i].id));
    const ThreadRow* thread_row = threads_ ? threads_->Decoration(rows[i].id) : nullptr;
    std::string line;
    if (thread_row != nullptr) {
      store::MessageSummary shown = rows[i];
      if (thread_row->hidden_unread) shown.flags &= ~store::kFlagSeen;  // N: unread inside
      const std::string subject = ThreadSubject(*thread_row);
      line = options_.index_format.Render({.summary = shown,
                                           .tagged = tags_.Contains(shown.id),
                                           .show_recipient = sent,
                                           .subject = subject},
                                          BodyColumns(), clock_);
    } else {
      line = options_.index_format.Render(
          {.summary = rows[i], .tagged = tags_.Contains(rows[i].id), .show_recipient = sent},
          BodyColumns(), clock_);
    }
    terminal_.Put(1 + static_cast<int>(i), BodyLeft(), line, style);
  }
  if (rows.empty()) {
    terminal_.Put(1, BodyLeft(), "(no messages)", colors().Of(ColorObject::kNormal));
  }
}

void App::DrawSidebar() {
  const int used = BodyLeft();
  if (used == 0) return;
  // NeoMutt's divider: a line-drawing bar where the locale can show it.
  const std::string_view divider = options_.utf8 ? "\u2502" : "|";
  const std::vector<SidebarRow> rows =
      sidebar_.Rows(folders_, folder_.id, BodyHeight(), terminal_.Columns());
  for (int row = 0; row < BodyHeight(); ++row) {
    const size_t index = static_cast<size_t>(row);
    if (index < rows.size()) {
      const SidebarRow& shown = rows[index];
      const ColorObject object = shown.highlighted  ? ColorObject::kSidebarHighlight
                                 : shown.open       ? ColorObject::kSidebarIndicator
                                 : shown.has_unread ? ColorObject::kSidebarNew
                                                    : ColorObject::kNormal;
      terminal_.Put(1 + row, 0, shown.text, colors().Of(object));
    }
    terminal_.Put(1 + row, used - 1, divider, colors().Of(ColorObject::kSidebarDivider));
  }
}

void App::DrawPager(const PagerModel& pager) {
  const bool beside_sidebar = &pager == &pager_;
  const int left = beside_sidebar ? BodyLeft() : 0;
  const int columns = beside_sidebar ? BodyColumns() : terminal_.Columns();
  const std::vector<DisplayLine>& rows = pager.rows();
  for (int screen_row = 0; screen_row < pager.height(); ++screen_row) {
    const size_t index = static_cast<size_t>(pager.top() + screen_row);
    if (index >= rows.size()) break;
    const DisplayLine& row = rows[index];
    const int y = 1 + screen_row;
    int x = 0;
    if (row.continuation) {
      terminal_.Put(y, left, "+", colors().Of(ColorObject::kMarkers));
      x = 1;
    }
    if (row.label_columns > 0) {
      const std::string label = TruncateToWidth(row.text, row.label_columns);
      terminal_.Put(y, left + x, label, colors().Of(ColorObject::kHeader));
      terminal_.Put(y, left + x + DisplayWidth(label),
                    TruncateToWidth(std::string_view(row.text).substr(label.size()),
                                    columns - x - DisplayWidth(label)),
                    colors().Of(ColorObject::kNormal));
      continue;
    }
    terminal_.Put(y, left + x, TruncateToWidth(row.text, columns - x), StyleOf(row, colors()));
  }
  DrawSearchMatches(pager, left, columns);
}

void App::DrawSearchMatches(const PagerModel& pager, int left, int columns) {
  const Style& found = colors().Of(ColorObject::kSearch);
  for (int screen_row = 0; screen_row < pager.height(); ++screen_row) {
    const int index = pager.top() + screen_row;
    if (index >= static_cast<int>(pager.rows().size())) break;
    const DisplayLine& row = pager.rows()[static_cast<size_t>(index)];
    for (const TextMatch& match : pager.MatchesOn(index)) {
      const int x = (row.continuation ? 1 : 0) +
                    DisplayWidth(std::string_view(row.text).substr(0, match.start));
      if (x >= columns) break;
      terminal_.Put(1 + screen_row, left + x,
                    TruncateToWidth(std::string_view(row.text).substr(match.start, match.length),
                                    columns - x),
                    found);
    }
  }
}

void App::DrawMessageLine() {
  const int row = terminal_.Rows() - 1;
  if (!prompt_.empty()) {
    // The label, then as much of the typed text as fits, its end (where the cursor is) kept.
    std::string shown = TruncateToWidth(prompt_, terminal_.Columns() - 1);
    shown += TailToWidth(prompt_input_, terminal_.Columns() - 1 - DisplayWidth(shown));
    terminal_.Put(row, 0, shown, colors().Of(ColorObject::kMessage));
    terminal_.SetCursor(row, DisplayWidth(shown));
    return;
  }
  terminal_.SetCursor(row, -1);
  terminal_.Put(row, 0, TruncateToWidth(message_line_, terminal_.Columns()),
                colors().Of(ColorObject::kMessage));
}

}  // namespace pigeon::mua::ui

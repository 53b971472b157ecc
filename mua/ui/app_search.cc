// App's limit, search and pattern commands (see app.h): the user's query (the store's search
// language, view_query.h) goes to the store, AND the limit, with a keyset cursor: nothing here
// scans the folder. The pager's search looks in the shown text instead (pager_model.h).
#include <fmt/format.h>

#include "mua/ui/app.h"
#include "mua/ui/display_width.h"
#include "mua/ui/view_query.h"

namespace pigeon::mua::ui {

std::optional<std::string> App::AskQuery(std::string_view label, std::string& text) {
  std::optional<std::string> answer = AskLine(std::string(label), text, {});
  if (!answer || answer->empty()) return std::nullopt;
  text = *answer;
  Result<std::string> query = NormalizeQuery(*answer);
  if (!query) {
    Report(query.error());
    return std::nullopt;
  }
  return *query;
}

void App::ReportQueryError(const Error& error) {
  if (error.code == ErrorCode::kCancelled) {
    message_line_ = "Search stopped.";
    return;
  }
  Report(error);
}

void App::ShowNotice(std::string_view text) {
  const int row = terminal_.Rows() - 1;
  terminal_.Put(row, 0, FitToWidth(text, terminal_.Columns()), colors().Of(ColorObject::kMessage));
  terminal_.Present();
}

void App::Limit() {
  std::optional<std::string> typed = AskLine("Limit to messages matching: ", limit_text_, {});
  if (!typed) return;
  std::string limit;
  if (!MeansEveryMessage(*typed)) {
    Result<std::string> query = NormalizeQuery(*typed);
    if (!query) return Report(query.error());
    limit = std::move(*query);
  }
  const std::string before = source_->limit();
  source_->SetLimit(limit);
  if (Result<void> refreshed = Watched("Limiting", [this] { return index_->Refresh(); });
      !refreshed) {
    // Refused by the store, or stopped with ^G: the view stays as it was.
    source_->SetLimit(before);
    Report(refreshed.error());
    if (refreshed.error().code == ErrorCode::kCancelled) message_line_ = "Limit stopped.";
    if (Result<void> again = index_->Refresh(); !again) Report(again.error());
    return;
  }
  limit_text_ = limit.empty() ? "" : *typed;
  CountShown();
  if (index_->Selected() == nullptr) message_line_ = "No messages matched criteria.";
}

void App::SearchIndex(bool ask) {
  std::optional<std::string> query;
  if (ask || search_text_.empty()) {
    query = AskQuery("Search for: ", search_text_);
  } else if (Result<std::string> again = NormalizeQuery(search_text_); again) {
    query = *again;
  } else {
    Report(again.error());
  }
  if (!query) return;
  Result<Moved> moved = Watched("Searching", [&] { return index_->Search(*query); });
  if (!moved) return ReportQueryError(moved.error());
  if (*moved == Moved::kNo) message_line_ = "Not found.";
  if (*moved == Moved::kWrapped) message_line_ = "Search wrapped to top.";
}

void App::SearchPager(bool ask) {
  Found found;
  if (ask || pager_search_text_.empty()) {
    std::optional<std::string> text = AskLine("Search for: ", pager_search_text_, {});
    if (!text || text->empty()) return;
    pager_search_text_ = *text;
    found = pager_.Search(pager_search_text_);
  } else if (pager_.search().empty()) {  // another message, or the last search found nothing
    found = pager_.Search(pager_search_text_);
  } else {
    found = pager_.SearchNext();
  }
  if (found == Found::kNo) message_line_ = "Not found.";
  if (found == Found::kWrapped) message_line_ = "Search wrapped to top.";
}

void App::RunPatternCommand(Op op) {
  std::optional<std::string> typed = AskLine(std::string(PatternPrompt(op)), "", {});
  if (!typed || typed->empty()) return;
  std::string query;  // "all": every message shown
  if (!MeansEveryMessage(*typed)) {
    Result<std::string> normalized = NormalizeQuery(*typed);
    if (!normalized) return Report(normalized.error());
    query = std::move(*normalized);
  }
  Result<std::vector<int64_t>> ids =
      Watched("Searching", [&] { return source_->AllMatching(query); });
  if (!ids) return ReportQueryError(ids.error());
  if (ids->empty()) {
    message_line_ = "No messages matched criteria.";
    return;
  }
  if (op == Op::kTagPattern) {
    tags_.Tag(*ids);
  } else if (op == Op::kUntagPattern) {
    tags_.Forget(*ids);
  } else if (Result<void> written = WriteFlags(op, *FlagEditFor(op), *ids); !written) {
    return Report(written.error());
  }
  Reload();
  if (message_line_.empty()) message_line_ = PatternOutcome(op, ids->size());
}

}  // namespace pigeon::mua::ui

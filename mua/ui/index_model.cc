// See index_model.h. Every movement that leaves the window ends in Anchor(), which reads at
// most 2 * height rows by key: two index range scans in the store.
#include "mua/ui/index_model.h"

#include <algorithm>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

using store::MessageSummary;

RowKey KeyOf(const MessageSummary& row) {
  return RowKey{row.date, row.id, row.thread_date, row.thread_id, false};
}

// A key just before `row`, so that After() includes `row` itself.
RowKey JustBefore(const MessageSummary& row) {
  RowKey key = KeyOf(row);
  key.inclusive = true;
  return key;
}

bool Deleted(const MessageSummary& row) { return (row.flags & store::kFlagDeleted) != 0; }

// Pages scanned looking for an undeleted message before giving up (a folder of deleted mail).
constexpr int kMaxPagesScanned = 1000;

}  // namespace

Result<void> IndexModel::Anchor(const MessageSummary& target, int screen_row) {
  Result<std::vector<MessageSummary>> after = source_.After(JustBefore(target), height_);
  if (!after) return tl::unexpected(after.error());
  Result<std::vector<MessageSummary>> before = source_.Before(KeyOf(target), height_);
  if (!before) return tl::unexpected(before.error());
  const int have_before = static_cast<int>(before->size());
  const int have_after = static_cast<int>(after->size());
  int take_before = std::min(std::clamp(screen_row, 0, height_ - 1), have_before);
  const int take_after = std::min(height_ - take_before, have_after);
  take_before = std::min(have_before, height_ - take_after);  // fill the screen from above
  rows_.assign(before->rbegin() + (have_before - take_before), before->rend());
  rows_.insert(rows_.end(), after->begin(), after->begin() + take_after);
  if (rows_.empty()) {
    cursor_ = -1;
  } else {
    cursor_ = take_after > 0 ? take_before : take_before - 1;
  }
  return {};
}

Result<void> IndexModel::Open(int height, bool at_top) {
  height_ = std::max(1, height);
  Result<std::optional<MessageSummary>> unread = source_.NextUnread(std::nullopt);
  if (!unread) return tl::unexpected(unread.error());
  if (*unread) return Anchor(**unread, 0);
  Result<Moved> end = at_top ? First() : Last();
  if (!end) return tl::unexpected(end.error());
  return {};
}

Result<void> IndexModel::OpenAt(int height, const MessageSummary& row, int screen_row) {
  height_ = std::max(1, height);
  Result<MessageSummary> current = source_.Current(row);
  if (!current) return tl::unexpected(current.error());
  return Anchor(*current, std::clamp(screen_row, 0, height_ - 1));
}

Result<void> IndexModel::Resize(int height) {
  height_ = std::max(1, height);
  if (rows_.empty()) {
    Result<Moved> last = Last();
    if (!last) return tl::unexpected(last.error());
    return {};
  }
  Result<MessageSummary> selected = source_.Current(*Selected());
  if (!selected) return tl::unexpected(selected.error());
  return Anchor(*selected, std::min(cursor_, height_ - 1));
}

Result<void> IndexModel::Refresh() { return Resize(height_); }

Result<Moved> IndexModel::SelectIf(int index, bool skip_deleted) {
  const int size = static_cast<int>(rows_.size());
  if (index < 0 || index >= size) return Moved::kNo;
  if (skip_deleted && Deleted(rows_[static_cast<size_t>(index)])) return Moved::kNo;
  cursor_ = index;
  return Moved::kYes;
}

Result<Moved> IndexModel::Next(bool skip_deleted) {
  if (rows_.empty()) return Moved::kNo;
  for (int i = cursor_ + 1; i < static_cast<int>(rows_.size()); ++i) {
    if (*SelectIf(i, skip_deleted) == Moved::kYes) return Moved::kYes;
  }
  RowKey key = KeyOf(rows_.back());
  for (int pages = 0; pages < kMaxPagesScanned; ++pages) {
    Result<std::vector<MessageSummary>> page = source_.After(key, height_);
    if (!page) return tl::unexpected(page.error());
    if (page->empty()) return Moved::kNo;
    for (const MessageSummary& row : *page) {
      if (skip_deleted && Deleted(row)) continue;
      Result<void> anchored = Anchor(row, 0);
      if (!anchored) return tl::unexpected(anchored.error());
      return Moved::kYes;
    }
    key = KeyOf(page->back());
  }
  return Moved::kNo;
}

Result<Moved> IndexModel::Previous(bool skip_deleted) {
  if (rows_.empty()) return Moved::kNo;
  for (int i = cursor_ - 1; i >= 0; --i) {
    if (*SelectIf(i, skip_deleted) == Moved::kYes) return Moved::kYes;
  }
  RowKey key = KeyOf(rows_.front());
  for (int pages = 0; pages < kMaxPagesScanned; ++pages) {
    Result<std::vector<MessageSummary>> page = source_.Before(key, height_);
    if (!page) return tl::unexpected(page.error());
    if (page->empty()) return Moved::kNo;
    for (const MessageSummary& row : *page) {
      if (skip_deleted && Deleted(row)) continue;
      Result<void> anchored = Anchor(row, height_ - 1);
      if (!anchored) return tl::unexpected(anchored.error());
      return Moved::kYes;
    }
    key = KeyOf(page->back());
  }
  return Moved::kNo;
}

Result<Moved> IndexModel::NextPage() {
  if (rows_.empty()) return Moved::kNo;
  Result<std::vector<MessageSummary>> next = source_.After(KeyOf(rows_.back()), 1);
  if (!next) return tl::unexpected(next.error());
  if (next->empty()) return BottomOfPage();
  Result<void> anchored = Anchor(next->front(), 0);
  if (!anchored) return tl::unexpected(anchored.error());
  return Moved::kYes;
}

Result<Moved> IndexModel::PreviousPage() {
  if (rows_.empty()) return Moved::kNo;
  Result<std::vector<MessageSummary>> previous = source_.Before(KeyOf(rows_.front()), 1);
  if (!previous) return tl::unexpected(previous.error());
  if (previous->empty()) return TopOfPage();
  Result<void> anchored = Anchor(previous->front(), height_ - 1);
  if (!anchored) return tl::unexpected(anchored.error());
  return Moved::kYes;
}

Result<Moved> IndexModel::First() {
  Result<std::vector<MessageSummary>> first = source_.After(std::nullopt, height_);
  if (!first) return tl::unexpected(first.error());
  const bool moved = !first->empty() && (rows_.empty() || Selected()->id != first->front().id);
  rows_ = std::move(*first);
  cursor_ = rows_.empty() ? -1 : 0;
  return moved ? Moved::kYes : Moved::kNo;
}

Result<Moved> IndexModel::Last() {
  Result<std::vector<MessageSummary>> last = source_.Before(std::nullopt, height_);
  if (!last) return tl::unexpected(last.error());
  const bool moved = !last->empty() && (rows_.empty() || Selected()->id != last->front().id);
  rows_.assign(last->rbegin(), last->rend());
  cursor_ = static_cast<int>(rows_.size()) - 1;
  return moved ? Moved::kYes : Moved::kNo;
}

Moved IndexModel::TopOfPage() {
  if (rows_.empty() || cursor_ == 0) return Moved::kNo;
  cursor_ = 0;
  return Moved::kYes;
}

Moved IndexModel::MiddleOfPage() {
  const int middle = (static_cast<int>(rows_.size()) - 1) / 2;
  if (rows_.empty() || cursor_ == middle) return Moved::kNo;
  cursor_ = middle;
  return Moved::kYes;
}

Moved IndexModel::BottomOfPage() {
  const int last = static_cast<int>(rows_.size()) - 1;
  if (rows_.empty() || cursor_ == last) return Moved::kNo;
  cursor_ = last;
  return Moved::kYes;
}

Result<Moved> IndexModel::SelectFound(const MessageSummary& found, Moved how) {
  for (int i = 0; i < static_cast<int>(rows_.size()); ++i) {
    if (rows_[static_cast<size_t>(i)].id == found.id) {
      cursor_ = i;
      return how;
    }
  }
  Result<void> anchored = Anchor(found, 0);
  if (!anchored) return tl::unexpected(anchored.error());
  return how;
}

Result<Moved> IndexModel::NextUnread() {
  if (rows_.empty()) return Moved::kNo;
  const int64_t current = Selected()->id;
  Result<std::optional<MessageSummary>> unread = source_.NextUnread(KeyOf(*Selected()));
  if (!unread) return tl::unexpected(unread.error());
  Moved how = Moved::kYes;
  if (!*unread) {
    unread = source_.NextUnread(std::nullopt);
    if (!unread) return tl::unexpected(unread.error());
    if (!*unread || (*unread)->id == current) return Moved::kNo;
    how = Moved::kWrapped;
  }
  return SelectFound(**unread, how);
}

Result<Moved> IndexModel::Search(std::string_view query) {
  if (rows_.empty()) return Moved::kNo;
  Result<std::optional<MessageSummary>> found = source_.FirstMatching(query, KeyOf(*Selected()));
  if (!found) return tl::unexpected(found.error());
  Moved how = Moved::kYes;
  if (!*found) {
    found = source_.FirstMatching(query, std::nullopt);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return Moved::kNo;
    how = Moved::kWrapped;
  }
  return SelectFound(**found, how);
}

}  // namespace pigeon::mua::ui

// The index screen's state without a terminal: which messages of the folder are on screen
// (a window of at most `height` rows) and which one is selected. Rows come from an
// IndexSource a page at a time by key (date, id), never by position, so a 1M-message folder
// costs what a 10-message one does: only the visible rows (plus one look-ahead row) are read.
// Movement follows mutt with $menu_scroll unset: leaving the window shows the next or
// previous page; unlike mutt, the last page is filled from above rather than left half empty,
// so the screen is always full when the folder is.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/store/store.h"
#include "common/util/result.h"

namespace pigeon::mua::ui {

// Where a row sorts: by date, then id (the store's keyset order); in a threaded order by its
// thread's (date, id) first (threaded_index_source.h). `inclusive`: the row itself is the
// first one after (or the last one before) the key.
struct RowKey {
  int64_t date = 0;
  int64_t id = 0;
  int64_t thread_date = 0;
  int64_t thread_id = 0;
  bool inclusive = false;
};

// The rows of one folder in display order. Implemented over the Store (store_index_source.h,
// threaded_index_source.h) and by a vector in tests.
class IndexSource {
 public:
  virtual ~IndexSource() = default;
  // `row` as it sorts now (a threaded order moves a thread when mail arrives in it); the row
  // itself where the order cannot change.
  virtual Result<store::MessageSummary> Current(const store::MessageSummary& row) { return row; }
  // Up to `limit` rows after `after` (exclusive), in order; nullopt: from the first row.
  virtual Result<std::vector<store::MessageSummary>> After(std::optional<RowKey> after,
                                                           int limit) = 0;
  // Up to `limit` rows before `before` (exclusive), nearest first; nullopt: from the last row.
  virtual Result<std::vector<store::MessageSummary>> Before(std::optional<RowKey> before,
                                                            int limit) = 0;
  // The first unread, undeleted row after `after` (nullopt: from the first row).
  virtual Result<std::optional<store::MessageSummary>> NextUnread(std::optional<RowKey> after) = 0;
  // The first row after `after` (nullopt: from the first row) that matches `query` too: the
  // store's search language, already checked (view_query.h).
  virtual Result<std::optional<store::MessageSummary>> FirstMatching(
      std::string_view query, std::optional<RowKey> after) = 0;
  // The ids of every row that matches `query` too, in order (a pattern command's targets).
  virtual Result<std::vector<int64_t>> AllMatching(std::string_view query) = 0;
};

enum class Moved { kYes, kNo, kWrapped };

class IndexModel {
 public:
  // `source` must outlive the model. Nothing is read before Open().
  explicit IndexModel(IndexSource& source) : source_(source) {}

  // Selects the first unread message, else the last one (the first one with `at_top`, for a
  // reversed order: mutt's choice on opening a folder).
  Result<void> Open(int height, bool at_top = false);
  // Selects `row` (as it sorts now: IndexSource::Current), at `screen_row` when it can: the
  // same message after the order changed.
  Result<void> OpenAt(int height, const store::MessageSummary& row, int screen_row);
  // Selects `row`, read from the source (in the window when it is there).
  Result<Moved> Select(const store::MessageSummary& row) { return SelectFound(row, Moved::kYes); }
  // Keeps the selected message selected, at the same screen row when it can.
  Result<void> Resize(int height);
  // Re-reads the window after the folder changed: the selected message stays selected (at its
  // screen row); when it is gone, the message that took its place is.
  Result<void> Refresh();

  // Next/previous message; `skip_deleted` for mutt's next-undeleted (j, Down).
  Result<Moved> Next(bool skip_deleted);
  Result<Moved> Previous(bool skip_deleted);
  Result<Moved> NextPage();
  Result<Moved> PreviousPage();
  Result<Moved> First();
  Result<Moved> Last();
  // H, M, L: within the window, no reading.
  Moved TopOfPage();
  Moved MiddleOfPage();
  Moved BottomOfPage();
  // The next unread message after the selected one, wrapping to the top (kWrapped) once.
  Result<Moved> NextUnread();
  // mutt's search: the next row after the selected one that matches `query` (as in
  // IndexSource), else the first from the top (kWrapped; the selected row itself comes last);
  // kNo when no row matches. One keyset read of one row, two when it wraps.
  Result<Moved> Search(std::string_view query);

  const std::vector<store::MessageSummary>& rows() const { return rows_; }
  int height() const { return height_; }
  // Index of the selected row in rows(), -1 when the folder is empty.
  int cursor() const { return cursor_; }
  const store::MessageSummary* Selected() const {
    return cursor_ >= 0 ? &rows_[static_cast<size_t>(cursor_)] : nullptr;
  }

 private:
  // Fills the window around `target` (or, when it is gone, the row after where it was) so
  // that it shows on `screen_row` if rows before and after allow, and selects it.
  Result<void> Anchor(const store::MessageSummary& target, int screen_row);
  Result<Moved> SelectIf(int index, bool skip_deleted);
  // Selects `found` (in the window when it is there, else a window anchored on it).
  Result<Moved> SelectFound(const store::MessageSummary& found, Moved how);

  IndexSource& source_;
  std::vector<store::MessageSummary> rows_;
  int cursor_ = -1;
  int height_ = 1;
};

}  // namespace pigeon::mua::ui

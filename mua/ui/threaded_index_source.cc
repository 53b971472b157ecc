// See threaded_index_source.h. A thread's place is its (date, id) in the reader's order; the
// rows within it come from thread_art.h. Reading "past" a thread uses a cursor at the end of it
// (date and id at their maximum), reading a thread from its start one before its first row.
#include "mua/ui/threaded_index_source.h"

#include <algorithm>
#include <limits>

namespace pigeon::mua::ui {
namespace {

using store::MessageSummary;
using store::PageCursor;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
// Messages read a call while a thread is read whole.
constexpr int kThreadChunk = 256;
// Rows whose art is kept for drawing: far more than a screen.
constexpr size_t kMostDecorations = 4096;
// Messages read a call by AllMatching.
constexpr int kMatchingChunk = 20000;

bool SameThread(const MessageSummary& a, const MessageSummary& b) {
  return a.thread_id == b.thread_id && a.thread_date == b.thread_date;
}

std::optional<size_t> IndexOf(const std::vector<ThreadRow>& rows, int64_t id) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].message.id == id) return i;
  }
  return std::nullopt;
}

// The first row after `key` in its own thread's rows. A key not among them (gone, or hidden in
// a collapsed thread) stands for the thread's start when inclusive, else for its end.
size_t FirstAfter(const std::vector<ThreadRow>& rows, const RowKey& key) {
  std::optional<size_t> at = IndexOf(rows, key.id);
  if (!at) return key.inclusive ? 0 : rows.size();
  return key.inclusive ? *at : *at + 1;
}

// How many rows of the thread come before `key` (the keyed row too when inclusive).
size_t CountBefore(const std::vector<ThreadRow>& rows, const RowKey& key) {
  std::optional<size_t> at = IndexOf(rows, key.id);
  if (!at) return 0;
  return key.inclusive ? *at + 1 : *at;
}

}  // namespace

bool ThreadedIndexSource::Collapsed(int64_t thread_id) const {
  return all_collapsed_ != toggled_.contains(thread_id);
}

void ThreadedIndexSource::ToggleThread(int64_t thread_id) {
  if (!toggled_.erase(thread_id)) toggled_.insert(thread_id);
}

void ThreadedIndexSource::ToggleAll() {
  all_collapsed_ = !all_collapsed_;
  toggled_.clear();
}

void ThreadedIndexSource::Expand(int64_t thread_id) {
  if (Collapsed(thread_id)) ToggleThread(thread_id);
}

const ThreadRow* ThreadedIndexSource::Decoration(int64_t id) const {
  for (const auto* rows : {&decorations_, &older_decorations_}) {
    auto found = rows->find(id);
    if (found != rows->end()) return &found->second;
  }
  return nullptr;
}

void ThreadedIndexSource::Remember(const std::vector<ThreadRow>& rows) {
  if (decorations_.size() + rows.size() > kMostDecorations) {
    // Two generations: the rows of the read before the last one are still on screen.
    older_decorations_ = std::move(decorations_);
    decorations_.clear();
  }
  for (const ThreadRow& row : rows) {
    older_decorations_.erase(row.message.id);
    decorations_.insert_or_assign(row.message.id, row);
  }
}

Result<std::vector<ThreadRow>> ThreadedIndexSource::ReadThread(ThreadKey thread,
                                                               std::string_view query,
                                                               bool collapse) {
  std::vector<MessageSummary> messages;
  PageCursor cursor{kMin, kMin, thread.date, thread.id};
  for (;;) {
    Result<std::vector<MessageSummary>> page =
        reader_.ThreadPage(cursor, newest_first_, kThreadChunk, query);
    if (!page) return tl::unexpected(page.error());
    bool ended = static_cast<int>(page->size()) < kThreadChunk;
    for (MessageSummary& message : *page) {
      if (message.thread_id != thread.id || message.thread_date != thread.date) {
        ended = true;
        break;
      }
      messages.push_back(std::move(message));
    }
    if (ended || messages.empty()) break;
    cursor = store::CursorAfter(messages.back());
  }
  std::vector<ThreadRow> rows =
      ThreadRows(std::move(messages), utf8_, collapse && Collapsed(thread.id));
  if (query.empty() && collapse) Remember(rows);  // what the index shows
  return rows;
}

Result<std::vector<MessageSummary>> ThreadedIndexSource::Page(std::optional<ThreadKey> past,
                                                              bool forward, int limit,
                                                              std::string_view query) {
  std::optional<PageCursor> cursor;
  if (past) cursor = PageCursor{kMax, kMax, past->date, past->id};
  return reader_.ThreadPage(cursor, forward ? newest_first_ : !newest_first_, limit, query);
}

Result<std::vector<std::vector<ThreadRow>>> ThreadedIndexSource::ThreadsFrom(
    std::optional<ThreadKey> after, bool forward, int want, std::string_view query) {
  std::vector<std::vector<ThreadRow>> threads;
  int have = 0;
  const int limit = std::max(want, 16);
  while (have < want) {
    Result<std::vector<MessageSummary>> page = Page(after, forward, limit, query);
    if (!page) return tl::unexpected(page.error());
    if (page->empty()) break;
    const bool full = static_cast<int>(page->size()) == limit;
    for (size_t start = 0; start < page->size() && have < want;) {
      size_t end = start + 1;
      while (end < page->size() && SameThread((*page)[end], (*page)[start])) ++end;
      const ThreadKey thread{(*page)[start].thread_date, (*page)[start].thread_id};
      std::vector<ThreadRow> rows;
      if (full && end == page->size()) {  // the page may have cut it: read it whole
        Result<std::vector<ThreadRow>> whole = ReadThread(thread, query, true);
        if (!whole) return tl::unexpected(whole.error());
        rows = std::move(*whole);
      } else {
        std::vector<MessageSummary> messages(page->begin() + static_cast<std::ptrdiff_t>(start),
                                             page->begin() + static_cast<std::ptrdiff_t>(end));
        rows = ThreadRows(std::move(messages), utf8_, Collapsed(thread.id));
        if (query.empty()) Remember(rows);
      }
      have += static_cast<int>(rows.size());
      threads.push_back(std::move(rows));
      after = thread;
      start = end;
    }
    if (!full) break;
  }
  return threads;
}

Result<std::vector<MessageSummary>> ThreadedIndexSource::After(std::optional<RowKey> after,
                                                               int limit) {
  std::vector<MessageSummary> out;
  std::optional<ThreadKey> from;
  if (after) {
    from = ThreadKey{after->thread_date, after->thread_id};
    Result<std::vector<ThreadRow>> rows = ReadThread(*from, "", true);
    if (!rows) return tl::unexpected(rows.error());
    for (size_t i = FirstAfter(*rows, *after); i < rows->size(); ++i) {
      if (static_cast<int>(out.size()) == limit) return out;
      out.push_back((*rows)[i].message);
    }
  }
  const int want = limit - static_cast<int>(out.size());
  if (want <= 0) return out;
  Result<std::vector<std::vector<ThreadRow>>> threads = ThreadsFrom(from, true, want, "");
  if (!threads) return tl::unexpected(threads.error());
  for (const std::vector<ThreadRow>& thread : *threads) {
    for (const ThreadRow& row : thread) {
      if (static_cast<int>(out.size()) == limit) return out;
      out.push_back(row.message);
    }
  }
  return out;
}

Result<std::vector<MessageSummary>> ThreadedIndexSource::Before(std::optional<RowKey> before,
                                                                int limit) {
  std::vector<MessageSummary> out;
  std::optional<ThreadKey> from;
  if (before) {
    from = ThreadKey{before->thread_date, before->thread_id};
    Result<std::vector<ThreadRow>> rows = ReadThread(*from, "", true);
    if (!rows) return tl::unexpected(rows.error());
    for (size_t i = CountBefore(*rows, *before); i-- > 0;) {
      if (static_cast<int>(out.size()) == limit) return out;
      out.push_back((*rows)[i].message);
    }
  }
  const int want = limit - static_cast<int>(out.size());
  if (want <= 0) return out;
  Result<std::vector<std::vector<ThreadRow>>> threads = ThreadsFrom(from, false, want, "");
  if (!threads) return tl::unexpected(threads.error());
  for (const std::vector<ThreadRow>& thread : *threads) {
    for (auto row = thread.rbegin(); row != thread.rend(); ++row) {
      if (static_cast<int>(out.size()) == limit) return out;
      out.push_back(row->message);
    }
  }
  return out;
}

Result<MessageSummary> ThreadedIndexSource::Current(const MessageSummary& row) {
  Result<std::optional<MessageSummary>> now = reader_.CurrentThreadRow(row.id);
  if (!now) return tl::unexpected(now.error());
  return *now ? **now : row;
}

Result<std::optional<MessageSummary>> ThreadedIndexSource::NextUnread(std::optional<RowKey> after) {
  Result<std::optional<MessageSummary>> oldest = reader_.OldestUnread();
  if (!oldest || !*oldest) return oldest;  // none at all: no scan in thread order
  if (!after) {
    if (Collapsed((*oldest)->thread_id)) Expand((*oldest)->thread_id);
    return oldest;
  }
  return FirstMatching(reader_.UnreadQuery(), after);
}

Result<std::optional<MessageSummary>> ThreadedIndexSource::FirstMatching(
    std::string_view query, std::optional<RowKey> after) {
  // Within one thread: the first row of its whole (uncollapsed) order from `start` that
  // matches; a collapsed thread is expanded to show a match below its first row.
  auto match_in = [&](ThreadKey thread,
                      std::optional<RowKey> key) -> Result<std::optional<MessageSummary>> {
    Result<std::vector<ThreadRow>> rows = ReadThread(thread, "", false);
    if (!rows) return tl::unexpected(rows.error());
    Result<std::vector<ThreadRow>> matching = ReadThread(thread, query, false);
    if (!matching) return tl::unexpected(matching.error());
    for (size_t i = key ? FirstAfter(*rows, *key) : 0; i < rows->size(); ++i) {
      if (!IndexOf(*matching, (*rows)[i].message.id)) continue;
      if (i > 0) Expand(thread.id);
      return std::optional<MessageSummary>((*rows)[i].message);
    }
    return std::optional<MessageSummary>();
  };
  std::optional<ThreadKey> from;
  if (after) {
    from = ThreadKey{after->thread_date, after->thread_id};
    RowKey key = *after;
    key.inclusive = false;
    Result<std::optional<MessageSummary>> found = match_in(*from, key);
    if (!found || *found) return found;
  }
  for (;;) {
    Result<std::vector<MessageSummary>> next = Page(from, true, 1, query);
    if (!next) return tl::unexpected(next.error());
    if (next->empty()) return std::optional<MessageSummary>();
    from = ThreadKey{next->front().thread_date, next->front().thread_id};
    Result<std::optional<MessageSummary>> found = match_in(*from, std::nullopt);
    if (!found || *found) return found;
  }
}

Result<std::vector<int64_t>> ThreadedIndexSource::AllMatching(std::string_view query) {
  std::vector<int64_t> ids;
  std::optional<PageCursor> cursor;
  for (;;) {
    Result<std::vector<MessageSummary>> page =
        reader_.ThreadPage(cursor, newest_first_, kMatchingChunk, query);
    if (!page) return tl::unexpected(page.error());
    for (const MessageSummary& row : *page) ids.push_back(row.id);
    if (static_cast<int>(page->size()) < kMatchingChunk) return ids;
    cursor = store::CursorAfter(page->back());
  }
}

Result<std::optional<MessageSummary>> ThreadedIndexSource::AdjacentThread(const MessageSummary& row,
                                                                          bool forward) {
  Result<std::vector<std::vector<ThreadRow>>> threads =
      ThreadsFrom(ThreadKey{row.thread_date, row.thread_id}, forward, 1, "");
  if (!threads) return tl::unexpected(threads.error());
  if (threads->empty() || threads->front().empty()) return std::optional<MessageSummary>();
  return std::optional<MessageSummary>(threads->front().front().message);
}

}  // namespace pigeon::mua::ui

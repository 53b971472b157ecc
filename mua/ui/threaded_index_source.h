// The index in thread order (mutt's sort=threads): whole threads by their latest message,
// oldest thread first (the newest at the bottom, as the date order has the newest message
// there) or, reversed, newest first; each thread in reply-tree order with its tree art
// (thread_art.h). Reads by keyset like the date order: a row's key is its thread's (date, id)
// and the row itself, a read takes the key's thread whole (a thread is small) and then whole
// threads from a ThreadPageReader until it has its rows, never the whole folder. Collapsed
// threads show as one row. Not thread-safe; one per open folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/store/store.h"
#include "mua/ui/index_model.h"
#include "mua/ui/thread_art.h"

namespace pigeon::mua::ui {

// The store's threaded pages (store.h, SortOrder::kThreads and kThreadsOldestFirst),
// implemented by StoreIndexSource and by a vector in tests.
class ThreadPageReader {
 public:
  virtual ~ThreadPageReader() = default;
  // Up to `limit` messages after `after`: threads by (thread date, thread id), newest or oldest
  // first, each thread's messages by (date, id); only those matching `query` (the store's
  // search language) and the limit, when set.
  virtual Result<std::vector<store::MessageSummary>> ThreadPage(
      std::optional<store::PageCursor> after, bool newest_first, int limit,
      std::string_view query) = 0;
  // Message `id` with its thread's current date; nullopt when it is gone.
  virtual Result<std::optional<store::MessageSummary>> CurrentThreadRow(int64_t id) = 0;
  // The oldest unread, undeleted message by date (within the limit), with its thread's date.
  virtual Result<std::optional<store::MessageSummary>> OldestUnread() = 0;
  // The query that finds unread, undeleted messages.
  virtual std::string_view UnreadQuery() const = 0;
};

class ThreadedIndexSource : public IndexSource {
 public:
  // `reader` must outlive the source. `newest_first`: mutt's reverse-threads.
  ThreadedIndexSource(ThreadPageReader& reader, bool newest_first, bool utf8)
      : reader_(reader), newest_first_(newest_first), utf8_(utf8) {}

  Result<store::MessageSummary> Current(const store::MessageSummary& row) override;
  Result<std::vector<store::MessageSummary>> After(std::optional<RowKey> after, int limit) override;
  Result<std::vector<store::MessageSummary>> Before(std::optional<RowKey> before,
                                                    int limit) override;
  // From the start (`after` nullopt: opening the folder, or wrapping around) it is the oldest
  // unread message by date rather than the first in thread order: the date index finds it at
  // once, where a scan in thread order would read every thread that has none (most of a large
  // folder whose new mail is in its newest threads).
  Result<std::optional<store::MessageSummary>> NextUnread(std::optional<RowKey> after) override;
  Result<std::optional<store::MessageSummary>> FirstMatching(std::string_view query,
                                                             std::optional<RowKey> after) override;
  Result<std::vector<int64_t>> AllMatching(std::string_view query) override;

  // The art, subject hiding and hidden count of a row read last (nullptr when it was not).
  const ThreadRow* Decoration(int64_t id) const;

  // mutt's collapse-thread and collapse-all (a toggle: all collapsed, else all expanded).
  void ToggleThread(int64_t thread_id);
  void ToggleAll();
  bool Collapsed(int64_t thread_id) const;
  // Expands the thread (a search or a display that lands in it, as mutt uncollapses).
  void Expand(int64_t thread_id);

  // The first row of the thread after (`forward`) or before the one of `row`; nullopt at the end.
  Result<std::optional<store::MessageSummary>> AdjacentThread(const store::MessageSummary& row,
                                                              bool forward);

 private:
  struct ThreadKey {
    int64_t date = 0;
    int64_t id = 0;
  };
  // The rows of one thread in display order (collapsed when it is), matching `query`.
  Result<std::vector<ThreadRow>> ReadThread(ThreadKey thread, std::string_view query,
                                            bool collapse);
  // The rows of whole threads after `after` (forward: in display order; else backwards, each
  // thread still top to bottom), until there are at least `want` rows or none are left.
  Result<std::vector<std::vector<ThreadRow>>> ThreadsFrom(std::optional<ThreadKey> after,
                                                          bool forward, int want,
                                                          std::string_view query);
  // The messages of one thread key (or the whole threads past it) in `forward` direction.
  Result<std::vector<store::MessageSummary>> Page(std::optional<ThreadKey> past, bool forward,
                                                  int limit, std::string_view query);
  // Index in `rows` of the first row at or after the key (by the key's row).
  static size_t Position(const std::vector<ThreadRow>& rows, const RowKey& key);
  void Remember(const std::vector<ThreadRow>& rows);

  ThreadPageReader& reader_;
  bool newest_first_;
  bool utf8_;
  bool all_collapsed_ = false;
  std::unordered_set<int64_t> toggled_;                 // threads collapsed unlike the rest
  std::unordered_map<int64_t, ThreadRow> decorations_;  // by message id, bounded
  std::unordered_map<int64_t, ThreadRow> older_decorations_;
};

}  // namespace pigeon::mua::ui

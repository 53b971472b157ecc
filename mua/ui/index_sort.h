// The index's orders (mutt's $sort): by date, oldest first, or by threads, the thread with
// the newest message last (mutt's sort=threads with sort_aux=last-date-received), and both
// reversed. Also the answer to the sort prompt ("Sort by (d)ate, (t)hreads?"). Pure.
#pragma once

#include <optional>
#include <string_view>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

struct IndexSort {
  bool threads = false;
  bool reverse = false;
  bool operator==(const IndexSort&) const = default;
};

// "date", "reverse-date", "threads", "reverse-threads" (the config's names); nullopt else.
std::optional<IndexSort> ParseIndexSort(std::string_view name);
std::string_view IndexSortName(IndexSort sort);

inline constexpr std::string_view kSortPrompt = "Sort by (d)ate, (t)hreads?";
inline constexpr std::string_view kReverseSortPrompt = "Reverse sort by (d)ate, (t)hreads?";

// What a key answers the prompt: a sort, kCancel (^G, Esc), or kAgain (any other key: the
// prompt stays, as mutt's does).
struct SortAnswer {
  enum class Kind { kSort, kCancel, kAgain } kind = Kind::kAgain;
  IndexSort sort;
};
SortAnswer AnswerSortPrompt(Key key, bool reverse);

}  // namespace pigeon::mua::ui

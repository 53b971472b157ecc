// One thread's rows as the threaded index shows them: reply-tree order (thread_tree.h) with
// mutt's tree art before the subject ("├─>", "└─>", "│ "; "|->", "`->", "| " without UTF-8),
// the subject left out where it repeats the parent's (mutt's $hide_thread_subject), and a
// collapsed thread reduced to its first row with the count of the rest. Pure: summaries in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/store/store.h"

namespace pigeon::mua::ui {

struct ThreadRow {
  store::MessageSummary message;
  std::string art;             // before the subject; "" for a root
  bool hide_subject = false;   // the same subject as its parent's
  int hidden = 0;              // collapsed: how many messages the row stands for besides itself
  bool hidden_unread = false;  // collapsed: one of those is unread
};

// The subject without its leading "Re:", "Fwd:", "Fw:" (any case, repeated) and spaces.
std::string_view BaseSubject(std::string_view subject);

// What the subject column shows: the art, "(N) " for a collapsed row, and the subject unless
// hidden.
std::string ThreadSubject(const ThreadRow& row);

// `messages`: one thread (any order). `utf8` picks the line-drawing characters.
std::vector<ThreadRow> ThreadRows(std::vector<store::MessageSummary> messages, bool utf8,
                                  bool collapsed);

}  // namespace pigeon::mua::ui

// See thread_art.h. The art of a reply at depth d is one column pair per ancestor level
// 1..d-1 ("│ " while that ancestor has a later sibling, else blanks) and its own corner.
#include "mua/ui/thread_art.h"

#include <cctype>

#include "common/store/schema.h"
#include "common/store/thread_tree.h"

namespace pigeon::mua::ui {
namespace {

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view TrimLeft(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

}  // namespace

std::string_view BaseSubject(std::string_view subject) {
  subject = TrimLeft(subject);
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view prefix : {"re:", "fwd:", "fw:"}) {
      if (StartsWithIgnoreCase(subject, prefix)) {
        subject = TrimLeft(subject.substr(prefix.size()));
        stripped = true;
      }
    }
  }
  while (!subject.empty() && subject.back() == ' ') subject.remove_suffix(1);
  return subject;
}

std::string ThreadSubject(const ThreadRow& row) {
  std::string text = row.art;
  if (row.hidden > 0) text += "(" + std::to_string(row.hidden) + ") ";
  if (!row.hide_subject) text += row.message.subject;
  return text;
}

std::vector<ThreadRow> ThreadRows(std::vector<store::MessageSummary> messages, bool utf8,
                                  bool collapsed) {
  const std::vector<store::ThreadNode> tree = store::BuildThreadTree(std::move(messages));
  const std::vector<store::ThreadLine> lines = store::FlattenThreadTree(tree);
  const std::string_view vertical = utf8 ? "│ " : "| ";
  const std::string_view tee = utf8 ? "├─>" : "|->";
  const std::string_view corner = utf8 ? "└─>" : "`->";
  std::vector<ThreadRow> rows;
  rows.reserve(lines.size());
  std::vector<bool> last_at_depth;           // per depth: the ancestor there is a last sibling
  std::vector<std::string_view> subject_at;  // per depth: the ancestor's base subject
  for (const store::ThreadLine& line : lines) {
    const size_t depth = static_cast<size_t>(line.depth);
    last_at_depth.resize(depth + 1);
    subject_at.resize(depth + 1);
    last_at_depth[depth] = line.last_sibling;
    subject_at[depth] = BaseSubject(line.message->subject);
    ThreadRow row{*line.message, "", false, 0, false};
    if (depth > 0) {
      for (size_t level = 1; level < depth; ++level) {
        row.art += last_at_depth[level] ? std::string_view("  ") : vertical;
      }
      row.art += line.last_sibling ? corner : tee;
      row.hide_subject = subject_at[depth] == subject_at[depth - 1];
    }
    rows.push_back(std::move(row));
  }
  if (collapsed && rows.size() > 1) {
    ThreadRow& first = rows.front();
    first.hidden = static_cast<int>(rows.size()) - 1;
    for (size_t i = 1; i < rows.size(); ++i) {
      if ((rows[i].message.flags & store::kFlagSeen) == 0) first.hidden_unread = true;
    }
    rows.resize(1);
  }
  return rows;
}

}  // namespace pigeon::mua::ui

// The attachments menu without curses (mutt's view-attachments): a message's MIME tree as
// numbered rows, one per part, with tree art for nesting, and a cursor over them. The top
// multipart is not a row (its parts are the top level, as in mutt); a nested multipart and a
// message/rfc822 part are rows with their parts below them. The tree is untrusted mail, so
// every text in a row is made printable; nothing here fails.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/message/mime.h"

namespace pigeon::mua::ui {

struct AttachmentRow {
  const message::Part* part = nullptr;  // into the message the rows were made from
  int number = 0;                       // 1, 2, …: what the menu and the pager call it
  int depth = 0;                        // 0 at the top level
  std::string tree;                     // "", "├─>", "│ └─>": mutt's tree art
  std::string description;              // Content-Description, else the file name, else the
                                        // enclosed message's subject, else "<no description>"
  int64_t size = 0;                     // decoded bytes of a leaf, raw bytes of a container
};

// mutt's attachment line: "  1 ├─>report.pdf      [application/pdf, base64, 12K]".
std::string FormatAttachmentRow(const AttachmentRow& row, int columns);

// The menu: the rows and a cursor with a page scrolled to keep it visible.
class AttachmentList {
 public:
  // Rows of `root`, which must outlive the list.
  static std::vector<AttachmentRow> Rows(const message::Part& root);

  void SetRows(std::vector<AttachmentRow> rows);
  void Layout(int height);

  const std::vector<AttachmentRow>& rows() const { return rows_; }
  // nullptr when there are no rows.
  const AttachmentRow* Selected() const;
  int cursor() const { return cursor_; }
  int top() const { return top_; }

  // Each returns false when it could not move.
  bool Next();
  bool Previous();
  bool First();
  bool Last();
  bool NextPage();
  bool PreviousPage();

 private:
  bool MoveTo(int row);

  std::vector<AttachmentRow> rows_;
  int cursor_ = 0;
  int top_ = 0;
  int height_ = 1;
};

// The parts of AttachmentList::Rows(root) in order (number 1 first), without the work of
// measuring their sizes: how the pager numbers its attachment notes as the menu does.
std::vector<const message::Part*> AttachmentOrder(const message::Part& root);

}  // namespace pigeon::mua::ui

// See attachment_list.h. The numbering is pre-order over the rows, so the pager's attachment
// notes (pager_model.cc) use AttachmentOrder to name a part as the menu does.
#include "mua/ui/attachment_list.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/message/charset.h"
#include "common/message/encoded_word.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {
namespace {

// The parts listed under `part`: a multipart's parts; for an enclosed message, the parts of
// its top multipart (as for the message itself), or its one body part.
std::vector<const message::Part*> ListedChildren(const message::Part& part) {
  std::vector<const message::Part*> out;
  if (part.IsMultipart()) {
    for (const message::Part& child : part.children) out.push_back(&child);
  } else if (part.IsMessage() && !part.children.empty()) {
    const message::Part& enclosed = part.children.front();
    if (enclosed.IsMultipart() && enclosed.IsContainer()) {
      for (const message::Part& child : enclosed.children) out.push_back(&child);
    } else {
      out.push_back(&enclosed);
    }
  }
  return out;
}

std::string Decoded(std::string_view header_value) {
  return message::SanitizeUtf8(
      message::DecodeEncodedWords(message::BytesToUtf8(header_value), nullptr));
}

std::string DescriptionOf(const message::Part& part) {
  if (std::optional<std::string> description = part.header.Get("Content-Description");
      description && !description->empty()) {
    return Decoded(*description);
  }
  if (part.filename && !part.filename->empty()) return message::SanitizeUtf8(*part.filename);
  if (part.IsMessage() && !part.children.empty()) {
    if (std::optional<std::string> subject = part.children.front().header.Get("Subject")) {
      return Decoded(*subject);
    }
  }
  return "<no description>";
}

void AddRows(const message::Part& part, int depth, const std::string& prefix, bool last,
             std::vector<AttachmentRow>& rows) {
  AttachmentRow row;
  row.part = &part;
  row.number = static_cast<int>(rows.size()) + 1;
  row.depth = depth;
  if (depth > 0) row.tree = prefix + (last ? "└─>" : "├─>");
  row.description = Printable(DescriptionOf(part));
  rows.push_back(std::move(row));
  const std::vector<const message::Part*> children = ListedChildren(part);
  const std::string child_prefix = depth == 0 ? "" : prefix + (last ? "  " : "│ ");
  for (size_t i = 0; i < children.size(); ++i) {
    AddRows(*children[i], depth + 1, child_prefix, i + 1 == children.size(), rows);
  }
}

// The rows without their sizes, which take decoding every part.
std::vector<AttachmentRow> Tree(const message::Part& root) {
  std::vector<AttachmentRow> rows;
  if (root.IsMultipart() && root.IsContainer()) {
    for (const message::Part& child : root.children) AddRows(child, 0, "", false, rows);
  } else {
    AddRows(root, 0, "", false, rows);
  }
  return rows;
}

}  // namespace

std::string FormatAttachmentRow(const AttachmentRow& row, int columns) {
  const message::Part& part = *row.part;
  std::string details = part.content_type + ", " + part.transfer_encoding;
  if (part.IsText() && part.charset) details += ", " + message::SanitizeUtf8(*part.charset);
  const std::string right = Printable(fmt::format(" [{}, {}] ", details, FormatSize(row.size)));
  const std::string left = fmt::format("{:>3} {}{}", row.number, row.tree, row.description);
  const int room = std::max(0, columns - DisplayWidth(right));
  return FitToWidth(FitToWidth(left, room) + right, columns);
}

std::vector<AttachmentRow> AttachmentList::Rows(const message::Part& root) {
  std::vector<AttachmentRow> rows = Tree(root);
  for (AttachmentRow& row : rows) {
    const message::Part& part = *row.part;
    row.size = part.IsContainer() ? static_cast<int64_t>(part.body.size())
                                  : static_cast<int64_t>(part.DecodedBody(nullptr).size());
  }
  return rows;
}

void AttachmentList::SetRows(std::vector<AttachmentRow> rows) {
  rows_ = std::move(rows);
  cursor_ = 0;
  top_ = 0;
}

void AttachmentList::Layout(int height) {
  height_ = std::max(1, height);
  MoveTo(cursor_);
}

const AttachmentRow* AttachmentList::Selected() const {
  if (rows_.empty()) return nullptr;
  return &rows_[static_cast<size_t>(cursor_)];
}

bool AttachmentList::MoveTo(int row) {
  const int last = std::max(0, static_cast<int>(rows_.size()) - 1);
  row = std::clamp(row, 0, last);
  const bool moved = row != cursor_;
  cursor_ = row;
  if (cursor_ < top_) top_ = cursor_;
  if (cursor_ >= top_ + height_) top_ = cursor_ - height_ + 1;
  return moved;
}

bool AttachmentList::Next() { return MoveTo(cursor_ + 1); }
bool AttachmentList::Previous() { return MoveTo(cursor_ - 1); }
bool AttachmentList::First() { return MoveTo(0); }
bool AttachmentList::Last() { return MoveTo(static_cast<int>(rows_.size()) - 1); }
bool AttachmentList::NextPage() { return MoveTo(cursor_ + height_); }
bool AttachmentList::PreviousPage() { return MoveTo(cursor_ - height_); }

std::vector<const message::Part*> AttachmentOrder(const message::Part& root) {
  std::vector<const message::Part*> parts;
  for (const AttachmentRow& row : Tree(root)) parts.push_back(row.part);
  return parts;
}

}  // namespace pigeon::mua::ui

// The compose screen's state, as mutt's compose menu shows it after the editor: the draft's
// header fields, its Fcc folder, the attached files with a cursor among them, and whether
// anything changed since the screen opened (q asks only then). Pure: files are read by the
// caller; this only holds and lays out what it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message/builder.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::ui {

// The fields the compose screen edits one at a time.
enum class ComposeField { kFrom, kTo, kCc, kBcc, kSubject, kReplyTo };
// The field's name in a message header: "From", "Reply-To".
std::string_view ComposeFieldName(ComposeField field);

// One line of the compose screen: a header field or an attachment (`attachment` its index).
struct ComposeRow {
  std::string text;
  std::optional<size_t> attachment;
};

class ComposeModel {
 public:
  // `fcc` is the folder the sent copy goes to ("" = Sent).
  ComposeModel(compose::EditableDraft draft, std::string fcc);

  const compose::EditableDraft& draft() const { return draft_; }
  const std::string& fcc() const { return fcc_; }
  // The draft as the editor gave it back (its attachments are kept: the editor shows none).
  void ReplaceFromEditor(compose::EditableDraft edited);
  std::string Field(ComposeField field) const;
  void SetField(ComposeField field, std::string value);
  void SetFcc(std::string fcc);
  // Adds a file and moves the cursor to it.
  void Attach(message::Attachment attachment);
  // Removes the attachment under the cursor; false when there is none.
  bool Detach();
  // Puts the attachment cursor on `cursor` (kept within the list).
  void SetCursor(size_t cursor);
  size_t cursor() const { return cursor_; }
  bool changed() const { return changed_; }
  // Changed before the screen opened (the editor on a copy kept in Drafts).
  void MarkChanged() { changed_ = true; }

  // The screen's lines: the header fields, then "-- Attachments" and one line per file.
  std::vector<ComposeRow> Rows() const;
  // About what the message will weigh on the wire (base64 makes attachments 4/3 larger).
  int64_t ApproximateSize() const;

 private:
  compose::EditableDraft draft_;
  std::string fcc_;
  size_t cursor_ = 0;
  bool changed_ = false;
};

}  // namespace pigeon::mua::ui

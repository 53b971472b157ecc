// See compose_model.h. The header labels are right-aligned as mutt's compose menu aligns them.
#include "mua/ui/compose_model.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/message/header.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {
namespace {

constexpr std::string_view kReplyTo = "Reply-To";

}  // namespace

ComposeModel::ComposeModel(compose::EditableDraft draft, std::string fcc)
    : draft_(std::move(draft)), fcc_(std::move(fcc)) {}

void ComposeModel::ReplaceFromEditor(compose::EditableDraft edited) {
  edited.attachments = std::move(draft_.attachments);
  draft_ = std::move(edited);
  changed_ = true;
}

std::string ComposeModel::Field(ComposeField field) const {
  switch (field) {
    case ComposeField::kFrom:
      return draft_.from;
    case ComposeField::kTo:
      return draft_.to;
    case ComposeField::kCc:
      return draft_.cc;
    case ComposeField::kBcc:
      return draft_.bcc;
    case ComposeField::kSubject:
      return draft_.subject;
    case ComposeField::kReplyTo:
      break;
  }
  for (const auto& [name, value] : draft_.other_fields) {
    if (message::EqualsIgnoreCase(name, kReplyTo)) return value;
  }
  return "";
}

void ComposeModel::SetField(ComposeField field, std::string value) {
  if (Field(field) == value) return;
  changed_ = true;
  switch (field) {
    case ComposeField::kFrom:
      draft_.from = std::move(value);
      return;
    case ComposeField::kTo:
      draft_.to = std::move(value);
      return;
    case ComposeField::kCc:
      draft_.cc = std::move(value);
      return;
    case ComposeField::kBcc:
      draft_.bcc = std::move(value);
      return;
    case ComposeField::kSubject:
      draft_.subject = std::move(value);
      return;
    case ComposeField::kReplyTo:
      break;
  }
  auto& fields = draft_.other_fields;
  auto found = std::find_if(fields.begin(), fields.end(), [](const auto& field_value) {
    return message::EqualsIgnoreCase(field_value.first, kReplyTo);
  });
  if (value.empty()) {
    if (found != fields.end()) fields.erase(found);
  } else if (found != fields.end()) {
    found->second = std::move(value);
  } else {
    fields.emplace_back(std::string(kReplyTo), std::move(value));
  }
}

void ComposeModel::SetFcc(std::string fcc) {
  if (fcc == fcc_) return;
  fcc_ = std::move(fcc);
  changed_ = true;
}

void ComposeModel::Attach(message::Attachment attachment) {
  draft_.attachments.push_back(std::move(attachment));
  cursor_ = draft_.attachments.size() - 1;
  changed_ = true;
}

bool ComposeModel::Detach() {
  if (cursor_ >= draft_.attachments.size()) return false;
  draft_.attachments.erase(draft_.attachments.begin() + static_cast<ptrdiff_t>(cursor_));
  if (cursor_ > 0 && cursor_ >= draft_.attachments.size()) --cursor_;
  changed_ = true;
  return true;
}

void ComposeModel::SetCursor(size_t cursor) {
  cursor_ = draft_.attachments.empty() ? 0 : std::min(cursor, draft_.attachments.size() - 1);
}

std::vector<ComposeRow> ComposeModel::Rows() const {
  std::vector<ComposeRow> rows;
  const auto add = [&rows](std::string_view label, std::string_view value) {
    rows.push_back(ComposeRow{fmt::format("{:>9} {}", label, value), std::nullopt});
  };
  add("From:", draft_.from);
  add("To:", draft_.to);
  add("Cc:", draft_.cc);
  add("Bcc:", draft_.bcc);
  add("Subject:", draft_.subject);
  add("Reply-To:", Field(ComposeField::kReplyTo));
  add("Fcc:", fcc_.empty() ? "Sent" : fcc_);
  rows.push_back(ComposeRow{"", std::nullopt});
  const size_t body_lines =
      static_cast<size_t>(std::count(draft_.body.begin(), draft_.body.end(), '\n')) +
      (draft_.body.empty() || draft_.body.back() == '\n' ? 0 : 1);
  rows.push_back(ComposeRow{fmt::format("-- Message: {} lines, {}", body_lines,
                                        FormatSize(static_cast<int64_t>(draft_.body.size()))),
                            std::nullopt});
  rows.push_back(ComposeRow{
      draft_.attachments.empty() ? "-- No attachments (a attaches a file)" : "-- Attachments",
      std::nullopt});
  for (size_t i = 0; i < draft_.attachments.size(); ++i) {
    const message::Attachment& file = draft_.attachments[i];
    const std::string type =
        file.content_type.empty() ? "application/octet-stream" : file.content_type;
    rows.push_back(ComposeRow{fmt::format("{:>4} {}  [{}, {}]", i + 1, file.filename, type,
                                          FormatSize(static_cast<int64_t>(file.content.size()))),
                              i});
  }
  return rows;
}

int64_t ComposeModel::ApproximateSize() const {
  int64_t size = static_cast<int64_t>(draft_.body.size()) + 512;  // the header block
  for (const message::Attachment& file : draft_.attachments) {
    size += static_cast<int64_t>(file.content.size()) * 4 / 3 + 200;
  }
  return size;
}

}  // namespace pigeon::mua::ui

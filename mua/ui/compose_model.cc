// See compose_model.h. The header labels are right-aligned as mutt's compose menu aligns them.
#include "mua/ui/compose_model.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/message/header.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {
namespace {

// The fields in screen order, each with its name and its place in the draft. Reply-To has no
// member of its own: it is kept among the draft's other fields.
struct FieldPlace {
  ComposeField field;
  std::string_view name;
  std::string compose::EditableDraft::*member;
};
constexpr FieldPlace kFields[] = {
    {ComposeField::kFrom, "From", &compose::EditableDraft::from},
    {ComposeField::kTo, "To", &compose::EditableDraft::to},
    {ComposeField::kCc, "Cc", &compose::EditableDraft::cc},
    {ComposeField::kBcc, "Bcc", &compose::EditableDraft::bcc},
    {ComposeField::kSubject, "Subject", &compose::EditableDraft::subject},
    {ComposeField::kReplyTo, "Reply-To", nullptr},
};

const FieldPlace& PlaceOf(ComposeField field) {
  return *std::find_if(std::begin(kFields), std::end(kFields),
                       [field](const FieldPlace& place) { return place.field == field; });
}

}  // namespace

std::string_view ComposeFieldName(ComposeField field) { return PlaceOf(field).name; }

ComposeModel::ComposeModel(compose::EditableDraft draft, std::string fcc)
    : draft_(std::move(draft)), fcc_(std::move(fcc)) {}

void ComposeModel::ReplaceFromEditor(compose::EditableDraft edited) {
  edited.attachments = std::move(draft_.attachments);
  draft_ = std::move(edited);
  changed_ = true;
}

std::string ComposeModel::Field(ComposeField field) const {
  const FieldPlace& place = PlaceOf(field);
  if (place.member != nullptr) return draft_.*place.member;
  for (const auto& [name, value] : draft_.other_fields) {
    if (message::EqualsIgnoreCase(name, place.name)) return value;
  }
  return "";
}

void ComposeModel::SetField(ComposeField field, std::string value) {
  if (Field(field) == value) return;
  changed_ = true;
  const FieldPlace& place = PlaceOf(field);
  if (place.member != nullptr) {
    draft_.*place.member = std::move(value);
    return;
  }
  auto& fields = draft_.other_fields;
  auto found = std::find_if(fields.begin(), fields.end(), [&place](const auto& field_value) {
    return message::EqualsIgnoreCase(field_value.first, place.name);
  });
  if (value.empty()) {
    if (found != fields.end()) fields.erase(found);
  } else if (found != fields.end()) {
    found->second = std::move(value);
  } else {
    fields.emplace_back(std::string(place.name), std::move(value));
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
  for (const FieldPlace& place : kFields) add(fmt::format("{}:", place.name), Field(place.field));
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

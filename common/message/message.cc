// See message.h.
#include "common/message/message.h"

#include "common/message/encoded_word.h"

namespace pigeon::message {

Message::Message(std::string raw)
    : raw_(std::make_unique<std::string>(std::move(raw))), defects_(std::make_unique<Defects>()) {
  HeaderBodySplit split = SplitHeaderBody(*raw_);
  if (!split.has_separator && !split.body.empty()) {
    AddDefect(defects_.get(), DefectKind::kHeaderMissingBody, "header ended without an empty line");
  }
  header_ = Header::Parse(split.header, defects_.get());
  body_ = split.body;
}

std::optional<std::string> Message::Subject() const {
  const HeaderField* field = header_.Find("Subject");
  if (field == nullptr) return std::nullopt;
  return DecodeEncodedWords(field->Unfolded(), defects_.get());
}

std::vector<Mailbox> Message::From() const {
  const HeaderField* field = header_.Find("From");
  if (field == nullptr) return {};
  return ParseAddressList(field->Unfolded(), defects_.get()).Mailboxes();
}

std::vector<Mailbox> Message::AddressesOf(std::string_view name) const {
  std::vector<Mailbox> all;
  for (const HeaderField* field : header_.FindAll(name)) {
    std::vector<Mailbox> some = ParseAddressList(field->Unfolded(), defects_.get()).Mailboxes();
    all.insert(all.end(), some.begin(), some.end());
  }
  return all;
}

std::optional<DateTime> Message::Date() const {
  const HeaderField* field = header_.Find("Date");
  if (field == nullptr) return std::nullopt;
  return ParseDate(field->Unfolded(), defects_.get());
}

std::optional<std::string> Message::MessageId() const {
  const HeaderField* field = header_.Find("Message-ID");
  if (field == nullptr) return std::nullopt;
  std::string id;
  for (char c : field->raw) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') id.push_back(c);
  }
  return id;
}

const Part& Message::Mime() const {
  if (!mime_) mime_ = std::make_unique<Part>(ParseMime(*raw_, defects_.get()));
  return *mime_;
}

namespace {

const Part* FindFirstTextPlain(const Part& part) {
  if (part.children.empty() && part.content_type == "text/plain") return &part;
  for (const Part& child : part.children) {
    if (const Part* found = FindFirstTextPlain(child)) return found;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> Message::FirstTextPlain() const {
  const Part* part = FindFirstTextPlain(Mime());
  if (part == nullptr) return std::nullopt;
  return part->TextUtf8(defects_.get());
}

}  // namespace pigeon::message

// See mbox_hints.h.
#include "mua/cli/mbox_hints.h"

#include <strings.h>

#include <string>

#include "common/store/schema.h"

namespace pigeon::mua {
namespace {

using mailbox::MboxMessage;
using mailbox::MboxVariant;

// Calls `visit(line)` for each line of the header (line end excluded); stops at the empty line.
template <class Visit>
void ForEachHeaderLine(std::string_view message, Visit visit) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t end = message.find('\n', pos);
    if (end == std::string_view::npos) end = message.size();
    std::string_view line = message.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return;
    visit(line);
    pos = end + 1;
  }
}

// The value of `line` when it is the field `name` ("Status"), else npos-like empty + false.
bool FieldValue(std::string_view line, std::string_view name, std::string_view* value) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  if (::strncasecmp(line.data(), name.data(), name.size()) != 0) return false;
  *value = line.substr(name.size() + 1);
  return true;
}

// The body of `message` (after the first empty line), or "" when there is none.
std::string_view Body(std::string_view message) {
  const size_t lf = message.find("\n\n");
  const size_t crlf = message.find("\n\r\n");
  if (lf == std::string_view::npos && crlf == std::string_view::npos) return {};
  return lf < crlf ? message.substr(lf + 2) : message.substr(crlf + 3);
}

struct BodyFromLines {
  bool unquoted = false;  // a line starts "From "
  bool quoted = false;    // a line starts ">From "
};

BodyFromLines ScanBody(std::string_view body) {
  BodyFromLines found;
  for (size_t pos = 0; pos < body.size();) {
    std::string_view rest = body.substr(pos);
    if (rest.starts_with("From ")) found.unquoted = true;
    if (rest.starts_with(">From ")) found.quoted = true;
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return found;
}

bool HasContentLength(std::string_view message) {
  bool found = false;
  ForEachHeaderLine(message, [&](std::string_view line) {
    std::string_view value;
    if (FieldValue(line, "Content-Length", &value)) found = true;
  });
  return found;
}

}  // namespace

MboxVariant SniffMboxVariant(std::string_view sample, bool complete) {
  mailbox::MboxSplitter splitter(mailbox::MboxOptions{.variant = MboxVariant::kMboxcl2});
  splitter.Feed(sample);
  if (complete) splitter.Finish();
  bool any = false;
  BodyFromLines from_lines;
  while (std::optional<MboxMessage> message = splitter.Next()) {
    if (!HasContentLength(message->data)) return MboxVariant::kAuto;
    any = true;
    BodyFromLines found = ScanBody(Body(message->data));
    from_lines.unquoted |= found.unquoted;
    from_lines.quoted |= found.quoted;
  }
  for (const mailbox::MboxWarning& warning : splitter.TakeWarnings()) {
    if (warning.text.find("Content-Length") != std::string::npos) return MboxVariant::kAuto;
  }
  if (!any) return MboxVariant::kAuto;
  if (from_lines.quoted && !from_lines.unquoted) return MboxVariant::kMboxcl;
  return MboxVariant::kMboxcl2;
}

int MboxStatusFlags(std::string_view message) {
  int flags = 0;
  ForEachHeaderLine(message, [&](std::string_view line) {
    std::string_view value;
    if (FieldValue(line, "Status", &value)) {
      if (value.find('R') != std::string_view::npos) flags |= store::kFlagSeen;
    } else if (FieldValue(line, "X-Status", &value)) {
      if (value.find('A') != std::string_view::npos) flags |= store::kFlagAnswered;
      if (value.find('F') != std::string_view::npos) flags |= store::kFlagFlagged;
      if (value.find('D') != std::string_view::npos) flags |= store::kFlagDeleted;
      if (value.find('T') != std::string_view::npos) flags |= store::kFlagDraft;
    }
  });
  return flags;
}

}  // namespace pigeon::mua

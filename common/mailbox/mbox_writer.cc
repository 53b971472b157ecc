#include "common/mailbox/mbox_writer.h"

#include "common/mailbox/from_line.h"

namespace pigeon::mailbox {
namespace {

bool NeedsQuote(std::string_view line) {
  const size_t quotes = line.find_first_not_of('>');
  if (quotes == std::string_view::npos) return false;
  return line.substr(quotes, 5) == "From ";
}

}  // namespace

void AppendMboxrdMessage(std::string_view sender, int64_t utc_seconds, std::string_view message,
                         std::string* out) {
  out->append(FormatFromLine(sender, utc_seconds));
  while (!message.empty()) {
    size_t end = message.find('\n');
    end = end == std::string_view::npos ? message.size() : end + 1;
    const std::string_view line = message.substr(0, end);
    if (NeedsQuote(line)) out->push_back('>');
    out->append(line);
    message.remove_prefix(end);
  }
  if (!out->empty() && out->back() != '\n') out->push_back('\n');
  out->push_back('\n');  // the separator: an empty line
}

Result<void> MboxWriter::Write(std::string_view sender, int64_t utc_seconds,
                               std::string_view message) {
  scratch_.clear();
  AppendMboxrdMessage(sender, utc_seconds, message, &scratch_);
  Result<void> written = sink_.Write(scratch_);
  if (scratch_.capacity() > (size_t{1} << 20)) std::string().swap(scratch_);
  return written;
}

}  // namespace pigeon::mailbox

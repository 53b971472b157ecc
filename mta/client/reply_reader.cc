// See reply_reader.h.
#include "mta/client/reply_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace pigeon::mta::client {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of an RFC 3463 status ("5.1.1") at the start of `text` whose class is the reply's
// (RFC 2034 §4: they must agree), followed by SP or the end; 0 when there is none.
size_t StatusLength(std::string_view text, int code) {
  if (text.size() < 5 || text[0] != static_cast<char>('0' + code / 100) || text[1] != '.') {
    return 0;
  }
  size_t i = 2;
  for (int field = 0; field < 2; ++field) {
    const size_t start = i;
    while (i < text.size() && i - start < 4 && IsDigit(text[i])) ++i;
    if (i == start || i - start > 3) return 0;
    if (field == 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return 0;
  return i;
}

std::string CleanText(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace

std::string ServerReply::Text() const {
  std::string text;
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    if (!text.empty()) text.push_back(' ');
    text += line;
  }
  return text;
}

std::string ServerReply::ToString() const {
  std::string out = fmt::format("{}", code);
  if (!status.empty()) out += " " + status;
  const std::string text = Text();
  if (!text.empty()) out += " " + text;
  return out;
}

std::string ServerReply::EnhancedStatus() const {
  if (!status.empty()) return status;
  return fmt::format("{}.0.0", Class());
}

ServerReply LocalReply(int code, std::string status, std::string text) {
  return {.code = code, .status = std::move(status), .lines = {std::move(text)}};
}

void ReplyReader::Feed(std::string_view bytes) {
  if (error_) return;
  if (buffer_.size() - pos_ + bytes.size() > kMaxBufferedReplyBytes) {
    error_ = Error{ErrorCode::kParse, "too much unread reply data"};
    return;
  }
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {  // keep the buffer from creeping
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

void ReplyReader::Clear() {
  buffer_.clear();
  pos_ = 0;
  searched_ = 0;
  partial_ = ServerReply();
}

Result<std::optional<ServerReply>> ReplyReader::Fail(std::string message) {
  if (!error_) error_ = Error{ErrorCode::kParse, std::move(message)};
  return tl::unexpected<Error>(*error_);
}

Result<std::optional<ServerReply>> ReplyReader::Next() {
  if (error_) return tl::unexpected<Error>(*error_);
  while (true) {
    const std::string_view rest = std::string_view(buffer_).substr(pos_);
    const size_t lf = rest.find('\n', searched_);
    if (lf == std::string_view::npos) {
      searched_ = rest.size();
      if (rest.size() >= kMaxReplyLineLength) return Fail("reply line too long");
      return std::nullopt;
    }
    if (lf + 1 > kMaxReplyLineLength) return Fail("reply line too long");
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ += lf + 1;
    searched_ = 0;
    Result<bool> ended = TakeLine(line);
    if (!ended) return Fail(ended.error().message);
    if (*ended) return std::exchange(partial_, ServerReply());
  }
}

Result<bool> ReplyReader::TakeLine(std::string_view line) {
  const auto bad = [&](std::string_view why) {
    return MakeError(ErrorCode::kParse,
                     fmt::format("{}: \"{}\"", why, CleanText(line.substr(0, 40))));
  };
  if (line.size() < 3 || line[0] < '2' || line[0] > '5' || !IsDigit(line[1]) || !IsDigit(line[2])) {
    return bad("malformed reply line");
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  const bool last = line.size() == 3 || line[3] == ' ';
  if (!last && line[3] != '-') return bad("malformed reply line");
  if (!partial_.lines.empty() && code != partial_.code) return bad("reply code changed");
  if (partial_.lines.size() >= kMaxReplyLines) return bad("reply has too many lines");
  std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
  if (partial_.lines.empty()) {
    partial_.code = code;
    if (const size_t n = StatusLength(text, code)) partial_.status = std::string(text.substr(0, n));
  }
  // RFC 2034 §3 repeats the status on every line; a line without it keeps its whole text.
  if (!partial_.status.empty() && text.starts_with(partial_.status) &&
      (text.size() == partial_.status.size() || text[partial_.status.size()] == ' ')) {
    text.remove_prefix(std::min(text.size(), partial_.status.size() + 1));
  }
  partial_.lines.push_back(CleanText(text));
  return last;
}

}  // namespace pigeon::mta::client

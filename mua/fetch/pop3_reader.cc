// See pop3_reader.h.
#include "mua/fetch/pop3_reader.h"

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

tl::unexpected<Error> Malformed(std::string_view what) {
  return MakeError(ErrorCode::kParse, fmt::format("malformed POP3 reply: {}", what));
}

// A line without its line end (CRLF, or a bare LF from a lax server).
std::string_view Chomp(std::string_view line) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

Result<std::optional<Pop3Reply>> Pop3Reader::Next(bool multiline) {
  const std::string_view data = std::string_view(buffer_).substr(start_);
  const size_t status_end = data.find('\n');
  if (status_end == std::string_view::npos) {
    if (data.size() > limits_.max_line) return Malformed("status line too long");
    return std::optional<Pop3Reply>();
  }
  if (status_end > limits_.max_line) return Malformed("status line too long");
  const std::string_view status = Chomp(data.substr(0, status_end + 1));
  Pop3Reply reply;
  if (status.starts_with("+OK")) {
    reply.ok = true;
    reply.text = std::string(status.substr(status.size() > 3 && status[3] == ' ' ? 4 : 3));
  } else if (status.starts_with("-ERR")) {
    reply.text = std::string(status.substr(status.size() > 4 && status[4] == ' ' ? 5 : 4));
  } else {
    return Malformed("a reply that is neither +OK nor -ERR");
  }
  size_t end = status_end + 1;
  if (reply.ok && multiline) {
    // Find the terminating "." line first (resuming where the last call stopped), so a body
    // is copied once, when it is complete.
    size_t pos = std::max(end, scanned_);
    for (;;) {
      const size_t newline = data.find('\n', pos);
      if (newline == std::string_view::npos) {
        if (data.size() - pos > limits_.max_line) return Malformed("line too long");
        scanned_ = pos;
        return std::optional<Pop3Reply>();
      }
      if (newline - pos > limits_.max_line) return Malformed("line too long");
      if (newline - end > limits_.max_body) return Malformed("message over the size limit");
      if (Chomp(data.substr(pos, newline + 1 - pos)) == ".") {
        std::string body;
        body.reserve(pos - end);
        for (size_t line = end; line < pos;) {
          const size_t next = data.find('\n', line) + 1;
          std::string_view text = Chomp(data.substr(line, next - line));
          if (text.starts_with('.')) text.remove_prefix(1);  // RFC 1939 §3 byte-stuffing
          body.append(text);
          body.append("\r\n");
          line = next;
        }
        reply.body = std::move(body);
        end = newline + 1;
        break;
      }
      pos = newline + 1;
    }
  }
  start_ += end;
  scanned_ = 0;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ >= (size_t{64} << 10) && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  return std::optional<Pop3Reply>(std::move(reply));
}

}  // namespace pigeon::mua::fetch

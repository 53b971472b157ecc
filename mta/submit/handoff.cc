// See handoff.h.
#include "mta/submit/handoff.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "common/message/codec.h"

namespace pigeon::mta::submit {
namespace {

constexpr std::string_view kHeadMagic = "pigeon-submit 1";
// pigeond answers after a durable commit; a store held by a long writer can take a while.
constexpr int kReplyTimeoutSeconds = 120;
constexpr int kSendTimeoutSeconds = 60;
constexpr size_t kMaxReply = 64 << 10;

bool NeedsEscape(unsigned char c) { return c <= 0x20 || c == '%' || c == 0x7f; }

// Values keep every byte: controls, spaces and '%' as %XX.
std::string Escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (NeedsEscape(static_cast<unsigned char>(c))) {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> Unescape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size()) return std::nullopt;
    const int high = message::HexDigitValue(value[i + 1]);
    const int low = message::HexDigitValue(value[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

template <class Number>
std::optional<Number> ParseNumber(std::string_view text) {
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Splits off the next space-separated word of `text`.
std::string_view NextWord(std::string_view& text) {
  const size_t space = text.find(' ');
  std::string_view word = text.substr(0, space);
  text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  return word;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t wrote = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    data.remove_prefix(static_cast<size_t>(wrote));
  }
  return true;
}

void SetTimeout(int fd, int option, int seconds) {
  timeval timeout{};
  timeout.tv_sec = seconds;
  setsockopt(fd, SOL_SOCKET, option, &timeout, sizeof(timeout));
}

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string HandoffSocketPath(const std::string& store_path) { return store_path + ".submit"; }

std::string EncodeHandoffHead(const Submission& submission, const MessageInput& message) {
  std::string head(kHeadMagic);
  head += '\n';
  auto line = [&head](std::string_view key, std::string_view value) {
    head += fmt::format("{} {}\n", key, Escape(value));
  };
  if (submission.envelope_sender) line("sender", *submission.envelope_sender);
  if (!submission.full_name.empty()) line("full-name", submission.full_name);
  for (const std::string& recipient : submission.recipients) line("recipient", recipient);
  if (submission.recipients_from_headers) line("from-headers", "");
  line("origin", submission.origin);
  if (!submission.notify.empty()) line("notify", submission.notify);
  if (!submission.envid.empty()) line("envid", submission.envid);
  if (!submission.dsn_ret.empty()) line("ret", submission.dsn_ret);
  if (message.eight_bit) line("eight-bit", "");
  line("size", std::to_string(message.raw.size()));
  return head;
}

Result<HandoffHead> ParseHandoffHead(std::string_view head) {
  HandoffHead parsed;
  bool sized = false;
  int line_number = 0;
  while (!head.empty()) {
    const size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 1);
    ++line_number;
    auto bad = [&](std::string_view why) {
      return MakeError(ErrorCode::kParse,
                       fmt::format("submission request line {}: {}", line_number, why));
    };
    if (line_number == 1) {
      if (line != kHeadMagic) return bad("not a pigeon submission request");
      continue;
    }
    const std::string_view key = NextWord(line);
    std::optional<std::string> value = Unescape(line);
    if (!value) return bad("bad %-escape");
    if (key == "sender") {
      parsed.submission.envelope_sender = std::move(*value);
    } else if (key == "full-name") {
      parsed.submission.full_name = std::move(*value);
    } else if (key == "recipient") {
      parsed.submission.recipients.push_back(std::move(*value));
    } else if (key == "from-headers") {
      parsed.submission.recipients_from_headers = true;
    } else if (key == "origin") {
      parsed.submission.origin = std::move(*value);
    } else if (key == "notify") {
      parsed.submission.notify = std::move(*value);
    } else if (key == "envid") {
      parsed.submission.envid = std::move(*value);
    } else if (key == "ret") {
      parsed.submission.dsn_ret = std::move(*value);
    } else if (key == "eight-bit") {
      parsed.eight_bit = true;
    } else if (key == "size") {
      std::optional<uint64_t> size = ParseNumber<uint64_t>(*value);
      if (!size) return bad("bad size");
      parsed.size = *size;
      sized = true;
    } else {
      return bad(fmt::format("unknown key \"{}\"", Escape(key)));
    }
  }
  if (line_number == 0) return MakeError(ErrorCode::kParse, "empty submission request");
  if (!sized) return MakeError(ErrorCode::kParse, "submission request without a size");
  return parsed;
}

std::string EncodeHandoffReply(const Result<SubmitOutcome>& outcome) {
  if (!outcome) {
    // No space after the code when there is no text: the parser refuses a trailing space.
    const std::string& text = outcome.error().message;
    return fmt::format("error {}{}{}\n", static_cast<int>(outcome.error().code),
                       text.empty() ? "" : " ", Escape(text));
  }
  std::string reply = fmt::format("ok {} {}", Escape(outcome->queue_id), outcome->local_copies);
  for (const std::string& address : outcome->queued) reply += " " + Escape(address);
  return reply + "\n";
}

Result<Result<SubmitOutcome>> ParseHandoffReply(std::string_view line) {
  auto garbled = [&] {
    return MakeError(ErrorCode::kParse, fmt::format("pigeond gave a garbled reply: \"{}\"",
                                                    Escape(line.substr(0, 80))));
  };
  // Every other byte is %-escaped, and words are separated by one space.
  for (char c : line) {
    if (c != ' ' && c != '%' && NeedsEscape(static_cast<unsigned char>(c))) return garbled();
  }
  if (line.find("  ") != std::string_view::npos || line.ends_with(' ')) return garbled();
  std::string_view rest = line;
  const std::string_view status = NextWord(rest);
  if (status == "error") {
    std::optional<int> code = ParseNumber<int>(NextWord(rest));
    std::optional<std::string> text = Unescape(rest);
    if (!code || *code < 0 || *code > static_cast<int>(ErrorCode::kInternal) || !text) {
      return garbled();
    }
    return Result<SubmitOutcome>(MakeError(static_cast<ErrorCode>(*code), std::move(*text)));
  }
  if (status != "ok") return garbled();
  SubmitOutcome outcome;
  std::optional<std::string> queue_id = Unescape(NextWord(rest));
  std::optional<int> local = ParseNumber<int>(NextWord(rest));
  if (!queue_id || queue_id->empty() || !local) return garbled();
  outcome.queue_id = std::move(*queue_id);
  outcome.local_copies = *local;
  while (!rest.empty()) {
    std::optional<std::string> address = Unescape(NextWord(rest));
    if (!address) return garbled();
    outcome.queued.push_back(std::move(*address));
  }
  return Result<SubmitOutcome>(std::move(outcome));
}

std::optional<Result<SubmitOutcome>> HandToPigeond(const std::string& store_path,
                                                   const Submission& submission,
                                                   const MessageInput& message) {
  const std::string path = HandoffSocketPath(store_path);
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) return std::nullopt;
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  Socket socket_fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (socket_fd.fd() < 0) return std::nullopt;
  const int fd = socket_fd.fd();
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return std::nullopt;  // no pigeond (or a stale socket of a stopped one)
  }
  SetTimeout(fd, SO_SNDTIMEO, kSendTimeoutSeconds);
  SetTimeout(fd, SO_RCVTIMEO, kReplyTimeoutSeconds);
  const std::string head = EncodeHandoffHead(submission, message) + "\n";
  if (!WriteAll(fd, head) || !WriteAll(fd, message.raw)) return std::nullopt;
  shutdown(fd, SHUT_WR);

  std::string reply;
  char buffer[4096];
  while (reply.find('\n') == std::string::npos && reply.size() < kMaxReply) {
    const ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Result<SubmitOutcome>(MakeError(
          ErrorCode::kBusy, fmt::format("pigeond took the message but did not answer within "
                                        "{} s; it may still be queued (see mailq)",
                                        kReplyTimeoutSeconds)));
    }
    if (got <= 0) break;
    reply.append(buffer, static_cast<size_t>(got));
  }
  const size_t newline = reply.find('\n');
  if (newline == std::string::npos) return std::nullopt;  // closed without an answer
  Result<Result<SubmitOutcome>> parsed =
      ParseHandoffReply(std::string_view(reply).substr(0, newline));
  if (!parsed) return Result<SubmitOutcome>(tl::unexpected(parsed.error()));
  return std::move(*parsed);
}

}  // namespace pigeon::mta::submit

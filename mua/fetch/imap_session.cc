// See imap_session.h.
#include "mua/fetch/imap_session.h"

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

constexpr size_t kReceiveChunk = 64 << 10;

// The server's text for an error line: printable ASCII, bounded.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) {
    out.push_back(
        static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f ? '?' : c);
  }
  return out;
}

// "SELECT", "UID FETCH": what an error names.
std::string_view Verb(std::string_view command) {
  size_t end = command.find(' ');
  if (end != std::string_view::npos && command.substr(0, end) == "UID") {
    end = command.find(' ', end + 1);
  }
  return command.substr(0, end);
}

}  // namespace

std::string QuoteImapString(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Result<ImapResponse> ImapSession::NextResponse() {
  for (;;) {
    Result<std::optional<ImapResponse>> response = reader_.Next();
    if (!response) return tl::unexpected(response.error());
    if (*response) return std::move(**response);
    receive_buffer_.resize(kReceiveChunk);
    Result<size_t> received = connection_.Receive(receive_buffer_.data(), receive_buffer_.size());
    if (!received) return tl::unexpected(received.error());
    reader_.Feed(std::string_view(receive_buffer_.data(), *received));
  }
}

Result<ImapResponse> ImapSession::Command(std::string_view command,
                                          const UntaggedHandler& untagged) {
  const std::string tag = fmt::format("P{}", next_tag_++);
  if (Result<void> sent = connection_.Send(fmt::format("{} {}\r\n", tag, command)); !sent) {
    return tl::unexpected(sent.error());
  }
  const std::string_view verb = Verb(command);
  Result<void> handled;
  for (;;) {
    Result<ImapResponse> response = NextResponse();
    if (!response) return response;
    if (response->kind == ImapResponse::Kind::kUntagged) {
      if (response->status == "BYE" && verb != "LOGOUT") {
        return MakeError(ErrorCode::kIo, fmt::format("the server closed the session: {}",
                                                     Printable(response->text)));
      }
      if (handled) handled = untagged(*response);
      continue;
    }
    if (response->kind == ImapResponse::Kind::kContinuation) {
      return MakeError(ErrorCode::kParse, fmt::format("unexpected continuation after {}", verb));
    }
    if (response->tag != tag) {
      return MakeError(ErrorCode::kParse, fmt::format("reply to another command ({}) after {}",
                                                      Printable(response->tag), verb));
    }
    if (response->status != "OK") {
      return MakeError(ErrorCode::kIo, fmt::format("{} failed: {} {}", verb, response->status,
                                                   Printable(response->text)));
    }
    if (!handled) return tl::unexpected(handled.error());
    return response;
  }
}

}  // namespace pigeon::mua::fetch

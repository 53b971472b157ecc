#include "mta/submit/message_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace pigeon::mta::submit {
namespace {

// Appends `line` (without its line end) and CRLF; returns false when the limit is passed.
bool AppendLine(MessageInput& message, std::string_view line, uint64_t max_size) {
  if (message.raw.size() + line.size() + 2 > max_size) return false;
  for (unsigned char c : line) {
    if (c >= 0x80) {
      message.eight_bit = true;
      break;
    }
  }
  message.raw.append(line);
  message.raw.append("\r\n");
  return true;
}

Error TooLarge(uint64_t max_size) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("message too large (limit {} bytes)", max_size)};
}

}  // namespace

bool IsCrlfText(std::string_view raw) {
  if (!raw.empty() && !raw.ends_with("\r\n")) return false;
  for (size_t at = raw.find('\n'); at != std::string_view::npos; at = raw.find('\n', at + 1)) {
    if (at == 0 || raw[at - 1] != '\r') return false;
  }
  return true;
}

bool HasEightBit(std::string_view raw) {
  return std::any_of(raw.begin(), raw.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

Result<MessageInput> ReadMessage(mailbox::ByteSource& source, const InputOptions& options) {
  MessageInput message;
  // One allocation for a file of known size, with room for CRs and the trace fields in front.
  if (std::optional<uint64_t> size = source.SizeHint()) {
    message.raw.reserve(static_cast<size_t>(std::min(*size + *size / 32, options.max_size)) + 4096);
  }
  std::string pending;  // the current, unfinished line
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    Result<size_t> got = source.Read(buffer.data(), buffer.size());
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) break;
    std::string_view chunk(buffer.data(), *got);
    while (!chunk.empty()) {
      const size_t newline = chunk.find('\n');
      if (newline == std::string_view::npos) {
        pending.append(chunk);
        if (message.raw.size() + pending.size() > options.max_size) {
          return tl::unexpected(TooLarge(options.max_size));
        }
        break;
      }
      pending.append(chunk.substr(0, newline));
      chunk.remove_prefix(newline + 1);
      std::string_view line = pending;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (options.dot_ends_input && line == ".") return message;
      if (!AppendLine(message, line, options.max_size)) {
        return tl::unexpected(TooLarge(options.max_size));
      }
      pending.clear();
    }
  }
  // A last line without a line end still belongs to the message (and gets one).
  if (!pending.empty()) {
    std::string_view line = pending;
    if (line.back() == '\r') line.remove_suffix(1);
    if (options.dot_ends_input && line == ".") return message;
    if (!AppendLine(message, line, options.max_size)) {
      return tl::unexpected(TooLarge(options.max_size));
    }
  }
  return message;
}

}  // namespace pigeon::mta::submit

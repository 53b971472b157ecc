// See reply.h.
#include "mta/smtp/reply.h"

#include <fmt/format.h>

namespace pigeon::mta::smtp {
namespace {

std::string FormatLine(int code, char separator, std::string_view status, std::string_view text) {
  std::string line = fmt::format("{}{}", code, separator);
  if (!status.empty()) line.append(status).push_back(' ');
  line.append(text).append("\r\n");
  return line;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string FormatReply(const Reply& reply) {
  return FormatLine(reply.code, ' ', reply.status, reply.text);
}

std::string FormatMultilineReply(int code, std::string_view status,
                                 const std::vector<std::string>& lines) {
  if (lines.empty()) return FormatLine(code, ' ', status, "");
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += FormatLine(code, i + 1 < lines.size() ? '-' : ' ', status, lines[i]);
  }
  return out;
}

std::optional<std::string> CleanFailureReply(std::string_view line) {
  const bool has_code = line.size() >= 3 && (line[0] == '4' || line[0] == '5') &&
                        IsDigit(line[1]) && IsDigit(line[2]) &&
                        (line.size() == 3 || line[3] == ' ');
  if (!has_code) return std::nullopt;
  std::string clean(line.substr(0, kMaxReplyLine - 2));
  for (char& c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  while (clean.size() > 3 && clean.back() == ' ') clean.pop_back();
  return clean + "\r\n";
}

}  // namespace pigeon::mta::smtp

// See list_post.h. Lenient in what it skips (comments, other schemes, junk between URLs) and
// strict in what it returns: an address the address parser reads as one full mailbox.
#include "common/message/list_post.h"

#include <string>

#include "common/message/header.h"

namespace pigeon::message {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 6068 §2: "%40" and the like; a malformed escape makes the URL unusable.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// The value without (comments), nested as RFC 5322 allows, with quoted pairs skipped.
std::string WithoutComments(std::string_view value) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (depth > 0 && c == '\\') {
      ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

std::optional<Mailbox> MailtoAddress(std::string_view url) {
  url = TrimWhitespace(url);
  constexpr std::string_view kScheme = "mailto:";
  if (url.size() <= kScheme.size() || !EqualsIgnoreCase(url.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  url = url.substr(0, url.find('?'));
  // One address only: "mailto:a@x,b@y" names two, which is no single list address.
  if (url.find(',') != std::string_view::npos) return std::nullopt;
  std::optional<std::string> address = PercentDecode(url);
  if (!address) return std::nullopt;
  Result<Mailbox> mailbox = ParseMailbox(*address);
  if (!mailbox || mailbox->local_part.empty() || mailbox->domain.empty()) return std::nullopt;
  mailbox->name.clear();
  return *mailbox;
}

}  // namespace

std::optional<Mailbox> ListPostAddress(std::string_view value) {
  const std::string text = WithoutComments(value);
  std::string_view rest = text;
  // Each URL is in angle brackets (§2); anything outside them, "NO" included, is skipped.
  for (;;) {
    const size_t open = rest.find('<');
    if (open == std::string_view::npos) return std::nullopt;
    const size_t close = rest.find('>', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (std::optional<Mailbox> address = MailtoAddress(rest.substr(open + 1, close - open - 1))) {
      return address;
    }
    rest.remove_prefix(close + 1);
  }
}

}  // namespace pigeon::message

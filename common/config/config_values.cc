#include "common/config/config_values.h"

#include <arpa/inet.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "common/config/domain_name.h"
#include "common/message/address_lexer.h"
#include "common/message/charset.h"

namespace pigeon::config {
namespace {

std::string Quoted(std::string_view text) { return QuoteValue(text); }

// Decimal digits only (no sign, no spaces), without overflow.
std::optional<uint64_t> ParseDigits(std::string_view digits) {
  if (digits.empty() || digits.size() > 19) return std::nullopt;  // 19 digits fit in 64 bits
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

bool IsAddress(int family, const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(family, host.c_str(), buffer.data()) == 1;
}

// A number with an optional one-letter unit (either case) from `units`.
struct Unit {
  char letter;  // lower case
  uint64_t multiplier;
};

struct Scaled {
  std::string_view digits;
  uint64_t multiplier = 1;
};

std::optional<Scaled> SplitUnit(std::string_view text, std::span<const Unit> units) {
  if (text.empty()) return std::nullopt;
  const char last = text.back();
  if (last >= '0' && last <= '9') return Scaled{text, 1};
  const char lower = (last >= 'A' && last <= 'Z') ? static_cast<char>(last - 'A' + 'a') : last;
  for (const Unit& unit : units) {
    if (unit.letter == lower) return Scaled{text.substr(0, text.size() - 1), unit.multiplier};
  }
  return std::nullopt;
}

// atext (RFC 5322 §3.2.3, with RFC 6532's UTF-8) in runs separated by single dots.
bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == '.' || message::IsAddressAtext(c); });
}

}  // namespace

std::string QuoteValue(std::string_view text) {
  constexpr size_t kShown = 100;
  std::string out = "\"";
  for (char c : text.substr(0, kShown)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02X}", u);
    } else {
      out += c;
    }
  }
  if (text.size() > kShown) out += "...";
  return out + "\"";
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto bad = [text] {
    return MakeError(
        ErrorCode::kInvalidArgument,
        Quoted(text) + " is not ADDRESS:PORT (such as \"127.0.0.1:25\" or \"[::1]:25\")");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  int family = AF_INET;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
    family = AF_INET6;
  }
  if (!IsAddress(family, std::string(host))) return bad();
  const std::optional<uint64_t> port = ParseDigits(port_text);
  if (!port) return bad();
  if (*port == 0 || *port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, Quoted(text) + ": port must be 1 to 65535");
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(*port)};
}

Result<ListenAddress> ParseHostPort(std::string_view text) {
  if (Result<ListenAddress> address = ParseListenAddress(text)) return address;
  const size_t colon = text.rfind(':');
  const auto bad = [text] {
    return MakeError(ErrorCode::kInvalidArgument,
                     Quoted(text) + " is not HOST:PORT (such as \"smtp.example.org:587\")");
  };
  if (colon == std::string_view::npos || colon == 0) return bad();
  const std::string_view host = text.substr(0, colon);
  const bool name_chars = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
  const std::optional<uint64_t> port = ParseDigits(text.substr(colon + 1));
  if (!name_chars || !port || *port == 0 || *port > 65535) return bad();
  return ListenAddress{std::string(host), static_cast<uint16_t>(*port)};
}

Result<void> CheckHttpsUrl(std::string_view url) {
  const auto bad = [url](std::string_view why) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} {}", Quoted(url), why));
  };
  constexpr std::string_view kPrefix = "https://";
  if (url.size() < kPrefix.size() ||
      !std::equal(kPrefix.begin(), kPrefix.end(), url.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return bad("is not an https:// URL (the token endpoint must use TLS)");
  }
  if (!std::all_of(url.begin(), url.end(),
                   [](char c) { return c > 0x20 && static_cast<unsigned char>(c) < 0x7f; })) {
    return bad("has spaces, control characters or non-ASCII octets");
  }
  const std::string_view rest = url.substr(kPrefix.size());
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return bad("has a user part");
  if (url.find('#') != std::string_view::npos) return bad("has a fragment (#)");
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [");
    host = host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty() || host == "[]") return bad("has no host");
  return {};
}

Result<void> ParseFetchUrl(std::string_view url, FetchAccount* account) {
  struct Scheme {
    std::string_view prefix;
    FetchProtocol protocol;
    bool implicit_tls;
    uint16_t port;
  };
  static constexpr Scheme kSchemes[] = {
      {"imaps://", FetchProtocol::kImap, true, 993},
      {"imap://", FetchProtocol::kImap, false, 143},
      {"pop3s://", FetchProtocol::kPop3, true, 995},
      {"pop3://", FetchProtocol::kPop3, false, 110},
  };
  const auto bad = [url](std::string_view why) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} {}", Quoted(url), why));
  };
  const Scheme* scheme = nullptr;
  for (const Scheme& candidate : kSchemes) {
    if (url.size() >= candidate.prefix.size() &&
        std::equal(
            candidate.prefix.begin(), candidate.prefix.end(), url.begin(),
            [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      scheme = &candidate;
    }
  }
  if (scheme == nullptr) {
    return bad("is not an imaps://, imap://, pop3s:// or pop3:// URL");
  }
  std::string_view rest = url.substr(scheme->prefix.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos) return bad("has a user: write it as user = …");
  if (rest.find_first_of("/?#;") != std::string_view::npos) {
    return bad("has a path: name remote folders in folders = { … }");
  }
  std::string_view host = rest;
  std::string_view port_text;
  int family = 0;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [");
    port_text = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port_text.empty() && port_text.front() != ':') return bad("has text after ]");
    if (!port_text.empty()) port_text.remove_prefix(1);
    family = AF_INET6;
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port_text.empty()) return bad("has an empty port");
  }
  if (host.empty()) return bad("has no host");
  uint16_t port = scheme->port;
  if (!port_text.empty()) {
    const std::optional<uint64_t> number = ParseDigits(port_text);
    if (!number || *number == 0 || *number > 65535) return bad("has a bad port (1 to 65535)");
    port = static_cast<uint16_t>(*number);
  }
  std::string host_name(host);
  if (family == AF_INET6) {
    if (!IsAddress(AF_INET6, host_name)) return bad("has a bad IPv6 address");
  } else if (!IsAddress(AF_INET, host_name)) {
    Result<std::string> name = NormalizeDomainName(host);
    if (!name) return bad(fmt::format("has a bad host name: {}", name.error().message));
    host_name = std::move(*name);
  }
  account->protocol = scheme->protocol;
  account->implicit_tls = scheme->implicit_tls;
  account->host = std::move(host_name);
  account->port = port;
  account->url = std::string(url);
  return {};
}

Result<uint64_t> ParseSize(std::string_view text) {
  static constexpr Unit kUnits[] = {{'k', 1ull << 10}, {'m', 1ull << 20}, {'g', 1ull << 30}};
  const std::optional<Scaled> scaled = SplitUnit(text, kUnits);
  const std::optional<uint64_t> number =
      scaled ? ParseDigits(scaled->digits) : std::optional<uint64_t>();
  if (!number) {
    return MakeError(ErrorCode::kInvalidArgument,
                     Quoted(text) + " is not a size (bytes, or with a k, M or G suffix: \"50M\")");
  }
  if (*number == 0) return MakeError(ErrorCode::kInvalidArgument, "must be more than 0");
  if (*number > UINT64_MAX / scaled->multiplier) {
    return MakeError(ErrorCode::kInvalidArgument, Quoted(text) + " is too large");
  }
  return *number * scaled->multiplier;
}

namespace {

struct DurationRules {
  std::span<const Unit> units;
  std::string_view suffixes;  // for the message: "an s, m or h suffix"
  bool zero_allowed;
  std::chrono::seconds limit;
  std::string_view limit_text;
};

Result<std::chrono::seconds> ParseDurationWith(std::string_view text, const DurationRules& rules) {
  const std::optional<Scaled> scaled = SplitUnit(text, rules.units);
  const std::optional<uint64_t> number =
      scaled ? ParseDigits(scaled->digits) : std::optional<uint64_t>();
  if (!number) {
    return MakeError(ErrorCode::kInvalidArgument,
                     Quoted(text) + " is not a duration (seconds, or with " +
                         std::string(rules.suffixes) + " suffix: \"5m\")");
  }
  const uint64_t limit = static_cast<uint64_t>(rules.limit.count());
  if (*number == 0 && !rules.zero_allowed) {
    return MakeError(ErrorCode::kInvalidArgument, "must be more than 0");
  }
  if (*number > limit / scaled->multiplier) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "must be at most " + std::string(rules.limit_text));
  }
  return std::chrono::seconds(*number * scaled->multiplier);
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  static constexpr Unit kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}};
  return ParseDurationWith(text, {kUnits, "an s, m or h", false, kMaxDuration, "a day (\"24h\")"});
}

Result<std::chrono::seconds> ParseLongDuration(std::string_view text) {
  static constexpr Unit kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  return ParseDurationWith(
      text, {kUnits, "an s, m, h or d", true, std::chrono::days(365), "a year (\"365d\")"});
}

Result<std::string> ExpandPath(std::string_view path, std::string_view home) {
  if (path == "~") return std::string(home);
  if (path.starts_with("~/")) {
    std::string expanded(home);
    if (!expanded.empty() && expanded.back() == '/') expanded.pop_back();
    return expanded + std::string(path.substr(1));
  }
  if (path.starts_with("/")) return std::string(path);
  return MakeError(ErrorCode::kInvalidArgument,
                   Quoted(path) + ": write an absolute path or one starting with \"~/\"");
}

Result<std::string> CheckLocalUser(std::string_view name) {
  const auto bad = [name](std::string_view why) {
    return MakeError(ErrorCode::kInvalidArgument, Quoted(name) + std::string(why));
  };
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "a local user cannot be empty");
  if (name.find('@') != std::string_view::npos)
    return bad(": write the local part only, without '@'");
  if (name.find('+') != std::string_view::npos) {
    return bad(": '+' separates plus-address tags and cannot be in a user name");
  }
  // user%host and host!user are routing syntax of old relays; no local name may look like one.
  if (name.find_first_of("%!") != std::string_view::npos) {
    return bad(": '%' and '!' are relay syntax and cannot be in a user name");
  }
  if (!IsDotAtom(name) || !message::IsValidUtf8(name)) {
    return bad(" is not a local part (letters, digits, dots between them, and !#$&'*-/=?^_`{|}~)");
  }
  return std::string(name);
}

Result<message::Mailbox> ParseOwner(std::string_view text) {
  const auto bad = [text] {
    return MakeError(ErrorCode::kInvalidArgument,
                     Quoted(text) + " is not an address such as \"ada@example.org\"");
  };
  Result<message::Mailbox> mailbox = message::ParseMailbox(text);
  if (!mailbox || mailbox->domain.empty()) return bad();
  Result<std::string> domain = NormalizeDomainName(mailbox->domain);
  if (!domain) return bad();
  return message::Mailbox{"", mailbox->local_part, *domain};
}

std::string HomeDirectory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') return home;
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr && found->pw_dir[0] == '/') {
    return found->pw_dir;
  }
  return "/";
}

}  // namespace pigeon::config

// See command_parser.h.
#include "mta/smtp/command_parser.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "common/message/header.h"
#include "mta/smtp/path.h"

namespace pigeon::mta::smtp {
namespace {

using message::EqualsIgnoreCase;

struct VerbName {
  std::string_view name;
  Verb verb;
};

constexpr VerbName kVerbs[] = {
    {"EHLO", Verb::kEhlo},         {"HELO", Verb::kHelo},     {"MAIL", Verb::kMail},
    {"RCPT", Verb::kRcpt},         {"DATA", Verb::kData},     {"RSET", Verb::kRset},
    {"NOOP", Verb::kNoop},         {"QUIT", Verb::kQuit},     {"VRFY", Verb::kVrfy},
    {"EXPN", Verb::kExpn},         {"HELP", Verb::kHelp},     {"STARTTLS", Verb::kStartTls},
    {"AUTH", Verb::kAuth},         {"GET", Verb::kForbidden}, {"POST", Verb::kForbidden},
    {"CONNECT", Verb::kForbidden},
};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (s.size() < prefix.size() || !EqualsIgnoreCase(s.substr(0, prefix.size()), prefix)) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

tl::unexpected<Reply> Refuse(int code, std::string status, std::string text) {
  return tl::unexpected(Reply{code, std::move(status), std::move(text)});
}

struct Parameter {
  std::string_view keyword;
  std::optional<std::string_view> value;
};

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool IsKeyword(std::string_view s) {
  if (s.empty() || !IsAlnum(s[0])) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

// esmtp-value = 1*(%d33-60 / %d62-126)
bool IsValue(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 33 || c > 126 || c == '=') return false;
  }
  return true;
}

// What follows the path: empty, or SP-separated esmtp-params (runs of SP tolerated).
tl::expected<std::vector<Parameter>, Reply> SplitParameters(std::string_view rest) {
  std::vector<Parameter> parameters;
  if (!rest.empty() && !IsSpace(rest[0])) {
    return Refuse(501, "5.5.4", "Syntax error in parameters");
  }
  rest = TrimSpaces(rest);
  while (!rest.empty()) {
    size_t end = 0;
    while (end < rest.size() && !IsSpace(rest[end])) ++end;
    const std::string_view token = rest.substr(0, end);
    rest = TrimSpaces(rest.substr(end));
    Parameter parameter{token, std::nullopt};
    if (const size_t equals = token.find('='); equals != std::string_view::npos) {
      parameter = {token.substr(0, equals), token.substr(equals + 1)};
    }
    if (!IsKeyword(parameter.keyword) || (parameter.value && !IsValue(*parameter.value))) {
      return Refuse(501, "5.5.4", "Syntax error in parameters");
    }
    parameters.push_back(parameter);
  }
  return parameters;
}

// SIZE=1*20DIGIT (RFC 1870), saturated rather than wrapped.
std::optional<uint64_t> ParseSize(std::string_view digits) {
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  uint64_t size = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = c - '0';
    if (size > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      size = std::numeric_limits<uint64_t>::max();
    } else {
      size = size * 10 + digit;
    }
  }
  return size;
}

tl::unexpected<Reply> UnsupportedParameter(std::string_view keyword) {
  return Refuse(555, "5.5.4", "Unsupported parameter " + std::string(keyword));
}

// Applies one MAIL parameter to `mail`; `seen` guards against duplicates (bits per keyword).
tl::expected<void, Reply> ApplyMailParameter(const Parameter& parameter, MailFrom& mail,
                                             unsigned& seen) {
  const auto bad_value = [&] {
    return Refuse(501, "5.5.4", "Bad " + std::string(parameter.keyword) + " parameter");
  };
  const auto first_time = [&](unsigned bit) {
    const bool first = (seen & bit) == 0;
    seen |= bit;
    return first;
  };
  const std::string_view key = parameter.keyword;
  const std::string_view value = parameter.value.value_or("");
  if (EqualsIgnoreCase(key, "SIZE")) {
    if (!first_time(1)) return Refuse(501, "5.5.4", "Duplicate SIZE parameter");
    mail.declared_size = ParseSize(value);
    if (!mail.declared_size) return bad_value();
  } else if (EqualsIgnoreCase(key, "BODY")) {
    if (!first_time(2)) return Refuse(501, "5.5.4", "Duplicate BODY parameter");
    if (EqualsIgnoreCase(value, "7BIT")) {
      mail.body = BodyType::k7Bit;
    } else if (EqualsIgnoreCase(value, "8BITMIME")) {
      mail.body = BodyType::k8BitMime;
    } else if (EqualsIgnoreCase(value, "BINARYMIME")) {
      return Refuse(555, "5.5.4", "BODY=BINARYMIME not supported");  // no CHUNKING
    } else {
      return bad_value();
    }
  } else if (EqualsIgnoreCase(key, "SMTPUTF8")) {
    if (!first_time(4)) return Refuse(501, "5.5.4", "Duplicate SMTPUTF8 parameter");
    if (parameter.value) return bad_value();
    mail.smtputf8 = true;
  } else if (EqualsIgnoreCase(key, "AUTH")) {
    // RFC 4954 §5: the identity a relay vouches for. We trust no peer's word: ignored.
    if (!first_time(8)) return Refuse(501, "5.5.4", "Duplicate AUTH parameter");
    if (!parameter.value) return bad_value();
  } else {
    return UnsupportedParameter(key);  // RET, ENVID (DSN is not advertised), and the rest
  }
  return {};
}

}  // namespace

CommandLine SplitCommand(std::string_view line) {
  line = TrimSpaces(line);
  const size_t space = line.find(' ');
  const std::string_view name = line.substr(0, space);
  CommandLine command;
  if (space != std::string_view::npos) command.argument = TrimSpaces(line.substr(space + 1));
  for (const VerbName& verb : kVerbs) {
    if (EqualsIgnoreCase(name, verb.name)) command.verb = verb.verb;
  }
  return command;
}

tl::expected<MailFrom, Reply> ParseMailFrom(std::string_view argument) {
  if (!ConsumePrefix(argument, "FROM:")) {
    return Refuse(501, "5.5.2", "Syntax: MAIL FROM:<address>");
  }
  while (!argument.empty() && argument[0] == ' ') argument.remove_prefix(1);
  // UTF-8 is parsed here and refused below unless the parameters ask for SMTPUTF8.
  auto path = ParsePath(argument, {.allow_null = true, .smtputf8 = true});
  if (!path) return Refuse(501, "5.1.7", "Bad sender address syntax");
  auto parameters = SplitParameters(argument);
  if (!parameters) return tl::unexpected(parameters.error());
  MailFrom mail{.reverse_path = std::move(*path)};
  unsigned seen = 0;
  for (const Parameter& parameter : *parameters) {
    if (auto applied = ApplyMailParameter(parameter, mail, seen); !applied) {
      return tl::unexpected(applied.error());
    }
  }
  if (!mail.smtputf8 && std::any_of(mail.reverse_path.begin(), mail.reverse_path.end(),
                                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return Refuse(553, "5.6.7", "Non-ASCII addresses not permitted for that sender");
  }
  return mail;
}

tl::expected<std::string, Reply> ParseRcptTo(std::string_view argument, bool smtputf8) {
  if (!ConsumePrefix(argument, "TO:")) return Refuse(501, "5.5.2", "Syntax: RCPT TO:<address>");
  while (!argument.empty() && argument[0] == ' ') argument.remove_prefix(1);
  auto path = ParsePath(argument, {.allow_postmaster = true, .smtputf8 = smtputf8});
  if (!path && path.error() == PathError::kNonAscii) {
    return Refuse(553, "5.6.7", "Non-ASCII addresses not permitted for that recipient");
  }
  if (!path) return Refuse(501, "5.1.3", "Bad recipient address syntax");
  auto parameters = SplitParameters(argument);
  if (!parameters) return tl::unexpected(parameters.error());
  if (!parameters->empty()) return UnsupportedParameter(parameters->front().keyword);
  return std::move(*path);
}

}  // namespace pigeon::mta::smtp

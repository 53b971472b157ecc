#include "mta/sendmail/sendmail_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace pigeon::mta::sendmail {
namespace {

constexpr int kMaxVerbosity = 10;
constexpr size_t kMaxEnvelopeId = 100;  // RFC 3461 §4.4

// How each option letter takes its argument (Postfix's getopt string
// "A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx"). -q is the exception: its argument is
// only ever attached ("-q", "-q1h", "-qRsite"), so "-q" never swallows the next word.
enum class Takes { kNone, kArgument, kAttachedOnly };

std::optional<Takes> OptionSpec(char letter) {
  switch (letter) {
    case 'G':
    case 'I':
    case 'U':
    case 'c':
    case 'i':
    case 'm':
    case 'n':
    case 't':
    case 'v':
    case 'x':
      return Takes::kNone;
    case 'A':
    case 'B':
    case 'C':
    case 'F':
    case 'L':
    case 'N':
    case 'O':
    case 'R':
    case 'V':
    case 'X':
    case 'b':
    case 'e':
    case 'f':
    case 'h':
    case 'o':
    case 'p':
    case 'r':
      return Takes::kArgument;
    case 'q':
      return Takes::kAttachedOnly;
    default:
      return std::nullopt;
  }
}

tl::unexpected<Error> UsageError(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

// A printable form of an option letter for messages (argv may hold anything).
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

Result<std::string> CheckedValue(char letter, std::string_view value) {
  if (HasControl(value)) {
    return UsageError(fmt::format("-{}: the value holds control characters", letter));
  }
  if (value.size() > kMaxArgumentLength) {
    return UsageError(fmt::format("-{}: the value is too long", letter));
  }
  return std::string(value);
}

// "-f <>" and "-f ''" are the null sender; one pair of angle brackets is dropped.
Result<std::string> SenderValue(char letter, std::string_view value) {
  if (value.size() >= 2 && value.front() == '<' && value.back() == '>') {
    value = value.substr(1, value.size() - 2);
  }
  return CheckedValue(letter, value);
}

Result<DsnNotify> ParseNotify(std::string_view value) {
  if (EqualsIgnoreCase(value, "never")) return DsnNotify{};
  DsnNotify notify;
  size_t start = 0;
  while (true) {
    const size_t comma = std::min(value.find(',', start), value.size());
    const std::string_view word = value.substr(start, comma - start);
    bool* flag = nullptr;
    if (EqualsIgnoreCase(word, "success")) flag = &notify.success;
    if (EqualsIgnoreCase(word, "delay")) flag = &notify.delay;
    if (EqualsIgnoreCase(word, "failure")) flag = &notify.failure;
    if (flag == nullptr) {
      return UsageError(fmt::format("-N: \"{}\" is not never or a list of success, delay, failure",
                                    Printable(value)));
    }
    *flag = true;
    if (comma == value.size()) return notify;
    start = comma + 1;
  }
}

// -q's attached argument: "" (flush), an interval ("1h", "30m", "1h30m", "15"), Rsite,
// Ssite (by site) or Iqueueid.
Result<void> ApplyQueueRun(std::string_view value, SendmailOptions& options) {
  options.mode = SendmailMode::kRunQueue;
  if (value.empty()) return {};
  const char kind = value[0];
  if (kind == 'R' || kind == 'S' || kind == 'I') {
    const std::string_view rest = value.substr(1);
    if (rest.empty()) return UsageError(fmt::format("-q{} needs a value", kind));
    Result<std::string> checked = CheckedValue('q', rest);
    if (!checked) return tl::unexpected(checked.error());
    (kind == 'I' ? options.flush_queue_id : options.flush_site) = std::move(*checked);
    return {};
  }
  // An interval is accepted for compatibility; a queue run is just a flush here.
  bool digits = false;
  for (char c : value) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (digits && std::string_view("smhdw").find(c) != std::string_view::npos) {
      digits = false;
    } else {
      return UsageError(
          fmt::format("-q{}: not an interval, Rsite, Ssite or Iqueueid", Printable(value)));
    }
  }
  return {};
}

Result<void> ApplyMode(std::string_view value, SendmailOptions& options) {
  if (value == "m") {
    options.mode = SendmailMode::kDeliver;
  } else if (value == "s") {
    options.mode = SendmailMode::kSmtpOnStdio;
  } else if (value == "p") {
    options.mode = SendmailMode::kListQueue;
  } else if (value == "i") {
    options.mode = SendmailMode::kRebuildAliases;
  } else if (value == "v") {
    options.mode = SendmailMode::kVerify;
  } else if (value == "d" || value == "D") {
    return MakeError(ErrorCode::kUnsupported,
                     "-bd: this sendmail runs no daemon; start pigeond (pigeond.service)");
  } else {
    return UsageError(fmt::format("-b{}: unsupported mode", Printable(value)));
  }
  return {};
}

// -o: sendmail's long options by their one-letter names; only i and A mean something here.
Result<void> ApplyOldStyleOption(std::string_view value, SendmailOptions& options) {
  if (value.starts_with("i")) {
    options.ignore_dots = true;
  } else if (value.starts_with("A")) {
    if (value.size() == 1) return UsageError("-oA needs an alias file name");
    Result<std::string> file = CheckedValue('o', value.substr(1));
    if (!file) return tl::unexpected(file.error());
    options.alias_file = std::move(*file);
  }
  return {};  // -oem, -oep, -odi, -odb, -odq, -o7, -o8, …: ignored
}

Result<void> Assign(std::optional<std::string>& field, Result<std::string> value) {
  if (!value) return tl::unexpected(value.error());
  field = std::move(*value);
  return {};
}

Result<void> ApplyOption(char letter, std::string_view value, SendmailOptions& options) {
  switch (letter) {
    case 'A':
      if (value != "m" && value != "c") return UsageError("-A takes m or c");
      return {};
    case 'B':
      if (EqualsIgnoreCase(value, "8BITMIME")) {
        options.body_type = BodyType::k8BitMime;
      } else if (EqualsIgnoreCase(value, "7BIT")) {
        options.body_type = BodyType::k7Bit;
      } else {
        return UsageError(fmt::format("-B{}: the body type is 8BITMIME or 7BIT", Printable(value)));
      }
      return {};
    case 'C':
      if (value.empty()) return UsageError("-C needs a file name");
      return Assign(options.config_path, CheckedValue(letter, value));
    case 'F':
      return Assign(options.full_name, CheckedValue(letter, value));
    case 'G':
      options.gateway = true;
      return {};
    case 'I':
      options.mode = SendmailMode::kRebuildAliases;
      return {};
    case 'N': {
      Result<DsnNotify> notify = ParseNotify(value);
      if (!notify) return tl::unexpected(notify.error());
      options.notify = *notify;
      return {};
    }
    case 'R':
      if (EqualsIgnoreCase(value, "full")) {
        options.dsn_return = DsnReturn::kFull;
      } else if (EqualsIgnoreCase(value, "hdrs")) {
        options.dsn_return = DsnReturn::kHeaders;
      } else {
        return UsageError(fmt::format("-R{}: the return is full or hdrs", Printable(value)));
      }
      return {};
    case 'V': {
      const bool printable =
          std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
      if (value.empty() || value.size() > kMaxEnvelopeId || !printable) {
        return UsageError("-V: the envelope id is 1 to 100 printable ASCII characters");
      }
      options.envelope_id = std::string(value);
      return {};
    }
    case 'b':
      return ApplyMode(value, options);
    case 'f':
    case 'r':
      return Assign(options.sender, SenderValue(letter, value));
    case 'i':
      options.ignore_dots = true;
      return {};
    case 'o':
      return ApplyOldStyleOption(value, options);
    case 'q':
      return ApplyQueueRun(value, options);
    case 't':
      options.recipients_from_headers = true;
      return {};
    case 'v':
      options.verbosity = std::min(options.verbosity + 1, kMaxVerbosity);
      return {};
    default:  // L, O, U, X, c, e, h, m, n, p, x: accepted for compatibility, no meaning here
      return {};
  }
}

// One argument's recipients: sendmail accepts "a@x, b@y". Commas inside quotes, angle
// brackets or comments do not split.
Result<void> AddRecipients(std::string_view word, std::vector<std::string>& recipients) {
  if (HasControl(word)) return UsageError("a recipient holds control characters");
  auto add = [&recipients](std::string_view piece) -> Result<void> {
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (piece.empty()) return {};
    if (piece.size() > kMaxArgumentLength) return UsageError("a recipient is too long");
    if (recipients.size() >= kMaxRecipients) {
      return UsageError(fmt::format("more than {} recipients", kMaxRecipients));
    }
    recipients.emplace_back(piece);
    return {};
  };
  bool quoted = false;
  int angle = 0, comment = 0;
  size_t start = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c == '\\' && (quoted || comment > 0)) {
      ++i;
    } else if (quoted) {
      quoted = c != '"';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++comment;
    } else if (c == ')' && comment > 0) {
      --comment;
    } else if (comment == 0 && c == '<') {
      ++angle;
    } else if (comment == 0 && c == '>' && angle > 0) {
      --angle;
    } else if (c == ',' && comment == 0 && angle == 0) {
      if (Result<void> ok = add(word.substr(start, i - start)); !ok) return ok;
      start = i + 1;
    }
  }
  return add(word.substr(std::min(start, word.size())));
}

Result<void> CheckRecipientsForMode(const SendmailOptions& options) {
  const bool any = !options.recipients.empty();
  switch (options.mode) {
    case SendmailMode::kDeliver:
    case SendmailMode::kVerify:
      if (!any && !options.recipients_from_headers) {
        return UsageError("no recipients: name them, or use -t to read them from the message");
      }
      return {};
    case SendmailMode::kSmtpOnStdio:
      return any ? UsageError("-bs takes no recipients") : Result<void>{};
    case SendmailMode::kListQueue:
      return any ? UsageError("listing the queue takes no recipients") : Result<void>{};
    case SendmailMode::kRebuildAliases:
      return any ? UsageError("rebuilding the aliases takes no recipients") : Result<void>{};
    case SendmailMode::kRunQueue:
      return any ? UsageError("-q takes no recipients") : Result<void>{};
  }
  return {};
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<SendmailOptions> ParseSendmailArgs(std::span<const std::string_view> args,
                                          std::string_view program) {
  SendmailOptions options;
  const std::string_view name = BaseName(program);
  if (name == "mailq") options.mode = SendmailMode::kListQueue;
  if (name == "newaliases") options.mode = SendmailMode::kRebuildAliases;

  size_t index = 0;
  bool options_ended = false;  // by "--": what follows may start with "-"
  for (; index < args.size(); ++index) {
    const std::string_view word = args[index];
    if (word == "--") {
      options_ended = true;
      ++index;
      break;
    }
    if (word.size() < 2 || word[0] != '-') break;  // the first recipient
    for (size_t at = 1; at < word.size(); ++at) {
      const char letter = word[at];
      const std::optional<Takes> takes = OptionSpec(letter);
      if (!takes) {
        return UsageError(fmt::format("-{}: unknown option", Printable(word.substr(at, 1))));
      }
      if (*takes == Takes::kNone) {
        if (Result<void> ok = ApplyOption(letter, "", options); !ok)
          return tl::unexpected(ok.error());
        continue;
      }
      std::string_view value = word.substr(at + 1);
      if (value.empty() && *takes == Takes::kArgument) {
        if (index + 1 >= args.size()) {
          return UsageError(fmt::format("-{} needs an argument", letter));
        }
        value = args[++index];
      }
      if (Result<void> ok = ApplyOption(letter, value, options); !ok)
        return tl::unexpected(ok.error());
      break;  // the rest of the word was the argument
    }
  }

  for (; index < args.size(); ++index) {
    const std::string_view word = args[index];
    if (!options_ended && word.starts_with("-")) {
      return UsageError(fmt::format(
          "{}: options go before the recipients (write -- before a recipient starting with -)",
          Printable(word)));
    }
    if (Result<void> ok = AddRecipients(word, options.recipients); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (Result<void> ok = CheckRecipientsForMode(options); !ok) return tl::unexpected(ok.error());
  return options;
}

std::string Usage(std::string_view program) {
  const std::string name(BaseName(program).empty() ? "sendmail" : BaseName(program));
  return fmt::format(
      "usage: {0} [options] [--] recipient...\n"
      "       {0} -t [options] [recipient...]\n"
      "       {0} -bp | mailq\n"
      "       {0} -bi | -I | newaliases\n"
      "       {0} -bs | -q[interval|Rsite|Ssite|Iqueueid]\n"
      "options:\n"
      "  -t             read recipients from To, Cc and Bcc as well\n"
      "  -i, -oi        a line with only \".\" does not end the message\n"
      "  -f addr, -r addr  envelope sender (\"<>\" for none)\n"
      "  -F name        full name of the sender\n"
      "  -B 8BITMIME|7BIT  body type\n"
      "  -N never|success,delay,failure  delivery status notifications\n"
      "  -R full|hdrs   what a bounce returns\n"
      "  -V envid       envelope id for notifications\n"
      "  -bm            deliver a message from standard input (default)\n"
      "  -bv            verify the recipients, deliver nothing\n"
      "  -C file        configuration file\n"
      "  -v             more verbose (repeatable)\n"
      "accepted and ignored: -G -U -m -n -c -x -Am -Ac -L label -h hops -X file -o…\n",
      name);
}

}  // namespace pigeon::mta::sendmail

// See aliases.h. The file is read as Postfix reads it: a logical line starts at a line that
// begins with non-space text and takes in the following lines that begin with white space;
// comment lines (first non-space character '#') and blank lines are skipped anywhere, even
// between a line and its continuation.
#include "mta/policy/aliases.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/message/charset.h"
#include "common/sys/file.h"
#include "mta/policy/alias_target.h"
#include "mta/policy/smtp_address.h"

namespace pigeon::mta::policy {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// What a problem message may quote of the file: one line, bounded.
std::string Shown(std::string_view text) {
  std::string out(text.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (!message::IsValidUtf8(out)) out = message::SanitizeUtf8(out);
  return "\"" + out + "\"";
}

// An entry with the line each of its pieces came from.
struct LogicalLine {
  std::string text;
  std::vector<std::pair<size_t, int>> starts;  // offset in text → line number, ascending

  int first_line() const { return starts.front().second; }
  int LineAt(size_t offset) const {
    auto after = std::upper_bound(starts.begin(), starts.end(), std::pair(offset, INT32_MAX));
    return std::prev(after)->second;
  }
  void Append(std::string_view piece, int line) {
    if (!text.empty()) text += ' ';
    starts.emplace_back(text.size(), line);
    text += piece;
  }
};

// Splits the text into logical lines; a continuation with nothing before it is a problem.
std::vector<LogicalLine> JoinLines(std::string_view text, std::vector<AliasProblem>* problems) {
  std::vector<LogicalLine> lines;
  bool have_entry = false;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = Trim(line);
    if (content.empty() || content.front() == '#') continue;
    if (!IsBlank(line.front())) {
      lines.emplace_back();
      have_entry = true;
    } else if (!have_entry) {
      problems->push_back({number, "continuation line without an alias before it"});
      continue;
    }
    lines.back().Append(content, number);
  }
  return lines;
}

// Splits at commas outside double quotes; each piece with its offset, trimmed, empty ones
// (a trailing comma before a continuation line) dropped.
std::vector<std::pair<std::string_view, size_t>> SplitTargets(std::string_view text, size_t base) {
  std::vector<std::pair<std::string_view, size_t>> pieces;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size()) {
      if (text[i] == '\\' && quoted && i + 1 < text.size()) {  // a quoted-pair
        ++i;
        continue;
      }
      if (text[i] == '"') quoted = !quoted;
      if (text[i] != ',' || quoted) continue;
    }
    const std::string_view piece = text.substr(start, i - start);
    const std::string_view trimmed = Trim(piece);
    if (!trimmed.empty()) {
      pieces.emplace_back(trimmed, base + start + (trimmed.data() - piece.data()));
    }
    start = i + 1;
  }
  return pieces;
}

// `"text"` → text with backslash escapes resolved; anything else unchanged.
std::string Unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size()) ++i;
    out += text[i];
  }
  return out;
}

// Why `target` cannot be delivered to, or "" when it can.
std::string TargetProblem(std::string_view target) {
  constexpr std::string_view kStoreOnly = "not supported: pigeond delivers into the store only";
  switch (ClassifyAliasTarget(target).kind) {
    case AliasTarget::Kind::kLocalName:
    case AliasTarget::Kind::kFolder:
    case AliasTarget::Kind::kAddress:
      return "";
    case AliasTarget::Kind::kProgram:
      return fmt::format("program targets (\"|command\") are {}", kStoreOnly);
    case AliasTarget::Kind::kFile:
      return fmt::format("file targets (\"/path\") are {}", kStoreOnly);
    case AliasTarget::Kind::kInclude:
      return "\":include:\" targets are not supported: list the targets in the aliases file";
    case AliasTarget::Kind::kInvalid:
      break;
  }
  if (target.empty()) return "empty target \"\"";
  if (target.front() == '+') return Shown(target) + " is not a folder name";
  if (target.find('@') != std::string_view::npos) return Shown(target) + " is not an address";
  if (target.find_first_of(" \t") != std::string_view::npos) {
    return Shown(target) + " is not a local name (targets are separated by commas)";
  }
  return Shown(target) + " is not a local name or an address";
}

// The name before the colon: a local name, maybe quoted. Returns the length taken (colon
// excluded), or npos when there is no colon.
size_t NameLength(std::string_view text) {
  if (!text.empty() && text.front() == '"') {
    for (size_t i = 1; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        return text.find(':', i);
      }
    }
    return std::string_view::npos;
  }
  return text.find(':');
}

class AliasesParser {
 public:
  Aliases Run(std::string_view text);

 private:
  void ParseEntry(const LogicalLine& line);
  void Problem(int line, std::string message) {
    aliases_.problems.push_back({line, std::move(message)});
  }

  Aliases aliases_;
  std::map<std::string, int, std::less<>> defined_on_;  // name → line of its definition
};

Aliases AliasesParser::Run(std::string_view text) {
  for (const LogicalLine& line : JoinLines(text, &aliases_.problems)) ParseEntry(line);
  std::stable_sort(aliases_.problems.begin(), aliases_.problems.end(),
                   [](const AliasProblem& a, const AliasProblem& b) { return a.line < b.line; });
  return std::move(aliases_);
}

void AliasesParser::ParseEntry(const LogicalLine& line) {
  const std::string_view text = line.text;
  const size_t colon = NameLength(text);
  if (colon == std::string_view::npos) {
    Problem(line.first_line(), "expected \"name: target, ...\" (no ':' after the name)");
    return;
  }
  const std::string_view written_name = Trim(text.substr(0, colon));
  if (!IsLocalName(written_name)) {
    Problem(line.first_line(), Shown(written_name) + " is not a local name");
    return;
  }
  const std::string name = AsciiLower(Unquote(written_name));
  if (auto [it, inserted] = defined_on_.emplace(name, line.first_line()); !inserted) {
    Problem(line.first_line(),
            fmt::format("duplicate alias \"{}\" (first defined on line {})", name, it->second));
    return;
  }
  const auto pieces = SplitTargets(text.substr(colon + 1), colon + 1);
  if (pieces.empty()) {
    Problem(line.first_line(), fmt::format("alias \"{}\" has no targets", name));
    return;
  }
  std::vector<std::string> targets;
  bool bad = false;
  for (const auto& [piece, offset] : pieces) {
    std::string target = Unquote(piece);
    std::string why = TargetProblem(target);
    if (!why.empty()) {
      Problem(line.LineAt(offset), std::move(why));
      bad = true;
    }
    targets.push_back(std::move(target));
  }
  if (bad) return;  // the whole entry is skipped: half an alias would lose mail silently
  aliases_.entries.emplace(name, std::move(targets));
}

}  // namespace

Aliases ParseAliases(std::string_view text) { return AliasesParser().Run(text); }

Result<Aliases> LoadAliases(const std::string& path) {
  Result<std::string> text = sys::ReadWholeFile(path);
  if (!text) return tl::unexpected(text.error());
  return ParseAliases(*text);
}

}  // namespace pigeon::mta::policy

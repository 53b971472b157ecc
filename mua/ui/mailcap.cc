// See mailcap.h. RFC 1524 §3 (syntax) and §4 (%-escapes); the search order of §6 is the
// caller's (MailcapFiles).
#include "mua/ui/mailcap.h"

#include "common/message/header.h"
#include "common/sys/file.h"

namespace pigeon::mua::ui {
namespace {

// A file with more entries than this is not a mailcap; the rest is ignored.
constexpr size_t kMaxEntries = 10000;

// Logical lines: a backslash right before the line break joins the next line.
std::vector<std::string> LogicalLines(std::string_view text) {
  std::vector<std::string> lines;
  std::string current;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) {
      current.append(line.substr(0, line.size() - 1));
      continue;
    }
    current.append(line);
    lines.push_back(std::move(current));
    current.clear();
  }
  if (!current.empty()) lines.push_back(std::move(current));
  return lines;
}

// Fields split at ';' not escaped by a backslash; escapes are kept for expansion.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == ';') {
      fields.push_back(message::TrimWhitespace(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  fields.push_back(message::TrimWhitespace(line.substr(std::min(start, line.size()))));
  return fields;
}

std::optional<MailcapEntry> ParseEntry(std::string_view line) {
  std::vector<std::string_view> fields = SplitFields(line);
  if (fields.size() < 2 || fields[0].empty() || fields[1].empty()) return std::nullopt;
  MailcapEntry entry;
  entry.type = message::AsciiLower(fields[0]);
  if (entry.type.find('/') == std::string::npos) entry.type += "/*";
  entry.command = std::string(fields[1]);
  for (size_t i = 2; i < fields.size(); ++i) {
    const std::string_view field = fields[i];
    const size_t equals = field.find('=');
    const std::string name = message::AsciiLower(
        message::TrimWhitespace(field.substr(0, std::min(equals, field.size()))));
    const std::string_view value =
        equals == std::string_view::npos ? "" : message::TrimWhitespace(field.substr(equals + 1));
    if (equals == std::string_view::npos) {
      if (name == "needsterminal") entry.needs_terminal = true;
      if (name == "copiousoutput") entry.copious_output = true;
    } else if (name == "test") {
      entry.test = std::string(value);
    } else if (name == "nametemplate") {
      entry.nametemplate = std::string(value);
    }
  }
  return entry;
}

bool IsShellSafe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("._+,=@:/-").find(c) != std::string_view::npos;
}

}  // namespace

std::vector<MailcapEntry> ParseMailcap(std::string_view text) {
  std::vector<MailcapEntry> entries;
  for (const std::string& line : LogicalLines(text)) {
    const std::string_view trimmed = message::TrimWhitespace(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (std::optional<MailcapEntry> entry = ParseEntry(trimmed)) {
      entries.push_back(std::move(*entry));
      if (entries.size() >= kMaxEntries) break;
    }
  }
  return entries;
}

bool MailcapTypeMatches(std::string_view entry_type, std::string_view content_type) {
  if (entry_type == content_type) return true;
  if (!entry_type.ends_with("/*")) return false;
  const std::string_view major = entry_type.substr(0, entry_type.size() - 1);  // "text/"
  return content_type.starts_with(major);
}

std::string ShellSafe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (!IsShellSafe(c)) c = '_';
  }
  return out;
}

ExpandedCommand ExpandMailcapCommand(std::string_view command, std::string_view file,
                                     const message::ParameterizedValue& content_type) {
  ExpandedCommand out;
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == '\\' && i + 1 < command.size()) {
      out.command.push_back(command[++i]);
      continue;
    }
    if (c != '%' || i + 1 >= command.size()) {
      out.command.push_back(c);
      continue;
    }
    const char code = command[++i];
    if (code == 's') {
      out.command += file;
      out.uses_file = true;
    } else if (code == 't') {
      out.command += ShellSafe(content_type.value);
    } else if (code == '%') {
      out.command.push_back('%');
    } else if (code == '{') {
      const size_t close = command.find('}', i + 1);
      if (close == std::string_view::npos) {
        out.command += command.substr(i - 1);
        break;
      }
      const std::string name = message::AsciiLower(command.substr(i + 1, close - i - 1));
      out.command += ShellSafe(content_type.Param(name).value_or(""));
      i = close;
    } else {
      out.command.push_back('%');
      out.command.push_back(code);
    }
  }
  return out;
}

std::optional<MailcapEntry> Mailcap::Find(const message::ParameterizedValue& content_type,
                                          const MailcapTest& test, bool copious_only) const {
  for (const MailcapEntry& entry : entries_) {
    if (!MailcapTypeMatches(entry.type, content_type.value)) continue;
    if (copious_only && !entry.copious_output) continue;
    if (!entry.test.empty() && !test(ExpandMailcapCommand(entry.test, "", content_type).command)) {
      continue;
    }
    return entry;
  }
  return std::nullopt;
}

std::vector<std::string> MailcapFiles(const char* mailcaps_env, std::string_view configured,
                                      std::string_view home) {
  const std::string_view list = mailcaps_env != nullptr ? mailcaps_env : configured;
  std::vector<std::string> files;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t colon = std::min(list.find(':', start), list.size());
    const std::string_view item = list.substr(start, colon - start);
    start = colon + 1;
    if (item.empty()) continue;
    if (item.starts_with("~/")) {
      if (home.empty()) continue;
      files.push_back(std::string(home) + std::string(item.substr(1)));
    } else {
      files.emplace_back(item);
    }
  }
  return files;
}

Mailcap LoadMailcap(const std::vector<std::string>& files) {
  std::vector<MailcapEntry> entries;
  for (const std::string& file : files) {
    if (file == "-") continue;  // ReadWholeFile's name for standard input
    Result<std::string> text = sys::ReadWholeFile(file);
    if (!text) continue;
    std::vector<MailcapEntry> more = ParseMailcap(*text);
    entries.insert(entries.end(), more.begin(), more.end());
  }
  return Mailcap(std::move(entries));
}

}  // namespace pigeon::mua::ui

#include "mta/policy/alias_target.h"

#include <algorithm>

#include "common/message/charset.h"
#include "mta/policy/smtp_address.h"

namespace pigeon::mta::policy {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && AsciiLower(text.substr(0, prefix.size())) == prefix;
}

AliasTarget Classified(AliasTarget::Kind kind, std::string value = {}, bool expand = true) {
  return AliasTarget{kind, std::move(value), expand};
}

}  // namespace

bool IsLocalName(std::string_view written) {
  const std::optional<SmtpAddress> parsed =
      ParseSmtpAddress(written, /*allow_bare_local_part=*/true);
  return parsed && parsed->domain.empty() && IsUnquotedLocalName(parsed->local_part);
}

bool IsUnquotedLocalName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxAddressLength && message::IsValidUtf8(name) &&
         name.find_first_of("@%!") == std::string_view::npos &&
         std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool IsFolderName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("//") != std::string_view::npos) return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

AliasTarget ClassifyAliasTarget(std::string_view target) {
  using Kind = AliasTarget::Kind;
  if (target.empty()) return Classified(Kind::kInvalid);
  if (target.front() == '|') return Classified(Kind::kProgram);
  if (target.front() == '/') return Classified(Kind::kFile);
  if (StartsWithNoCase(target, ":include:")) return Classified(Kind::kInclude);
  if (target.front() == '+') {
    const std::string_view folder = target.substr(1);
    if (!IsFolderName(folder)) return Classified(Kind::kInvalid);
    // INBOX is named in any case, and "" is how a delivery names it.
    return Classified(Kind::kFolder, AsciiLower(folder) == "inbox" ? "" : std::string(folder));
  }
  if (ParseSmtpAddress(target, /*allow_bare_local_part=*/false)) {
    return Classified(Kind::kAddress, std::string(target));
  }
  const bool expand = target.front() != '\\';
  if (!expand) target.remove_prefix(1);
  if (!IsLocalName(target)) return Classified(Kind::kInvalid);
  const std::optional<SmtpAddress> parsed = ParseSmtpAddress(target, true);
  return Classified(Kind::kLocalName, AsciiLower(parsed->local_part), expand);
}

}  // namespace pigeon::mta::policy

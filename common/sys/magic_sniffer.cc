// libmagic behind message::MimeTypeSniffer; see magic_sniffer.h. The choice between what the
// content says and what the name says is PreferredType, kept pure so it is tested without
// libmagic. Content is untrusted and bounded before libmagic sees it.
#include "common/sys/magic_sniffer.h"

#include <magic.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/message/header.h"

namespace pigeon::sys {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

// libmagic answers that only say "some text", "some bytes", "a zip" or "an OLE2 file": a
// known extension is then more precise (a .csv is text/plain to libmagic, a .docx a zip).
bool IsGeneric(std::string_view type) {
  static constexpr std::array<std::string_view, 4> kGeneric = {
      "application/octet-stream", "text/plain", "application/zip", "application/cdfv2"};
  return std::find(kGeneric.begin(), kGeneric.end(), type) != kGeneric.end();
}

// An empty input (libmagic's x-empty) or an error says nothing about the content.
bool SaysNothing(std::string_view type) {
  return type.find('/') == std::string_view::npos || type == "application/x-empty" ||
         type == "inode/x-empty";
}

// Whether the extension's type is a plausible refinement of a generic content type: text
// stays text (a text file named .png is still text), a zip may be any zip-based format.
bool Refines(std::string_view generic, std::string_view specific) {
  if (generic == "text/plain") {
    return specific.starts_with("text/") || specific == "application/json" ||
           specific == "application/xml" || specific == "application/yaml" ||
           specific == "image/svg+xml" || specific == "application/pgp-signature";
  }
  if (generic == "application/zip") {
    return specific.starts_with("application/vnd.openxmlformats") ||
           specific.starts_with("application/vnd.oasis.opendocument") ||
           specific == "application/epub+zip";
  }
  if (generic == "application/cdfv2") {
    return specific == "application/msword" || specific == "application/vnd.ms-excel" ||
           specific == "application/vnd.ms-powerpoint";
  }
  return true;  // octet-stream: the content told nothing
}

}  // namespace

void MagicSniffer::Closer::operator()(magic_set* handle) const { magic_close(handle); }

MagicSniffer::MagicSniffer(std::unique_ptr<magic_set, Closer> handle)
    : handle_(std::move(handle)) {}

Result<std::unique_ptr<MagicSniffer>> MagicSniffer::Create() {
  // No decompression and no following of embedded formats: less work and less attack
  // surface on attachments from strangers.
  std::unique_ptr<magic_set, Closer> handle(
      magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF));
  if (!handle) return MakeError(ErrorCode::kInternal, "magic_open failed");
  if (magic_load(handle.get(), nullptr) != 0) {
    const char* reason = magic_error(handle.get());
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("magic_load: {}", reason ? reason : "no magic database"));
  }
  return std::unique_ptr<MagicSniffer>(new MagicSniffer(std::move(handle)));
}

std::string MagicSniffer::Sniff(std::string_view content, std::string_view filename) const {
  std::string by_extension = message::ExtensionSniffer().Sniff(content, filename);
  std::string by_content;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const char* answer =
        magic_buffer(handle_.get(), content.data(), std::min(content.size(), kMaxSniffBytes));
    if (answer != nullptr) by_content = message::AsciiLower(answer);
  }
  return PreferredType(by_content, by_extension);
}

std::string PreferredType(std::string_view by_content, std::string_view by_extension) {
  if (SaysNothing(by_content)) return std::string(by_extension);
  bool refine =
      IsGeneric(by_content) && by_extension != kOctetStream && Refines(by_content, by_extension);
  return std::string(refine ? by_extension : by_content);
}

}  // namespace pigeon::sys

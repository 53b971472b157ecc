// ExtensionSniffer (declared in builder.h): a MIME type from a file name's extension alone,
// using a built-in table of common types (IANA registrations where one exists, the usual
// x- names otherwise). The name is untrusted but only compared; content is never looked at.
// Kept apart from builder.cc so the table does not crowd the composing code.
#include <algorithm>
#include <iterator>
#include <string_view>

#include "common/message/builder.h"
#include "common/message/header.h"

namespace pigeon::message {
namespace {

struct ExtensionType {
  std::string_view extension;  // lower case, without the dot
  std::string_view type;
};

constexpr std::string_view kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kPptx =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";

// clang-format off
constexpr ExtensionType kTable[] = {
    // Documents.
    {"pdf", "application/pdf"}, {"rtf", "application/rtf"}, {"epub", "application/epub+zip"},
    {"doc", "application/msword"}, {"docx", kDocx},
    {"xls", "application/vnd.ms-excel"}, {"xlsx", kXlsx},
    {"ppt", "application/vnd.ms-powerpoint"}, {"pptx", kPptx},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
    // Images.
    {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"},
    {"webp", "image/webp"}, {"svg", "image/svg+xml"}, {"bmp", "image/bmp"},
    {"tif", "image/tiff"}, {"tiff", "image/tiff"}, {"ico", "image/vnd.microsoft.icon"},
    {"heic", "image/heic"}, {"avif", "image/avif"},
    // Text and data.
    {"txt", "text/plain"}, {"text", "text/plain"}, {"log", "text/plain"},
    {"html", "text/html"}, {"htm", "text/html"}, {"css", "text/css"}, {"csv", "text/csv"},
    {"tsv", "text/tab-separated-values"}, {"md", "text/markdown"}, {"js", "text/javascript"},
    {"json", "application/json"}, {"xml", "application/xml"}, {"yaml", "application/yaml"},
    {"yml", "application/yaml"}, {"ics", "text/calendar"}, {"vcf", "text/vcard"},
    {"eml", "message/rfc822"}, {"patch", "text/x-diff"}, {"diff", "text/x-diff"},
    // Source code.
    {"c", "text/x-c"}, {"h", "text/x-c"}, {"cc", "text/x-c++"}, {"cpp", "text/x-c++"},
    {"cxx", "text/x-c++"}, {"hpp", "text/x-c++"}, {"py", "text/x-python"},
    {"sh", "text/x-shellscript"}, {"rs", "text/x-rust"}, {"go", "text/x-go"},
    {"java", "text/x-java"},
    // Archives.
    {"zip", "application/zip"}, {"gz", "application/gzip"}, {"tgz", "application/gzip"},
    {"tar", "application/x-tar"}, {"bz2", "application/x-bzip2"}, {"xz", "application/x-xz"},
    {"zst", "application/zstd"}, {"7z", "application/x-7z-compressed"},
    {"rar", "application/vnd.rar"},
    // Audio and video.
    {"mp3", "audio/mpeg"}, {"wav", "audio/wav"}, {"ogg", "audio/ogg"}, {"flac", "audio/flac"},
    {"m4a", "audio/mp4"}, {"mp4", "video/mp4"}, {"webm", "video/webm"},
    {"mov", "video/quicktime"}, {"mkv", "video/x-matroska"},
    // Signatures and keys.
    {"asc", "application/pgp-signature"}, {"sig", "application/pgp-signature"},
    {"p7s", "application/pkcs7-signature"},
    // Fonts.
    {"ttf", "font/ttf"}, {"woff", "font/woff"},
};
// clang-format on

}  // namespace

std::string ExtensionSniffer::Sniff(std::string_view /*content*/, std::string_view filename) const {
  size_t dot = filename.rfind('.');
  // No dot, or only a leading one (".profile"): a hidden file's name, not an extension.
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  std::string extension = AsciiLower(filename.substr(dot + 1));
  auto found = std::find_if(std::begin(kTable), std::end(kTable), [&](const ExtensionType& entry) {
    return entry.extension == extension;
  });
  return std::string(found == std::end(kTable) ? "application/octet-stream" : found->type);
}

}  // namespace pigeon::message

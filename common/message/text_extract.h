// Text for the search index and snippets: the decoded UTF-8 text of every text/plain leaf and
// of text/html leaves with tags, scripts and styles removed and entities decoded. Attachments
// with a file name are skipped. Output is bounded in size.
#pragma once

#include <string>
#include <string_view>

#include "common/message/mime.h"

namespace pigeon::message {

inline constexpr size_t kMaxExtractedText = 4 * 1024 * 1024;

std::string ExtractSearchText(const Part& root);
// Tags removed, block elements become line breaks, entities (named and numeric) decoded.
std::string HtmlToText(std::string_view html);

}  // namespace pigeon::message

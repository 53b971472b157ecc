// Fuzzes ParseMime on arbitrary bytes and uses the whole tree as a reader would: every part's
// transfer decoding and UTF-8 text, the search text, and HTML conversion. Must hold for any
// input: no crash, no hang, the tree within kMaxMimeDepth and kMaxMimeParts, every text and
// every decoded file name valid UTF-8, the search text within kMaxExtractedText.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message/charset.h"
#include "common/message/mime.h"
#include "common/message/text_extract.h"

using pigeon::message::Defects;
using pigeon::message::IsValidUtf8;
using pigeon::message::Part;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckPart(const Part& part) {
  Defects defects;
  std::string decoded = part.DecodedBody(&defects);
  Check(IsValidUtf8(part.TextUtf8(&defects)));
  if (part.filename) Check(IsValidUtf8(*part.filename));
  for (const auto& [name, value] : part.content_type_field.params) Check(IsValidUtf8(value));
  Check(!part.transfer_encoding.empty());
  Check(!part.content_type.empty());
  if (part.content_type == "text/html") {
    std::string text = part.TextUtf8(nullptr);
    Check(IsValidUtf8(pigeon::message::HtmlToText(text)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Defects defects;
  const Part root = pigeon::message::ParseMime(input, &defects);

  // Pre-order walk with an explicit stack, so the harness itself does not depend on depth.
  std::vector<std::pair<const Part*, int>> stack = {{&root, 0}};
  size_t parts = 0;
  while (!stack.empty()) {
    auto [part, depth] = stack.back();
    stack.pop_back();
    Check(depth <= pigeon::message::kMaxMimeDepth);
    Check(++parts <= pigeon::message::kMaxMimeParts);
    CheckPart(*part);
    for (const Part& child : part->children) stack.emplace_back(&child, depth + 1);
  }

  const std::string text = pigeon::message::ExtractSearchText(root);
  Check(text.size() <= pigeon::message::kMaxExtractedText);
  Check(IsValidUtf8(text));
  if (IsValidUtf8(input)) Check(IsValidUtf8(pigeon::message::HtmlToText(input)));
  return 0;
}

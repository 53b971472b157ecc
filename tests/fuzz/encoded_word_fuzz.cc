// Fuzzes RFC 2047 decoding and encoding. For any bytes: DecodeEncodedWords returns valid UTF-8.
// For any valid UTF-8 text: EncodeUnstructured and EncodePhrase produce values without a bare
// CR or LF (they go into header fields) that decode back to the text exactly, without defects.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/charset.h"
#include "common/message/encoded_word.h"

using pigeon::message::Defects;

namespace {

// Every CR or LF must be part of a fold: CRLF followed by a space or tab.
bool OnlyFolds(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') return false;
    if (s[i] != '\r') continue;
    if (i + 2 >= s.size() || s[i + 1] != '\n' || (s[i + 2] != ' ' && s[i + 2] != '\t')) {
      return false;
    }
    i += 1;
  }
  return true;
}

void CheckRoundTrip(const std::string& text, const std::string& encoded) {
  if (!OnlyFolds(encoded)) std::abort();
  Defects defects;
  if (pigeon::message::DecodeEncodedWords(encoded, &defects) != text) std::abort();
  if (!defects.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Defects defects;
  const std::string decoded = pigeon::message::DecodeEncodedWords(input, &defects);
  if (!pigeon::message::IsValidUtf8(decoded)) std::abort();

  const std::string text = pigeon::message::SanitizeUtf8(input);
  const size_t used = size % 40;
  CheckRoundTrip(text, pigeon::message::EncodeUnstructured(text, used));
  CheckRoundTrip(text, pigeon::message::EncodePhrase(text));
  return 0;
}

// Fuzzes the transfer encodings. For any bytes: the base64, quoted-printable and Q decoders
// never crash and never produce more bytes than they read; encoding then decoding gives the
// input back without defects (quoted-printable turns every line break into CRLF) and encoded
// lines stay within RFC 2045's 76 columns.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/codec.h"

using pigeon::message::Defects;

namespace {

std::string WithCrlf(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

void CheckLines(std::string_view encoded) {
  size_t start = 0;
  while (true) {
    const size_t end = encoded.find("\r\n", start);
    const size_t length = (end == std::string_view::npos ? encoded.size() : end) - start;
    if (length > 76) std::abort();
    if (end == std::string_view::npos) return;
    start = end + 2;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (pigeon::message::DecodeBase64(input, nullptr).size() > size) std::abort();
  if (pigeon::message::DecodeQuotedPrintable(input, nullptr).size() > size) std::abort();
  if (pigeon::message::DecodeQ(input, nullptr).size() > size) std::abort();

  Defects defects;
  const std::string base64 = pigeon::message::EncodeBase64(input);
  CheckLines(base64);
  if (pigeon::message::DecodeBase64(base64, &defects) != input) std::abort();

  const std::string qp = pigeon::message::EncodeQuotedPrintable(input);
  CheckLines(qp);
  if (pigeon::message::DecodeQuotedPrintable(qp, &defects) != WithCrlf(input)) std::abort();
  if (!defects.empty()) std::abort();
  return 0;
}

// Fuzzes the header section: SplitHeaderBody, Header::Parse, Unfolded on every field, and
// ParseParameterizedValue on each field value (as Content-Type and Content-Disposition are
// read). Must hold for any input: no crash; the split covers the input exactly; unfolded values
// hold no line break; parameter values are valid UTF-8, and FormatParameter of a parameter
// parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/charset.h"
#include "common/message/header.h"
#include "common/message/mime.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsPlainParamName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || std::string_view("()<>@,;:\\\"/[]?=*'%").find(c) != name.npos) {
      return false;
    }
  }
  return true;
}

void CheckParameters(const std::string& value) {
  pigeon::message::Defects defects;
  const pigeon::message::ParameterizedValue parsed =
      pigeon::message::ParseParameterizedValue(value, &defects);
  for (const auto& [name, param] : parsed.params) {
    Check(pigeon::message::IsValidUtf8(param));
    if (!IsPlainParamName(name)) continue;
    const std::string formatted = "x/y; " + pigeon::message::FormatParameter(name, param);
    Check(pigeon::message::ParseParameterizedValue(formatted, nullptr).Param(name) == param);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const pigeon::message::HeaderBodySplit split = pigeon::message::SplitHeaderBody(input);
  Check(split.header.size() + split.body.size() <= input.size());
  Check(input.starts_with(split.header) && input.ends_with(split.body));

  pigeon::message::Defects defects;
  const pigeon::message::Header header = pigeon::message::Header::Parse(split.header, &defects);
  Check(header.fields().size() <= pigeon::message::kMaxHeaderFields);
  for (const pigeon::message::HeaderField& field : header.fields()) {
    const std::string unfolded = field.Unfolded();
    Check(unfolded.find_first_of("\r\n") == std::string::npos);
    CheckParameters(unfolded);
  }
  CheckParameters(std::string(input));  // the raw bytes as one (folded) field value
  return 0;
}

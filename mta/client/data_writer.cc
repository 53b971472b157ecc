// See data_writer.h.
#include "mta/client/data_writer.h"

#include <algorithm>

namespace pigeon::mta::client {

std::string DataWriter::Next(size_t max_input) {
  std::string out;
  if (done_) return out;
  const size_t end = std::min(body_.size(), pos_ + std::max<size_t>(max_input, 1));
  out.reserve(end - pos_ + (end - pos_) / 8 + 8);
  for (; pos_ < end; ++pos_) {
    const char c = body_[pos_];
    if (c == '\n') {
      // A CR just before it was already written as CRLF.
      if (!after_cr_) out += "\r\n";
      after_cr_ = false;
      line_start_ = true;
      continue;
    }
    after_cr_ = false;
    if (c == '\r') {
      out += "\r\n";
      after_cr_ = true;
      line_start_ = true;
      continue;
    }
    if (line_start_ && c == '.') out.push_back('.');  // RFC 5321 §4.5.2 transparency
    out.push_back(c);
    line_start_ = false;
  }
  if (pos_ == body_.size()) {
    out += line_start_ ? ".\r\n" : "\r\n.\r\n";
    done_ = true;
  }
  return out;
}

}  // namespace pigeon::mta::client

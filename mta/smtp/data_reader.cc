// See data_reader.h. The reader works line by line, a line being everything up to an LF; its
// only memory of the past is whether the previous line ended with CRLF, which is all the
// end-of-data rule needs, so the result does not depend on how the input is chunked.
#include "mta/smtp/data_reader.h"

#include <algorithm>

namespace pigeon::mta::smtp {
namespace {

// Kept of a line: its text up to the limit plus the CR of its CRLF. A longer line is too long
// whatever it ends with, so the rest of it is only counted.
constexpr size_t kKeptLine = kMaxTextLine + 1;

}  // namespace

DataReader::DataReader(uint64_t max_message_size, std::string prefix)
    : max_message_size_(max_message_size),
      prefix_size_(prefix.size()),
      content_(std::move(prefix)) {}

size_t DataReader::Consume(std::string_view input) {
  size_t used = 0;
  while (used < input.size() && !done_) {
    const std::string_view rest = input.substr(used);
    const size_t lf = rest.find('\n');
    AddToLine(rest.substr(0, lf));
    if (lf == std::string_view::npos) return input.size();
    used += lf + 1;
    EndLine();
  }
  return used;
}

void DataReader::AddToLine(std::string_view piece) {
  if (piece.empty()) return;
  line_length_ += piece.size();
  line_ends_with_cr_ = piece.back() == '\r';
  const size_t room = kKeptLine - std::min(line_.size(), kKeptLine);
  line_.append(piece.substr(0, room));
}

void DataReader::EndLine() {
  const bool crlf = line_ends_with_cr_;
  const uint64_t text_length = line_length_ - (crlf ? 1 : 0);
  if (crlf && at_clean_line_start_ && text_length == 1 && line_[0] == '.') {
    done_ = true;
  } else {
    if (!crlf) saw_bare_lf_ = true;
    const size_t unstuffed = text_length > 1 && line_[0] == '.' ? 1 : 0;  // §4.5.2
    size_ += text_length - unstuffed + 2;
    if (text_length > kMaxTextLine) Fail(Outcome::kLineTooLong);
    if (size_ > max_message_size_) Fail(Outcome::kTooBig);
    if (outcome_ == Outcome::kComplete) {
      content_.append(line_, unstuffed, text_length - unstuffed).append("\r\n");
    }
  }
  at_clean_line_start_ = crlf;
  line_.clear();
  line_length_ = 0;
  line_ends_with_cr_ = false;
}

void DataReader::Fail(Outcome outcome) {
  if (outcome_ != Outcome::kComplete) return;
  outcome_ = outcome;
  content_.clear();
  content_.shrink_to_fit();
}

std::string DataReader::TakeContent() { return std::move(content_); }

}  // namespace pigeon::mta::smtp

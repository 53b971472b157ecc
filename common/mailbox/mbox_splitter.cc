#include "common/mailbox/mbox_splitter.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace pigeon::mailbox {
namespace {

constexpr std::string_view kFrom = "From ";
// Bytes looked at after a Content-Length-delimited body: "\r\nFrom ".
constexpr size_t kCountedLookahead = 7;
constexpr size_t kCompactAbove = 64 * 1024;

bool IsBlank(std::string_view line) { return line == "\n" || line == "\r\n"; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsCountedVariant(MboxVariant v) {
  return v == MboxVariant::kMboxcl || v == MboxVariant::kMboxcl2;
}

// The value of a "Content-Length:" header line, if the line is one with a plain number.
std::optional<uint64_t> ContentLength(std::string_view line, bool* is_content_length) {
  constexpr std::string_view kName = "content-length:";
  *is_content_length = false;
  if (line.size() < kName.size()) return std::nullopt;
  for (size_t i = 0; i < kName.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kName[i]) return std::nullopt;
  }
  *is_content_length = true;
  std::string_view value = line.substr(kName.size());
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  if (value.empty() || value.size() > 18) return std::nullopt;
  uint64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

// Whether `rest`, the bytes after a Content-Length body ending in `last`, is what a correct
// Content-Length leads to; `*separator` gets the length of the empty line to skip.
bool CountedEndIsValid(std::string_view rest, char last, size_t* separator) {
  *separator = 0;
  if (rest.empty()) return true;
  for (std::string_view blank : {std::string_view("\n"), std::string_view("\r\n")}) {
    if (rest == blank || StartsWith(rest, std::string(blank) + std::string(kFrom))) {
      *separator = blank.size();
      return true;
    }
  }
  return last == '\n' && StartsWith(rest, kFrom);
}

}  // namespace

MboxSplitter::MboxSplitter(MboxOptions options) : options_(options) {}

void MboxSplitter::Feed(std::string_view chunk) {
  if (finished_ || chunk.empty()) return;
  buffer_.append(chunk);
  Process();
}

void MboxSplitter::Finish() {
  if (finished_) return;
  finished_ = true;
  Process();
}

std::optional<MboxMessage> MboxSplitter::Next() {
  if (ready_.empty()) return std::nullopt;
  MboxMessage message = std::move(ready_.front());
  ready_.pop_front();
  ready_bytes_ -= message.data.size();
  return message;
}

std::vector<MboxWarning> MboxSplitter::TakeWarnings() { return std::exchange(warnings_, {}); }

size_t MboxSplitter::BufferedBytes() const {
  return buffer_.capacity() + current_.data.capacity() + ready_bytes_;
}

void MboxSplitter::Warn(uint64_t offset, std::string text) {
  if (warnings_.size() < kMaxWarnings) {
    warnings_.push_back({offset, std::move(text)});
  } else if (warnings_.size() == kMaxWarnings) {
    warnings_.push_back({offset, "further warnings suppressed"});
  }
}

// Cuts buffer_ into lines (or a counted body) and hands them on. Only complete lines are
// decided on before the end of input, which keeps the result independent of the chunking.
void MboxSplitter::Process() {
  for (;;) {
    if (state_ == State::kCounted) {
      if (!StepCounted()) break;
      continue;
    }
    size_t newline = buffer_.find('\n', scan_);
    if (newline == std::string::npos) {
      scan_ = buffer_.size();
      if (pos_ == buffer_.size()) break;
      if (!finished_) {
        BoundPartialLine();
        break;
      }
      newline = buffer_.size() - 1;  // the last line has no line ending
    }
    const std::string_view line(buffer_.data() + pos_, newline + 1 - pos_);
    const uint64_t offset = base_offset_ + pos_;
    pos_ = scan_ = newline + 1;
    HandleLine(line, offset);
  }
  if (finished_ && !ended_ && state_ != State::kCounted) {
    ended_ = true;
    if (state_ == State::kHeaders || state_ == State::kBody) FinishMessage();
    WarnOutsideBytes();
  }
  Compact();
}

void MboxSplitter::WarnOutsideBytes() {
  if (outside_bytes_ == 0) return;
  Warn(outside_offset_, fmt::format("byte {}: skipped {} bytes not preceded by a From_ line",
                                    outside_offset_, outside_bytes_));
  outside_bytes_ = 0;
}

void MboxSplitter::Compact() {
  if (pos_ == buffer_.size()) {
    base_offset_ += pos_;
    buffer_.clear();
    pos_ = scan_ = 0;
  } else if (pos_ > buffer_.size() / 2) {  // moves fewer bytes than were consumed
    buffer_.erase(0, pos_);
    base_offset_ += pos_;
    scan_ -= pos_;
    pos_ = 0;
  }
  if (buffer_.capacity() > kCompactAbove && buffer_.size() < buffer_.capacity() / 4) {
    buffer_.shrink_to_fit();
  }
}

// A line that is still incomplete can wait, unless it is already too long to be a From_ line
// and would overflow what it is held for; then it is decided now, the same way the complete
// line would be.
void MboxSplitter::BoundPartialLine() {
  const size_t partial = buffer_.size() - pos_;
  if (partial <= kMaxFromLineBytes) return;
  if (state_ == State::kHeaders || state_ == State::kBody) {
    if (current_.data.size() + partial <= options_.max_message_bytes) return;
    EnterSkipping();
  }
  if (state_ == State::kOutside) {
    if (outside_bytes_ == 0) outside_offset_ = base_offset_ + pos_;
    outside_bytes_ += partial;
  }
  mid_line_ = true;
  prev_blank_ = false;
  pos_ = scan_ = buffer_.size();
}

void MboxSplitter::HandleLine(std::string_view line, uint64_t offset) {
  if (mid_line_) {  // the end of a line already judged (not a From_ line, not empty)
    mid_line_ = false;
    if (state_ == State::kOutside) outside_bytes_ += line.size();
    prev_blank_ = false;
    return;
  }
  if (StartsWith(line, kFrom) && IsSeparator(line)) {
    StartMessage(line, offset);
    return;
  }
  switch (state_) {
    case State::kOutside:
      if (outside_bytes_ == 0) outside_offset_ = offset;
      outside_bytes_ += line.size();
      break;
    case State::kHeaders:
    case State::kBody:
      AppendLine(line);
      break;
    case State::kSkipping:
    case State::kCounted:
      break;
  }
  prev_blank_ = IsBlank(line);
  prev_len_ = line.size();
  if (state_ == State::kHeaders) {
    if (prev_blank_) {
      EndHeaders();
    } else {
      NoteHeader(line);
    }
  }
}

bool MboxSplitter::IsSeparator(std::string_view line) const {
  if (line.size() > kMaxFromLineBytes) return false;
  return state_ == State::kOutside || prev_blank_ || HasStrictFromLineShape(line);
}

void MboxSplitter::StartMessage(std::string_view line, uint64_t offset) {
  if (state_ == State::kHeaders || state_ == State::kBody) FinishMessage();
  WarnOutsideBytes();
  current_ = MboxMessage{};
  current_.index = message_count_++;
  current_.offset = offset;
  current_.envelope = ParseFromLine(line);
  content_length_.reset();
  content_length_duplicate_ = false;
  state_ = State::kHeaders;
  prev_blank_ = false;
  prev_len_ = 0;
}

void MboxSplitter::AppendLine(std::string_view line) {
  if (current_.data.size() + line.size() > options_.max_message_bytes) {
    EnterSkipping();
    return;
  }
  current_.data.append(line.substr(QuotesToRemove(line)));
}

void MboxSplitter::NoteHeader(std::string_view line) {
  if (!IsCountedVariant(options_.variant)) return;
  bool is_content_length = false;
  std::optional<uint64_t> length = ContentLength(line, &is_content_length);
  if (!is_content_length) return;
  if (content_length_.has_value() || content_length_duplicate_) {
    content_length_duplicate_ = true;
    content_length_.reset();
    return;
  }
  if (!length.has_value()) content_length_duplicate_ = true;  // unusable: ignore all
  content_length_ = length;
}

void MboxSplitter::EndHeaders() {
  state_ = State::kBody;
  if (!content_length_.has_value() || content_length_duplicate_) return;
  if (*content_length_ > options_.max_message_bytes - current_.data.size()) return;
  counted_length_ = *content_length_;
  state_ = State::kCounted;
}

// Decides a Content-Length body once its bytes and the lookahead after it are buffered.
bool MboxSplitter::StepCounted() {
  const size_t available = buffer_.size() - pos_;
  const size_t n = static_cast<size_t>(counted_length_);
  if (available < n + kCountedLookahead && !finished_) return false;
  size_t separator = 0;
  const bool valid =
      available >= n && CountedEndIsValid(std::string_view(buffer_).substr(pos_ + n),
                                          n > 0 ? buffer_[pos_ + n - 1] : '\n', &separator);
  if (!valid) {
    Warn(current_.offset, fmt::format("message {} at byte {}: Content-Length {} does not end at "
                                      "a From_ line; split on From_ lines instead",
                                      current_.index, current_.offset, n));
    state_ = State::kBody;
    scan_ = pos_;
    return true;
  }
  std::string_view body(buffer_.data() + pos_, n);
  while (!body.empty()) {
    size_t end = body.find('\n');
    end = end == std::string_view::npos ? body.size() : end + 1;
    std::string_view line = body.substr(0, end);
    current_.data.append(line.substr(QuotesToRemove(line)));
    body.remove_prefix(end);
  }
  pos_ += n + separator;
  scan_ = pos_;
  prev_blank_ = false;  // the announced length is the message, empty last line included
  FinishMessage();
  return true;
}

void MboxSplitter::EnterSkipping() {
  Warn(current_.offset, fmt::format("message {} at byte {}: larger than {} bytes; skipped",
                                    current_.index, current_.offset, options_.max_message_bytes));
  current_.data.clear();
  current_.data.shrink_to_fit();
  state_ = State::kSkipping;
}

void MboxSplitter::FinishMessage() {
  if (prev_blank_) current_.data.resize(current_.data.size() - prev_len_);
  ready_bytes_ += current_.data.size();
  ready_.push_back(std::move(current_));
  current_ = MboxMessage{};
  state_ = State::kOutside;
}

size_t MboxSplitter::QuotesToRemove(std::string_view line) const {
  switch (options_.variant) {
    case MboxVariant::kMboxcl2:
      return 0;
    case MboxVariant::kMboxo:
    case MboxVariant::kMboxcl:
      return StartsWith(line, ">From ") ? 1 : 0;
    case MboxVariant::kAuto:
    case MboxVariant::kMboxrd:
      break;
  }
  const size_t quotes = std::min(line.find_first_not_of('>'), line.size());
  return quotes > 0 && StartsWith(line.substr(quotes), kFrom) ? 1 : 0;
}

}  // namespace pigeon::mailbox

// The message as it goes out after DATA's 354 (RFC 5321 §4.5.2, §2.3.8): line breaks made
// CRLF (a bare LF or bare CR in the stored message becomes CRLF, as nothing else may travel),
// a "." that starts a line doubled, a last line without a break closed, then "." CRLF.
// Produced in chunks, so the body is never copied whole; it must outlive the writer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pigeon::mta::client {

class DataWriter {
 public:
  // Input bytes taken per Next() call (the output is at most about twice that).
  static constexpr size_t kChunk = 64 * 1024;

  explicit DataWriter(std::string_view body) : body_(body) {}

  // The next piece of the stuffed data; the last one ends with "\r\n.\r\n" (or ".\r\n" for
  // an empty body). Empty once done().
  std::string Next(size_t max_input = kChunk);
  bool done() const { return done_; }

 private:
  std::string_view body_;
  size_t pos_ = 0;
  bool line_start_ = true;
  bool after_cr_ = false;  // the last byte was a CR, already written as CRLF
  bool done_ = false;
};

}  // namespace pigeon::mta::client

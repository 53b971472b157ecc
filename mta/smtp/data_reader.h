// The DATA phase (RFC 5321 §4.1.1.4, §4.5.2): message text after the 354 reply, read
// incrementally until the end-of-data line.
//
// SECURITY (SMTP smuggling, CVE-2023-51764 and kin): the data ends ONLY at CRLF "." CRLF: a
// line that is exactly "." and ends with CRLF, right after a line that also ended with CRLF
// (or as the very first line). "\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r\n.\r", bare CR and
// bare LF never end the data, whatever follows them, so a second message can never be
// smuggled inside the first. Bare LF is a line end for storage and becomes CRLF (Postfix's
// "normalize"); bare CR stays as it is; 8-bit bytes are kept exactly; a leading "." of a
// longer line is removed (dot-unstuffing).
//
// Limits: a text line is at most 1,000 octets with its CRLF (§4.5.3.1.6) and the message at
// most `max_message_size` octets as stored. Past either, the reader keeps reading to the
// real end, discarding the content, and reports the outcome there. Memory: the content (at
// most the prefix plus `max_message_size`) plus one line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pigeon::mta::smtp {

// RFC 5321 §4.5.3.1.6: 1,000 octets with the CRLF.
inline constexpr size_t kMaxTextLine = 998;

class DataReader {
 public:
  enum class Outcome {
    kComplete,     // the content is there
    kTooBig,       // more than max_message_size octets: discarded
    kLineTooLong,  // a line over kMaxTextLine: discarded
  };

  // `prefix` (the Received header) starts the content and is not counted against the limit.
  explicit DataReader(uint64_t max_message_size, std::string prefix = {});

  // Reads from the front of `input` up to and including the end-of-data line; returns how
  // many bytes it used (all of them unless the end was found). Nothing once done().
  size_t Consume(std::string_view input);

  bool done() const { return done_; }
  // The first limit exceeded, if any. Final once done().
  Outcome outcome() const { return outcome_; }
  // Octets of text received so far, as stored (unstuffed, CRLF line ends), prefix excluded.
  uint64_t size() const { return size_; }
  bool saw_bare_lf() const { return saw_bare_lf_; }
  size_t prefix_size() const { return prefix_size_; }
  // The prefix and the text, CRLF line ends; empty unless outcome() is kComplete.
  std::string TakeContent();

 private:
  void AddToLine(std::string_view piece);
  void EndLine();
  void Fail(Outcome outcome);

  uint64_t max_message_size_;
  size_t prefix_size_;
  std::string content_;
  std::string line_;  // the current line, at most kMaxTextLine + 1 octets kept
  uint64_t line_length_ = 0;
  bool line_ends_with_cr_ = false;
  bool at_clean_line_start_ = true;  // the previous line ended with CRLF, or there was none
  uint64_t size_ = 0;
  Outcome outcome_ = Outcome::kComplete;
  bool saw_bare_lf_ = false;
  bool done_ = false;
};

}  // namespace pigeon::mta::smtp

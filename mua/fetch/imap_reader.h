// IMAP4rev1 server responses (RFC 3501 §7, §9 "response"), read incrementally from the bytes
// of a connection: Feed() what arrived, Next() takes out each complete response. Pure, no I/O.
// The input is the server's and untrusted: a line outside literals is bounded, a literal
// ({N}, RFC 3501 §4.3) is bounded, and anything malformed is an error, never a crash.
//
// Only what fetching needs is taken apart: tagged and untagged status responses with their
// response code ([UIDVALIDITY n]), "* N EXISTS" and the like, and FETCH with UID, RFC822.SIZE
// and BODY[] (whole-message bodies; FLAGS and other items are skipped). Other untagged
// responses (CAPABILITY, FLAGS, LIST…) keep their text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

struct ImapLimits {
  size_t max_line = 1 << 20;             // octets of one line, literals not counted
  size_t max_literal = size_t{1} << 30;  // octets of one literal (a message)
};

struct ImapFetchData {
  std::optional<uint32_t> uid;
  std::optional<uint64_t> size;     // RFC822.SIZE
  std::optional<std::string> body;  // BODY[] or RFC822: the whole message
};

struct ImapResponse {
  enum class Kind { kContinuation, kUntagged, kTagged };
  Kind kind = Kind::kUntagged;
  std::string tag;     // kTagged only
  std::string status;  // "OK", "NO", "BAD", "BYE", "PREAUTH"; "" for other responses
  std::string code;    // the response code without brackets: "UIDVALIDITY 3857529045"
  std::string text;    // human-readable text, or the rest of an untagged data response
  // "* 3 EXISTS", "* 4 FETCH (…)": the number and the upper-cased name. "* CAPABILITY …":
  // number nullopt, name "CAPABILITY", the rest in text.
  std::optional<uint32_t> number;
  std::string name;
  ImapFetchData fetch;  // name == "FETCH"
};

// The value of a response code's number ("UIDVALIDITY 42" with key "UIDVALIDITY" → 42), or
// nullopt when the code is another one or its argument is not a number below 2^32.
std::optional<uint32_t> CodeNumber(std::string_view code, std::string_view key);

class ImapReader {
 public:
  explicit ImapReader(ImapLimits limits = {}) : limits_(limits) {}

  void Feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete response; nullopt when more bytes are needed; an error (kProtocol) for
  // a response that breaks the grammar or a limit. After an error the reader is unusable.
  Result<std::optional<ImapResponse>> Next();
  // Octets received and not yet returned as a response.
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  // The end of the first complete response in the buffer, 0 when it is incomplete.
  Result<size_t> CompleteEnd();

  ImapLimits limits_;
  std::string buffer_;
  size_t start_ = 0;  // responses before this offset were returned already
};

}  // namespace pigeon::mua::fetch

// What sendmail adds to a message handed over by a script or a mail program, as Postfix's
// cleanup and msmtp do: a Date, a Message-ID and a From when they are missing, and no Bcc
// fields (they would show the blind copies to everyone). With -t the recipients come from the
// header: Resent-To/Cc/Bcc when the message has a Resent- block, else To, Cc and Bcc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::mta::submit {

struct HeaderDefaults {
  std::string from;        // the whole From value for a message without one: "Ada <ada@x>"
  std::string date;        // RFC 5322 date for a missing Date
  std::string message_id;  // "<id@domain>" for a missing Message-ID
};

struct CompletedMessage {
  std::string raw;                             // CRLF line ends, like the input
  std::vector<std::string> header_recipients;  // addr-specs, in order, duplicates kept
  bool has_resent_block = false;
};

// `raw` has CRLF line ends. A message whose first line is not a header field is all body:
// the added fields and an empty line go in front of it. A leading mbox "From " line is dropped.
// `raw` is edited in place (moved in, moved out): a big message is never copied.
CompletedMessage CompleteHeaders(std::string raw, const HeaderDefaults& defaults);

}  // namespace pigeon::mta::submit

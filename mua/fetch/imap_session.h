// Tagged IMAP commands over a logged-in MailConnection (RFC 3501 §2.2): sends "P<n> COMMAND",
// hands each untagged response to the caller as it arrives (a FETCH body is never held longer
// than its handler runs), and ends at the command's tagged reply. The tags start with "P" so
// they never equal those libcurl used while logging in ("A001"…).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/util/result.h"
#include "mua/fetch/imap_reader.h"
#include "mua/fetch/mail_connection.h"

namespace pigeon::mua::fetch {

class ImapSession {
 public:
  using UntaggedHandler = std::function<Result<void>(ImapResponse&)>;

  // `connection` must outlive the session.
  ImapSession(MailConnection& connection, ImapLimits limits = {})
      : connection_(connection), reader_(limits) {}

  // Runs `command` (without tag or line end). Untagged responses go to `untagged` (which may
  // take their contents); a handler error ends the command with that error once the tagged
  // reply has been read (so the session stays usable). NO and BAD are errors naming the
  // command's verb and the server's text; BYE is an error at once.
  Result<ImapResponse> Command(std::string_view command, const UntaggedHandler& untagged);

  MailConnection& connection() { return connection_; }

 private:
  Result<ImapResponse> NextResponse();

  MailConnection& connection_;
  ImapReader reader_;
  std::string receive_buffer_;  // one allocation for every read
  uint64_t next_tag_ = 1;
};

// `name` as an IMAP quoted string (RFC 3501 §4.3): quotes and backslashes escaped.
std::string QuoteImapString(std::string_view name);

}  // namespace pigeon::mua::fetch

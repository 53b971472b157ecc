// Handing a submission to a running pigeond instead of writing the store from the submitting
// process, as Postfix's postdrop hands mail to its pickup daemon. pigeond's warm store
// connection does the same work as the direct path (mta/submit/submitter.h) in a fraction of
// the time a fresh process needs to open the store, and any local user may submit through it
// (pigeond learns who from the socket, not from the request). Without a listening pigeond the
// caller writes the store itself: the message is durable either way before exit 0.
//
// The stream socket "<store>.submit" carries one request and one reply per connection:
//   request  "pigeon-submit 1\n", then "key value\n" lines (values %XX-escaped), an empty
//            line, then exactly `size` bytes of message (CRLF line ends, as ReadMessage made
//            them);
//   reply    "ok QUEUEID LOCAL REMOTE\n" once the message is durable, or
//            "error CODE TEXT\n" (CODE: the ErrorCode's number) when it was refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"
#include "mta/submit/message_input.h"
#include "mta/submit/submitter.h"

namespace pigeon::mta::submit {

// "<store>.submit": pigeond listens, sendmail connects.
std::string HandoffSocketPath(const std::string& store_path);

// The request's head: what the submitting program decided. Who submits is not in it.
struct HandoffHead {
  Submission submission;  // queue_id, extra_copies and submitted_by are not carried
  bool eight_bit = false;
  uint64_t size = 0;  // message bytes after the head
};

inline constexpr size_t kMaxHandoffHead = 1 << 20;

std::string EncodeHandoffHead(const Submission& submission, const MessageInput& message);
// `head` without its final empty line. Errors: kParse naming the bad line.
Result<HandoffHead> ParseHandoffHead(std::string_view head);

std::string EncodeHandoffReply(const Result<SubmitOutcome>& outcome);
// The outcome pigeond reported (its error, when refused); kParse for a garbled reply.
Result<Result<SubmitOutcome>> ParseHandoffReply(std::string_view line);

// The client: nullopt when no pigeond took the message (none listening, or it closed the
// connection before answering): the caller then writes the store itself. Otherwise pigeond's
// outcome; an error of kBusy when it took the message but did not answer in time.
std::optional<Result<SubmitOutcome>> HandToPigeond(const std::string& store_path,
                                                   const Submission& submission,
                                                   const MessageInput& message);

}  // namespace pigeon::mta::submit

// Delivery status notifications (RFC 3464, RFC 6522 multipart/report, RFC 6533 for UTF-8
// addresses and 8-bit headers): bounces, delay warnings and success reports as complete
// message bytes (CRLF, every line ≤ 998 octets) ready to be queued from the null sender.
// Trust: addresses and names come from the queue (checked, refused when they hold control
// bytes); remote replies and the original message are hostile and are cleaned, cut or carried
// in a safe part. Pure: times, the Message-ID and the host name come from the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mta::queue {

// RFC 3464 §2.3.3.
enum class DsnAction { kFailed, kDelayed, kDelivered, kRelayed, kExpanded };
std::string_view DsnActionName(DsnAction action);  // "failed", …

struct RecipientReport {
  std::string address;                            // the final recipient (SMTP form, UTF-8 allowed)
  std::optional<std::string> original_recipient;  // ORCPT or the address as received
  DsnAction action = DsnAction::kFailed;
  std::string status;                       // RFC 3463 "5.1.1"
  std::optional<std::string> remote_mta;    // host name of the server that replied
  std::optional<std::string> diagnostic;    // its reply, possibly multi-line ("550 5.1.1 …")
  std::string diagnostic_type = "smtp";     // or "X-Pigeon" for local errors
  std::optional<int64_t> last_attempt;      // UTC seconds; default: the report's `now`
  std::optional<int64_t> will_retry_until;  // shown for kDelayed
};

// What of the original goes back (RET=HDRS / RET=FULL of RFC 3461).
enum class ReturnContent { kHeaders, kFull };

struct DsnRequest {
  std::string reporting_host;              // this MTA's name: Reporting-MTA, From, the text
  std::string envelope_sender;             // the original MAIL FROM, receives the report; "" = null
  std::string queue_id;                    // "" when unknown
  std::optional<std::string> envelope_id;  // ENVID, xtext-decoded
  int64_t arrival = 0;                     // UTC seconds
  int64_t now = 0;                         // UTC seconds: the Date field
  int zone_offset_minutes = 0;             // for the dates shown
  std::string message_id;                  // "<…@host>", see message::MakeMessageId
  std::string_view original;               // the original message's raw bytes
  std::vector<RecipientReport> recipients;
  ReturnContent return_content = ReturnContent::kHeaders;  // Postfix's default too
  // A full return larger than this (or one that cannot be carried as it is: NUL bytes,
  // lines over 998 octets) falls back to the header section.
  size_t full_return_limit = 50'000;
};

// The notification's bytes. Its kind follows the actions: any kFailed makes it a bounce
// ("Undelivered Mail Returned to Sender"), else any kDelayed a delay warning ("Delayed Mail
// (still being retried)"), else a success report.
//
// Never for the null sender: a notification is itself sent from the null sender, and bouncing
// it again could loop between two systems (RFC 5321 §4.5.5, RFC 3464 §2). Such a request is
// refused with kInvalidArgument; the caller drops the notification. Also kInvalidArgument for
// no recipients, a malformed status, and addresses, host names or ids with control bytes.
Result<std::string> BuildDsn(const DsnRequest& request);

}  // namespace pigeon::mta::queue

// Where a fetched message goes: the store, through the same delivery as mail that arrives over
// SMTP (Batch::Deliver), with a Received field naming the account and protocol, and the fetch
// state (store/fetch_state.h) written in the same transaction. When a folder is fetched again
// from the start (a new UIDVALIDITY), a message already stored from it (the same bytes, or the
// same Message-ID: the server may have rewritten a header) is skipped, so it adds nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/fetch_state.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/util/result.h"

namespace pigeon::mua::fetch {

// What the Received field says about where a message came from.
struct FetchOrigin {
  std::string account;   // "work"
  std::string host;      // the server: "imap.example.org"
  std::string protocol;  // "IMAPS", "IMAP" (no TLS), "POP3S", "POP3"
  std::string hostname;  // ours
};

// "Received: from HOST (account NAME) by HOSTNAME (pigeon fetch) with PROTOCOL id ID; DATE"
// folded after the "by" clause; CRLF line ends.
std::string FetchReceivedField(const FetchOrigin& origin, std::string_view id,
                               std::string_view date);

// The Message-ID of `raw` without angle brackets or white space, nullopt when it has none.
std::optional<std::string> FetchedMessageId(std::string_view raw);

class FetchedMessageSink {
 public:
  // `store` and `clock` must outlive the sink; `new_id` makes the id of each Received field.
  FetchedMessageSink(store::Store& store, const sys::Clock& clock, FetchOrigin origin,
                     std::function<std::string()> new_id);

  // Opens the transaction of the next group of messages (durable at Commit).
  Result<void> Begin();
  // Stores `raw` (as the server sent it) in `local_folder`, unless `refetch` and it was stored
  // from `remote_folder` before; records `remote_id` either way. True when stored. Without
  // `refetch` nothing is compared: two messages may share a Message-ID (a list copy and a
  // direct copy), and the UID or UIDL already says the message is new.
  Result<bool> Add(std::string_view remote_folder, int64_t local_folder, std::string_view remote_id,
                   std::string_view raw, bool refetch);
  // Sets the folder's state in the open transaction.
  Result<void> SetFolderState(std::string_view remote_folder, const store::FetchFolderState& state);
  // Commits, synced: only then may the server forget the messages.
  Result<void> Commit();

  store::FetchState& state() { return state_; }

 private:
  store::Store& store_;
  const sys::Clock& clock_;
  FetchOrigin origin_;
  std::function<std::string()> new_id_;
  store::FetchState state_;
  std::optional<store::Batch> batch_;
};

}  // namespace pigeon::mua::fetch

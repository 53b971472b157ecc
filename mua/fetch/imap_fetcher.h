// Fetches new mail from the folders of one IMAP account over a logged-in session into the
// store. Incremental by UIDVALIDITY and UID (RFC 3501 §2.3.1.1): a folder is fetched from the
// UID after the highest one stored. The new UIDs are listed first (UID FETCH n:* (UID
// RFC822.SIZE)), then fetched in groups of consecutive UIDs, one UID FETCH per group, each group
// stored and its state advanced in one durable transaction: a fetch killed at any moment
// resumes after the last group committed, losing and duplicating nothing. A new UIDVALIDITY
// starts the folder over, and the sink skips what was stored before (same bytes or Message-ID).
// Memory holds the UID list and one message at a time. With keep = false the messages are
// deleted on the server after the commit: every UID up to the highest one stored (all of them
// are in the store) is flagged \Deleted and expunged with UID EXPUNGE (RFC 4315 UIDPLUS,
// which touches no other message), at the end of each run, so a run killed after its commit
// leaves the deletion to the next one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mua/fetch/fetched_message_sink.h"
#include "mua/fetch/imap_session.h"

namespace pigeon::mua::fetch {

struct FetchLimits {
  size_t group_messages = 200;                // UIDs per UID FETCH and per transaction
  uint64_t group_bytes = uint64_t{32} << 20;  // or fewer when their sizes add up to this
};

struct FetchCounts {
  int64_t listed = 0;      // new on the server when listed: what this run has to fetch
  int64_t stored = 0;      // new messages in the store
  int64_t duplicates = 0;  // fetched again and skipped (a folder that started over)
  int64_t deleted = 0;     // expunged on the server (keep = false)
  uint64_t bytes = 0;      // of the messages fetched
};

// What fetching one account works with, whatever the protocol. Everything borrowed must
// outlive the fetcher.
struct FetchJob {
  store::Store& store;
  FetchedMessageSink& sink;
  const config::FetchAccount& account;
  const std::atomic<bool>& stop;  // set by SIGINT/SIGTERM: stop after the current group
  std::function<void(const FetchCounts&)> progress;  // after each group; may be empty
  FetchLimits limits;
};

class ImapFetcher {
 public:
  // `session` must outlive the fetcher.
  ImapFetcher(ImapSession& session, FetchJob job) : session_(session), job_(std::move(job)) {}

  // Every folder of the account, in order; stops at the first error.
  Result<FetchCounts> FetchAll();
  // One remote folder into its local one (created when missing); adds to `counts`.
  Result<void> FetchFolder(const config::FolderMapping& mapping, FetchCounts& counts);

 private:
  struct Listed {
    uint32_t uid = 0;
    uint64_t size = 0;
  };
  // Flags \Deleted and expunges every message up to `last_uid` (all stored).
  Result<void> DeleteStored(uint32_t last_uid, FetchCounts& counts);
  Result<void> FetchGroup(const config::FolderMapping& mapping, int64_t local_folder,
                          uint32_t uidvalidity, bool refetch, const std::vector<Listed>& group,
                          FetchCounts& counts);

  ImapSession& session_;
  FetchJob job_;
};

}  // namespace pigeon::mua::fetch

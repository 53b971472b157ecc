// What `pigeon fetch` has stored from each remote account (schema migration 8): per remote
// folder the IMAP UIDVALIDITY and highest UID stored, and per message its remote id, content
// hash and Message-ID. Writes go into the transaction open on the store's connection: called
// between Store::BeginBatch and Batch::Commit they commit or roll back with the messages, which
// is what makes a fetch killed at any moment lose nothing and store nothing twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/store.h"
#include "common/util/result.h"

namespace pigeon::store {

struct FetchFolderState {
  int64_t uidvalidity = 0;
  int64_t last_uid = 0;  // the highest UID stored; 0 = none yet
  bool operator==(const FetchFolderState&) const = default;
};

// One message stored from a remote folder.
struct FetchedMessage {
  std::string remote_id;                  // IMAP "UIDVALIDITY/UID", POP3 UIDL
  std::string sha256;                     // hex, of the bytes as the server sent them
  std::optional<std::string> message_id;  // without angle brackets
};

class FetchState {
 public:
  // `store` must outlive this.
  explicit FetchState(Store& store) : store_(store) {}

  // nullopt: the folder was never fetched.
  Result<std::optional<FetchFolderState>> Folder(std::string_view account, std::string_view folder);
  Result<void> SetFolder(std::string_view account, std::string_view folder,
                         const FetchFolderState& state);

  // True when a message of these bytes, or with this Message-ID, was stored from the folder
  // before: what keeps a fetch that starts over (a new UIDVALIDITY) from storing a message
  // twice. Servers that renumber a folder send the same bytes again; a Message-ID match also
  // covers a server that rewrote a header of the message meanwhile.
  Result<bool> Seen(std::string_view account, std::string_view folder, std::string_view sha256,
                    const std::optional<std::string>& message_id);
  Result<bool> HasRemoteId(std::string_view account, std::string_view folder,
                           std::string_view remote_id);
  Result<void> Record(std::string_view account, std::string_view folder,
                      const FetchedMessage& message);
  // The remote ids recorded for the folder (POP3: which UIDLs are stored already).
  Result<std::vector<std::string>> RemoteIds(std::string_view account, std::string_view folder);
  // After the server deleted it (keep = false on POP3): the row is no longer needed.
  Result<void> Forget(std::string_view account, std::string_view folder,
                      std::string_view remote_id);

 private:
  Store& store_;
};

}  // namespace pigeon::store

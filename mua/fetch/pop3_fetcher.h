// Fetches new mail from a POP3 maildrop (RFC 1939) over a logged-in connection into the store.
// New messages are those whose UIDL (RFC 1939 §7) was never stored; they are retrieved in
// groups (the RETR commands of a group sent at once when the server offers PIPELINING, RFC
// 2449), each group stored with its UIDLs in one durable transaction. With keep = false every
// message stored (in this run or an earlier one) gets DELE and the session ends with QUIT,
// when the server removes them: only after the commit. Memory holds the UIDL list and one
// group's replies at a time.
#pragma once

#include <atomic>
#include <functional>
#include <utility>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mua/fetch/fetched_message_sink.h"
#include "mua/fetch/imap_fetcher.h"
#include "mua/fetch/mail_connection.h"
#include "mua/fetch/pop3_reader.h"

namespace pigeon::mua::fetch {

class Pop3Fetcher {
 public:
  // `connection` must outlive the fetcher.
  Pop3Fetcher(MailConnection& connection, FetchJob job)
      : connection_(connection), job_(std::move(job)) {}

  // The whole session, ending with QUIT.
  Result<FetchCounts> Fetch();

 private:
  struct Listed {
    uint64_t number = 0;
    std::string uidl;
    uint64_t size = 0;
  };
  Result<Pop3Reply> Read(bool multiline);
  // Sends `commands` (each without its line end) at once, or one at a time without
  // PIPELINING, and calls `handle` with each reply in order.
  Result<void> Run(const std::vector<std::string>& commands, bool multiline,
                   const std::function<Result<void>(size_t, Pop3Reply&)>& handle);
  Result<std::vector<Listed>> ListMessages();
  Result<void> FetchGroup(int64_t local_folder, const std::vector<Listed>& group,
                          FetchCounts& counts);

  MailConnection& connection_;
  FetchJob job_;
  Pop3Reader reader_;
  std::string receive_buffer_;  // one allocation for every read
  bool pipelining_ = false;
};

}  // namespace pigeon::mua::fetch

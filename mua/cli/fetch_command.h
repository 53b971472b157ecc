// `pigeon fetch [ACCOUNT…]`: one pass over the remote accounts of the configuration ([[fetch]]
// tables; all of them, or those named), each fetched into the store on its own: one line per
// account on stdout when it succeeds, one error line naming it on stderr when it fails, and
// the other accounts go on. On a terminal a progress line shows the account being fetched. The
// connection is a parameter, so tests drive it with a fake.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "mua/fetch/credential.h"
#include "mua/fetch/https_client.h"
#include "mua/fetch/mail_connection.h"

namespace pigeon::mua {

struct FetchCommandOptions {
  std::vector<std::string> accounts;  // names; empty = every account
  std::chrono::seconds timeout{60};   // for connecting, logging in and each wait
  bool progress = false;  // a self-redrawing line per account on `err` (when it is a terminal)
  bool quiet = false;     // no line for an account with nothing new (pigeond)
};

using MailConnector = std::function<Result<std::unique_ptr<fetch::MailConnection>>(
    const config::FetchAccount& account, const fetch::Credential& credential,
    std::chrono::seconds timeout)>;

// The exit status: 0 when every account was fetched, 1 when one failed or a name is unknown
// (then nothing is fetched), 130 when `stop` was set. `connect` makes the logged-in connection
// (fetch::ConnectWithCurl in pigeon); `https` reaches the token endpoints of auth = "oauth2"
// accounts (fetch::CurlHttpsClient).
int RunFetch(const config::Config& config, store::Store& store, const sys::Clock& clock,
             const FetchCommandOptions& options, const MailConnector& connect,
             fetch::HttpsClient& https, const std::atomic<bool>& stop, std::FILE* out,
             std::FILE* err);

}  // namespace pigeon::mua

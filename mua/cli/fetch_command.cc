// See fetch_command.h.
#include "mua/cli/fetch_command.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "common/sys/secret_command.h"
#include "mta/queue/queue_id.h"
#include "mua/cli/progress.h"
#include "mua/fetch/fetched_message_sink.h"
#include "mua/fetch/imap_fetcher.h"
#include "mua/fetch/imap_session.h"
#include "mua/fetch/oauth2_refresh.h"
#include "mua/fetch/pop3_fetcher.h"

namespace pigeon::mua {
namespace {

std::string ProtocolName(const config::FetchAccount& account) {
  const bool tls = account.implicit_tls || account.starttls;
  if (account.protocol == config::FetchProtocol::kImap) return tls ? "IMAPS" : "IMAP";
  return tls ? "POP3S" : "POP3";
}

std::string Megabytes(uint64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1 << 20));
}

// The password, or a fresh OAuth2 access token.
Result<fetch::Credential> CredentialOf(const config::FetchAccount& account,
                                       fetch::HttpsClient& https, std::chrono::seconds timeout) {
  if (account.auth == config::FetchAuth::kOAuth2) {
    Result<fetch::BearerToken> token =
        fetch::RefreshAccessToken(account, https, sys::SecretFromCommand, timeout);
    if (!token) return tl::unexpected(token.error());
    return fetch::Credential(std::move(*token));
  }
  if (account.password_command.empty()) return fetch::Password{account.password};
  Result<std::string> password =
      sys::NamingSetting("password_command", sys::SecretFromCommand(account.password_command));
  if (!password) return tl::unexpected(password.error());
  return fetch::Password{std::move(*password)};
}

// A password written in a file others can read is worth a warning, not a refusal.
void WarnAboutReadablePassword(const config::Config& config,
                               const std::vector<const config::FetchAccount*>& accounts,
                               std::FILE* err) {
  struct stat status = {};
  if (config.path.empty() || stat(config.path.c_str(), &status) != 0) return;
  if ((status.st_mode & (S_IRGRP | S_IROTH)) == 0) return;
  for (const config::FetchAccount* account : accounts) {
    if (account->auth != config::FetchAuth::kPassword || !account->password_command.empty()) {
      continue;
    }
    fmt::print(err,
               "pigeon fetch: warning: {} holds the password of account {} and others can read "
               "it (chmod 600 {}, or use password_command)\n",
               config.path, account->name, config.path);
  }
}

Result<fetch::FetchCounts> FetchAccount(const config::Config& config, store::Store& store,
                                        const sys::Clock& clock,
                                        const config::FetchAccount& account,
                                        const FetchCommandOptions& options,
                                        const MailConnector& connect, fetch::HttpsClient& https,
                                        const std::atomic<bool>& stop, std::FILE* err) {
  Result<fetch::Credential> credential = CredentialOf(account, https, options.timeout);
  if (!credential) return tl::unexpected(credential.error());
  Result<std::unique_ptr<fetch::MailConnection>> connection =
      connect(account, *credential, options.timeout);
  if (!connection) return tl::unexpected(connection.error());
  mta::queue::QueueIdSource ids;
  fetch::FetchedMessageSink sink(
      store, clock,
      fetch::FetchOrigin{account.name, account.host, ProtocolName(account),
                         config.smtpd.hostname.empty() ? "localhost" : config.smtpd.hostname},
      [&ids] { return ids.NextNow(); });
  ProgressBar bar(err, options.progress, account.name + ":");
  const auto progress = [&bar](const fetch::FetchCounts& counts) {
    const int64_t done = counts.stored + counts.duplicates;
    bar.Update(done, done, counts.listed);
  };
  Result<fetch::FetchCounts> counts;
  if (account.protocol == config::FetchProtocol::kPop3) {
    counts = fetch::Pop3Fetcher(**connection, {store, sink, account, stop, progress}).Fetch();
  } else {
    fetch::ImapSession session(**connection);
    counts = fetch::ImapFetcher(session, {store, sink, account, stop, progress}).FetchAll();
    if (counts) {
      (void)session.Command("LOGOUT", [](fetch::ImapResponse&) { return Result<void>(); });
    }
  }
  if (!counts) {
    return MakeError(counts.error().code,
                     fmt::format("{}: {}", (*connection)->Describe(), counts.error().message));
  }
  return counts;
}

}  // namespace

int RunFetch(const config::Config& config, store::Store& store, const sys::Clock& clock,
             const FetchCommandOptions& options, const MailConnector& connect,
             fetch::HttpsClient& https, const std::atomic<bool>& stop, std::FILE* out,
             std::FILE* err) {
  std::vector<const config::FetchAccount*> chosen;
  for (const std::string& name : options.accounts) {
    const auto found = std::find_if(config.fetch.begin(), config.fetch.end(),
                                    [&](const config::FetchAccount& a) { return a.name == name; });
    if (found == config.fetch.end()) {
      fmt::print(err, "pigeon fetch: no account named {} in {}\n", name,
                 config.path.empty() ? "the configuration" : config.path);
      return 1;
    }
    if (std::find(chosen.begin(), chosen.end(), &*found) == chosen.end()) {
      chosen.push_back(&*found);
    }
  }
  if (options.accounts.empty()) {
    for (const config::FetchAccount& account : config.fetch) chosen.push_back(&account);
  }
  if (chosen.empty()) {
    fmt::print(err, "pigeon fetch: no [[fetch]] accounts in {}\n",
               config.path.empty() ? "the configuration (there is no file)" : config.path);
    return 1;
  }
  WarnAboutReadablePassword(config, chosen, err);
  int status = 0;
  for (const config::FetchAccount* account : chosen) {
    if (stop.load()) return 130;
    Result<fetch::FetchCounts> counts =
        FetchAccount(config, store, clock, *account, options, connect, https, stop, err);
    if (!counts) {
      fmt::print(err, "pigeon fetch: {}: {}\n", account->name, counts.error().message);
      std::fflush(err);
      status = stop.load() ? 130 : 1;
      continue;
    }
    if (options.quiet && counts->stored == 0 && counts->deleted == 0) continue;
    std::string notes;
    if (counts->duplicates > 0) notes += fmt::format(", {} already stored", counts->duplicates);
    if (!account->keep) notes += fmt::format(", {} deleted on the server", counts->deleted);
    fmt::print(out, "{}: {} new message{} ({}){} from {}\n", account->name, counts->stored,
               counts->stored == 1 ? "" : "s", Megabytes(counts->bytes), notes, account->url);
    std::fflush(out);
  }
  return status;
}

}  // namespace pigeon::mua

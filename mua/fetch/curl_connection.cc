// See curl_connection.h.
#include "mua/fetch/curl_connection.h"

#include <curl/curl.h>
#include <poll.h>

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

std::string SchemeOf(const config::FetchAccount& account) {
  const bool imap = account.protocol == config::FetchProtocol::kImap;
  if (account.implicit_tls) return imap ? "imaps" : "pop3s";
  return imap ? "imap" : "pop3";
}

std::string HostPort(const config::FetchAccount& account) {
  const bool v6 = account.host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", account.host, account.port)
            : fmt::format("{}:{}", account.host, account.port);
}

// curl's detail, else its generic text for the code.
std::string Detail(CURLcode code, const char* buffer) {
  return buffer[0] != '\0' ? std::string(buffer) : std::string(curl_easy_strerror(code));
}

Error LoginError(const config::FetchAccount& account, const Credential& credential, CURLcode code,
                 const char* buffer) {
  const std::string where = HostPort(account);
  switch (code) {
    case CURLE_LOGIN_DENIED:
      if (std::holds_alternative<BearerToken>(credential)) {
        return Error{ErrorCode::kInvalidArgument,
                     fmt::format("{}: the server refused the OAuth2 access token for user {} "
                                 "(wrong user, scope or mechanism?)",
                                 where, account.user)};
      }
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("{}: login failed for user {} (wrong user or password?)", where,
                               account.user)};
    case CURLE_PEER_FAILED_VERIFICATION:
      return Error{ErrorCode::kIo, fmt::format("{}: certificate of {} not trusted: {}", where,
                                               account.host, Detail(code, buffer))};
    case CURLE_USE_SSL_FAILED:
      return Error{ErrorCode::kIo,
                   fmt::format("{}: the server offers no STARTTLS (starttls = false in the "
                               "account logs in unencrypted)",
                               where)};
    case CURLE_SSL_CACERT_BADFILE:
      return Error{ErrorCode::kIo, fmt::format("{}: cannot read ca_file {}: {}", where,
                                               account.ca_file, Detail(code, buffer))};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorCode::kIo, fmt::format("{}: timed out: {}", where, Detail(code, buffer))};
    default:
      return Error{ErrorCode::kIo, fmt::format("{}: {}", where, Detail(code, buffer))};
  }
}

class CurlConnection : public MailConnection {
 public:
  CurlConnection(CurlHandle curl, std::string where, std::chrono::seconds timeout)
      : curl_(std::move(curl)), where_(std::move(where)), timeout_(timeout) {}

  Result<void> Send(std::string_view bytes) override {
    while (!bytes.empty()) {
      size_t sent = 0;
      const CURLcode code = curl_easy_send(curl_.get(), bytes.data(), bytes.size(), &sent);
      if (code == CURLE_AGAIN) {
        if (Result<void> ready = Wait(POLLOUT); !ready) return ready;
        continue;
      }
      if (code != CURLE_OK) return Failed("cannot send", code);
      bytes.remove_prefix(sent);
    }
    return {};
  }

  Result<size_t> Receive(char* buffer, size_t size) override {
    for (;;) {
      size_t received = 0;
      const CURLcode code = curl_easy_recv(curl_.get(), buffer, size, &received);
      if (code == CURLE_AGAIN) {
        if (Result<void> ready = Wait(POLLIN); !ready) return tl::unexpected(ready.error());
        continue;
      }
      if (code != CURLE_OK) return Failed("cannot receive", code);
      if (received == 0) {
        return MakeError(ErrorCode::kIo,
                         fmt::format("{}: the server closed the connection", where_));
      }
      return received;
    }
  }

  std::string Describe() const override { return where_; }

 private:
  Result<void> Wait(short events) {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(curl_.get(), CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK ||
        socket == CURL_SOCKET_BAD) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: the connection is gone", where_));
    }
    pollfd descriptor{socket, events, 0};
    const int ready = poll(&descriptor, 1, static_cast<int>(timeout_.count() * 1000));
    if (ready == 0) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("{}: no answer for {} seconds", where_, timeout_.count()));
    }
    // The only signals pigeon fetch catches are SIGINT and SIGTERM, its stop request: a wait
    // they interrupt ends, rather than waiting out the timeout on a silent server.
    if (ready < 0 && errno == EINTR) return MakeError(ErrorCode::kIo, "interrupted");
    if (ready < 0) return MakeError(ErrorCode::kIo, fmt::format("{}: poll failed", where_));
    return {};
  }
  tl::unexpected<Error> Failed(std::string_view what, CURLcode code) const {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: {}: {}", where_, what, curl_easy_strerror(code)));
  }

  CurlHandle curl_;
  std::string where_;
  std::chrono::seconds timeout_;
};

// curl's progress callback, called while it connects and logs in: non-zero aborts.
int AbortWhenStopped(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

}  // namespace

Result<std::unique_ptr<MailConnection>> ConnectWithCurl(const config::FetchAccount& account,
                                                        const Credential& credential,
                                                        std::chrono::seconds timeout,
                                                        const std::atomic<bool>& stop) {
  CurlHandle curl(curl_easy_init());
  if (!curl) return MakeError(ErrorCode::kInternal, "libcurl cannot start");
  const std::string url = fmt::format("{}://{}/", SchemeOf(account), HostPort(account));
  char error_buffer[CURL_ERROR_SIZE] = "";
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "imap,imaps,pop3,pop3s");
  curl_easy_setopt(handle, CURLOPT_USERNAME, account.user.c_str());
  if (const auto* password = std::get_if<Password>(&credential)) {
    curl_easy_setopt(handle, CURLOPT_PASSWORD, password->text.c_str());
  } else {
    const auto& bearer = std::get<BearerToken>(credential);
    curl_easy_setopt(handle, CURLOPT_XOAUTH2_BEARER, bearer.token.c_str());
    // Only the token's mechanisms: left to itself curl would take EXTERNAL, CRAM-MD5 or
    // PLAIN first when the server offers them, with an empty password. Among the two it
    // prefers OAUTHBEARER.
    const char* options = "AUTH=OAUTHBEARER;AUTH=XOAUTH2";
    if (bearer.mechanism == config::OAuth2Mechanism::kXoauth2) options = "AUTH=XOAUTH2";
    if (bearer.mechanism == config::OAuth2Mechanism::kOauthbearer) options = "AUTH=OAUTHBEARER";
    curl_easy_setopt(handle, CURLOPT_LOGIN_OPTIONS, options);
  }
  curl_easy_setopt(handle, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
  // Verification stays on (curl's default); STARTTLS is required unless the account says not.
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(handle, CURLOPT_USE_SSL,
                   account.implicit_tls || account.starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                            : static_cast<long>(CURLUSESSL_NONE));
  if (!account.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, account.ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, AbortWhenStopped);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&stop));
  const CURLcode code = curl_easy_perform(handle);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 1L);
  if (code == CURLE_ABORTED_BY_CALLBACK) return MakeError(ErrorCode::kIo, "interrupted");
  // The whole-transfer timeout would cut a long fetch: from here each wait has its own.
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, 0L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    return tl::unexpected(LoginError(account, credential, code, error_buffer));
  }
  return std::make_unique<CurlConnection>(std::move(curl), HostPort(account), timeout);
}

}  // namespace pigeon::mua::fetch

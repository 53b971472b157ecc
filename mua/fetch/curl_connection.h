// The real MailConnection: libcurl connects, verifies the server's certificate (the system's
// CAs or the account's ca_file), does STARTTLS/STLS when the URL is imap:// or pop3://, and
// logs in (CURLOPT_USERNAME/PASSWORD, AUTHENTICATE or USER/PASS as the server offers; with an
// OAuth2 access token CURLOPT_XOAUTH2_BEARER, SASL OAUTHBEARER or XOAUTH2). With
// CURLOPT_CONNECT_ONLY curl stops there, leaving an authenticated session, and pigeon speaks
// the protocol itself over curl_easy_send/curl_easy_recv: curl's own IMAP commands fetch one
// message per request and hold it in memory, with no way to read FETCH responses as they come.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mua/fetch/credential.h"
#include "mua/fetch/mail_connection.h"

namespace pigeon::mua::fetch {

// Errors are one line naming the server: "imap.example.org:993: login failed for user ada",
// "…: certificate not trusted (…)", "…: the server refused the OAuth2 access token for user
// ada". `timeout` bounds the connection, each wait for the server and the login; `stop` (set
// by SIGINT/SIGTERM) ends the connecting and login early, with the error "interrupted".
Result<std::unique_ptr<MailConnection>> ConnectWithCurl(const config::FetchAccount& account,
                                                        const Credential& credential,
                                                        std::chrono::seconds timeout,
                                                        const std::atomic<bool>& stop);

}  // namespace pigeon::mua::fetch

// An HTTPS POST of a form, for the OAuth2 token endpoint: the seam between the token logic and
// the network. The real one is libcurl's (curl_https_client.h); tests use a fake that records
// the request and replies from a script.
#pragma once

#include <chrono>
#include <string>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

struct HttpsReply {
  long status = 0;   // the HTTP status code
  std::string body;  // at most the client's bound; untrusted
};

class HttpsClient {
 public:
  virtual ~HttpsClient() = default;
  // POSTs `form` (application/x-www-form-urlencoded) to the https:// `url`, verifying the
  // server's certificate against `ca_file` ("" = the system's CAs). Any HTTP status is a reply;
  // an error is a failure to get one, one line naming the host ("certificate of … not
  // trusted: …", "timed out …").
  virtual Result<HttpsReply> PostForm(const std::string& url, const std::string& form,
                                      const std::string& ca_file, std::chrono::seconds timeout) = 0;
};

}  // namespace pigeon::mua::fetch

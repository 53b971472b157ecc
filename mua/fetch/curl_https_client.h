// The real HttpsClient: libcurl, HTTPS only, certificate and host name verified, no redirects
// followed (a token endpoint has no reason to send one, and the form holds secrets), the
// reply cut off past kMaxReply octets, the whole exchange bounded by the timeout.
#pragma once

#include <cstddef>

#include "mua/fetch/https_client.h"

namespace pigeon::mua::fetch {

class CurlHttpsClient : public HttpsClient {
 public:
  static constexpr size_t kMaxReply = 64 * 1024;

  Result<HttpsReply> PostForm(const std::string& url, const std::string& form,
                              const std::string& ca_file, std::chrono::seconds timeout) override;
};

}  // namespace pigeon::mua::fetch

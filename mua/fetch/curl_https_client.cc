// See curl_https_client.h.
#include "mua/fetch/curl_https_client.h"

#include <curl/curl.h>

#include <memory>

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Sink {
  std::string body;
  bool too_long = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t length = size * count;
  if (sink->body.size() + length > CurlHttpsClient::kMaxReply) {
    sink->too_long = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  sink->body.append(data, length);
  return length;
}

// The host of `url` for error lines, or the URL itself when curl cannot split it.
std::string HostOf(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  char* host = nullptr;
  if (parsed && curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    std::string text(host);
    curl_free(host);
    return text;
  }
  return url;
}

}  // namespace

Result<HttpsReply> CurlHttpsClient::PostForm(const std::string& url, const std::string& form,
                                             const std::string& ca_file,
                                             std::chrono::seconds timeout) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return MakeError(ErrorCode::kInternal, "libcurl cannot start");
  std::unique_ptr<curl_slist, SlistDeleter> headers(
      curl_slist_append(nullptr, "Accept: application/json"));
  char error_buffer[CURL_ERROR_SIZE] = "";
  Sink sink;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "pigeon");
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str());
  const CURLcode code = curl_easy_perform(handle);
  const std::string detail =
      error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OK:
      break;
    case CURLE_WRITE_ERROR:
      if (sink.too_long) {
        return MakeError(ErrorCode::kParse,
                         fmt::format("the reply is longer than {} KiB", kMaxReply / 1024));
      }
      return MakeError(ErrorCode::kIo, detail);
    case CURLE_PEER_FAILED_VERIFICATION:
      return MakeError(ErrorCode::kIo,
                       fmt::format("certificate of {} not trusted: {}", HostOf(url), detail));
    case CURLE_SSL_CACERT_BADFILE:
      return MakeError(ErrorCode::kIo, fmt::format("cannot read ca_file {}: {}", ca_file, detail));
    case CURLE_OPERATION_TIMEDOUT:
      return MakeError(ErrorCode::kIo, fmt::format("timed out: {}", detail));
    default:
      return MakeError(ErrorCode::kIo, detail);
  }
  HttpsReply reply;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(sink.body);
  return reply;
}

}  // namespace pigeon::mua::fetch

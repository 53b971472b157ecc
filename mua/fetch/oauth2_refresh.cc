// See oauth2_refresh.h.
#include "mua/fetch/oauth2_refresh.h"

#include <fmt/format.h>

#include "common/sys/secret_command.h"
#include "mua/fetch/oauth2_token.h"

namespace pigeon::mua::fetch {
namespace {

Result<std::string> Secret(const SecretCommand& run_command, const std::string& key,
                           const std::string& command) {
  Result<std::string> secret = sys::NamingSetting(key, run_command(command));
  if (!secret) return secret;
  if (secret->empty()) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: printed nothing", key));
  }
  return secret;
}

}  // namespace

Result<BearerToken> RefreshAccessToken(const config::FetchAccount& account, HttpsClient& https,
                                       const SecretCommand& run_command,
                                       std::chrono::seconds timeout) {
  const config::OAuth2Settings& oauth2 = account.oauth2;
  RefreshRequest request{oauth2.client_id, oauth2.client_secret, "", oauth2.scope};
  Result<std::string> refresh_token =
      Secret(run_command, "oauth2_refresh_token_command", oauth2.refresh_token_command);
  if (!refresh_token) return tl::unexpected(refresh_token.error());
  request.refresh_token = std::move(*refresh_token);
  if (!oauth2.client_secret_command.empty()) {
    Result<std::string> secret =
        Secret(run_command, "oauth2_client_secret_command", oauth2.client_secret_command);
    if (!secret) return tl::unexpected(secret.error());
    request.client_secret = std::move(*secret);
  }
  const auto failed = [&](const Error& error) {
    return MakeError(error.code,
                     fmt::format("oauth2: token endpoint {}: {}", oauth2.token_url, error.message));
  };
  Result<HttpsReply> reply =
      https.PostForm(oauth2.token_url, RefreshRequestBody(request), oauth2.ca_file, timeout);
  if (!reply) return failed(reply.error());
  Result<AccessToken> token = ParseTokenReply(reply->status, reply->body);
  if (!token) return failed(token.error());
  return BearerToken{std::move(token->token), oauth2.mechanism};
}

}  // namespace pigeon::mua::fetch

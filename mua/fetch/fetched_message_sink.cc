// See fetched_message_sink.h.
#include "mua/fetch/fetched_message_sink.h"

#include <fmt/format.h>

#include "common/message/date.h"
#include "common/message/header.h"
#include "common/util/sha256.h"

namespace pigeon::mua::fetch {
namespace {

// The store keeps messages with CRLF line ends; a server that sends bare LF (some POP3
// servers do) gets them added. Returns `raw` itself when it needs nothing.
std::string WithCrlf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 32);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out.push_back('\r');
    out.push_back(raw[i]);
  }
  return out;
}

// Printable ASCII for a trace field: the account and host are ours, but stay one clean line.
std::string TraceSafe(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 255)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u <= 0x20 || u >= 0x7f || c == '(' || c == ')' || c == ';' ? '?' : c);
  }
  return out;
}

}  // namespace

std::string FetchReceivedField(const FetchOrigin& origin, std::string_view id,
                               std::string_view date) {
  return fmt::format(
      "Received: from {} (account {})\r\n\tby {} (pigeon fetch) with {}\r\n\tid {}; {}\r\n",
      TraceSafe(origin.host), TraceSafe(origin.account), TraceSafe(origin.hostname),
      TraceSafe(origin.protocol), TraceSafe(id), date);
}

std::optional<std::string> FetchedMessageId(std::string_view raw) {
  const message::HeaderBodySplit split = message::SplitHeaderBody(raw);
  const message::Header header = message::Header::Parse(split.header, nullptr);
  std::optional<std::string> value = header.Get("Message-ID");
  if (!value) return std::nullopt;
  std::string id;
  for (char c : *value) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '<' && c != '>') id.push_back(c);
  }
  if (id.empty()) return std::nullopt;
  return id;
}

FetchedMessageSink::FetchedMessageSink(store::Store& store, const sys::Clock& clock,
                                       FetchOrigin origin, std::function<std::string()> new_id)
    : store_(store),
      clock_(clock),
      origin_(std::move(origin)),
      new_id_(std::move(new_id)),
      state_(store) {}

Result<void> FetchedMessageSink::Begin() {
  batch_.reset();
  Result<store::Batch> batch = store_.BeginBatch(/*durable=*/true);
  if (!batch) return tl::unexpected(batch.error());
  batch_.emplace(std::move(*batch));
  return {};
}

Result<bool> FetchedMessageSink::Add(std::string_view remote_folder, int64_t local_folder,
                                     std::string_view remote_id, std::string_view raw,
                                     bool refetch) {
  if (!batch_) return MakeError(ErrorCode::kInternal, "fetch: Add outside a transaction");
  store::FetchedMessage fetched{std::string(remote_id), Sha256Hex(raw), FetchedMessageId(raw)};
  Result<bool> seen =
      refetch ? state_.Seen(origin_.account, remote_folder, fetched.sha256, fetched.message_id)
              : Result<bool>(false);
  if (!seen) return tl::unexpected(seen.error());
  if (!*seen) {
    const int64_t now = clock_.NowUtcSeconds();
    const std::string id = new_id_();
    std::string stored = FetchReceivedField(
        origin_, id, message::FormatRfc5322Date(now, clock_.LocalOffsetMinutes(now)));
    stored += WithCrlf(raw);
    store::IncomingMessage message;
    message.raw = stored;
    message.queue_id = id;
    // The message keeps the Return-Path its first server wrote: Deliver adds none.
    message.raw_has_return_path = true;
    message.copies.push_back(store::IncomingMessage::Copy{local_folder, {}, 0});
    message.origin = "fetch";
    message.arrived = now;
    if (Result<void> delivered = batch_->Deliver(message); !delivered) {
      return tl::unexpected(delivered.error());
    }
  }
  if (Result<void> recorded = state_.Record(origin_.account, remote_folder, fetched); !recorded) {
    return tl::unexpected(recorded.error());
  }
  return !*seen;
}

Result<void> FetchedMessageSink::SetFolderState(std::string_view remote_folder,
                                                const store::FetchFolderState& state) {
  if (!batch_) return MakeError(ErrorCode::kInternal, "fetch: state outside a transaction");
  return state_.SetFolder(origin_.account, remote_folder, state);
}

Result<void> FetchedMessageSink::Commit() {
  if (!batch_) return MakeError(ErrorCode::kInternal, "fetch: Commit outside a transaction");
  Result<void> committed = batch_->Commit();
  batch_.reset();
  return committed;
}

}  // namespace pigeon::mua::fetch

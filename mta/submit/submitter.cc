#include "mta/submit/submitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "common/message/address.h"
#include "common/message/date.h"
#include "common/message/header.h"
#include "common/store/outgoing_queue.h"
#include "mta/submit/header_completion.h"

namespace pigeon::mta::submit {
namespace {

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

// A refusal from the recipient policy ("550 5.1.1 <x>: …") as an error of the matching kind.
Error RefusalError(const policy::Refusal& refusal) {
  ErrorCode code = ErrorCode::kInvalidArgument;
  if (refusal.reply.starts_with("4")) code = ErrorCode::kBusy;
  if (refusal.reply.starts_with("550")) code = ErrorCode::kNotFound;
  // The reply without its SMTP codes reads well on a terminal.
  std::string_view text = refusal.reply;
  for (int skip = 0; skip < 2; ++skip) {
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return Error{code, std::string(text)};
}

}  // namespace

Submitter::Submitter(const config::Config& config, const policy::RecipientPolicy& policy,
                     store::Store& store, const sys::Clock& clock, queue::QueueIdSource& queue_ids,
                     std::function<void()> wake)
    : config_(config),
      policy_(policy),
      store_(store),
      clock_(clock),
      queue_ids_(queue_ids),
      wake_(std::move(wake)) {}

Result<std::string> Submitter::Qualify(std::string_view text) const {
  Result<message::Mailbox> mailbox = message::ParseMailbox(text);
  if (!mailbox || mailbox->local_part.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("bad address syntax: {}", text));
  }
  if (mailbox->domain.empty()) mailbox->domain = DomainOf(config_.owner);
  if (mailbox->domain.empty()) mailbox->domain = "localhost";
  return mailbox->AddrSpec();
}

Result<std::vector<std::string>> Submitter::Recipients(
    const Submission& submission, const std::vector<std::string>& from_headers) const {
  std::vector<std::string> recipients;
  auto add = [&](std::string_view text) -> Result<void> {
    Result<std::string> address = Qualify(text);
    if (!address) return tl::unexpected(address.error());
    if (std::find(recipients.begin(), recipients.end(), *address) == recipients.end()) {
      recipients.push_back(std::move(*address));
    }
    return {};
  };
  for (const std::string& argument : submission.recipients) {
    // One argument may be a list, as sendmail allows: "a@x, Bob <b@y>".
    message::Defects defects;
    message::AddressList list = message::ParseAddressList(argument, &defects);
    std::vector<message::Mailbox> mailboxes = list.Mailboxes();
    if (mailboxes.empty() || !defects.empty()) {
      if (Result<void> added = add(argument); !added) return tl::unexpected(added.error());
      continue;
    }
    for (const message::Mailbox& mailbox : mailboxes) {
      if (Result<void> added = add(mailbox.AddrSpec()); !added) {
        return tl::unexpected(added.error());
      }
    }
  }
  for (const std::string& address : from_headers) {
    if (Result<void> added = add(address); !added) return tl::unexpected(added.error());
  }
  if (recipients.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no recipient addresses found");
  }
  return recipients;
}

Result<SubmitOutcome> Submitter::Submit(MessageInput message, const Submission& submission) {
  const int64_t now = clock_.NowUtcSeconds();
  SubmitOutcome outcome;
  outcome.queue_id = submission.queue_id.value_or(queue_ids_.NextNow());

  std::string sender = config_.owner;
  if (submission.envelope_sender) {
    sender.clear();
    if (!submission.envelope_sender->empty() && *submission.envelope_sender != "<>") {
      Result<std::string> qualified = Qualify(*submission.envelope_sender);
      if (!qualified) return tl::unexpected(qualified.error());
      sender = std::move(*qualified);
    }
  }

  const std::string hostname =
      config_.smtpd.hostname.empty() ? std::string("localhost") : config_.smtpd.hostname;
  std::string id_domain = DomainOf(config_.owner);
  if (id_domain.empty()) id_domain = hostname;
  HeaderDefaults defaults;
  message::Mailbox from;
  Result<message::Mailbox> from_address =
      message::ParseMailbox(sender.empty() ? config_.owner : sender);
  if (from_address) from = *from_address;
  from.name = submission.full_name.empty() ? config_.owner_name : submission.full_name;
  defaults.from = message::FormatMailbox(from);
  defaults.date = message::FormatRfc5322Date(now, clock_.LocalOffsetMinutes(now));
  std::string stamp = message::FormatIsoUtc(now);  // 20261129130307, as Postfix does
  std::erase_if(stamp, [](char c) { return c < '0' || c > '9'; });
  defaults.message_id = fmt::format("<{}.{}@{}>", stamp, outcome.queue_id, id_domain);
  CompletedMessage completed = CompleteHeaders(std::move(message.raw), defaults);

  Result<std::vector<std::string>> recipients =
      Recipients(submission, submission.recipients_from_headers ? completed.header_recipients
                                                                : std::vector<std::string>{});
  if (!recipients) return tl::unexpected(recipients.error());

  // Local copies by folder (two local recipients in one folder make one copy).
  std::map<std::string, std::vector<std::string>> folder_keywords;
  std::vector<std::string> remote;
  for (const std::string& recipient : *recipients) {
    tl::expected<policy::Route, policy::Refusal> route = policy_.Resolve(recipient, true);
    if (!route) return tl::unexpected(RefusalError(route.error()));
    for (const policy::LocalDelivery& local : route->local) {
      std::vector<std::string>& keywords = folder_keywords[local.folder];
      for (const std::string& keyword : local.keywords) {
        if (std::find(keywords.begin(), keywords.end(), keyword) == keywords.end()) {
          keywords.push_back(keyword);
        }
      }
    }
    for (const std::string& address : route->remote) {
      if (std::find(remote.begin(), remote.end(), address) == remote.end()) {
        remote.push_back(address);
      }
    }
  }

  store::IncomingMessage incoming;
  for (const auto& [folder, keywords] : folder_keywords) {
    Result<store::FolderInfo> info =
        folder.empty() ? store_.FolderByRole("inbox") : store_.CreateFolder(folder);
    if (!info) return tl::unexpected(info.error());
    incoming.copies.push_back(store::IncomingMessage::Copy{info->id, keywords, 0});
  }
  for (const store::IncomingMessage::Copy& copy : submission.extra_copies) {
    incoming.copies.push_back(copy);
  }

  const std::string received =
      fmt::format("Received: by {} (pigeon{}{})\r\n\tid {}; {}\r\n", hostname,
                  submission.submitted_by.empty() ? "" : ", from ", submission.submitted_by,
                  outcome.queue_id, defaults.date);
  // Trace fields go in front in place (CompleteHeaders left room): a 50 MB message is not
  // copied again, and the store need not copy it to add the Return-Path of local copies.
  incoming.raw_has_return_path = !incoming.copies.empty();
  completed.raw.insert(0, incoming.raw_has_return_path
                              ? fmt::format("Return-Path: <{}>\r\n{}", sender, received)
                              : received);
  const std::string& raw = completed.raw;
  const message::HeaderBodySplit split = message::SplitHeaderBody(raw);
  incoming.raw = raw;
  incoming.queue_id = outcome.queue_id;
  incoming.sender = sender;
  incoming.remote_recipients = remote;
  incoming.eight_bit = message.eight_bit;
  incoming.smtputf8 = HasEightBit(split.header) || HasEightBit(sender) ||
                      std::any_of(remote.begin(), remote.end(),
                                  [](const std::string& r) { return HasEightBit(r); });
  incoming.origin = submission.origin;
  incoming.envid = submission.envid;
  incoming.dsn_ret = submission.dsn_ret;
  incoming.notify = submission.notify;
  incoming.arrived = now;

  Result<store::Batch> batch = store_.BeginBatch(/*durable=*/true);
  if (!batch) return tl::unexpected(batch.error());
  if (Result<void> done = batch->Deliver(incoming); !done) return tl::unexpected(done.error());
  if (submission.not_before && *submission.not_before > now && !remote.empty()) {
    // In the batch's transaction: the message is never due before its time, even briefly.
    store::OutgoingQueue queue(store_);
    Result<int64_t> held = queue.Schedule(outcome.queue_id, *submission.not_before);
    if (!held) return tl::unexpected(held.error());
  }
  if (Result<void> done = batch->Commit(); !done) return tl::unexpected(done.error());

  outcome.local_copies = static_cast<int>(incoming.copies.size());
  outcome.queued = std::move(remote);
  if (!outcome.queued.empty() && wake_) wake_();
  return outcome;
}

}  // namespace pigeon::mta::submit

// See pop3_fetcher.h.
#include "mua/fetch/pop3_fetcher.h"

#include <set>

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

constexpr std::string_view kMaildrop = "INBOX";  // the one remote folder of POP3
constexpr size_t kReceiveChunk = 64 << 10;

std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u >= 0x7f ? '?' : c);
  }
  return out;
}

// "3 abc-def" (UIDL) or "3 1024" (LIST): the message number and the rest.
std::optional<std::pair<uint64_t, std::string_view>> NumberAndRest(std::string_view line) {
  const size_t space = line.find(' ');
  if (space == 0 || space == std::string_view::npos || space > 19) return std::nullopt;
  uint64_t number = 0;
  for (char c : line.substr(0, space)) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  if (number == 0) return std::nullopt;
  return std::pair(number, line.substr(space + 1));
}

// Each CRLF-ended line of a multi-line body.
std::vector<std::string_view> Lines(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    const size_t end = body.find("\r\n");
    lines.push_back(body.substr(0, end));
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 2);
  }
  return lines;
}

// RFC 1939 §7: a unique-id is 1 to 70 characters from 0x21 to 0x7E.
bool IsUidl(std::string_view uidl) {
  if (uidl.empty() || uidl.size() > 70) return false;
  for (char c : uidl) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Result<Pop3Reply> Pop3Fetcher::Read(bool multiline) {
  for (;;) {
    Result<std::optional<Pop3Reply>> reply = reader_.Next(multiline);
    if (!reply) return tl::unexpected(reply.error());
    if (*reply) return std::move(**reply);
    receive_buffer_.resize(kReceiveChunk);
    Result<size_t> received = connection_.Receive(receive_buffer_.data(), receive_buffer_.size());
    if (!received) return tl::unexpected(received.error());
    reader_.Feed(std::string_view(receive_buffer_.data(), *received));
  }
}

Result<void> Pop3Fetcher::Run(const std::vector<std::string>& commands, bool multiline,
                              const std::function<Result<void>(size_t, Pop3Reply&)>& handle) {
  const size_t batch = pipelining_ ? commands.size() : 1;
  for (size_t first = 0; first < commands.size(); first += batch) {
    const size_t last = std::min(commands.size(), first + batch);
    std::string text;
    for (size_t i = first; i < last; ++i) text += commands[i] + "\r\n";
    if (Result<void> sent = connection_.Send(text); !sent) return sent;
    for (size_t i = first; i < last; ++i) {
      Result<Pop3Reply> reply = Read(multiline);
      if (!reply) return tl::unexpected(reply.error());
      if (Result<void> handled = handle(i, *reply); !handled) return handled;
    }
  }
  return {};
}

Result<std::vector<Pop3Fetcher::Listed>> Pop3Fetcher::ListMessages() {
  std::vector<Listed> listed;
  Result<void> done = Run({"UIDL", "LIST"}, true, [&](size_t i, Pop3Reply& reply) -> Result<void> {
    const char* verb = i == 0 ? "UIDL" : "LIST";
    if (!reply.ok) {
      return MakeError(ErrorCode::kIo, fmt::format("{} failed: {}", verb, Printable(reply.text)));
    }
    size_t index = 0;
    for (std::string_view line : Lines(reply.body)) {
      const auto parsed = NumberAndRest(line);
      if (!parsed) {
        return MakeError(ErrorCode::kParse,
                         fmt::format("malformed {} line: {}", verb, Printable(line)));
      }
      if (i == 0) {
        if (!IsUidl(parsed->second)) {
          return MakeError(ErrorCode::kParse,
                           fmt::format("malformed UIDL: {}", Printable(parsed->second)));
        }
        listed.push_back({parsed->first, std::string(parsed->second), 0});
        continue;
      }
      // LIST gives the same messages in the same order; a size is only a grouping hint.
      while (index < listed.size() && listed[index].number < parsed->first) ++index;
      if (index < listed.size() && listed[index].number == parsed->first) {
        const std::string size(parsed->second.substr(0, parsed->second.find(' ')));
        listed[index].size = std::strtoull(size.c_str(), nullptr, 10);
      }
    }
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return listed;
}

Result<FetchCounts> Pop3Fetcher::Fetch() {
  FetchCounts counts;
  // RFC 2449 CAPA: may the RETR of a group go out at once?
  Result<void> capa = Run({"CAPA"}, true, [&](size_t, Pop3Reply& reply) -> Result<void> {
    for (std::string_view line : Lines(reply.body)) pipelining_ |= line == "PIPELINING";
    return {};
  });
  if (!capa) return tl::unexpected(capa.error());
  const std::string& local_name = job_.account.folders.front().local;
  Result<store::FolderInfo> local = job_.store.FindFolder(local_name);
  if (!local) local = job_.store.CreateFolder(local_name);
  if (!local) return tl::unexpected(local.error());

  Result<std::vector<Listed>> listed = ListMessages();
  if (!listed) return tl::unexpected(listed.error());
  Result<std::vector<std::string>> known_ids =
      job_.sink.state().RemoteIds(job_.account.name, kMaildrop);
  if (!known_ids) return tl::unexpected(known_ids.error());
  const std::set<std::string> known(known_ids->begin(), known_ids->end());
  std::vector<Listed> fresh;
  for (const Listed& item : *listed) {
    if (!known.count(item.uidl)) fresh.push_back(item);
  }
  counts.listed += static_cast<int64_t>(fresh.size());
  if (job_.progress) job_.progress(counts);
  for (size_t i = 0; i < fresh.size();) {
    if (job_.stop.load()) return MakeError(ErrorCode::kIo, "interrupted");
    std::vector<Listed> group;
    uint64_t bytes = 0;
    while (i < fresh.size() && group.size() < job_.limits.group_messages &&
           (group.empty() || bytes + fresh[i].size <= job_.limits.group_bytes)) {
      bytes += fresh[i].size;
      group.push_back(fresh[i++]);
    }
    if (Result<void> done = FetchGroup(local->id, group, counts); !done) {
      return tl::unexpected(done.error());
    }
    if (job_.progress) job_.progress(counts);
  }

  // UIDLs no longer on the server will not come back (RFC 1939 §7): their rows can go.
  std::set<std::string> on_server;
  for (const Listed& item : *listed) on_server.insert(item.uidl);
  if (std::any_of(known.begin(), known.end(),
                  [&](const std::string& id) { return !on_server.count(id); })) {
    if (Result<void> begun = job_.sink.Begin(); !begun) return tl::unexpected(begun.error());
    for (const std::string& id : known) {
      if (on_server.count(id)) continue;
      if (Result<void> forgot = job_.sink.state().Forget(job_.account.name, kMaildrop, id);
          !forgot) {
        return tl::unexpected(forgot.error());
      }
    }
    if (Result<void> committed = job_.sink.Commit(); !committed) {
      return tl::unexpected(committed.error());
    }
  }

  if (!job_.account.keep) {
    // Every message listed is stored now (this run or before): the server may drop them.
    std::vector<std::string> deletes;
    for (const Listed& item : *listed) deletes.push_back(fmt::format("DELE {}", item.number));
    Result<void> deleted = Run(deletes, false, [&](size_t i, Pop3Reply& reply) -> Result<void> {
      if (!reply.ok) {
        return MakeError(ErrorCode::kIo, fmt::format("DELE {} failed: {}", (*listed)[i].number,
                                                     Printable(reply.text)));
      }
      return {};
    });
    if (!deleted) return tl::unexpected(deleted.error());
  }
  // The server removes the messages marked by DELE only when QUIT succeeds (RFC 1939 §6).
  Result<void> quit = Run({"QUIT"}, false, [&](size_t, Pop3Reply& reply) -> Result<void> {
    if (!reply.ok) {
      return MakeError(ErrorCode::kIo, fmt::format("QUIT failed: {}", Printable(reply.text)));
    }
    return {};
  });
  if (!quit) return tl::unexpected(quit.error());
  if (!job_.account.keep) counts.deleted = static_cast<int64_t>(listed->size());
  return counts;
}

Result<void> Pop3Fetcher::FetchGroup(int64_t local_folder, const std::vector<Listed>& group,
                                     FetchCounts& counts) {
  if (Result<void> begun = job_.sink.Begin(); !begun) return begun;
  std::vector<std::string> commands;
  for (const Listed& item : group) commands.push_back(fmt::format("RETR {}", item.number));
  Result<void> fetched = Run(commands, true, [&](size_t i, Pop3Reply& reply) -> Result<void> {
    if (!reply.ok) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("RETR {} failed: {}", group[i].number, Printable(reply.text)));
    }
    std::string body = std::move(reply.body);
    Result<bool> stored =
        job_.sink.Add(kMaildrop, local_folder, group[i].uidl, body, /*refetch=*/false);
    if (!stored) return tl::unexpected(stored.error());
    ++(*stored ? counts.stored : counts.duplicates);
    counts.bytes += body.size();
    return {};
  });
  if (!fetched) return fetched;
  return job_.sink.Commit();
}

}  // namespace pigeon::mua::fetch

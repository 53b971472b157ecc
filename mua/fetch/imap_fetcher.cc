// See imap_fetcher.h.
#include "mua/fetch/imap_fetcher.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "mua/fetch/imap_mailbox_name.h"

namespace pigeon::mua::fetch {
namespace {

// The UID set "a:b" or "a,b,c" (RFC 3501 sequence-set) of `uids`, sorted.
std::string UidSet(const std::vector<uint32_t>& uids) {
  std::string out;
  for (size_t i = 0; i < uids.size();) {
    size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", uids[i]) : fmt::format("{}:{}", uids[i], uids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<FetchCounts> ImapFetcher::FetchAll() {
  FetchCounts counts;
  if (!job_.account.keep) {
    bool uidplus = false;
    Result<ImapResponse> capability =
        session_.Command("CAPABILITY", [&](ImapResponse& response) -> Result<void> {
          if (response.name != "CAPABILITY") return {};
          const std::string words = " " + response.text + " ";
          uidplus |= words.find(" UIDPLUS ") != std::string::npos;
          return {};
        });
    if (!capability) return tl::unexpected(capability.error());
    if (!uidplus) {
      return MakeError(ErrorCode::kUnsupported,
                       "the server lacks UIDPLUS (RFC 4315), which keep = false needs to delete "
                       "only the messages fetched");
    }
  }
  for (const config::FolderMapping& mapping : job_.account.folders) {
    if (Result<void> done = FetchFolder(mapping, counts); !done) {
      return MakeError(done.error().code,
                       fmt::format("folder {}: {}", mapping.remote, done.error().message));
    }
  }
  return counts;
}

Result<void> ImapFetcher::FetchFolder(const config::FolderMapping& mapping, FetchCounts& counts) {
  Result<store::FolderInfo> local = job_.store.FindFolder(mapping.local);
  if (!local) local = job_.store.CreateFolder(mapping.local);
  if (!local) return tl::unexpected(local.error());

  Result<std::string> remote_name = EncodeMailboxName(mapping.remote);
  if (!remote_name) return tl::unexpected(remote_name.error());
  // EXAMINE when the mail stays on the server: read-only, so nothing there changes.
  uint32_t uidvalidity = 0, uidnext = 0, exists = 0;
  Result<ImapResponse> opened = session_.Command(
      fmt::format("{} {}", job_.account.keep ? "EXAMINE" : "SELECT", QuoteImapString(*remote_name)),
      [&](ImapResponse& response) -> Result<void> {
        if (response.number && response.name == "EXISTS") exists = *response.number;
        if (auto value = CodeNumber(response.code, "UIDVALIDITY")) uidvalidity = *value;
        if (auto value = CodeNumber(response.code, "UIDNEXT")) uidnext = *value;
        return {};
      });
  if (!opened) return tl::unexpected(opened.error());
  if (uidvalidity == 0) return MakeError(ErrorCode::kParse, "the server sent no UIDVALIDITY");

  Result<std::optional<store::FetchFolderState>> state =
      job_.sink.state().Folder(job_.account.name, mapping.remote);
  if (!state) return tl::unexpected(state.error());
  const bool same_validity = *state && (*state)->uidvalidity == uidvalidity;
  const uint32_t start = same_validity ? static_cast<uint32_t>((*state)->last_uid) + 1 : 1;

  std::vector<Listed> listed;
  if (exists > 0 && (uidnext == 0 || start < uidnext)) {
    Result<ImapResponse> listing = session_.Command(
        fmt::format("UID FETCH {}:* (UID RFC822.SIZE)", start),
        [&](ImapResponse& response) -> Result<void> {
          // "n:*" also names the last message when every UID is below n: skip it.
          if (response.name == "FETCH" && response.fetch.uid && *response.fetch.uid >= start) {
            listed.push_back({*response.fetch.uid, response.fetch.size.value_or(0)});
          }
          return {};
        });
    if (!listing) return tl::unexpected(listing.error());
  }
  std::sort(listed.begin(), listed.end(),
            [](const Listed& a, const Listed& b) { return a.uid < b.uid; });
  listed.erase(std::unique(listed.begin(), listed.end(),
                           [](const Listed& a, const Listed& b) { return a.uid == b.uid; }),
               listed.end());

  counts.listed += static_cast<int64_t>(listed.size());
  if (job_.progress) job_.progress(counts);
  uint32_t last_uid = same_validity ? static_cast<uint32_t>((*state)->last_uid) : 0;
  if (!listed.empty()) last_uid = listed.back().uid;
  if (listed.empty()) {
    // Nothing new; with keep = false, what an interrupted run stored may still be there.
    if (same_validity) {
      return job_.account.keep || exists == 0 ? Result<void>() : DeleteStored(last_uid, counts);
    }
    // First visit, or a folder that started over: remember its UIDVALIDITY.
    if (Result<void> begun = job_.sink.Begin(); !begun) return begun;
    if (Result<void> set = job_.sink.SetFolderState(mapping.remote, {uidvalidity, 0}); !set) {
      return set;
    }
    return job_.sink.Commit();
  }
  for (size_t i = 0; i < listed.size();) {
    if (job_.stop.load()) return MakeError(ErrorCode::kIo, "interrupted");
    std::vector<Listed> group;
    uint64_t bytes = 0;
    while (i < listed.size() && group.size() < job_.limits.group_messages &&
           (group.empty() || bytes + listed[i].size <= job_.limits.group_bytes)) {
      bytes += listed[i].size;
      group.push_back(listed[i++]);
    }
    // A folder seen before under another UIDVALIDITY starts over: compare with what it gave.
    const bool refetch = *state && !same_validity;
    if (Result<void> done = FetchGroup(mapping, local->id, uidvalidity, refetch, group, counts);
        !done) {
      return done;
    }
    if (job_.progress) job_.progress(counts);
  }
  return job_.account.keep ? Result<void>() : DeleteStored(last_uid, counts);
}

Result<void> ImapFetcher::DeleteStored(uint32_t last_uid, FetchCounts& counts) {
  if (last_uid == 0) return {};
  const auto ignore = [](ImapResponse&) { return Result<void>(); };
  Result<ImapResponse> flagged =
      session_.Command(fmt::format("UID STORE 1:{} +FLAGS.SILENT (\\Deleted)", last_uid), ignore);
  if (!flagged) return tl::unexpected(flagged.error());
  Result<ImapResponse> expunged = session_.Command(
      fmt::format("UID EXPUNGE 1:{}", last_uid), [&](ImapResponse& response) -> Result<void> {
        if (response.number && response.name == "EXPUNGE") ++counts.deleted;
        return {};
      });
  if (!expunged) return tl::unexpected(expunged.error());
  return {};
}

Result<void> ImapFetcher::FetchGroup(const config::FolderMapping& mapping, int64_t local_folder,
                                     uint32_t uidvalidity, bool refetch,
                                     const std::vector<Listed>& group, FetchCounts& counts) {
  if (Result<void> begun = job_.sink.Begin(); !begun) return begun;
  std::set<uint32_t> missing;
  for (const Listed& item : group) missing.insert(item.uid);
  const uint32_t first = group.front().uid, last = group.back().uid;
  Result<ImapResponse> fetched = session_.Command(
      fmt::format("UID FETCH {}:{} (UID BODY.PEEK[])", first, last),
      [&](ImapResponse& response) -> Result<void> {
        if (response.name != "FETCH" || !response.fetch.uid || !response.fetch.body) return {};
        const uint32_t uid = *response.fetch.uid;
        if (missing.erase(uid) == 0) return {};  // not listed: arrived after the listing
        std::string body = std::move(*response.fetch.body);
        Result<bool> stored = job_.sink.Add(mapping.remote, local_folder,
                                            fmt::format("{}/{}", uidvalidity, uid), body, refetch);
        if (!stored) return tl::unexpected(stored.error());
        ++(*stored ? counts.stored : counts.duplicates);
        counts.bytes += body.size();
        return {};
      });
  if (!fetched) return tl::unexpected(fetched.error());
  if (!missing.empty()) {
    // Listed but not sent: expunged meanwhile is fine; still there means the server failed to
    // send it, and the state must not pass it.
    std::vector<uint32_t> uids(missing.begin(), missing.end());
    bool still_there = false;
    Result<ImapResponse> check = session_.Command(
        fmt::format("UID FETCH {} (UID)", UidSet(uids)), [&](ImapResponse& response) {
          if (response.name == "FETCH" && response.fetch.uid &&
              missing.count(*response.fetch.uid)) {
            still_there = true;
          }
          return Result<void>();
        });
    if (!check) return tl::unexpected(check.error());
    if (still_there) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("the server did not send message UID {}", *missing.begin()));
    }
  }
  if (Result<void> set = job_.sink.SetFolderState(mapping.remote, {uidvalidity, last}); !set) {
    return set;
  }
  return job_.sink.Commit();
}

}  // namespace pigeon::mua::fetch

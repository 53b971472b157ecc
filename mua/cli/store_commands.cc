// See store_commands.h.
#include "mua/cli/store_commands.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/message/date.h"
#include "common/store/schema.h"

namespace pigeon::mua {
namespace {

using store::MessageSummary;

std::string FlagLetters(int flags) {
  std::string letters;
  if (!(flags & store::kFlagSeen)) letters += 'N';
  if (flags & store::kFlagAnswered) letters += 'r';
  if (flags & store::kFlagFlagged) letters += 'F';
  if (flags & store::kFlagDeleted) letters += 'D';
  if (flags & store::kFlagDraft) letters += 'd';
  if (flags & store::kFlagForwarded) letters += 'f';
  return letters;
}

nlohmann::json FlagNames(int flags) {
  nlohmann::json names = nlohmann::json::array();
  static constexpr std::pair<int, const char*> kNames[] = {
      {store::kFlagSeen, "seen"},       {store::kFlagAnswered, "answered"},
      {store::kFlagFlagged, "flagged"}, {store::kFlagDeleted, "deleted"},
      {store::kFlagDraft, "draft"},     {store::kFlagForwarded, "forwarded"}};
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) names.push_back(name);
  }
  return names;
}

// "2023-11-14 22:13" in UTC.
std::string ShortDate(int64_t utc) {
  return message::FormatIsoUtc(utc).substr(0, 16).replace(10, 1, " ");
}

}  // namespace

Result<void> RunFolders(store::Store& store, std::FILE* out) {
  Result<std::vector<store::FolderInfo>> folders = store.Folders();
  if (!folders) return tl::unexpected(folders.error());
  size_t width = 6;
  for (const store::FolderInfo& folder : *folders) width = std::max(width, folder.name.size());
  fmt::print(out, "{:<{}}  {:>7}  {:>7}\n", "Folder", width, "Total", "Unread");
  for (const store::FolderInfo& folder : *folders) {
    fmt::print(out, "{:<{}}  {:>7}  {:>7}\n", folder.name, width, folder.total, folder.unread);
  }
  return {};
}

Result<void> RunSearch(store::Store& store, const SearchOptions& options, std::FILE* out) {
  store::PageRequest request;
  request.query = options.query;
  request.limit = options.limit;
  if (!options.folder.empty()) {
    Result<store::FolderInfo> folder = store.FindFolder(options.folder);
    if (!folder) return tl::unexpected(folder.error());
    request.folder_id = folder->id;
  }
  Result<std::vector<MessageSummary>> page = store.Page(request);
  if (!page) return tl::unexpected(page.error());
  Result<std::vector<store::FolderInfo>> folders = store.Folders();
  if (!folders) return tl::unexpected(folders.error());
  std::map<int64_t, std::string> folder_names;
  for (const store::FolderInfo& folder : *folders) folder_names[folder.id] = folder.name;

  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const MessageSummary& m : *page) {
      Result<std::vector<std::string>> tags = store.Keywords(m.id);
      list.push_back({{"id", m.id},
                      {"folder", folder_names[m.folder_id]},
                      {"thread", m.thread_id},
                      {"date_utc", message::FormatIsoUtc(m.date)},
                      {"from", {{"name", m.from_name}, {"addr", m.from_addr}}},
                      {"to", m.to_text},
                      {"subject", m.subject},
                      {"flags", FlagNames(m.flags)},
                      {"tags", tags ? *tags : std::vector<std::string>{}},
                      {"size", m.size},
                      {"has_attachment", m.has_attachment},
                      {"message_id", m.message_id ? nlohmann::json(*m.message_id) : nullptr},
                      {"snippet", m.snippet}});
    }
    fmt::print(out, "{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return {};
  }
  for (const MessageSummary& m : *page) {
    const std::string& who = m.from_name.empty() ? m.from_addr : m.from_name;
    fmt::print(out, "{}  {:<4} {:<24.24}  {}  [{}]\n", ShortDate(m.date), FlagLetters(m.flags), who,
               m.subject, folder_names[m.folder_id]);
  }
  return {};
}

}  // namespace pigeon::mua

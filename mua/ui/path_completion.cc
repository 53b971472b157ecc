// See path_completion.h. Matching is byte-wise and case-sensitive, as file names are.
#include "mua/ui/path_completion.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace pigeon::mua::ui {
namespace {

// A directory with more entries than this is listed only this far: completion stays quick and
// its list bounded in a huge directory (the rest can still be typed).
constexpr size_t kMaxEntries = 100000;

}  // namespace

std::string ExpandHome(const std::string& typed, const std::string& home) {
  if (home.empty()) return typed;
  if (typed == "~") return home;
  if (!typed.starts_with("~/")) return typed;
  std::string base = home;
  while (base.size() > 1 && base.ends_with('/')) base.pop_back();
  if (base == "/") base.clear();  // "/" + "/x" would be "//x"
  return base + typed.substr(1);
}

std::vector<std::string> CompletePath(const std::string& typed, const std::string& home,
                                      const ListDirectory& list) {
  if (typed == "~" && !home.empty()) return {"~/"};
  const size_t slash = typed.rfind('/');
  const std::string directory = slash == std::string::npos ? "" : typed.substr(0, slash + 1);
  const std::string prefix = slash == std::string::npos ? typed : typed.substr(slash + 1);
  const std::string to_list = directory.empty() ? "." : ExpandHome(directory, home);
  Result<std::vector<DirEntry>> entries = list(to_list);
  if (!entries) return {};
  const bool hidden = prefix.starts_with('.');
  std::vector<std::string> out;
  for (const DirEntry& entry : *entries) {
    if (entry.name.empty() || entry.name == "." || entry.name == "..") continue;
    if (entry.name.starts_with('.') && !hidden) continue;
    if (!entry.name.starts_with(prefix)) continue;
    out.push_back(directory + entry.name + (entry.directory ? "/" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

ListDirectory RealDirectoryLister() {
  return [](const std::string& directory) -> Result<std::vector<DirEntry>> {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator it(directory, error);
    if (error) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: {}", directory, error.message()));
    }
    std::vector<DirEntry> entries;
    for (; it != fs::directory_iterator(); it.increment(error)) {
      if (error || entries.size() >= kMaxEntries) break;
      std::error_code kind_error;
      const bool is_directory = it->is_directory(kind_error);  // follows symbolic links
      entries.push_back(DirEntry{it->path().filename().string(), is_directory && !kind_error});
    }
    if (error) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: {}", directory, error.message()));
    }
    return entries;
  };
}

}  // namespace pigeon::mua::ui

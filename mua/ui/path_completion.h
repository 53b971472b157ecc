// File name completion for the reader's file prompts (attach a file, save to a file): the
// entries of the typed directory that extend the typed name, as the whole text the prompt
// shows. "~" stands for the home directory, which the caller passes in (no getenv here).
// Pure but for RealDirectoryLister, which reads a directory through std::filesystem.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mua::ui {

struct DirEntry {
  std::string name;
  bool directory = false;
};

// Lists a directory's entries (not "." or ".."); errors: the directory cannot be read.
using ListDirectory = std::function<Result<std::vector<DirEntry>>(const std::string& directory)>;

// The completions of `typed` at a file prompt: every entry of typed's directory whose name
// starts with typed's last component (case-sensitive), each as the whole text the prompt would
// show (typed's directory part kept as typed, so "~/Do" gives "~/Documents/"); directories end
// in "/". "~" and "~/" expand through `home` for listing only ("~" alone completes to "~/").
// Hidden entries only when the typed component starts with ".". Sorted. An empty `typed`
// lists the current directory. A directory that cannot be listed gives no completions.
std::vector<std::string> CompletePath(const std::string& typed, const std::string& home,
                                      const ListDirectory& list);

// The real lister (std::filesystem, no exceptions escaping: use the error_code overloads).
// A symbolic link to a directory counts as a directory.
ListDirectory RealDirectoryLister();

// typed with a leading "~" or "~/" expanded through home (what the file is opened as); any
// other text, or an empty home, unchanged.
std::string ExpandHome(const std::string& typed, const std::string& home);

}  // namespace pigeon::mua::ui

// Test helper: a fresh directory /tmp/pigeon-NAME-XXXXXX (mkdtemp) for one test or fixture,
// removed with everything in it when the object goes. Failing to make it is a test failure
// (ADD_FAILURE, no exception) and leaves path() empty: a test checks that before it writes,
// or "" + "/file" would name a file in the root directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace pigeon::testing {

class TempDirectory {
 public:
  // `name` says whose directory it is in a listing of /tmp; it may hold no '/'.
  explicit TempDirectory(std::string_view name) {
    const std::string pattern = "/tmp/pigeon-" + std::string(name) + "-XXXXXX";
    std::string path = pattern;  // mkdtemp fills in the Xs, even when it fails
    if (::mkdtemp(path.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp " << pattern << ": " << std::strerror(errno);
      return;
    }
    path_ = std::move(path);
  }
  ~TempDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;  // a test may have removed it already
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace pigeon::testing

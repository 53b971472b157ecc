// See open_store.h.
#include "mua/cli/open_store.h"

#include <cstdio>

#include <fmt/format.h>

#include "common/sys/file.h"

namespace pigeon::mua {

std::unique_ptr<store::Store> OpenStore(const std::string& path, const sys::Clock& clock) {
  Result<void> made = sys::MakeDirectories(sys::DirectoryOf(path));
  Result<std::unique_ptr<store::Store>> store =
      made ? store::Store::Open(path, clock)
           : Result<std::unique_ptr<store::Store>>(tl::unexpected(made.error()));
  if (!store) {
    fmt::print(stderr, "pigeon: {}\n", store.error().message);
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace pigeon::mua

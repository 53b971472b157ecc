// Opening the store for a command, the way every pigeon command does it.
#pragma once

#include <memory>
#include <string>

#include "common/store/store.h"
#include "common/sys/clock.h"

namespace pigeon::mua {

// Opens the store at `path`, creating its directory (0700) on first use. Prints the error
// ("pigeon: …") and returns nullptr when it cannot.
std::unique_ptr<store::Store> OpenStore(const std::string& path, const sys::Clock& clock);

}  // namespace pigeon::mua

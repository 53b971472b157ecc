// The config's key bindings ([reader] bind, muttrc's "bind SCREEN KEY FUNCTION") applied over
// the default keymaps: the key and function names are the reader's, checked here.
#pragma once

#include <vector>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

// Applies `bindings` in order ("noop" unbinds the key). The first unknown key or function
// name fails with a message quoting the binding; the keymaps are then left as they were.
// Each binding goes to the keymaps of the screens it names.
Result<void> ApplyKeyBindings(const std::vector<config::KeyBinding>& bindings, Keymaps& keymaps);

}  // namespace pigeon::mua::ui

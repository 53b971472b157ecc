// See key_bindings.h.
#include "mua/ui/key_bindings.h"

#include <fmt/format.h>

namespace pigeon::mua::ui {

Result<void> ApplyKeyBindings(const std::vector<config::KeyBinding>& bindings, Keymaps& keymaps) {
  Keymaps bound = keymaps;
  for (const config::KeyBinding& binding : bindings) {
    const std::optional<Key> key = ParseKeyName(binding.key);
    if (!key) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("bind \"{}\": unknown key \"{}\" (a character, ^X, or a "
                                   "name such as <Space>, <Down>, <PageUp>, <Enter>)",
                                   binding.text, binding.key));
    }
    const bool unbind = binding.function == "noop";
    const std::optional<Op> op = ParseOpName(binding.function);
    if (!unbind && !op) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("bind \"{}\": unknown function \"{}\" (the help screen, ?, "
                                   "lists them)",
                                   binding.text, binding.function));
    }
    for (const std::string& screen : binding.screens) {
      Keymap& map = screen == "pager"     ? bound.pager
                    : screen == "attach"  ? bound.attach
                    : screen == "outbox"  ? bound.outbox
                    : screen == "compose" ? bound.compose
                                          : bound.index;
      if (unbind) {
        map.Unbind(*key);
      } else {
        map.Bind(*key, *op);
      }
    }
  }
  keymaps = std::move(bound);
  return {};
}

}  // namespace pigeon::mua::ui

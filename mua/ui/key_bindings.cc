// See key_bindings.h.
#include "mua/ui/key_bindings.h"

#include <fmt/format.h>

namespace pigeon::mua::ui {

Result<void> ApplyKeyBindings(const std::vector<config::KeyBinding>& bindings, Keymap& index,
                              Keymap& pager, Keymap& attach, Keymap* outbox) {
  Keymap new_index = index, new_pager = pager, new_attach = attach;
  Keymap new_outbox = outbox != nullptr ? *outbox : Keymap();
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
      Keymap& map = screen == "pager"    ? new_pager
                    : screen == "attach" ? new_attach
                    : screen == "outbox" ? new_outbox
                                         : new_index;
      if (unbind) {
        map.Unbind(*key);
      } else {
        map.Bind(*key, *op);
      }
    }
  }
  index = std::move(new_index);
  pager = std::move(new_pager);
  attach = std::move(new_attach);
  if (outbox != nullptr) *outbox = std::move(new_outbox);
  return {};
}

}  // namespace pigeon::mua::ui

// The generic menu's movement keys (NeoMutt's next-entry, previous-entry, first-entry and
// last-entry) over a list of rows, for the small menus that keep a plain cursor (the outbox,
// the compose screen's attachments). Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

struct MenuMove {
  size_t cursor = 0;
  std::string_view notice;  // "You are on the last entry." when it could not move, else ""
};

// Where `op` moves `cursor` in a list of `count` rows; nullopt when `op` is not a movement.
std::optional<MenuMove> MoveInMenu(Op op, size_t cursor, size_t count);

}  // namespace pigeon::mua::ui

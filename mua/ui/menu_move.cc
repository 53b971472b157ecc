// See menu_move.h. The notices are mutt's.
#include "mua/ui/menu_move.h"

namespace pigeon::mua::ui {

std::optional<MenuMove> MoveInMenu(Op op, size_t cursor, size_t count) {
  constexpr std::string_view kLast = "You are on the last entry.";
  constexpr std::string_view kFirst = "You are on the first entry.";
  const size_t last = count == 0 ? 0 : count - 1;
  switch (op) {
    case Op::kNextEntry:
    case Op::kNextUndeleted:
      return cursor >= last ? MenuMove{last, kLast} : MenuMove{cursor + 1, ""};
    case Op::kPrevEntry:
    case Op::kPrevUndeleted:
      return cursor == 0 ? MenuMove{0, kFirst} : MenuMove{cursor - 1, ""};
    case Op::kFirstEntry:
      return MenuMove{0, ""};
    case Op::kLastEntry:
      return MenuMove{last, ""};
    default:
      return std::nullopt;
  }
}

}  // namespace pigeon::mua::ui

// See yes_no.h.
#include "mua/ui/yes_no.h"

#include <fmt/format.h>

namespace pigeon::mua::ui {

std::string YesNoText(std::string_view question, bool default_yes) {
  return fmt::format("{} ({}): ", question, default_yes ? "[yes]/no" : "yes/[no]");
}

Answer AnswerFor(Key key, bool default_yes) {
  switch (key) {
    case 'y':
    case 'Y':
      return Answer::kYes;
    case 'n':
    case 'N':
      return Answer::kNo;
    case '\n':
    case '\r':
    case keys::kKeypadEnter:
      return default_yes ? Answer::kYes : Answer::kNo;
    case keys::kControlG:
    case keys::kEscape:
      return Answer::kCancelled;
    default:
      return Answer::kPending;
  }
}

}  // namespace pigeon::mua::ui

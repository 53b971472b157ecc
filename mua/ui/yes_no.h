// mutt's yes/no question on the message line ("Purge 2 deleted messages? ([yes]/no): "): y or
// n answers, Enter takes the default, ^G or Esc cancels the command that asked; other keys
// are ignored. Pure: keys in, answers out; the app draws the text.
#pragma once

#include <string>
#include <string_view>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

enum class Answer { kPending, kYes, kNo, kCancelled };

// "Create lists/new? ([yes]/no): ", the default in brackets.
std::string YesNoText(std::string_view question, bool default_yes);

Answer AnswerFor(Key key, bool default_yes);

}  // namespace pigeon::mua::ui

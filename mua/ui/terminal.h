// The terminal seam: the UI draws rows of printable UTF-8 text with a style and reads keys
// through this interface, so everything above it runs without curses. The real one is
// curses_terminal.h (the only file that includes curses); tests can draw into a grid.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

// The terminal's colour numbers (curses' COLOR_*): the eight ANSI colours by name, and any of
// 0..255 by number on terminals that have them (a number the terminal lacks shows as default).
enum class Color : int16_t {
  kDefault = -1,  // the terminal's own foreground or background
  kBlack = 0,
  kRed = 1,
  kGreen = 2,
  kYellow = 3,
  kBlue = 4,
  kMagenta = 5,
  kCyan = 6,
  kWhite = 7,
};

struct Style {
  Color color = Color::kDefault;  // foreground
  Color background = Color::kDefault;
  bool bold = false;
  bool reverse = false;
  bool dim = false;
  bool underline = false;
  bool operator==(const Style&) const = default;
};

class Terminal {
 public:
  virtual ~Terminal() = default;
  virtual int Rows() const = 0;
  virtual int Columns() const = 0;
  // The style blank cells take from the next Erase on (mutt's "color normal").
  virtual void SetBackground(Style style) = 0;
  // Starts a frame: every cell blank.
  virtual void Erase() = 0;
  // Writes `text` (printable, already fitted: see display_width.h) at (row, column); cells
  // outside the screen are dropped.
  virtual void Put(int row, int column, std::string_view text, Style style) = 0;
  // Shows the frame (only what changed since the last one is sent to the terminal).
  virtual void Present() = 0;
  // The next Present repaints everything (^L, after something else wrote to the screen).
  virtual void Invalidate() = 0;
  // Places the visible cursor (prompts) or hides it (column < 0).
  virtual void SetCursor(int row, int column) = 0;
  // The next key, or nullopt after `timeout_ms` without one. keys::kResize after a resize.
  virtual std::optional<Key> ReadKey(int timeout_ms) = 0;
  // Gives the terminal to another program (the editor) in its normal modes, and takes it
  // back: the next Present repaints everything.
  // The terminal's bell (new mail with the bell on).
  virtual void Beep() = 0;
  virtual void Suspend() = 0;
  virtual void Resume() = 0;
};

}  // namespace pigeon::mua::ui

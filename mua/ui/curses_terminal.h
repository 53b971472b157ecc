// Terminal over ncursesw: the only code that includes curses (STYLE.md). Owns the curses
// session: Open() starts it on the controlling terminal, the destructor ends it, restoring
// the terminal's modes, on every way out of the UI (return, error, SIGINT/SIGTERM handled by
// the caller's stop flag). Needs a UTF-8 locale set before Open (setlocale in main).
#pragma once

#include <map>
#include <memory>

#include "common/util/result.h"
#include "mua/ui/terminal.h"

typedef struct screen SCREEN;

namespace pigeon::mua::ui {

class CursesTerminal : public Terminal {
 public:
  // Fails when standard input or output is not a terminal or TERM is unknown.
  static Result<std::unique_ptr<CursesTerminal>> Open();
  ~CursesTerminal() override;
  CursesTerminal(const CursesTerminal&) = delete;
  CursesTerminal& operator=(const CursesTerminal&) = delete;

  int Rows() const override;
  int Columns() const override;
  void SetBackground(Style style) override;
  void Erase() override;
  void Put(int row, int column, std::string_view text, Style style) override;
  void Present() override;
  void Invalidate() override;
  void SetCursor(int row, int column) override;
  std::optional<Key> ReadKey(int timeout_ms) override;
  void Beep() override;
  void Suspend() override;
  void Resume() override;

 private:
  explicit CursesTerminal(SCREEN* screen) : screen_(screen) {}
  // The colour pair for these colours, made on first use; 0 (the default pair) on a
  // monochrome terminal.
  short PairOf(Color foreground, Color background);

  SCREEN* screen_;
  std::map<int, short> pairs_;  // (foreground, background) → pair number
  int cursor_row_ = 0, cursor_column_ = -1;
};

}  // namespace pigeon::mua::ui

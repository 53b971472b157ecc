// See curses_terminal.h. newterm (not initscr, which exits the process on failure); colours
// on the terminal's own background (use_default_colors); a short ESCDELAY so Esc cancels a
// prompt at once. ncurses handles SIGWINCH (KEY_RESIZE) and SIGTSTP itself; SIGINT and
// SIGTERM are the caller's (its handlers are installed before Open, so ncurses keeps them).
#include "mua/ui/curses_terminal.h"

#include <curses.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>

#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

std::wstring Wide(std::string_view text) {
  std::wstring out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const int cp = DecodeUtf8(text, pos);
    out += static_cast<wchar_t>(cp < 0 ? '?' : cp);
  }
  return out;
}

Key TranslateFunctionKey(wint_t code) {
  switch (code) {
    case KEY_UP:
      return keys::kUp;
    case KEY_DOWN:
      return keys::kDown;
    case KEY_LEFT:
      return keys::kLeft;
    case KEY_RIGHT:
      return keys::kRight;
    case KEY_PPAGE:
      return keys::kPageUp;
    case KEY_NPAGE:
      return keys::kPageDown;
    case KEY_HOME:
      return keys::kHome;
    case KEY_END:
      return keys::kEnd;
    case KEY_BACKSPACE:
      return keys::kBackspace;
    case KEY_DC:
      return keys::kDelete;
    case KEY_ENTER:
      return keys::kKeypadEnter;
    case KEY_RESIZE:
      return keys::kResize;
    default:
      return 0x110100 + static_cast<Key>(code);  // unbound: ignored by every keymap
  }
}

attr_t AttributesOf(const Style& style) {
  attr_t attributes = A_NORMAL;
  if (style.bold) attributes |= A_BOLD;
  if (style.reverse) attributes |= A_REVERSE;
  if (style.dim) attributes |= A_DIM;
  if (style.underline) attributes |= A_UNDERLINE;
  return attributes;
}

}  // namespace

Result<std::unique_ptr<CursesTerminal>> CursesTerminal::Open() {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    return MakeError(ErrorCode::kUnsupported, "the mail reader needs a terminal");
  }
  SCREEN* screen = newterm(nullptr, stdout, stdin);
  if (screen == nullptr) {
    return MakeError(ErrorCode::kUnsupported, "cannot start the terminal (is TERM set?)");
  }
  set_term(screen);
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  if (has_colors()) {
    start_color();
    use_default_colors();
  }
  return std::unique_ptr<CursesTerminal>(new CursesTerminal(screen));
}

CursesTerminal::~CursesTerminal() {
  curs_set(1);
  endwin();
  delscreen(screen_);
}

int CursesTerminal::Rows() const { return getmaxy(stdscr); }
int CursesTerminal::Columns() const { return getmaxx(stdscr); }

void CursesTerminal::Erase() { werase(stdscr); }

void CursesTerminal::SetBackground(Style style) {
  wbkgdset(stdscr, static_cast<chtype>(' ') | AttributesOf(style) |
                       COLOR_PAIR(PairOf(style.color, style.background)));
}

void CursesTerminal::Put(int row, int column, std::string_view text, Style style) {
  if (row < 0 || row >= Rows() || column < 0 || column >= Columns()) return;
  wattr_set(stdscr, AttributesOf(style), PairOf(style.color, style.background), nullptr);
  // Clip to the screen: the text is fitted by the caller, this only guards the last column.
  const std::string fitted = TruncateToWidth(text, Columns() - column);
  const std::wstring wide = Wide(fitted);
  mvwaddnwstr(stdscr, row, column, wide.c_str(), static_cast<int>(wide.size()));
  wattr_set(stdscr, A_NORMAL, 0, nullptr);
}

short CursesTerminal::PairOf(Color foreground, Color background) {
  if (!has_colors()) return 0;  // monochrome: the attributes alone
  const auto usable = [](Color color) {
    const int number = static_cast<int>(color);
    return number >= 0 && number < COLORS ? static_cast<short>(number) : short{-1};
  };
  const short fg = usable(foreground), bg = usable(background);
  if (fg < 0 && bg < 0) return 0;
  const int key = (fg + 1) * 257 + (bg + 1);
  if (auto found = pairs_.find(key); found != pairs_.end()) return found->second;
  // A few dozen pairs at most (one per distinct colour pair in use); past the terminal's
  // supply the text keeps its attributes without colour.
  const int next = static_cast<int>(pairs_.size()) + 1;
  if (next >= COLOR_PAIRS || next > SHRT_MAX) return 0;
  if (init_pair(static_cast<short>(next), fg, bg) == ERR) return 0;
  pairs_.emplace(key, static_cast<short>(next));
  return static_cast<short>(next);
}

void CursesTerminal::Present() {
  if (cursor_column_ >= 0) {
    curs_set(1);
    wmove(stdscr, cursor_row_, cursor_column_);
  } else {
    curs_set(0);
  }
  wrefresh(stdscr);
}

void CursesTerminal::Invalidate() { clearok(curscr, TRUE); }

void CursesTerminal::SetCursor(int row, int column) {
  cursor_row_ = row;
  cursor_column_ = column;
}

std::optional<Key> CursesTerminal::ReadKey(int timeout_ms) {
  wtimeout(stdscr, timeout_ms);
  wint_t code = 0;
  const int kind = wget_wch(stdscr, &code);
  if (kind == ERR) return std::nullopt;
  if (kind == KEY_CODE_YES) return TranslateFunctionKey(code);
  return static_cast<Key>(code);
}

// endwin keeps the curses session: the next refresh puts the program modes back (curses(3X)).
void CursesTerminal::Beep() { beep(); }

void CursesTerminal::Suspend() {
  curs_set(1);
  endwin();
}

void CursesTerminal::Resume() {
  clearok(curscr, TRUE);
  wrefresh(stdscr);
}

}  // namespace pigeon::mua::ui

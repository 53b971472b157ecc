// ProgressBar: one self-redrawing status line ("\r") on a terminal for long imports and
// exports: count, total or percentage, messages per second and ETA. Draws nothing unless the
// stream is a terminal, at most 10 times a second, and clears its line when done. Also the
// number formatting ("9,812", "3.2 s") the commands' summary lines share.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace pigeon::mua {

// "9,812": digits grouped by commas whatever the locale, for summary lines.
std::string GroupDigits(int64_t n);
// "3.2 s" below a minute, else "4 min 05 s".
std::string FormatElapsed(double seconds);
// Messages per second over `seconds` (0 when no time has passed).
int64_t Rate(int64_t count, double seconds);

class ProgressBar {
 public:
  // `out` (stderr) must outlive the bar. `enabled`: draw at all (callers pass
  // isatty(fileno(out))); a disabled bar still measures elapsed time.
  ProgressBar(std::FILE* out, bool enabled, std::string verb);
  ~ProgressBar() { Clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The bar for a terminal stderr; silent otherwise.
  static bool StderrIsTerminal();

  // `done` of `total` units of work (messages, or bytes of an mbox) and `count` messages so
  // far. total = nullopt when unknown. Redraws at most every 100 ms.
  void Update(int64_t count, int64_t done, std::optional<int64_t> total);
  // Erases the line (before a warning or the summary is printed).
  void Clear();
  double ElapsedSeconds() const;

 private:
  void Draw(int64_t count, int64_t done, std::optional<int64_t> total);

  std::FILE* out_;
  bool enabled_;
  std::string verb_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace pigeon::mua

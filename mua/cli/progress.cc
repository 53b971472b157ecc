// See progress.h.
#include "mua/cli/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace pigeon::mua {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

// "1:05" or "1:02:03".
std::string FormatEta(int64_t seconds) {
  if (seconds >= 3600) {
    return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

}  // namespace

std::string GroupDigits(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatElapsed(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  const int64_t whole = static_cast<int64_t>(seconds);
  return fmt::format("{} min {:02} s", whole / 60, whole % 60);
}

int64_t Rate(int64_t count, double seconds) {
  return seconds > 0 ? static_cast<int64_t>(static_cast<double>(count) / seconds) : 0;
}

ProgressBar::ProgressBar(std::FILE* out, bool enabled, std::string verb)
    : out_(out),
      enabled_(enabled),
      verb_(std::move(verb)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

bool ProgressBar::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

double ProgressBar::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::Update(int64_t count, int64_t done, std::optional<int64_t> total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  Draw(count, done, total);
}

void ProgressBar::Draw(int64_t count, int64_t done, std::optional<int64_t> total) {
  const double elapsed = ElapsedSeconds();
  std::string line = fmt::format("{} {} messages", verb_, GroupDigits(count));
  if (total && *total > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total));
    line += fmt::format(" ({:.0f}%)", fraction * 100);
    if (fraction > 0.0 && elapsed > 0.5) {
      line += ", ETA " + FormatEta(static_cast<int64_t>(elapsed * (1.0 - fraction) / fraction));
    }
  }
  line += fmt::format(", {}/s", GroupDigits(Rate(count, elapsed)));
  // Pad over the previous, maybe longer, line; stay within 79 columns.
  fmt::print(out_, "\r{:<79.79}", line);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!enabled_ || !drawn_) return;
  fmt::print(out_, "\r{:79}\r", "");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace pigeon::mua

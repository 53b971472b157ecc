// Runs mailcap entries (mailcap.h) on a MIME part's decoded bytes through ShellCommands: test=
// commands decide which entry applies; a command with %s reads a temporary file
// (attachment_file.h TempAttachment, removed when it is done), one without reads the bytes
// on its standard input (RFC 1524 §4). Borrows the mailcap and the shell, which must outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/message/mime.h"
#include "common/util/result.h"
#include "mua/ui/attachment_file.h"
#include "mua/ui/mailcap.h"
#include "mua/ui/shell_commands.h"

namespace pigeon::mua::ui {

class MailcapViewer {
 public:
  // A test= command or a copiousoutput viewer runs while the reader waits for it: one that
  // hangs is killed after this long (the entry is then skipped, or the output so far shown).
  static constexpr std::chrono::seconds kTestTimeout{5};
  static constexpr std::chrono::seconds kCopiousTimeout{20};

  // Temporary files go under `temp_root` (see TempAttachment::Create).
  MailcapViewer(const Mailcap& mailcap, ShellCommands& shell, std::string temp_root)
      : mailcap_(mailcap), shell_(shell), temp_root_(std::move(temp_root)) {}

  // The entry for `part`'s type whose test passes; with `copious_only` a copiousoutput one.
  std::optional<MailcapEntry> Find(const message::Part& part, bool copious_only) const;
  // Runs `entry` without the terminal and returns what it wrote (copiousoutput).
  Result<CommandOutput> Capture(const MailcapEntry& entry, const message::Part& part) const;
  // Runs `entry` with the terminal (the caller suspends the screen around it): its status.
  // A key is asked for afterwards when the entry says needsterminal or the command failed.
  Result<int> Run(const MailcapEntry& entry, const message::Part& part) const;

 private:
  // `entry`'s command with a temporary file made when it uses %s; the file lives in `temp`.
  Result<std::string> Prepare(const MailcapEntry& entry, const message::Part& part,
                              const std::string& bytes,
                              std::unique_ptr<TempAttachment>& temp) const;

  const Mailcap& mailcap_;
  ShellCommands& shell_;
  std::string temp_root_;
};

}  // namespace pigeon::mua::ui

// An in-memory IMAP server behind the MailConnection seam: one folder model per name (UIDs,
// UIDVALIDITY, messages), answering the commands pigeon's fetch sends (EXAMINE, SELECT,
// UID FETCH with UID, RFC822.SIZE and BODY.PEEK[], LOGOUT) the way RFC 3501 servers do,
// including "n:*" naming the last message. It records the commands, and can cut the
// connection after a number of message bodies, to test what a fetch that dies leaves.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mua/fetch/mail_connection.h"

namespace pigeon::mua::fetch {

struct FakeFolder {
  uint32_t uidvalidity = 1000;
  uint32_t uidnext = 1;
  std::vector<std::pair<uint32_t, std::string>> messages;  // by UID, ascending
  void Add(std::string raw) { messages.emplace_back(uidnext++, std::move(raw)); }
};

class FakeImapServer : public MailConnection {
 public:
  std::map<std::string, FakeFolder> folders;
  std::vector<std::string> commands;
  bool uidplus = true;
  std::optional<int> bodies_before_cut;  // cut the connection after this many bodies
  int bodies_sent = 0;

  Result<void> Send(std::string_view bytes) override {
    if (cut_) return MakeError(ErrorCode::kIo, "fake: connection cut");
    std::string line(bytes);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    commands.push_back(line);
    Answer(line);
    return {};
  }

  Result<size_t> Receive(char* buffer, size_t size) override {
    if (pending_.empty())
      return MakeError(ErrorCode::kIo, "fake: the server closed the connection");
    // Small pieces: the reader must assemble responses across reads.
    const size_t n = std::min({size, pending_.size(), size_t{7}});
    std::copy_n(pending_.begin(), n, buffer);
    pending_.erase(0, n);
    return n;
  }

  std::string Describe() const override { return "fake.example:993"; }

 private:
  void Answer(const std::string& line) {
    const size_t space = line.find(' ');
    const std::string tag = line.substr(0, space);
    const std::string command = line.substr(space + 1);
    if (command.starts_with("EXAMINE ") || command.starts_with("SELECT ")) {
      std::string name = command.substr(command.find(' ') + 1);
      name = name.substr(1, name.size() - 2);
      auto found = folders.find(name);
      if (found == folders.end()) {
        pending_ += tag + " NO [NONEXISTENT] Mailbox doesn't exist: " + name + "\r\n";
        return;
      }
      selected_ = &found->second;
      pending_ += fmt::format("* FLAGS (\\Seen)\r\n* {} EXISTS\r\n* 0 RECENT\r\n",
                              selected_->messages.size());
      pending_ += fmt::format("* OK [UIDVALIDITY {}] UIDs valid\r\n", selected_->uidvalidity);
      pending_ += fmt::format("* OK [UIDNEXT {}] Predicted next UID\r\n", selected_->uidnext);
      pending_ += tag + " OK [READ-ONLY] done\r\n";
      return;
    }
    if (command.starts_with("UID FETCH ") && selected_ != nullptr) {
      const std::string rest = command.substr(10);
      const std::string set = rest.substr(0, rest.find(' '));
      const std::string items = rest.substr(rest.find(' ') + 1);
      for (size_t i = 0; i < selected_->messages.size(); ++i) {
        const auto& [uid, raw] = selected_->messages[i];
        if (!InSet(set, uid)) continue;
        std::string response = fmt::format("* {} FETCH (UID {}", i + 1, uid);
        if (items.find("RFC822.SIZE") != std::string::npos) {
          response += fmt::format(" RFC822.SIZE {}", raw.size());
        }
        if (items.find("BODY.PEEK[]") != std::string::npos) {
          if (bodies_before_cut && bodies_sent == *bodies_before_cut) {
            cut_ = true;
            return;  // what was sent so far stays readable, then the connection ends
          }
          ++bodies_sent;
          response += fmt::format(" BODY[] {{{}}}\r\n{}", raw.size(), raw);
        }
        pending_ += response + ")\r\n";
      }
      pending_ += tag + " OK UID FETCH done\r\n";
      return;
    }
    if (command == "CAPABILITY") {
      pending_ += std::string("* CAPABILITY IMAP4rev1 ") + (uidplus ? "UIDPLUS " : "") +
                  "IDLE\r\n" + tag + " OK done\r\n";
      return;
    }
    if (command.starts_with("UID STORE ") && selected_ != nullptr &&
        command.ends_with(" +FLAGS.SILENT (\\Deleted)")) {
      const std::string set = command.substr(10, command.find(' ', 10) - 10);
      for (const auto& [uid, raw] : selected_->messages) {
        if (InSet(set, uid)) deleted_.insert(uid);
      }
      pending_ += tag + " OK done\r\n";
      return;
    }
    if (command.starts_with("UID EXPUNGE ") && selected_ != nullptr && uidplus) {
      const std::string set = command.substr(12);
      for (size_t i = selected_->messages.size(); i-- > 0;) {
        const uint32_t uid = selected_->messages[i].first;
        if (InSet(set, uid) && deleted_.count(uid)) {
          selected_->messages.erase(selected_->messages.begin() + static_cast<long>(i));
          pending_ += fmt::format("* {} EXPUNGE\r\n", i + 1);
        }
      }
      pending_ += tag + " OK done\r\n";
      return;
    }
    if (command == "LOGOUT") {
      pending_ += "* BYE bye\r\n" + tag + " OK done\r\n";
      return;
    }
    pending_ += tag + " BAD unknown command\r\n";
  }

  // RFC 3501 sequence sets of UIDs: "a", "a:b", "a:*" (with * the highest UID), comma lists.
  bool InSet(const std::string& set, uint32_t uid) const {
    const uint32_t highest = selected_->messages.empty() ? 0 : selected_->messages.back().first;
    size_t start = 0;
    while (start <= set.size()) {
      const size_t comma = std::min(set.find(',', start), set.size());
      const std::string range = set.substr(start, comma - start);
      const size_t colon = range.find(':');
      auto value = [&](const std::string& text) {
        return text == "*" ? highest : static_cast<uint32_t>(std::stoul(text));
      };
      uint32_t low = value(range.substr(0, colon));
      uint32_t high = colon == std::string::npos ? low : value(range.substr(colon + 1));
      if (low > high) std::swap(low, high);
      if (uid >= low && uid <= high) return true;
      start = comma + 1;
    }
    return false;
  }

  std::string pending_;
  FakeFolder* selected_ = nullptr;
  bool cut_ = false;
  std::set<uint32_t> deleted_;
};

}  // namespace pigeon::mua::fetch

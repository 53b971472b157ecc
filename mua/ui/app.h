// The mail reader: index, pager and help screens over one store, driven by keys (keymap.h)
// and by the store's change counter, polled about once a second so mail delivered by pigeond
// or sendmail shows up without a key press. Owns the screen state; borrows the store, the
// terminal and the clock, which must outlive it. Single-threaded: every store call is a short
// read (a page of summaries, one message) or one write transaction per command. Message
// commands (app_commands.cc) follow message_command.h; prompts are in app_prompt.cc; mail,
// the replies, forward and bounce (app_compose.cc) run the editor and send through
// mua/compose. Limit, search and the pattern commands (app_search.cc) hand the store's query
// language to the store. The attachments menu (app_attachments.cc) lists the MIME parts of a
// message (attachment_list.h) and saves, pipes or views them, through the mailcap
// (mailcap_viewer.h) for types the pager cannot show.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/message/message.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/monotonic_clock.h"
#include "common/util/result.h"
#include "mua/compose/draft.h"
#include "mua/compose/editor.h"
#include "mua/compose/identity.h"
#include "mua/compose/mail_sender.h"
#include "mua/ui/attachment_list.h"
#include "mua/ui/color_scheme.h"
#include "mua/ui/compose_model.h"
#include "mua/ui/index_layout.h"
#include "mua/ui/index_model.h"
#include "mua/ui/index_sort.h"
#include "mua/ui/keymap.h"
#include "mua/ui/line_editor.h"
#include "mua/ui/mailcap.h"
#include "mua/ui/mailcap_viewer.h"
#include "mua/ui/message_command.h"
#include "mua/ui/outbox_model.h"
#include "mua/ui/pager_model.h"
#include "mua/ui/query_watch.h"
#include "mua/ui/shell_commands.h"
#include "mua/ui/sidebar.h"
#include "mua/ui/store_index_source.h"
#include "mua/ui/tag_set.h"
#include "mua/ui/terminal.h"
#include "mua/ui/threaded_index_source.h"

namespace pigeon::mua::ui {

struct AppOptions {
  std::string folder = "INBOX";  // opened first
  std::chrono::milliseconds poll_interval{1000};
  std::string identity;  // the From of new mail: "Ada Lovelace <ada@example.org>"
  std::vector<config::Identity> identities;  // more Froms, with signatures and Fcc folders
  message::Mailbox owner;                    // Resent-From of bounces; left out of group replies
  bool mime_forward = false;     // f attaches the original (message/rfc822) instead of quoting it
  bool new_mail_bell = false;    // ring the bell when mail arrives in the open folder
  std::string new_mail_command;  // "" or run with each new message's sender and subject
  bool sidebar_visible = false;  // NeoMutt's $sidebar_visible, toggled with sidebar-toggle-visible
  int sidebar_width = 30;        // $sidebar_width, the divider not included
  ColorScheme colors;            // with the config's color lines (color_scheme.h)
  Keymaps keys;                  // with the config's bindings (key_bindings.h)
  IndexSort sort;                // the index's order when a folder opens
  bool utf8 = true;  // the terminal shows UTF-8: the thread tree's line-drawing characters
  Mailcap mailcap;   // the entries of the mailcap files, in order
  std::string temp_directory = "/tmp";  // where a mailcap command's file is made
  std::string home;                     // "~" in the save prompt
  std::string shell = "/bin/sh";        // $SHELL: what ! runs when no command is given
  // Sent mail waits this long in the queue, so that undo-send can take it back; 0 = off.
  std::chrono::seconds undo_send_delay{0};
  std::function<void()> wake_queue;  // tells pigeond the queue changed (outbox retry)
  // The MIME type of a file attached on the compose screen (nullptr: by its extension).
  const message::MimeTypeSniffer* sniffer = nullptr;
  IndexFormat index_format = IndexFormat::Default();  // [reader] index_format and date_format
};

// The Fcc folder of the identity `from` (as typed) is, "" (Sent) when it is none.
std::string FccOf(const compose::Identities& identities, const std::string& from);

class App {
 public:
  // `stop` is set by SIGINT/SIGTERM: the loop then returns (and the terminal is restored by
  // its owner). `editor` and `sender` serve mail and reply; `sender` writes into `store`.
  App(store::Store& store, Terminal& terminal, const sys::Clock& clock,
      const std::atomic<bool>& stop, compose::EditorRunner& editor, compose::MailSender& sender,
      ShellCommands& shell, AppOptions options);

  // Runs until the user quits or `stop` is set. Fails only when the first folder cannot be
  // opened; later store errors are shown on the message line.
  Result<void> Run();

 private:
  enum class Screen { kIndex, kPager, kHelp, kAttach, kOutbox, kCompose };
  static constexpr int kKeyTimeoutMs = 200;  // how often the loop wakes to poll and see `stop`
  // How long a key after Esc makes one key with it (mutt's "\ev"); then Esc is on its own.
  static constexpr int kMetaTimeoutMs = 1000;

  Result<void> OpenFolder(const store::FolderInfo& folder);
  // The sources and the model for `folder` in `sort`; `keep` stays selected when given.
  Result<void> LoadIndex(const store::FolderInfo& folder, IndexSort sort,
                         const store::MessageSummary* keep);
  // app_threads.cc. o and O: asks for the order and sorts; <Esc>v, <Esc>V; ^N and ^P.
  void SortPrompt(bool reverse);
  void Collapse(bool all);
  // True when it moved (false after a message on the message line).
  bool NextThread(bool forward);
  // Esc and the key after it as one key (keys::Meta), else Esc alone.
  Key WithMeta(Key key);
  Result<void> ReloadFolders();
  void Poll();
  // The bell and the new-mail command for what arrived in the open folder since the last
  // poll (the command for the first few unread messages only).
  void AnnounceArrivals();
  void HandleKey(Key key);
  void HandleIndex(Op op);
  void HandlePager(Op op);
  void HandleHelp(Op op);
  // app_attachments.cc. v: the attachments menu of the shown or selected message; its keys;
  // the pager's keys while it shows an attachment (false when the key is the pager's own).
  void ViewAttachments();
  void HandleAttach(Op op);
  bool HandleAttachmentPager(Op op);
  void LeaveAttachments();
  void ViewAttach(bool force_mailcap);
  void ViewThroughMailcap(const AttachmentRow& row);
  void ShowInPager(const std::string& title, std::vector<SourceLine> lines);
  void SaveEntry();
  void PipeEntry();
  // The pager's text for an HTML body (html_view.h).
  HtmlText HtmlRenderer() const;
  void DrawAttachments();
  void ChangeFolder();
  // Leaves the open folder for `folder` (after mutt's purge question), back to the index.
  // By value: the purge reloads folders_, which callers may have taken `folder` from.
  void SwitchFolder(store::FolderInfo folder);
  // sidebar-toggle-visible, -next, -prev, -next-new, -prev-new and -open; false for other ops.
  bool HandleSidebar(Op op);
  void ShowHelp();
  // The keys of `screen` as the config left them.
  const Keymap& KeymapOf(Screen screen) const;

  // app_prompt.cc. A folder name read with Tab completion after `label`; nullopt when
  // cancelled or left empty.
  std::optional<std::string> AskFolder(const std::string& label);
  // A line of text (a query) after `label`, starting from `initial`; "" when left empty,
  // nullopt when cancelled.
  std::optional<std::string> AskLine(const std::string& label, const std::string& initial,
                                     const std::vector<std::string>& candidates);
  // The same with an editor already set up (a file prompt's path completion).
  std::optional<std::string> AskLine(const std::string& label, LineEditor& editor);
  // mutt's yes/no question; nullopt when cancelled (^G, Esc, or the reader stopping).
  std::optional<bool> AskYesNo(std::string_view question, bool default_yes);
  // The next key while a prompt is open (polling the store and following resizes
  // meanwhile); nullopt when the reader is stopping.
  std::optional<Key> PromptKey();

  // app_commands.cc. d u ^D ^U F N t s C on the selected or the tagged messages.
  void RunMessageCommand(Op op);
  void TagPrefixKey();
  Result<void> WriteFlags(Op op, const FlagEdit& edit, std::vector<int64_t> ids);
  void SaveOrCopy(Op op, const Targets& targets);
  // app_search.cc. l: the limit; / and n in the index (a message) and the pager (text);
  // D U T ^T on the messages of the view matching a query.
  void Limit();
  void SearchIndex(bool ask);
  void SearchPager(bool ask);
  void RunPatternCommand(Op op);
  // The answer to a query prompt, normalized (view_query.h); nullopt when cancelled, left
  // empty or wrong (the error is then on the message line).
  std::optional<std::string> AskQuery(std::string_view label, std::string& text);
  // A search's error on the message line; "Search stopped." after ^G.
  void ReportQueryError(const Error& error);
  // app_compose.cc. m: a new message; r g L f b: a reply, group reply, list reply, forward or
  // bounce of the shown or selected message.
  struct Original {
    int64_t id;
    message::Message mail;
  };
  // The shown message (pager), else the selected one, read from the store; nullopt after a
  // notice on the message line.
  std::optional<Original> CurrentOriginal();
  // The shown message (pager), else the selected one; 0 after "No messages.".
  int64_t CurrentId();
  // mutt's pipe-message (|): the current message, or the tagged ones after ';', to a command.
  void PipeMessage();
  // mutt's shell-escape (!): a command on the terminal, or an interactive $SHELL when none is
  // given; the screen is redrawn after it.
  void ShellEscape();
  // `draft` (from the identity) with the identity's signature; nullopt after an error.
  std::optional<compose::EditableDraft> Signed(compose::EditableDraft draft,
                                               const compose::Identity& identity);
  void Mail();
  void Reply(Op op);
  void Forward();
  void Bounce();
  // The message a reply or forward came from, and the flag it gets once the mail is sent.
  struct MarkOnSend {
    int64_t id;
    int flag;
  };
  // A message being composed: the editor first (unless `open_editor` is false: a recalled
  // draft), then the compose screen. `drafts_copy` is a copy of it kept in Drafts (a message
  // taken back by undo-send, a recalled draft): it goes once the message is sent or postponed
  // again, and stays when the message is abandoned.
  struct ComposeStart {
    std::optional<MarkOnSend> mark;
    std::optional<int64_t> drafts_copy;
    bool open_editor = true;
    bool abort_unmodified = true;  // mutt's $abort_unmodified, for a new draft only
  };
  void Compose(compose::EditableDraft draft, ComposeStart start);
  // The original a recalled reply answers (found by its In-Reply-To), to flag once it is sent.
  std::optional<MarkOnSend> RecalledReplyMark(const compose::EditableDraft& draft,
                                              int64_t drafts_folder_id);
  // app_compose_screen.cc. The editor on `text` until it gives a draft that reads (asking
  // "Edit again?" after a mistake); nullopt when the user gave up or left it unmodified.
  std::optional<compose::EditableDraft> EditDraft(std::string text,
                                                  const compose::EditableDraft& base,
                                                  bool abort_unmodified);
  void HandleCompose(Op op);
  void EditComposeField(ComposeField field);
  void EditComposeMessage();
  void EditComposeFcc();
  void AttachFile();
  // y and L: sends now (held for the undo delay) or at a time asked for; the screen stays
  // open after an error, with the draft as it was.
  void SendComposed(bool later);
  void PostponeComposed();
  // q: asks whether to postpone a changed message, then leaves the screen.
  void AbortCompose();
  void LeaveCompose();
  // Removes the Drafts copy `id` for good (the first delete moves it to Trash).
  void DropDraftsCopy(int64_t id);
  // R: the postponed message selected in Drafts, or the only one there; with several, opens
  // Drafts to choose from.
  void RecallPostponed();
  void DrawCompose();

  // app_outbox.cc. X: takes back the message just sent while its undo delay lasts.
  void UndoSend();
  // Y: the outbox screen; r retries the selected message now, d takes it back into Drafts.
  void OpenOutbox();
  void RefreshOutbox();
  void HandleOutbox(Op op);
  void RetryOutbox();
  void CancelOutbox();
  void DrawOutbox();

  // Runs `work` (store reads that may take long: a search of a big folder) so that after a
  // quiet moment "LABEL... N s (^G to cancel)" shows and ^G or Esc stops it: `work` then
  // returns kCancelled (query_watch.h). A resize meanwhile is followed afterwards.
  template <class Work>
  auto Watched(std::string label, Work&& work) {
    bool resized = false;
    QueryWatch watch(
        std::move(label), steady_clock_, [this](std::string_view text) { ShowNotice(text); },
        [this, &resized]() -> std::optional<Key> {
          std::optional<Key> key = terminal_.ReadKey(0);
          if (key == keys::kResize) resized = true;
          return key;
        });
    store_.SetInterruptCheck([&watch] { return watch.ShouldStop(); });
    auto result = work();
    store_.SetInterruptCheck(nullptr);
    if (resized) Relayout();
    return result;
  }
  // `text` on the message line at once, while the loop is busy (QueryWatch's notice).
  void ShowNotice(std::string_view text);

  // After a write: counts, index rows and the pager's flags read again.
  void Reload();
  // shown_ counted again after the folder or the limit changed.
  void CountShown();
  // Moves on after a command as mutt's $resolve does, in the index or the pager.
  void Resolve(Advance advance);
  // Asks "Purge N deleted messages?" when the folder has some and purges them (to Trash, see
  // Store::PurgeDeleted). False when the question was cancelled or the purge failed.
  bool Purge();
  void Sync();
  void Quit();
  // Untags the tagged messages that are no longer in the open folder.
  void PruneTags();
  // Opens the selected message in the pager and marks it seen.
  void DisplaySelected();
  // Moves the index (next/previous message from the pager) and shows the new message.
  void PagerMove(Result<Moved> moved, std::string_view edge_message);
  // Reports the outcome of an index movement: `edge_message` when it could not move.
  void Note(Result<Moved> moved, std::string_view edge_message);
  void Relayout();
  void Report(const Error& error);
  int BodyHeight() const;
  // The index's and the pager's columns: the screen's, less the sidebar's when it shows.
  int BodyLeft() const;
  int BodyColumns() const;

  void Draw();
  void DrawIndex();
  // The help screen takes the whole width; the message pager leaves the sidebar its columns.
  void DrawPager(const PagerModel& pager);
  // The pager's search matches in reverse video, over the rows DrawPager drew.
  void DrawSearchMatches(const PagerModel& pager, int left, int columns);
  const ColorScheme& colors() const { return options_.colors; }
  void DrawSidebar();
  void DrawBar(int row, const std::string& text);
  void DrawMessageLine();

  store::Store& store_;
  Terminal& terminal_;
  const sys::Clock& clock_;
  sys::SystemMonotonicClock steady_clock_;  // how long a store query has run
  const std::atomic<bool>& stop_;
  compose::EditorRunner& editor_;
  compose::MailSender& sender_;
  ShellCommands& shell_;
  compose::Identities identities_;
  std::string last_pipe_command_;  // offered again, as mutt does
  AppOptions options_;
  Keymap help_keys_ = DefaultHelpKeymap();
  MailcapViewer viewer_;

  std::vector<store::FolderInfo> folders_;
  store::FolderInfo folder_;
  std::unique_ptr<StoreIndexSource> source_;
  std::unique_ptr<ThreadedIndexSource> threads_;  // over source_, in a threaded order
  std::unique_ptr<IndexModel> index_;             // over threads_, else source_
  Sidebar sidebar_;
  IndexSort sort_;  // every folder's, as mutt's $sort

  Screen screen_ = Screen::kIndex;
  Screen before_help_ = Screen::kIndex;
  PagerModel pager_;
  PagerModel help_;
  std::unique_ptr<message::Message> message_;  // the one in the pager
  store::MessageSummary pager_summary_;
  bool all_headers_ = false;
  // The attachments menu: its message (read when it opens), its rows, the screen it returns to.
  std::unique_ptr<message::Message> attach_message_;
  AttachmentList attachments_;
  Screen attach_return_ = Screen::kIndex;
  bool pager_shows_attachment_ = false;  // the pager shows a part, opened from the menu
  bool pager_needs_message_ = false;     // the pager's lines are a part's, not message_'s
  std::string attachment_title_;         // the status line of the pager showing a part
  TagSet tags_;
  TagPrefix tag_prefix_;
  std::string limit_text_;         // the limit as typed, "" when none (the store has it too)
  std::optional<int64_t> shown_;   // how many messages the limit shows; nullopt without one
  std::string search_text_;        // the index's last search, as typed
  std::string pager_search_text_;  // the pager's last search

  std::string message_line_;  // errors and notices, cleared by the next key
  std::string prompt_;        // shown instead of message_line_ while a prompt is open
  std::string prompt_input_;  // what is typed after prompt_: its end stays in view
  std::string completions_;   // a prompt's ambiguous Tab matches, over the status line
  int64_t last_seen_id_ = 0;  // the store's last message id at the previous poll
  bool new_mail_ = false;     // mail arrived in this folder since the last key
  bool quit_ = false;
  std::chrono::steady_clock::time_point last_poll_;

  // The last message sent with an undo delay: what X takes back, until `deadline`.
  struct LastSent {
    std::string queue_id;
    int64_t deadline = 0;          // UTC seconds
    compose::EditableDraft draft;  // as sent, with its attachments: reopened on undo
    std::optional<MarkOnSend> mark;
  };
  std::optional<LastSent> last_sent_;
  // The message on the compose screen, the screen it returns to, and what it started with.
  struct Composing {
    ComposeModel model;
    ComposeStart start;
    Screen return_to = Screen::kIndex;
  };
  std::optional<Composing> composing_;
  std::vector<OutboxEntry> outbox_;
  int outbox_cursor_ = 0;
  Screen before_outbox_ = Screen::kIndex;
};

}  // namespace pigeon::mua::ui

// See app.h. Keys are looked up in the current screen's keymap and dispatched on the
// operation (NeoMutt's function names); the messages shown at the edges are mutt's.
#include "mua/ui/app.h"

#include <fmt/format.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {

App::App(store::Store& store, Terminal& terminal, const sys::Clock& clock,
         const std::atomic<bool>& stop, compose::EditorRunner& editor, compose::MailSender& sender,
         ShellCommands& shell, AppOptions options)
    : store_(store),
      terminal_(terminal),
      clock_(clock),
      stop_(stop),
      editor_(editor),
      sender_(sender),
      shell_(shell),
      identities_(options.identity, options.identities),
      options_(std::move(options)),
      viewer_(options_.mailcap, shell_, options_.temp_directory),
      sidebar_(options_.sidebar_visible, options_.sidebar_width),
      sort_(options_.sort) {}

int App::BodyHeight() const { return std::max(1, terminal_.Rows() - 3); }

int App::BodyLeft() const { return sidebar_.ColumnsUsed(terminal_.Columns()); }

int App::BodyColumns() const { return std::max(1, terminal_.Columns() - BodyLeft()); }

void App::Report(const Error& error) { message_line_ = error.message; }

Result<void> App::ReloadFolders() {
  Result<std::vector<store::FolderInfo>> folders = store_.Folders();
  if (!folders) return tl::unexpected(folders.error());
  folders_ = std::move(*folders);
  for (const store::FolderInfo& folder : folders_) {
    if (folder.id == folder_.id) folder_ = folder;
  }
  return {};
}

Result<void> App::LoadIndex(const store::FolderInfo& folder, IndexSort sort,
                            const store::MessageSummary* keep) {
  auto source = std::make_unique<StoreIndexSource>(store_, folder.id);
  if (keep != nullptr) source->SetLimit(source_->limit());
  source->SetReverse(!sort.threads && sort.reverse);
  std::unique_ptr<ThreadedIndexSource> threads;
  if (sort.threads) {
    threads = std::make_unique<ThreadedIndexSource>(*source, sort.reverse, options_.utf8);
  }
  auto index = std::make_unique<IndexModel>(threads ? static_cast<IndexSource&>(*threads)
                                                    : static_cast<IndexSource&>(*source));
  Result<void> opened = keep != nullptr ? index->OpenAt(BodyHeight(), *keep, index_->cursor())
                                        : index->Open(BodyHeight(), /*at_top=*/sort.reverse);
  if (!opened) return opened;
  index_.reset();  // before the sources it reads
  threads_ = std::move(threads);
  source_ = std::move(source);
  index_ = std::move(index);
  sort_ = sort;
  return {};
}

Result<void> App::OpenFolder(const store::FolderInfo& folder) {
  Result<void> loaded = LoadIndex(folder, sort_, nullptr);  // o and O last chose it
  if (!loaded) return loaded;
  folder_ = folder;
  new_mail_ = false;
  limit_text_.clear();  // a limit is the open folder's
  shown_.reset();
  return {};
}

Result<void> App::Run() {
  Result<void> loaded = ReloadFolders();
  if (!loaded) return loaded;
  Result<store::FolderInfo> first = store_.FindFolder(options_.folder);
  if (!first) {
    if (folders_.empty()) return tl::unexpected(first.error());
    first = folders_.front();
  }
  Result<void> opened = OpenFolder(*first);
  if (!opened) return opened;
  (void)store_.Changed();  // the baseline: later calls report other processes' commits
  if (Result<int64_t> last = store_.LastMessageId(); last) last_seen_id_ = *last;
  last_poll_ = std::chrono::steady_clock::now();
  Draw();
  while (!quit_ && !stop_.load()) {
    std::optional<Key> key = terminal_.ReadKey(kKeyTimeoutMs);
    if (stop_.load()) break;
    if (key) {
      HandleKey(WithMeta(*key));
      if (!quit_) Draw();
    }
    Poll();  // draws when the store changed
  }
  // Stopped (SIGTERM, SIGHUP) with a message on the compose screen: it goes to Drafts, as
  // its author would not want it lost with the terminal.
  if (composing_) {
    Result<message::Draft> draft =
        compose::ToMessageDraft(composing_->model.draft(), compose::Recipients::kOptional);
    if (draft) (void)sender_.SaveDraft(*draft);
  }
  return {};
}

void App::Poll() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_poll_ < options_.poll_interval) return;
  last_poll_ = now;
  Result<bool> changed = store_.Changed();
  if (!changed) return Report(changed.error());
  if (!*changed) return;
  const int64_t total_before = folder_.total;
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  if (folder_.total > total_before) {
    new_mail_ = true;
    message_line_ = "New mail in this folder.";
    AnnounceArrivals();
  }
  if (Result<int64_t> last = store_.LastMessageId(); last) last_seen_id_ = *last;
  if (Result<void> refreshed = index_->Refresh(); !refreshed) Report(refreshed.error());
  CountShown();
  if (screen_ == Screen::kOutbox) RefreshOutbox();
  Draw();
}

void App::AnnounceArrivals() {
  if (options_.new_mail_bell) terminal_.Beep();
  if (options_.new_mail_command.empty()) return;
  // A burst (a fetch, an import) must not start a hundred commands.
  constexpr int kMostAnnounced = 5;
  Result<std::vector<store::MessageSummary>> arrived =
      store_.Arrivals(folder_.id, last_seen_id_, kMostAnnounced);
  if (!arrived) return Report(arrived.error());
  for (const store::MessageSummary& message : *arrived) {
    if ((message.flags & store::kFlagSeen) != 0) continue;  // e.g. a copy of one's own mail
    const std::string sender = message.from_name.empty()
                                   ? message.from_addr
                                   : fmt::format("{} <{}>", message.from_name, message.from_addr);
    if (Result<void> started = shell_.Launch(options_.new_mail_command, {sender, message.subject});
        !started) {
      return Report(started.error());
    }
  }
}

void App::Relayout() {
  if (Result<void> resized = index_->Resize(BodyHeight()); !resized) Report(resized.error());
  pager_.Layout(BodyColumns(), BodyHeight());
  help_.Layout(terminal_.Columns(), BodyHeight());
  attachments_.Layout(BodyHeight());
}

void App::HandleKey(Key key) {
  message_line_.clear();
  new_mail_ = false;
  if (key == keys::kResize) return Relayout();
  std::optional<Op> op = KeymapOf(screen_).Lookup(key);
  if (!op) {
    message_line_ = "Key is not bound.  Press '?' for help.";
    return;
  }
  // The same on every screen (the help screen's own keymap has no help key).
  if (*op == Op::kRedraw) return terminal_.Invalidate();
  if (*op == Op::kHelp && screen_ != Screen::kHelp) return ShowHelp();
  if (screen_ == Screen::kOutbox) return HandleOutbox(*op);
  if (screen_ == Screen::kCompose) return HandleCompose(*op);
  if (screen_ == Screen::kPager && pager_shows_attachment_ && HandleAttachmentPager(*op)) return;
  if (screen_ == Screen::kIndex || screen_ == Screen::kPager) {
    if (*op == Op::kViewAttachments) return ViewAttachments();
    if (*op == Op::kUndoSend) return UndoSend();
    if (*op == Op::kOutbox) return OpenOutbox();
    if (*op == Op::kTagPrefix) return TagPrefixKey();
    if (*op == Op::kPipeMessage) return PipeMessage();
    if (*op == Op::kShellEscape) return ShellEscape();
    if (IsMessageCommand(*op)) return RunMessageCommand(*op);
    tag_prefix_.Disarm();  // the prefix is for the next message command only
    if (*op == Op::kSyncMailbox) return Sync();
    if (*op == Op::kMail) return Mail();
    if (*op == Op::kReply || *op == Op::kGroupReply || *op == Op::kListReply) return Reply(*op);
    if (*op == Op::kForward) return Forward();
    if (*op == Op::kBounce) return Bounce();
    if (*op == Op::kRecallMessage) return RecallPostponed();
    if (HandleSidebar(*op)) return;
  }
  switch (screen_) {
    case Screen::kIndex:
      return HandleIndex(*op);
    case Screen::kPager:
      return HandlePager(*op);
    case Screen::kHelp:
      return HandleHelp(*op);
    case Screen::kAttach:
      return HandleAttach(*op);
    case Screen::kOutbox:
      return HandleOutbox(*op);
    case Screen::kCompose:
      return HandleCompose(*op);
  }
}

void App::Note(Result<Moved> moved, std::string_view edge_message) {
  if (!moved) return Report(moved.error());
  if (*moved == Moved::kNo) message_line_ = edge_message;
  if (*moved == Moved::kWrapped) message_line_ = "Search wrapped to top.";
}

void App::HandleIndex(Op op) {
  switch (op) {
    case Op::kNextUndeleted:
      return Note(index_->Next(true), "You are on the last message.");
    case Op::kPrevUndeleted:
      return Note(index_->Previous(true), "You are on the first message.");
    case Op::kNextEntry:
      return Note(index_->Next(false), "You are on the last message.");
    case Op::kPrevEntry:
      return Note(index_->Previous(false), "You are on the first message.");
    case Op::kNextPage:
      return Note(index_->NextPage(), "You are on the last page.");
    case Op::kPrevPage:
      return Note(index_->PreviousPage(), "You are on the first page.");
    case Op::kFirstEntry:
      return Note(index_->First(), "You are on the first message.");
    case Op::kLastEntry:
      return Note(index_->Last(), "You are on the last message.");
    case Op::kTopPage:
      index_->TopOfPage();
      return;
    case Op::kMiddlePage:
      index_->MiddleOfPage();
      return;
    case Op::kBottomPage:
      index_->BottomOfPage();
      return;
    case Op::kNextNewThenUnread:
      return Note(index_->NextUnread(), "No unread messages.");
    case Op::kDisplayMessage:
      return DisplaySelected();
    case Op::kLimit:
      return Limit();
    case Op::kSearch:
      return SearchIndex(true);
    case Op::kSearchNext:
      return SearchIndex(false);
    case Op::kDeletePattern:
    case Op::kUndeletePattern:
    case Op::kTagPattern:
    case Op::kUntagPattern:
      return RunPatternCommand(op);
    case Op::kSortMailbox:
    case Op::kSortReverse:
      return SortPrompt(op == Op::kSortReverse);
    case Op::kCollapseThread:
    case Op::kCollapseAll:
      return Collapse(op == Op::kCollapseAll);
    case Op::kNextThread:
    case Op::kPreviousThread:
      NextThread(op == Op::kNextThread);
      return;
    case Op::kChangeFolder:
      return ChangeFolder();
    case Op::kQuit:
      return Quit();
    case Op::kExit:  // mutt's x: leave without purging the deleted messages
      quit_ = true;
      return;
    default:
      return;
  }
}

void App::PagerMove(Result<Moved> moved, std::string_view edge_message) {
  if (!moved) return Report(moved.error());
  if (*moved == Moved::kNo) {
    message_line_ = edge_message;
    return;
  }
  DisplaySelected();
  if (*moved == Moved::kWrapped) message_line_ = "Search wrapped to top.";
}

void App::HandlePager(Op op) {
  switch (op) {
    case Op::kExit:
      screen_ = Screen::kIndex;
      message_.reset();
      return;
    case Op::kQuit:
      return Quit();
    case Op::kNextUndeleted:
      return PagerMove(index_->Next(true), "You are on the last message.");
    case Op::kPrevUndeleted:
      return PagerMove(index_->Previous(true), "You are on the first message.");
    case Op::kNextEntry:
      return PagerMove(index_->Next(false), "You are on the last message.");
    case Op::kPrevEntry:
      return PagerMove(index_->Previous(false), "You are on the first message.");
    case Op::kNextLine:
      if (!pager_.LineDown()) message_line_ = "Bottom of message is shown.";
      return;
    case Op::kPrevLine:
      if (!pager_.LineUp()) message_line_ = "Top of message is shown.";
      return;
    case Op::kNextPage:
      // mutt with $pager_stop unset: paging past the end goes on to the next message.
      if (pager_.AtEnd()) return PagerMove(index_->Next(true), "You are on the last message.");
      pager_.PageDown();
      return;
    case Op::kPrevPage:
      if (!pager_.PageUp()) message_line_ = "Top of message is shown.";
      return;
    case Op::kTop:
      pager_.Top();
      return;
    case Op::kBottom:
      pager_.Bottom();
      return;
    case Op::kNextNewThenUnread:
      return PagerMove(index_->NextUnread(), "No unread messages.");
    case Op::kNextThread:
    case Op::kPreviousThread:
      if (NextThread(op == Op::kNextThread)) DisplaySelected();
      return;
    case Op::kSearch:
      return SearchPager(true);
    case Op::kSearchNext:
      return SearchPager(false);
    case Op::kDisplayHeaders:
      all_headers_ = !all_headers_;
      pager_.SetLines(MessageLines(*message_, all_headers_, HtmlRenderer()));
      pager_.Layout(BodyColumns(), BodyHeight());
      return;
    case Op::kChangeFolder:
      return ChangeFolder();
    default:
      return;
  }
}

void App::HandleHelp(Op op) {
  switch (op) {
    case Op::kExit:
      screen_ = before_help_;
      return;
    case Op::kNextLine:
      help_.LineDown();
      return;
    case Op::kPrevLine:
      help_.LineUp();
      return;
    case Op::kNextPage:
      help_.PageDown();
      return;
    case Op::kPrevPage:
      help_.PageUp();
      return;
    case Op::kTop:
      help_.Top();
      return;
    case Op::kBottom:
      help_.Bottom();
      return;
    default:
      return;
  }
}

void App::DisplaySelected() {
  const store::MessageSummary* selected = index_->Selected();
  if (selected == nullptr) {
    message_line_ = "No messages.";
    return;
  }
  if (threads_ && threads_->Collapsed(selected->thread_id)) {
    threads_->Expand(selected->thread_id);  // mutt uncollapses a thread to display it
    if (Result<void> refreshed = index_->Refresh(); !refreshed) return Report(refreshed.error());
    selected = index_->Selected();
  }
  Result<std::string> raw = store_.Raw(selected->id);
  if (!raw) return Report(raw.error());
  message_ = std::make_unique<message::Message>(std::move(*raw));
  pager_summary_ = *selected;
  all_headers_ = false;
  pager_shows_attachment_ = false;
  pager_needs_message_ = false;
  attach_message_.reset();
  pager_.SetLines(MessageLines(*message_, all_headers_, HtmlRenderer()));
  pager_.Layout(BodyColumns(), BodyHeight());
  screen_ = Screen::kPager;
  if (pager_summary_.flags & store::kFlagSeen) return;
  // Seen on display, as mutt marks it; written at once (the store has no "sync" step).
  const int64_t id = pager_summary_.id;
  if (Result<void> set = store_.SetFlags({&id, 1}, store::kFlagSeen, 0); !set) {
    return Report(set.error());
  }
  pager_summary_.flags |= store::kFlagSeen;
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  if (Result<void> refreshed = index_->Refresh(); !refreshed) Report(refreshed.error());
}

void App::ChangeFolder() {
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  std::optional<std::string> name = AskFolder("Open folder: ");
  if (!name) return;
  // The outbox is the queue, not a folder; a folder of that name still wins.
  if (*name == "Outbox" && !store_.FindFolder(*name)) return OpenOutbox();
  Result<store::FolderInfo> found = store_.FindFolder(*name);
  if (!found) return Report(found.error());
  SwitchFolder(*found);
}

void App::SwitchFolder(store::FolderInfo folder) {
  if (!Purge()) return;  // mutt purges the folder it leaves, after the same question
  if (Result<void> opened = OpenFolder(folder); !opened) return Report(opened.error());
  tags_.Clear();
  sidebar_.ClearHighlight();
  screen_ = Screen::kIndex;
  message_.reset();
}

bool App::HandleSidebar(Op op) {
  bool moved = true;
  switch (op) {
    case Op::kSidebarToggleVisible:
      sidebar_.ToggleVisible();
      Relayout();
      return true;
    case Op::kSidebarNext:
      moved = sidebar_.Next(folders_, folder_.id);
      break;
    case Op::kSidebarPrev:
      moved = sidebar_.Previous(folders_, folder_.id);
      break;
    case Op::kSidebarNextNew:
      moved = sidebar_.NextUnread(folders_, folder_.id, 1);
      break;
    case Op::kSidebarPrevNew:
      moved = sidebar_.NextUnread(folders_, folder_.id, -1);
      break;
    case Op::kSidebarOpen: {
      const int64_t id = sidebar_.Highlighted(folder_.id);
      for (const store::FolderInfo& folder : folders_) {
        if (folder.id == id) {
          SwitchFolder(folder);
          return true;
        }
      }
      return true;
    }
    default:
      return false;
  }
  if (!moved) {
    message_line_ = op == Op::kSidebarNextNew || op == Op::kSidebarPrevNew
                        ? "No other folder has unread mail."
                        : "No more folders.";
  }
  return true;
}

const Keymap& App::KeymapOf(Screen screen) const {
  switch (screen) {
    case Screen::kIndex:
      return options_.keys.index;
    case Screen::kPager:
      return options_.keys.pager;
    case Screen::kAttach:
      return options_.keys.attach;
    case Screen::kOutbox:
      return options_.keys.outbox;
    case Screen::kCompose:
      return options_.keys.compose;
    case Screen::kHelp:
      break;
  }
  return help_keys_;
}

void App::ShowHelp() {
  const Keymap& keymap = KeymapOf(screen_);
  std::vector<SourceLine> lines;
  lines.push_back(
      SourceLine{screen_ == Screen::kPager     ? "Pager bindings (NeoMutt's defaults):"
                 : screen_ == Screen::kAttach  ? "Attachment bindings (NeoMutt's defaults):"
                 : screen_ == Screen::kOutbox  ? "Outbox bindings:"
                 : screen_ == Screen::kCompose ? "Compose bindings (NeoMutt's defaults):"
                                               : "Index bindings (NeoMutt's defaults):",
                 LineKind::kHeader, 0, 0});
  lines.push_back(SourceLine{"", LineKind::kBlank, 0, 0});
  for (const auto& [op, bound] : keymap.Bindings()) {
    std::string names;
    for (Key key : bound) names += (names.empty() ? "" : " ") + KeyName(key);
    lines.push_back(
        SourceLine{fmt::format("{:<28} {:<22} {}", names, OpName(op), OpDescription(op)),
                   LineKind::kBody, 0, 0});
  }
  help_.SetLines(std::move(lines));
  help_.Layout(terminal_.Columns(), BodyHeight());
  before_help_ = screen_;
  screen_ = Screen::kHelp;
}

}  // namespace pigeon::mua::ui

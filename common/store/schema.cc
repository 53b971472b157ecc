// Migration 1 is the first schema. Design notes:
// - bodies holds each distinct raw message once (byte-exact, keyed by SHA-256); messages holds
//   one row per message in a folder with the summary columns extracted at insert, so listing
//   never reads bodies. A copy to another folder is a second messages row on the same body.
// - folders.total / folders.unread (and, from migration 6, flagged / deleted) are kept by
//   triggers, so counts never scan messages.
// - search is a contentless FTS5 index keyed by body id (the text lives in bodies.raw; deleting
//   an entry re-extracts it from there).
// - thread_refs maps every Message-ID seen (own or referenced) to a thread, so a reply that
//   arrives before its parent still joins the parent's thread when the parent comes.
#include "common/store/schema.h"

#include <array>

namespace pigeon::store {
namespace {

constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE folders (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE,
  role    TEXT UNIQUE,
  total   INTEGER NOT NULL DEFAULT 0,
  unread  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO folders (name, role) VALUES
  ('INBOX', 'inbox'), ('Sent', 'sent'), ('Drafts', 'drafts'), ('Trash', 'trash'),
  ('Archive', 'archive'), ('Junk', 'junk');

CREATE TABLE bodies (
  id      INTEGER PRIMARY KEY,
  sha256  BLOB NOT NULL UNIQUE,
  raw     BLOB NOT NULL
);

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  folder_id       INTEGER NOT NULL REFERENCES folders(id),
  body_id         INTEGER NOT NULL REFERENCES bodies(id),
  thread_id       INTEGER NOT NULL,
  date            INTEGER NOT NULL,   -- UTC seconds: the Date field, else the arrival time
  arrived         INTEGER NOT NULL,   -- UTC seconds
  flags           INTEGER NOT NULL DEFAULT 0,
  size            INTEGER NOT NULL,
  has_attachment  INTEGER NOT NULL DEFAULT 0,
  from_name       TEXT NOT NULL DEFAULT '',
  from_addr       TEXT NOT NULL DEFAULT '',
  to_text         TEXT NOT NULL DEFAULT '',   -- To then Cc, formatted for display
  subject         TEXT NOT NULL DEFAULT '',
  message_id      TEXT,               -- without angle brackets
  parent_id       TEXT,               -- Message-ID of the parent: In-Reply-To, else last Reference
  snippet         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_by_folder_date ON messages (folder_id, date, id);
CREATE INDEX messages_by_thread ON messages (thread_id, date, id);
CREATE INDEX messages_by_message_id ON messages (message_id);
CREATE INDEX messages_by_body ON messages (body_id);

CREATE TABLE keywords (
  message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  keyword     TEXT NOT NULL,
  PRIMARY KEY (message_id, keyword)
) WITHOUT ROWID;
CREATE INDEX keywords_by_keyword ON keywords (keyword, message_id);

CREATE TABLE thread_refs (
  msgid      TEXT PRIMARY KEY,
  thread_id  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_refs_by_thread ON thread_refs (thread_id);

CREATE VIRTUAL TABLE search USING fts5 (
  subject, sender, recipients, cc, body,
  content = '', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
  UPDATE folders SET total = total + 1, unread = unread + ((NEW.flags & 1) = 0)
    WHERE id = NEW.folder_id;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
  UPDATE folders SET total = total - 1, unread = unread - ((OLD.flags & 1) = 0)
    WHERE id = OLD.folder_id;
END;
CREATE TRIGGER messages_count_update AFTER UPDATE OF folder_id, flags ON messages BEGIN
  UPDATE folders SET total = total - 1, unread = unread - ((OLD.flags & 1) = 0)
    WHERE id = OLD.folder_id;
  UPDATE folders SET total = total + 1, unread = unread + ((NEW.flags & 1) = 0)
    WHERE id = NEW.folder_id;
END;
)sql";

// Threaded listings: each thread's latest date per folder, kept by triggers, so a page of
// threads is an index range scan like a page by date.
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE thread_folders (
  thread_id  INTEGER NOT NULL,
  folder_id  INTEGER NOT NULL,
  last_date  INTEGER NOT NULL,
  PRIMARY KEY (thread_id, folder_id)
) WITHOUT ROWID;
CREATE INDEX thread_folders_by_date ON thread_folders (folder_id, last_date, thread_id);
CREATE INDEX messages_by_thread_folder ON messages (thread_id, folder_id, date, id);

INSERT INTO thread_folders (thread_id, folder_id, last_date)
  SELECT thread_id, folder_id, max(date) FROM messages GROUP BY thread_id, folder_id;

CREATE TRIGGER thread_folders_insert AFTER INSERT ON messages BEGIN
  INSERT INTO thread_folders (thread_id, folder_id, last_date)
    VALUES (NEW.thread_id, NEW.folder_id, NEW.date)
    ON CONFLICT (thread_id, folder_id) DO UPDATE SET last_date = max(last_date, excluded.last_date);
END;
CREATE TRIGGER thread_folders_delete AFTER DELETE ON messages BEGIN
  DELETE FROM thread_folders WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id
    AND NOT EXISTS (SELECT 1 FROM messages
                    WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id);
  UPDATE thread_folders SET last_date = (SELECT max(date) FROM messages
      WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id)
    WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id;
END;
CREATE TRIGGER thread_folders_update AFTER UPDATE OF thread_id, folder_id, date ON messages BEGIN
  DELETE FROM thread_folders WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id
    AND NOT EXISTS (SELECT 1 FROM messages
                    WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id);
  UPDATE thread_folders SET last_date = (SELECT max(date) FROM messages
      WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id)
    WHERE thread_id = OLD.thread_id AND folder_id = OLD.folder_id;
  INSERT INTO thread_folders (thread_id, folder_id, last_date)
    VALUES (NEW.thread_id, NEW.folder_id, NEW.date)
    ON CONFLICT (thread_id, folder_id) DO UPDATE SET last_date = max(last_date, excluded.last_date);
END;
)sql";

// 3: the outgoing queue. A queued message keeps its bytes in bodies (shared with a copy in
// Sent, say); each recipient has its own delivery state, so a message leaves the queue when
// every recipient is final (delivered or bounced).
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE queue (
  id          INTEGER PRIMARY KEY,
  queue_id    TEXT NOT NULL UNIQUE,      -- shown in logs, mailq and Received
  body_id     INTEGER NOT NULL REFERENCES bodies(id),
  sender      TEXT NOT NULL,             -- envelope sender; '' is the null sender
  arrived     INTEGER NOT NULL,          -- UTC seconds
  size        INTEGER NOT NULL,
  eight_bit   INTEGER NOT NULL DEFAULT 0,
  smtputf8    INTEGER NOT NULL DEFAULT 0,
  held        INTEGER NOT NULL DEFAULT 0,
  origin      TEXT NOT NULL              -- 'smtp', 'submission', 'sendmail', 'pigeon'
);
CREATE TABLE queue_recipients (
  id           INTEGER PRIMARY KEY,
  queue_row    INTEGER NOT NULL REFERENCES queue(id) ON DELETE CASCADE,
  address      TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'queued'
               CHECK (state IN ('queued', 'inflight', 'deferred', 'delivered', 'bounced')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL,         -- UTC seconds
  last_reply   TEXT,
  updated      INTEGER
);
CREATE INDEX queue_recipients_due ON queue_recipients (state, next_attempt);
CREATE INDEX queue_recipients_by_message ON queue_recipients (queue_row);
CREATE INDEX queue_by_body ON queue (body_id);
)sql";

// 4: full-text matches are body ids; finding their messages and dates through a covering
// index on (body_id, date, id) never reads the message rows (a common word in 100k messages:
// 137 ms -> 78 ms).
constexpr std::string_view kMigration4 = R"sql(
DROP INDEX messages_by_body;
CREATE INDEX messages_by_body_date ON messages (body_id, date, id);
)sql";

// 5: what bounces and delay warnings need (RFC 3461/3464): the envelope id and RET of a
// message, whether a delay warning went out, and per recipient its original address (ORCPT)
// and NOTIFY conditions ("" = the default: failure and delay).
constexpr std::string_view kMigration5 = R"sql(
ALTER TABLE queue ADD COLUMN envid TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN dsn_ret TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN delay_warned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queue_recipients ADD COLUMN original TEXT NOT NULL DEFAULT '';
ALTER TABLE queue_recipients ADD COLUMN notify TEXT NOT NULL DEFAULT '';
)sql";

// 6: the reader's status line shows how many messages of a folder are flagged and deleted
// (mutt's Flag: and Del:); the counting triggers keep them as they keep total and unread.
constexpr std::string_view kMigration6 = R"sql(
ALTER TABLE folders ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folders ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
UPDATE folders SET
  flagged = (SELECT count(*) FROM messages WHERE folder_id = folders.id AND flags & 4),
  deleted = (SELECT count(*) FROM messages WHERE folder_id = folders.id AND flags & 8);
DROP TRIGGER messages_count_insert;
DROP TRIGGER messages_count_delete;
DROP TRIGGER messages_count_update;
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
  UPDATE folders SET total = total + 1, unread = unread + ((NEW.flags & 1) = 0),
    flagged = flagged + ((NEW.flags & 4) != 0), deleted = deleted + ((NEW.flags & 8) != 0)
    WHERE id = NEW.folder_id;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
  UPDATE folders SET total = total - 1, unread = unread - ((OLD.flags & 1) = 0),
    flagged = flagged - ((OLD.flags & 4) != 0), deleted = deleted - ((OLD.flags & 8) != 0)
    WHERE id = OLD.folder_id;
END;
CREATE TRIGGER messages_count_update AFTER UPDATE OF folder_id, flags ON messages BEGIN
  UPDATE folders SET total = total - 1, unread = unread - ((OLD.flags & 1) = 0),
    flagged = flagged - ((OLD.flags & 4) != 0), deleted = deleted - ((OLD.flags & 8) != 0)
    WHERE id = OLD.folder_id;
  UPDATE folders SET total = total + 1, unread = unread + ((NEW.flags & 1) = 0),
    flagged = flagged + ((NEW.flags & 4) != 0), deleted = deleted + ((NEW.flags & 8) != 0)
    WHERE id = NEW.folder_id;
END;
)sql";

// 7: cheaper inserts into a large store. Each index keyed by something random (a date, a
// Message-ID) costs an insert a page of its own, written twice (to the WAL, then at checkpoint).
// No query reads messages by Message-ID (threading looks ids up in thread_refs), and
// messages_by_thread_folder, thread_id first, serves every lookup by thread. A thread's date
// is written only when the new message is later (a reply older than its thread changes nothing).
constexpr std::string_view kMigration7 = R"sql(
DROP INDEX messages_by_message_id;
DROP INDEX messages_by_thread;
DROP TRIGGER thread_folders_insert;
CREATE TRIGGER thread_folders_insert AFTER INSERT ON messages BEGIN
  INSERT INTO thread_folders (thread_id, folder_id, last_date)
    VALUES (NEW.thread_id, NEW.folder_id, NEW.date)
    ON CONFLICT (thread_id, folder_id) DO UPDATE SET last_date = excluded.last_date
      WHERE excluded.last_date > last_date;
END;
)sql";

// 8: the reader opens a folder on its first unread message, Tab goes to the next one, and a
// limit or search may ask for the flagged ones. With no index on the flag bits, finding them
// read every message of the folder when few or none matched (1 s in a 100k folder, 2 s for
// is:flagged in a 1M one). Such messages are few, so these indexes are small; the queries that
// is:unread and is:flagged compile to ("(m.flags & 1) = 0", "(m.flags & 4) <> 0") use them.
constexpr std::string_view kMigration8 = R"sql(
CREATE INDEX messages_unread_by_folder_date ON messages (folder_id, date, id)
  WHERE (flags & 1) = 0;
CREATE INDEX messages_flagged_by_folder_date ON messages (folder_id, date, id)
  WHERE (flags & 4) <> 0;
)sql";

// 9: the state of `pigeon fetch`, written in the transaction that stores the fetched messages,
// so a message is never stored without its state nor the state advanced without the message.
// fetch_folders: per account and remote folder, the IMAP UIDVALIDITY and the highest UID stored
// (a folder is fetched from last_uid + 1). fetched: one row per message stored, by its remote
// id (IMAP "UIDVALIDITY/UID", POP3 UIDL) and the SHA-256 of the bytes the server sent: POP3 has
// only the UIDL list to tell new messages, and after a UIDVALIDITY change the hash and the
// Message-ID keep a folder fetched again from adding what is already stored.
constexpr std::string_view kMigration9 = R"sql(
CREATE TABLE fetch_folders (
  account      TEXT NOT NULL,
  folder       TEXT NOT NULL,
  uidvalidity  INTEGER NOT NULL,
  last_uid     INTEGER NOT NULL DEFAULT 0,
  updated      INTEGER NOT NULL,
  PRIMARY KEY (account, folder)
) WITHOUT ROWID;
CREATE TABLE fetched (
  account     TEXT NOT NULL,
  folder      TEXT NOT NULL,
  remote_id   TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  message_id  TEXT,
  fetched     INTEGER NOT NULL,
  PRIMARY KEY (account, folder, remote_id)
) WITHOUT ROWID;
CREATE INDEX fetched_by_hash ON fetched (account, folder, sha256);
CREATE INDEX fetched_by_message_id ON fetched (account, folder, message_id)
  WHERE message_id IS NOT NULL;
)sql";

constexpr std::array kMigrations = {
    Migration{1, kMigration1}, Migration{2, kMigration2}, Migration{3, kMigration3},
    Migration{4, kMigration4}, Migration{5, kMigration5}, Migration{6, kMigration6},
    Migration{7, kMigration7}, Migration{8, kMigration8}, Migration{9, kMigration9},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int CurrentSchemaVersion() { return kMigrations.back().version; }

}  // namespace pigeon::store

#!/usr/bin/python3
"""End-to-end test of the reader's undo send, send later and outbox screen (`pigeon` in tmux,
$EDITOR a script that fills in the draft), checked in the store afterwards: the outgoing
queue, Sent, Drafts and the owner's local copy. The owner is ada@localhost (a local user);
bob@remote.test waits in the queue, since pigeond is not running. Every wait polls the screen
against a deadline.

usage: ui_outbox_tmux_test.py PIGEON_BINARY
"""
import email
import email.policy
import os
import sqlite3
import sys
import time
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, store readers)

UNDO_CONFIG = "[reader]\nundo_send_delay = 120\n"


def next_attempts(store):
    """{recipient: next_attempt} of the outgoing queue."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT address, next_attempt FROM queue_recipients"))
    finally:
        db.close()


class OutboxSession(ReaderInTmux):
    def start_reader(self, config=UNDO_CONFIG):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start_with_editor(EDITOR_SCRIPT, config)
        self.tmux.wait_text("pigeon: INBOX [Msgs:3 New:3]")

    def send_new_mail(self):
        self.tmux.keys("m")
        self.wait_compose()

    def quit(self):
        self.tmux.keys("x")
        self.assert_terminal_restored(0)

    def test_undo_takes_the_message_back_into_drafts(self):
        self.start_reader()
        self.send_new_mail()
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent. Press X to undo (120 s).")
        # Held: queued, but not due for two minutes; the copies are written.
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        self.assertGreater(next_attempts(self.store)["bob@remote.test"], time.time() + 100)
        self.assertEqual(subjects(self.store, "Sent"), ["Lunch plans"])
        self.assertIn("Lunch plans", subjects(self.store, "INBOX"))
        os.remove(os.path.join(self.dir, "draft-seen.txt"))
        self.tmux.keys("X")
        # The draft opens again in the editor as it was sent, then the compose screen.
        self.wait_compose()
        draft = self.draft_seen()
        self.assertIn("\nSubject: Lunch plans\n", draft)
        self.assertIn("Sounds good, see you at noon.\n", draft)
        # Taken back already: the queue, Sent and the owner's local copy.
        self.assertEqual(queued(self.store), [])
        self.assertEqual(subjects(self.store, "Sent"), [])
        self.assertNotIn("Lunch plans", subjects(self.store, "INBOX"))
        # Kept in Drafts meanwhile, so that a crash in the editor loses nothing.
        self.assertEqual(subjects(self.store, "Drafts"), ["Lunch plans"])
        self.tmux.keys("q")  # and postponed: the edited text replaces the copy in Drafts
        self.tmux.wait_text("Save (postpone) draft message? ([yes]/no):")
        self.tmux.keys("y")
        self.tmux.wait_text("Message postponed.")
        self.assertEqual(subjects(self.store, "Drafts"), ["Lunch plans"])
        draft = email.message_from_bytes(raws(self.store, "Drafts")[0],
                                         policy=email.policy.default)
        self.assertEqual(draft["To"], "Ada Tester <ada@localhost>, bob@remote.test")
        self.assertIn("see you at noon", draft.get_content())
        self.assertIn("see you at noon.\nSounds good",  # the second edit replaced the first
                      draft.get_content().replace("\r\n", "\n"))
        self.assertEqual(queued(self.store), [])
        self.assertEqual(subjects(self.store, "Sent"), [])
        self.assertEqual(subjects(self.store, "Trash"), [])
        # Nothing left to undo.
        self.tmux.keys("X")
        self.tmux.wait_text("Nothing to undo.")
        self.quit()

    def test_send_later_shows_scheduled_in_the_outbox_and_d_cancels(self):
        self.start_reader(config="[reader]\nundo_send_delay = 0\n")
        self.send_new_mail()
        self.tmux.keys("L")
        self.tmux.wait_text("Send at:")
        self.tmux.type("+2h")
        self.tmux.keys("Enter")
        self.tmux.wait_text("Mail scheduled for")
        due = next_attempts(self.store)["bob@remote.test"]
        self.assertAlmostEqual(due, time.time() + 7200, delta=60)
        self.tmux.keys("Y")
        screen = self.tmux.wait_text("[scheduled")
        self.assertIn("Outbox [1 waiting]", screen)
        self.assertIn("bob@remote.test", screen)
        self.assertIn("Lunch plans", screen)
        self.tmux.keys("d")
        self.tmux.wait_text("back into Drafts? (yes/[no]):")
        self.tmux.keys("y")
        self.tmux.wait_text("taken back into Drafts.")
        self.tmux.wait_text("(the outbox is empty)")
        self.assertEqual(queued(self.store), [])
        self.assertEqual(subjects(self.store, "Sent"), [])
        self.assertEqual(subjects(self.store, "Drafts"), ["Lunch plans"])
        raw = raws(self.store, "Drafts")[0]
        self.assertFalse(raw.startswith(b"Received:") or raw.startswith(b"Return-Path:"), raw)
        self.tmux.keys("q")
        self.tmux.wait_text("pigeon: INBOX")
        self.quit()

    def test_send_later_to_local_recipients_alone_says_it_was_delivered_now(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start_with_editor(EDITOR_SCRIPT.replace(", bob@remote.test", ""), UNDO_CONFIG)
        self.tmux.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        self.send_new_mail()
        self.tmux.keys("L")
        self.tmux.wait_text("Send at:")
        self.tmux.type("+2h")
        self.tmux.keys("Enter")
        self.tmux.wait_text("Mail delivered now: only mail to other hosts can wait.")
        self.assertEqual(queued(self.store), [])
        self.assertIn("Lunch plans", subjects(self.store, "INBOX"))
        self.quit()

    def test_outbox_follows_the_queue_and_r_retries_now(self):
        self.start_reader(config="[reader]\nundo_send_delay = 0\n")
        self.send_new_mail()
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        self.tmux.keys("Y")
        self.tmux.wait_text("[queued]")
        # A failed attempt, as pigeond records it, shows up on the store's poll.
        db = sqlite3.connect(self.store)
        with db:
            db.execute("UPDATE queue_recipients SET state = 'deferred', attempts = 1, "
                       "last_reply = '451 4.4.1 connection refused', next_attempt = ?",
                       (int(time.time()) + 3600,))
        db.close()
        screen = self.tmux.wait_text("[deferred]")
        self.assertRegex(screen, r"bob@remote\.test +deferred +451 4\.4\.1 connection refused; "
                                 r"next try \w{3} \d\d:\d\d")
        self.tmux.keys("r")
        self.tmux.wait_text("trying again now.")
        self.assertLessEqual(next_attempts(self.store)["bob@remote.test"], time.time())
        self.tmux.keys("?")
        self.tmux.wait_text("Outbox bindings:")
        self.tmux.keys("q")
        self.tmux.wait_text("Outbox [1 waiting]")
        self.tmux.keys("q")
        self.tmux.wait_text("pigeon: INBOX")
        # c opens it by name too, when no folder is called so.
        self.tmux.keys("c")
        self.tmux.wait_text("Open folder:")
        self.tmux.type("Outbox")
        self.tmux.keys("Enter")
        self.tmux.wait_text("Outbox [1 waiting]")
        self.tmux.keys("q")
        self.tmux.wait_text("pigeon: INBOX")
        self.quit()

    def test_undo_then_send_again_leaves_no_draft(self):
        self.start_reader()
        self.send_new_mail()
        self.tmux.keys("y")
        self.tmux.wait_text("Press X to undo")
        self.tmux.keys("X")
        self.wait_compose()
        self.tmux.keys("y")
        self.tmux.wait_text("Press X to undo")
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        self.assertEqual(subjects(self.store, "Sent"), ["Lunch plans"])
        self.assertEqual(subjects(self.store, "Drafts"), [])
        self.assertEqual(subjects(self.store, "Trash"), [])
        self.quit()

    def test_undo_send_off_sends_at_once(self):
        self.start_reader(config="[reader]\nundo_send_delay = 0\n")
        self.send_new_mail()
        self.tmux.keys("y")
        screen = self.tmux.wait_text("Mail sent.")
        self.assertNotIn("undo", screen)
        self.assertLessEqual(next_attempts(self.store)["bob@remote.test"], time.time())
        self.quit()


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

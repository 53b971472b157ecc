#!/usr/bin/python3
"""End-to-end test of the reader's limit, search and pattern commands in a real terminal (the
harness of tmux_ui.py: a private tmux server, a 100x30 window): limit by a query and back to
all (the index and the status line), a query the parser refuses, new mail appearing under the
limit; search with wrap and n; the pager's search with its highlight; tag-pattern and
untag-pattern then ;s moving the tagged messages (checked in the store); delete-pattern and
undelete-pattern. Every wait polls the screen against a deadline.

usage: ui_search_tmux_test.py PIGEON_BINARY
"""
import os
import random
import re
import sys
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, sample messages and store readers)

LONG = [message(b"Sun, 7 Jan 2024 10:00:00 +0000", b"Lena Long <lena@example.org>",
                b"Long report",
                b"\n".join(b"filler line %d" % n for n in range(1, 46)) +
                b"\nthe Needle is here, and a needle again\n" +
                b"\n".join(b"more filler %d" % n for n in range(1, 41)))]


class SearchSession(ReaderInTmux):
    def status_line(self, screen):
        return screen.splitlines()[-2]

    def test_limit_and_back_to_all(self):
        self.open_inbox()
        t = self.tmux
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.type("from:ada")
        t.keys("Enter")
        screen = t.wait_text("(limit: from:ada)")
        # mutt's "Msgs:shown/total" under a limit.
        self.assertIn("pigeon: INBOX [Msgs:1/3 New:3] (limit: from:ada)", self.status_line(screen))
        self.assertIn("First message", screen)
        self.assertNotIn("Third message", screen)
        self.assertNotIn("会議の議題", screen)
        t.wait_for(lambda s: highlighted(s, "First message"), "the selection kept",
                   attributes=True)
        # The prompt is prefilled with the limit; "all" removes it.
        t.keys("l")
        t.wait_text("Limit to messages matching: from:ada")
        t.keys("C-u")
        t.type("all")
        t.keys("Enter")
        screen = t.wait_for(lambda s: "Third message" in s and "(limit:" not in s, "every message")
        self.assertIn("会議の議題", screen)
        self.assertIn("pigeon: INBOX [Msgs:3 New:3]---", self.status_line(screen))
        # A query the parser refuses: its message, and the view unchanged.
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.type("form:ada")
        t.keys("Enter")
        screen = t.wait_text('unknown field "form:"')
        self.assertIn("Third message", screen)
        # Under a limit, mail that matches shows up; mail that does not stays hidden.
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.type("from:ada OR from:live")
        t.keys("Enter")
        t.wait_text("(limit: from:ada OR from:live)")
        import_mbox(self.store, os.path.join(self.dir, "live.mbox"), LIVE)
        import_mbox(self.store, os.path.join(self.dir, "dev.mbox"), DEV)
        screen = t.wait_for(lambda s: "Live delivery" in s and "Msgs:2/5" in s, "the new message")
        self.assertNotIn("Dev list hello", screen)
        self.assertNotIn("Third message", screen)
        # Tab (next-unread) stays within the limit.
        t.keys("Tab")
        t.wait_for(lambda s: highlighted(s, "Live delivery"), "the next unread in the limit",
                   attributes=True)
        # Help lists the new functions.
        t.keys("?")
        t.wait_text("next-undeleted")
        t.keys("Space")  # the new functions are on the second page
        screen = t.wait_text("delete-pattern")
        self.assertRegex(screen, r"(?m)^l +limit ")
        t.keys("q")
        # Changing folder drops the limit.
        t.keys("c")
        t.wait_text("Open folder:")
        t.type("INBOX")
        t.keys("Enter")
        screen = t.wait_for(lambda s: "Dev list hello" in s and "(limit:" not in s,
                            "the folder without its limit")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_a_long_query_keeps_its_end_in_view(self):
        self.open_inbox()
        t = self.tmux
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.type(" ".join("word%03d" % n for n in range(40)))
        # The window is 100 columns: the label stays, the text's end is shown where the cursor is.
        t.wait_for(lambda s: s.splitlines()[-1].rstrip().endswith("word038 word039") and
                   s.splitlines()[-1].startswith("Limit to messages matching: "),
                   "the end of the typed text")
        self.assertNotIn("word000", t.screen().splitlines()[-1])
        t.keys("C-g")
        t.wait_for(lambda s: "Limit to" not in s, "the prompt gone")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_search_wraps_and_n_repeats(self):
        self.open_inbox()
        t = self.tmux
        t.keys("/")
        t.wait_text("Search for:")
        t.type("message")
        t.keys("Enter")
        t.wait_for(lambda s: highlighted(s, "Third message"), "the next match", attributes=True)
        t.keys("n")
        t.wait_for(lambda s: highlighted(s, "First message") and "Search wrapped to top." in s,
                   "wrapped to the first, saying so", attributes=True)
        t.keys("n")
        t.wait_for(lambda s: highlighted(s, "Third message") and
                   "Search wrapped" not in s, "the next match again", attributes=True)
        # The prompt offers the last search; nothing found leaves the selection.
        t.keys("/")
        t.wait_text("Search for: message")
        t.keys("C-u")
        t.type("nosuchword")
        t.keys("Enter")
        t.wait_text("Not found.")
        t.wait_for(lambda s: highlighted(s, "Third message"), "the selection kept",
                   attributes=True)
        # Within a limit, the search skips what the limit hides.
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.type("from:ada OR from:taro")
        t.keys("Enter")
        t.wait_text("(limit: from:ada OR from:taro)")
        t.keys("/")
        t.wait_text("Search for:")
        t.keys("C-u")
        t.type("subject:message")
        t.keys("Enter")
        t.wait_for(lambda s: highlighted(s, "First message"), "the match in the limit",
                   attributes=True)
        t.keys("/")
        t.wait_text("Search for:")
        t.keys("C-u")
        t.type("(broken")
        t.keys("Enter")
        t.wait_text("column")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_pager_search_highlights_and_scrolls(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX + LONG)
        self.start()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:4 New:4]")
        t.keys("*", "Enter")  # the last message: the long one
        screen = t.wait_text("filler line 1")
        self.assertNotIn("Needle", screen)
        t.keys("/")
        t.wait_text("Search for:")
        t.type("needle")  # no capital: either case
        t.keys("Enter")
        screen = t.wait_for(lambda s: highlighted(s, "Needle"), "the highlighted match",
                            attributes=True)
        self.assertIn("the Needle is here", t.screen().splitlines()[1])  # scrolled to the top
        self.assertTrue(highlighted(screen.replace("Needle", "N-"), "needle"))
        t.keys("n")  # the only line with a match: wrapped onto itself
        t.wait_text("Search wrapped to top.")
        t.keys("/")
        t.wait_text("Search for: needle")
        t.keys("C-u")
        t.type("NEEDLE")  # a capital: exact case
        t.keys("Enter")
        t.wait_text("Not found.")
        t.keys("/")
        t.wait_text("Search for:")
        t.keys("C-u")
        t.type("Needle")
        t.keys("Enter")
        screen = t.wait_for(lambda s: highlighted(s, "Needle"), "the exact-case match",
                            attributes=True)
        self.assertFalse(highlighted(screen.replace("Needle", "N-"), "needle"))
        t.keys("q")
        t.wait_text("pigeon: INBOX")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_tag_pattern_then_save_tagged(self):
        self.open_inbox()
        t = self.tmux
        t.keys("T")
        t.wait_text("Tag messages matching:")
        t.type("from:ada OR from:cb")
        t.keys("Enter")
        screen = t.wait_text("2 messages tagged.")
        self.assertIn("Tag:2]", screen)
        self.assertRegex(screen, r"(?m)^N   \* .*First message")
        self.assertRegex(screen, r"(?m)^N   \* .*Third message")
        self.assertRegex(screen, r"(?m)^N      .*会議の議題")
        t.keys("C-t")
        t.wait_text("Untag messages matching:")
        t.type("from:cb")
        t.keys("Enter")
        screen = t.wait_text("1 message untagged.")
        self.assertIn("Tag:1]", screen)
        t.keys("T")
        t.wait_text("Tag messages matching:")
        t.type("third")
        t.keys("Enter")
        t.wait_text("Tag:2]")
        t.keys("T")
        t.wait_text("Tag messages matching:")
        t.type("nosuchword")
        t.keys("Enter")
        t.wait_text("No messages matched criteria.")
        t.keys("\\;", "s")
        t.wait_text("Save tagged to mailbox:")
        t.type("archive/tagged")
        t.keys("Enter")
        t.wait_text("Create archive/tagged? ([yes]/no):")
        t.keys("y")
        screen = t.wait_text("2 messages moved to archive/tagged.")
        self.assertIn("[Msgs:1 New:1]", screen)
        self.assertEqual(subjects(self.store, "archive/tagged"),
                         ["First message", "Third message"])
        self.assertEqual(subjects(self.store, "INBOX"), ["会議の議題 agenda"])
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_delete_and_undelete_pattern(self):
        self.open_inbox()
        t = self.tmux
        t.keys("D")
        t.wait_text("Delete messages matching:")
        t.type("subject:message")
        t.keys("Enter")
        screen = t.wait_text("2 messages deleted.")
        self.assertIn("[Msgs:3 New:3 Del:2]", screen)
        self.assertRegex(screen, r"(?m)^N  D .*First message")
        self.assertRegex(screen, r"(?m)^N  D .*Third message")
        flags = dict(stored(self.store)["INBOX"])
        self.assertEqual(flags["First message"] & DELETED, DELETED)
        self.assertEqual(flags["Third message"] & DELETED, DELETED)
        self.assertEqual(flags["会議の議題 agenda"] & DELETED, 0)
        t.keys("U")
        t.wait_text("Undelete messages matching:")
        t.type("from:cb")
        t.keys("Enter")
        screen = t.wait_text("1 message undeleted.")
        self.assertIn("[Msgs:3 New:3 Del:1]", screen)
        self.assertEqual(dict(stored(self.store)["INBOX"])["Third message"] & DELETED, 0)
        t.keys("D")
        t.wait_text("Delete messages matching:")
        t.type("from:")
        t.keys("Enter")
        screen = t.wait_text("column")
        self.assertIn("[Msgs:3 New:3 Del:1]", screen)
        t.keys("U")
        t.wait_text("Undelete messages matching:")
        t.type("all")
        t.keys("Enter")
        screen = t.wait_text("3 messages undeleted.")
        self.assertIn("[Msgs:3 New:3]", screen)
        self.assertEqual([f & DELETED for _, f in stored(self.store)["INBOX"]], [0, 0, 0])
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_slow_limit_and_search_show_progress_and_stop_at_control_g(self):
        # Long bodies over six words make phrase queries slow: every word is in every message,
        # so each phrase is checked against position lists (a few seconds for all of them).
        words = [b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"zeta"]
        rng = random.Random(1)
        bulk = [message(b"Mon, 1 Jan 2024 00:00:00 +0000", b"bulk@example.org",
                        b"Bulk %d" % n,
                        b"\n".join(b" ".join(rng.choice(words) for _ in range(12))
                                   for _ in range(250)))
                for n in range(2000)]
        import_mbox(self.store, os.path.join(self.dir, "bulk.mbox"), bulk)
        slow = " OR ".join('body:"%s"' % " ".join(rng.choice(words).decode() for _ in range(7))
                           for _ in range(60))
        self.start()
        t = self.tmux

        def type_query():
            # 3,000 keys, each redrawn: a sanitizer build takes a while to take them all, so
            # the waits after this one are long.
            t.type(slow)
            t.keys("Enter")

        t.wait_for(lambda s: highlighted(s, ") Bulk 0"), "the first new message selected",
                   attributes=True)
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        type_query()
        t.wait_for(lambda s: re.search(r"Limiting\.\.\. \d+ s \(\^G to cancel\)", s),
                   "the limit's progress", timeout=180)
        t.keys("C-g")
        screen = t.wait_text("Limit stopped.", timeout=60)
        self.assertIn("pigeon: INBOX [Msgs:2000 New:2000]---", self.status_line(screen))
        self.assertNotIn("(limit:", screen)
        # The search stops the same way, and the selection stays where it was.
        t.keys("/")
        t.wait_text("Search for:")
        type_query()
        t.wait_text("(^G to cancel)", timeout=180)
        t.keys("Escape")
        t.wait_for(lambda s: "Search stopped." in s and highlighted(s, ") Bulk 0"),
                   "the search stopped, the selection kept", timeout=60, attributes=True)
        # The reader still answers at once.
        t.keys("l")
        t.wait_text("Limit to messages matching:")
        t.keys("C-u")
        t.type("subject:1999")
        t.keys("Enter")
        t.wait_text("[Msgs:1/2000 New:2000] (limit: subject:1999)")
        t.keys("x")
        self.assert_terminal_restored(0)


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

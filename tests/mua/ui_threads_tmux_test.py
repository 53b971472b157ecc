#!/usr/bin/python3
"""End-to-end test of the reader's sorting and threads in a real terminal (the harness of
tmux_ui.py: a private tmux server, a 100x30 window): o t shows the threads (oldest thread
first, the tree art, repeated subjects hidden), O t reverses them, ^N moves to the next thread,
<Esc>v collapses a thread to one row with its count and expands it again, <Esc>V does it for
every thread, Enter on a collapsed thread opens its first message and expands it; and
sort = "threads" in the config opens the folder threaded. Every wait polls the screen.

usage: ui_threads_tmux_test.py PIGEON_BINARY
"""
import os
import sys
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, sample messages and store readers)


def mail(date, sender, subject, message_id, parent=None, body=b"Text."):
    headers = (b"From sender@example.org Mon Jan  1 00:00:00 2024\n"
               b"Date: " + date + b"\nFrom: " + sender + b"\nTo: Ada <ada@example.org>\n"
               b"Subject: " + subject + b"\nMessage-ID: <" + message_id + b"@example.org>\n")
    if parent:
        headers += b"In-Reply-To: <" + parent + b"@example.org>\n"
    return headers + b"\n" + body + b"\n"


# Thread "Plan": a1 answered by a2 and a3, a2 by a4. "Lunch" alone. "Trip": c1, c2.
FOLDER = [
    mail(b"Mon, 1 Jan 2024 09:00:00 +0000", b"Ada One <a1@example.org>", b"Plan", b"a1",
         body=b"The plan itself."),
    mail(b"Mon, 1 Jan 2024 11:00:00 +0000", b"Bob Two <a2@example.org>", b"Re: Plan", b"a2",
         b"a1"),
    mail(b"Tue, 2 Jan 2024 10:00:00 +0000", b"Cy Four <a4@example.org>", b"Re: Plan budget",
         b"a4", b"a2"),
    mail(b"Tue, 2 Jan 2024 12:00:00 +0000", b"Eve Lunch <b1@example.org>", b"Lunch", b"b1"),
    mail(b"Wed, 3 Jan 2024 09:00:00 +0000", b"Dee Three <a3@example.org>", b"Re: Plan", b"a3",
         b"a1"),
    mail(b"Thu, 4 Jan 2024 08:00:00 +0000", b"Fay Trip <c1@example.org>", b"Trip", b"c1"),
    mail(b"Thu, 4 Jan 2024 09:00:00 +0000", b"Gus Trip <c2@example.org>", b"Re: Trip", b"c2",
         b"c1"),
]
SENDERS = ["Ada One", "Bob Two", "Cy Four", "Eve Lunch", "Dee Three", "Fay Trip", "Gus Trip"]
THREADS = ["Eve Lunch", "Ada One", "Bob Two", "Cy Four", "Dee Three", "Fay Trip", "Gus Trip"]
REVERSE_THREADS = ["Fay Trip", "Gus Trip", "Ada One", "Bob Two", "Cy Four", "Dee Three",
                   "Eve Lunch"]


def index_lines(screen):
    """{sender: the index line} and the senders in screen order."""
    lines, order = {}, []
    for line in screen.splitlines():
        for sender in SENDERS:
            if sender in line:
                lines[sender] = line.rstrip()
                order.append(sender)
    return lines, order


class ThreadsSession(ReaderInTmux):
    def open_folder(self, config=None):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), FOLDER)
        if config is not None:
            config_dir = os.path.join(self.dir, ".config", "pigeon")
            os.makedirs(config_dir)
            with open(os.path.join(config_dir, "pigeon.conf"), "w") as f:
                f.write(OWNER_CONFIG + config)
        self.start()
        return self.tmux.wait_text("pigeon: INBOX [Msgs:7 New:7]")

    def assert_threaded(self, screen):
        lines, order = index_lines(screen)
        self.assertEqual(order, THREADS)
        self.assertTrue(lines["Ada One"].endswith(") Plan"), lines["Ada One"])
        self.assertTrue(lines["Bob Two"].endswith(") ├─>"), lines["Bob Two"])  # subject hidden
        self.assertTrue(lines["Cy Four"].endswith(") │ └─>Re: Plan budget"), lines["Cy Four"])
        self.assertTrue(lines["Dee Three"].endswith(") └─>"), lines["Dee Three"])
        self.assertTrue(lines["Gus Trip"].endswith(") └─>"), lines["Gus Trip"])

    def test_sort_reverse_and_collapse(self):
        screen = self.open_folder()
        t = self.tmux
        self.assertIn("---(date)", screen)
        self.assertEqual(index_lines(screen)[1], SENDERS)
        t.wait_for(lambda s: highlighted(s, "Ada One"), "the first unread", attributes=True)
        # o: the prompt; a key it does not know leaves it open; t sorts by threads.
        t.keys("o")
        t.wait_text("Sort by (d)ate, (t)hreads?")
        t.keys("x")
        t.keys("t")
        screen = t.wait_text("---(threads)")
        self.assert_threaded(screen)
        t.wait_for(lambda s: highlighted(s, "Ada One"), "the selection kept", attributes=True)
        # O t: newest thread first, each thread still top down.
        t.keys("O")
        t.wait_text("Reverse sort by (d)ate, (t)hreads?")
        t.keys("t")
        screen = t.wait_text("---(reverse-threads)")
        self.assertEqual(index_lines(screen)[1], REVERSE_THREADS)
        # Cancelled with ^G: nothing changes.
        t.keys("o")
        t.wait_text("Sort by (d)ate, (t)hreads?")
        t.keys("C-g")
        t.wait_for(lambda s: "Sort by" not in s and "---(reverse-threads)" in s, "no prompt")
        t.keys("o")
        t.wait_text("Sort by (d)ate, (t)hreads?")
        t.keys("t")
        t.wait_text("---(threads)")
        # ^N: the next thread's first message; ^P back.
        t.keys("C-n")
        t.wait_for(lambda s: highlighted(s, "Fay Trip"), "the next thread", attributes=True)
        t.keys("C-p")
        t.wait_for(lambda s: highlighted(s, "Ada One"), "the previous thread", attributes=True)
        # <Esc>v collapses the selected thread to one row with the count of the rest.
        t.keys("Escape", "v")
        screen = t.wait_text("(3) Plan")
        self.assertNotIn("Bob Two", screen)
        self.assertNotIn("Dee Three", screen)
        self.assertEqual(index_lines(screen)[1], ["Eve Lunch", "Ada One", "Fay Trip", "Gus Trip"])
        self.assertRegex(index_lines(screen)[0]["Ada One"], r"^N ")  # unread inside
        t.keys("Escape", "v")
        screen = t.wait_text("Bob Two")
        self.assert_threaded(screen)
        # <Esc>V: every thread, and back.
        t.keys("Escape", "V")
        screen = t.wait_text("(1) Trip")
        self.assertIn("(3) Plan", screen)
        self.assertEqual(index_lines(screen)[1], ["Eve Lunch", "Ada One", "Fay Trip"])
        t.keys("Escape", "V")
        self.assert_threaded(t.wait_text("Gus Trip"))
        # Enter on a collapsed thread opens its first message and expands the thread.
        t.keys("Escape", "v")
        t.wait_text("(3) Plan")
        t.keys("Enter")
        t.wait_text("The plan itself.")
        # ^N in the pager: the next thread's first message.
        t.keys("C-n")
        t.wait_text("From: Fay Trip")
        t.keys("i")
        screen = t.wait_text("Bob Two")
        self.assertNotIn("(3) Plan", screen)
        # d date order again.
        t.keys("o")
        t.wait_text("Sort by (d)ate, (t)hreads?")
        t.keys("d")
        screen = t.wait_text("---(date)")
        self.assertEqual(index_lines(screen)[1], SENDERS)
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_config_opens_threaded(self):
        screen = self.open_folder('[reader]\nsort = "threads"\n')
        self.assertIn("---(threads)", screen)
        self.assert_threaded(screen)
        self.tmux.keys("x")
        self.assert_terminal_restored(0)


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

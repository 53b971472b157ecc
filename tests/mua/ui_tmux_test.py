#!/usr/bin/python3
"""End-to-end test of the mail reader (`pigeon` with no command) in a real terminal: tmux on a
private server, a 100x30 window, keys sent with send-keys and the screen read back with
capture-pane. Checks the index, the highlighted line moving, the pager's decoded text, the
folder prompt with Tab completion, a message imported by another process showing up without a
key press, a resize, help, and that the terminal is restored on q and on SIGTERM; then the
message commands (delete and undelete, of a thread too, flag, tag and tag-prefix, save and
copy, sync, the purge question on quit), checked on the screen and in the store; and mail and
reply, with $EDITOR a script that edits the draft, answered yes (the message in Sent, in the
local recipient's INBOX and in the queue, the original marked answered), no (nothing
written), and a draft with a mistake edited again. Every wait polls the screen against a
deadline.

usage: ui_tmux_test.py PIGEON_BINARY
"""
import os
import subprocess
import sys
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, sample messages and store readers)


class ReaderSession(ReaderInTmux):
    def test_reading_session(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        import_mbox(self.store, os.path.join(self.dir, "dev.mbox"), DEV, folder="lists/dev")
        self.start()
        t = self.tmux
        screen = t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        self.assertIn("q:Quit", screen.splitlines()[0])
        for text in ("First message", "Third message", "Ada Lovelace", "会議の議題 agenda",
                     "山田太郎", "2024-01-02", "( 200)"):
            self.assertIn(text, screen)
        # Opened on the first unread message; j moves the highlight down.
        t.wait_for(lambda s: highlighted(s, "First message"), "First message highlighted",
                   attributes=True)
        t.keys("j")
        t.wait_for(lambda s: highlighted(s, "会議の議題") and not highlighted(s, "First message"),
                   "the highlight on the second message", attributes=True)
        # The pager: decoded headers and body, quoted text, signature.
        t.keys("Enter")
        screen = t.wait_text("Café € 12, see you.")
        self.assertIn("From: 山田太郎 <taro@example.jp>", screen)
        self.assertIn("Subject: 会議の議題 agenda", screen)
        self.assertIn("> quoted line", screen)
        self.assertIn("i:Exit", screen.splitlines()[0])
        t.keys("h")  # every header field
        t.wait_text("Content-Transfer-Encoding: quoted-printable")
        t.keys("q")
        screen = t.wait_text("pigeon: INBOX [Msgs:3 New:2]")  # opening marked it seen
        # Help lists the index's bindings with NeoMutt's function names.
        t.keys("?")
        t.wait_text("next-undeleted")
        t.keys("q")
        t.wait_text("pigeon: INBOX")
        # Change folder with Tab completion.
        t.keys("c")
        t.wait_text("Open folder:")
        t.type("lis")
        t.keys("Tab")
        t.wait_text("Open folder: lists/dev")
        t.keys("Enter")
        screen = t.wait_text("pigeon: lists/dev [Msgs:1 New:1]")
        self.assertIn("Dev list hello", screen)
        t.keys("c")
        t.wait_text("Open folder:")
        t.type("inbox")
        t.keys("Enter")
        t.wait_text("pigeon: INBOX [Msgs:3")
        # Mail delivered meanwhile shows up without a key press, with a new-mail notice.
        started = time.monotonic()
        import_mbox(self.store, os.path.join(self.dir, "live.mbox"), LIVE)
        screen = t.wait_for(lambda s: "Live delivery" in s and "Msgs:4" in s, "the new message",
                            timeout=5)
        self.assertLess(time.monotonic() - started, 3.0)
        self.assertIn("New mail", screen)
        # Resize: everything is laid out again for 60x20.
        t.run("resize-window", "-t", "t", "-x", "60", "-y", "20")
        screen = t.wait_for(lambda s: len(s.splitlines()) <= 20 and
                            "pigeon: INBOX" in s.splitlines()[-2], "the 60x20 layout")
        for line in screen.splitlines():
            self.assertLessEqual(len(line), 60)
        t.run("resize-window", "-t", "t", "-x", "100", "-y", "30")
        t.wait_for(lambda s: len(s.splitlines()) >= 29 and "pigeon: INBOX" in s.splitlines()[-2],
                   "the 100x30 layout")
        t.keys("q")
        self.assert_terminal_restored(0)

    def test_empty_store_and_sigterm(self):
        self.start()
        screen = self.tmux.wait_text("pigeon: INBOX [Msgs:0]")
        self.assertIn("(no messages)", screen)
        self.tmux.keys("j", "End", "PageDown", "Enter")
        self.tmux.wait_text("No messages.")
        shell = self.tmux.run("display-message", "-p", "-t", "t", "#{pane_pid}").strip()
        pigeon = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True,
                                check=True).stdout.split()[0]
        os.kill(int(pigeon), 15)
        self.assert_terminal_restored(0)


    def test_delete_undelete_and_sync(self):
        self.open_inbox()
        t = self.tmux
        t.keys("d")  # deletes and moves on to the next undeleted message
        screen = t.wait_text("[Msgs:3 New:3 Del:1]")
        self.assertRegex(screen, r"(?m)^N  D .*First message")
        t.wait_for(lambda s: highlighted(s, "会議の議題"), "the next message selected",
                   attributes=True)
        self.assertEqual(dict(stored(self.store)["INBOX"])["First message"] & DELETED, DELETED)
        t.keys("K", "u")  # previous-entry (previous-undeleted would skip it), undelete
        screen = t.wait_for(lambda s: "[Msgs:3 New:3]" in s, "no deleted message")
        self.assertRegex(screen, r"(?m)^N     .*First message")
        t.keys("K", "d")
        t.wait_text("[Msgs:3 New:3 Del:1]")
        t.keys("$")
        t.wait_text("Purge 1 deleted message? ([yes]/no):")
        t.keys("y")
        screen = t.wait_text("[Msgs:2 New:2]")
        self.assertNotIn("First message", screen)
        # Purged from INBOX into Trash, where it is not marked deleted any more.
        self.assertEqual(subjects(self.store, "INBOX"), ["Third message", "会議の議題 agenda"])
        self.assertEqual(stored(self.store)["Trash"], [("First message", 0)])
        t.keys("$")
        t.wait_text("Mailbox is unchanged.")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_flag_and_toggle_new(self):
        self.open_inbox()
        t = self.tmux
        t.keys("F")
        screen = t.wait_text("[Msgs:3 New:3 Flag:1]")
        self.assertRegex(screen, r"(?m)^N F   .*First message")
        self.assertEqual(dict(stored(self.store)["INBOX"])["First message"], FLAGGED)
        t.keys("K", "N")  # back to it; toggle-new marks it read
        screen = t.wait_text("[Msgs:3 New:2 Flag:1]")
        self.assertRegex(screen, r"(?m)^  F   .*First message")
        t.keys("K", "F")
        t.wait_text("[Msgs:3 New:2]")
        self.assertEqual(dict(stored(self.store)["INBOX"])["First message"] & FLAGGED, 0)
        t.keys("x")
        self.assert_terminal_restored(0)

    def write_config(self, text):
        config_dir = os.path.join(self.dir, ".config", "pigeon")
        os.makedirs(config_dir, exist_ok=True)
        with open(os.path.join(config_dir, "pigeon.conf"), "w") as f:
            f.write(OWNER_CONFIG + text)

    def test_key_bindings_from_the_config(self):
        self.write_config('[reader]\nbind = ["index ^N last-entry", "index,pager d noop",\n'
                          '        "index <Space> flag-message"]\n')
        self.open_inbox()
        t = self.tmux
        t.keys("C-n")
        t.wait_for(lambda s: highlighted(s, "Third message"), "Third message highlighted",
                   attributes=True)
        t.keys("d", "Space")  # d is unbound; Space flags (the status line is the sync point)
        screen = t.wait_text("[Msgs:3 New:3 Flag:1]")
        self.assertRegex(screen, r"(?m)^N F   .*Third message")
        self.assertNotIn("Del:", screen)
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_new_mail_runs_the_notify_command(self):
        notified = os.path.join(self.dir, "notified.txt")
        script = os.path.join(self.dir, "notify.sh")
        with open(script, "w") as f:
            f.write(f"#!/bin/sh\nprintf '%s|%s\\n' \"$1\" \"$2\" >> {notified}\n")
        os.chmod(script, 0o755)
        self.write_config(f'[reader]\nnew_mail_command = "{script}"\nnew_mail_bell = true\n')
        self.open_inbox()
        import_mbox(self.store, os.path.join(self.dir, "live.mbox"), LIVE)
        self.tmux.wait_text("New mail in this folder.")
        deadline = time.monotonic() + 10
        while not os.path.exists(notified) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(notified) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), len(LIVE), lines)
        self.assertIn("Live delivery", lines[0])
        self.assertIn("<", lines[0].split("|")[0])  # the sender, name and address
        self.tmux.keys("x")
        self.assert_terminal_restored(0)

    def test_sidebar_counts_and_opening_a_folder_from_it(self):
        import_mbox(self.store, os.path.join(self.dir, "dev.mbox"), DEV, folder="lists/dev")
        self.write_config('[reader]\nsidebar = true\nsidebar_width = 24\n')
        self.open_inbox()
        t = self.tmux
        # INBOX 3 unread of 3, lists/dev 1 of 1 under "lists" (its parent, if any) indented.
        screen = t.wait_for(lambda s: re.search(r"(?m)^INBOX +3/3 *\u2502", s),
                            "INBOX in the sidebar")
        self.assertRegex(screen, r"(?m)^ +dev +1/1 *\u2502")
        # The index starts after the divider.
        self.assertRegex(screen, r"(?m)\u2502N .*First message")
        # { and } move the highlight (the last folder is lists/dev), ^O opens it.
        t.keys("{")
        t.wait_text("No more folders.")
        for _ in range(6):
            t.keys("}")
        t.wait_for(lambda s: highlighted(s, "  dev"), "dev highlighted", attributes=True)
        t.keys("C-o")
        screen = t.wait_text("pigeon: lists/dev [Msgs:1 New:1]")
        self.assertIn("Dev list hello", screen)
        # B hides it: the index takes the whole width again.
        t.keys("B")
        t.wait_for(lambda s: re.search(r"(?m)^N .*Dev list hello", s), "the index at column 0")
        # Reading a message changes the counts shown beside the pager.
        t.keys("B", "Enter")
        t.wait_for(lambda s: re.search(r"(?m)^ +dev +1 *\u2502", s), "dev read")
        t.keys("q", "x")
        self.assert_terminal_restored(0)

    def test_colours_from_the_config(self):
        self.write_config('[reader]\ncolor = ["indicator black cyan", "index red default ~D",\n'
                          '         "status bold yellow blue"]\n')
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start()
        t = self.tmux

        def line_with(screen, text):
            return next((line for line in screen.splitlines() if text in line), "")

        # capture-pane -e gives the colours as SGR codes: 46 cyan background, 31 red text.
        t.wait_for(lambda s: re.search(r"\x1b\[[0-9;]*46m[^\x1b]*N .*First message",
                                       line_with(s, "First message")),
                   "the selected line black on cyan", attributes=True)
        t.keys("d")  # deleted, and the selection moves on
        t.wait_for(lambda s: "31m" in line_with(s, "First message") and
                   "46m" in line_with(s, "会議の議題"), "the deleted line red", attributes=True)
        screen = t.screen(attributes=True)
        self.assertIn("44m", line_with(screen, "pigeon: INBOX"))  # the status line on blue
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_a_bad_colour_line_is_named_and_the_reader_does_not_start(self):
        self.write_config('[reader]\ncolor = ["indicator black cyann"]\n')
        self.start()
        screen = self.tmux.wait_text("EXIT:1")
        self.assertIn('color "indicator black cyann": unknown colour "cyann"',
                      screen.replace("\n", ""))

    def test_index_and_date_formats_from_the_config(self):
        self.write_config('[reader]\nindex_format = "%Z|%-8.8n|%d|%s%>.%5c"\n'
                          'date_format = "!%Y/%m/%d %H:%M %z"\n')
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start("TZ=UTC ")  # the reader's local time; the format code never reads TZ
        t = self.tmux
        screen = t.wait_for(lambda s: "Msgs:3 New:3" in s and "|2024/01/04 10:00 +0000|" in s,
                            "the index in the configured format")

        def line_with(text):
            return next((line for line in screen.splitlines() if text in line), "")

        # The size goes to the right edge of the 100 columns, the gap filled with dots.
        line = line_with("First message")
        self.assertRegex(line, r"^N     \|Ada Love\|2024/01/02 10:00 \+0000\|First message"
                               r"\.+ *[0-9.]+K?$")
        self.assertEqual(len(line), 100)
        # 山田太郎 takes the 8 columns; the subject stays in its place after it.
        self.assertRegex(line_with("agenda"),
                         "^N     \\|\u5c71\u7530\u592a\u90ce\\|2024/01/03 10:00 \\+0000\\|")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_a_bad_index_format_is_named_and_the_reader_does_not_start(self):
        self.write_config('[reader]\nindex_format = "%Z %x %s"\n')
        self.start()
        screen = self.tmux.wait_text("EXIT:1")
        # The line is wider than the window: compare it without the spaces a wrap may eat.
        self.assertIn('pigeon.conf:reader.index_format:unknownconversion"%x"(atbyte4)',
                      re.sub(r"\s", "", screen))

    def test_a_bad_key_binding_is_named_and_the_reader_does_not_start(self):
        self.write_config('[reader]\nbind = ["index j frobnicate"]\n')
        self.start()
        screen = self.tmux.wait_text("EXIT:1")
        wrapped = screen.replace("\n", "")  # the line is wider than the window
        self.assertIn('pigeon.conf: bind "index j frobnicate": unknown function "frobnicate"',
                      wrapped)

    def test_pipe_the_message_and_the_tagged_ones_to_a_command(self):
        self.open_inbox()
        t = self.tmux
        out = os.path.join(self.dir, "piped.txt")
        t.keys("|")
        t.wait_text("Pipe to command:")
        t.type(f"cat > {out}; echo piped-ok")
        t.keys("Enter")
        # The command has the terminal; its output stays until a key is pressed.
        t.wait_text("Press any key to continue...")
        self.assertIn("piped-ok", t.screen())
        t.keys("a")
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        with open(out, "rb") as f:
            piped = f.read()
        self.assertIn(b"Subject: First message\n", piped)
        self.assertNotIn(b"\r\n", piped)  # Unix line ends
        # Tag two, then ;| pipes both; the last command is offered again (edited here).
        t.keys("t", "t")
        t.wait_text("Tag:2")
        t.keys("\\;", "|")
        t.wait_text(f"Pipe to command: cat > {out}; echo piped-ok")
        t.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace",
               "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        t.type("; exit 4")
        t.keys("Enter")
        t.wait_text("Press any key to continue...")
        t.keys("Enter")
        t.wait_text("Command returned status 4.")
        with open(out, "rb") as f:
            both = f.read()
        self.assertEqual(both.count(b"\nSubject: "), 2, both)
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_shell_escape_runs_a_command_or_a_shell_and_redraws(self):
        self.open_inbox()
        t = self.tmux
        t.keys("!")
        t.wait_text("Shell command:")
        t.type("read line; echo \"got $line\"")
        t.keys("Enter")
        # The command has the terminal, its standard input too.
        t.wait_for(lambda s: "pigeon: INBOX" not in s, "the screen handed over")
        t.type("typed-here")
        t.keys("Enter")
        t.wait_text("Press any key to continue...")
        self.assertIn("got typed-here", t.screen())
        t.keys("a")
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        # Nothing typed: an interactive shell ($SHELL, /bin/sh here), then the index again
        # without a key to press.
        t.keys("!")
        t.wait_text("Shell command:")
        t.keys("Enter")
        t.wait_for(lambda s: "pigeon: INBOX" not in s, "the shell")
        t.type(f"touch {self.dir}/from-the-shell; exit")
        t.keys("Enter")
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        self.assertTrue(os.path.exists(os.path.join(self.dir, "from-the-shell")))
        self.assertNotIn("Press any key", t.screen())
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_tag_two_then_tag_prefix_delete(self):
        self.open_inbox()
        t = self.tmux
        t.keys("\\;")  # tmux reads a bare ";" as its own command separator
        t.wait_text("No tagged messages.")
        t.keys("t", "t")  # each tag moves on to the next message
        screen = t.wait_text("Tag:2]")
        self.assertRegex(screen, r"(?m)^N   \* .*First message")
        self.assertRegex(screen, r"(?m)^N   \* .*会議の議題")
        self.assertRegex(screen, r"(?m)^N      .*Third message")
        t.keys("\\;", "d")  # both tagged messages, deleted and untagged ($delete_untag)
        screen = t.wait_text("[Msgs:3 New:3 Del:2]")
        self.assertRegex(screen, r"(?m)^N  D   .*First message")
        self.assertRegex(screen, r"(?m)^N  D   .*会議の議題")
        self.assertRegex(screen, r"(?m)^N      .*Third message")
        flags = dict(stored(self.store)["INBOX"])
        self.assertEqual([flags[s] & DELETED for s in sorted(flags)], [DELETED, 0, DELETED])
        t.keys("$")
        t.wait_text("Purge 2 deleted messages? ([yes]/no):")
        t.keys("Enter")
        t.wait_text("[Msgs:1 New:1]")
        self.assertEqual(subjects(self.store, "INBOX"), ["Third message"])
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_save_to_new_folder_and_copy(self):
        import_mbox(self.store, os.path.join(self.dir, "dev.mbox"), DEV, folder="lists/dev")
        self.open_inbox()
        t = self.tmux
        t.keys("s")
        t.wait_text("Save to mailbox:")
        t.type("archive/2024")
        t.keys("Enter")
        t.wait_text("Create archive/2024? ([yes]/no):")
        t.keys("y")
        screen = t.wait_text("[Msgs:2 New:2]")
        self.assertIn("1 message moved to archive/2024.", screen)
        self.assertNotIn("First message", screen)
        self.assertEqual(subjects(self.store, "archive/2024"), ["First message"])
        self.assertNotIn("First message", subjects(self.store, "INBOX"))
        # Copy with Tab completion into an existing folder: no question, the message stays.
        t.keys("C")
        t.wait_text("Copy to mailbox:")
        t.type("lis")
        t.keys("Tab")
        t.wait_text("Copy to mailbox: lists/dev")
        t.keys("Enter")
        t.wait_text("1 message copied to lists/dev.")
        self.assertEqual(len(subjects(self.store, "INBOX")), 2)
        self.assertEqual(len(subjects(self.store, "lists/dev")), 2)
        # Saving to a folder that does not exist, answered no: nothing moves.
        t.keys("s")
        t.wait_text("Save to mailbox:")
        t.type("nowhere")
        t.keys("Enter")
        t.wait_text("Create nowhere? ([yes]/no):")
        t.keys("n")
        t.wait_for(lambda s: "Create nowhere" not in s, "the question gone")
        self.assertNotIn("nowhere", stored(self.store))
        self.assertEqual(len(subjects(self.store, "INBOX")), 2)
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_quit_asks_to_purge_and_exit_does_not(self):
        self.open_inbox()
        t = self.tmux
        # From the pager: d deletes the shown message and shows the next undeleted one.
        t.keys("Enter")
        t.wait_text("Hello from the first message.")
        t.keys("d")
        t.wait_text("Café € 12, see you.")
        t.keys("i")
        t.wait_text("Del:1]")
        t.keys("x")  # exit: nothing purged
        self.assert_terminal_restored(0)
        self.assertEqual(len(subjects(self.store, "INBOX")), 3)
        t.keys("C-l")
        self.start()
        t.wait_text("Del:1]")
        t.keys("q")
        t.wait_text("Purge 1 deleted message? ([yes]/no):")
        t.keys("C-g")  # cancelled: the reader stays open
        t.wait_for(lambda s: "Purge" not in s.splitlines()[-1], "the question gone")
        t.keys("q")
        t.wait_text("Purge 1 deleted message? ([yes]/no):")
        t.keys("Enter")
        self.assert_terminal_restored(0)
        self.assertEqual(subjects(self.store, "INBOX"), ["Third message", "会議の議題 agenda"])


    def test_delete_and_undelete_thread(self):
        import_mbox(self.store, os.path.join(self.dir, "thread.mbox"), THREAD)
        self.start()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        t.keys("C-d")  # the first unread message, Plan, and its reply
        screen = t.wait_text("[Msgs:3 New:3 Del:2]")
        self.assertRegex(screen, r"(?m)^N  D .*\) Plan$")
        self.assertRegex(screen, r"(?m)^N  D .*Re: Plan")
        self.assertRegex(screen, r"(?m)^N     .*Unrelated")
        t.wait_for(lambda s: highlighted(s, "Unrelated"), "the next undeleted message",
                   attributes=True)
        t.keys("J", "C-u")  # next-entry to the reply; undelete its thread
        screen = t.wait_text("[Msgs:3 New:3]")
        self.assertNotRegex(screen, r"(?m)^N  D ")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_mail_sent_to_a_local_and_a_remote_recipient(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start_with_editor()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        t.keys("m")
        self.wait_compose()
        self.assertEqual(self.draft_seen(),
                         "From: Ada Tester <ada@localhost>\nTo: \nCc: \nBcc: \nSubject: \n\n")
        t.keys("y")
        screen = t.wait_text("Mail sent.")
        # The owner's copy arrived in the open folder, unread, and the index shows it.
        self.assertIn("[Msgs:4 New:4]", screen)
        self.assertIn("Lunch plans", screen)
        folders = stored(self.store)
        self.assertEqual(folders["Sent"], [("Lunch plans", SEEN)])
        self.assertIn(("Lunch plans", 0), folders["INBOX"])
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        self.assertEqual(os.listdir(os.path.join(self.dir, "tmp")), [])  # draft file removed
        found = subprocess.run([tmux_ui.PIGEON, "--store", self.store, "search", "--folder", "Sent",
                                "see you at noon"], check=True, capture_output=True,
                               text=True).stdout
        self.assertIn("Lunch plans", found)
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_reply_marks_the_original_answered(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start_with_editor()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        t.wait_for(lambda s: highlighted(s, "First message"), "First message selected",
                   attributes=True)
        t.keys("r")
        self.wait_compose()
        self.assertEqual(self.draft_seen(),
                         "From: Ada Tester <ada@localhost>\n"
                         "To: Ada Lovelace <ada@example.org>\nCc: \nBcc: \n"
                         "Subject: Re: First message\n\n"
                         "On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:\n"
                         "> Hello from the first message.\n")
        t.keys("y")
        screen = t.wait_text("Mail sent.")
        self.assertRegex(screen, r"(?m)^Nr .*First message")
        folders = stored(self.store)
        self.assertEqual(folders["Sent"], [("Re: First message", SEEN)])
        self.assertEqual(dict(folders["INBOX"])["First message"], ANSWERED)
        self.assertEqual(queued(self.store), ["ada@example.org"])
        # Threaded under the original: In-Reply-To and References name it.
        db = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True)
        try:
            threads = dict(db.execute("SELECT subject, thread_id FROM messages").fetchall())
        finally:
            db.close()
        self.assertEqual(threads["Re: First message"], threads["First message"])
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_a_reply_goes_out_as_the_identity_the_mail_was_sent_to(self):
        work = [message(b"Tue, 2 Jan 2024 10:00:00 +0000", b"Boss <boss@work.example>",
                        b"Quarterly figures", b"Please send them.",
                        b"To: Ada at work <ada@work.example>\n")]
        import_mbox(self.store, os.path.join(self.dir, "work.mbox"), work)
        with open(os.path.join(self.dir, "work.sig"), "w") as f:
            f.write("Ada Tester\nAnalytical Engines Ltd\n")
        self.start_with_editor(config=(
            '[[identity]]\nfrom = "Ada at work <ada@work.example>"\n'
            f'signature_file = "{self.dir}/work.sig"\nfcc = "Sent/work"\n'))
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:1 New:1]")
        t.keys("r")
        screen = self.wait_compose()
        self.assertIn("     Fcc: Sent/work", screen)
        draft = self.draft_seen()
        self.assertTrue(draft.startswith("From: Ada at work <ada@work.example>\n"), draft)
        self.assertTrue(draft.endswith("> Please send them.\n\n-- \nAda Tester\n"
                                       "Analytical Engines Ltd\n"), draft)
        t.keys("y")
        t.wait_text("Mail sent.")
        folders = stored(self.store)
        self.assertEqual(folders["Sent/work"], [("Re: Quarterly figures", SEEN)])
        self.assertEqual(folders.get("Sent", []), [])
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_mail_not_sent_writes_nothing(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start_with_editor()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        t.keys("m")
        self.wait_compose()
        t.keys("q")
        t.wait_text("Save (postpone) draft message? ([yes]/no):")
        t.keys("n")
        screen = t.wait_text("Mail not sent.")
        self.assertIn("[Msgs:3 New:3]", screen)
        t.keys("Enter")  # into the pager; a reply from there, the question cancelled with ^G
        t.wait_text("Hello from the first message.")
        t.keys("r")
        self.wait_compose()
        t.keys("q")
        t.wait_text("Save (postpone) draft message? ([yes]/no):")
        t.keys("C-g")
        t.wait_for(lambda s: "Save (postpone)" not in s, "the question to close")
        self.wait_compose()  # still composing
        t.keys("q")
        t.wait_text("Save (postpone) draft message? ([yes]/no):")
        t.keys("n")
        screen = t.wait_text("Mail not sent.")
        self.assertIn("Hello from the first message.", screen)  # back in the pager
        folders = stored(self.store)
        self.assertNotIn("Sent", folders)
        self.assertEqual(len(folders["INBOX"]), 3)
        self.assertEqual(dict(folders["INBOX"])["First message"], SEEN)  # read, not answered
        self.assertEqual(queued(self.store), [])
        t.keys("i", "x")
        self.assert_terminal_restored(0)

    def test_a_draft_with_a_mistake_can_be_edited_again(self):
        # The editor breaks the To line; editing again leaves it broken: two questions, then no.
        self.start_with_editor("#!/bin/sh\nsed -i 's/^To: $/To bob/' \"$1\"\n")
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:0]")
        t.keys("m")
        screen = t.wait_text("Edit again? ([yes]/no):")
        self.assertIn('line 2: "To bob" is not a header field', screen)
        t.keys("y")
        t.wait_for(lambda s: "Edit again?" in s.splitlines()[-1], "the question again")
        t.keys("n")
        t.wait_text("Mail not sent.")
        self.assertEqual(stored(self.store), {})
        self.assertEqual(queued(self.store), [])
        t.keys("x")
        self.assert_terminal_restored(0)


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

#!/usr/bin/python3
"""End-to-end test of the reader's attachments menu (`pigeon` with no command in tmux): `v`
shows the MIME tree, `s` saves a part's decoded bytes, Enter opens a part through a mailcap
file the test writes (a copiousoutput entry's output in the pager), and a message with only
HTML is shown through the mailcap's copiousoutput entry for text/html (a small script stands in
for w3m). Every wait polls the screen against a deadline.

usage: ui_attach_tmux_test.py PIGEON_BINARY
"""
import base64
import os
import sys
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, store readers)

PAYLOAD = b"PIGEON TEST PAYLOAD\nbinary \x00\xff\xfe bytes\n"
MIXED = message(
    b"Mon, 1 Jan 2024 09:00:00 +0000", b"Bob <bob@example.org>", b"Data attached",
    b"--b1\nContent-Type: text/plain; charset=utf-8\n\nSee the attached data.\n"
    b"--b1\nContent-Type: application/x-pigeon-test; name=\"../data.bin\"\n"
    b"Content-Disposition: attachment; filename=\"../data.bin\"\n"
    b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(PAYLOAD) + b"--b1--",
    b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n")
HTML_ONLY = message(
    b"Tue, 2 Jan 2024 09:00:00 +0000", b"Web <web@example.org>", b"Newsletter",
    b"<html><body><p>Hello <b>HTML</b> reader</p></body></html>",
    b"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n")

RENDERER = """#!/bin/sh
echo "RENDERED BY SCRIPT"
sed 's/<[^>]*>//g' "$1"
"""


class AttachmentsInTmux(ReaderInTmux):

    def start_reader(self, more_mailcap=""):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), [MIXED, HTML_ONLY])
        renderer = os.path.join(self.dir, "render.sh")
        with open(renderer, "w") as f:
            f.write(RENDERER)
        os.chmod(renderer, 0o755)
        mailcap = os.path.join(self.dir, "test.mailcap")
        with open(mailcap, "w") as f:
            f.write("# the test's mailcap\n"
                    "application/x-pigeon-test; cat %s; \\\n  copiousoutput\n"
                    f"text/html; {renderer} %s; copiousoutput\n" + more_mailcap)
        config_dir = os.path.join(self.dir, ".config", "pigeon")
        os.makedirs(config_dir)
        with open(os.path.join(config_dir, "pigeon.conf"), "w") as f:
            f.write(OWNER_CONFIG + f'[reader]\nmailcap_path = "~/nothing:{mailcap}"\n')
        os.makedirs(os.path.join(self.dir, "tmp"))
        self.start(f"TMPDIR={self.dir}/tmp ")
        self.tmux.wait_text("pigeon: INBOX [Msgs:2 New:2]")
        self.tmux.wait_for(lambda s: highlighted(s, "Data attached"), "the first message",
                           attributes=True)

    def test_menu_save_and_mailcap(self):
        self.start_reader()
        t = self.tmux
        # The pager names the attachment as the menu numbers it.
        t.keys("Enter")
        t.wait_text("See the attached data.")
        t.wait_text("[-- Attachment #2 ../data.bin: application/x-pigeon-test")
        t.keys("v")
        screen = t.wait_text("pigeon: Attachments [2]")
        self.assertRegex(screen, r"  1 <no description> +\[text/plain, 7bit, utf-8, ")
        self.assertRegex(screen, r"  2 \.\./data\.bin +\[application/x-pigeon-test, base64, ")
        self.assertIn("q:Exit", screen)
        # No mailcap entry for the text part.
        t.keys("m")
        t.wait_text("No mailcap entry for text/plain.")
        # Save the attachment: the name offered has no path in it.
        t.keys("j")
        t.wait_for(lambda s: highlighted(s, "data.bin"), "the attachment selected",
                   attributes=True)
        t.keys("s")
        t.wait_for(lambda s: s.splitlines()[-1].rstrip() == "Save to file: data.bin",
                   "the save prompt")
        target = os.path.join(self.dir, "saved.bin")
        t.keys("C-u")
        t.type("~/saved.bin")
        t.keys("Enter")
        t.wait_text(f"Saved {len(PAYLOAD)} bytes to {target}.")
        with open(target, "rb") as f:
            self.assertEqual(f.read(), PAYLOAD)
        # Again: the file exists; "no" keeps it.
        with open(target, "wb") as f:
            f.write(b"kept")
        t.keys("s", "C-u")
        t.type("~/saved.bin")
        t.keys("Enter")
        t.wait_text("File exists, overwrite?")
        t.keys("n")
        t.wait_for(lambda s: "overwrite" not in s.splitlines()[-1], "the question gone")
        with open(target, "rb") as f:
            self.assertEqual(f.read(), b"kept")
        # Enter: the mailcap's copiousoutput entry (cat %s) shows the bytes in the pager.
        t.keys("Enter")
        screen = t.wait_text("PIGEON TEST PAYLOAD")
        self.assertIn("Attachment: ../data.bin", screen)
        # The temporary file is gone, its private directory too.
        self.assertEqual(os.listdir(os.path.join(self.dir, "tmp")), [])
        t.keys("q")
        t.wait_text("pigeon: Attachments [2]")
        t.keys("q")
        t.wait_text("See the attached data.")
        t.keys("q")
        t.wait_text("pigeon: INBOX")
        # The HTML-only message goes through the text/html copiousoutput entry.
        t.keys("j", "Enter")
        screen = t.wait_text("RENDERED BY SCRIPT")
        self.assertIn("Hello HTML reader", screen)
        t.keys("q")
        t.wait_text("pigeon: INBOX")
        t.keys("x")
        self.assert_terminal_restored(0)

    def test_a_viewer_asks_for_a_key_only_when_it_fails(self):
        # The text part's viewer copies the file and exits with the status the test sets.
        status = os.path.join(self.dir, "status")
        self.start_reader(f"text/plain; cp %s ~/viewed.txt\\; exit $(cat {status})\n")
        t = self.tmux
        t.keys("v")
        t.wait_text("pigeon: Attachments [2]")
        with open(status, "w") as f:
            f.write("0\n")
        t.keys("m")
        t.wait_for(lambda s: os.path.exists(os.path.join(self.dir, "viewed.txt")) and
                   "pigeon: Attachments [2]" in s, "the menu back with no key asked")
        self.assertNotIn("Press any key", t.screen())
        with open(os.path.join(self.dir, "viewed.txt")) as f:
            self.assertIn("See the attached data.", f.read())
        with open(status, "w") as f:
            f.write("3\n")
        t.keys("m")
        t.wait_text("Press any key to continue...")
        t.keys("Space")
        t.wait_text("Command returned status 3.")
        t.keys("q")
        t.wait_text("pigeon: INBOX")
        t.keys("x")
        self.assert_terminal_restored(0)


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

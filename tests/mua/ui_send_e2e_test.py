#!/usr/bin/python3
"""End-to-end test of a reply from the mail reader to a real receiving server: dnsmasq answers
the MX of remote.test with 127.0.0.2, where Postfix's smtp-sink listens; a real pigeond on the
owner's config and store takes Bob's message in over SMTP and delivers what the reader sends.
`pigeon` runs in tmux on that same config and store, as the store's owner (nobody, whom
pigeond drops to), with $EDITOR a script that adds a line of reply text and Bccs the owner.
The test replies with `r`, sends, and checks what smtp-sink received (envelope, threading
fields, quoted text, From, no Bcc), the store (the original answered, the copy in Sent, the
owner's Bcc copy) and the queue (the message delivered and gone). Loopback only; every wait
polls against a deadline. Needs root (pigeond and smtp-sink drop to nobody).

usage: ui_send_e2e_test.py PIGEON PIGEOND BUILD_MTA_DIR
"""
import os
import re
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "mta"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))

import pigeond_harness as harness  # noqa: E402
import tmux_ui  # noqa: E402
from delivery_peers import Peers, free_port_on, parse, sink_dumps, wait_for  # noqa: E402
from tmux_ui import (ANSWERED, COMPOSE, EDITOR_SCRIPT, SEEN, Tmux, highlighted, raws,  # noqa: E402
                     stored)

PIGEOND = None
MTA_DIR = None
BASE = None  # the module's directory, kept when a test fails

MX = "127.0.0.2"  # mx.remote.test in tests/support/dnsmasq.conf.in
OWNER = f"Ada Lovelace <{harness.OWNER}>"
ORIGINAL_ID = "<lunch-1@remote.test>"
ORIGINAL = ("From: Bob Remote <bob@remote.test>\r\n"
            f"To: {OWNER}\r\n"
            "Subject: Lunch on Thursday?\r\n"
            "Date: Mon, 30 Nov 2026 09:00:00 +0000\r\n"
            f"Message-ID: {ORIGINAL_ID}\r\n"
            "\r\n"
            "Are you free for lunch on Thursday?\r\n"
            "The usual place at noon.\r\n").encode()
ATTRIBUTION_AND_QUOTE = ("On Mon, 30 Nov 2026 09:00:00 +0000, Bob Remote wrote:\n"
                         "> Are you free for lunch on Thursday?\n"
                         "> The usual place at noon.\n")
ADDED_LINE = "Sounds good, see you at noon.\n"  # what EDITOR_SCRIPT appends
# pigeond's log line for the reply's delivery; group 1 is the queue id.
SENT_TO_BOB = re.compile(r"(?m)([0-9A-Z]+): to=<bob@remote\.test>, delay=\d+, tries=1, "
                         r"status=sent \(host mx\.remote\.test\[127\.0\.0\.2\] said: 250 ")

# The shared editor script (keeps a copy of the draft, appends ADDED_LINE), then a Bcc to the
# owner, so that the check for a Bcc field in what went out means something.
EDITOR = EDITOR_SCRIPT + (
    'text = open(path, encoding="utf-8").read()\n'
    'text = text.replace("\\nBcc: \\n", "\\nBcc: ada@example.test\\n", 1)\n'
    'open(path, "w", encoding="utf-8").write(text)\n')


def send_after_editor(tmux):
    """Sends the message once the editor has returned: the one place that knows what the
    reader asks between the editor and the send."""
    tmux.wait_text(COMPOSE)  # the compose screen, where y sends
    tmux.keys("y")
    tmux.wait_text("Mail sent.")


class ReplyThroughPigeond(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="send", dir=BASE)
        self.peers = Peers(self.dir)
        self.addCleanup(self.peers.stop_all)
        self.sink_dir = os.path.join(self.dir, "sink")
        dns_port = self.peers.start_dns()
        mx_port = free_port_on([MX])
        self.peers.start_sink(MX, mx_port, self.sink_dir)
        daemon_dir = os.path.join(self.dir, "pd")  # short: "<store>.wake" is a socket address
        os.mkdir(daemon_dir)
        self.daemon = harness.Pigeond(
            PIGEOND, directory=daemon_dir, tls=False, mta_dir=MTA_DIR,
            owner_name="Ada Lovelace", reader="undo_send_delay = 0",
            delivery=f'port = {mx_port}\ndns_servers = ["127.0.0.1:{dns_port}"]')
        self.addCleanup(self.stop_daemon)
        self.daemon.start()
        self.home = os.path.join(self.dir, "home")
        self.addCleanup(self.stop_tmux)

    def stop_daemon(self):
        if self.daemon.alive():
            self.daemon.stop(timeout=20)

    def stop_tmux(self):
        # By its socket: the server runs even when Tmux() failed waiting for the prompt.
        socket = os.path.join(self.home, "tmux.sock")
        if os.path.exists(socket):
            subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)

    def start_reader(self):
        """`pigeon -C <pigeond's config>` in tmux as the store's owner, with the editor script
        and a home (and TMPDIR, where the draft file is made) of that owner's."""
        os.makedirs(os.path.join(self.home, "tmp"))
        editor = os.path.join(self.home, "editor.py")
        with open(editor, "w") as f:
            f.write(EDITOR)
        os.chmod(editor, 0o755)
        harness.give_to_nobody(self.home)
        self.tmux = Tmux(self.home)
        as_owner = ("setpriv --reuid=nobody --regid=nogroup --clear-groups "
                    if os.geteuid() == 0 else "")
        self.tmux.type(f"{as_owner}env VISUAL= EDITOR={editor} TMPDIR={self.home}/tmp "
                       f"{tmux_ui.PIGEON} -C {self.daemon.config}; echo EXIT:$?")
        self.tmux.keys("Enter")

    def draft_seen(self):
        with open(os.path.join(self.home, "draft-seen.txt"), encoding="utf-8") as f:
            return f.read()

    def test_reply_edited_and_sent_arrives_at_the_remote_mx(self):
        # Bob's message comes in over SMTP, as from a remote MTA.
        with smtplib.SMTP("127.0.0.1", self.daemon.port, timeout=10) as client:
            client.sendmail("bob@remote.test", [harness.OWNER], ORIGINAL)
        self.assertEqual(len(self.daemon.stored("INBOX")), 1)

        self.start_reader()
        t = self.tmux
        t.wait_text("pigeon: INBOX [Msgs:1 New:1]")
        t.wait_for(lambda s: highlighted(s, "Lunch on Thursday?"), "the message selected",
                   attributes=True)
        t.keys("Enter")
        t.wait_text("The usual place at noon.")
        t.keys("r")
        send_after_editor(t)
        self.assertEqual(self.draft_seen(),
                         f"From: {OWNER}\nTo: Bob Remote <bob@remote.test>\nCc: \nBcc: \n"
                         "Subject: Re: Lunch on Thursday?\n\n" + ATTRIBUTION_AND_QUOTE)

        # pigeond's 250 from mx.remote.test. smtp-sink creates its dump at MAIL FROM and
        # completes it before it answers the final dot, so the dump is whole from then on.
        sent = wait_for(lambda: SENT_TO_BOB.search(self.daemon.log()), 20,
                        "pigeond to deliver the reply to mx.remote.test")
        queue_id = sent.group(1)
        wait_for(lambda: re.search(rf"(?m){queue_id}: removed$", self.daemon.log()), 10,
                 "pigeond to remove the delivered message")

        # What the remote MX received: one transaction, to Bob alone.
        dumps = sink_dumps(self.sink_dir)
        self.assertEqual(len(dumps), 1)
        recipients, received = dumps[0]
        self.assertEqual(recipients, ["bob@remote.test"])
        header = received.partition(b"\r\n\r\n")[0]
        self.assertIsNone(re.search(rb"(?im)^bcc:", header), header)
        # The reader's submission: the queue id pigeond delivered is in its Received field.
        self.assertRegex(header, rb"(?m)^Received: by mx\.example\.test \(pigeon, from userid "
                                 rb"\d+\)\r\n\s+id " + queue_id.encode() + rb";")
        reply = parse(received)
        self.assertEqual(reply["From"], OWNER)
        self.assertEqual(reply["To"], "Bob Remote <bob@remote.test>")
        self.assertIsNone(reply["Cc"])
        self.assertEqual(reply["Subject"], "Re: Lunch on Thursday?")
        self.assertEqual(reply["In-Reply-To"], ORIGINAL_ID)
        self.assertIn(ORIGINAL_ID, reply["References"].split())
        self.assertEqual(reply.get_content().replace("\r\n", "\n"),
                         ATTRIBUTION_AND_QUOTE + ADDED_LINE)

        # The queue: the store records "delivered" and drops the message, with no recipient
        # left waiting, in one transaction; so delivered means gone from the queue here.
        self.assertEqual(self.daemon.queue_states(), [])
        self.assertEqual(self.daemon.mailq(), "Mail queue is empty\n")

        # The store: the original answered (and seen: it was read), the copy in Sent, and the
        # owner's Bcc copy in INBOX.
        folders = stored(self.daemon.store)
        inbox = dict(folders["INBOX"])
        self.assertEqual(inbox["Lunch on Thursday?"], SEEN | ANSWERED)
        self.assertIn("Re: Lunch on Thursday?", inbox)
        self.assertEqual(folders["Sent"], [("Re: Lunch on Thursday?", SEEN)])
        sent = parse(raws(self.daemon.store, "Sent")[0])
        self.assertEqual(sent["Message-ID"], reply["Message-ID"])
        self.assertEqual(sent["In-Reply-To"], ORIGINAL_ID)

        # Nothing else reached the MX, and the reader ends cleanly.
        self.assertEqual(len(sink_dumps(self.sink_dir)), 1)
        t.keys("i")
        t.wait_text("pigeon: INBOX [Msgs:2")
        t.keys("x")
        t.wait_text("EXIT:0")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tmux_ui.PIGEON = os.path.abspath(sys.argv[1])
    PIGEOND = os.path.abspath(sys.argv[2])
    MTA_DIR = os.path.abspath(sys.argv[3])
    if os.geteuid() != 0:
        sys.exit("ui_send_e2e_test.py needs root (smtp-sink, pigeond dropping to nobody)")
    BASE = tempfile.mkdtemp(prefix="pigeon-send-")
    os.chmod(BASE, 0o755)  # pigeond, smtp-sink and the reader run as nobody below it
    started = time.monotonic()
    program = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[4:], exit=False)
    ok = program.result.wasSuccessful()
    if ok:
        shutil.rmtree(BASE, ignore_errors=True)
    else:
        print("kept for inspection:", BASE, file=sys.stderr)
    print(f"ui send e2e: {time.monotonic() - started:.1f} s", file=sys.stderr)
    sys.exit(0 if ok else 1)

#!/usr/bin/python3
"""End-to-end test of the reader's group reply, list reply, forward and bounce (`pigeon` with no
command in tmux, $EDITOR a script that edits the draft), checked in the store afterwards: the
copy in Sent, the outgoing queue's recipients and bytes, the original's flags. Also a send the
submitter refuses (an unknown local recipient), offered for editing again. The owner is
ada@localhost (a local user); remote recipients wait in the queue, since pigeond is not
running. Every wait polls the screen against a deadline.

usage: ui_compose_tmux_test.py PIGEON_BINARY
"""
import email
import email.policy
import os
import sys
import unittest

import tmux_ui
from tmux_ui import *  # noqa: F401,F403 (the harness, store readers)

# To the owner and Carol, Cc Dan, the owner again (domain in capitals) and Carol again.
GROUP = message(b"Mon, 1 Jan 2024 09:00:00 +0000", b"Bob Remote <bob@remote.test>",
                b"Team lunch", b"Who is coming?",
                b"Cc: dan@remote.test, Ada Tester <ada@LOCALHOST>, carol@remote.test\n")
GROUP = GROUP.replace(b"To: Ada <ada@example.org>\n",
                      b"To: Ada Tester <ada@localhost>, carol@remote.test\n")
LISTED = message(b"Tue, 2 Jan 2024 09:00:00 +0000", b"Eve <eve@remote.test>", b"List topic",
                 b"Posted to the list.",
                 b"List-Id: <dev.lists.remote.test>\n"
                 b"List-Post: <mailto:dev@lists.remote.test> (posting allowed)\n")
PLAIN = message(b"Wed, 3 Jan 2024 09:00:00 +0000", b"Frank <frank@remote.test>",
                b"Report", b"The numbers are in.")
MESSAGES = [GROUP, LISTED, PLAIN]


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def text_of(part):
    """A text part's decoded content with LF line ends."""
    return part.get_content().replace("\r\n", "\n")


class ComposeSession(ReaderInTmux):
    def start_reader(self, script=EDITOR_SCRIPT, config=""):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), MESSAGES)
        self.start_with_editor(script, config)
        self.tmux.wait_text("pigeon: INBOX [Msgs:3 New:3]")

    def select(self, subject):
        """Moves the index highlight down to `subject` (the messages are in date order)."""
        for _ in range(len(MESSAGES)):
            screen = self.tmux.screen(attributes=True)
            if highlighted(screen, subject):
                return
            self.tmux.keys("J")
            self.tmux.wait_for(lambda s: s != screen, "the highlight to move", attributes=True)
        self.tmux.wait_for(lambda s: highlighted(s, subject), subject, attributes=True)

    def sent_copy(self):
        copies = raws(self.store, "Sent")
        self.assertEqual(len(copies), 1)
        return parse(copies[0])

    def quit(self):
        self.tmux.keys("x")
        self.assert_terminal_restored(0)

    def test_group_reply_copies_the_others_but_not_the_owner(self):
        self.start_reader()
        self.select("Team lunch")
        self.tmux.keys("g")
        self.wait_compose()
        draft = self.draft_seen()
        self.assertIn("\nTo: Bob Remote <bob@remote.test>\n", draft)
        self.assertIn("\nCc: carol@remote.test, dan@remote.test\n", draft)
        self.assertIn("\nSubject: Re: Team lunch\n", draft)
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        sent = self.sent_copy()
        self.assertEqual(sent["Cc"], "carol@remote.test, dan@remote.test")
        self.assertEqual(sent["To"], "Bob Remote <bob@remote.test>")
        self.assertNotIn("ada@", sent["Cc"].lower())
        self.assertEqual(queued(self.store),
                         ["bob@remote.test", "carol@remote.test", "dan@remote.test"])
        self.assertEqual(dict(stored(self.store)["INBOX"])["Team lunch"], ANSWERED)
        self.quit()

    def test_list_reply_goes_to_the_list(self):
        self.start_reader()
        # The first message has no List-Post: no editor, nothing written.
        self.tmux.wait_for(lambda s: highlighted(s, "Team lunch"), "Team lunch selected",
                           attributes=True)
        self.tmux.keys("L")
        self.tmux.wait_text("No mailing lists found!")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "draft-seen.txt")))
        self.select("List topic")
        self.tmux.keys("L")
        self.wait_compose()
        draft = self.draft_seen()
        self.assertIn("\nTo: dev@lists.remote.test\nCc: \n", draft)
        self.assertIn("\nSubject: Re: List topic\n", draft)
        self.assertIn("Eve wrote:\n> Posted to the list.\n", draft)
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        sent = self.sent_copy()
        self.assertEqual(sent["To"], "dev@lists.remote.test")
        self.assertEqual(sent["In-Reply-To"], parse(LISTED.split(b"\n", 1)[1])["Message-ID"])
        self.assertEqual(queued(self.store), ["dev@lists.remote.test"])
        self.quit()

    def test_a_recalled_reply_marks_the_original_answered_when_sent(self):
        self.start_reader()
        self.select("Report")
        self.tmux.keys("r")
        self.wait_compose()
        self.tmux.keys("P")
        self.tmux.wait_text("Message postponed.")
        self.assertEqual(dict(stored(self.store)["INBOX"])["Report"], 0)
        self.tmux.keys("R")
        screen = self.wait_compose()
        self.assertIn("Subject: Re: Report", screen)
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        self.assertEqual(dict(stored(self.store)["INBOX"])["Report"], ANSWERED)
        self.assertEqual(stored(self.store).get("Drafts", []), [])
        self.assertEqual(self.sent_copy()["In-Reply-To"],
                         parse(PLAIN.split(b"\n", 1)[1])["Message-ID"])
        self.quit()

    def test_forward_inline(self):
        self.start_reader()
        self.select("Report")
        self.tmux.keys("Enter")  # from the pager
        self.tmux.wait_text("The numbers are in.")
        self.tmux.keys("f")
        self.wait_compose()
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        sent = self.sent_copy()
        self.assertEqual(sent["Subject"], "Fwd: Report")
        self.assertEqual(sent.get_content_type(), "text/plain")
        self.assertEqual(text_of(sent),
                         "----- Forwarded message from Frank <frank@remote.test> -----\n"
                         "Date: Wed, 3 Jan 2024 09:00:00 +0000\n"
                         "From: Frank <frank@remote.test>\n"
                         "To: Ada <ada@example.org>\n"
                         "Subject: Report\n"
                         "\n"
                         "The numbers are in.\n"
                         "----- End forwarded message -----\n"
                         "Sounds good, see you at noon.\n")
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        flags = dict(stored(self.store)["INBOX"])
        self.assertEqual(flags["Report"], SEEN | FORWARDED)
        self.assertEqual(flags["Fwd: Report"], 0)  # the owner's own copy, unread
        self.tmux.keys("i")
        self.quit()

    def test_forward_as_attachment(self):
        self.start_reader(config="\n[reader]\nmime_forward = true\n")
        self.select("Report")
        self.tmux.keys("f")
        self.wait_compose()
        draft = self.draft_seen()
        self.assertTrue(draft.endswith("\nSubject: Fwd: Report\n\n"), draft)  # an empty body
        self.tmux.keys("y")
        self.tmux.wait_text("Mail sent.")
        sent = self.sent_copy()
        self.assertEqual(sent.get_content_type(), "multipart/mixed")
        text, attached = sent.get_payload()
        self.assertEqual(text_of(text), "Sounds good, see you at noon.\n")
        self.assertEqual(attached.get_content_type(), "message/rfc822")
        self.assertEqual(attached.get_content_disposition(), "inline")
        inner = attached.get_payload()[0]
        self.assertEqual(inner["Subject"], "Report")
        self.assertEqual(inner["Message-ID"], parse(PLAIN.split(b"\n", 1)[1])["Message-ID"])
        self.assertEqual(text_of(inner), "The numbers are in.\n")
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        self.assertEqual(dict(stored(self.store)["INBOX"])["Report"], FORWARDED)
        self.quit()

    def test_bounce(self):
        self.start_reader()
        self.select("Report")
        original = raws(self.store, "INBOX")[2]
        t = self.tmux
        t.keys("b")
        t.wait_text("Bounce message to:")
        t.type("frank")  # no domain: refused, nothing sent
        t.keys("Enter")
        t.wait_text('"frank" is not a full address')
        t.keys("b")
        t.wait_text("Bounce message to:")
        t.type("carol@remote.test")
        t.keys("Enter")
        t.wait_text("Bounce message to carol@remote.test? ([yes]/no):")
        t.keys("n")
        t.wait_text("Message not bounced.")
        self.assertEqual(queued(self.store), [])
        t.keys("b")
        t.wait_text("Bounce message to:")
        t.type("carol@remote.test")
        t.keys("Enter")
        t.wait_text("Bounce message to carol@remote.test? ([yes]/no):")
        t.keys("y")
        t.wait_text("Message bounced.")
        self.assertEqual(queued(self.store), ["carol@remote.test"])  # not Frank, not the To
        self.assertNotIn("Sent", stored(self.store))
        (bounced,) = queued_raws(self.store)
        header, _, _ = bounced.partition(b"\r\n\r\n")
        self.assertIn(b"\r\nResent-From: Ada Tester <ada@localhost>\r\n"
                      b"Resent-To: carol@remote.test\r\nResent-Date: ", bounced)
        self.assertIn(b"\r\nResent-Message-ID: <", header)
        # The original, unchanged but for its line ends (the store keeps an import's LFs).
        self.assertTrue(bounced.endswith(original.replace(b"\n", b"\r\n")), bounced)
        self.assertEqual(os.listdir(os.path.join(self.dir, "tmp")), [])  # no editor ran
        self.quit()

    def test_a_refused_send_can_be_edited_again(self):
        # First edit: to an unknown local user; the second (same draft) mends the address.
        script = EDITOR_SCRIPT.replace(
            'text = text.replace("\\nTo: \\n"',
            'if "nobody@localhost" in text:\n'
            '    open(path, "w").write(text.replace("nobody@localhost", "bob@remote.test"))\n'
            '    sys.exit(0)\n'
            'text = text.replace("\\nTo: \\n", "\\nTo: nobody@localhost\\n", 1)\n'
            'text = text.replace("\\nTo: \\n"')
        self.assertNotEqual(script, EDITOR_SCRIPT)
        self.start_reader(script)
        t = self.tmux
        t.keys("m")
        self.wait_compose()
        t.keys("y")
        # Refused: the error on the message line, the compose screen still open.
        screen = t.wait_text("nobody@localhost")
        self.assertIn(COMPOSE, screen)
        self.assertEqual(stored(self.store).get("Sent"), None)  # nothing written
        self.assertEqual(queued(self.store), [])
        os.remove(os.path.join(self.dir, "draft-seen.txt"))
        t.keys("e")  # the editor again, on the same draft
        t.wait_for(lambda s: "bob@remote.test" in s and COMPOSE in s, "the mended To")
        draft = self.draft_seen()  # the same draft, the first edit's text kept
        self.assertIn("\nTo: nobody@localhost\n", draft)
        self.assertTrue(draft.endswith("\nSounds good, see you at noon.\n"), draft)
        t.keys("y")
        t.wait_text("Mail sent.")
        self.assertEqual(queued(self.store), ["bob@remote.test"])
        self.assertEqual(self.sent_copy()["Subject"], "Lunch plans")
        self.quit()


if __name__ == "__main__":
    tmux_ui.PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main()

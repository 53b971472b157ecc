#!/usr/bin/python3
"""End-to-end test of `pigeon show`: runs the real binary on message files and checks the JSON
contract of man/pigeon.1 (exact key set, values) and the exit status on unreadable files.

usage: show_cli_test.py PIGEON_BINARY MESSAGES_DIR
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

PIGEON = MESSAGES = None
CONTRACT_KEYS = {"subject", "from", "to", "cc", "date_utc", "message_id", "mime", "text_plain"}
NODE_KEYS = {"path", "content_type", "charset", "filename", "disposition", "sha256", "size"}


def show_json(*paths, stdin=None):
    done = subprocess.run([PIGEON, "show", "--json", *paths], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return done.returncode, json.loads(done.stdout), done.stderr.decode()


class ShowJson(unittest.TestCase):
    def test_welcome_message_fields(self):
        path = os.path.join(MESSAGES, "welcome.eml")
        status, result, _ = show_json(path)
        self.assertEqual(status, 0)
        self.assertEqual(list(result), [path])
        got = result[path]
        self.assertEqual(set(got), CONTRACT_KEYS)
        self.assertEqual(got["subject"], "Welcome to pigeon \U0001F426 (a sample message)")
        self.assertEqual(got["from"], [{"name": "Ada L\u00f6velace", "addr": "ada@example.org"}])
        self.assertEqual(got["to"], [{"name": "You", "addr": "you@localhost"},
                                     {"name": "Babbage, Charles", "addr": "charles@example.net"}])
        self.assertEqual(got["cc"], [])
        self.assertEqual(got["date_utc"], "2026-11-29T09:15:00Z")
        self.assertEqual(got["message_id"], "<welcome.20261129@example.org>")
        self.assertIn("caf\u00e9,\r\nna\u00efve, \u65e5\u672c\u8a9e", got["text_plain"])
        self.assertTrue(got["text_plain"].startswith("Hello!\r\n"))

    def test_welcome_mime_tree(self):
        path = os.path.join(MESSAGES, "welcome.eml")
        nodes = show_json(path)[1][path]["mime"]
        for node in nodes:
            self.assertEqual(set(node), NODE_KEYS)
        self.assertEqual([(n["path"], n["content_type"]) for n in nodes],
                         [("0", "multipart/mixed"), ("0.1", "multipart/alternative"),
                          ("0.1.1", "text/plain"), ("0.1.2", "text/html"), ("0.2", "text/csv")])
        self.assertIsNone(nodes[0]["sha256"])
        self.assertIsNone(nodes[0]["size"])
        self.assertEqual(nodes[2]["charset"], "utf-8")
        csv = nodes[4]
        expected = b"name,role\r\nAda,engineer\r\nGrace,admiral\r\n"
        self.assertEqual(csv["filename"], "\u00e9quipe.csv")
        self.assertEqual(csv["disposition"], "attachment")
        self.assertEqual(csv["size"], len(expected))
        self.assertEqual(csv["sha256"], hashlib.sha256(expected).hexdigest())

    def test_lf_message_with_raw_latin1_header_and_no_mime(self):
        raw = (b"From: Andr\xe9 <andre@example.org>\nSubject: caf\xe9\n"
               b"Date: Tue, 1 Jul 2003 10:52:37 +0200\n\nbody \xe9\n")
        status, result, _ = show_json("-", stdin=raw)
        self.assertEqual(status, 0)
        got = result["-"]
        self.assertEqual(got["subject"], "caf\u00e9")
        self.assertEqual(got["from"], [{"name": "Andr\u00e9", "addr": "andre@example.org"}])
        self.assertEqual(got["date_utc"], "2003-07-01T08:52:37Z")
        self.assertIsNone(got["message_id"])
        self.assertEqual(got["mime"][0]["content_type"], "text/plain")
        self.assertEqual(got["mime"][0]["size"], len(b"body \xe9\n"))
        self.assertEqual(got["text_plain"], "body \u00e9\n")

    def test_forwarded_message_is_one_child(self):
        raw = (b"Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
               b"Subject: inner\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\nhi\r\n")
        nodes = show_json("-", stdin=raw)[1]["-"]["mime"]
        self.assertEqual([(n["path"], n["content_type"], n["charset"]) for n in nodes],
                         [("0", "message/rfc822", None), ("0.1", "text/plain", "iso-8859-1")])
        self.assertIsNone(nodes[0]["sha256"])

    def test_missing_file_reported_and_others_shown(self):
        path = os.path.join(MESSAGES, "welcome.eml")
        status, result, stderr = show_json("/nonexistent/message.eml", path)
        self.assertEqual(status, 1)
        self.assertIn("/nonexistent/message.eml", stderr)
        self.assertIn(path, result)

    def test_human_view(self):
        path = os.path.join(MESSAGES, "welcome.eml")
        out = subprocess.run([PIGEON, "show", path], stdout=subprocess.PIPE, check=True).stdout
        text = out.decode()
        self.assertIn("Subject: Welcome to pigeon \U0001F426 (a sample message)", text)
        self.assertIn("text/csv", text)
        self.assertIn("Hello!", text)

    def test_hostile_input_does_not_crash(self):
        nested = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n" + (
            b"--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" * 5000)
        with tempfile.NamedTemporaryFile(suffix=".eml") as f:
            f.write(nested)
            f.flush()
            status, result, _ = show_json(f.name)
        self.assertEqual(status, 0)
        self.assertLessEqual(len(result[f.name]["mime"]), 10001)


if __name__ == "__main__":
    PIGEON, MESSAGES = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)

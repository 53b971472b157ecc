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


def show_raw(raw):
    status, result, stderr = show_json("-", stdin=raw)
    if status != 0:
        raise AssertionError("pigeon show failed: " + stderr)
    return result["-"]


def tree(got):
    return [(n["path"], n["content_type"]) for n in got["mime"]]


class TrickyMessages(unittest.TestCase):
    """Real-world oddities, each with the reading a careful mail reader gives."""

    def test_encoded_words_split_inside_a_character(self):
        # "日本" in UTF-8 is e6 97 a5 e6 9c ac; the first word ends inside the second character.
        got = show_raw(b"Subject: =?utf-8?B?5pel5g==?= =?utf-8?B?nKw=?=\n\nx")
        got2 = show_raw(b"Subject: =?UTF-8?Q?=E6=97=A5=E6?=\n =?UTF-8?Q?=9C=AC?= end\n\nx")
        self.assertEqual(got2["subject"], "\u65e5\u672c end")
        self.assertEqual(got["subject"], "\u65e5\u672c")

    def test_encoded_word_whitespace_rules(self):
        got = show_raw(b"Subject: (=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=) "
                       b"=?iso-8859-1?q?caf=e9?= plain =?utf-8?q?x?=\n\nx")
        self.assertEqual(got["subject"], "(ab) caf\u00e9 plain x")

    def test_rfc2231_continued_filename_with_charset(self):
        raw = (b"Content-Type: multipart/mixed; boundary=b\n\n--b\n"
               b"Content-Type: application/octet-stream\n"
               b"Content-Disposition: attachment;\n filename*0*=utf-8'de'%C3%BCber%20;\n"
               b" filename*1=\"lang.txt\"\n\ndata\n--b--\n")
        got = show_raw(raw)
        self.assertEqual(got["mime"][1]["filename"], "\u00fcber lang.txt")
        self.assertEqual(got["mime"][1]["size"], 4)

    def test_encoded_word_in_quoted_filename(self):
        raw = (b"Content-Type: multipart/mixed; boundary=b\n\n--b\n"
               b"Content-Type: application/pdf; name=\"=?UTF-8?B?w6lsw6hyZS5wZGY=?=\"\n\n%PDF\n--b--\n")
        self.assertEqual(show_raw(raw)["mime"][1]["filename"], "\u00e9l\u00e8re.pdf")

    def test_missing_final_boundary(self):
        raw = (b"Content-Type: multipart/mixed; boundary=zz\n\npreamble\n--zz\n\none\n--zz\n"
               b"Content-Type: text/html\n\n<p>two</p>\n")
        got = show_raw(raw)
        self.assertEqual(tree(got), [("0", "multipart/mixed"), ("0.1", "text/plain"),
                                     ("0.2", "text/html")])
        self.assertEqual(got["text_plain"], "one")

    def test_prefix_boundaries_of_nested_multiparts(self):
        raw = (b"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
               b"Content-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\n\nplain\n"
               b"--b1\nContent-Type: text/html\n\nhtml\n--b1--\n--b\n"
               b"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw==\n--b--\n")
        got = show_raw(raw)
        self.assertEqual(tree(got), [("0", "multipart/mixed"), ("0.1", "multipart/alternative"),
                                     ("0.1.1", "text/plain"), ("0.1.2", "text/html"),
                                     ("0.2", "image/png")])
        self.assertEqual(got["mime"][4]["size"], 4)
        self.assertEqual(got["text_plain"], "plain")

    def test_base64_with_garbage_and_qp_with_bad_escapes(self):
        raw = (b"Content-Type: multipart/mixed; boundary=b\n\n--b\n"
               b"Content-Transfer-Encoding: base64\nContent-Type: application/octet-stream\n\n"
               b"aGVs bG8*g\n d29y\tbGQ=\n--b\n"
               b"Content-Transfer-Encoding: Quoted-Printable\n\nsoft=\nbreak =ZZ=3d=3D end\n--b--\n")
        got = show_raw(raw)
        self.assertEqual(got["mime"][1]["sha256"], hashlib.sha256(b"hello world").hexdigest())
        self.assertEqual(got["text_plain"], "softbreak =ZZ== end")

    def test_obsolete_dates(self):
        cases = {
            b"Date: 26 Aug 76 14:29 EDT": "1976-08-26T18:29:00Z",
            b"Date: Thu,\n      13\n        Feb\n          1969\n      23:32\n"
            b"               -0330 (Newfoundland Time)": "1969-02-14T03:02:00Z",
            b"Date: Tue Jun  2 12:34:56 2009": "2009-06-02T12:34:56Z",
            b"Date: not a date at all": None,
        }
        for header, expected in cases.items():
            self.assertEqual(show_raw(header + b"\n\nx")["date_utc"], expected, header)

    def test_groups_comments_and_routes(self):
        got = show_raw(b"To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;, "
                       b"Mary Smith <@node.test:mary@example.net>, jdoe@example.org (John Doe)\n"
                       b"To: \"Joe Q. Public\" <john.q.public@example.com>\n"
                       b"Cc: Undisclosed recipients:;\n\nx")
        self.assertEqual(got["to"], [
            {"name": "Ed Jones", "addr": "c@a.test"}, {"name": "", "addr": "joe@where.test"},
            {"name": "John", "addr": "jdoe@one.test"},
            {"name": "Mary Smith", "addr": "mary@example.net"},
            {"name": "", "addr": "jdoe@example.org"},
            {"name": "Joe Q. Public", "addr": "john.q.public@example.com"}])
        self.assertEqual(got["cc"], [])

    def test_base64_encoded_forwarded_message(self):
        import base64
        inner = b"Subject: inner\r\n\r\nhello\r\n"
        raw = (b"Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
               + base64.encodebytes(inner))
        got = show_raw(raw)
        self.assertEqual(tree(got), [("0", "message/rfc822"), ("0.1", "text/plain")])
        self.assertEqual(got["text_plain"], "hello\r\n")

    def test_iso_2022_jp_body_and_subject(self):
        raw = (b"Subject: =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=\nContent-Type: text/plain; "
               b"charset=iso-2022-jp\n\n\x1b$BF|K\\8l\x1b(B\n")
        got = show_raw(raw)
        self.assertEqual(got["subject"], "\u65e5\u672c\u8a9e")
        self.assertEqual(got["text_plain"], "\u65e5\u672c\u8a9e\n")

    def test_header_without_body_and_empty_input(self):
        self.assertEqual(show_raw(b"Subject: only a header")["subject"], "only a header")
        empty = show_raw(b"")
        self.assertIsNone(empty["subject"])
        self.assertEqual(tree(empty), [("0", "text/plain")])
        self.assertEqual(empty["mime"][0]["size"], 0)

    def test_invalid_content_type_is_text_plain(self):
        got = show_raw(b"Content-Type: garbage\n\nbody")
        self.assertEqual(tree(got), [("0", "text/plain")])
        self.assertEqual(got["text_plain"], "body")

    def test_nul_and_invalid_utf8_bytes_in_text(self):
        got = show_raw(b"Content-Type: text/plain; charset=utf-8\n\na\x00b\xff\xfec")
        self.assertEqual(got["text_plain"], "a\x00b\ufffd\ufffdc")

if __name__ == "__main__":
    PIGEON, MESSAGES = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)

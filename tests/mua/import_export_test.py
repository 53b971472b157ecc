#!/usr/bin/python3
"""End-to-end test of `pigeon import` and `pigeon export`: runs the real binary on mbox files
and Maildirs built here (From-quoting traps, CRLF, 8-bit bytes, flags), and checks counts,
idempotence, byte-identical round trips, flags, errors and a clean stop on SIGINT.

usage: import_export_test.py PIGEON_BINARY
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

PIGEON = None
FROM_LINE = b"From sender@example.org Mon Jan  1 00:00:00 2024\n"
SUMMARY = re.compile(r"(interrupted: )?imported ([\d,]+) messages into (\S+) "
                     r"\(([\d,]+) duplicates skipped, ([\d,]+) errors\)")
QUOTED = re.compile(rb"^>*From ")


def mboxrd(messages, from_line=FROM_LINE):
    """The mboxrd file of `messages` (each ends with a line end)."""
    out = []
    for message in messages:
        out.append(from_line)
        for line in message.splitlines(keepends=True):
            out.append(b">" + line if QUOTED.match(line) else line)
        out.append(b"\n")
    return b"".join(out)


def parse_mboxrd(data):
    """Messages of an mboxrd file as written by pigeon: From_ lines start messages (at the
    start or after an empty line), one '>' is removed from /^>+From /, separators dropped."""
    messages, current, previous_blank = [], None, True
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and previous_blank:
            if current is not None:
                messages.append(b"".join(current)[:-1])  # the separator line
            current = []
        elif re.match(rb"^>+From ", line):
            current.append(line[1:])
        else:
            current.append(line)
        previous_blank = line == b"\n"
    if current is not None:
        messages.append(b"".join(current)[:-1])
    return messages


MBOX_MESSAGES = [
    b"Message-ID: <quoting@example.org>\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n"
    b"From: Ada <ada@example.org>\nSubject: quoting\n\nFirst line\n\nFrom me\n"
    b">From x\n>>From y\nFrom the end\n",
    b"Message-ID: <crlf@example.org>\r\nDate: Wed, 3 Jan 2024 10:00:00 +0000\r\n"
    b"From: crlf@example.org\r\nSubject: crlf\r\n\r\nline one\r\n\r\nFrom here\r\n",
    b"Message-ID: <8bit@example.org>\nDate: Thu, 4 Jan 2024 10:00:00 +0000\n"
    b"From: Andr\xe9 <andre@example.org>\nSubject: caf\xe9\n\nna\xefve \xff\xfe bytes\n",
    b"From: nobody@example.org\nSubject: no message id, no date\n\nplain\n",
    b"this is not a header\nnor: is\x00this\n\n\n>From garbage\n",
    b"Message-ID: <status@example.org>\nDate: Fri, 5 Jan 2024 10:00:00 +0000\n"
    b"From: s@example.org\nSubject: flagged\nStatus: RO\nX-Status: AF\n\nread, replied\n",
]
# Maildir file name → bytes; the flags are in the names.
MAILDIR_FILES = {
    "cur/1700000000.M1P1Q1.host:2,FS":
        b"Message-ID: <md1@example.org>\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n"
        b"Subject: seen flagged\n\nFrom a body line\n>From another\n",
    "cur/1700000001.M2P1Q2.host:2,RT":
        b"Message-ID: <md2@example.org>\r\nSubject: replied trashed\r\n\r\nbody\r\n",
    "new/1700000002.M3P1Q3.host":
        b"Message-ID: <md3@example.org>\nSubject: new\n\n\xe9t\xe9\n",
}


class Pigeon:
    """The binary on one store."""

    def __init__(self, root, name="store"):
        self.store = os.path.join(root, name, "pigeon.db")

    def run(self, *args, stdin=None):
        done = subprocess.run([PIGEON, "--store", self.store, *args], input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")

    def folders(self):
        status, out, err = self.run("folders")
        assert status == 0, err
        counts = {}
        for line in out.decode().splitlines()[1:]:
            name, total, unread = line.split()
            counts[name] = (int(total), int(unread))
        return counts


def summary(stderr):
    match = SUMMARY.search(stderr)
    assert match, stderr
    return tuple(int(match.group(i).replace(",", "")) for i in (2, 4, 5))


def read_maildir(root):
    """{bytes: info suffix} of every message file of a Maildir ("" for new/)."""
    found = {}
    for sub in ("cur", "new"):
        for name in os.listdir(os.path.join(root, sub)):
            with open(os.path.join(root, sub, name), "rb") as f:
                data = f.read()
            found[data] = name.split(":2,")[1] if ":2," in name else ("" if sub == "new" else "?")
    return found


class ImportExport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        self.pigeon = Pigeon(self.root)
        self.mbox = self.write("in.mbox", mboxrd(MBOX_MESSAGES))
        self.maildir = os.path.join(self.root, "in.maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(self.maildir, sub))
        for name, data in MAILDIR_FILES.items():
            self.write(os.path.join("in.maildir", name), data)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.root, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def import_both(self):
        status, _, err = self.pigeon.run("import", self.mbox, "--folder", "mb")
        self.assertEqual(status, 0, err)
        self.assertEqual(summary(err), (6, 0, 0))
        status, _, err = self.pigeon.run("import", self.maildir, "--folder", "md")
        self.assertEqual(status, 0, err)
        self.assertEqual(summary(err), (3, 0, 0))

    def export(self, folder, fmt, dest, *extra):
        path = os.path.join(self.root, dest)
        status, _, err = self.pigeon.run("export", "--folder", folder, "--format", fmt, path,
                                         *extra)
        self.assertEqual(status, 0, err)
        return path

    def test_counts_and_idempotence(self):
        self.import_both()
        counts = self.pigeon.folders()
        self.assertEqual(counts["mb"], (6, 5))  # only the Status: R message is read
        self.assertEqual(counts["md"], (3, 2))  # new/ and :2,RT are unread
        for path, folder, n in ((self.mbox, "mb", 6), (self.maildir, "md", 3)):
            status, _, err = self.pigeon.run("import", path, "--folder", folder)
            self.assertEqual(status, 0, err)
            self.assertEqual(summary(err), (0, n, 0))
            self.assertIn(f"{n} duplicates skipped", err)
        self.assertEqual(self.pigeon.folders(), counts)

    def test_mbox_round_trip(self):
        self.import_both()
        exported = self.export("mb", "mbox", "out.mbox")
        with open(exported, "rb") as f:
            data = f.read()
        for quoted in (b"\n>From me\n", b"\n>>From x\n", b"\n>>>From y\n", b"\n>From here\r\n"):
            self.assertIn(quoted, data)
        self.assertEqual(sorted(parse_mboxrd(data)), sorted(MBOX_MESSAGES))
        self.assertEqual(data.count(b"\nFrom ") + data.startswith(b"From "), 6)
        as_maildir = read_maildir(self.export("mb", "maildir", "out.maildir"))
        self.assertEqual(sorted(as_maildir), sorted(MBOX_MESSAGES))
        self.assertEqual(as_maildir[MBOX_MESSAGES[5]], "FRS")
        self.assertEqual({as_maildir[m] for m in MBOX_MESSAGES[:5]}, {""})

    def test_maildir_round_trip_keeps_flags(self):
        self.import_both()
        expected = {data: name.split(":2,")[1] if ":2," in name else ""
                    for name, data in MAILDIR_FILES.items()}
        self.assertEqual(read_maildir(self.export("md", "maildir", "out.maildir")), expected)
        with open(self.export("md", "mbox", "out.mbox"), "rb") as f:
            self.assertEqual(sorted(parse_mboxrd(f.read())), sorted(expected))

    def test_export_reimported_elsewhere_is_identical(self):
        self.import_both()
        exported = self.export("mb", "mbox", "out.mbox")
        other = Pigeon(self.root, "other")
        status, _, err = other.run("import", exported)
        self.assertEqual(status, 0, err)
        self.assertEqual(other.folders()["INBOX"], (6, 5))  # Status lines travel in the bytes
        back = os.path.join(self.root, "back.maildir")
        status, _, err = other.run("export", "--folder", "inbox", "--format", "maildir", back)
        self.assertEqual(status, 0, err)
        self.assertEqual(sorted(read_maildir(back)), sorted(MBOX_MESSAGES))

    def test_existing_mbox_needs_append(self):
        self.import_both()
        exported = self.export("md", "mbox", "out.mbox")
        status, _, err = self.pigeon.run("export", "--folder", "md", exported)
        self.assertEqual(status, 1)
        self.assertIn(exported, err)
        self.assertIn("already exists", err)
        self.export("md", "mbox", "out.mbox", "--append")
        with open(exported, "rb") as f:
            self.assertEqual(len(parse_mboxrd(f.read())), 6)

    def test_mboxo_and_mboxcl2(self):
        mboxo = self.write("o.mbox", FROM_LINE + b"Subject: s\n\n>>From kept\n>From one\n\n")
        status, _, err = self.pigeon.run("import", "--mbox-format", "mboxo", mboxo, "--folder", "o")
        self.assertEqual(status, 0, err)
        cl2_messages = [b"Content-Length: 21\nSubject: a\n\nhi\n\nFrom inside body\n",
                        b"Content-Length: 3\nSubject: b\n\nyo\n"]
        cl2 = self.write("cl2.mbox", b"".join(FROM_LINE + m + b"\n" for m in cl2_messages))
        status, _, err = self.pigeon.run("import", cl2, "--folder", "cl2")  # sniffed
        self.assertEqual(status, 0, err)
        self.assertEqual(summary(err), (2, 0, 0))
        got = read_maildir(self.export("cl2", "maildir", "cl2.maildir"))
        self.assertEqual(sorted(got), sorted(cl2_messages))
        got = read_maildir(self.export("o", "maildir", "o.maildir"))
        self.assertEqual(list(got), [b"Subject: s\n\n>>From kept\nFrom one\n"])

    def test_missing_file_and_garbage(self):
        missing = os.path.join(self.root, "no-such.mbox")
        garbage = self.write("garbage.mbox", b"not an mbox at all\n\n" + mboxrd(MBOX_MESSAGES[:1]))
        status, _, err = self.pigeon.run("import", missing, garbage, self.maildir)
        self.assertEqual(status, 1, err)
        self.assertIn(missing, err)
        self.assertRegex(err, re.escape(garbage) + r": byte 0: skipped \d+ bytes")
        self.assertEqual(summary(err), (4, 0, 2))  # the others are imported anyway
        self.assertEqual(self.pigeon.folders()["INBOX"], (4, 3))
        status, _, err = self.pigeon.run("import", self.root)
        self.assertEqual(status, 1)
        self.assertIn("not a Maildir", err)

    def test_interrupted_import_keeps_what_was_committed(self):
        total = 20000
        messages = [b"Message-ID: <%d@big.example>\nSubject: message %d\n\nbody %d\n" % (i, i, i)
                    for i in range(total)]
        data = mboxrd(messages)
        big = self.write("big.mbox", data)
        head = len(mboxrd(messages[:5000]))
        process = subprocess.Popen([PIGEON, "--store", self.pigeon.store, "import", "-",
                                    "--folder", "big"], stdin=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        process.stdin.write(data[:head])
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while self.pigeon.folders().get("big", (0, 0))[0] == 0:  # a batch is committed
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        for step in (lambda: process.stdin.write(data[head:]), process.stdin.close):
            try:
                step()
            except BrokenPipeError:
                pass  # it stopped before reading everything: what the test wants
        err = process.stderr.read().decode()
        process.stderr.close()
        self.assertEqual(process.wait(), 130, err)
        self.assertIn("interrupted: imported", err)
        committed = summary(err)[0]
        self.assertTrue(0 < committed < total, err)
        self.assertEqual(self.pigeon.folders()["big"], (committed, committed))
        status, _, err = self.pigeon.run("import", big, "--folder", "big")
        self.assertEqual(status, 0, err)
        self.assertEqual(summary(err), (total - committed, committed, 0))
        self.assertEqual(self.pigeon.folders()["big"], (total, total))


if __name__ == "__main__":
    PIGEON = os.path.abspath(sys.argv[1])
    unittest.main(argv=sys.argv[:1])

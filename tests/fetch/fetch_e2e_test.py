#!/usr/bin/python3
"""End-to-end test of `pigeon fetch` against a real Dovecot on loopback (dovecot_harness.py):
first fetch, incremental fetch, folder mapping, STARTTLS, a wrong password and a certificate
that does not verify (each one clear line, the other accounts still fetched), the warning
about a password in a file others can read, a UIDVALIDITY change, the server stopped in the
middle of a fetch, and the progress line on a terminal.

usage: fetch_e2e_test.py PIGEON_BINARY
"""
import json
import os
import pty
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dovecot_harness import Dovecot  # noqa: E402

PIGEON = None


def mail(n, folder="INBOX"):
    return (f"From: Sender {n} <sender{n}@example.org>\r\nTo: ada@example.org\r\n"
            f"Subject: {folder} message {n}\r\nMessage-ID: <{folder}.{n}@example.org>\r\n"
            f"Date: Mon, 1 Jan 2024 10:00:{n % 60:02d} +0000\r\n\r\nbody of {n}\r\n").encode()


def split_mboxrd(data):
    """The messages of an mboxrd export (From_ lines start them, a blank line ends them)."""
    messages, current = [], None
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and (current is None or current[-1:] == [b"\n"]):
            if current is not None:
                messages.append(b"".join(current[:-1]))
            current = []
        else:
            current.append(line)
    if current is not None:
        messages.append(b"".join(current[:-1]))
    return messages


class FetchTest(unittest.TestCase):
    def setUp(self):
        # A server of its own per test: each starts from an empty mailbox.
        self.server = Dovecot().start()
        self.addCleanup(self.server.close)
        self.temp = tempfile.TemporaryDirectory(prefix="pigeon-fetch-e2e-")
        self.dir = self.temp.name
        self.store = os.path.join(self.dir, "pigeon.db")
        self.config = os.path.join(self.dir, "pigeon.conf")

    def tearDown(self):
        self.temp.cleanup()

    def account(self, name, url, password=None, ca=True, extra=""):
        s = self.server
        return (f'[[fetch]]\nname = "{name}"\nurl = "{url}"\nuser = "{s.user}"\n'
                f'password = "{password if password is not None else s.password}"\n'
                + (f'ca_file = "{s.ca_file}"\n' if ca else "") + extra)

    def write_config(self, *accounts, mode=0o600):
        with open(self.config, "w") as f:
            f.write(f'owner = "ada@example.org"\nstore = "{self.store}"\n\n')
            f.write("\n".join(accounts))
        os.chmod(self.config, mode)

    def fetch(self, *names):
        return subprocess.run([PIGEON, "-C", self.config, "fetch", *names], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)

    def stored(self, folder="INBOX"):
        out = subprocess.run([PIGEON, "--store", self.store, "export", "--folder", folder, "-"],
                             capture_output=True, timeout=60, check=True).stdout
        return split_mboxrd(out)

    def imaps(self):
        return f"imaps://127.0.0.1:{self.server.imaps_port}"

    def test_first_and_incremental_fetch(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.server.deliver(mail(1, "Archive"), folder="Archive")
        self.write_config(self.account("home", self.imaps(),
                                       extra='folders = { INBOX = "INBOX", Archive = "old" }\n'))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertRegex(result.stdout,
                         rf"^home: 4 new messages \(0\.0 MB\) from {re.escape(self.imaps())}\n$")
        inbox = self.stored()
        self.assertEqual(sorted(m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in inbox),
                         [b"INBOX message 1", b"INBOX message 2", b"INBOX message 3"])
        for message in inbox:
            self.assertTrue(message.startswith(
                b"Received: from 127.0.0.1 (account home)\r\n\tby "), message[:200])
            self.assertIn(b"(pigeon fetch) with IMAPS\r\n\tid ", message)
            self.assertEqual(message.count(b"Received: "), 1)
            # The message itself follows, byte for byte as the server had it.
            self.assertTrue(any(message.endswith(mail(n)) for n in range(1, 4)))
        self.assertEqual(len(self.stored("old")), 1)

        # Nothing new: nothing fetched, nothing duplicated.
        again = self.fetch()
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertRegex(again.stdout, r"^home: 0 new messages")
        self.assertEqual(len(self.stored()), 3)
        # --quiet (as pigeond runs it): nothing new, nothing said.
        quiet = self.fetch("--quiet")
        self.assertEqual((quiet.returncode, quiet.stdout, quiet.stderr), (0, "", ""))

        # New mail: only it is fetched.
        self.server.deliver(mail(4))
        self.server.deliver(mail(5))
        more = self.fetch("-q", "home")
        self.assertEqual(more.returncode, 0, more.stderr)
        self.assertRegex(more.stdout, r"^home: 2 new messages")
        subjects = sorted(m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in self.stored())
        self.assertEqual(subjects, [b"INBOX message %d" % n for n in range(1, 6)])

    def test_keep_false_deletes_on_the_server_after_storing(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.write_config(self.account("home", self.imaps(), extra="keep = false\n"))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^home: 3 new messages \(0\.0 MB\), 3 deleted on the "
                                        r"server from ")
        self.assertEqual(len(self.stored()), 3)
        self.assertEqual(self.server.messages(), [])
        self.server.deliver(mail(4))
        again = self.fetch()
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertRegex(again.stdout, r"^home: 1 new message \(0\.0 MB\), 1 deleted on the ")
        self.assertEqual(len(self.stored()), 4)
        self.assertEqual(self.server.messages(), [])

    def test_pop3_by_uidl_with_tls_stls_and_delete(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.write_config(
            self.account("pop", f"pop3s://127.0.0.1:{self.server.pop3s_port}",
                         extra='folders = { INBOX = "pop" }\n'),
            self.account("stls", f"pop3://127.0.0.1:{self.server.pop3_port}",
                         extra='folders = { INBOX = "stls" }\n'))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^pop: 3 new messages .* from pop3s://.*\n"
                                        r"stls: 3 new messages .* from pop3://")
        stored = self.stored("pop")
        self.assertEqual(len(stored), 3)
        for message in stored:
            self.assertTrue(message.startswith(b"Received: from 127.0.0.1 (account pop)\r\n"))
            self.assertIn(b"(pigeon fetch) with POP3S\r\n", message)
            self.assertTrue(any(message.endswith(mail(n)) for n in range(1, 4)), message)
        # Incremental by UIDL.
        self.server.deliver(mail(4))
        again = self.fetch("pop")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertRegex(again.stdout, r"^pop: 1 new message ")
        self.assertEqual(len(self.stored("pop")), 4)
        # keep = false: stored messages leave the server, nothing is stored twice.
        self.write_config(self.account("pop", f"pop3s://127.0.0.1:{self.server.pop3s_port}",
                                       extra='folders = { INBOX = "pop" }\nkeep = false\n'))
        self.server.deliver(mail(5))
        deleting = self.fetch()
        self.assertEqual(deleting.returncode, 0, deleting.stderr)
        self.assertRegex(deleting.stdout, r"^pop: 1 new message .*, 5 deleted on the server")
        self.assertEqual(self.server.messages(), [])
        self.assertEqual(len(self.stored("pop")), 5)

    def test_failures_are_one_line_per_account_and_the_others_go_on(self):
        self.server.deliver(mail(10))
        wrong = self.account("wrong", self.imaps(), password="not it")
        untrusted = self.account("untrusted", f"imaps://localhost:{self.server.imaps_port}",
                                 ca=False)
        starttls = self.account("plain", f"imap://127.0.0.1:{self.server.imap_port}",
                                extra='folders = { INBOX = "via-starttls" }\n')
        self.write_config(wrong, untrusted, starttls)
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertEqual(lines[0],
                         f"pigeon fetch: wrong: 127.0.0.1:{self.server.imaps_port}: login failed "
                         f"for user {self.server.user} (wrong user or password?)")
        self.assertTrue(lines[1].startswith(
            f"pigeon fetch: untrusted: localhost:{self.server.imaps_port}: certificate of "
            "localhost not trusted: "), lines[1])
        self.assertRegex(result.stdout, r"^plain: \d+ new messages? .* from imap://")
        stored = self.stored("via-starttls")
        self.assertGreaterEqual(len(stored), 1)
        self.assertIn(b"(pigeon fetch) with IMAPS", stored[0])

        # Only the named account runs; an unknown name fetches nothing.
        only = self.fetch("plain")
        self.assertEqual(only.returncode, 0, only.stderr)
        unknown = self.fetch("plain", "nope")
        self.assertEqual(unknown.returncode, 1)
        self.assertEqual(unknown.stderr, f"pigeon fetch: no account named nope in {self.config}\n")
        self.assertEqual(unknown.stdout, "")

    def test_password_in_a_readable_file_is_warned_about(self):
        self.write_config(self.account("home", self.imaps()), mode=0o644)
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stderr,
            f"pigeon fetch: warning: {self.config} holds the password of account home and "
            f"others can read it (chmod 600 {self.config}, or use password_command)\n")

    def test_password_command(self):
        self.server.deliver(mail(20))
        account = self.account("home", self.imaps()).replace(
            f'password = "{self.server.password}"',
            f"password_command = \"printf '%s\\\\n' '{self.server.password}'\"")
        self.write_config(account, mode=0o644)  # no password in the file: no warning
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        failing = self.account("home", self.imaps()).replace(
            f'password = "{self.server.password}"', 'password_command = "exit 3"')
        self.write_config(failing)
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr,
                         "pigeon fetch: home: password_command: failed (exit status 3)\n")

    def test_a_folder_with_a_non_ascii_name(self):
        # Dovecot keeps the name in modified UTF-7 on disk, as IMAP names it on the wire.
        self.server.deliver(mail(1, "Entw\u00fcrfe"), folder="Entw&APw-rfe")
        self.write_config(self.account("home", self.imaps(),
                                       extra='folders = { "Entw\u00fcrfe" = "drafts" }\n'))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^home: 1 new message ")
        self.assertEqual(len(self.stored("drafts")), 1)

    def test_a_new_uidvalidity_refetches_without_duplicates(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.write_config(self.account("home", self.imaps()))
        first = self.fetch()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertRegex(first.stdout, r"^home: 3 new messages")

        # The server forgets its UIDs (a rebuilt index, a restored mailbox); one new message.
        self.server.change_uidvalidity()
        self.server.deliver(mail(4))
        after = self.fetch()
        self.assertEqual(after.returncode, 0, after.stderr)
        self.assertRegex(after.stdout, r"^home: 1 new message \(.*\), 3 already stored from ")
        subjects = sorted(m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in self.stored())
        self.assertEqual(subjects, [b"INBOX message %d" % n for n in range(1, 5)])

        # And under the new validity the fetch is incremental again.
        again = self.fetch()
        self.assertRegex(again.stdout, r"^home: 0 new messages \(0\.0 MB\) from ")

    def test_server_stopped_in_the_middle_then_the_next_run_completes(self):
        total = 1500
        filler = "".join(f"line {i}: some text to give the message a realistic size\r\n"
                         for i in range(300))
        for n in range(total):
            self.server.deliver(f"From: s{n}@example.org\r\nSubject: big {n}\r\n"
                                f"Message-ID: <big.{n}@example.org>\r\n\r\n{filler}".encode())
        self.write_config(self.account("home", self.imaps()))
        process = subprocess.Popen([PIGEON, "-C", self.config, "fetch"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        try:
            # Once a first group is stored, hold the fetcher still while the server goes away,
            # so the server is gone before the fetch could end.
            deadline = time.monotonic() + 60
            while self.count_stored() == 0:
                self.assertIsNone(process.poll(), "the fetch ended before storing anything")
                self.assertLess(time.monotonic(), deadline, "nothing stored in 60 s")
                time.sleep(0.01)
            process.send_signal(signal.SIGSTOP)
            self.server.stop()
            process.send_signal(signal.SIGCONT)
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.assertEqual(process.returncode, 1, out + err)
        self.assertEqual(out, "")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertRegex(lines[0], rf"^pigeon fetch: home: 127\.0\.0\.1:{self.server.imaps_port}: "
                                   r"folder INBOX: .*(closed|reset|cannot receive)")
        stopped_at = self.count_stored()
        self.assertGreater(stopped_at, 0)
        self.assertLess(stopped_at, total)

        self.server.start()
        rest = self.fetch()
        self.assertEqual(rest.returncode, 0, rest.stderr)
        self.assertRegex(rest.stdout, rf"^home: {total - stopped_at} new messages ")
        search = subprocess.run([PIGEON, "--store", self.store, "search", "--json", "--limit",
                                 "100000"], capture_output=True, text=True, check=True).stdout
        subjects = sorted(m["subject"] for m in json.loads(search))
        self.assertEqual(subjects, sorted(f"big {n}" for n in range(total)))

    def test_progress_line_on_a_terminal_only(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.write_config(self.account("home", self.imaps()))
        master, slave = pty.openpty()
        try:
            process = subprocess.Popen([PIGEON, "-C", self.config, "fetch"],
                                       stdout=subprocess.PIPE, stderr=slave,
                                       stdin=subprocess.DEVNULL)
            os.close(slave)
            out = process.communicate(timeout=60)[0].decode()
            terminal = b""
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the last writer is gone
                    break
                if not chunk:
                    break
                terminal += chunk
        finally:
            os.close(master)
        self.assertEqual(process.returncode, 0, terminal)
        self.assertRegex(out, r"^home: 3 new messages")
        text = terminal.decode()
        # A line for the account, redrawn in place, then erased before the summary.
        self.assertRegex(text, r"^\rhome: \d+ messages \(\d+%\)")
        self.assertTrue(text.endswith("\r" + " " * 79 + "\r"), repr(text))

    def test_sigterm_stops_a_fetch_waiting_on_a_silent_server_at_once(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        self.addCleanup(silent.close)
        self.write_config(self.account("silent", f"imaps://127.0.0.1:{silent.getsockname()[1]}"))
        process = subprocess.Popen([PIGEON, "-C", self.config, "fetch", "--timeout", "60"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   stdin=subprocess.DEVNULL)
        # Connected: the TLS handshake now waits for a server that never answers.
        connection, _ = silent.accept()
        self.addCleanup(connection.close)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        self.assertLess(time.monotonic() - started, 5.0)
        self.assertEqual(process.returncode, 130, err)
        self.assertEqual(err, "pigeon fetch: silent: interrupted\n")
        self.assertEqual(out, "")

    def count_stored(self):
        if not os.path.exists(self.store):
            return 0
        try:
            with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True, timeout=5) as db:
                return db.execute("SELECT count(*) FROM messages").fetchone()[0]
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0



if __name__ == "__main__":
    PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""End-to-end tests of the sendmail-compatible programs (sendmail, mailq, newaliases,
pigeon-sendmail): the sendmail(1) command-line contract, what lands in the store (folders and
outgoing queue, byte by byte), exit statuses (sysexits), the mailq listing, newaliases, and
real callers configured to use this sendmail: git send-email, BSD mailx, neomutt, cron's flags
and Python's smtplib over `sendmail -bs`.

Every test runs in a fresh directory with its own pigeon.conf, aliases file and store. Without
--pigeond, sendmail writes the store itself; with it, every site also runs pigeond (as nobody)
and sendmail hands messages to it over the submission socket: the same contract must hold.
Needs root (runs sendmail and pigeond as nobody).

usage: sendmail_e2e_test.py BUILD_MTA_DIR [--pigeond PIGEOND]
"""
import base64
import email
import email.policy
import email.utils
import hashlib
import os
import pwd
import re
import shutil
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

MTA_DIR = None
PIGEOND = None  # with --pigeond: each site runs pigeond, and sendmail hands messages to it
OWNER = "ada@example.org"
ALIASES = ("team: ada, +team\n"
           "lists: +lists\n"
           "friend: fritz@elsewhere.example\n")
# Return-Path (local copies only) and the Received field sendmail adds.
TRACE = re.compile(rb"^(?:Return-Path: <([^>\r\n]*)>\r\n)?"
                   rb"Received: by mx\.example\.org \(pigeon, from userid \d+\)\r\n"
                   rb"\tid ([0-9A-Z]+); [^\r\n]+\r\n")
FULL_HEADER = ("From: Zed <zed@remote.example>\n"
               "To: Ada <ada@example.org>\n"
               "Subject: {subject}\n"
               "Date: Sun, 29 Nov 2026 08:00:00 +0000\n"
               "Message-ID: <{subject}@remote.example>\n")


def program(name):
    return os.path.join(MTA_DIR, name)


def crlf(data):
    """What the store keeps of LF or CRLF input: CRLF line ends, a final one added."""
    data = re.sub(rb"\r?\n", b"\r\n", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def untraced(raw):
    """(return_path or None, queue id, the message after the trace fields)."""
    match = TRACE.match(raw)
    if not match:
        raise AssertionError("no sendmail trace fields at the top: " + repr(raw[:300]))
    path = match.group(1).decode() if match.group(1) is not None else None
    return path, match.group(2).decode(), raw[match.end():]


class Site:
    """A private directory with pigeon.conf, an aliases file and (once used) a store."""

    def __init__(self, extra_smtpd="", directory=None):
        self.dir = directory or tempfile.mkdtemp(prefix="sendmail-e2e-")
        self.store = os.path.join(self.dir, "pigeon.db")
        self.aliases = os.path.join(self.dir, "aliases")
        with open(self.aliases, "w") as out:
            out.write(ALIASES)
        self.config = os.path.join(self.dir, "pigeon.conf")
        self.write_config(self.config, self.store, extra_smtpd)
        self.pigeond = None
        if PIGEOND:
            self.start_pigeond()

    def write_config(self, path, store, extra_smtpd=""):
        daemon = ""
        if PIGEOND:
            # pigeond's own listener on a free port, its queue runner looking up no one.
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            daemon = (f'listen = ["127.0.0.1:{port}"]\nuser = "nobody"\n')
        with open(path, "w") as out:
            out.write(f'owner = "{OWNER}"\nowner_name = "Ada Lovelace"\nstore = "{store}"\n'
                      f'[smtpd]\nhostname = "mx.example.org"\nlocal_domains = ["example.org"]\n'
                      f'aliases_file = "{self.aliases}"\n{daemon}{extra_smtpd}\n'
                      + ('[delivery]\ndns_servers = ["127.0.0.1:9"]\n' if PIGEOND else ""))

    def start_pigeond(self):
        nobody = pwd.getpwnam("nobody")
        os.chmod(self.dir, 0o755)
        for name in [self.dir] + [os.path.join(self.dir, n) for n in os.listdir(self.dir)]:
            os.chown(name, nobody.pw_uid, nobody.pw_gid)
        self.pigeond_log = open(os.path.join(self.dir, "pigeond.log"), "w+")
        self.pigeond = subprocess.Popen([PIGEOND, "-f", "-C", self.config],
                                        stdout=self.pigeond_log, stderr=subprocess.STDOUT)
        socket_path = self.store + ".submit"
        deadline = time.monotonic() + 10
        while not os.path.exists(socket_path):
            if self.pigeond.poll() is not None or time.monotonic() > deadline:
                self.pigeond_log.seek(0)
                raise AssertionError("pigeond did not start: " + self.pigeond_log.read())
            time.sleep(0.02)

    def stop_pigeond(self):
        if self.pigeond is None:
            return
        self.pigeond.terminate()
        self.pigeond.wait(timeout=20)
        self.pigeond = None
        self.pigeond_log.close()

    def handed_to_pigeond(self):
        """How many submissions pigeond logged as taken over the socket."""
        with open(os.path.join(self.dir, "pigeond.log")) as log:
            return log.read().count(": submitted by uid ")

    def run(self, *args, input=b"", name="sendmail", config=True, **kwargs):
        command = [program(name)] + (["-C", self.config] if config else []) + list(args)
        return subprocess.run(command, input=input, capture_output=True, timeout=30, **kwargs)

    def _rows(self, sql, params=()):
        if not os.path.exists(self.store):
            return []
        with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True) as db:
            return db.execute(sql, params).fetchall()

    def stored(self, folder="INBOX"):
        """Raw bytes of every message in `folder`, oldest first."""
        rows = self._rows(
            "SELECT b.raw FROM messages m JOIN bodies b ON b.id = m.body_id "
            "JOIN folders f ON f.id = m.folder_id WHERE f.name = ? ORDER BY m.id", (folder,))
        return [bytes(row[0]) for row in rows]

    def folders_with_mail(self):
        rows = self._rows("SELECT DISTINCT f.name FROM messages m "
                          "JOIN folders f ON f.id = m.folder_id")
        return sorted(row[0] for row in rows)

    def message_count(self):
        return self._rows("SELECT count(*) FROM messages")[0][0] if os.path.exists(
            self.store) else 0

    def queue(self):
        """[(queue_id, sender, size, arrived, dsn_ret, envid, [(address, state, notify)], raw)]

        With pigeond running, its queue runner may already have tried a recipient (no name
        server answers here): one in flight or deferred still counts as "queued"."""
        messages = []
        for row in self._rows("SELECT q.id, q.queue_id, q.sender, q.size, q.arrived, q.dsn_ret, "
                              "q.envid, b.raw FROM queue q JOIN bodies b ON b.id = q.body_id "
                              "ORDER BY q.id"):
            recipients = self._rows("SELECT address, state, notify FROM queue_recipients "
                                    "WHERE queue_row = ? ORDER BY id", (row[0],))
            if PIGEOND:
                recipients = [(address, "queued" if state in ("inflight", "deferred") else state,
                               notify) for address, state, notify in recipients]
            messages.append((row[1], row[2], row[3], row[4], row[5], row[6], recipients,
                             bytes(row[7])))
        return messages

    def queue_state(self):
        """Every queue row a failed flush must leave alone, retry schedule included."""
        return self._rows("SELECT q.*, r.* FROM queue q "
                          "JOIN queue_recipients r ON r.queue_row = q.id ORDER BY r.id")


def message(subject, body="Hello.\n", extra=""):
    return (FULL_HEADER.format(subject=subject) + extra + "\n" + body).encode()


class SendmailTest(unittest.TestCase):
    def site(self, **kwargs):
        site = Site(**kwargs)
        self.addCleanup(shutil.rmtree, site.dir, True)
        self.addCleanup(site.stop_pigeond)
        return site

    def assertNothingStored(self, site):
        if PIGEOND:
            self.assertEqual((site.message_count(), site.queue()), (0, []))
        else:
            self.assertFalse(os.path.exists(site.store))

    def assertOk(self, done):
        self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
        self.assertEqual(done.stderr, b"")

    def assertFails(self, done, status, *needles):
        """Exit `status` with one line on stderr holding every needle (usage text aside)."""
        errors = done.stderr.decode(errors="replace")
        self.assertEqual(done.returncode, status, errors)
        first = errors.split("\n")[0]
        self.assertTrue(first.startswith("sendmail: ") or first.startswith("newaliases: ")
                        or first.startswith("mailq: "), errors)
        for needle in needles:
            self.assertIn(needle, first)
        return errors

    def only(self, site, folder="INBOX"):
        stored = site.stored(folder)
        self.assertEqual(len(stored), 1, f"{folder}: {stored!r}")
        return stored[0]

    # --- what lands in the store ---

    def test_lf_and_crlf_input_stored_as_crlf_with_return_path(self):
        site = self.site()
        lf = message("lf", "line one\nline two\n\n-- \nAda\n")
        self.assertOk(site.run(OWNER, input=lf))
        crlf_input = message("crlf", "line one\nline two\n").replace(b"\n", b"\r\n")
        self.assertOk(site.run(OWNER, input=crlf_input))
        mixed = message("mixed", "lf\ncrlf\r\nno end").replace(b"\n", b"\r\n", 2)
        self.assertOk(site.run(OWNER, input=mixed))
        first, second, third = site.stored("INBOX")
        path, queue_id, rest = untraced(first)
        self.assertEqual(path, OWNER)
        self.assertRegex(queue_id, r"^[0-9A-Z]{10,}$")
        self.assertEqual(rest, lf.replace(b"\n", b"\r\n"))
        self.assertEqual(untraced(second)[2], crlf_input)
        self.assertEqual(untraced(third)[2],
                         message("mixed", "lf\ncrlf\nno end\n").replace(b"\n", b"\r\n"))
        self.assertEqual(site.queue(), [])

    def test_eight_bit_and_binary_bytes_preserved(self):
        site = self.site()
        body = (bytes(range(0x80, 0x100)) + b"\n" + b"nul\x00byte\x01\x1b[0m\x7f\n"
                + b"lone\rCR\n" + b"two CRs\r\r\n" + "Grüße, 日本語\n".encode()
                + b"\xff\xfe invalid utf-8 \xc3\x28\n" + b"no final newline \xe9")
        raw = (b"From: =?utf-8?q?Z=C3=A9d?= <zed@remote.example>\nTo: ada@example.org\n"
               + "Subject: Grüße\n".encode() + b"Date: Sun, 29 Nov 2026 08:00:00 +0000\n"
               b"Message-ID: <8bit@remote.example>\n\n" + body)
        self.assertOk(site.run("-oi", OWNER, input=raw))
        self.assertOk(site.run("-oi", "friend@example.org", input=raw))
        _, _, rest = untraced(self.only(site))
        self.assertEqual(rest, crlf(raw))
        (queued,) = site.queue()
        _, _, rest = untraced(queued[7])
        self.assertEqual(rest, crlf(raw))

    def test_dot_ends_input_unless_i_or_oi(self):
        raw = b"Subject: dots\n\nbefore\n..stays doubled\n.\nafter\n"
        site = self.site()
        self.assertOk(site.run(OWNER, input=raw))
        _, _, rest = untraced(self.only(site))
        self.assertTrue(rest.endswith(b"\r\n\r\nbefore\r\n..stays doubled\r\n"), rest)
        self.assertNotIn(b"after", rest)
        for flag in ("-i", "-oi"):
            site = self.site()
            self.assertOk(site.run(flag, OWNER, input=raw))
            _, _, rest = untraced(self.only(site))
            self.assertTrue(rest.endswith(b"\r\n\r\nbefore\r\n..stays doubled\r\n.\r\nafter\r\n"),
                            rest)

    def test_t_reads_to_cc_bcc_and_removes_bcc(self):
        site = self.site()
        raw = (b"From: Zed <zed@remote.example>\n"
               b"To: Ada <ada@example.org>, team@example.org\n"
               b"Cc: bob@remote.example\n"
               b"Bcc: carol@remote.example,\n  lists@example.org\n"
               b"Subject: t\nDate: Sun, 29 Nov 2026 08:00:00 +0000\n"
               b"Message-ID: <t@remote.example>\n\nbody\n")
        self.assertOk(site.run("-t", "dave@remote.example", input=raw))
        self.assertEqual(site.folders_with_mail(), ["INBOX", "lists", "team"])
        without_bcc = crlf(raw.replace(b"Bcc: carol@remote.example,\n  lists@example.org\n", b""))
        for folder in ("INBOX", "lists", "team"):
            _, _, rest = untraced(self.only(site, folder))
            self.assertEqual(rest, without_bcc)
        (queued,) = site.queue()
        self.assertEqual([r[0] for r in queued[6]],
                         ["dave@remote.example", "bob@remote.example", "carol@remote.example"])
        self.assertNotIn(b"Bcc", queued[7])
        self.assertNotIn(b"carol", queued[7])
        self.assertEqual(untraced(queued[7])[2], without_bcc)

    def test_t_without_recipient_fields_and_no_recipients(self):
        site = self.site()
        self.assertFails(site.run("-t", input=b"Subject: none\n\nx\n"), 65,
                         "no recipient addresses found")
        errors = self.assertFails(site.run(input=b"Subject: none\n\nx\n"), 64, "no recipients")
        self.assertIn("usage:", errors)
        self.assertEqual(site.message_count(), 0)
        self.assertEqual(site.queue(), [])

    def test_envelope_sender_f_r_and_null(self):
        for args, want in ((["-f", "bob@remote.example"], "bob@remote.example"),
                           (["-fbob@remote.example"], "bob@remote.example"),
                           (["-r", "bob@remote.example"], "bob@remote.example"),
                           (["-f", "<bob@remote.example>"], "bob@remote.example"),
                           (["-f", "bob"], "bob@example.org"),
                           (["-f", "<>"], ""),
                           (["-f", ""], ""),
                           ([], OWNER)):
            with self.subTest(args=args):
                site = self.site()
                self.assertOk(site.run(*args, OWNER, "carol@remote.example",
                                       input=message("sender")))
                path, _, _ = untraced(self.only(site))
                self.assertEqual(path, want)
                (queued,) = site.queue()
                self.assertEqual(queued[1], want)
                self.assertEqual(untraced(queued[7])[0], None)  # no Return-Path in the queue

    def test_missing_from_date_message_id_added(self):
        site = self.site()
        before = time.time()
        self.assertOk(site.run("-F", "Charles Babbage", OWNER,
                               input=b"Subject: bare\nX-Custom: kept\n\nbody\n"))
        self.assertOk(site.run(OWNER, input=b"just a body line\nand another\n"))
        first, second = site.stored("INBOX")
        _, queue_id, rest = untraced(first)
        header, body = rest.split(b"\r\n\r\n", 1)
        fields = header.split(b"\r\n")
        self.assertEqual(fields[:3], [b"Subject: bare", b"X-Custom: kept",
                                      b"From: Charles Babbage <ada@example.org>"])
        self.assertTrue(fields[3].startswith(b"Date: "), fields)
        when = email.utils.parsedate_to_datetime(fields[3][6:].decode()).timestamp()
        self.assertLessEqual(abs(when - before), 60)
        self.assertRegex(fields[4].decode(), rf"^Message-ID: <\d{{14}}\.{queue_id}@example\.org>$")
        self.assertEqual(len(fields), 5)
        self.assertEqual(body, b"body\r\n")
        # No header at all: the whole input is body; owner_name is the default full name.
        _, _, rest = untraced(second)
        header, body = rest.split(b"\r\n\r\n", 1)
        self.assertTrue(header.startswith(b"From: Ada Lovelace <ada@example.org>\r\nDate: "),
                        header)
        self.assertIn(b"\r\nMessage-ID: <", header)
        self.assertEqual(body, b"just a body line\r\nand another\r\n")

    def test_full_name_with_envelope_sender(self):
        site = self.site()
        self.assertOk(site.run("-F", "Zed Zebra", "-f", "zed@remote.example", OWNER,
                               input=b"Subject: named\n\nx\n"))
        _, _, rest = untraced(self.only(site))
        self.assertIn(b"\r\nFrom: Zed Zebra <zed@remote.example>\r\n", rest)

    def test_local_recipients_land_in_folders_remote_in_queue(self):
        site = self.site()
        raw = message("routing")
        self.assertOk(site.run(OWNER, "ada+news@example.org", "team", "lists@example.org",
                               "postmaster", "PostMaster@example.org", "friend@example.org",
                               "bob@remote.example", input=raw))
        self.assertEqual(site.folders_with_mail(), ["INBOX", "lists", "team"])
        for folder in ("INBOX", "lists", "team"):
            path, _, rest = untraced(self.only(site, folder))
            self.assertEqual(path, OWNER)
            self.assertEqual(rest, crlf(raw))
        keywords = site._rows("SELECT k.keyword FROM keywords k JOIN messages m "
                              "ON m.id = k.message_id JOIN folders f ON f.id = m.folder_id "
                              "WHERE f.name = 'INBOX'")
        self.assertEqual(keywords, [("news",)])  # from ada+news
        (queued,) = site.queue()
        self.assertEqual(queued[1], OWNER)
        self.assertEqual([(r[0], r[1]) for r in queued[6]],
                         [("fritz@elsewhere.example", "queued"), ("bob@remote.example", "queued")])
        self.assertEqual(untraced(queued[7])[2], crlf(raw))

    def test_fifty_megabyte_message(self):
        site = self.site()
        header = (b"From: Zed <zed@remote.example>\nTo: ada@example.org\nSubject: big\n"
                  b"Date: Sun, 29 Nov 2026 08:00:00 +0000\nMessage-ID: <big@remote.example>\n"
                  b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
                  b"--XX\nContent-Type: text/plain\n\nSee the attachment.\n--XX\n"
                  b"Content-Type: application/octet-stream\n"
                  b"Content-Transfer-Encoding: base64\n\n")
        trailer = b"\n--XX--\n"
        size = 50 * 1000 * 1000
        encoded = base64.encodebytes(os.urandom(size * 3 // 4))
        raw = header + encoded[:size - len(header) - len(trailer)] + trailer
        self.assertEqual(len(raw), size)
        path = os.path.join(site.dir, "big.eml")
        with open(path, "wb") as out:
            out.write(raw)
        expected = hashlib.sha256(crlf(raw)).digest()
        del raw, encoded
        # GNU time measures sendmail's own peak: a child's ru_maxrss also counts the pages it
        # shared with its parent before exec, and this Python process held the message.
        report = os.path.join(site.dir, "rss")
        started = time.monotonic()
        with open(path, "rb") as source:
            done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report, program("sendmail"),
                                   "-C", site.config, "-oi", OWNER],
                                  stdin=source, capture_output=True, timeout=120)
        errors = done.stderr
        process = done
        seconds = time.monotonic() - started
        with open(report) as kilobytes:
            peak = int(kilobytes.read().split()[-1]) * 1024
        print(f"\n  50 MB message: peak RSS {peak / 1e6:.1f} MB "
              f"({peak / size:.2f}x the message), {seconds:.1f} s", file=sys.stderr)
        self.assertEqual(process.returncode, 0, errors)
        (stored,) = site.stored("INBOX")
        _, _, rest = untraced(stored)
        self.assertEqual(hashlib.sha256(rest).digest(), expected)
        if not os.environ.get("PIGEON_SANITIZED"):
            self.assertLess(peak, 4 * size)

    def test_message_over_size_limit_refused(self):
        site = self.site(extra_smtpd='max_message_size = "1M"')
        raw = message("large", ("x" * 999 + "\n") * 1100)
        self.assertFails(site.run("-oi", OWNER, "bob@remote.example", input=raw), 65,
                         "message too large")
        self.assertEqual(site.message_count(), 0)
        self.assertEqual(site.queue(), [])
        small = message("fits", ("x" * 999 + "\n") * 1000)
        self.assertOk(site.run("-oi", OWNER, input=small))

    def test_bad_addresses(self):
        site = self.site()
        for bad in ("foo@@bar", "a b@example.org", "<unclosed@example.org", "@example.org"):
            with self.subTest(address=bad):
                self.assertFails(site.run(OWNER, bad, input=message("bad")), 65,
                                 "bad address syntax")
        self.assertFails(site.run("nobody-here@example.org", input=message("unknown")), 67,
                         "nobody-here@example.org", "no such user")
        # One unknown local recipient refuses the whole message: nothing half-delivered.
        self.assertFails(site.run(OWNER, "bob@remote.example", "ghost@example.org",
                                  input=message("mixed")), 67, "ghost@example.org")
        self.assertEqual(site.message_count(), 0)
        self.assertEqual(site.queue(), [])

    def test_config_problems_exit_78(self):
        site = self.site()
        missing = os.path.join(site.dir, "missing.conf")
        self.assertFails(site.run("-C", missing, OWNER, config=False, input=message("c")), 78,
                         missing, "No such file")
        broken = os.path.join(site.dir, "broken.conf")
        with open(broken, "w") as out:
            out.write('owner = "ada@example.org"\nstore = \n')
        self.assertFails(site.run("-C", broken, OWNER, config=False, input=message("c")), 78,
                         f"{broken}:2:")
        unknown = os.path.join(site.dir, "unknown.conf")
        with open(unknown, "w") as out:
            out.write('owner = "ada@example.org"\nstoer = "/tmp/x.db"\n')
        self.assertFails(site.run("-C", unknown, OWNER, config=False, input=message("c")), 78,
                         f"{unknown}:2:", "stoer")
        self.assertFails(site.run("-C", site.dir, OWNER, config=False, input=message("c")), 78,
                         site.dir)
        for name, args in (("mailq", []), ("newaliases", []), ("sendmail", ["-bp"])):
            self.assertFails(site.run("-C", broken, *args, name=name, config=False), 78, broken)
        self.assertNothingStored(site)

    def test_store_not_writable(self):
        site = self.site()
        # As nobody, in a directory nobody cannot write.
        locked = os.path.join(site.dir, "locked")
        os.mkdir(locked, 0o755)
        os.chmod(site.dir, 0o755)
        config = os.path.join(site.dir, "locked.conf")
        site.write_config(config, os.path.join(locked, "pigeon.db"))
        nobody = pwd.getpwnam("nobody")

        def become_nobody():
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)

        done = site.run("-C", config, OWNER, config=False, input=message("locked"),
                        preexec_fn=become_nobody if os.geteuid() == 0 else None)
        errors = done.stderr.decode()
        self.assertIn(done.returncode, (73, 75), errors)
        self.assertIn(os.path.join(locked, "pigeon.db"), errors)
        self.assertIn("Permission denied", errors)
        self.assertEqual(os.listdir(locked), [])
        # The store's folder cannot be made: a file is in the way.
        blocker = os.path.join(site.dir, "file")
        open(blocker, "w").close()
        config = os.path.join(site.dir, "blocked.conf")
        site.write_config(config, os.path.join(blocker, "sub", "pigeon.db"))
        done = site.run("-C", config, OWNER, config=False, input=message("blocked"))
        errors = done.stderr.decode()
        self.assertIn(done.returncode, (73, 75), errors)
        self.assertIn(blocker, errors)
        self.assertIn("Not a directory", errors)

    def test_usage_errors(self):
        site = self.site()
        for mode in ("-bd", "-bD"):
            errors = self.assertFails(site.run(mode), 64, "pigeond")
            self.assertNotIn("usage:", errors)
        errors = self.assertFails(site.run("-Z", OWNER, input=message("z")), 64,
                                  "-Z: unknown option")
        self.assertIn("\nusage: sendmail ", errors)
        self.assertFails(site.run("-bx"), 64, "-bx")
        self.assertFails(site.run(OWNER, "-i", input=message("late")), 64, "-i")
        self.assertFails(site.run("-f"), 64, "-f needs an argument")
        self.assertNothingStored(site)

    def test_ignored_options_accepted(self):
        site = self.site()
        ignored = [["-oem"], ["-oep"], ["-odi"], ["-odb"], ["-odq"], ["-L", "x"], ["-h", "5"],
                   ["-m"], ["-n"], ["-U"], ["-X", "/dev/null"], ["-Am"], ["-Ac"], ["-G"],
                   ["-B8BITMIME"], ["-B", "7BIT"], ["-N", "never"], ["-R", "hdrs"],
                   ["-V", "id"], ["-v"]]
        for args in ignored:
            with self.subTest(args=args):
                done = site.run(*args, "-oi", "bob@remote.example", input=message("ignored"))
                self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(site.queue()), len(ignored))
        everything = sum(ignored, [])
        self.assertOk(site.run(*[a for a in everything if a != "-v"], "carol@remote.example",
                               input=message("all")))
        last = site.queue()[-1]
        self.assertEqual(last[4], "HDRS")
        self.assertEqual(last[5], "id")
        self.assertEqual(last[6], [("carol@remote.example", "queued", "NEVER")])
        self.assertEqual(untraced(last[7])[2], crlf(message("all")))

    def test_verify_mode(self):
        site = self.site()
        done = site.run("-bv", OWNER, "team", "bob@remote.example", "ghost@example.org")
        self.assertEqual(done.returncode, 67, done.stderr)
        self.assertEqual(done.stdout.decode().split("\n")[:3], [
            f"{OWNER}: deliverable: delivered to the store",
            "team: deliverable: delivered to the store",
            "bob@remote.example: deliverable: queued for delivery over SMTP"])
        self.assertRegex(done.stdout.decode().split("\n")[3],
                         r"^ghost@example.org: undeliverable: 550 5\.1\.1 ")
        self.assertEqual(site.message_count(), 0)
        self.assertEqual(site.queue(), [])

    # --- mailq ---

    def test_mailq_empty(self):
        site = self.site()
        for name, args in (("mailq", []), ("sendmail", ["-bp"]), ("pigeon-sendmail", ["-bp"])):
            done = site.run(*args, name=name)
            self.assertOk(done)
            self.assertEqual(done.stdout, b"Mail queue is empty\n")

    def test_mailq_listing(self):
        site = self.site()
        before = time.time()
        self.assertOk(site.run("-f", "zed@remote.example", "bob@remote.example",
                               "carol@remote.example", OWNER, input=message("q1")))
        self.assertOk(site.run("-f", "<>", "dave@remote.example", input=message("q2", "x" * 3000)))
        queue = site.queue()
        for name, args in (("mailq", []), ("sendmail", ["-bp"])):
            done = site.run(*args, name=name)
            self.assertOk(done)
            self.check_listing(done.stdout.decode(), queue, before)

    def check_listing(self, text, queue, before):
        lines = text.split("\n")
        self.assertEqual(lines[0],
                         "-Queue ID-     --Size-- ----Arrival Time----  -Sender/Recipient-------")
        entry = re.compile(r"^([0-9A-Z]+)([*!]?)\s+(\d+) "
                           r"(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d)\s+(\S+)$")
        entries, at = [], 1
        while at < len(lines) and lines[at] and not lines[at].startswith("--"):
            match = entry.match(lines[at])
            self.assertIsNotNone(match, text)
            at += 1
            recipients = []
            while lines[at].strip():
                if lines[at].strip().startswith("(") and lines[at].endswith(")"):
                    at += 1  # the last deferral reason of the recipients after it
                    continue
                self.assertTrue(lines[at].startswith(" " * 46), lines[at])
                recipients.append(lines[at].strip())
                at += 1
            at += 1  # the blank line after each message
            entries.append((match, recipients))
        self.assertEqual(len(entries), len(queue), text)
        total = 0
        for (match, recipients), queued in zip(entries, queue):
            self.assertEqual(match.group(1), queued[0])
            self.assertEqual(int(match.group(3)), queued[2])
            total += queued[2]
            self.assertEqual(match.group(5), queued[1] or "MAILER-DAEMON")
            self.assertEqual(recipients, [r[0] for r in queued[6]])
            arrived = time.strptime(match.group(4), "%a %b %d %H:%M:%S")
            local = time.localtime(queued[3])
            self.assertEqual((arrived.tm_mon, arrived.tm_mday, arrived.tm_hour, arrived.tm_min,
                              arrived.tm_sec),
                             (local.tm_mon, local.tm_mday, local.tm_hour, local.tm_min,
                              local.tm_sec))
            self.assertLessEqual(abs(queued[3] - before), 60)
        count = len(queue)
        self.assertEqual(lines[at], f"-- {(total + 1023) // 1024} Kbytes in {count} "
                                    f"Request{'' if count == 1 else 's'}.")
        self.assertEqual(lines[at + 1:], [""])

    # --- newaliases ---

    def test_newaliases(self):
        site = self.site()
        for name, args in (("newaliases", []), ("sendmail", ["-bi"]), ("sendmail", ["-I"])):
            done = site.run(*args, name=name)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stderr.decode(), f"{name}: {site.aliases}: 3 aliases\n")
        other = os.path.join(site.dir, "other-aliases")
        with open(other, "w") as out:
            out.write("# a comment\none: ada\n\ntwo: +two,\n  bob@remote.example\n")
        done = site.run(f"-oA{other}", "-bi")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr.decode(), f"sendmail: {other}: 2 aliases\n")

    def test_newaliases_bad_lines(self):
        site = self.site()
        with open(site.aliases, "w") as out:
            out.write("good: ada\nprogram: |/bin/sh\nno colon here\nfile: /etc/passwd\n"
                      "good: bob\n")
        done = site.run(name="newaliases")
        errors = done.stderr.decode()
        self.assertNotEqual(done.returncode, 0, errors)
        self.assertEqual(done.returncode, 65, errors)
        lines = errors.strip().split("\n")
        for number in (2, 3, 4, 5):
            self.assertTrue(any(line.startswith(f"newaliases: {site.aliases}:{number}: ")
                                for line in lines), errors)
        self.assertEqual(lines[-1], f"newaliases: {site.aliases}: 1 aliases, "
                                    f"4 bad lines skipped")
        done = site.run("-oA" + os.path.join(site.dir, "absent"), "-bi")
        self.assertFails(done, 66, os.path.join(site.dir, "absent"))

    # --- sendmail -q ---

    def test_queue_run_without_pigeond(self):
        if PIGEOND:
            self.skipTest("pigeond runs")
        site = self.site()
        self.assertOk(site.run("bob@remote.example", input=message("flush")))
        before = site.queue_state()
        self.assertEqual(len(before), 1)
        time.sleep(1.1)  # a requeue would now show as a later next_attempt
        for args in (["-q"], ["-q30m"], [f"-qI{site.queue()[0][0]}"], ["-qRremote.example"]):
            with self.subTest(args=args):
                self.assertFails(site.run(*args), 69, "pigeond is not running")
                self.assertEqual(site.queue_state(), before)

    # --- handing messages to a running pigeond (--pigeond) ---

    def test_handed_to_running_pigeond(self):
        if not PIGEOND:
            self.skipTest("needs --pigeond")
        site = self.site()
        done = site.run("-v", OWNER, "bob@remote.example", input=message("handed"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stderr.decode(),
                         r"^sendmail: queued as [0-9A-Z]+ by pigeond \(1 local, 1 remote\)\n$")
        self.assertEqual(site.handed_to_pigeond(), 1)
        _, _, rest = untraced(self.only(site))
        self.assertEqual(rest, crlf(message("handed")))

    def test_any_local_user_submits_through_pigeond(self):
        """The store is pigeond's (nobody's): another user's sendmail cannot open it, yet its
        message is queued, with that user's uid in the Received field (from the socket)."""
        if not PIGEOND:
            self.skipTest("needs --pigeond")
        site = self.site()
        other = pwd.getpwnam("daemon")

        def become_other():
            os.setgroups([])
            os.setgid(other.pw_gid)
            os.setuid(other.pw_uid)

        done = site.run(OWNER, input=message("other user"), preexec_fn=become_other)
        self.assertOk(done)
        stored = self.only(site)
        self.assertIn(f"(pigeon, from userid {other.pw_uid})".encode(), stored)

    def test_falls_back_when_pigeond_is_gone(self):
        if not PIGEOND:
            self.skipTest("needs --pigeond")
        site = self.site()
        self.assertOk(site.run(OWNER, input=message("one")))
        # pigeond logs the hand-over after answering sendmail: wait for the line, or the kill
        # below can come first and the count is wrong though the message went through it.
        deadline = time.monotonic() + 10
        while site.handed_to_pigeond() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        # SIGKILL leaves the socket file behind: nothing accepts on it.
        site.pigeond.kill()
        site.pigeond.wait()
        self.assertTrue(os.path.exists(site.store + ".submit"))
        self.assertOk(site.run(OWNER, input=message("two")))
        os.unlink(site.store + ".submit")
        self.assertOk(site.run(OWNER, input=message("three")))
        subjects = [re.search(rb"Subject: (\w+)", raw).group(1) for raw in site.stored()]
        self.assertEqual(subjects, [b"one", b"two", b"three"])
        self.assertEqual(site.handed_to_pigeond(), 1)

    # --- real callers ---

    def test_git_send_email(self):
        site = self.site()
        repo = os.path.join(site.dir, "repo")
        env = dict(os.environ, HOME=site.dir, GIT_CONFIG_NOSYSTEM="1",
                   GIT_AUTHOR_NAME="Ada Lovelace", GIT_AUTHOR_EMAIL=OWNER,
                   GIT_COMMITTER_NAME="Ada Lovelace", GIT_COMMITTER_EMAIL=OWNER)
        git = lambda *args: subprocess.run(["git", "-C", repo] + list(args), env=env,
                                           capture_output=True, check=True, timeout=30)
        os.mkdir(repo)
        git("init", "-q")
        with open(os.path.join(repo, "engine.txt"), "w") as out:
            out.write("The Analytical Engine\n")
        git("add", "engine.txt")
        git("commit", "-q", "-m", "Add the engine\n\nIt weaves algebraic patterns.")
        with open(os.path.join(repo, "engine.txt"), "a") as out:
            out.write("Note G: Bernoulli numbers\n.\nafter a lone dot\n")
        git("commit", "-q", "-am", "Add Note G")
        patch = git("format-patch", "-1", "-o", site.dir).stdout.decode().strip()
        done = subprocess.run(
            ["git", "-C", repo, "send-email", "--confirm=never", "--suppress-cc=all",
             "--no-chain-reply-to", "--to=Ada <ada@example.org>", "--cc=bob@remote.example",
             "--bcc=team@example.org", f"--sendmail-cmd={program('sendmail')} -C {site.config}",
             patch], env=env, capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
        with open(patch, "rb") as source:
            sent = source.read()
        for folder in ("INBOX", "team"):
            stored = self.only(site, folder)
            _, _, rest = untraced(stored)
            parsed = email.message_from_bytes(rest, policy=email.policy.default)
            self.assertEqual(parsed["Subject"], "[PATCH] Add Note G")
            self.assertNotIn("Bcc", parsed)
            body = rest.split(b"\r\n\r\n", 1)[1]
            # The diff, lone dot included, arrives intact (git passes -i).
            self.assertIn(b"+Note G: Bernoulli numbers\r\n+.\r\n+after a lone dot\r\n", body)
            self.assertEqual(body, crlf(sent.split(b"\n\n", 1)[1]))
        (queued,) = site.queue()
        self.assertEqual([r[0] for r in queued[6]], ["bob@remote.example"])
        self.assertEqual(queued[1], OWNER)

    def test_bsd_mailx(self):
        site = self.site()
        # mailx runs the program named by its `sendmail` variable; the configuration is found
        # at the default path, $XDG_CONFIG_HOME/pigeon/pigeon.conf.
        xdg = os.path.join(site.dir, "xdg")
        os.makedirs(os.path.join(xdg, "pigeon"))
        shutil.copy(site.config, os.path.join(xdg, "pigeon", "pigeon.conf"))
        mailrc = os.path.join(site.dir, "mailrc")
        with open(mailrc, "w") as out:
            out.write(f"set sendmail={program('sendmail')}\nset sendwait\n")
        env = dict(os.environ, HOME=site.dir, MAILRC=mailrc, XDG_CONFIG_HOME=xdg, USER="root",
                   LOGNAME="root")
        body = b"Dear Ada,\n.\nthe lone dot above is text.\n"
        done = subprocess.run(["mail", "-s", "From mailx", "-c", "bob@remote.example", OWNER],
                              input=body, env=env, capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        deadline = time.monotonic() + 10
        while not site.stored("INBOX") and time.monotonic() < deadline:
            time.sleep(0.05)  # in case mailx does not wait for sendmail
        _, _, rest = untraced(self.only(site))
        parsed = email.message_from_bytes(rest, policy=email.policy.default)
        self.assertEqual(parsed["Subject"], "From mailx")
        self.assertEqual(parsed["To"], OWNER)
        self.assertIsNotNone(parsed["Date"])
        self.assertIsNotNone(parsed["Message-ID"])
        self.assertEqual(rest.split(b"\r\n\r\n", 1)[1], crlf(body))
        (queued,) = site.queue()
        self.assertEqual([r[0] for r in queued[6]], ["bob@remote.example"])

    def test_neomutt_batch(self):
        site = self.site()
        attachment = os.path.join(site.dir, "engine.bin")
        payload = os.urandom(5000)
        with open(attachment, "wb") as out:
            out.write(payload)
        muttrc = os.path.join(site.dir, "muttrc")
        with open(muttrc, "w") as out:
            out.write(f'set sendmail="{program("sendmail")} -C {site.config}"\n'
                      'set from="Ada Lovelace <ada@example.org>"\nset use_from=yes\n'
                      f'set folder="{site.dir}"\nset record=""\nset copy=no\n'
                      'set charset="utf-8"\nset send_charset="utf-8"\n')
        env = dict(os.environ, HOME=site.dir, LANG="C.UTF-8")
        env.pop("MAIL", None)
        body = "Grüße from neomutt.\n".encode()
        done = subprocess.run(["neomutt", "-n", "-F", muttrc, "-s", "Engine notes", "-a",
                               attachment, "--", OWNER, "lists@example.org"],
                              input=body, env=env, capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        for folder in ("INBOX", "lists"):
            _, _, rest = untraced(self.only(site, folder))
            parsed = email.message_from_bytes(rest, policy=email.policy.default)
            self.assertEqual(parsed["Subject"], "Engine notes")
            self.assertEqual(parsed["From"], "Ada Lovelace <ada@example.org>")
            parts = list(parsed.iter_attachments())
            self.assertEqual(len(parts), 1)
            self.assertEqual(parts[0].get_content(), payload)
            text = parsed.get_body(("plain",)).get_content()
            self.assertEqual(text.replace("\r\n", "\n"), body.decode())

    def test_cron_style(self):
        site = self.site()
        # What cron writes for a job's output (From: root (Cron Daemon), To: the MAILTO).
        raw = ("From: root (Cron Daemon)\nTo: ada\nSubject: Cron <root@host> nightly-backup\n"
               "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
               "Content-Transfer-Encoding: 8bit\nX-Cron-Env: <SHELL=/bin/sh>\n"
               "X-Cron-Env: <HOME=/root>\n\nbackup done: 3 files, 12 kB → ok\n.\n"
               "(the dot above came from the job)\n").encode()
        self.assertOk(site.run("-FCronDaemon", "-odi", "-oem", "-oi", "-t", input=raw))
        _, _, rest = untraced(self.only(site))
        header, body = rest.split(b"\r\n\r\n", 1)
        self.assertTrue(rest.startswith(crlf(raw).split(b"\r\n\r\n")[0] + b"\r\nDate: "), rest)
        self.assertEqual(body, crlf(raw).split(b"\r\n\r\n", 1)[1])
        # The same job output without a From: -F names the sender.
        self.assertOk(site.run("-FCronDaemon", "-odi", "-oem", "-oi", "-t",
                               input=raw.replace(b"From: root (Cron Daemon)\n", b"")))
        _, _, rest = untraced(site.stored("INBOX")[1])
        self.assertIn(b"\r\nFrom: CronDaemon <ada@example.org>\r\n", rest)

    def test_smtplib_over_bs(self):
        site = self.site()
        ours, theirs = socket.socketpair()
        process = subprocess.Popen([program("sendmail"), "-C", site.config, "-bs"],
                                   stdin=theirs, stdout=theirs, stderr=subprocess.PIPE)
        theirs.close()
        client = smtplib.SMTP()
        client.sock = ours
        client.file = None
        try:
            code, _ = client.getreply()
            self.assertEqual(code, 220)
            code, _ = client.ehlo("client.example")
            self.assertEqual(code, 250)
            self.assertTrue(client.has_extn("8bitmime"))
            raw = message("smtplib", ".leading dot\r\n..two dots\r\n.\r\nend\r\n").replace(
                b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
            refused = client.sendmail("zed@remote.example",
                                      [OWNER, "team@example.org", "bob@remote.example"], raw)
            self.assertEqual(refused, {})
            with self.assertRaises(smtplib.SMTPRecipientsRefused):
                client.sendmail("zed@remote.example", ["ghost@example.org"], raw)
            code, _ = client.quit()
            self.assertEqual(code, 221)
        finally:
            client.close()
        _, errors = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 0, errors)
        self.assertEqual(errors, b"")
        for folder in ("INBOX", "team"):
            stored = self.only(site, folder)
            path, _, rest = untraced(stored)
            self.assertEqual(path, "zed@remote.example")
            self.assertEqual(stored.count(b"Received:"), 1)
            self.assertEqual(rest, raw)
        (queued,) = site.queue()
        self.assertEqual(queued[1], "zed@remote.example")
        self.assertEqual([r[0] for r in queued[6]], ["bob@remote.example"])


if __name__ == "__main__":
    MTA_DIR = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 2 and sys.argv[1] == "--pigeond":
        PIGEOND = os.path.abspath(sys.argv[2])
        del sys.argv[1:3]
    unittest.main(verbosity=2)

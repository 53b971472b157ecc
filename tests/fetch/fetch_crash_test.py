#!/usr/bin/python3
"""`pigeon fetch` SIGKILLed again and again while it fetches from a real Dovecot (IMAPS, then
POP3S with keep = false): after a last run that completes, every message is in the store
exactly once, and (keep = false) none is left on the server.

usage: fetch_crash_test.py PIGEON_BINARY [KILLS]
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dovecot_harness import Dovecot  # noqa: E402

PIGEON = None
KILLS = 20
MESSAGES = 300  # in the mailbox at the start
ARRIVING = 40   # more before each run


def mail(n):
    filler = "".join(f"line {i} of message {n}, some text to make it longer\r\n"
                     for i in range(200))
    return (f"From: s{n}@example.org\r\nSubject: crash {n}\r\n"
            f"Message-ID: <crash.{n}@example.org>\r\n\r\n{filler}").encode()


class FetchCrashTest(unittest.TestCase):
    def setUp(self):
        self.server = Dovecot().start()
        self.addCleanup(self.server.close)
        temp = tempfile.TemporaryDirectory(prefix="pigeon-fetch-crash-")
        self.addCleanup(temp.cleanup)
        self.dir = temp.name
        self.store = os.path.join(self.dir, "pigeon.db")
        self.config = os.path.join(self.dir, "pigeon.conf")
        for n in range(MESSAGES):
            self.server.deliver(mail(n))
        self.total = MESSAGES

    def write_config(self, url, extra=""):
        with open(self.config, "w") as f:
            f.write(f'owner = "ada@example.org"\nstore = "{self.store}"\n[[fetch]]\n'
                    f'name = "crash"\nurl = "{url}"\nuser = "{self.server.user}"\n'
                    f'password = "{self.server.password}"\nca_file = "{self.server.ca_file}"\n'
                    f'folders = {{ INBOX = "INBOX" }}\n{extra}')
        os.chmod(self.config, 0o600)

    def run_and_kill(self):
        """Runs pigeon fetch `KILLS` times, each SIGKILLed after a random delay (unless it
        ends first); returns how many runs were killed and, after each, the store's count and
        the count delivered so far."""
        killed, counts = 0, []
        rng = random.Random(1234)
        for _ in range(KILLS):
            # New mail before every run, so runs after the first still have work to be cut in.
            for _ in range(ARRIVING):
                self.server.deliver(mail(self.total))
                self.total += 1
            process = subprocess.Popen([PIGEON, "-C", self.config, "fetch"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       stdin=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.2))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.wait()
            subjects = self.stored_subjects() if os.path.exists(self.store) else []
            self.assertEqual(len(subjects), len(set(subjects)), "a message stored twice")
            counts.append((len(subjects), self.total))
        return killed, counts

    def stored_subjects(self):
        out = subprocess.run([PIGEON, "--store", self.store, "search", "--json", "--limit",
                              "100000"], capture_output=True, text=True, check=True).stdout
        return sorted(m["subject"] for m in json.loads(out))

    def check_complete(self):
        final = subprocess.run([PIGEON, "-C", self.config, "fetch"], capture_output=True,
                               text=True, timeout=120)
        self.assertEqual(final.returncode, 0, final.stderr)
        self.assertEqual(self.stored_subjects(), sorted(f"crash {n}" for n in range(self.total)))

    def test_imaps_killed_repeatedly(self):
        self.write_config(f"imaps://127.0.0.1:{self.server.imaps_port}")
        killed, counts = self.run_and_kill()
        print(f"imaps: {killed} runs killed; messages stored after each: {counts}")
        # Some runs were cut before they had stored everything there was.
        self.assertTrue(any(stored < total for stored, total in counts), counts)
        self.check_complete()

    def test_pop3s_keep_false_killed_repeatedly(self):
        self.write_config(f"pop3s://127.0.0.1:{self.server.pop3s_port}", "keep = false\n")
        killed, counts = self.run_and_kill()
        print(f"pop3s: {killed} runs killed; messages stored after each: {counts}")
        # Some runs were cut before they had stored everything there was.
        self.assertTrue(any(stored < total for stored, total in counts), counts)
        self.check_complete()
        self.assertEqual(self.server.messages(), [])


if __name__ == "__main__":
    PIGEON = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        KILLS = int(sys.argv.pop(1))
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""End-to-end test of pigeond running the [[fetch]] accounts on their intervals: a real pigeond
(tests/mta/pigeond_harness.py) and a real Dovecot (dovecot_harness.py) on loopback. Mail put
in the Maildir shows up in the store without anyone running `pigeon fetch`, and again on the
next interval; an account with a wrong password logs one clear line per try and stops neither
the daemon nor the other account; an account with interval = 0 is left alone; SIGTERM ends
pigeond and its fetch children promptly, even a child stuck on a server that never answers.

usage: pigeond_fetch_e2e_test.py PIGEOND PIGEON
"""
import os
import re
import signal
import socket
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "mta"))
from dovecot_harness import Dovecot  # noqa: E402
from pigeond_harness import Pigeond  # noqa: E402

PIGEOND = PIGEON = None


def mail(n):
    return (f"From: Sender {n} <sender{n}@example.org>\r\nTo: ada@example.org\r\n"
            f"Subject: scheduled {n}\r\nMessage-ID: <scheduled.{n}@example.org>\r\n"
            f"Date: Mon, 1 Jan 2024 10:00:{n % 60:02d} +0000\r\n\r\nbody of {n}\r\n").encode()


def wait_for(what, condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def processes_naming(text):
    """Pids of the processes whose command line has `text` as an argument."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and text.encode() in command_line(int(entry)):
            found.append(int(entry))
    return found


class PigeondFetchTest(unittest.TestCase):
    def setUp(self):
        self.server = Dovecot().start()
        self.addCleanup(self.server.close)
        # A server that accepts connections and never says a word.
        self.silent = socket.socket()
        self.silent.bind(("127.0.0.1", 0))
        self.silent.listen(16)
        self.addCleanup(self.silent.close)
        os.environ["PIGEON_FETCH_PROGRAM"] = PIGEON
        self.daemon = Pigeond(PIGEOND, tls=False)
        self.addCleanup(self.daemon.kill)

    def add_accounts(self, *accounts):
        with open(self.daemon.config, "a") as f:
            f.write("\n" + "\n".join(accounts))
        os.chmod(self.daemon.config, 0o600)  # no warning about a readable password

    def account(self, name, port=None, password=None, interval=1, folder="INBOX"):
        s = self.server
        return (f'[[fetch]]\nname = "{name}"\n'
                f'url = "imaps://127.0.0.1:{port or s.imaps_port}"\nuser = "{s.user}"\n'
                f'password = "{password or s.password}"\nca_file = "{s.ca_file}"\n'
                f'interval = {interval}\nfolders = {{ INBOX = "{folder}" }}\n')

    def subjects(self, folder="INBOX"):
        return sorted(re.search(rb"Subject: ([^\r]*)", m).group(1).decode()
                      for m in self.daemon.stored(folder))

    def test_fetches_on_each_interval_and_a_failure_stops_nothing(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.add_accounts(self.account("home"), self.account("bad", password="wrong"),
                          self.account("manual", interval=0, folder="manual"))
        started = time.monotonic()
        self.daemon.start()
        self.assertIn("fetching home (every 1s), bad (every 1s) with ", self.daemon.log())
        # The first fetch comes soon after start, not an interval later.
        wait_for("the first fetch",
                 lambda: self.subjects() == ["scheduled 1", "scheduled 2", "scheduled 3"])
        self.assertLess(time.monotonic() - started, 15)
        self.server.deliver(mail(4))
        self.server.deliver(mail(5))
        wait_for("the next interval's fetch", lambda: len(self.subjects()) == 5)
        self.assertEqual(self.subjects(), [f"scheduled {n}" for n in range(1, 6)])
        # Tried again on its interval, each try one error line naming the account.
        tries = lambda: len(re.findall(r"fetch bad: ", self.daemon.log()))
        wait_for("two tries of the bad account", lambda: tries() >= 2)
        home_lines = re.findall(r"fetch home: .*", self.daemon.log())
        seen = tries()
        wait_for("two more tries of the bad account", lambda: tries() >= seen + 2)
        bad = [line for line in self.daemon.log().splitlines() if "fetch bad:" in line]
        for line in bad:
            self.assertRegex(line, r"^pigeond: error: fetch bad: 127\.0\.0\.1:\d+: login failed "
                                   r"for user ada \(wrong user or password\?\)$", bad)
        self.assertNotIn("exit status", self.daemon.log())
        self.assertNotIn("fetch manual", self.daemon.log())
        self.assertEqual(self.daemon.stored("manual"), [])
        # A line per fetch that brought something; fetches with nothing new say nothing.
        self.assertIn(len(home_lines), (2, 3), home_lines)
        for line in home_lines:
            self.assertRegex(line, r"^fetch home: [1-3] new messages? \(0\.0 MB\) from imaps://")
        self.assertEqual(re.findall(r"fetch home: .*", self.daemon.log()), home_lines)
        self.assertTrue(self.daemon.alive())
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=5) as smtp:
            self.assertTrue(smtp.recv(100).startswith(b"220 "))
        self.assertEqual(self.daemon.stop(), 0)
        self.assertEqual(processes_naming(self.daemon.config), [])

    def test_sigterm_ends_pigeond_and_its_children(self):
        self.server.deliver(mail(1))
        self.add_accounts(self.account("stuck", port=self.silent.getsockname()[1]),
                          self.account("home"))
        self.daemon.start()
        pid = self.daemon.process.pid
        wait_for("the home fetch", lambda: len(self.daemon.stored()) == 1)
        stuck = wait_for("the stuck fetch", lambda: [
            child for child in children_of(pid) if b"stuck" in command_line(child)])
        self.assertIn(self.daemon.config.encode(), command_line(stuck[0]))
        began = time.monotonic()
        self.assertEqual(self.daemon.stop(signal.SIGTERM, timeout=15), 0, self.daemon.log())
        # The stuck child ignores nothing but waits on its socket: SIGKILL after the grace.
        self.assertLess(time.monotonic() - began, 10)
        self.assertEqual(processes_naming(self.daemon.config), [])
        self.assertIn("stopped", self.daemon.log())


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    PIGEOND, PIGEON = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)

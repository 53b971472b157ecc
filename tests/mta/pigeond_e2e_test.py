#!/usr/bin/python3
"""End-to-end tests of pigeond's SMTP server with real clients on loopback: Python's smtplib,
swaks (plain, STARTTLS against a test CA, AUTH on submission, pipelining) and Postfix's
smtp-source (many parallel sessions); plus the security probes: relay tricks, SMTP smuggling,
STARTTLS injection, long lines, oversize messages, 1,000 concurrent connections, garbage bytes,
timeouts. Every accepted message is checked in the store byte by byte.

usage: pigeond_e2e_test.py PIGEOND_BINARY
"""
import os
import random
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pigeond_harness as harness  # noqa: E402

PIGEOND = None


def message(marker, body="Hello.\r\n", extra=""):
    return (f"From: Zed <zed@remote.test>\r\nTo: Ada <ada@example.test>\r\n"
            f"Subject: {marker}\r\nMessage-ID: <{marker}@remote.test>\r\n{extra}\r\n{body}"
            ).encode()


class PigeondTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = harness.Pigeond(
            PIGEOND, aliases="info: ada\nlists: +lists/dev\nteam: ada, bob\n"
                             "forward: someone@remote.test\n",
            max_message_size=200_000, command_timeout=3,
            extra_smtpd="max_connections_per_ip = 50").start()

    @classmethod
    def tearDownClass(cls):
        status = cls.daemon.stop()
        if status != 0:
            print(cls.daemon.log(), file=sys.stderr)
        shutil.rmtree(cls.daemon.dir, ignore_errors=True)

    def setUp(self):
        self.assertTrue(self.daemon.alive(), self.daemon.log())

    def stored_with(self, marker, folder="INBOX"):
        needle = marker.encode()
        return [raw for raw in self.daemon.stored(folder) if needle in raw]

    def session(self):
        conversation = harness.Conversation(self.daemon.port)
        self.addCleanup(conversation.close)
        self.assertEqual(conversation.reply()[0], 220)
        return conversation

    # Delivery with real clients.

    def test_smtplib_delivers_byte_exact(self):
        body = ("Line one\r\n.leading dot\r\n..two dots\r\n\r\n8-bit: caf\u00e9 \u2603\r\n"
                "trailing spaces   \r\n")
        raw = message("smtplib-exact", body=body, extra="Content-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n")
        with smtplib.SMTP("127.0.0.1", self.daemon.port) as client:
            client.ehlo("client.remote.test")
            self.assertIn("8bitmime", client.esmtp_features)
            self.assertIn("pipelining", client.esmtp_features)
            self.assertIn("starttls", client.esmtp_features)
            self.assertNotIn("auth", client.esmtp_features)  # not on port 25 style listeners
            client.sendmail("zed@remote.test", ["ada@example.test"], raw,
                            mail_options=["BODY=8BITMIME"])
        stored = self.stored_with("smtplib-exact")
        self.assertEqual(len(stored), 1)
        self.assertTrue(stored[0].startswith(b"Return-Path: <zed@remote.test>\r\nReceived: from "))
        self.assertEqual(harness.strip_trace(stored[0]), raw)
        self.assertIn(b"by mx.example.test (pigeond) with ESMTP id ", stored[0])

    def test_swaks_plain_and_starttls(self):
        for marker, tls_args in (("swaks-plain", []),
                                 ("swaks-tls", ["--tls", "--tls-verify", "--tls-ca-path",
                                                self.daemon.ca])):
            done = subprocess.run(
                ["swaks", "--server", f"127.0.0.1:{self.daemon.port}", "--from", "zed@remote.test",
                 "--to", "ada@example.test", "--header", f"Subject: {marker}", "--helo",
                 "client.remote.test", *tls_args], capture_output=True, text=True, timeout=30)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            stored = self.stored_with(marker)
            self.assertEqual(len(stored), 1, marker)
            if tls_args:
                self.assertIn(b"with ESMTPS", stored[0])
                self.assertIn(b"TLS", stored[0].split(b"\r\n\r\n")[0])

    def test_swaks_auth_on_submission_relays_into_the_queue(self):
        done = subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{self.daemon.submission_port}", "--tls",
             "--tls-ca-path", self.daemon.ca, "--auth", "PLAIN", "--auth-user", "ada",
             "--auth-password", harness.PASSWORD, "--from", "ada@example.test",
             "--to", "friend@remote.test,ada@example.test", "--header", "Subject: swaks-auth"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        queued = [entry for entry in self.daemon.queued() if b"swaks-auth" in entry[3]]
        self.assertEqual([(entry[1], entry[2]) for entry in queued],
                         [("ada@example.test", "friend@remote.test")])
        self.assertIn(b"with ESMTPSA", queued[0][3])
        self.assertEqual(len(self.stored_with("swaks-auth")), 1)

    def test_auth_login_and_failures(self):
        conversation = harness.Conversation(self.daemon.submission_port)
        self.addCleanup(conversation.close)
        conversation.reply()
        code, text = conversation.command("EHLO client.remote.test")
        self.assertNotIn("AUTH", text)  # only after STARTTLS
        self.assertEqual(conversation.command("AUTH PLAIN AGFkYQB4")[0] // 100, 5)
        conversation.starttls(self.daemon.ca)
        code, text = conversation.command("EHLO client.remote.test")
        self.assertIn("AUTH PLAIN LOGIN", text)
        import base64
        b64 = lambda text: base64.b64encode(text.encode()).decode()
        self.assertEqual(conversation.command("AUTH LOGIN")[0], 334)
        self.assertEqual(conversation.command(b64("ada"))[0], 334)
        self.assertEqual(conversation.command(b64("wrong"))[0], 535)
        self.assertEqual(conversation.command("AUTH PLAIN " + b64("\0ada\0" + harness.PASSWORD))[0],
                         235)
        self.assertEqual(conversation.command("MAIL FROM:<ada@example.test>")[0], 250)
        self.assertEqual(conversation.command("RCPT TO:<far@remote.test>")[0], 250)

    def test_swaks_pipelining(self):
        done = subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{self.daemon.port}", "--pipeline",
             "--from", "zed@remote.test", "--to", "ada@example.test,bob@example.test",
             "--header", "Subject: swaks-pipelined"], capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(len(self.stored_with("swaks-pipelined")), 1)  # one copy in INBOX

    def test_everything_in_one_write_gets_every_reply_in_order(self):
        conversation = self.session()
        conversation.send("EHLO a.remote.test\r\nMAIL FROM:<zed@remote.test>\r\n"
                          "RCPT TO:<ada@example.test>\r\nRCPT TO:<nobody@example.test>\r\n"
                          "DATA\r\nSubject: all-at-once\r\n\r\nbody\r\n.\r\n"
                          "MAIL FROM:<zed@remote.test>\r\nRCPT TO:<bob@example.test>\r\n"
                          "DATA\r\nSubject: all-at-once-2\r\n\r\nbody\r\n.\r\nQUIT\r\n")
        codes = [conversation.reply()[0] for _ in range(10)]
        self.assertEqual(codes, [250, 250, 250, 550, 354, 250, 250, 250, 354, 250])
        self.assertEqual(conversation.reply()[0], 221)
        self.assertEqual(len(self.stored_with("all-at-once")), 2)

    def test_smtp_source_parallel_sessions(self):
        before = len(self.daemon.stored())
        done = subprocess.run(
            ["smtp-source", "-s", "20", "-m", "200", "-l", "2000", "-f", "src@remote.test",
             "-t", "ada@example.test", f"127.0.0.1:{self.daemon.port}"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(len(self.daemon.stored()) - before, 200)

    def test_aliases_plus_addressing_and_postmaster(self):
        with smtplib.SMTP("127.0.0.1", self.daemon.port) as client:
            for rcpt, marker in (("info@example.test", "alias-info"),
                                 ("lists@example.test", "alias-lists"),
                                 ("ada+news@example.test", "plus-news"),
                                 ("Postmaster", "postmaster-bare"),
                                 ("POSTMASTER@other.example.test", "postmaster-other"),
                                 ("forward@example.test", "alias-forward")):
                client.sendmail("zed@remote.test", [rcpt], message(marker))
        self.assertEqual(len(self.stored_with("alias-info")), 1)
        self.assertEqual(len(self.stored_with("alias-lists", "lists/dev")), 1)
        self.assertEqual(len(self.stored_with("plus-news")), 1)
        self.assertEqual(len(self.stored_with("postmaster-bare")), 1)
        self.assertEqual(len(self.stored_with("postmaster-other")), 1)
        self.assertEqual([entry[2] for entry in self.daemon.queued() if b"alias-forward" in entry[3]],
                         ["someone@remote.test"])

    # Security probes.

    def test_never_an_open_relay(self):
        tricks = ["friend@remote.test", "friend%remote.test@example.test",
                  "remote.test!friend@example.test", '"friend@remote.test"@example.test',
                  "@example.test:friend@remote.test", "friend@remote.test@example.test",
                  "friend@[127.0.0.1]", "friend@[IPv6:::1]", "ada@example.test.",
                  "ada@example..test", "ada@.example.test", "nobody@example.test",
                  "ada@example.test.remote.test", "ada@sub.example.test"]
        conversation = self.session()
        conversation.command("EHLO probe.remote.test")
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 250)
        for trick in tricks:
            code, text = conversation.command(f"RCPT TO:<{trick}>")
            self.assertIn(code // 100, (4, 5), f"{trick}: {text}")
        self.assertIn(conversation.command("DATA")[0], (503, 554))

    def test_smtp_smuggling_never_ends_or_injects(self):
        variants = [b"\n.\n", b"\n.\r\n", b"\r\n.\n", b"\r.\r", b"\r.\r\n", b"\r\n.\r",
                    b"\r\n\x00.\r\n"]
        for index, separator in enumerate(variants):
            marker = f"smuggle-{index}"
            conversation = self.session()
            conversation.command("EHLO smuggler.remote.test")
            self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 250)
            self.assertEqual(conversation.command("RCPT TO:<ada@example.test>")[0], 250)
            self.assertEqual(conversation.command("DATA")[0], 354)
            conversation.send(f"Subject: {marker}\r\n\r\nouter\r\n".encode() + separator +
                              f"MAIL FROM:<evil@remote.test>\r\nRCPT TO:<bob@example.test>\r\n"
                              f"DATA\r\nSubject: injected-{marker}\r\n\r\nsmuggled\r\n".encode() +
                              b".\r\n")
            code, text = conversation.reply()
            self.assertIn(code, (250, 500, 550, 554), repr(separator))
            conversation.command("QUIT")
            # The injected text may only ever be body text of the outer message.
            for raw in self.daemon.stored() + [entry[3] for entry in self.daemon.queued()]:
                header = raw.split(b"\r\n\r\n", 1)[0]
                self.assertNotIn(f"injected-{marker}".encode(), header, repr(separator))
            self.assertLessEqual(len(self.stored_with(f"injected-{marker}")), 1)

    def test_starttls_injection_is_not_executed(self):
        conversation = self.session()
        conversation.command("EHLO inject.remote.test")
        conversation.send("STARTTLS\r\nMAIL FROM:<evil@remote.test>\r\n")
        code, _ = conversation.reply()
        self.assertEqual(code, 220)
        context = ssl.create_default_context(cafile=self.daemon.ca)
        conversation.sock = context.wrap_socket(conversation.sock, server_hostname="localhost")
        conversation.buffer = b""
        # Had the injected MAIL run, this would be 503 (nested MAIL) rather than EHLO-first.
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 503)
        self.assertEqual(conversation.command("EHLO inject.remote.test")[0], 250)
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 250)

    def test_long_lines(self):
        conversation = self.session()
        conversation.command("EHLO long.remote.test")
        code, _ = conversation.command("NOOP " + "x" * 600)
        self.assertEqual(code, 500)
        self.assertEqual(conversation.command("NOOP")[0], 250)
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 250)
        self.assertEqual(conversation.command("RCPT TO:<ada@example.test>")[0], 250)
        self.assertEqual(conversation.command("DATA")[0], 354)
        conversation.send(b"Subject: long-text-line\r\n\r\n" + b"y" * 1200 + b"\r\n.\r\n")
        self.assertEqual(conversation.reply()[0] // 100, 5)
        self.assertEqual(conversation.command("NOOP")[0], 250)
        self.assertFalse(self.stored_with("long-text-line"))

    def test_oversize_declared_and_actual(self):
        conversation = self.session()
        conversation.command("EHLO big.remote.test")
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test> SIZE=900000000")[0], 552)
        self.assertEqual(conversation.command("MAIL FROM:<zed@remote.test>")[0], 250)
        self.assertEqual(conversation.command("RCPT TO:<ada@example.test>")[0], 250)
        self.assertEqual(conversation.command("DATA")[0], 354)
        conversation.send(b"Subject: too-big\r\n\r\n" + (b"z" * 998 + b"\r\n") * 300 + b".\r\n")
        self.assertEqual(conversation.reply()[0], 552)
        self.assertEqual(conversation.command("NOOP")[0], 250)
        self.assertFalse(self.stored_with("too-big"))

    def test_100_recipients(self):
        conversation = self.session()
        conversation.command("EHLO many.remote.test")
        conversation.command("MAIL FROM:<zed@remote.test>")
        for i in range(100):
            self.assertEqual(conversation.command(f"RCPT TO:<ada+r{i}@example.test>")[0], 250)
        self.assertEqual(conversation.command("RCPT TO:<ada+r100@example.test>")[0], 452)

    def test_garbage_bytes_then_service_goes_on(self):
        generator = random.Random(7)
        for _ in range(20):
            try:
                conversation = harness.Conversation(self.daemon.port, timeout=3)
                conversation.send(bytes(generator.randrange(256) for _ in range(4000)))
                conversation.close()
            except OSError:
                pass
        self.assertTrue(self.daemon.alive(), self.daemon.log())
        with smtplib.SMTP("127.0.0.1", self.daemon.port) as client:
            client.sendmail("zed@remote.test", ["ada@example.test"], message("after-garbage"))
        self.assertEqual(len(self.stored_with("after-garbage")), 1)

    def test_idle_client_times_out(self):
        conversation = self.session()
        time.sleep(3.5)
        code, text = conversation.reply()
        self.assertEqual(code, 421, text)
        self.assertTrue(conversation.closed())

    def test_vrfy_discloses_nothing(self):
        conversation = self.session()
        conversation.command("EHLO v.remote.test")
        self.assertEqual(conversation.command("VRFY ada")[0], 252)
        self.assertEqual(conversation.command("VRFY nobody")[0], 252)


class ManyConnectionsTest(unittest.TestCase):
    def test_1000_concurrent_connections_then_a_delivery(self):
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
        daemon = harness.Pigeond(PIGEOND, tls=False,
                                 extra_smtpd="max_connections = 1100\n"
                                             "max_connections_per_ip = 1100").start()
        self.addCleanup(shutil.rmtree, daemon.dir, True)
        self.addCleanup(daemon.stop)
        sockets = []
        try:
            for _ in range(1000):
                sockets.append(socket.create_connection(("127.0.0.1", daemon.port), timeout=10))
            greeted = sum(1 for sock in sockets if sock.recv(512).startswith(b"220"))
            self.assertEqual(greeted, 1000)
            with smtplib.SMTP("127.0.0.1", daemon.port, timeout=10) as client:
                client.sendmail("zed@remote.test", ["ada@example.test"], message("after-1000"))
        finally:
            for sock in sockets:
                sock.close()
        self.assertEqual(len([raw for raw in daemon.stored() if b"after-1000" in raw]), 1)

    def test_per_address_limit(self):
        daemon = harness.Pigeond(PIGEOND, tls=False, extra_smtpd="max_connections_per_ip = 3").start()
        self.addCleanup(shutil.rmtree, daemon.dir, True)
        self.addCleanup(daemon.stop)
        time.sleep(0.3)  # the start-up probe's connection is gone
        held = [harness.Conversation(daemon.port) for _ in range(3)]
        for conversation in held:
            self.assertEqual(conversation.reply()[0], 220)
        refused = harness.Conversation(daemon.port)
        self.assertEqual(refused.reply()[0], 421)
        for conversation in held + [refused]:
            conversation.close()


class LifeCycleTest(unittest.TestCase):
    def test_sighup_reloads_aliases_and_sigterm_exits_cleanly(self):
        daemon = harness.Pigeond(PIGEOND, tls=False, aliases="first: ada\n").start()
        self.addCleanup(shutil.rmtree, daemon.dir, True)
        conversation = harness.Conversation(daemon.port)
        conversation.reply()
        conversation.command("EHLO x.remote.test")
        conversation.command("MAIL FROM:<zed@remote.test>")
        self.assertEqual(conversation.command("RCPT TO:<second@example.test>")[0], 550)
        with open(os.path.join(daemon.dir, "aliases"), "a") as aliases:
            aliases.write("second: ada\n")
        daemon.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "reloaded" not in daemon.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        fresh = harness.Conversation(daemon.port)
        fresh.reply()
        fresh.command("EHLO x.remote.test")
        fresh.command("MAIL FROM:<zed@remote.test>")
        self.assertEqual(fresh.command("RCPT TO:<second@example.test>")[0], 250)
        self.assertEqual(daemon.stop(), 0, daemon.log())
        self.assertEqual(conversation.reply()[0], 421)  # told why, not just cut off
        conversation.close()
        fresh.close()

    def test_builtin_local_profile(self):
        """No configuration file at all: 127.0.0.1:2525, mail for $USER@localhost, the store
        in the XDG data folder (created on first use)."""
        import tempfile
        home = tempfile.mkdtemp(prefix="pigeond-home-")
        self.addCleanup(shutil.rmtree, home, True)
        harness.give_to_nobody(home)
        user = "nobody" if os.geteuid() == 0 else os.environ.get("USER", "")
        command = ["env", "-i", f"HOME={home}", f"USER={user}", "PATH=/usr/bin:/bin",
                   PIGEOND, "-f"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "nobody", "--"] + command
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(200):
                try:
                    with smtplib.SMTP("127.0.0.1", 2525, timeout=5) as client:
                        client.sendmail("zed@remote.test", [f"{user}@localhost"],
                                        message("builtin-profile"))
                    break
                except OSError:
                    time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGTERM)
            _, errors = process.communicate(timeout=15)
        self.assertIn("pigeond: stopped", errors)  # (runuser itself reports the SIGTERM)
        store = os.path.join(home, ".local/share/pigeon/pigeon.db")
        import sqlite3
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
            raws = [bytes(row[0]) for row in db.execute("SELECT raw FROM bodies")]
        self.assertEqual(len([raw for raw in raws if b"builtin-profile" in raw]), 1, errors)

    def test_check_config_and_bad_config(self):
        daemon = harness.Pigeond(PIGEOND, tls=False)
        self.addCleanup(shutil.rmtree, daemon.dir, True)
        done = subprocess.run([PIGEOND, "--check-config", "-C", daemon.config],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(daemon.config, "a") as config:
            config.write("bogus_key = 1\n")
        done = subprocess.run([PIGEOND, "--check-config", "-C", daemon.config],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 78)
        self.assertIn(daemon.config + ":", done.stderr)
        self.assertIn("bogus_key", done.stderr)


if __name__ == "__main__":
    PIGEOND = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)

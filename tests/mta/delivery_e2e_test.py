#!/usr/bin/python3
"""End-to-end tests of pigeond's delivery with real peers on loopback: messages enter the
queue through sendmail, pigeond resolves MX hosts with dnsmasq and hands the mail to
smtp-sink or a scripted aiosmtpd server; the tests check what the receivers saved (byte for
byte where it matters), the queue (mailq and SQLite) and the bounces in the sender's INBOX
(RFC 3464, parsed with Python's email package).

Every receiving MX server listens on one port (the [delivery] port) at its own 127.0.0.x
address. Each test has its own pigeond, config and store; the peers are shared.
Needs root (pigeond drops to nobody, smtp-sink binds as root and drops to nobody).

usage: delivery_e2e_test.py PIGEOND BUILD_MTA_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))

import pigeond_harness as harness  # noqa: E402
from delivery_peers import (Peers, body_of, free_port, free_port_on, parse,  # noqa: E402
                            scripted_saved, sink_dumps, wait_for)

PIGEOND = None
MTA_DIR = None
SENDER = harness.OWNER  # ada@example.test, a local user: bounces land in her INBOX

# 127.0.0.2 smtp-sink (remote.test, aonly.test, mx2 of multi.test); 127.0.0.3 nothing (mx1 of
# multi.test); the others scripted_smtpd.py servers.
EXTRA_DNS = [
    "mx-host=scripted.test,mx.scripted.test,10", "host-record=mx.scripted.test,127.0.0.5",
    "mx-host=seven.test,mx.seven.test,10", "host-record=mx.seven.test,127.0.0.6",
    "mx-host=tls.test,mx.tls.test,10", "host-record=mx.tls.test,127.0.0.7",
    "mx-host=stall.test,mx.stall.test,10", "host-record=mx.stall.test,127.0.0.8",
    "mx-host=later.test,mx.later.test,10", "host-record=mx.later.test,127.0.0.9",
]
ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8",
             "127.0.0.9"]


class World:
    """The shared peers: DNS, smtp-sink, scripted servers, the relay, the test CA."""
    peers = None
    base = None
    dns_port = mx_port = relay_port = 0
    password_hash = None
    ca = cert = key = None

    @classmethod
    def dir(cls, name):
        path = os.path.join(cls.base, name)
        os.makedirs(path, exist_ok=True)
        return path


def setUpModule():
    World.base = tempfile.mkdtemp(prefix="pigeon-deliv-")
    World.peers = Peers(World.base)
    try:
        World.ca, World.cert, World.key = harness.make_certificates(
            World.dir("tls"), ("mx.tls.test", "localhost"), ("127.0.0.1", "127.0.0.7"))
        World.password_hash = harness.hash_password(PIGEOND, harness.PASSWORD)
        World.dns_port = World.peers.start_dns(EXTRA_DNS)
        World.mx_port = free_port_on(ADDRESSES)
        port = World.mx_port
        World.peers.start_sink("127.0.0.2", port, World.dir("sink"))
        World.peers.start_scripted("127.0.0.5", port, World.dir("scripted"))
        World.peers.start_scripted("127.0.0.6", port, World.dir("seven"), "--no-8bitmime")
        World.peers.start_scripted("127.0.0.7", port, World.dir("tlsmx"),
                                   "--tls", World.cert, World.key)
        World.relay_port = free_port()
        World.peers.start_scripted("127.0.0.1", World.relay_port, World.dir("relay"),
                                   "--tls", World.cert, World.key, "--auth", "pigeon:secret")
    except BaseException:
        World.peers.stop_all()
        raise


def tearDownModule():
    World.peers.stop_all()


_message_number = 0


def message(to, subject, body=None, extra_headers=""):
    """A message with a unique Message-ID; returns (message-id, bytes, body bytes as CRLF)."""
    global _message_number
    _message_number += 1
    message_id = f"<e2e-{_message_number}.{time.time_ns()}@example.test>"
    if body is None:
        body = (f"Hello {to}.\n"
                ".a line that starts with a dot\n"
                "..two dots\n"
                ".\n"
                "From the start of a line\n"
                "trailing spaces   \n"
                "\n"
                "-- \nAda\n")
    text = (f"From: Ada <{SENDER}>\nTo: {to}\nSubject: {subject}\n"
            f"Message-ID: {message_id}\nDate: Sun, 29 Nov 2026 08:00:00 +0000\n"
            f"{extra_headers}\n{body}")
    data = text.encode() if isinstance(text, str) else text
    return message_id, data, body.encode().replace(b"\n", b"\r\n")


def sink_with(message_id):
    """smtp-sink dumps of one message: [(recipients, bytes)]."""
    needle = f"Message-ID: {message_id}".encode()
    return [dump for dump in sink_dumps(World.dir("sink")) if needle in dump[1]]


def saved_with(name, message_id):
    needle = f"Message-ID: {message_id}".encode()
    return [item for item in scripted_saved(World.dir(name)) if needle in item[1]]


def states_of(pigeond, queue_id=None):
    """{recipient: (state, attempts, last_reply)} in the queue, for one message or all."""
    return {row[2]: (row[3], row[4], row[5] or "") for row in pigeond.queue_states()
            if queue_id is None or row[0] == queue_id}


def inbox(pigeond):
    return [parse(raw) for raw in pigeond.stored("INBOX")]


def dsn_parts(report):
    """(text part, message/delivery-status part, returned content part) of a bounce."""
    assert report.get_content_type() == "multipart/report", report.get_content_type()
    assert report.get_param("report-type") == "delivery-status"
    parts = report.get_payload()
    assert len(parts) == 3, [p.get_content_type() for p in parts]
    assert parts[0].get_content_type() == "text/plain"
    assert parts[1].get_content_type() == "message/delivery-status"
    assert parts[2].get_content_type() in ("text/rfc822-headers", "message/rfc822")
    return parts


def per_recipient(status_part):
    """The per-recipient blocks of a message/delivery-status part, by final recipient."""
    blocks = status_part.get_payload()  # the per-message block, then one per recipient
    found = {}
    for block in blocks[1:]:
        final = block["Final-Recipient"]
        found[final.split(";", 1)[1].strip().lower()] = block
    return blocks[0], found


class DeliveryTest(unittest.TestCase):
    """Helpers for the tests: a pigeond of their own, sending through sendmail."""

    def pigeond(self, delivery="", start=True):
        # Short: "<store>.wake" must fit a socket address (108 bytes).
        directory = tempfile.mkdtemp(prefix=self._testMethodName[5:8], dir=World.base)
        lines = [f"port = {World.mx_port}", f'dns_servers = ["127.0.0.1:{World.dns_port}"]',
                 'retry_first = "1s"', 'retry_max = "2s"', 'connect_timeout = "3s"', delivery]
        daemon = harness.Pigeond(PIGEOND, directory=directory, tls=False,
                                 password_hash=World.password_hash,
                                 delivery="\n".join(lines), mta_dir=MTA_DIR)
        self.addCleanup(self.stop, daemon)
        if start:
            daemon.start()
        return daemon

    def stop(self, daemon):
        if daemon.alive():
            daemon.stop(timeout=20)

    def send(self, daemon, recipients, data, sender=SENDER):
        """sendmail -f sender recipients < data; returns the queue id (from the queue)."""
        before = {row[0] for row in daemon.queue_states()}
        done = daemon.sendmail(recipients, data, sender=sender, args=["-i", "-v"])
        match = re.search(r"queued as ([0-9A-Z]+)", done.stderr.decode())
        self.assertIsNotNone(match, done.stderr)
        self.assertNotIn(match.group(1), before)
        return match.group(1)

    def wait_state(self, daemon, queue_id, recipient, states, timeout=15):
        """Waits until `recipient` of `queue_id` is in one of `states` ("gone" = the message
        left the queue); returns (state, attempts, last_reply)."""
        def look():
            entry = states_of(daemon, queue_id).get(recipient)
            if entry is None:
                return ("gone", 0, "") if "gone" in states else None
            return entry if entry[0] in states else None
        try:
            return wait_for(look, timeout, f"{recipient} of {queue_id} to be {states}")
        except AssertionError:
            raise AssertionError(f"{recipient} never {states}: {states_of(daemon, queue_id)}\n"
                                 + daemon.log()[-4000:])

    def wait_empty(self, daemon, timeout=15):
        try:
            wait_for(lambda: not daemon.queue_states(), timeout, "an empty queue")
        except AssertionError:
            raise AssertionError(daemon.mailq() + daemon.log()[-4000:])
        self.assertEqual(daemon.mailq(), "Mail queue is empty\n")

    def assert_log(self, daemon, pattern):
        self.assertRegex(daemon.log(), pattern)

    def assert_same_body(self, received, sent_body):
        """The body arrived byte for byte (the header may have gained trace fields)."""
        self.assertEqual(body_of(received), sent_body)


class MxDelivery(DeliveryTest):
    def test_01_delivered_to_the_mx_host(self):
        daemon = self.pigeond()
        message_id, data, body = message("bob@remote.test", "plain delivery")
        queue_id = self.send(daemon, ["bob@remote.test"], data)
        dumps = wait_for(lambda: sink_with(message_id), 15, "the sink to receive the message")
        self.assertEqual(len(dumps), 1)
        recipients, received = dumps[0]
        self.assertEqual(recipients, ["bob@remote.test"])
        self.assert_same_body(received, body)
        self.assertIn(b"Subject: plain delivery\r\n", received)
        self.wait_empty(daemon)
        self.assert_log(daemon, rf"{queue_id}: to=<bob@remote\.test>, delay=\d+, tries=1, "
                                rf"status=sent \(host mx\.remote\.test\[127\.0\.0\.2\] said: 250")
        self.assert_log(daemon, rf"{queue_id}: removed")

    def test_02_second_mx_when_the_first_refuses(self):
        daemon = self.pigeond()
        message_id, data, body = message("carol@multi.test", "fallback")
        queue_id = self.send(daemon, ["carol@multi.test"], data)
        dumps = wait_for(lambda: sink_with(message_id), 15, "delivery through MX 20")
        self.assertEqual([d[0] for d in dumps], [["carol@multi.test"]])
        self.assert_same_body(dumps[0][1], body)
        self.wait_empty(daemon)
        self.assert_log(daemon, rf"{queue_id}: to=<carol@multi\.test>, .*status=sent \(host "
                                rf"mx2\.multi\.test\[127\.0\.0\.2\] said: 250")

    def test_03_dns_cases(self):
        daemon = self.pigeond()
        sent = {}
        for recipient in ["dave@aonly.test", "nobody@nullmx.test", "ghost@nx.test",
                          "someone@servfail.test"]:
            message_id, data, body = message(recipient, "dns " + recipient)
            sent[recipient] = (self.send(daemon, [recipient], data), message_id, body)
        # A only: the domain is its own MX (RFC 5321 §5.1).
        dumps = wait_for(lambda: sink_with(sent["dave@aonly.test"][1]), 15, "implicit MX")
        self.assertEqual(dumps[0][0], ["dave@aonly.test"])
        self.assert_same_body(dumps[0][1], sent["dave@aonly.test"][2])
        # Null MX and NXDOMAIN: bounced at the first attempt, one bounce each.
        for recipient in ["nobody@nullmx.test", "ghost@nx.test"]:
            self.wait_state(daemon, sent[recipient][0], recipient, {"gone"})
        wait_for(lambda: len(inbox(daemon)) >= 2, 10, "two bounces")
        bounces = inbox(daemon)
        self.assertEqual(len(bounces), 2)
        statuses = {}
        for bounce in bounces:
            _, status_part, returned = dsn_parts(bounce)
            _, blocks = per_recipient(status_part)
            self.assertEqual(len(blocks), 1)
            (recipient, block), = blocks.items()
            self.assertEqual(block["Action"], "failed")
            statuses[recipient] = block["Status"]
            self.assertIn(f"Message-ID: {sent[recipient][1]}", returned.as_string())
        self.assertEqual(statuses["nobody@nullmx.test"], "5.1.10")
        self.assertRegex(statuses["ghost@nx.test"], r"^5\.\d+\.\d+$")
        # SERVFAIL: deferred, still queued, with the reason in mailq.
        queue_id = sent["someone@servfail.test"][0]
        state, attempts, reply = self.wait_state(daemon, queue_id, "someone@servfail.test",
                                                 {"deferred"})
        self.assertGreaterEqual(attempts, 1)
        listing = daemon.mailq()
        self.assertIn(queue_id, listing)
        self.assertIn("someone@servfail.test", listing)
        self.assertIn(f"({reply})", listing)
        self.assertRegex(reply.lower(), r"servfail|temporar|try again|server fail")
        self.assert_log(daemon, rf"{queue_id}: to=<someone@servfail\.test>, .*status=deferred")
        # Nothing of the bounced or deferred ones reached any server.
        for recipient in ["nobody@nullmx.test", "ghost@nx.test", "someone@servfail.test"]:
            self.assertEqual(sink_with(sent[recipient][1]), [])


class ScriptedPeers(DeliveryTest):
    def test_04a_replies_per_recipient(self):
        daemon = self.pigeond()
        rcpts = ["ok@scripted.test", "temp@scripted.test", "perm@scripted.test"]
        message_id, data, body = message(", ".join(rcpts), "per recipient")
        queue_id = self.send(daemon, rcpts, data)
        saved = wait_for(lambda: saved_with("scripted", message_id), 15, "the accepted part")
        self.assertEqual(len(saved), 1)
        envelope, received = saved[0]
        self.assertEqual(envelope["rcpt"], ["ok@scripted.test"])
        self.assertTrue(envelope["MAIL FROM"].startswith(SENDER))
        self.assert_same_body(received, body)
        state, _, reply = self.wait_state(daemon, queue_id, "temp@scripted.test", {"deferred"})
        self.assertIn("451 4.3.0 try again later", reply)
        states = states_of(daemon, queue_id)
        self.assertEqual(states["ok@scripted.test"][0], "delivered")
        self.assertEqual(states["perm@scripted.test"][0], "bounced")
        self.assertIn("550 5.1.1 no such user", states["perm@scripted.test"][2])
        listing = daemon.mailq()
        self.assertIn("451 4.3.0 try again later", listing)
        self.assertRegex(listing, r"ok@scripted\.test \[delivered\]")
        self.assertRegex(listing, r"perm@scripted\.test \[bounced\]")
        self.assert_log(daemon, rf"{queue_id}: to=<perm@scripted\.test>, .*status=bounced "
                                rf"\(host mx\.scripted\.test\[127\.0\.0\.5\] said: 550 5\.1\.1")

    def test_04b_connection_dropped_mid_data(self):
        daemon = self.pigeond()
        message_id, data, body = message("drop@scripted.test", "dropped",
                                         body="line\n" * 20000)
        queue_id = self.send(daemon, ["drop@scripted.test"], data)
        state, attempts, reply = self.wait_state(daemon, queue_id, "drop@scripted.test",
                                                 {"deferred"})
        self.assertTrue(os.path.exists(os.path.join(World.dir("scripted"), "dropped")))
        self.assertRegex(reply, r"lost connection with mx\.scripted\.test\[127\.0\.0\.5\]")
        self.assertEqual(saved_with("scripted", message_id), [])
        self.assert_log(daemon, rf"{queue_id}: to=<drop@scripted\.test>, .*status=deferred")
        self.assertNotRegex(daemon.log(), rf"{queue_id}: to=<drop@scripted\.test>, .*status=sent")

    def test_04c_stalled_server_blocks_nothing_else(self):
        """The RFC 5321 timeout after the final dot is 10 minutes, too long to wait for here;
        instead: a server that never answers after DATA holds only its own recipient, which
        stays inflight (not delivered) while other domains' mail goes out, and it is
        deferred, not delivered, once the connection ends."""
        stall_dir = World.dir("stall")
        stall_server = World.peers.start_scripted("127.0.0.8", World.mx_port, stall_dir)
        daemon = self.pigeond()
        stuck_id, data, _ = message("stall@stall.test", "stalled")
        stuck_queue_id = self.send(daemon, ["stall@stall.test"], data)
        wait_for(lambda: os.path.exists(os.path.join(stall_dir, "stalled.1")), 15,
                 "the stalling server to read the data")
        other_id, data, body = message("erin@remote.test", "not blocked")
        other_queue_id = self.send(daemon, ["erin@remote.test"], data)
        dumps = wait_for(lambda: sink_with(other_id), 15, "delivery beside the stalled one")
        self.assert_same_body(dumps[0][1], body)
        self.wait_state(daemon, other_queue_id, "erin@remote.test", {"gone"})
        time.sleep(1)  # well past pigeond's one-second tick: still no decision
        state, attempts, _ = states_of(daemon, stuck_queue_id)["stall@stall.test"]
        self.assertEqual((state, attempts), ("inflight", 1))
        self.assertRegex(daemon.mailq(), rf"(?m)^{stuck_queue_id} *\*")  # active, as in Postfix
        self.assertNotRegex(daemon.log(), rf"{stuck_queue_id}: to=<stall@stall\.test>")
        # The server gives up: the recipient is deferred (at least once, never presumed sent).
        World.peers.stop(stall_server)
        state, _, reply = self.wait_state(daemon, stuck_queue_id, "stall@stall.test",
                                          {"deferred"})
        self.assertRegex(reply, r"lost connection with mx\.stall\.test\[127\.0\.0\.8\]")
        self.assertEqual(saved_with("stall", stuck_id), [])

    def test_04d_eight_bit_to_a_server_without_8bitmime(self):
        daemon = self.pigeond()
        text = ("Grüße aus Zürich, naïve café, 1 × 2 = 2, “quotes” — and a long line: "
                + "é" * 60 + "\n" + "=equals at the start\nend.\n")
        message_id, data, body = message(
            "frank@seven.test, frank@remote.test", "8bit",
            body=text, extra_headers="MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n")
        self.send(daemon, ["frank@seven.test", "frank@remote.test"], data)
        saved = wait_for(lambda: saved_with("seven", message_id), 15, "the 7-bit server")
        envelope, received = saved[0]
        self.assertTrue(all(byte < 0x80 for byte in received), "8-bit bytes arrived")
        self.assertNotIn("8BITMIME", envelope["MAIL FROM"])
        parsed = parse(received)
        self.assertEqual(parsed["Content-Transfer-Encoding"].lower(), "quoted-printable")
        self.assertEqual(parsed.get_content().replace("\r\n", "\n"), text)
        # The same message to a server with 8BITMIME goes unchanged.
        dumps = wait_for(lambda: sink_with(message_id), 15, "the 8BITMIME server")
        self.assert_same_body(dumps[0][1], body)
        self.wait_empty(daemon)

    def test_04e_starttls_verified_with_the_test_ca(self):
        daemon = self.pigeond(f'tls = "verify"\nca_file = "{World.ca}"')
        message_id, data, body = message("gus@tls.test", "over tls")
        queue_id = self.send(daemon, ["gus@tls.test"], data)
        saved = wait_for(lambda: saved_with("tlsmx", message_id), 15, "delivery over TLS")
        envelope, received = saved[0]
        self.assertEqual(envelope["TLS"], "True")
        self.assertEqual(envelope["rcpt"], ["gus@tls.test"])
        self.assert_same_body(received, body)
        self.wait_empty(daemon)
        self.assert_log(daemon, rf"{queue_id}: to=<gus@tls\.test>, .*status=sent")

    def test_04f_tls_required_but_not_offered(self):
        daemon = self.pigeond('tls = "required"')
        message_id, data, _ = message("hal@scripted.test", "needs tls")
        queue_id = self.send(daemon, ["hal@scripted.test"], data)
        state, _, reply = self.wait_state(daemon, queue_id, "hal@scripted.test", {"deferred"})
        self.assertIn("TLS is required, but was not offered by host "
                      "mx.scripted.test[127.0.0.5]", reply)
        self.assertIn(reply, daemon.mailq())
        self.assertEqual(saved_with("scripted", message_id), [])

    def test_05_deferred_then_delivered_when_the_peer_recovers(self):
        daemon = self.pigeond()
        rcpts = ["flaky@scripted.test", "ivy@later.test"]
        message_id, data, body = message(", ".join(rcpts), "recovers")
        queue_id = self.send(daemon, rcpts, data)
        _, _, reply = self.wait_state(daemon, queue_id, "ivy@later.test", {"deferred"})
        self.assertIn("connect to mx.later.test[127.0.0.9]", reply)
        self.assertIn("Connection refused", reply)
        self.assertIn("Connection refused", daemon.mailq())
        # flaky@ got 451 at the first try; it is delivered at a retry, one second later.
        saved = wait_for(lambda: saved_with("scripted", message_id), 15, "the retry")
        self.assertEqual([s[0]["rcpt"] for s in saved], [["flaky@scripted.test"]])
        self.assert_log(daemon, rf"{queue_id}: to=<flaky@scripted\.test>, .*tries=1, "
                                rf"status=deferred .*451 4\.7\.1 greylisted")
        # The MX of later.test comes up.
        World.peers.start_scripted("127.0.0.9", World.mx_port, World.dir("later"))
        saved = wait_for(lambda: saved_with("later", message_id), 15, "delivery after recovery")
        self.assertEqual(saved[0][0]["rcpt"], ["ivy@later.test"])
        self.assert_same_body(saved[0][1], body)
        self.wait_empty(daemon)
        self.assertEqual(inbox(daemon), [])  # no bounce, no delay warning


class Bounces(DeliveryTest):
    def test_06_bounce_content(self):
        daemon = self.pigeond()
        rcpts = ["perm1@scripted.test", "perm2@scripted.test", "fine@scripted.test"]
        message_id, data, _ = message(", ".join(rcpts), "will bounce")
        queue_id = self.send(daemon, rcpts, data)
        self.wait_state(daemon, queue_id, "perm1@scripted.test", {"gone"})
        bounces = wait_for(lambda: inbox(daemon), 10, "the bounce")
        time.sleep(0.5)
        bounces = inbox(daemon)
        self.assertEqual(len(bounces), 1)  # one bounce for the message, both recipients
        bounce = bounces[0]
        self.assertEqual(bounce["To"].addresses[0].addr_spec, SENDER)
        raw = daemon.stored("INBOX")[0]
        self.assertRegex(raw, rb"^Return-Path: <>\r\n")
        text, status_part, returned = dsn_parts(bounce)
        self.assertIn("perm1@scripted.test", text.get_content())
        per_message, blocks = per_recipient(status_part)
        self.assertIn("Reporting-MTA", per_message)
        self.assertEqual(sorted(blocks), ["perm1@scripted.test", "perm2@scripted.test"])
        for block in blocks.values():
            self.assertEqual(block["Action"], "failed")
            self.assertEqual(block["Status"], "5.1.1")
            self.assertRegex(block["Diagnostic-Code"], r"^smtp; 550 5\.1\.1 no such user")
            self.assertRegex(block["Remote-MTA"], r"^dns; mx\.scripted\.test")
        returned_text = returned.as_string()
        self.assertIn(f"Message-ID: {message_id}", returned_text)
        self.assertIn("Subject: will bounce", returned_text)
        self.assertEqual(saved_with("scripted", message_id)[0][0]["rcpt"], ["fine@scripted.test"])
        self.wait_empty(daemon)

        # From the null sender: bounced, and no bounce of the bounce.
        null_id, data, _ = message("perm3@scripted.test", "from the null sender")
        null_queue_id = self.send(daemon, ["perm3@scripted.test"], data, sender="<>")
        self.wait_state(daemon, null_queue_id, "perm3@scripted.test", {"gone"})
        self.assert_log(daemon, rf"{null_queue_id}: to=<perm3@scripted\.test>, "
                                rf".*status=bounced")
        self.assert_log(daemon, rf"{null_queue_id}: no notification: the sender is the null "
                                rf"sender")
        time.sleep(0.5)
        self.assertEqual(len(inbox(daemon)), 1)
        self.wait_empty(daemon)


class RelayHost(DeliveryTest):
    def relay_config(self, password_command):
        return (f'relayhost = "127.0.0.1:{World.relay_port}"\nrelay_user = "pigeon"\n'
                f'relay_password_command = "{password_command}"\nca_file = "{World.ca}"')

    def test_07a_relay_with_auth_over_tls(self):
        daemon = self.pigeond(self.relay_config("echo secret"))
        # Domains the test DNS does not know: a relay host means no MX lookups.
        rcpts = ["joe@far.example", "kim@nx.test"]
        message_id, data, body = message(", ".join(rcpts), "relayed")
        queue_id = self.send(daemon, rcpts, data)
        saved = wait_for(lambda: saved_with("relay", message_id), 15, "the relay host")
        envelope, received = saved[0]
        self.assertEqual(envelope["TLS"], "True")
        self.assertEqual(envelope["AUTH"], "pigeon")
        self.assertEqual(sorted(envelope["rcpt"]), sorted(rcpts))
        self.assert_same_body(received, body)
        self.wait_empty(daemon)
        self.assert_log(daemon, rf"{queue_id}: to=<joe@far\.example>, .*status=sent")

    def test_07b_relay_with_a_wrong_password(self):
        daemon = self.pigeond(self.relay_config("echo wrong"))
        message_id, data, _ = message("lou@far.example", "refused")
        queue_id = self.send(daemon, ["lou@far.example"], data)
        state, _, reply = self.wait_state(daemon, queue_id, "lou@far.example", {"deferred"})
        self.assertIn("535", reply)
        self.assertIn("535", daemon.mailq())
        self.assertEqual(saved_with("relay", message_id), [])
        self.assertEqual(inbox(daemon), [])


class DaemonDown(DeliveryTest):
    def test_08_queued_while_down_delivered_at_start(self):
        daemon = self.pigeond(start=False)
        message_id, data, body = message("max@remote.test", "while down")
        done = daemon.sendmail(["max@remote.test"], data, sender=SENDER, args=["-i", "-v"])
        self.assertEqual(done.returncode, 0)
        queue_id = re.search(r"queued as ([0-9A-Z]+)", done.stderr.decode()).group(1)
        listing = daemon.mailq()
        self.assertRegex(listing, rf"(?m)^{queue_id} +\d+ .*{re.escape(SENDER)}$")
        self.assertRegex(listing, r"(?m)^ +max@remote\.test$")
        self.assertIn("-- 1 Kbytes in 1 Request.", listing)
        flush = daemon.flush()  # nobody to wake: says so, the message stays
        self.assertNotEqual(flush.returncode, 0)
        self.assertIn("not running", flush.stderr)
        time.sleep(0.5)
        self.assertEqual(sink_with(message_id), [])
        daemon.start()
        dumps = wait_for(lambda: sink_with(message_id), 15, "delivery after the start")
        self.assert_same_body(dumps[0][1], body)
        self.wait_empty(daemon)

    def test_08b_held_message_goes_out_only_when_due(self):
        """A message held as the reader's undo send and send later hold it (queued with its
        next attempt ahead) is not delivered at pigeond's start, only once it falls due."""
        daemon = self.pigeond(start=False)
        message_id, data, body = message("held@remote.test", "held back")
        queue_id = self.send(daemon, ["held@remote.test"], data)
        due = int(time.time()) + 5
        # As the store's owner (nobody), with the system Python the other tests use too.
        subprocess.run(["/usr/bin/python3", "-c",
                        "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
                        "db.execute('UPDATE queue_recipients SET next_attempt = ?', "
                        "(int(sys.argv[2]),)); db.commit()", daemon.store, str(due)],
                       check=True, **daemon._as_owner())
        daemon.start()
        # Up to a moment before it is due, the receiver sees nothing and it stays queued.
        while time.time() < due - 0.5:
            self.assertEqual(sink_with(message_id), [])
            self.assertEqual(states_of(daemon, queue_id)["held@remote.test"][0], "queued")
            time.sleep(0.1)
        dumps = wait_for(lambda: sink_with(message_id), 15, "delivery once due")
        self.assertGreaterEqual(time.time(), due)
        self.assert_same_body(dumps[0][1], body)
        self.wait_empty(daemon)
        self.assert_log(daemon, rf"{queue_id}: to=<held@remote\.test>, delay=\d+, tries=1, "
                                rf"status=sent")

    def test_09_store_path_too_long_for_the_wake_socket(self):
        """"<store>.wake" cannot be a socket address past 107 bytes: pigeond goes on without
        wakeups (it looks at the queue every second) instead of aborting."""
        deep = tempfile.mkdtemp(prefix="d" * 100, dir=World.base)
        daemon = harness.Pigeond(PIGEOND, directory=deep, tls=False,
                                 password_hash=World.password_hash, mta_dir=MTA_DIR,
                                 delivery=f"port = {World.mx_port}\n"
                                          f'dns_servers = ["127.0.0.1:{World.dns_port}"]')
        self.addCleanup(self.stop, daemon)
        daemon.start()
        self.assertIn("sendmail cannot wake pigeond", daemon.log())
        message_id, data, body = message("nat@remote.test", "no wakeups")
        self.send(daemon, ["nat@remote.test"], data)
        dumps = wait_for(lambda: sink_with(message_id), 15, "delivery at the next tick")
        self.assert_same_body(dumps[0][1], body)
        self.wait_empty(daemon)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    PIGEOND = os.path.abspath(sys.argv[1])
    MTA_DIR = os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        sys.exit("delivery_e2e_test.py needs root (smtp-sink, pigeond dropping to nobody)")
    started = time.monotonic()
    program = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], exit=False)
    ok = program.result.wasSuccessful()
    if World.base and ok:
        shutil.rmtree(World.base, ignore_errors=True)
    elif World.base:
        print("kept for inspection:", World.base, file=sys.stderr)
    print(f"delivery e2e: {time.monotonic() - started:.1f} s", file=sys.stderr)
    sys.exit(0 if ok else 1)

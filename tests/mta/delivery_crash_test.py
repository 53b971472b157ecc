#!/usr/bin/python3
"""Crash test of pigeond's queue runner: 1,000 messages (3 recipients each, at 2 domains) are
queued through sendmail while pigeond is down; pigeond then delivers them to smtp-sink and is
SIGKILLed at random moments (50-500 ms apart), restarted each time. After a final clean run
every (message, recipient) pair must have reached the sink at least once, the queue must be
empty, the store intact and no bounce sent. Duplicates (at-least-once) are counted and
printed, not failed.

Needs root (smtp-sink binds as root and drops to nobody; pigeond drops to nobody).

usage: delivery_crash_test.py PIGEOND BUILD_MTA_DIR [KILLS] [MESSAGES]
"""
import collections
import concurrent.futures
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))

import pigeond_harness as harness  # noqa: E402
from delivery_peers import Peers, free_port_on, sink_dumps, wait_for  # noqa: E402

SENDER = harness.OWNER
MESSAGE_ID = re.compile(rb"(?mi)^Message-ID: (<[^>\r\n]+>)")


def recipients_of(number):
    # Two domains (remote.test by MX, aonly.test by its A record), three recipients.
    return [f"u{number % 7}@remote.test", f"v{number % 5}@remote.test",
            f"w{number % 3}@aonly.test"]


def make_message(number):
    message_id = f"<crash-{number}@example.test>"
    to = ", ".join(recipients_of(number))
    body = "".join(f"line {line} of message {number}\n" for line in range(number % 40 + 1))
    return message_id, (f"From: <{SENDER}>\nTo: {to}\nSubject: crash {number}\n"
                        f"Message-ID: {message_id}\n\n{body}").encode()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if os.geteuid() != 0:
        sys.exit("delivery_crash_test.py needs root")
    pigeond_binary, mta_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    kills_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    seed = int(os.environ.get("PIGEON_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    print(f"seed {seed} (PIGEON_CRASH_SEED to repeat)", flush=True)

    base = tempfile.mkdtemp(prefix="pigeon-delivery-crash-")
    peers = Peers(base)
    daemon = None
    ok = False
    started = time.monotonic()
    try:
        dns_port = peers.start_dns()
        port = free_port_on(["127.0.0.2"])
        sink_dir = os.path.join(base, "sink")
        # About 1 DATA in 100 is answered a second (or more) late: a connection's batch of
        # messages then takes long enough for the kills to land in the middle of it.
        peers.start_sink("127.0.0.2", port, sink_dir, extra=["-W", "data:1:1"])
        delivery = "\n".join([f"port = {port}", f'dns_servers = ["127.0.0.1:{dns_port}"]',
                              'retry_first = "1s"', 'retry_max = "2s"'])
        os.makedirs(os.path.join(base, "pigeond"))
        daemon = harness.Pigeond(pigeond_binary, directory=os.path.join(base, "pigeond"),
                                 tls=False, delivery=delivery, mta_dir=mta_dir)

        # Queue everything with pigeond down (sendmail in parallel: they share the store).
        expected = {}
        def submit(number):
            message_id, data = make_message(number)
            daemon.sendmail(recipients_of(number), data, sender=SENDER)
            return message_id, number
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            for message_id, number in pool.map(submit, range(count)):
                expected[message_id] = set(recipients_of(number))
        queued = daemon.queue_states()
        assert len(queued) == 3 * count, len(queued)
        assert {row[3] for row in queued} == {"queued"}, {row[3] for row in queued}
        print(f"queued {count} messages, {len(queued)} recipients in "
              f"{time.monotonic() - started:.1f} s", flush=True)

        # Kill pigeond at random moments while it delivers.
        kills = 0
        progress = []
        while kills < kills_wanted:
            daemon.start()
            time.sleep(rng.uniform(0.05, 0.5))
            if not daemon.alive():
                raise AssertionError("pigeond died by itself:\n" + daemon.log()[-4000:])
            daemon.process.send_signal(signal.SIGKILL)
            daemon.process.wait()
            kills += 1
            states = collections.Counter(row[3] for row in daemon.queue_states())
            progress.append(sum(states.values()))
            if daemon.integrity() != "ok":
                raise AssertionError("store damaged after kill %d" % kills)
        print(f"{kills} kills; recipients left in the queue after each: {progress}",
              flush=True)

        # A final clean run empties the queue.
        daemon.start()
        try:
            wait_for(lambda: not daemon.queue_states(), 90, "the queue to empty", 0.2)
        except AssertionError:
            left = collections.Counter(row[3] for row in daemon.queue_states())
            raise AssertionError(f"queue not empty: {left}\n" + daemon.log()[-4000:])
        assert daemon.stop() == 0, "pigeond did not stop cleanly"
        assert daemon.mailq() == "Mail queue is empty\n", daemon.mailq()
        assert daemon.integrity() == "ok"
        assert daemon.stored("INBOX") == [], "bounces were sent"

        # Every pair arrived at least once; count the duplicates.
        received = collections.Counter()
        aborted = 0
        for recipients, data in sink_dumps(sink_dir):
            match = MESSAGE_ID.search(data)
            if not match and b"\n\n" not in data:
                # smtp-sink opens its dump at MAIL FROM: a kill before the message's header was
                # sent leaves it without one. Not a delivery (pigeond saw no 250, so it tried
                # again); a pair that never arrived whole is caught as missing below.
                aborted += 1
                continue
            assert match, data[:300]
            for recipient in recipients:
                received[(match.group(1).decode(), recipient)] += 1
        wanted = {(mid, rcpt) for mid, rcpts in expected.items() for rcpt in rcpts}
        missing = wanted - set(received)
        unexpected = set(received) - wanted
        assert not missing, f"{len(missing)} pairs never delivered, e.g. {sorted(missing)[:5]}"
        assert not unexpected, f"unexpected pairs: {sorted(unexpected)[:5]}"
        duplicates = sum(n - 1 for n in received.values())
        duplicated_pairs = sum(1 for n in received.values() if n > 1)
        recovered = re.findall(r"queue: (\d+) recipients of an interrupted run are queued again",
                               daemon.log())
        print(f"all {len(wanted)} (message, recipient) pairs delivered; {duplicates} duplicate "
              f"deliveries ({duplicated_pairs} pairs more than once); {len(recovered)} restarts "
              f"recovered inflight recipients ({sum(map(int, recovered))} in all); "
              f"{aborted} transactions cut off by a kill; {time.monotonic() - started:.1f} s",
              flush=True)
        ok = True
    finally:
        if daemon is not None:
            daemon.kill()
        peers.stop_all()
        if ok:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print("kept for inspection:", base, file=sys.stderr)
            if daemon is not None:
                print(daemon.log()[-3000:], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

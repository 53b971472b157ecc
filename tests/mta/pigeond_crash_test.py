#!/usr/bin/python3
"""Crash test of pigeond's promise: a message whose DATA got 250 is durable. Clients send
continuously over several sessions while pigeond is SIGKILLed at random moments (50 times by
default) and restarted; at the end every acknowledged message must be in the store exactly
once, byte for byte, and the database must pass integrity_check.

usage: pigeond_crash_test.py PIGEOND_BINARY [KILLS]
"""
import os
import random
import shutil
import smtplib
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pigeond_harness as harness  # noqa: E402

CLIENTS = 4


def message(marker):
    return (f"From: zed@remote.test\r\nTo: ada@example.test\r\nSubject: {marker}\r\n"
            f"Message-ID: <{marker}@remote.test>\r\n\r\nbody of {marker}\r\n"
            + "filler line to give the message some weight\r\n" * 40).encode()


def client(port, name, acknowledged, stop):
    sequence = 0
    while not stop.is_set():
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                while not stop.is_set():
                    sequence += 1
                    marker = f"crash-{name}-{sequence}"
                    smtp.sendmail("zed@remote.test", ["ada@example.test"], message(marker))
                    acknowledged.append(marker)  # sendmail returned: DATA got 250
        except (OSError, smtplib.SMTPException):
            time.sleep(0.01)  # pigeond is down: try again


def main():
    pigeond = os.path.abspath(sys.argv[1])
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    generator = random.Random(int(os.environ.get("SEED", "12345")))
    daemon = harness.Pigeond(pigeond, tls=False)
    acknowledged = []
    stop = threading.Event()
    try:
        daemon.start()
        threads = [threading.Thread(target=client, args=(daemon.port, i, acknowledged, stop))
                   for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for kill in range(kills):
            time.sleep(generator.uniform(0.05, 0.6))
            daemon.kill()
            daemon.start()
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join()
        daemon.stop()
        stored = {}
        for raw in daemon.stored():
            body = harness.strip_trace(raw)
            marker = body.split(b"Subject: ", 1)[1].split(b"\r\n", 1)[0].decode()
            stored.setdefault(marker, []).append(body)
        missing = [marker for marker in acknowledged if marker not in stored]
        duplicated = [marker for marker in acknowledged if len(stored.get(marker, [])) > 1]
        corrupt = [marker for marker in acknowledged
                   if marker in stored and stored[marker][0] != message(marker)]
        integrity = daemon.integrity()
        print(f"{kills} kills, {len(acknowledged)} messages acknowledged, {len(stored)} stored, "
              f"{len(missing)} missing, {len(duplicated)} duplicated, {len(corrupt)} corrupt, "
              f"integrity {integrity}")
        if missing or duplicated or corrupt or integrity != "ok" or len(acknowledged) < kills:
            print("FAILED: missing", missing[:10], "duplicated", duplicated[:10],
                  "corrupt", corrupt[:10], file=sys.stderr)
            return 1
        return 0
    finally:
        stop.set()
        daemon.kill()
        shutil.rmtree(daemon.dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

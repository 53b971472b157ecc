#!/usr/bin/python3
"""pigeond on a full disk: its store sits on a 2 MB tmpfs (mounted in a private mount
namespace, so this needs root; it fails rather than skips without it, since CI runs as root).
Clients send 40 KB messages until the disk is full. Each message either gets 250 and is in
the store, or gets 452 4.3.1 (temporary); pigeond keeps running and answering, the database
passes integrity_check, and after space is freed delivery works again.

usage: pigeond_full_disk_test.py PIGEOND_BINARY
"""
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pigeond_harness as harness  # noqa: E402


def message(marker):
    return (f"From: zed@remote.test\r\nTo: ada@example.test\r\nSubject: {marker}\r\n\r\n"
            + f"{marker} padding line of a message meant to fill the disk quickly.\r\n" * 600
            ).encode()


def inside(pigeond, work):
    mount = os.path.join(work, "mnt")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], check=True)
    daemon = harness.Pigeond(pigeond, directory=work, tls=False)
    daemon.store = os.path.join(mount, "pigeon.db")
    with open(daemon.config) as config:
        text = config.read()
    with open(daemon.config, "w") as config:
        config.write(text.replace(os.path.join(work, "pigeon.db"), daemon.store))
    daemon.start()
    acknowledged, refusals = [], []
    try:
        with smtplib.SMTP("127.0.0.1", daemon.port, timeout=30) as client:
            for i in range(200):
                marker = f"fill-{i}"
                try:
                    client.sendmail("zed@remote.test", ["ada@example.test"], message(marker))
                    acknowledged.append(marker)
                except smtplib.SMTPDataError as error:
                    refusals.append((error.smtp_code, error.smtp_error.decode()))
                    if len(refusals) >= 3:
                        break
            noop = client.noop()[0]
        print(f"{len(acknowledged)} messages accepted, then {refusals}")
        assert refusals, "the disk never filled up"
        assert all(code == 452 for code, _ in refusals), refusals
        assert noop == 250, noop
        assert daemon.alive(), daemon.log()
        stored = [raw for raw in daemon.stored()]
        assert len(stored) == len(acknowledged), (len(stored), len(acknowledged))
        for raw, marker in zip(stored, acknowledged):
            assert harness.strip_trace(raw) == message(marker), marker
        assert daemon.integrity() == "ok"
        # Room again: the same session's peers deliver as before.
        subprocess.run(["mount", "-o", "remount,size=64m", mount], check=True)
        with smtplib.SMTP("127.0.0.1", daemon.port, timeout=30) as client:
            client.sendmail("zed@remote.test", ["ada@example.test"], message("after-space"))
        assert any(b"after-space" in raw for raw in daemon.stored())
        assert daemon.stop() == 0, daemon.log()
    finally:
        daemon.kill()
    print("pigeond_full_disk_test: ok")


def main():
    pigeond = os.path.abspath(sys.argv[1])
    if len(sys.argv) > 2 and sys.argv[2] == "--inside":
        inside(pigeond, sys.argv[3])
        return 0
    if os.geteuid() != 0:
        print("pigeond_full_disk_test: FAIL: needs root (a tmpfs in a private mount namespace)",
              file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="pigeond-full-")
    os.mkdir(os.path.join(work, "mnt"))
    try:
        return subprocess.run(["unshare", "-m", sys.executable, os.path.abspath(__file__),
                               pigeond, "--inside", work]).returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

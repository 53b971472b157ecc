#!/usr/bin/python3
"""Runs a terminal program in a pseudo-terminal of its own and times it as a user sees it: how
long until given text is on the screen, after keys sent when earlier text showed up, and until
the program has exited. Used by the reader benchmarks to drive pigeon and NeoMutt the same way.

usage: pty_session.py [--cols N] [--rows N] [--timeout S] STEP... -- PROGRAM [ARG...]
  STEP is `wait:REGEX` (wait until the output since the last keys matches the Python regex,
  escape sequences removed) or `keys:TEXT` (send TEXT; \\r, \\n, \\e and \\xNN are understood).
Prints one JSON object: "waits" (ms from start to each wait's match), "after_keys" (ms from the
keys before each wait to its match; null when no keys came before), "exit_ms", "status" and
"maxrss_kib" (the program's peak resident memory, measured by GNU time: the pseudo-terminal's
child is a fork of Python, whose pages would count too). Exit status 1 when a wait timed out or
the program failed.
"""
import codecs
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import tempfile
import termios
import time

ESCAPES = re.compile(rb"\x1b\[[0-9;?>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def parse_arguments(argv):
    cols, rows, timeout, steps = 200, 50, 120.0, []
    while argv and argv[0] != "--":
        option = argv.pop(0)
        if option in ("--cols", "--rows", "--timeout"):
            value = argv.pop(0)
            if option == "--cols":
                cols = int(value)
            elif option == "--rows":
                rows = int(value)
            else:
                timeout = float(value)
        elif option.startswith("wait:"):
            steps.append(("wait", re.compile(option[5:].encode())))
        elif option.startswith("keys:"):
            steps.append(("keys", codecs.decode(option[5:].replace("\\e", "\\x1b"),
                                                "unicode_escape").encode("latin-1")))
        else:
            sys.exit(f"pty_session: unknown argument {option!r}\n{__doc__}")
    if not argv or len(argv) < 2:
        sys.exit(__doc__)
    return cols, rows, timeout, steps, argv[1:]


def main():
    cols, rows, timeout, steps, program = parse_arguments(sys.argv[1:])
    rss_file = tempfile.NamedTemporaryFile(prefix="pty-session-rss-")
    program = ["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file.name] + program
    start = time.monotonic()
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        try:
            os.execvp(program[0], program)
        finally:
            os._exit(127)
    deadline = start + timeout
    output = bytearray()
    waits, after_keys = [], []
    keys_at = None
    failed = None
    exited = False

    def read_some(wait_seconds):
        nonlocal exited
        ready, _, _ = select.select([master], [], [], wait_seconds)
        if not ready:
            return
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal (exited)
            data = b""
        if not data:
            exited = True
        output.extend(data)

    for kind, value in steps:
        if kind == "keys":
            os.write(master, value)
            keys_at = time.monotonic()
            output.clear()
            continue
        while not value.search(ESCAPES.sub(b"", bytes(output))):
            if exited or time.monotonic() > deadline:
                failed = f"timed out waiting for {value.pattern.decode()!r}"
                break
            read_some(max(0.0, deadline - time.monotonic()))
        if failed:
            break
        now = time.monotonic()
        waits.append(round((now - start) * 1000, 3))
        after_keys.append(round((now - keys_at) * 1000, 3) if keys_at else None)
    # Drain until the program exits, so it never blocks on a full terminal.
    while not exited and time.monotonic() < deadline:
        read_some(0.5)
    if not exited:
        os.kill(pid, 9)
        failed = failed or "the program did not exit"
    _, status = os.waitpid(pid, 0)
    exit_ms = round((time.monotonic() - start) * 1000, 3)
    os.close(master)
    rss = rss_file.read().decode().split()
    result = {"waits": waits, "after_keys": after_keys, "exit_ms": exit_ms,
              "status": os.waitstatus_to_exitcode(status),
              "maxrss_kib": int(rss[-1]) if rss and rss[-1].isdigit() else None}
    if failed:
        result["error"] = failed
        result["screen_tail"] = ESCAPES.sub(b"", bytes(output))[-2000:].decode("utf-8", "replace")
    print(json.dumps(result))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

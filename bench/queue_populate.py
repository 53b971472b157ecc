#!/usr/bin/python3
"""Fills pigeon's outgoing queue for the benchmarks: N messages of SIZE bytes through
`sendmail -bs` sessions (the submission path, durable per message), several at once.

usage: queue_populate.py SENDMAIL CONFIG N SIZE [SESSIONS]
"""
import smtplib
import socket
import subprocess
import sys
import threading


def session(sendmail, config, count, size, first):
    ours, theirs = socket.socketpair()
    process = subprocess.Popen([sendmail, "-C", config, "-bs"], stdin=theirs, stdout=theirs)
    theirs.close()
    client = smtplib.SMTP()
    client.sock = ours
    client.file = None
    code, _ = client.getreply()
    assert code == 220, code
    client.ehlo("bench.example.test")
    filler = ("x" * 70 + "\r\n") * max(1, size // 72)
    for number in range(first, first + count):
        message = (f"From: user@example.test\r\nTo: rcpt@remote.test\r\n"
                   f"Subject: queue flush {number}\r\nMessage-ID: <flush-{number}@example.test>\r\n"
                   f"\r\n{filler}")
        client.sendmail("user@example.test", ["rcpt@remote.test"], message)
    client.quit()
    process.wait()


def main():
    sendmail, config, n, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sessions = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    share = n // sessions
    threads = []
    for index in range(sessions):
        count = share if index < sessions - 1 else n - share * (sessions - 1)
        thread = threading.Thread(target=session,
                                  args=(sendmail, config, count, size, index * share))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The IMAP server for bench/fetch.sh: the private Dovecot of tests/fetch/dovecot_harness.py
(loopback, its own test CA, one passwd-file user), its Maildir filled with generated corpora
(bench/gen_corpus.py), and warmed up, so that every tool measured afterwards meets the same
server state: the index files exist and the messages are in the page cache.

usage: fetch_server.py DIR CORPUS_DIR:FOLDER [CORPUS_DIR:FOLDER ...]

Each CORPUS_DIR's msgs/*.eml are copied (the copies belong to the mail user, as an MDA's would)
into FOLDER, flagged seen (so nothing a client marks as read changes a file). When ready it
writes DIR/server.env (shell lines: IMAPS_PORT, CA_FILE, IMAP_USER, IMAP_PASSWORD) and serves
until SIGTERM or SIGINT.
"""
import imaplib
import os
import shlex
import shutil
import signal
import ssl
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "fetch"))
from dovecot_harness import Dovecot  # noqa: E402


def fill(server, corpus, folder):
    """Copies the corpus messages into `folder`'s cur/, flagged seen; returns how many."""
    cur = server.maildir_path(folder, "cur")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(server.maildir_path(folder, sub), exist_ok=True)
    msgs = os.path.join(corpus, "msgs")
    uid, gid = server._mail_ids()
    count = 0
    for name in sorted(os.listdir(msgs)):
        if not name.endswith(".eml"):
            continue
        source = os.path.join(msgs, name)
        # S= and W= give Dovecot the sizes without reading the file (it has CRLF line ends).
        size = os.path.getsize(source)
        target = os.path.join(cur, f"{name[:-4]}.bench,S={size},W={size}:2,S")
        shutil.copyfile(source, target)
        if os.geteuid() == 0:
            os.lchown(target, uid, gid)
        count += 1
    if os.geteuid() == 0:
        for sub in ("", "cur", "new", "tmp"):
            os.lchown(server.maildir_path(folder, sub), uid, gid)
    return count


def warm_up(server, folders):
    """One IMAPS session that lists every message of every folder with its size (Dovecot
    builds its index and cache files) and checks the counts."""
    context = ssl.create_default_context(cafile=server.ca_file)
    with imaplib.IMAP4_SSL("127.0.0.1", server.imaps_port, ssl_context=context) as imap:
        imap.login(server.user, server.password)
        for folder, expected in folders:
            status, data = imap.select(folder, readonly=True)
            if status != "OK" or int(data[0]) != expected:
                raise RuntimeError(f"{folder}: the server has {data[0]!r}, not {expected}")
            status, data = imap.uid("FETCH", "1:*", "(RFC822.SIZE)")
            if status != "OK" or len([d for d in data if d]) != expected:
                raise RuntimeError(f"{folder}: listing failed: {status}")
            imap.close()
        imap.logout()


def main():
    if len(sys.argv) < 3 or any(":" not in arg for arg in sys.argv[2:]):
        sys.exit(__doc__)
    directory = os.path.abspath(sys.argv[1])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with Dovecot(os.path.join(directory, "dovecot")) as server:
        folders = []
        for arg in sys.argv[2:]:
            corpus, folder = arg.rsplit(":", 1)
            folders.append((folder, fill(server, corpus, folder)))
        warm_up(server, folders)
        env = os.path.join(directory, "server.env")
        with open(env + ".tmp", "w") as f:
            for key, value in (("IMAPS_PORT", server.imaps_port), ("CA_FILE", server.ca_file),
                               ("IMAP_USER", server.user), ("IMAP_PASSWORD", server.password),
                               ("DOVECOT_LOG", server.log_path)):
                f.write(f"{key}={shlex.quote(str(value))}\n")
        os.rename(env + ".tmp", env)
        while not stop:
            time.sleep(0.2)


if __name__ == "__main__":
    main()

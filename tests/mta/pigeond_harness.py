"""Shared pieces of pigeond's end-to-end tests: a private directory with a test CA and server
certificate, a pigeon.conf on free loopback ports, starting and stopping a real pigeond, raw
SMTP conversations, and reading what landed in the store (straight from SQLite).

Only loopback addresses are used. Python: /usr/bin/python3 (Debian), stdlib only.
"""
import os
import re
import resource
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import time

OWNER = "ada@example.test"
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificates(directory, dns_names=("localhost",), ip_addresses=("127.0.0.1",)):
    """A test CA and a server certificate for localhost / 127.0.0.1 (or the names given);
    returns (ca, cert, key)."""
    run = lambda *args: subprocess.run(args, cwd=directory, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
        "-subj", "/CN=Pigeon Test CA", "-keyout", "ca.key", "-out", "ca.crt",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={dns_names[0]}",
        "-keyout", "server.key", "-out", "server.csr")
    names = ",".join([f"DNS:{name}" for name in dns_names] + [f"IP:{ip}" for ip in ip_addresses])
    with open(os.path.join(directory, "server.ext"), "w") as ext:
        ext.write(f"subjectAltName={names}\nbasicConstraints=CA:FALSE\n"
                  "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "3650", "-sha256", "-extfile", "server.ext",
        "-out", "server.crt")
    return tuple(os.path.join(directory, name) for name in ("ca.crt", "server.crt", "server.key"))


def hash_password(pigeond, password):
    done = subprocess.run([pigeond, "--hash-password"], input=password + "\n", text=True,
                          capture_output=True, check=True)
    return done.stdout.strip()


def give_to_nobody(directory):
    """As root, hands `directory` (and what is in it) to nobody, the user pigeond drops to."""
    if os.geteuid() != 0:
        return
    import pwd
    nobody = pwd.getpwnam("nobody")
    for root, dirs, files in os.walk(directory):
        for name in [root] + [os.path.join(root, entry) for entry in dirs + files]:
            os.chown(name, nobody.pw_uid, nobody.pw_gid)


class Pigeond:
    """A pigeond on free loopback ports with its own config, aliases and store."""

    def __init__(self, pigeond, directory=None, tls=True, extra_smtpd="", aliases="",
                 max_message_size=None, command_timeout=None, password_hash=None,
                 delivery=None, mta_dir=None, owner_name=None, reader=None):
        """`delivery`: the lines of a [delivery] table; `mta_dir`: the directory holding
        pigeon-sendmail and its sendmail/mailq links, for the queue helpers; `owner_name` and
        `reader` (the lines of a [reader] table), for the mail reader on the same config."""
        self.binary = pigeond
        self.mta_dir = mta_dir
        self.dir = directory or tempfile.mkdtemp(prefix="pigeond-test-")
        self.port = free_port()
        self.submission_port = free_port()
        self.store = os.path.join(self.dir, "pigeon.db")
        self.log_path = os.path.join(self.dir, "pigeond.log")
        self.ca = None
        self.process = None
        lines = [f'owner = "{OWNER}"', f'store = "{self.store}"']
        if owner_name:
            lines.append(f'owner_name = "{owner_name}"')
        lines += ["", "[smtpd]",
                  f'listen = ["127.0.0.1:{self.port}"]',
                  f'submission = ["127.0.0.1:{self.submission_port}"]',
                  'hostname = "mx.example.test"',
                  'local_domains = ["example.test", "other.example.test"]',
                  'local_users = ["ada", "bob"]']
        if aliases:
            alias_path = os.path.join(self.dir, "aliases")
            with open(alias_path, "w") as out:
                out.write(aliases)
            lines.append(f'aliases_file = "{alias_path}"')
        if max_message_size:
            lines.append(f"max_message_size = {max_message_size}")
        if command_timeout:
            lines.append(f"command_timeout = {command_timeout}")
        if tls:
            self.ca, cert, key = make_certificates(self.dir)
            lines += [f'tls_certificate = "{cert}"', f'tls_key = "{key}"']
        if os.geteuid() == 0:
            # pigeond never serves as root: it drops to nobody, who must own the test folder.
            lines.append('user = "nobody"')
        lines.append(extra_smtpd)
        hashed = password_hash or hash_password(pigeond, PASSWORD)
        lines += ["", "[[smtpd.account]]", 'user = "ada"', f'password_hash = "{hashed}"']
        if delivery is None:
            # Tests of the server keep relayed mail in the queue, and never ask the real DNS:
            # nothing answers on the discard port, so every lookup fails temporarily.
            delivery = 'dns_servers = ["127.0.0.1:9"]'
        lines += ["", "[delivery]", delivery]
        if reader is not None:
            lines += ["", "[reader]", reader]
        self.config = os.path.join(self.dir, "pigeon.conf")
        with open(self.config, "w") as out:
            out.write("\n".join(lines) + "\n")
        give_to_nobody(self.dir)

    def start(self, timeout=10):
        log = open(self.log_path, "ab")

        def raise_fd_limit():
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

        self.process = subprocess.Popen([self.binary, "-f", "-C", self.config],
                                        stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                        preexec_fn=raise_fd_limit)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pigeond exited with {self.process.returncode}:\n"
                                   + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.recv(100)
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("pigeond did not start listening:\n" + self.log())

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode if self.process else None

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log(self):
        try:
            with open(self.log_path, errors="replace") as log:
                return log.read()
        except OSError:
            return ""

    def alive(self):
        return self.process is not None and self.process.poll() is None

    # What landed in the store.
    def _rows(self, sql, params=()):
        """Rows of a read-only query on the store; none before the store exists."""
        if not os.path.exists(self.store):
            return []
        with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True) as db:
            return db.execute(sql, params).fetchall()

    def stored(self, folder="INBOX"):
        """Raw bytes of every message in `folder`, oldest row first."""
        rows = self._rows(
            "SELECT b.raw FROM messages m JOIN bodies b ON b.id = m.body_id "
            "JOIN folders f ON f.id = m.folder_id WHERE f.name = ? OR "
            "(f.role = 'inbox' AND ? = 'INBOX') ORDER BY m.id", (folder, folder))
        return [bytes(row[0]) for row in rows]

    def queued(self):
        """(queue_id, sender, recipient, raw) of every queue entry."""
        rows = self._rows(
            "SELECT q.queue_id, q.sender, r.address, b.raw FROM queue q "
            "JOIN queue_recipients r ON r.queue_row = q.id JOIN bodies b ON b.id = q.body_id "
            "ORDER BY q.id, r.id")
        return [(row[0], row[1], row[2], bytes(row[3])) for row in rows]

    def queue_states(self):
        """(queue_id, sender, recipient, state, attempts, last_reply) of every recipient in
        the outgoing queue."""
        return self._rows(
            "SELECT q.queue_id, q.sender, r.address, r.state, r.attempts, r.last_reply "
            "FROM queue q JOIN queue_recipients r ON r.queue_row = q.id ORDER BY q.id, r.id")

    # The sendmail programs, run as the user pigeond serves (the store's owner).
    def _as_owner(self):
        if os.geteuid() != 0:
            return {}
        return {"user": "nobody", "group": "nogroup", "extra_groups": []}

    def sendmail(self, recipients, message, sender=None, args=(), check=True):
        """Runs `sendmail -C conf [-f sender] [args] recipients` with `message` on stdin;
        returns the CompletedProcess."""
        argv = [os.path.join(self.mta_dir, "sendmail"), "-C", self.config]
        if sender is not None:
            argv += ["-f", sender]
        argv += list(args) + list(recipients)
        done = subprocess.run(argv, input=message if isinstance(message, bytes)
                              else message.encode(), capture_output=True,
                              cwd=self.dir, **self._as_owner())
        if check and done.returncode != 0:
            raise AssertionError(f"sendmail exited {done.returncode}: {done.stderr!r}")
        return done

    def mailq(self):
        done = subprocess.run([os.path.join(self.mta_dir, "mailq"), "-C", self.config],
                              capture_output=True, text=True, cwd=self.dir, **self._as_owner())
        if done.returncode != 0:
            raise AssertionError(f"mailq exited {done.returncode}: {done.stderr}")
        return done.stdout

    def flush(self):
        """sendmail -q: everything waiting is due now, and pigeond is woken."""
        return subprocess.run([os.path.join(self.mta_dir, "sendmail"), "-q", "-C", self.config],
                              capture_output=True, text=True, cwd=self.dir, **self._as_owner())

    def integrity(self):
        with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True) as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]


class Conversation:
    """A raw SMTP conversation for tests that need exact bytes (smuggling, injection)."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        """One whole (possibly multi-line) reply: (code, text)."""
        lines = []
        while True:
            while b"\r\n" not in self.buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed; got " + repr(self.buffer))
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            lines.append(line.decode("utf-8", "replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), "\n".join(lines)

    def command(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def starttls(self, ca):
        code, text = self.command("STARTTLS")
        if code != 220:
            raise AssertionError(text)
        context = ssl.create_default_context(cafile=ca)
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")
        self.buffer = b""

    def closed(self, wait=5):
        """True when the server closes the connection (reads to EOF)."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buffer += chunk
        except (socket.timeout, ConnectionError, OSError):
            return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


RECEIVED = re.compile(rb"^Return-Path: <[^>]*>\r\nReceived: .*?\r\n(?=\S)", re.S)


def strip_trace(stored):
    """The message as the client sent it: Return-Path and pigeond's Received header removed."""
    match = RECEIVED.match(stored)
    if not match:
        raise AssertionError("no Return-Path/Received at the top: " + repr(stored[:300]))
    return stored[match.end():]

#!/usr/bin/python3
"""A private Dovecot for the tests of `pigeon fetch`: IMAP, IMAPS, POP3 and POP3S on 127.0.0.1
high ports, its own configuration, runtime and log in a temporary directory, one passwd-file
user with a known password, a test CA and a server certificate made with openssl, and a
Maildir the test fills. Runs as root (then Dovecot's login and internal processes use the
package's dovenull and dovecot users, and mail is the invoking user's) or as an ordinary user
(then every process is that user).

As a script it starts a server, prints its ports and waits for Ctrl-C:
    dovecot_harness.py [DIR]
"""
import ctypes
import grp
import os
import pwd
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

DOVECOT = "/usr/sbin/dovecot"
USER = "ada"
PASSWORD = "correct horse"


def _die_with_parent():
    """In the child before exec: SIGTERM when the test process dies, even by SIGKILL (a ctest
    timeout), so no Dovecot outlives its test."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def free_ports(count):
    """`count` distinct free TCP ports on 127.0.0.1 (high, chosen by the kernel)."""
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def make_certificates(directory, hosts=("localhost",), addresses=("127.0.0.1",)):
    """A test CA and a server certificate signed by it, for `hosts` and `addresses`.
    Returns (ca_crt, server_crt, server_key)."""
    def run(*args):
        subprocess.run(args, cwd=directory, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
        "/CN=pigeon test CA", "-keyout", "ca.key", "-out", "ca.crt", "-addext",
        "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + hosts[0],
        "-keyout", "server.key", "-out", "server.csr")
    names = ",".join([f"DNS:{h}" for h in hosts] + [f"IP:{a}" for a in addresses])
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write(f"subjectAltName={names}\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "30", "-sha256", "-extfile", "server.ext", "-out",
        "server.crt")
    return tuple(os.path.join(directory, n) for n in ("ca.crt", "server.crt", "server.key"))


class Dovecot:
    """One Dovecot server. Use as a context manager, or call start() and stop()."""

    def __init__(self, directory=None, user=USER, password=PASSWORD, oauth2_introspection_url=None):
        self._temp = None
        if directory is None:
            self._temp = tempfile.TemporaryDirectory(prefix="pigeon-dovecot-")
            directory = self._temp.name
        self.dir = directory
        self.user, self.password = user, password
        # With a URL, logins by XOAUTH2 and OAUTHBEARER are checked by Dovecot's oauth2 passdb,
        # which POSTs the bearer token there (RFC 7662 introspection) and wants back
        # {"active": true, "username": USER}. PLAIN and LOGIN still use the password.
        self.oauth2_introspection_url = oauth2_introspection_url
        self.imap_port, self.imaps_port, self.pop3_port, self.pop3s_port = free_ports(4)
        self.process = None
        self.home = os.path.join(self.dir, "home", user)
        self.log_path = os.path.join(self.dir, "dovecot.log")
        self._serial = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, timeout=15):
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o755)  # the login processes (dovenull) pass through it as root
        self.ca_file, self.cert, self.key = make_certificates(self.dir)
        os.makedirs(os.path.join(self.home, "Maildir"), exist_ok=True)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(self.maildir_path("INBOX", sub), exist_ok=True)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            f.write(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        with open(os.path.join(self.dir, "dovecot.conf"), "w") as f:
            f.write(self._config())
        if self.oauth2_introspection_url:
            with open(os.path.join(self.dir, "dovecot-oauth2.conf.ext"), "w") as f:
                f.write(f"introspection_mode = post\n"
                        f"introspection_url = {self.oauth2_introspection_url}\n"
                        "username_attribute = username\n"
                        "active_attribute = active\nactive_value = true\n")
        if os.geteuid() == 0:
            self._chown_tree(os.path.join(self.dir, "home"))
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", os.path.join(self.dir,
                                                                             "dovecot.conf")],
                                        stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        for port in (self.imap_port, self.pop3_port):
            while not self._greets(port):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("dovecot did not start:\n" + self.log())
                time.sleep(0.05)
        return self

    def stop(self):
        """Stops the server and every process it started: the master alone would leave its
        login and mail processes serving the connections they hold."""
        if self.process is None:
            return
        group = self.process.pid  # the master leads its own process group
        self._signal_group(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._signal_group(group, signal.SIGKILL)
        self.process = None

    @staticmethod
    def _signal_group(group, number):
        try:
            os.killpg(group, number)
        except ProcessLookupError:
            pass

    def close(self):
        self.stop()
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # -- mail --------------------------------------------------------------------------------

    def maildir_path(self, folder, sub=""):
        """Dovecot's Maildir++ layout: INBOX is the Maildir itself, others are ".Name"."""
        base = os.path.join(self.home, "Maildir")
        if folder.upper() != "INBOX":
            base = os.path.join(base, "." + folder.replace("/", "."))
        return os.path.join(base, sub) if sub else base

    def deliver(self, raw, folder="INBOX"):
        """Puts `raw` (bytes) into `folder` as a new message, as an MDA would: written in tmp/,
        renamed into new/. Dovecot assigns its UID when a client next looks."""
        for sub in ("cur", "new", "tmp"):
            os.makedirs(self.maildir_path(folder, sub), exist_ok=True)
        self._serial += 1
        name = f"{int(time.time())}.P{os.getpid()}Q{self._serial}.pigeon-test"
        temp = os.path.join(self.maildir_path(folder, "tmp"), name)
        with open(temp, "wb") as f:
            f.write(raw)
        final = os.path.join(self.maildir_path(folder, "new"), name)
        os.rename(temp, final)
        if os.geteuid() == 0:
            uid, gid = self._mail_ids()
            os.lchown(final, uid, gid)
            for sub in ("", "cur", "new", "tmp"):
                os.lchown(self.maildir_path(folder, sub), uid, gid)

    def messages(self, folder="INBOX"):
        """The raw messages now in `folder` on disk (new and cur), sorted by file name."""
        out = []
        for sub in ("new", "cur"):
            path = self.maildir_path(folder, sub)
            if os.path.isdir(path):
                for name in sorted(os.listdir(path)):
                    with open(os.path.join(path, name), "rb") as f:
                        out.append(f.read())
        return out

    def change_uidvalidity(self, folder="INBOX"):
        """Restarts the server with a new UIDVALIDITY for `folder`, as after a server's index
        was rebuilt or the mailbox restored: the same messages under a new validity. Returns
        the new value."""
        self.stop()
        base = self.maildir_path(folder)
        uidlist = os.path.join(base, "dovecot-uidlist")
        with open(uidlist) as f:
            header, rest = f.read().split("\n", 1)
        words = header.split(" ")
        validity = next(int(w[1:]) for w in words if w.startswith("V")) + 1000
        words = [f"V{validity}" if w.startswith("V") else w for w in words]
        with open(uidlist, "w") as f:
            f.write(" ".join(words) + "\n" + rest)
        # The index remembers the old validity: without it Dovecot reads the uidlist afresh.
        for name in os.listdir(base):
            if name.startswith("dovecot.index"):
                os.remove(os.path.join(base, name))
        self.start()
        return validity

    # -- internals ---------------------------------------------------------------------------

    def _chown_tree(self, top):
        uid, gid = self._mail_ids()
        for root, dirs, files in os.walk(top):
            for name in dirs + files:
                os.lchown(os.path.join(root, name), uid, gid)
        os.lchown(top, uid, gid)

    def _mail_ids(self):
        """The owner of the mail: the invoking user, or nobody as root (Dovecot refuses to
        run mail processes as root). The test, as root, still reads and writes it."""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            return nobody.pw_uid, nobody.pw_gid
        return os.getuid(), os.getgid()

    def _config(self):
        uid, gid = self._mail_ids()
        me = pwd.getpwuid(os.getuid()).pw_name
        if os.geteuid() == 0:
            login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
        else:
            # An ordinary user cannot give the sockets to the package's dovecot group.
            login_user = internal_user = me
            internal_group = grp.getgrgid(os.getgid()).gr_name
        run = os.path.join(self.dir, "run")
        return f"""# Written by tests/fetch/dovecot_harness.py
protocols = imap pop3
listen = 127.0.0.1
base_dir = {run}
state_dir = {os.path.join(self.dir, "state")}
instance_name = pigeon-test-{os.getpid()}-{self.imap_port}
log_path = {self.log_path}
info_log_path = {self.log_path}
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
last_valid_uid = 0
first_valid_gid = 0
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{self.key}
ssl_min_protocol = TLSv1.2
# Loopback counts as secure for Dovecot; pigeon's own STARTTLS rule is what imap:// tests.
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if self.oauth2_introspection_url else ""}
auth_verbose = yes
mail_location = maildir:~/Maildir
{self._oauth2_passdb()}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {os.path.join(self.dir, "passwd")}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={os.path.join(self.dir, "home")}/%u
}}
# No chroot for the login processes: not possible for an ordinary user, not needed here.
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {self.pop3_port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {self.pop3s_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""

    def _oauth2_passdb(self):
        if not self.oauth2_introspection_url:
            return ""
        return f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {os.path.join(self.dir, "dovecot-oauth2.conf.ext")}
}}
"""

    @staticmethod
    def _greets(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                return s.recv(100).startswith((b"* OK", b"+OK"))
        except OSError:
            return False


def main():
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with Dovecot(sys.argv[1] if len(sys.argv) > 1 else None) as server:
        server.deliver(b"From: a@example.org\r\nSubject: hello\r\nMessage-ID: <h@x>\r\n\r\nhi\r\n")
        print(f"dir {server.dir}\nimap {server.imap_port} imaps {server.imaps_port} "
              f"pop3 {server.pop3_port} pop3s {server.pop3s_port}\n"
              f"user {server.user} password {server.password!r} ca {server.ca_file}", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

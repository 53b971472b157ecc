"""Real peers for pigeond's delivery tests, all on loopback: dnsmasq answering for .test (from
dnsmasq.conf.in, with servfail.py behind servfail.test), Postfix's smtp-sink, and the aiosmtpd
scripted server (scripted_smtpd.py). Every process started here is remembered and stopped by
its own pid (Peers.stop_all), never by name.

Python: /usr/bin/python3 (Debian), stdlib only; aiosmtpd runs in its own process.
"""
import email
import email.policy
import glob
import os
import socket
import subprocess
import time

SUPPORT = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PYTHON = "/usr/bin/python3"


def wait_for(predicate, timeout, what, interval=0.05):
    """Polls `predicate` until it returns something true; fails with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port(address="127.0.0.1", kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def free_port_on(addresses):
    """A TCP port free on every one of `addresses` (the MX hosts all share one port)."""
    for _ in range(50):
        port = free_port(addresses[0])
        try:
            for address in addresses[1:]:
                with socket.socket() as probe:
                    probe.bind((address, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no port free on " + ", ".join(addresses))


def dns_answers(port):
    """True once something answers a DNS query on 127.0.0.1:port over UDP."""
    query = bytes([0x7E, 0x57, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4]) + b"test" + bytes([0, 0, 1, 0, 1])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(0.1)
        try:
            probe.sendto(query, ("127.0.0.1", port))
            reply = probe.recv(512)
            return len(reply) >= 12 and reply[:2] == query[:2]
        except OSError:
            return False


def smtp_greets(address, port):
    try:
        with socket.create_connection((address, port), timeout=1) as probe:
            return probe.recv(100).startswith(b"220")
    except OSError:
        return False


class Peers:
    """The processes a test module started, stopped in reverse order by stop_all()."""

    def __init__(self, directory):
        self.dir = directory
        os.chmod(directory, 0o755)  # smtp-sink and pigeond run as nobody below it
        self.processes = []  # (name, Popen)

    def spawn(self, name, argv, **options):
        log = open(os.path.join(self.dir, name + ".log"), "ab")
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=options.pop(
            "stdout", log), stderr=log, **options)
        log.close()
        self.processes.append((name, process))
        return process

    def stop(self, process, sig=15, timeout=5):
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = [(n, p) for n, p in self.processes if p is not process]

    def stop_all(self):
        for _, process in reversed(list(self.processes)):
            self.stop(process)
        if getattr(self, "silent_dns", None):
            self.silent_dns.close()

    def log(self, name):
        try:
            with open(os.path.join(self.dir, name + ".log"), errors="replace") as log:
                return log.read()
        except OSError:
            return ""

    # dnsmasq + servfail.py
    def start_dns(self, extra_lines=()):
        """Starts the test DNS; returns its port. `extra_lines` are added to the template."""
        servfail_port = free_port(kind=socket.SOCK_DGRAM)
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        silent.bind(("127.0.0.1", 0))
        self.silent_dns = silent  # receives queries, never answers (timeout.test)
        with open(os.path.join(SUPPORT, "dnsmasq.conf.in")) as template:
            conf = template.read()
        conf = conf.replace("@SERVFAIL_PORT@", str(servfail_port))
        conf = conf.replace("@SILENT_PORT@", str(silent.getsockname()[1]))
        conf += "".join(line + "\n" for line in extra_lines)
        conf_path = os.path.join(self.dir, "dnsmasq.conf")
        with open(conf_path, "w") as out:
            out.write(conf)
        self.spawn("servfail", [SYSTEM_PYTHON, os.path.join(SUPPORT, "servfail.py"),
                                str(servfail_port)])
        for _ in range(5):
            port = free_port(kind=socket.SOCK_DGRAM)
            dnsmasq = self.spawn("dnsmasq", ["dnsmasq", "--keep-in-foreground",
                                             f"--conf-file={conf_path}", f"--port={port}",
                                             "--listen-address=127.0.0.1", "--bind-interfaces"])
            deadline = time.monotonic() + 10
            while dnsmasq.poll() is None and time.monotonic() < deadline:
                if dns_answers(port) and dns_answers(servfail_port):
                    return port
                time.sleep(0.02)
            self.stop(dnsmasq)
        raise RuntimeError("dnsmasq did not start:\n" + self.log("dnsmasq"))

    # smtp-sink (Postfix): no STARTTLS; as root it must drop to nobody.
    def start_sink(self, address, port, directory, extra=()):
        os.makedirs(directory, exist_ok=True)
        os.chmod(directory, 0o777)
        name = f"smtp-sink-{address}"
        sink = self.spawn(name, ["smtp-sink", "-u", "nobody", *extra, "-d",
                                 os.path.join(directory, "%H%M%S."), f"{address}:{port}", "256"])
        wait_for(lambda: sink.poll() is not None or smtp_greets(address, port), 10,
                 "smtp-sink to listen")
        if sink.poll() is not None:
            raise RuntimeError("smtp-sink exited:\n" + self.log(name))
        return sink

    # scripted_smtpd.py (aiosmtpd)
    def start_scripted(self, address, port, directory, *options):
        name = f"scripted-{address}-{port}"
        server = self.spawn(name, [SYSTEM_PYTHON, os.path.join(SUPPORT, "scripted_smtpd.py"),
                                   address, str(port), directory, *options],
                            stdout=subprocess.PIPE)
        line = server.stdout.readline()
        if b"READY" not in line:
            server.wait(5)
            raise RuntimeError(f"{name} did not start:\n" + self.log(name))
        server.stdout.close()
        return server


def sink_dumps(directory):
    """What smtp-sink saved: a list of (recipients, message bytes) per transaction. A dump is
    X-Client/X-Mail-Args/X-Rcpt-Args lines and smtp-sink's Received field, then the message
    (dot-unstuffed) with LF line ends and one empty line added; the message is given back
    with CRLF line ends and without that line, as it went over the wire."""
    dumps = []
    for path in sorted(glob.glob(os.path.join(directory, "*"))):
        with open(path, "rb") as dump:
            data = dump.read()
        recipients = []
        lines = data.split(b"\n")
        index = 0
        while index < len(lines) and lines[index].startswith(b"X-"):
            line = lines[index].rstrip(b"\r")
            if line.startswith(b"X-Rcpt-Args: "):
                recipients.append(line[len(b"X-Rcpt-Args: "):].split(b" ")[0].strip(b"<>").decode())
            index += 1
        rest = b"\n".join(lines[index:])
        # smtp-sink's own Received field (with its continuation lines) comes next.
        if rest.startswith(b"Received: "):
            end = rest.index(b"\n") + 1
            while rest[end:end + 1] in (b" ", b"\t"):
                end = rest.index(b"\n", end) + 1
            rest = rest[end:]
        if rest.endswith(b"\n\n"):
            rest = rest[:-1]
        dumps.append((recipients, rest.replace(b"\n", b"\r\n")))
    return dumps


def scripted_saved(directory):
    """What scripted_smtpd.py saved: a list of (envelope dict, message bytes), oldest first."""
    saved = []
    for env_path in sorted(glob.glob(os.path.join(directory, "*.env"))):
        with open(env_path) as env:
            envelope = {"rcpt": []}
            for line in env.read().splitlines():
                key, _, value = line.partition(":")
                if key == "RCPT TO":
                    envelope["rcpt"].append(value)
                else:
                    envelope[key] = value
        with open(env_path[:-4] + ".eml", "rb") as eml:
            saved.append((envelope, eml.read()))
    return saved


def body_of(message):
    """The bytes after the header's blank line (CRLF or LF)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        at = message.find(separator)
        if at >= 0:
            return message[at + len(separator):]
    return b""


def parse(message):
    return email.message_from_bytes(message, policy=email.policy.default)

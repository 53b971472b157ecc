#!/usr/bin/python3
"""What the end-to-end tests of the mail reader share: a tmux server of their own, screen
waits that poll against a deadline, sample messages, reading the store back, and ReaderInTmux,
the test case base that starts `pigeon` in the window (with the test owner and an editor
script for the compose tests). Set PIGEON to the binary before the tests run."""
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

PIGEON = None
PROMPT = "PIGEON-TEST$ "


def message(date, sender, subject, body, extra=b""):
    return (b"From sender@example.org Mon Jan  1 00:00:00 2024\n"
            b"Date: " + date + b"\nFrom: " + sender + b"\nTo: Ada <ada@example.org>\n"
            b"Subject: " + subject + b"\nMessage-ID: <" +
            hashlib.sha256(subject).hexdigest()[:19].encode() +
            b"@example.org>\n" + extra + b"\n" + body + b"\n")


INBOX = [
    message(b"Tue, 2 Jan 2024 10:00:00 +0000", b"Ada Lovelace <ada@example.org>",
            b"First message", b"Hello from the first message."),
    message(b"Wed, 3 Jan 2024 10:00:00 +0000",
            "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>".encode(),  # 山田太郎
            "=?UTF-8?B?5Lya6K2w44Gu6K2w6aGM?= agenda".encode(),         # 会議の議題
            b"Caf=C3=A9 =E2=82=AC 12, see you.\n> quoted line\n--=20\nTaro",
            b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            b"Content-Transfer-Encoding: quoted-printable\n"),
    message(b"Thu, 4 Jan 2024 10:00:00 +0000", b"Charles Babbage <cb@example.org>",
            b"Third message", b"The engine is ready."),
]
DEV = [message(b"Fri, 5 Jan 2024 10:00:00 +0000", b"dev@example.org",
               b"Dev list hello", b"Welcome to the list.")]
LIVE = [message(b"Sat, 6 Jan 2024 10:00:00 +0000", b"Live Sender <live@example.org>",
                b"Live delivery", b"Delivered while the reader runs.")]

PLAN_ID = b"<" + hashlib.sha256(b"Plan").hexdigest()[:19].encode() + b"@example.org>"
THREAD = [
    message(b"Mon, 1 Jan 2024 09:00:00 +0000", b"Ada Lovelace <ada@example.org>", b"Plan",
            b"The plan."),
    message(b"Mon, 1 Jan 2024 10:00:00 +0000", b"Other <other@example.org>", b"Unrelated",
            b"Not in the thread."),
    message(b"Mon, 1 Jan 2024 11:00:00 +0000", b"Charles Babbage <cb@example.org>", b"Re: Plan",
            b"Agreed.", b"In-Reply-To: " + PLAN_ID + b"\n"),
]


class Tmux:
    """A tmux server of our own (its own socket), with one window running a plain shell."""

    def __init__(self, directory, width=100, height=30):
        self.socket = os.path.join(directory, "tmux.sock")
        config = os.path.join(directory, "tmux.conf")
        with open(config, "w") as f:
            f.write("set -g remain-on-exit on\nset -g status off\n")
        self.run("-f", config, "new-session", "-d", "-s", "t", "-x", str(width), "-y",
                 str(height), "env", "-i", "PATH=" + os.environ.get("PATH", "/usr/bin:/bin"),
                 "HOME=" + directory, "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=tmux-256color",
                 "PS1=" + PROMPT, "bash", "--norc", "--noprofile", "-i")
        self.wait_for(lambda screen: PROMPT.strip() in screen, "the shell prompt")

    def run(self, *args):
        return subprocess.run(["tmux", "-S", self.socket] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def keys(self, *keys):
        self.run("send-keys", "-t", "t", *keys)

    def type(self, text):
        self.run("send-keys", "-t", "t", "-l", text)

    def screen(self, attributes=False):
        args = ["capture-pane", "-p", "-t", "t"] + (["-e"] if attributes else [])
        return self.run(*args)

    def wait_for(self, predicate, what, timeout=10.0, attributes=False):
        """Waits until `predicate` holds on a settled screen: tmux can be captured while curses
        is halfway through one update, so a match counts once a second capture agrees."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(attributes)
            if predicate(screen):
                time.sleep(0.03)
                again = self.screen(attributes)
                if again == screen:
                    return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")
            time.sleep(0.05)

    def wait_text(self, text, timeout=10.0):
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def kill(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def highlighted(screen_with_attributes, text):
    """Whether `text` is drawn in reverse video. capture-pane -e emits an attribute only where
    it changes, so the state is carried from line to line."""
    reverse = False
    for line in screen_with_attributes.splitlines():
        at = line.find(text)
        position = 0
        for match in SGR.finditer(line):
            if at >= 0 and match.start() > at:
                break
            for parameter in (match.group(1) or "0").split(";"):
                if parameter in ("", "0"):
                    reverse = False
                elif parameter == "7":
                    reverse = True
                elif parameter == "27":
                    reverse = False
            position = match.end()
        if at >= 0:
            return reverse
    return False


def import_mbox(store, path, messages, folder="INBOX"):
    with open(path, "wb") as f:
        f.write(b"".join(messages))
    subprocess.run([PIGEON, "--store", store, "import", "--folder", folder, path], check=True,
                   capture_output=True)


def stored(store):
    """{folder name: sorted [(subject, flags)]} read from the store (read-only)."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT f.name, m.subject, m.flags FROM messages m "
                          "JOIN folders f ON f.id = m.folder_id").fetchall()
    finally:
        db.close()
    folders = {}
    for name, subject, flags in rows:
        folders.setdefault(name, []).append((subject, flags))
    return {name: sorted(messages) for name, messages in folders.items()}


def subjects(store, folder):
    return [subject for subject, _ in stored(store).get(folder, [])]


def raws(store, folder):
    """The stored bytes of the messages in `folder`, oldest first."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return [row[0] for row in db.execute(
            "SELECT b.raw FROM messages m JOIN bodies b ON b.id = m.body_id "
            "JOIN folders f ON f.id = m.folder_id WHERE f.name = ? ORDER BY m.id", (folder,))]
    finally:
        db.close()


def queued_raws(store):
    """The bytes of each message in the outgoing queue, oldest first."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return [row[0] for row in db.execute(
            "SELECT b.raw FROM queue q JOIN bodies b ON b.id = q.body_id ORDER BY q.id")]
    finally:
        db.close()


def queued(store):
    """The recipient addresses of the outgoing queue, sorted."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in db.execute("SELECT address FROM queue_recipients"))
    finally:
        db.close()


SEEN = 1
ANSWERED = 2
DELETED = 8
FLAGGED = 4
FORWARDED = 32

# The owner of the test's configuration (written into $HOME/.config/pigeon/pigeon.conf): a
# local user of the built-in local profile.
OWNER_CONFIG = 'owner = "ada@localhost"\nowner_name = "Ada Tester"\n'

# $EDITOR for mail and reply: keeps a copy of the draft it was given (for the test to read),
# then fills in To and Subject when they are empty (new mail) and adds a line to the body.
EDITOR_SCRIPT = """#!/usr/bin/python3
import shutil, sys
path = sys.argv[1]
shutil.copy(path, path.rsplit("/", 1)[0] + "/../draft-seen.txt")
text = open(path, encoding="utf-8").read()
text = text.replace("\\nTo: \\n", "\\nTo: Ada Tester <ada@localhost>, bob@remote.test\\n", 1)
text = text.replace("\\nSubject: \\n", "\\nSubject: Lunch plans\\n", 1)
open(path, "w", encoding="utf-8").write(text + "Sounds good, see you at noon.\\n")
"""


# The status line of the compose screen, shown after the editor: y sends from there.
COMPOSE = "---pigeon: Compose"


class ReaderInTmux(unittest.TestCase):
    """A temporary HOME with a store and a tmux window; tests start pigeon in it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pigeon-ui-")
        self.store = os.path.join(self.dir, "pigeon.db")
        self.tmux = Tmux(self.dir)

    def tearDown(self):
        self.tmux.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, environment=""):
        self.tmux.type(f"{environment}{PIGEON} --store {self.store}; echo EXIT:$?")
        self.tmux.keys("Enter")

    def assert_terminal_restored(self, status):
        screen = self.tmux.wait_text(f"EXIT:{status}")
        self.assertNotIn("pigeon: INBOX", screen)  # the alternate screen is gone
        self.tmux.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo")
        self.tmux.keys("Enter")
        # Both lines: grep may print them in two writes that the screen shows one at a time.
        screen = self.tmux.wait_for(
            lambda s: re.search(r"^-?icanon$", s, re.M) and re.search(r"^-?echo$", s, re.M),
            "stty")
        self.assertRegex(screen, r"(?m)^icanon$")
        self.assertRegex(screen, r"(?m)^echo$")

    def open_inbox(self):
        import_mbox(self.store, os.path.join(self.dir, "inbox.mbox"), INBOX)
        self.start()
        self.tmux.wait_text("pigeon: INBOX [Msgs:3 New:3]")
        self.tmux.wait_for(lambda s: highlighted(s, "First message"), "First message selected",
                           attributes=True)

    def start_with_editor(self, script=EDITOR_SCRIPT, config=""):
        """The reader with the test's owner (and `config`, more lines of pigeon.conf) and the
        editor script; the draft file is made in self.dir/tmp, so the script leaves its copy in
        self.dir/draft-seen.txt."""
        config_dir = os.path.join(self.dir, ".config", "pigeon")
        os.makedirs(config_dir)
        with open(os.path.join(config_dir, "pigeon.conf"), "w") as f:
            f.write(OWNER_CONFIG + config)
        editor = os.path.join(self.dir, "editor.py")
        with open(editor, "w") as f:
            f.write(script)
        os.chmod(editor, 0o755)
        os.makedirs(os.path.join(self.dir, "tmp"))
        self.start(f"VISUAL= EDITOR={editor} TMPDIR={self.dir}/tmp ")

    def wait_compose(self):
        """Waits for the compose screen, shown after the editor; returns the screen."""
        return self.tmux.wait_text(COMPOSE)

    def draft_seen(self):
        with open(os.path.join(self.dir, "draft-seen.txt"), encoding="utf-8") as f:
            return f.read()

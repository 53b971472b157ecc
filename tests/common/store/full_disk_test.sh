#!/bin/bash
# Full disk, end to end: `pigeon import` into a store on a 1 MB tmpfs until the disk is full.
# The import must stop with a clear message (it says "full") and a non-zero status, and the
# store must stay consistent: integrity_check ok, folder counts equal to a scan of messages.
# Needs root, for a tmpfs mounted in a private mount namespace (`unshare -m`, gone with the
# process); without root it FAILS rather than skips, since CI runs it as root.
# Usage: full_disk_test.sh PIGEON_BINARY
set -u

fail() {
  echo "full_disk_test: FAIL: $*" >&2
  exit 1
}

# Inside the private mount namespace: mount, create, fill, check. $1 = pigeon, $2 = work dir.
inside() {
  local pigeon=$1 work=$2
  local mnt=$work/mnt db=$work/mnt/pigeon.db
  mount -t tmpfs -o size=1m tmpfs "$mnt" || fail "cannot mount a tmpfs on $mnt"
  "$pigeon" --store "$db" folders >/dev/null || fail "pigeon could not create the store on $mnt"
  "$pigeon" --store "$db" import "$work/small.mbox" || fail "the first import did not fit in 1 MB"
  local status=0
  "$pigeon" --store "$db" import "$work/big.mbox" 2>"$work/import.err" || status=$?
  echo "pigeon import exited $status; it said:"
  tail -n 5 "$work/import.err"
  ((status != 0)) || fail "pigeon import succeeded although the disk is full"
  grep -qi "full" "$work/import.err" || fail "the failure message does not say the disk is full"
  "$pigeon" --store "$db" folders || fail "pigeon folders failed on the full disk"
  /usr/bin/python3 -c "$CHECK_STORE" "$db" || fail "the store is inconsistent after the full disk"
}

# Reopens the store with Python's sqlite3: integrity_check, counts against a scan, bodies.
CHECK_STORE='
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
check = db.execute("PRAGMA integrity_check").fetchall()
if check != [("ok",)]:
    sys.exit(f"integrity_check: {check}")
for folder_id, name, total, unread in db.execute("SELECT id, name, total, unread FROM folders"):
    scanned = db.execute("SELECT count(*), coalesce(sum((flags & 1) = 0), 0) FROM messages "
                         "WHERE folder_id = ?", (folder_id,)).fetchone()
    if scanned != (total, unread):
        sys.exit(f"{name}: counts say {(total, unread)}, a scan finds {scanned}")
orphans = db.execute("SELECT count(*) FROM messages m LEFT JOIN bodies b ON b.id = m.body_id "
                     "WHERE b.id IS NULL").fetchone()[0]
if orphans:
    sys.exit(f"{orphans} messages without a body")
stored = db.execute("SELECT count(*) FROM messages").fetchone()[0]
before = db.execute("SELECT count(*) FROM messages WHERE message_id LIKE ?", ("small%",)).fetchone()[0]
if before != 40:
    sys.exit(f"{40 - before} of the 40 messages imported before the disk filled up are lost")
print(f"store consistent: {stored} messages, integrity_check ok")
'

# An mbox of $2 distinct messages of about 4 kB each, their ids prefixed by $3.
make_mbox() {
  /usr/bin/python3 - "$@" <<'EOF'
import random, sys
path, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(prefix)
with open(path, "w") as out:
    for n in range(count):
        out.write(f"From filler@example.org Tue Nov 14 22:13:20 2023\n"
                  f"From: Filler <filler@example.org>\nTo: Disk <disk@example.net>\n"
                  f"Subject: filler {n}\nMessage-ID: <{prefix}{n}@full.test>\n"
                  f"Date: Tue, 14 Nov 2023 22:13:20 +0000\n\n")
        for _ in range(60):
            out.write(" ".join(f"{random.getrandbits(32):08x}" for _ in range(7)) + "\n")
        out.write("\n")
EOF
}

main() {
  local pigeon=${1:-}
  [[ -x $pigeon ]] || fail "usage: full_disk_test.sh PIGEON_BINARY (got '$pigeon')"
  [[ $(id -u) -eq 0 ]] || fail "must run as root: it mounts a tmpfs in a private mount namespace"
  command -v unshare >/dev/null || fail "unshare (util-linux) is not installed"
  unshare -m true 2>/dev/null || fail "unshare -m is not permitted here (needs CAP_SYS_ADMIN)"
  "$pigeon" import --help >/dev/null 2>&1 || fail "$pigeon has no working 'import' command"
  work=$(mktemp -d /tmp/pigeon-full-disk-XXXXXX) || fail "mktemp"  # global: the trap reads it
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/mnt"
  # 40 messages (160 kB) fit; 600 more (2.4 MB) do not.
  make_mbox "$work/small.mbox" 40 small && make_mbox "$work/big.mbox" 600 big ||
    fail "cannot write the test mboxes"
  # --propagation private (unshare's default, said for clarity): the mount never leaks out.
  unshare -m --propagation private bash "$0" --inside "$pigeon" "$work" || exit 1
  echo "full_disk_test: PASS"
}

if [[ ${1:-} == --inside ]]; then
  inside "$2" "$3"
else
  main "$@"
fi

#!/bin/bash
# Fetching a whole IMAP folder, side by side in one run: pigeon fetch (into a fresh store) vs
# mbsync (Debian's isync: IMAPStore -> MaildirStore, Sync Pull, into a fresh Maildir) vs
# fetchmail (keep, fetchall, every message handed to an MDA that writes it to a file of its
# own), all from the same private Dovecot over IMAPS on loopback (bench/lib/fetch_server.py:
# the Dovecot of tests/fetch, its test CA verified by every tool). Target: pigeon >= 1x mbsync's
# messages/s, and pigeon's peak memory flat in the number of messages (pigeon alone, at each of
# SIZES).
# Each tool's wall time and peak RSS come from GNU time; one untimed warm-up round first (pigeon
# and mbsync), then RUNS rounds interleaved pigeon, mbsync, fetchmail; figures are medians
# (memory: the largest).
# After every run the number of messages the tool stored must be N, or the script stops.
#
# Usage: bash bench/fetch.sh [--30k]        (--30k adds 30000 to SIZES)
# Environment: N (10000), RUNS (3), SIZES ("1000 N": the folder sizes for pigeon's memory),
#   SEED (1), WARMUP (1 round), PIGEON (build/mua/pigeon), BENCH_WORK (/var/tmp/pigeon-bench),
#   QUIET_MAX (25 % CPU busy) and QUIET_TIMEOUT (30 s) for the wait before each run.
# Needs: dovecot-imapd, dovecot-pop3d (the Dovecot of tests/fetch), isync, fetchmail, time,
#   openssl, python3 (Debian). Loopback only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON=${PIGEON:-$REPO/build/mua/pigeon}
N=${N:-10000}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
WARMUP=${WARMUP:-1}
SIZES=${SIZES:-"1000 $N"}
QUIET_MAX=${QUIET_MAX:-25}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-30}
PY=/usr/bin/python3
for arg in "$@"; do
  case $arg in
    --30k) SIZES="$SIZES 30000" ;;
    *) echo "usage: bash bench/fetch.sh [--30k]" >&2; exit 2 ;;
  esac
done
die() { echo "fetch: $*" >&2; exit 1; }
for value in "$N" "$RUNS" $SIZES; do
  [[ $value =~ ^[1-9][0-9]*$ ]] || die "N, RUNS and SIZES must be positive numbers"
done
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a number"
for tool in mbsync fetchmail /usr/bin/time /usr/sbin/dovecot openssl "$PY"; do
  command -v "$tool" >/dev/null ||
    die "needs $tool (apt-get install dovecot-imapd dovecot-pop3d isync fetchmail time openssl python3)"
done
[ -x "$PIGEON" ] || die "build pigeon first ($PIGEON)"
PIGEON=$(cd "$(dirname "$PIGEON")" && pwd)/$(basename "$PIGEON")
SIZES=$(printf '%s\n' $SIZES | sort -n -u | tr '\n' ' ')

mkdir -p "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/fetch.XXXXXX")
chmod 755 "$RUN"  # Dovecot's login and mail processes (other users when root) pass through
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME=$RUN/home  # mbsync and fetchmail keep nothing of the user's
mkdir -p "$HOME"

corpus() { echo "$BENCH_WORK/corpus-n$1-s$SEED"; }
for size in $N $SIZES; do
  "$PY" "$REPO/bench/gen_corpus.py" --n "$size" --seed "$SEED" --out "$(corpus "$size")" >/dev/null
done
MB=$("$PY" -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["total_bytes"] / 1e6, 1))' \
  "$(corpus "$N")/manifest.json")

# --- The server: INBOX holds the N messages; folder size-S holds S for each other size.
echo "fetch: starting Dovecot with the corpora (copying ${MB} MB for INBOX)" >&2
folders=("$(corpus "$N"):INBOX")
for size in $SIZES; do
  [ "$size" = "$N" ] || folders+=("$(corpus "$size"):size-$size")
done
mkdir -p "$RUN/server" && chmod 755 "$RUN/server"
"$PY" "$REPO/bench/lib/fetch_server.py" "$RUN/server" "${folders[@]}" \
  >"$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 3000); do
  [ -f "$RUN/server/server.env" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$RUN/server.log" >&2; die "the server did not start"; }
  sleep 0.1
done
[ -f "$RUN/server/server.env" ] || die "the server did not get ready in 300 s"
source "$RUN/server/server.env"

source "$REPO/bench/lib/quiet.sh"

# --- The three tools. Each prepare_* makes a fresh target in $1 and sets CMD to the command;
# each count_* prints how many messages the tool stored there.
prepare_pigeon() {  # DIR FOLDER
  cat >"$1/pigeon.conf" <<CONF
owner = "ada@example.org"
store = "$1/store/pigeon.db"

[[fetch]]
name = "bench"
url = "imaps://127.0.0.1:$IMAPS_PORT"
user = "$IMAP_USER"
password = "$IMAP_PASSWORD"
ca_file = "$CA_FILE"
folders = { "$2" = "INBOX" }
CONF
  chmod 600 "$1/pigeon.conf"
  mkdir -p "$1/store"
  CMD=("$PIGEON" -C "$1/pigeon.conf" fetch bench)
}
count_pigeon() {
  "$PY" - "$1/store/pigeon.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM messages JOIN folders ON folders.id = messages.folder_id "
                 "WHERE folders.name = 'INBOX'").fetchone()[0])
PY
}

prepare_mbsync() {  # DIR FOLDER (always INBOX)
  mkdir -p "$1/Maildir"
  # mbsync matches the certificate against host names only (not IP addresses): localhost.
  cat >"$1/mbsyncrc" <<CONF
IMAPAccount bench
Host localhost
Port $IMAPS_PORT
User $IMAP_USER
Pass "$IMAP_PASSWORD"
SSLType IMAPS
CertificateFile $CA_FILE

IMAPStore remote
Account bench

MaildirStore local
Path $1/Maildir/
Inbox $1/Maildir/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Sync Pull
Create Near
SyncState *
CONF
  chmod 600 "$1/mbsyncrc"
  CMD=(mbsync -q -c "$1/mbsyncrc" bench)
}
count_mbsync() { find "$1/Maildir/INBOX/cur" "$1/Maildir/INBOX/new" -type f | wc -l; }

# fetchmail delivers each message through its MDA (popen: /bin/sh -c), which here writes it to
# a file of its own in delivered/ (no fsync; noclobber, so a clash of names fails loudly). Like
# mbsync, it checks the certificate against a host name, not an IP address: localhost.
prepare_fetchmail() {  # DIR FOLDER (always INBOX)
  mkdir -p "$1/delivered" "$1/home"
  cat >"$1/fetchmailrc" <<CONF
set no bouncemail
set no syslog
poll localhost with proto IMAP port $IMAPS_PORT
  user "$IMAP_USER" there with password "$IMAP_PASSWORD"
  ssl sslcertck sslcertfile "$CA_FILE"
  keep fetchall
  mda "set -C; exec cat > $1/delivered/msg.\$\$"
CONF
  chmod 600 "$1/fetchmailrc"
  CMD=(env "FETCHMAILHOME=$1/home" fetchmail -s -f "$1/fetchmailrc")
}
count_fetchmail() { find "$1/delivered" -type f | wc -l; }

# run TOOL FOLDER EXPECTED LABEL ROUND: one fetch from a fresh target, timed; appends
# "label tool round wall_s maxrss_kib user_s sys_s busy%" to $RUN/results.
run() {
  local tool=$1 folder=$2 expected=$3 label=$4 round=$5 dir busy rc=0 got
  dir=$RUN/runs/$tool-$label-$round
  rm -rf "$dir" && mkdir -p "$dir"
  "prepare_$tool" "$dir" "$folder"
  sync
  busy=$(quiet_gate)
  /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "${CMD[@]}" >"$dir/out" 2>&1 || rc=$?
  # fetchmail says 1 when there was no mail: that shows as a wrong count below.
  if [ "$rc" != 0 ] && ! { [ "$tool" = fetchmail ] && [ "$rc" = 1 ]; }; then
    cat "$dir/out" >&2
    die "$tool failed (exit status $rc)"
  fi
  got=$("count_$tool" "$dir")
  if [ "$got" != "$expected" ]; then
    tail -20 "$dir/out" >&2
    die "$tool stored $got messages, not $expected"
  fi
  echo "$label $tool $round $(tail -1 "$dir/time") $busy" >>"$RUN/results"
  printf '  %-9s %-6s round %s: %s s, %s KiB, %s messages (machine %s%% busy before)\n' "$tool" \
    "$label" "$round" "$(tail -1 "$dir/time" | cut -d' ' -f1)" \
    "$(tail -1 "$dir/time" | cut -d' ' -f2)" "$got" "$busy" >&2
  rm -rf "$dir"
}

echo "fetch: ${N} messages (${MB} MB, seed $SEED) over IMAPS on loopback, Dovecot $(dovecot --version | cut -d' ' -f1)"
echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$RUN/results"
for round in $(seq $((1 - WARMUP)) "$RUNS"); do
  label=main
  [ "$round" -ge 1 ] || label=warmup
  echo "round $round$([ "$label" = main ] || echo " (warm-up, not counted)")" >&2
  run pigeon INBOX "$N" "$label" "$round"
  run mbsync INBOX "$N" "$label" "$round"
  # fetchmail is slow enough (a process per message) that a warm-up of its own is not worth it.
  [ "$label" = warmup ] || run fetchmail INBOX "$N" "$label" "$round"
done
for size in $SIZES; do
  [ "$size" != "$N" ] || continue
  echo "pigeon alone, $size messages" >&2
  for round in $(seq "$RUNS"); do
    run pigeon "size-$size" "$size" "n$size" "$round"
  done
done

"$PY" - "$RUN/results" "$N" "$SIZES" "$MB" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
n, sizes, mb = int(sys.argv[2]), [int(s) for s in sys.argv[3].split()], float(sys.argv[4])

def runs(label, tool):
    return [(float(r[3]), int(r[4]), float(r[5]) + float(r[6])) for r in rows
            if r[0] == label and r[1] == tool]

print(f"1. fetch {n:,} messages ({mb} MB) once, fresh target each time (median of "
      f"{len(runs('main', 'pigeon'))} rounds)")
walls = {}
for tool, target in (("pigeon", "store (SQLite, durable commit per group)"),
                     ("mbsync", "Maildir (fsync per message, isync's default)"),
                     ("fetchmail", "MDA 'cat > file' per message (no fsync)")):
    r = runs("main", tool)
    wall = statistics.median(x[0] for x in r)
    cpu = statistics.median(x[2] for x in r)
    walls[tool] = wall
    print(f"  {tool:9s}: {n / wall:7.0f} msgs/s {mb / wall:6.1f} MB/s  wall {wall:7.2f} s "
          f"(min {min(x[0] for x in r):.2f}, max {max(x[0] for x in r):.2f})  CPU {cpu:6.2f} s  "
          f"peak RSS {max(x[1] for x in r) / 1024:6.1f} MiB   -> {target}")
to_mbsync = walls["mbsync"] / walls["pigeon"]
per_round = [m[0] / p[0] for p, m in zip(runs("main", "pigeon"), runs("main", "mbsync"))]
print(f"  pigeon/mbsync {to_mbsync:.2f}x (per round {min(per_round):.2f}-{max(per_round):.2f}x; "
      f"target >= 1x: {'met' if to_mbsync >= 1 else 'NOT met'}), "
      f"pigeon/fetchmail {walls['fetchmail'] / walls['pigeon']:.2f}x (messages/s)")
print("2. pigeon's peak memory by folder size")
peaks = []
for size in sizes:
    r = runs("main" if size == n else f"n{size}", "pigeon")
    wall = statistics.median(x[0] for x in r)
    peak = max(x[1] for x in r) / 1024
    peaks.append(peak)
    print(f"  {size:7,d} messages: peak RSS {peak:6.1f} MiB, {size / wall:7.0f} msgs/s")
if len(peaks) > 1:
    growth = peaks[-1] / peaks[0]
    print(f"  peak at {sizes[-1]:,} / at {sizes[0]:,}: {growth:.2f}x "
          f"(flat: {'met' if growth <= 1.25 else 'NOT met'})")
busy = [int(r[7]) for r in rows if r[0] != "warmup"]
print(f"  machine busy before the timed runs: median {statistics.median(busy)}%, max {max(busy)}%")
PY
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"

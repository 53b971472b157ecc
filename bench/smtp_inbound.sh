#!/bin/bash
# Durable inbound SMTP rate, side by side in one run: Postfix's smtp-source sends N messages of
# SIZE bytes over S parallel sessions to (a) pigeond delivering into its store and (b) a private
# Postfix instance delivering to a Maildir with local(8); the time is taken until every message
# is in the mailbox (INBOX rows / Maildir files). Both fsync before answering 250 (pigeond:
# synchronous=FULL group commit; Postfix: cleanup fsyncs the queue file, local fsyncs the
# Maildir file). Then pigeond's memory per idle connection at 1,000 connections.
#
# Usage (as root: Postfix's master needs it; pigeond drops to nobody):
#   bash bench/smtp_inbound.sh [N] [SIZE] [SESSIONS...]     defaults: 10000 4096 1 20
# Environment: PIGEOND (build/mta/pigeond), BENCH_WORK (/var/tmp/pigeon-bench).
# Needs: postfix (Debian, no main.cf needed), python3. Loopback only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/bench/lib/postfix.sh"
N=${1:-10000}
SIZE=${2:-4096}
shift $(($# < 2 ? $# : 2))
SESSIONS=("$@")
((${#SESSIONS[@]})) || SESSIONS=(1 20)
PIGEOND=${PIGEOND:-$REPO/build/mta/pigeond}
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON_PORT=${PIGEON_PORT:-2625}
POSTFIX_PORT=${POSTFIX_PORT:-2626}
[ "$(id -u)" = 0 ] || { echo "smtp_inbound: run as root (private Postfix instance)" >&2; exit 1; }
for tool in smtp-source postfix postalias /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "smtp_inbound: needs $tool (apt-get install postfix python3)" >&2; exit 1; }
done
[ -x "$PIGEOND" ] || { echo "smtp_inbound: build pigeond first ($PIGEOND)" >&2; exit 1; }

mkdir -p "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/smtp-inbound.XXXXXX")
chmod 755 "$RUN"
PF=$RUN/postfix
PIGEOND_PID=""
cleanup() {
  [ -n "$PIGEOND_PID" ] && kill "$PIGEOND_PID" 2>/dev/null && wait "$PIGEOND_PID" 2>/dev/null
  [ -d "$PF/etc" ] && postfix -c "$PF/etc" stop >/dev/null 2>&1
  rm -rf "$RUN"
}
trap cleanup EXIT


# --- pigeond: store owned by nobody, served as nobody.
start_pigeond() {
  rm -rf "$RUN/pigeon" && mkdir -p "$RUN/pigeon" && chown nobody:nogroup "$RUN/pigeon"
  cat > "$RUN/pigeon.conf" <<CONF
owner = "user@example.test"
store = "$RUN/pigeon/pigeon.db"
[smtpd]
listen = ["127.0.0.1:$PIGEON_PORT"]
hostname = "bench.example.test"
local_domains = ["example.test"]
local_users = ["user"]
max_connections = 2000
max_connections_per_ip = 2000
user = "nobody"
CONF
  (ulimit -n 8192; exec "$PIGEOND" -f -C "$RUN/pigeon.conf" 2>"$RUN/pigeond.log") &
  PIGEOND_PID=$!
  wait_port "$PIGEON_PORT"
}
stop_pigeond() {
  kill "$PIGEOND_PID" && wait "$PIGEOND_PID" || true
  PIGEOND_PID=""
}
pigeon_count() {
  /usr/bin/python3 -c "
import sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True, timeout=30)
print(db.execute('SELECT count(*) FROM messages').fetchone()[0])" "$RUN/pigeon/pigeon.db" 2>/dev/null || echo 0
}

# --- Postfix: a private instance (postfix -c), local(8) delivery to a Maildir as nobody.
start_postfix() { start_private_postfix "$PF" "$POSTFIX_PORT"; }
stop_postfix() { stop_private_postfix "$PF"; }
postfix_count() { find "$PF/Maildir/new" -type f | wc -l; }

# Sends N messages over $1 sessions to port $2, waits until $3 (a count command) says N; prints
# the seconds from the first connection to the last message in the mailbox.
timed_run() {
  local sessions=$1 port=$2 count=$3
  local start end
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$N" -l "$SIZE" -f bench@remote.test -t user@example.test \
    "127.0.0.1:$port"
  for _ in $(seq 6000); do
    [ "$($count)" -ge "$N" ] && break
    sleep 0.05
  done
  end=$(date +%s.%N)
  [ "$($count)" -ge "$N" ] || { echo "smtp_inbound: only $($count) of $N delivered" >&2; exit 1; }
  /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$end"
}

echo "durable inbound SMTP, $N messages of $SIZE bytes (smtp-source), $(nproc) cores"
declare -A results
for sessions in "${SESSIONS[@]}"; do
  sync
  start_pigeond
  p=$(timed_run "$sessions" "$PIGEON_PORT" pigeon_count)
  stop_pigeond
  sync
  start_postfix
  q=$(timed_run "$sessions" "$POSTFIX_PORT" postfix_count)
  stop_postfix
  /usr/bin/python3 - "$N" "$sessions" "$p" "$q" <<'PY'
import sys
n, sessions = int(sys.argv[1]), int(sys.argv[2])
p, q = float(sys.argv[3]), float(sys.argv[4])
target = 3 if sessions >= 20 else 2
print(f"  {sessions:2d} session(s): pigeond {n / p:7.0f} msgs/s ({p:6.2f} s)   "
      f"postfix {n / q:6.0f} msgs/s ({q:6.2f} s)   pigeond/postfix {q / p:5.2f}x "
      f"(target >= {target}x)")
PY
done

# Memory per idle connection: pigeond's RSS before and with 1,000 idle sessions (greeted).
start_pigeond
/usr/bin/python3 - "$PIGEOND_PID" "$PIGEON_PORT" <<'PY'
import resource, socket, sys, time
pid, port = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (8192, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
# Warm up allocator and code paths with a first batch, then measure the next 1,000.
warm = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
for sock in warm: sock.recv(512)
time.sleep(0.5)
before = rss_kib()
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(1000)]
greeted = sum(1 for sock in held if sock.recv(512).startswith(b"220"))
time.sleep(0.5)
after = rss_kib()
print(f"  idle connections: {greeted} greeted; pigeond RSS {before} KiB -> {after} KiB = "
      f"{(after - before) / 1000:.1f} KiB per connection (target <= 64 KB)")
for sock in held + warm: sock.close()
PY
stop_pigeond

#!/bin/bash
# Queue flush rate, side by side in one run: N queued messages of SIZE bytes, all for one
# remote domain, are released at once and delivered to Postfix's smtp-sink on loopback by
# (a) pigeond, relaying to the sink (relayhost), and (b) a private Postfix instance with
# relayhost = the same sink. Both queues are filled first and held; the time runs from the
# release to the empty queue (pigeond: `pigeond queue release ALL`; Postfix: postsuper -H ALL
# then postqueue -f).
#
# Usage (as root: Postfix's master needs it; pigeond drops to nobody):
#   bash bench/queue_flush.sh [N] [SIZE]        defaults: 10000 4096
# Environment: BUILD (build), BENCH_WORK (/var/tmp/pigeon-bench). Loopback only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/bench/lib/postfix.sh"
N=${1:-10000}
SIZE=${2:-4096}
BUILD=${BUILD:-$REPO/build}
PIGEOND=$BUILD/mta/pigeond
SENDMAIL=$BUILD/mta/pigeon-sendmail
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
SINK_PORT=${SINK_PORT:-2640}
POSTFIX_PORT=${POSTFIX_PORT:-2641}
[ "$(id -u)" = 0 ] || { echo "queue_flush: run as root (private Postfix instance)" >&2; exit 1; }
for tool in smtp-sink smtp-source postfix postsuper postqueue /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "queue_flush: needs $tool (apt-get install postfix)" >&2; exit 1; }
done
[ -x "$PIGEOND" ] && [ -x "$SENDMAIL" ] || { echo "queue_flush: build pigeond and pigeon-sendmail first ($BUILD)" >&2; exit 1; }

mkdir -p "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/queue-flush.XXXXXX")
chmod 755 "$RUN"
PF=$RUN/postfix
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postfix "$PF"
  rm -rf "$RUN"
}
trap cleanup EXIT

# Polls `$1` (a command printing a count) until it prints 0; prints the seconds since $2.
wait_empty() {
  local count=$1 start=$2
  for _ in $(seq 12000); do
    [ "$($count)" -eq 0 ] && break
    sleep 0.05
  done
  [ "$($count)" -eq 0 ] || { echo "queue_flush: the queue did not drain" >&2; exit 1; }
  /usr/bin/python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.3f}')" "$start"
}

smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1000 >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$SINK_PORT"

# --- pigeon: fill the queue through sendmail, hold it, start pigeond, release.
mkdir -p "$RUN/pigeon" && chown nobody:nogroup "$RUN/pigeon"
cat > "$RUN/pigeon.conf" <<CONF
owner = "user@example.test"
store = "$RUN/pigeon/pigeon.db"
[smtpd]
listen = ["127.0.0.1:$((SINK_PORT + 2))"]
hostname = "bench.example.test"
local_domains = ["example.test"]
user = "nobody"
[delivery]
relayhost = "127.0.0.1:$SINK_PORT"
tls = "none"
CONF
chmod 644 "$RUN/pigeon.conf"
runuser -u nobody -- /usr/bin/python3 "$REPO/bench/queue_populate.py" "$SENDMAIL" "$RUN/pigeon.conf" "$N" "$SIZE"
runuser -u nobody -- "$PIGEOND" -C "$RUN/pigeon.conf" queue hold ALL >/dev/null
pigeon_queued() {
  /usr/bin/python3 -c "
import sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True, timeout=30)
print(db.execute('SELECT count(*) FROM queue').fetchone()[0])" "$RUN/pigeon/pigeon.db"
}
[ "$(pigeon_queued)" -eq "$N" ] || { echo "queue_flush: pigeon queued $(pigeon_queued) of $N" >&2; exit 1; }
"$PIGEOND" -f -C "$RUN/pigeon.conf" 2>"$RUN/pigeond.log" &
PIDS+=($!)
wait_port "$((SINK_PORT + 2))"
sync
start=$(date +%s.%N)
runuser -u nobody -- "$PIGEOND" -C "$RUN/pigeon.conf" queue release ALL >/dev/null
p=$(wait_empty pigeon_queued "$start")
sent=$(grep -c "status=sent" "$RUN/pigeond.log" || true)
[ "$sent" -ge "$N" ] || { echo "queue_flush: pigeond logged $sent of $N sent" >&2; exit 1; }

# --- Postfix: smtpd puts everything on hold, then release and flush.
start_private_postfix "$PF" "$POSTFIX_PORT" "relayhost = [127.0.0.1]:$SINK_PORT
smtpd_client_restrictions = check_client_access static:HOLD"
smtp-source -s 10 -m "$N" -l "$SIZE" -f user@example.test -t rcpt@remote.test "127.0.0.1:$POSTFIX_PORT"
postfix_queued() { find "$PF/spool/maildrop" "$PF/spool/incoming" "$PF/spool/active" "$PF/spool/deferred" "$PF/spool/hold" -type f 2>/dev/null | wc -l; }
postfix_held() { find "$PF/spool/hold" -type f | wc -l; }
for _ in $(seq 1200); do [ "$(postfix_held)" -ge "$N" ] && break; sleep 0.1; done
[ "$(postfix_held)" -ge "$N" ] || { echo "queue_flush: Postfix held only $(postfix_held)" >&2; exit 1; }
sync
start=$(date +%s.%N)
postsuper -c "$PF/etc" -H ALL hold 2>/dev/null
postqueue -c "$PF/etc" -f
q=$(wait_empty postfix_queued "$start")

/usr/bin/python3 - "$N" "$SIZE" "$p" "$q" <<'PY'
import sys
n, size, p, q = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"queue flush to smtp-sink, {n} messages of {size} bytes, one relay host")
print(f"  pigeond {n / p:7.0f} msgs/s ({p:6.2f} s)   postfix {n / q:6.0f} msgs/s ({q:6.2f} s)   "
      f"pigeond/postfix {q / p:5.2f}x (target >= 2x)")
PY

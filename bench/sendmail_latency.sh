#!/bin/bash
# sendmail submission latency, side by side in one run: the wall time of one
# `sendmail -t -i < message` (a 4 KiB message to a local user), process start to exit, for
# pigeon's sendmail with pigeond running (it hands the message to pigeond, which answers after
# the durable commit in the store) and Postfix's sendmail of a private running Postfix
# instance (postdrop writes and fsyncs the maildrop file). Each runs CALLS times after a
# warm-up, interleaved; the medians are compared. Then, for information, pigeon's sendmail
# with pigeond stopped (it writes the store itself).
#
# Usage (as root: Postfix's master needs it; pigeond drops to nobody):
#   bash bench/sendmail_latency.sh [CALLS]
# Environment: BUILD (build), BENCH_WORK (/var/tmp/pigeon-bench). Loopback only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/bench/lib/postfix.sh"
CALLS=${1:-200}
BUILD=${BUILD:-$REPO/build}
SENDMAIL=$BUILD/mta/pigeon-sendmail
PIGEOND=$BUILD/mta/pigeond
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
POSTFIX_PORT=${POSTFIX_PORT:-2651}
PIGEON_PORT=${PIGEON_PORT:-2652}
[ "$(id -u)" = 0 ] || { echo "sendmail_latency: run as root (private Postfix instance)" >&2; exit 1; }
command -v postfix >/dev/null || { echo "sendmail_latency: needs postfix" >&2; exit 1; }
[ -x "$SENDMAIL" ] && [ -x "$PIGEOND" ] || { echo "sendmail_latency: build pigeond and pigeon-sendmail first ($BUILD)" >&2; exit 1; }

mkdir -p "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/sendmail-latency.XXXXXX")
chmod 755 "$RUN"
PF=$RUN/postfix
PIGEOND_PID=
stop_pigeond() {
  [ -n "$PIGEOND_PID" ] || return 0
  kill "$PIGEOND_PID" 2>/dev/null || true
  wait "$PIGEOND_PID" 2>/dev/null || true
  PIGEOND_PID=
}
cleanup() {
  stop_pigeond
  stop_private_postfix "$PF"
  rm -rf "$RUN"
}
trap cleanup EXIT

/usr/bin/python3 - "$RUN/message.eml" <<'PY'
import sys
body = "".join(f"line {i:03d} of a message of about four kilobytes, nothing special here.\n"
               for i in range(56))
with open(sys.argv[1], "w") as out:
    out.write("From: someone@example.test\nTo: user@example.test\nSubject: latency\n\n" + body)
PY

mkdir -p "$RUN/pigeon"
cat > "$RUN/pigeon.conf" <<CONF
owner = "user@example.test"
store = "$RUN/pigeon/pigeon.db"
[smtpd]
local_domains = ["example.test"]
listen = ["127.0.0.1:$PIGEON_PORT"]
user = "nobody"
CONF
chown -R nobody:nogroup "$RUN/pigeon"

start_private_postfix "$PF" "$POSTFIX_PORT"
"$PIGEOND" -f -C "$RUN/pigeon.conf" 2>"$RUN/pigeond.log" &
PIGEOND_PID=$!
wait_port "$PIGEON_PORT"

measure() {
/usr/bin/python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
mode, calls, message, sendmail, config, postfix_etc = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
commands = {"pigeon": [sendmail, "-C", config, "-t", "-i"]}
if mode == "side-by-side":
    commands["postfix"] = ["/usr/sbin/sendmail", "-C", postfix_etc, "-t", "-i"]
def once(argv):
    with open(message, "rb") as stdin:
        start = time.perf_counter()
        subprocess.run(argv, stdin=stdin, check=True)
        return time.perf_counter() - start
medians = {}
for name, argv in commands.items():
    for _ in range(10):
        once(argv)
# Interleaved, so both see the same machine.
samples = {name: [] for name in commands}
for _ in range(calls):
    for name, argv in commands.items():
        samples[name].append(once(argv))
for name in commands:
    values = sorted(samples[name])
    medians[name] = statistics.median(values)
    label = name if mode == "side-by-side" else "pigeon without pigeond"
    print(f"  {label:8s} median {medians[name] * 1000:6.2f} ms   p95 "
          f"{values[int(len(values) * 0.95) - 1] * 1000:6.2f} ms   ({calls} calls)")
if mode == "side-by-side":
    print(f"sendmail latency: pigeon/postfix {medians['pigeon'] / medians['postfix']:.2f}x "
          f"(target <= 0.25x)")
PY
}
measure side-by-side "$CALLS" "$RUN/message.eml" "$SENDMAIL" "$RUN/pigeon.conf" "$PF/etc"
handed=$(grep -c "submitted by uid" "$RUN/pigeond.log" || true)
[ "$handed" -ge "$CALLS" ] || { echo "sendmail_latency: pigeond took only $handed messages" >&2; exit 1; }
stop_pigeond
measure alone "$(( (CALLS + 3) / 4 ))" "$RUN/message.eml" "$SENDMAIL" "$RUN/pigeon.conf" "$PF/etc"

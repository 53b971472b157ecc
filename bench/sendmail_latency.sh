#!/bin/bash
# sendmail submission latency, side by side in one run: the wall time of one
# `sendmail -t -i < message` (a 4 KiB message to a local user), process start to exit, for
# pigeon's sendmail (durable in the store: synchronous=FULL commit) and Postfix's sendmail
# (postdrop writes and fsyncs the maildrop file) of a private running Postfix instance. Each
# runs CALLS times after a warm-up; the medians are compared.
#
# Usage (as root: Postfix's master needs it):  bash bench/sendmail_latency.sh [CALLS]
# Environment: BUILD (build), BENCH_WORK (/var/tmp/pigeon-bench). Loopback only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/bench/lib/postfix.sh"
CALLS=${1:-200}
BUILD=${BUILD:-$REPO/build}
SENDMAIL=$BUILD/mta/pigeon-sendmail
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
POSTFIX_PORT=${POSTFIX_PORT:-2651}
[ "$(id -u)" = 0 ] || { echo "sendmail_latency: run as root (private Postfix instance)" >&2; exit 1; }
command -v postfix >/dev/null || { echo "sendmail_latency: needs postfix" >&2; exit 1; }
[ -x "$SENDMAIL" ] || { echo "sendmail_latency: build pigeon-sendmail first ($SENDMAIL)" >&2; exit 1; }

mkdir -p "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/sendmail-latency.XXXXXX")
chmod 755 "$RUN"
PF=$RUN/postfix
cleanup() {
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
CONF

start_private_postfix "$PF" "$POSTFIX_PORT"

/usr/bin/python3 - "$CALLS" "$RUN/message.eml" "$SENDMAIL" "$RUN/pigeon.conf" "$PF/etc" <<'PY'
import statistics, subprocess, sys, time
calls, message, sendmail, config, postfix_etc = int(sys.argv[1]), *sys.argv[2:]
commands = {
    "pigeon": [sendmail, "-C", config, "-t", "-i"],
    "postfix": ["/usr/sbin/sendmail", "-C", postfix_etc, "-t", "-i"],
}
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
    print(f"  {name:8s} median {medians[name] * 1000:6.2f} ms   p95 "
          f"{values[int(len(values) * 0.95) - 1] * 1000:6.2f} ms   ({calls} calls)")
print(f"sendmail latency: pigeon/postfix {medians['pigeon'] / medians['postfix']:.2f}x "
      f"(target <= 0.25x)")
PY

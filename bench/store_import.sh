#!/bin/bash
# Store import rate and memory vs N, side by side in one run: `pigeon import` of a Maildir into
# a fresh store vs `notmuch new` indexing the same Maildir (what notmuch users wait for). For
# each N prints messages/s, the ratio, peak memory of each, and the store's size against the raw
# corpus; at the end a table of peak memory vs N for both tools.
# Self-contained: this repository, python3 and Debian's notmuch and time packages.
#
# Usage: bash bench/store_import.sh [N ...]   (default 10000 messages; corpora cached in
#        BENCH_WORK; e.g. `bash bench/store_import.sh 1000 10000 100000`)
# Environment: BENCH_WORK (/var/tmp/pigeon-bench), PIGEON (build/mua/pigeon), SEED (1),
#   BENCH_KEEP=1: keep the last N's Maildir, pigeon store and notmuch database (and its config)
#   in BENCH_WORK/index-n<N>-s<SEED>/ for bench/store_search.sh (replaced when it exists).
# The Maildir is made of hard links to the corpus files (copies when linking is not possible),
# so a 100k corpus is not copied again; both tools only read it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -gt 0 ] || set -- 10000
for n in "$@"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "store_import: N must be a positive number, not '$n'" >&2; exit 2; }
done
SEED=${SEED:-1}
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON=${PIGEON:-$REPO/build/mua/pigeon}
BENCH_KEEP=${BENCH_KEEP:-0}
for tool in notmuch /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "store_import: needs $tool (apt-get install notmuch time python3)" >&2; exit 1; }
done
[ -x "$PIGEON" ] || { echo "store_import: build pigeon first ($PIGEON)" >&2; exit 1; }
PIGEON=$(cd "$(dirname "$PIGEON")" && pwd)/$(basename "$PIGEON")
mkdir -p "$BENCH_WORK"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/pigeon-store-bench.XXXXXX")
RUN=""  # the current N's directory, removed on exit unless it is the kept index
trap 'rm -rf "$SCRATCH"; [ -z "$RUN" ] || rm -rf "$RUN"' EXIT

# Runs "$@" and prints "seconds peak_kib".
measure() {
  /usr/bin/time -f '%e %M' -o "$SCRATCH/time" "$@" >/dev/null 2>"$SCRATCH/stderr" ||
    { cat "$SCRATCH/stderr" >&2; exit 1; }
  tail -1 "$SCRATCH/time"
}

# One Maildir for both tools: every message in cur/ marked seen, hard-linked from the corpus.
make_maildir() {  # corpus_dir maildir
  /usr/bin/python3 "$REPO/bench/lib/make_maildir.py" "$1" "$2"
}

echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
last=${!#}
for N in "$@"; do
  CORPUS=$BENCH_WORK/corpus-n$N-s$SEED
  /usr/bin/python3 "$REPO/bench/gen_corpus.py" --n "$N" --seed "$SEED" --out "$CORPUS" >&2
  keep_this=0
  if [ "$BENCH_KEEP" = 1 ] && [ "$N" = "$last" ]; then
    keep_this=1
    RUN=$BENCH_WORK/index-n$N-s$SEED
    rm -rf "$RUN"
    mkdir -p "$RUN"
  else
    RUN=$(mktemp -d "$BENCH_WORK/run-n$N-s$SEED.XXXXXX")
  fi
  make_maildir "$CORPUS" "$RUN/maildir"
  corpus_bytes=$(du -sb "$RUN/maildir" | cut -f1)

  sync
  read -r p_sec p_kib < <(measure "$PIGEON" --store "$RUN/pigeon/pigeon.db" import "$RUN/maildir")
  cat > "$RUN/notmuch-config" <<CFG
[database]
path=$RUN/notmuch-db
mail_root=$RUN/maildir
[user]
name=Bench User
primary_email=user@example.test
[new]
tags=unread;inbox;
[maildir]
synchronize_flags=true
CFG
  mkdir -p "$RUN/notmuch-db"
  sync
  read -r n_sec n_kib < <(measure env NOTMUCH_CONFIG="$RUN/notmuch-config" notmuch new --quiet)

  count=$("$PIGEON" --store "$RUN/pigeon/pigeon.db" folders | awk '$1 == "INBOX" {print $2}')
  nm_count=$(NOTMUCH_CONFIG="$RUN/notmuch-config" notmuch count '*')
  db_bytes=$(du -sb "$RUN/pigeon" | cut -f1)
  nm_bytes=$(du -sb "$RUN/notmuch-db" | cut -f1)

  /usr/bin/python3 - "$N" "$count" "$nm_count" "$p_sec" "$n_sec" "$p_kib" "$n_kib" \
    "$corpus_bytes" "$db_bytes" "$nm_bytes" "$SCRATCH/results.tsv" <<'PY'
import sys
n, count, nm_count = map(int, sys.argv[1:4])
p_sec, n_sec = float(sys.argv[4]), float(sys.argv[5])
p_kib, n_kib, corpus, db, nm = map(int, sys.argv[6:11])
p_rate, n_rate = count / max(p_sec, 1e-3), nm_count / max(n_sec, 1e-3)
print(f"store import, {n} messages, {corpus / 1e6:.1f} MB Maildir")
print(f"  pigeon import : {count:6d} msgs in {p_sec:6.2f} s = {p_rate:8.0f} msgs/s, peak {p_kib / 1024:.0f} MiB, store {db / 1e6:.1f} MB ({db / corpus:.2f}x corpus; target <= 1.5x: {'met' if db / corpus <= 1.5 else 'NOT met'})")
print(f"  notmuch new   : {nm_count:6d} msgs in {n_sec:6.2f} s = {n_rate:8.0f} msgs/s, peak {n_kib / 1024:.0f} MiB, index {nm / 1e6:.1f} MB (+ the Maildir itself)")
ratio = p_rate / n_rate
print(f"  pigeon/notmuch: {ratio:.2f}x  (target >= 5x: {'met' if ratio >= 5 else 'NOT met'})")
if count != n or nm_count != n:
    print(f"  WARNING: counts differ from {n}: the figures are not comparable")
with open(sys.argv[11], "a") as f:
    f.write(f"{n}\t{corpus}\t{p_rate:.1f}\t{n_rate:.1f}\t{p_kib}\t{n_kib}\t{db}\n")
PY
  if [ "$keep_this" = 1 ]; then
    printf 'n=%s\nseed=%s\npigeon=%s\n' "$N" "$SEED" "$PIGEON" > "$RUN/complete"
    echo "  kept: $RUN (maildir/, pigeon/pigeon.db, notmuch-db/, notmuch-config)"
    RUN=""
  else
    rm -rf "$RUN"
    RUN=""
  fi
done

echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$SCRATCH/results.tsv" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
if len(rows) < 2:
    sys.exit(0)
print("peak memory vs N (max RSS)")
print(f"  {'N':>8}  {'MB corpus':>9}  {'pigeon MiB':>10}  {'notmuch MiB':>11}  {'pigeon/notmuch msgs/s':>21}")
for n, corpus, p_rate, n_rate, p_kib, n_kib, db in rows:
    print(f"  {int(n):8d}  {int(corpus) / 1e6:9.1f}  {int(p_kib) / 1024:10.0f}  {int(n_kib) / 1024:11.0f}"
          f"  {float(p_rate) / float(n_rate):20.2f}x")
first, last = rows[0], rows[-1]
growth_p = int(last[4]) / int(first[4])
growth_n = int(last[5]) / int(first[5])
verdict = "flat (<= 1.5x)" if growth_p <= 1.5 else "NOT flat"
print(f"  N {first[0]} -> {last[0]}: pigeon peak x{growth_p:.2f} ({verdict}; target: flat),"
      f" notmuch peak x{growth_n:.2f}")
PY

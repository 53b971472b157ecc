#!/bin/bash
# Store import rate, side by side in one run: `pigeon import` of a Maildir into a fresh store
# vs `notmuch new` indexing the same Maildir (what notmuch users wait for). Prints messages/s,
# the ratio, peak memory of each, and the store's size against the raw corpus.
# Self-contained: this repository, python3 and Debian's notmuch and time packages.
#
# Usage: bash bench/store_import.sh [N]   (default 10000 messages; corpus cached in BENCH_WORK)
# Environment: BENCH_WORK (/var/tmp/pigeon-bench), PIGEON (build/mua/pigeon), SEED (1).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-10000}
SEED=${SEED:-1}
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON=${PIGEON:-$REPO/build/mua/pigeon}
for tool in notmuch /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "store_import: needs $tool (apt-get install notmuch time python3)" >&2; exit 1; }
done
[ -x "$PIGEON" ] || { echo "store_import: build pigeon first ($PIGEON)" >&2; exit 1; }

CORPUS=$BENCH_WORK/corpus-n$N-s$SEED
/usr/bin/python3 "$REPO/bench/gen_corpus.py" --n "$N" --seed "$SEED" --out "$CORPUS" >&2
RUN=$(mktemp -d "${TMPDIR:-/tmp}/pigeon-store-bench.XXXXXX")
trap 'rm -rf "$RUN"' EXIT

# One Maildir for both: every message in cur/ marked seen.
mkdir -p "$RUN/maildir/cur" "$RUN/maildir/new" "$RUN/maildir/tmp"
for f in "$CORPUS"/msgs/*.eml; do
  name=$(basename "$f" .eml)
  cp "$f" "$RUN/maildir/cur/$name.bench:2,S"
done
corpus_bytes=$(du -sb "$RUN/maildir" | cut -f1)

# Runs "$@" and prints "seconds peak_kib".
measure() {
  /usr/bin/time -f '%e %M' -o "$RUN/time" "$@" >/dev/null 2>"$RUN/stderr" ||
    { cat "$RUN/stderr" >&2; exit 1; }
  tail -1 "$RUN/time"
}

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
  "$corpus_bytes" "$db_bytes" "$nm_bytes" <<'PY'
import sys
n, count, nm_count = map(int, sys.argv[1:4])
p_sec, n_sec = float(sys.argv[4]), float(sys.argv[5])
p_kib, n_kib, corpus, db, nm = map(int, sys.argv[6:11])
p_rate, n_rate = count / max(p_sec, 1e-3), nm_count / max(n_sec, 1e-3)
print(f"store import, {n} messages, {corpus / 1e6:.1f} MB Maildir")
print(f"  pigeon import : {count:6d} msgs in {p_sec:6.2f} s = {p_rate:8.0f} msgs/s, peak {p_kib / 1024:.0f} MiB, store {db / 1e6:.1f} MB ({db / corpus:.2f}x corpus)")
print(f"  notmuch new   : {nm_count:6d} msgs in {n_sec:6.2f} s = {n_rate:8.0f} msgs/s, peak {n_kib / 1024:.0f} MiB, index {nm / 1e6:.1f} MB (+ the Maildir itself)")
print(f"  pigeon/notmuch: {p_rate / n_rate:.2f}x  (target >= 5x)")
if count != n or nm_count != n:
    print(f"  WARNING: counts differ from {n}: the figures are not comparable")
PY

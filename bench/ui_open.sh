#!/bin/bash
# The mail reader against NeoMutt, side by side in one run, timed as a user sees them: each
# program runs in a 200x50 pseudo-terminal driven by bench/lib/pty_session.py, which waits for
# the screen text and sends the keys.
#  1. Start → first full index screen → q → back at the shell, on the same 100k-message corpus:
#     pigeon on its store vs neomutt on the Maildir with a warm header cache (NeoMutt's fastest
#     way to open it). Targets: pigeon >= 50x faster, and under 50 ms.
#  2. pigeon alone on 10k, 100k and 1M-message folders: first screen (target < 50 ms at 1M) and
#     peak memory (target: flat in folder size).
#  3. A 1 MB message: Enter in the index → its text on the screen, pigeon vs neomutt (the same
#     message in the store and in an mbox). Target: pigeon < 20 ms.
#  4. Case 1 in threads order (pigeon's sort = threads, neomutt's sort=threads): no target in
#     the design; measured because threading is the costly way to open a big folder.
# Every figure is the median of RUNS runs (first runs warm the page cache and are not counted).
# Self-contained: this repository, python3, and Debian's neomutt and time packages.
#
# Usage: bash bench/ui_open.sh
# Environment: BENCH_WORK (/var/tmp/pigeon-bench), PIGEON (build/mua/pigeon), RUNS (7).
#   The 100k Maildir and store are BENCH_WORK/index-n100000-s1, made by
#   `BENCH_KEEP=1 bash bench/store_import.sh 100000` when missing; the 1M store is
#   BENCH_WORK/pages-1m, made by bench/store_pages.sh when missing (a few minutes each).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON=${PIGEON:-$REPO/build/mua/pigeon}
RUNS=${RUNS:-7}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "ui_open: RUNS must be a positive number" >&2; exit 2; }
for tool in neomutt /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "ui_open: needs $tool (apt-get install neomutt time python3)" >&2; exit 1; }
done
[ -x "$PIGEON" ] || { echo "ui_open: build pigeon first ($PIGEON)" >&2; exit 1; }
PIGEON=$(cd "$(dirname "$PIGEON")" && pwd)/$(basename "$PIGEON")
PTY=$REPO/bench/lib/pty_session.py
INDEX=$BENCH_WORK/index-n100000-s1
PAGES=$BENCH_WORK/pages-1m

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/pigeon-ui-bench.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
export HOME=$SCRATCH/home TERM=xterm-256color LANG=C.UTF-8
mkdir -p "$HOME"

if [ ! -f "$INDEX/complete" ]; then
  echo "ui_open: making the 100k corpus, Maildir and store (bench/store_import.sh)" >&2
  BENCH_KEEP=1 PIGEON=$PIGEON bash "$REPO/bench/store_import.sh" 100000 >&2
fi
if [ ! -f "$PAGES/pigeon.db.complete" ]; then
  echo "ui_open: making the 1M-message store (bench/store_pages.sh)" >&2
  bash "$REPO/bench/store_pages.sh" --reps 1 >&2
fi
echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

# The 10k store: the 10k corpus imported into a scratch store.
/usr/bin/python3 "$REPO/bench/gen_corpus.py" --n 10000 --seed 1 --out "$BENCH_WORK/corpus-n10000-s1" >&2
/usr/bin/python3 "$REPO/bench/lib/make_maildir.py" "$BENCH_WORK/corpus-n10000-s1" "$SCRATCH/maildir-10k" 2>/dev/null
"$PIGEON" --store "$SCRATCH/store-10k.db" import "$SCRATCH/maildir-10k" >/dev/null 2>&1

# The 1 MB message: 15,000 lines of text, in a store and in an mbox.
/usr/bin/python3 - "$SCRATCH/big.mbox" <<'PY'
import sys
lines = [f"BIG-LINE-{i:05d} the quick brown fox jumps over the lazy dog, again and again." for i in range(15000)]
body = "\n".join(lines) + "\n"
with open(sys.argv[1], "w") as f:
    f.write("From bench@example.test Mon Jan  1 00:00:00 2024\n"
            "From: Bench <bench@example.test>\nTo: user@example.test\n"
            "Subject: one megabyte\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
            "Message-ID: <big@example.test>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=us-ascii\n\n" + body)
PY
"$PIGEON" --store "$SCRATCH/big.db" import "$SCRATCH/big.mbox" >/dev/null 2>&1

# runs NAME -- STEP... -- PROGRAM...: RUNS timed runs after one warm-up; one JSON line each,
# appended to $SCRATCH/NAME.jsonl.
runs() {
  local name=$1 i
  shift
  for i in $(seq 0 "$RUNS"); do
    if ! /usr/bin/python3 "$PTY" "$@" > "$SCRATCH/run.json"; then
      echo "ui_open: $name failed:" >&2
      cat "$SCRATCH/run.json" >&2
      exit 1
    fi
    [ "$i" = 0 ] || cat "$SCRATCH/run.json" >> "$SCRATCH/$name.jsonl"
  done
}

neomutt_argv() {  # BOX HEADER_CACHE: NeoMutt with no user config, read-only, into NEOMUTT
  NEOMUTT=(neomutt -n -F /dev/null -R -e "set folder=$(dirname "$1")" -e "set header_cache=$2"
    -f "$1")
}

echo "pigeon, 100k store: start -> index -> q" >&2
runs pigeon-100k 'wait:Msgs:100000[^0-9]' keys:q -- "$PIGEON" --store "$INDEX/pigeon/pigeon.db"
echo "neomutt, 100k Maildir: filling the header cache" >&2
mkdir -p "$SCRATCH/hcache"
neomutt_argv "$INDEX/maildir" "$SCRATCH/hcache"
/usr/bin/python3 "$PTY" --timeout 600 'wait:Msgs:100000[^0-9]' keys:q -- "${NEOMUTT[@]}" \
  > "$SCRATCH/neomutt-cold.json"
echo "neomutt, 100k Maildir, warm header cache: start -> index -> q" >&2
runs neomutt-100k 'wait:Msgs:100000[^0-9]' keys:q -- "${NEOMUTT[@]}"
echo "threads order, 100k: pigeon vs neomutt (warm header cache)" >&2
printf '[reader]\nsort = "threads"\n' > "$SCRATCH/threads.conf"
runs pigeon-threads 'wait:Msgs:100000[^0-9]' keys:q -- "$PIGEON" -C "$SCRATCH/threads.conf" \
  --store "$INDEX/pigeon/pigeon.db"
runs neomutt-threads 'wait:Msgs:100000[^0-9]' keys:q -- "${NEOMUTT[@]}" -e "set sort=threads"
echo "pigeon, 10k and 1M stores" >&2
runs pigeon-10k 'wait:Msgs:10000[^0-9]' keys:q -- "$PIGEON" --store "$SCRATCH/store-10k.db"
runs pigeon-1m 'wait:Msgs:1000000[^0-9]' keys:q -- "$PIGEON" --store "$PAGES/pigeon.db"
echo "the 1 MB message in the pager" >&2
runs pigeon-pager 'wait:Msgs:1[^0-9]' 'keys:\r' 'wait:BIG-LINE-00001' keys:q keys:q -- \
  "$PIGEON" --store "$SCRATCH/big.db"
mkdir -p "$SCRATCH/hcache-big"
neomutt_argv "$SCRATCH/big.mbox" "$SCRATCH/hcache-big"
runs neomutt-pager 'wait:Msgs:1[^0-9]' 'keys:\r' 'wait:BIG-LINE-00001' keys:q keys:q -- "${NEOMUTT[@]}"

/usr/bin/python3 - "$SCRATCH" <<'PY'
import json, statistics, sys
scratch = sys.argv[1]

def load(name):
    return [json.loads(line) for line in open(f"{scratch}/{name}.jsonl")]

def median(values):
    return statistics.median(values)

cold = json.load(open(f"{scratch}/neomutt-cold.json"))
p100, n100 = load("pigeon-100k"), load("neomutt-100k")
p_exit, n_exit = median(r["exit_ms"] for r in p100), median(r["exit_ms"] for r in n100)
p_first, n_first = median(r["waits"][0] for r in p100), median(r["waits"][0] for r in n100)
ratio = n_exit / p_exit
print("1. start -> first full index screen -> q -> shell, 100,000 messages (median of "
      f"{len(p100)} runs)")
print(f"  pigeon (store)                      : {p_exit:8.1f} ms (index on screen at {p_first:.1f} ms)")
print(f"  neomutt (Maildir, warm header cache): {n_exit:8.1f} ms (index on screen at {n_first:.1f} ms)")
print(f"  neomutt filling its header cache    : {cold['exit_ms']:8.1f} ms (once, not in the ratio)")
print(f"  ratio: pigeon {ratio:.0f}x faster (target >= 50x: {'met' if ratio >= 50 else 'NOT met'}; "
      f"under 50 ms: {'met' if p_exit < 50 else 'NOT met'})")
print("2. pigeon, first index screen and peak memory by folder size")
sizes = [("10k", "pigeon-10k"), ("100k", "pigeon-100k"), ("1M", "pigeon-1m")]
for label, name in sizes:
    rows = load(name)
    first = median(r["waits"][0] for r in rows)
    whole = median(r["exit_ms"] for r in rows)
    rss = max(r["maxrss_kib"] for r in rows) / 1024
    note = f" (target < 50 ms: {'met' if first < 50 else 'NOT met'})" if label == "1M" else ""
    print(f"  {label:>4}: first screen {first:6.1f} ms, start -> shell {whole:6.1f} ms, "
          f"peak RSS {rss:5.1f} MiB{note}")
rss = [max(r["maxrss_kib"] for r in load(name)) for _, name in sizes]
print(f"  peak RSS 1M / 10k: {rss[2] / rss[0]:.2f}x (flat: {'met' if rss[2] <= 1.25 * rss[0] else 'NOT met'})")
pp, npg = load("pigeon-pager"), load("neomutt-pager")
p_open = median(r["after_keys"][1] for r in pp)
n_open = median(r["after_keys"][1] for r in npg)
print("3. a 1 MB message: Enter -> text on screen")
print(f"  pigeon {p_open:.1f} ms, neomutt {n_open:.1f} ms ({n_open / p_open:.1f}x; "
      f"target < 20 ms: {'met' if p_open < 20 else 'NOT met'})")
pt, nt = load("pigeon-threads"), load("neomutt-threads")
t_exit, nt_exit = median(r["exit_ms"] for r in pt), median(r["exit_ms"] for r in nt)
print("4. the same in threads order (sort = threads), 100,000 messages")
print(f"  pigeon {t_exit:.1f} ms (index on screen at {median(r['waits'][0] for r in pt):.1f} ms), "
      f"neomutt {nt_exit:.1f} ms: pigeon {nt_exit / t_exit:.0f}x faster")
PY
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"

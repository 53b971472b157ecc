#!/bin/bash
# Search latency, side by side in one run: `pigeon search --limit 50 Q` against
# `notmuch search --limit=50 Q` on the same N-message Maildir, for three kinds of query: a
# common word, a rare word and a from: query. Each command is a fresh process, as a user or a
# script runs it (open the index, search, print 50 lines). Prints p50 and p95 wall time per tool
# and the ratio pigeon/notmuch (target: <= 1 at p50 and p95).
# Self-contained: this repository, python3 and Debian's notmuch and time packages.
#
# Usage: bash bench/store_search.sh [N]   (default 100000)
# Uses BENCH_WORK/index-n<N>-s<SEED>/ kept by `BENCH_KEEP=1 bash bench/store_import.sh N` and
# builds it that way when it is missing (a 100k index takes several minutes).
# Words: taken from bench/gen_corpus.py's vocabulary by counting matches with `notmuch count`;
# only words whose match counts agree between the tools (within 2%; notmuch stems English
# words, pigeon does not) are used: the common word is the one with the most matches, the rare
# word the one with the fewest, the from: query the first name with the most senders.
# Environment: BENCH_WORK (/var/tmp/pigeon-bench), PIGEON (build/mua/pigeon), SEED (1),
#   RUNS (30 timed runs per tool and query), WARMUP (3), LIMIT (50), and COMMON_WORD,
#   RARE_WORD, FROM_QUERY (e.g. from:alice) to choose the queries by hand.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-100000}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "store_search: N must be a positive number" >&2; exit 2; }
SEED=${SEED:-1}
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PIGEON=${PIGEON:-$REPO/build/mua/pigeon}
for tool in notmuch /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "store_search: needs $tool (apt-get install notmuch python3)" >&2; exit 1; }
done
[ -x "$PIGEON" ] || { echo "store_search: build pigeon first ($PIGEON)" >&2; exit 1; }
PIGEON=$(cd "$(dirname "$PIGEON")" && pwd)/$(basename "$PIGEON")

INDEX=$BENCH_WORK/index-n$N-s$SEED
if [ ! -f "$INDEX/complete" ]; then
  echo "store_search: no kept index for N=$N; building it with store_import.sh" >&2
  BENCH_KEEP=1 BENCH_WORK=$BENCH_WORK PIGEON=$PIGEON SEED=$SEED bash "$REPO/bench/store_import.sh" "$N"
fi

NOTMUCH_CONFIG=$INDEX/notmuch-config /usr/bin/python3 - "$REPO/bench" "$PIGEON" "$INDEX" "$N" <<'PY'
import os, re, subprocess, sys, time

bench_dir, pigeon, index, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = int(os.environ.get("RUNS", "30"))
warmup = int(os.environ.get("WARMUP", "3"))
limit = int(os.environ.get("LIMIT", "50"))
db = os.path.join(index, "pigeon", "pigeon.db")
sys.path.insert(0, bench_dir)
import gen_corpus as vocab  # the generator's word lists

def notmuch_count(q):
    out = subprocess.run(["notmuch", "count", "--", q], capture_output=True, text=True, check=True)
    return int(out.stdout)

def pigeon_count(q):  # one line per message
    out = subprocess.run([pigeon, "--store", db, "search", "--limit", "1000000000", q],
                         capture_output=True, check=True)
    return out.stdout.count(b"\n")

def agree(a, b):
    return a > 0 and abs(a - b) <= 0.02 * max(a, b)

def choose(candidates, biggest):
    """The candidate query with the most (biggest) or fewest matches on which both agree."""
    counted = []
    for q in candidates:
        try:
            counted.append((notmuch_count(q), q))
        except subprocess.CalledProcessError:
            pass  # a word notmuch reads as an operator (and, or, not)
    counted = [c for c in counted if c[0] > 0]
    counted.sort(reverse=biggest)
    for nm, q in counted:
        pg = pigeon_count(q)
        if agree(nm, pg):
            return q, pg, nm
    sys.exit(f"store_search: no candidate query on which both tools agree: {candidates[:5]}...")

def given(q):
    return q, pigeon_count(q), notmuch_count(q)

t0 = time.time()
words = sorted({w for w in vocab.WORDS if len(w) >= 3})  # not "a", "in", "of"
topic_words = sorted({w for t in vocab.TOPICS for w in re.findall(r"[a-z0-9]+", t)})
names = sorted({w.lower() for w in vocab.FIRST + vocab.LAST})
queries = [
    ("common word", given(os.environ["COMMON_WORD"]) if os.environ.get("COMMON_WORD")
     else choose(words, True)),
    ("rare word", given(os.environ["RARE_WORD"]) if os.environ.get("RARE_WORD")
     else choose(sorted(set(words + topic_words + names)), False)),
    ("from: name", given(os.environ["FROM_QUERY"]) if os.environ.get("FROM_QUERY")
     else choose(["from:" + f.lower() for f in vocab.FIRST], True)),
]
print(f"store search, {n} messages ({index}); queries chosen in {time.time() - t0:.0f} s")
print(f"  pigeon : {pigeon} --store DB search --limit {limit} Q")
print(f"  notmuch: notmuch search --limit={limit} Q   (NOTMUCH_CONFIG={index}/notmuch-config;"
      " lists threads, its default output)")
print(f"  each: {warmup} warm-up runs, then {runs} timed runs interleaved pigeon, notmuch, ...;"
      " output to /dev/null; wall time of the whole process")
with open("/proc/loadavg") as f:
    print(f"  load average at start: {' '.join(f.read().split()[:3])}")

def run_once(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t

def pct(samples, p):  # nearest rank
    s = sorted(samples)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]

rows = []
for kind, (q, pg, nm) in queries:
    cmds = {"pigeon": [pigeon, "--store", db, "search", "--limit", str(limit), q],
            "notmuch": ["notmuch", "search", f"--limit={limit}", q]}
    for _ in range(warmup):
        for argv in cmds.values():
            run_once(argv)
    times = {"pigeon": [], "notmuch": []}
    for _ in range(runs):
        for tool, argv in cmds.items():
            times[tool].append(run_once(argv))
    ms = {tool: (pct(v, 50) * 1e3, pct(v, 95) * 1e3) for tool, v in times.items()}
    rows.append((kind, q, pg, nm, ms))

print()
print(f"  {'query':<11} {'Q':<14} {'matches pigeon/notmuch':>23}  {'pigeon p50/p95 ms':>18}"
      f"  {'notmuch p50/p95 ms':>19}  {'pigeon/notmuch p50, p95':>24}")
all_met = True
for kind, q, pg, nm, ms in rows:
    r50, r95 = ms["pigeon"][0] / ms["notmuch"][0], ms["pigeon"][1] / ms["notmuch"][1]
    met = r50 <= 1 and r95 <= 1
    all_met = all_met and met
    print(f"  {kind:<11} {q:<14} {pg:>11} / {nm:<9}  {ms['pigeon'][0]:8.1f} / {ms['pigeon'][1]:7.1f}"
          f"  {ms['notmuch'][0]:9.1f} / {ms['notmuch'][1]:7.1f}  {r50:10.2f}x, {r95:.2f}x"
          f"  {'met' if met else 'NOT met'}")
with open("/proc/loadavg") as f:
    print(f"  load average at end: {' '.join(f.read().split()[:3])}")
print(f"  target pigeon <= notmuch at p50 and p95: {'met for every query' if all_met else 'NOT met'}")
PY

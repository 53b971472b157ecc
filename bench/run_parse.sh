#!/bin/bash
# Parse-throughput benchmark, one command: pigeon vs GMime 3 vs Python's email, side by side.
# Generates (or reuses) the corpus, builds a Release (-O2) tree with -DPIGEON_BENCH=ON, runs the
# three parsers serially and interleaved round by round, then prints the table, the ratios and
# a cross-check, and writes bench/out/parse-results.txt (raw lines: bench/out/parse-raw.jsonl).
# Self-contained: needs only this repository, cmake/ninja, libgmime-3.0-dev and python3.
#
# Usage: bash bench/run_parse.sh [--build-dir DIR] [--n N] [--seed S] [--runs R] [--no-build]
# Environment (defaults): BENCH_WORK (/var/tmp/pigeon-bench, corpus cache), PYTHON
# (/usr/bin/python3), WARMUP_ROUNDS (1), INPROC_WARMUP (1 untimed rep per invocation),
# QUIET_MAX (25 % CPU busy) and QUIET_TIMEOUT (30 s) for the wait before each invocation,
# RUN_TIMEOUT (900 s per invocation), RESULTS_DIR (bench/out).
# Exit status: 0; 1 when a parser failed or the build did; 3 when the cross-check mismatched.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
PYTHON=${PYTHON:-/usr/bin/python3}
RESULTS_DIR=${RESULTS_DIR:-$REPO/bench/out}
BUILD_DIR=${BUILD_DIR:-$REPO/bench/out/build}
N=${N:-5000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-1}
INPROC_WARMUP=${INPROC_WARMUP:-1}
QUIET_MAX=${QUIET_MAX:-25}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-30}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
BUILD=1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --n) N=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) usage ;;
    *) log "unknown argument: $1"; usage ;;
  esac
done
for v in N SEED RUNS WARMUP_ROUNDS INPROC_WARMUP; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
[ "$RUNS" -ge 1 ] || die "RUNS must be at least 1"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pigeon-parse-bench.XXXXXX")
CHILD=""  # the running parser's timeout(1) process: stopped by its PID on exit
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
    kill -TERM "$CHILD" 2>/dev/null || true  # timeout(1) passes it on to the parser
    wait "$CHILD" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v "$PYTHON" >/dev/null || die "$PYTHON not found (package python3)"
pkg-config --exists gmime-3.0 || die "GMime 3 not found (package libgmime-3.0-dev)"
mkdir -p "$BENCH_WORK" "$RESULTS_DIR"

# 1. Corpus (cached: regenerated only when N, seed or the generator change).
CORPUS=$BENCH_WORK/corpus-n$N-s$SEED
log "corpus: $CORPUS"
"$PYTHON" "$REPO/bench/gen_corpus.py" --n "$N" --seed "$SEED" --out "$CORPUS" >"$TMP/gen.log" \
  || { cat "$TMP/gen.log" >&2; die "corpus generation failed"; }

# 2. Release build of the two C/C++ programs (-O2 everywhere, as Debian builds GMime).
if [ "$BUILD" = 1 ]; then
  log "building in $BUILD_DIR"
  cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
    -DPIGEON_BENCH=ON -DPIGEON_TESTS=OFF -DPIGEON_SANITIZE=OFF -DPIGEON_FUZZ=OFF \
    >"$RESULTS_DIR/parse-build.log" 2>&1 \
    || { tail -n 30 "$RESULTS_DIR/parse-build.log" >&2; die "configure failed"; }
  cmake --build "$BUILD_DIR" --target parse_bench gmime_parse -j2 >>"$RESULTS_DIR/parse-build.log" \
    2>&1 || { tail -n 40 "$RESULTS_DIR/parse-build.log" >&2; die "build failed"; }
fi
PIGEON_BIN=$BUILD_DIR/bench/parse_bench
GMIME_BIN=$BUILD_DIR/bench/gmime_parse
if [ ! -x "$PIGEON_BIN" ] || [ ! -x "$GMIME_BIN" ]; then
  die "no binaries in $BUILD_DIR/bench (build first)"
fi

STUBS=$(grep -l '^// STUB' "$REPO"/common/message/*.cc 2>/dev/null | xargs -r -n1 basename \
  | tr '\n' ' ' || true)
[ -z "$STUBS" ] || log "warning: stub implementations still present: $STUBS"

source "$REPO/bench/lib/quiet.sh"

# 3. Rounds: pigeon, gmime, python, pigeon, … one invocation each, one timed rep each.
RAW=$RESULTS_DIR/parse-raw.jsonl
: >"$RAW"
FAILED=0
total=$((WARMUP_ROUNDS + RUNS))
for ((round = 1; round <= total; round++)); do
  warm=false
  [ "$round" -le "$WARMUP_ROUNDS" ] && warm=true
  for parser in pigeon gmime python; do
    case $parser in
      pigeon) cmd=("$PIGEON_BIN") ;;
      gmime) cmd=("$GMIME_BIN") ;;
      python) cmd=("$PYTHON" "$REPO/bench/python_parse.py") ;;
    esac
    busy=$(quiet_gate)
    rc=0
    # In the background so that an INT/TERM trap runs at once (cleanup stops the child).
    timeout "$RUN_TIMEOUT" "${cmd[@]}" --warmup "$INPROC_WARMUP" --reps 1 "$CORPUS" \
      >"$TMP/out" 2>"$TMP/err" &
    CHILD=$!
    wait "$CHILD" || rc=$?
    CHILD=""
    result=$(head -n 1 "$TMP/out")
    [[ $result == "{"* ]] || result=null
    if [ "$rc" -ne 0 ]; then
      FAILED=1
      log "round $round/$total $parser FAILED (status $rc):"
      tail -n 5 "$TMP/err" >&2
    else
      mbps=$(grep -o '"mb_per_s":[0-9.]*' <<<"$result" | cut -d: -f2 || true)
      log "round $round/$total$([ "$warm" = true ] && echo ' (warm-up)') $parser: $mbps MB/s" \
        "(machine busy before: $busy%)"
    fi
    printf '{"round":%d,"warmup":%s,"parser":"%s","busy":%s,"rc":%d,"result":%s}\n' \
      "$round" "$warm" "$parser" "$busy" "$rc" "$result" >>"$RAW"
  done
done

# 4. Report.
compiler=$(sed -n 's/^set(CMAKE_CXX_COMPILER_\(ID\|VERSION\) "\(.*\)")$/\2/p' \
  "$BUILD_DIR"/CMakeFiles/*/CMakeCXXCompiler.cmake 2>/dev/null | head -n 2 | paste -sd ' ' || true)
report_rc=0
"$PYTHON" "$REPO/bench/parse_report.py" --raw "$RAW" --manifest "$CORPUS/manifest.json" \
  --compiler "${compiler:-?}" --gmime "$(pkg-config --modversion gmime-3.0)" \
  --python "$("$PYTHON" -c 'import platform; print(platform.python_version())')" \
  --stubs "$STUBS" --inproc-warmup "$INPROC_WARMUP" --quiet-max "$QUIET_MAX" \
  >"$TMP/report" || report_rc=$?
[ -s "$TMP/report" ] || die "report failed"
cp "$TMP/report" "$RESULTS_DIR/parse-results.txt"
cat "$TMP/report"
log "written: $RESULTS_DIR/parse-results.txt"
[ "$FAILED" = 0 ] || exit 1
exit "$report_rc"

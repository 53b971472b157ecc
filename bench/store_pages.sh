#!/bin/bash
# Page latency of a 1M-message folder: the first page of INBOX and page 10,000 (keyset cursor),
# sorted by date and by thread, and the first page of searches within INBOX, each timed 200
# times in-process by bench/store_page_bench.cc (p50/p95/max in ms). Target: first page
# < 10 ms; page 10,000 within ~1.5x of page 1. No peer: notmuch has no folders nor keyset pages.
# Self-contained: this repository and its build dependencies (cmake, ninja, a C++20 compiler).
#
# Usage: bash bench/store_pages.sh [store_page_bench options: --reps N --warmup N --deep-page N]
# The store (1,000,000 synthetic ~1.3 KB messages, ~2.5 GB on disk) is built on first use
# (a few minutes) and cached in BENCH_WORK/pages-1m/ (MESSAGES other than 1000000:
# BENCH_WORK/pages-<MESSAGES>/); `rm -rf` that directory to rebuild it.
# Environment: BENCH_WORK (/var/tmp/pigeon-bench), BUILD_DIR (build; configured as a Release
#   build with -DPIGEON_BENCH=ON when it has no build files yet), BUILD=0 to use the binary as
#   it is, MESSAGES (1000000).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/pigeon-bench}
BUILD_DIR=${BUILD_DIR:-$REPO/build}
BUILD=${BUILD:-1}
MESSAGES=${MESSAGES:-1000000}
[[ $MESSAGES =~ ^[1-9][0-9]*$ ]] || { echo "store_pages: MESSAGES must be a positive number" >&2; exit 2; }

if [ "$BUILD" = 1 ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPIGEON_BENCH=ON >&2
  fi
  cmake --build "$BUILD_DIR" --target store_page_bench -j2 >&2 ||
    { echo "store_pages: build failed (is $BUILD_DIR configured with -DPIGEON_BENCH=ON?)" >&2; exit 1; }
fi
BIN=$BUILD_DIR/bench/store_page_bench
[ -x "$BIN" ] || { echo "store_pages: no $BIN (configure with -DPIGEON_BENCH=ON and build)" >&2; exit 1; }

if [ "$MESSAGES" = 1000000 ]; then DIR=$BENCH_WORK/pages-1m; else DIR=$BENCH_WORK/pages-$MESSAGES; fi
mkdir -p "$DIR"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" --messages "$MESSAGES" "$@" "$DIR/pigeon.db"
echo "store: $(du -sb "$DIR" | awk '{printf "%.2f GB", $1 / 1e9}'); load average at end $(cut -d' ' -f1-3 /proc/loadavg)"

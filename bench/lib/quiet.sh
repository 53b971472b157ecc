# Sourced by the benchmark scripts: waiting for a quiet machine before a timed run, so other
# work overlaps a run less often. Uses QUIET_MAX (CPU busy %) and QUIET_TIMEOUT (seconds).

# Machine-wide CPU busy % over one second.
cpu_busy() {
  local _c u n s i w q sq st rest t0 i0 t1 i1
  read -r _c u n s i w q sq st rest </proc/stat
  t0=$((u + n + s + i + w + q + sq + st)); i0=$((i + w))
  sleep 1
  read -r _c u n s i w q sq st rest </proc/stat
  t1=$((u + n + s + i + w + q + sq + st)); i1=$((i + w))
  echo $((t1 > t0 ? 100 - 100 * (i1 - i0) / (t1 - t0) : 0))
}

# Waits until the machine is at most QUIET_MAX % busy, or QUIET_TIMEOUT seconds have passed;
# prints the last reading.
quiet_gate() {
  local deadline=$((SECONDS + QUIET_TIMEOUT)) busy
  while :; do
    busy=$(cpu_busy)
    if [ "$busy" -le "$QUIET_MAX" ] || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$busy"
      return
    fi
  done
}

#!/usr/bin/python3
"""Summarizes a bench/run_parse.sh run: reads the raw JSON lines the three parsers printed (one
per invocation, tagged with round and machine load), prints the throughput table, the ratios
pigeon/GMime and pigeon/Python, and a cross-check of what each parser found (leaf parts,
addresses, decoded bytes) against GMime and the generator's manifest. Stdlib only.
Exit status: 0, or 3 when the cross-check finds a mismatch (the figures then compare parsers
that did different work).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

PARSERS = ("pigeon", "gmime", "python")
TARGET = 1.0  # pigeon/GMime, from the issue


def fmt_rate(v):
    return "%.1f" % v if v < 1000 else "%.0f" % v


def load(raw_path):
    rows = []
    with open(raw_path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--compiler", default="?")
    ap.add_argument("--gmime", default="?")
    ap.add_argument("--python", default="?")
    ap.add_argument("--stubs", default="", help="space-separated stub files still in place")
    ap.add_argument("--inproc-warmup", default="?")
    ap.add_argument("--quiet-max", type=float, default=25)
    a = ap.parse_args()
    rows = load(a.raw)
    with open(a.manifest) as f:
        man = json.load(f)
    timed = [r for r in rows if not r["warmup"]]
    out = []
    p = out.append
    p("pigeon parse throughput  %s" % time.strftime("%Y-%m-%d %H:%M:%S %z"))
    p("machine: %s, %d CPUs (%s)" % (cpu_model(), os.cpu_count() or 0, platform.platform()))
    p("corpus:  %d messages, %.1f MB (seed %d, generator v%d, mean %.0f B, median %.0f B); %s"
      % (man["n"], man["total_bytes"] / 1e6, man["seed"], man["version"], man["size_mean"],
         man["size_median"], ", ".join("%s %d" % kv for kv in man["kinds"].items())))
    p("build:   Release -O2, %s; GMime %s; Python %s (email, policy=default)"
      % (a.compiler, a.gmime, a.python))
    rounds = sorted({r["round"] for r in timed})
    p("runs:    %d timed rounds (+%d warm-up), parsers interleaved; each invocation loads the "
      "corpus, does %s untimed rep(s), then 1 timed rep" % (
          len(rounds), len({r["round"] for r in rows}) - len(rounds), a.inproc_warmup))
    p("MB/s = raw message bytes / 1e6 / wall seconds (steady clock), corpus in memory")
    p("")

    results = {name: [r for r in timed if r["parser"] == name and r.get("result")
                      and r["rc"] == 0] for name in PARSERS}
    failures = [r for r in rows if r["rc"] != 0]
    med = {}
    p("%-8s %-28s %-14s %-16s %s" % ("parser", "MB/s median (min-max)", "msgs/s median",
                                     "MB/s by CPU time", "runs"))
    for name in PARSERS:
        rs = results[name]
        if not rs:
            p("%-8s %s" % (name, "no successful run"))
            continue
        mbs = [r["result"]["bytes"] / 1e6 / r["result"]["seconds"][0] for r in rs]
        mps = [r["result"]["messages"] / r["result"]["seconds"][0] for r in rs]
        cpu = [r["result"]["bytes"] / 1e6 / r["result"]["cpu_seconds"][0] for r in rs]
        med[name] = statistics.median(mbs)
        p("%-8s %-28s %-14s %-16s %d" % (
            name, "%s (%s-%s)" % (fmt_rate(med[name]), fmt_rate(min(mbs)), fmt_rate(max(mbs))),
            fmt_rate(statistics.median(mps)), fmt_rate(statistics.median(cpu)), len(rs)))
    p("")
    for other, label in (("gmime", "GMime"), ("python", "Python")):
        if "pigeon" not in med or other not in med:
            p("pigeon/%-7s n/a" % label)
            continue
        paired = []  # same round: the two ran back to back, under the same machine load
        for rnd in rounds:
            a_ = [r for r in results["pigeon"] if r["round"] == rnd]
            b_ = [r for r in results[other] if r["round"] == rnd]
            if a_ and b_:
                paired.append(b_[0]["result"]["seconds"][0] / a_[0]["result"]["seconds"][0])
        line = "pigeon/%-7s %.2fx (ratio of medians)" % (label, med["pigeon"] / med[other])
        if paired:
            line += "; per round %.2f-%.2fx" % (min(paired), max(paired))
        if other == "gmime":
            verdict = "meets" if med["pigeon"] / med[other] >= TARGET else "below"
            line += "   target >= %.1fx: %s" % (TARGET, verdict)
        p(line)
    p("")

    # Cross-check: every parser should find the same parts and addresses. Counts come from one
    # successful invocation each (they are identical across repetitions by construction).
    keys = ("leaves", "text_leaves", "addresses", "decoded_bytes")
    p("cross-check   %10s %12s %10s %14s" % keys)
    p("generator     %10d %12d %10s %14s" % (man["leaves"], man["text_leaves"], "-", "-"))
    seen = {}
    for name in PARSERS:
        rs = [r for r in rows if r["parser"] == name and r.get("result")]
        if rs:
            seen[name] = rs[-1]["result"]
            p("%-13s %10d %12d %10d %14d" % ((name,) + tuple(seen[name][k] for k in keys)))
    problems = []
    ref = seen.get("gmime")
    for name, res in seen.items():
        if res["leaves"] != man["leaves"]:
            problems.append("%s found %d leaf parts, the generator made %d (%+.1f%%)" % (
                name, res["leaves"], man["leaves"],
                100.0 * (res["leaves"] - man["leaves"]) / man["leaves"]))
        if ref is not None and name != "gmime":
            for k in ("text_leaves", "addresses", "decoded_bytes"):
                if res[k] != ref[k]:
                    problems.append("%s %s = %d, GMime %d (%+.1f%%)" % (
                        name, k, res[k], ref[k], 100.0 * (res[k] - ref[k]) / max(1, ref[k])))
    if problems:
        p("MISMATCH: the parsers did not do the same work, so the ratios above are not meaningful:")
        for x in problems:
            p("  - " + x)
    else:
        p("cross-check OK: every parser found the same leaf parts, addresses and decoded bytes")
    p("(text_len is not compared: UTF-8 bytes for pigeon/GMime, code points for Python; GMime "
      "skips conversion when a part names no charset)")
    p("")
    busy = [r["busy"] for r in rows if r.get("busy") is not None]
    if busy:
        loud = [b for b in busy if b > a.quiet_max]
        p("machine CPU busy (others) before each invocation: median %.0f%%, max %.0f%%%s" % (
            statistics.median(busy), max(busy),
            "; %d invocation(s) started above %.0f%%: figures may be noisy" % (len(loud), a.quiet_max)
            if loud else ""))
    for r in failures:
        p("FAILED: round %d %s exited with status %d" % (r["round"], r["parser"], r["rc"]))
    stubs = a.stubs.split()
    if stubs:
        p("WARNING: stub implementations still in common/message (figures not meaningful): "
          + ", ".join(stubs))
    print("\n".join(out))
    return 3 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

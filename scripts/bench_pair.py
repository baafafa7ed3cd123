#!/usr/bin/env python3
"""Paired comparison of Palisade binaries on one corpus: the scan/parse-only ratio, with its spread.

Usage: scripts/bench_pair.py CORPUS ROUNDS LABEL=BINARY [LABEL=BINARY ...]

Each round runs, for every binary, `scan --parse-only` and a full `scan --format json` back to back, so the two
runs of a pair see the same load on a shared machine; the binaries' order alternates from round to round. For
each binary it prints the medians of parse and scan CPU (user + system, of the process itself) and wall time,
and the median of the per-round ratios with their quartiles. Use it to compare the start and the end of a change
(`cp target/release/palisade /tmp/before` first): a single `scripts/bench.py` run moves by several percent on
this machine from one minute to the next.
"""
import os, statistics, subprocess, sys, time


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"command failed with exit {os.waitstatus_to_exitcode(status)}: {' '.join(cmd)}")
    return ru.ru_utime + ru.ru_stime, wall


def main():
    if len(sys.argv) < 4 or any("=" not in a for a in sys.argv[3:]):
        sys.exit(__doc__)
    corpus, rounds = sys.argv[1], int(sys.argv[2])
    binaries = [a.split("=", 1) for a in sys.argv[3:]]
    results = {label: [] for label, _ in binaries}
    for i in range(rounds):
        for label, binary in binaries if i % 2 == 0 else binaries[::-1]:
            parse = run([binary, "scan", "--parse-only", "--format", "json", corpus])
            scan = run([binary, "scan", "--format", "json", corpus])
            results[label].append((parse, scan))
    med = statistics.median
    print(f"{corpus}, {rounds} rounds (median; quartiles of the per-round ratios in brackets)\n")
    print("| binary | parse CPU s | scan CPU s | CPU ratio | parse wall s | scan wall s | wall ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, pairs in results.items():
        def spread(k):
            r = sorted(s[k] / p[k] for p, s in pairs)
            return f"{med(r):.3f} ({r[len(r) // 4]:.3f}-{r[(3 * len(r)) // 4]:.3f})"
        print(f"| {label} | {med(p[0] for p, _ in pairs):.3f} | {med(s[0] for _, s in pairs):.3f} | {spread(0)} | "
              f"{med(p[1] for p, _ in pairs):.3f} | {med(s[1] for _, s in pairs):.3f} | {spread(1)} |")


if __name__ == "__main__":
    main()

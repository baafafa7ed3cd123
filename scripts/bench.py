#!/usr/bin/env python3
"""Benchmark Palisade on generated corpora and the real-world corpus; prints a Markdown table.

Usage: scripts/bench.py [--sizes 1000,10000,100000] [--runs 3] [--shared ../shared] [--out bench-out]

For each corpus it runs the release binary twice over: `scan --parse-only` (the same loader, no rules) and a full
`scan --format json`, measuring wall time, CPU time (user+sys) and peak RSS of the process itself (os.wait4), and
reports objects per second and the full-scan / parse-only CPU ratio. Numbers are medians over --runs runs; the
parse-only and full runs alternate, so both see the same load on a shared machine.
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        sys.exit(f"command failed with exit {code}: {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def median_of(rs):
    return tuple(statistics.median(x[i] for x in rs) for i in range(3))


def measure_pair(a, b, runs):
    """Runs `a` and `b` alternately (a, b, a, b, ...) so that both see the same machine load; the medians of
    each. On a shared machine, load that drifts during the runs would otherwise tilt their ratio."""
    ra, rb = [], []
    for _ in range(runs):
        ra.append(run(a))
        rb.append(run(b))
    return median_of(ra), median_of(rb)


# Exit 2 is accepted: the real-world corpus holds unrendered Helm templates, which are reported as tool errors.


def count_objects(binary, path):
    out = subprocess.run([binary, "scan", "--parse-only", "--format", "json", path], capture_output=True, text=True)
    s = json.loads(out.stdout)["summary"]
    return s["objects"], s["files"]


def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "palisade"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "palisade")
    corpora = []
    for n in [int(x) for x in a.sizes.split(",") if x]:
        d = os.path.join(a.out, f"gen-{n}")
        if not os.path.isdir(d):
            subprocess.run([sys.executable, os.path.join(a.shared, "bench", "gen_manifests.py"), "-n", str(n), "-s", "1",
                            "-o", d, "--clean"], check=True, stdout=subprocess.DEVNULL)
        corpora.append((f"generated {n:,}", d))
    real = os.path.join(a.shared, "corpus", "k8s-manifests")
    if os.path.isdir(real):
        corpora.append(("real-world corpus", real))
    print(f"Runs per cell: {a.runs} (median). Machine: {os.cpu_count()} CPUs.\n")
    print("| corpus | files | MB | objects | parse wall s | parse CPU s | scan wall s | scan CPU s | peak RSS MB | objects/s (wall) | scan/parse CPU | scan/parse wall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, d in corpora:
        objects, files = count_objects(binary, d)
        (pw, pc, _), (sw, sc, rss) = measure_pair(
            [binary, "scan", "--parse-only", "--format", "json", d], [binary, "scan", "--format", "json", d], a.runs
        )
        print(f"| {name} | {files:,} | {du(d):.1f} | {objects:,} | {pw:.3f} | {pc:.3f} | {sw:.3f} | {sc:.3f} | {rss:.0f} | "
              f"{objects / sw:,.0f} | {sc / pc:.2f} | {sw / pw:.2f} |", flush=True)


if __name__ == "__main__":
    main()

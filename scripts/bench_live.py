#!/usr/bin/env python3
"""Benchmark of the live-cluster scan (`palisade scan --cluster`) against `kubectl get` of the same kinds.

Starts the test kube-apiserver v1.20 (testenv/start.sh; build it first with testenv/build.sh), fills it with a
generated corpus (../shared/bench/gen_manifests.py, made to fit the 1.20 API: CronJob batch/v1beta1, created with
`kubectl create --validate=false` so fields 1.20 does not know are dropped by the server), and measures, at two
sizes (ClusterIP Services made headless: the test server's service range is a /24), in the same run and
interleaved:

- `kubectl-1.20 get <every kind the scanner reads> --all-namespaces -o json` (output to /dev/null), and
- `palisade scan --cluster -f json` (the whole scan: discovery, lists, rules, JSON report).

Reports wall time, CPU (user + system) and peak RSS of each process (median of --runs), and the ratio of the
wall times (target: at most 1.5x kubectl). With --update-docs, writes the "Live cluster scan" section of
docs/benchmarks.md (between markers).

    cargo build --release -p palisade
    scripts/bench_live.py --objects 5000 --small 1000 --runs 3
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import yaml  # PyYAML
except ImportError:
    sys.exit("bench_live.py needs PyYAML (apt install python3-yaml)")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PALISADE_SHARED", ROOT.parent / "shared"))
BIN = Path(os.environ.get("PALISADE_TESTENV_DIR", Path.home() / ".cache/palisade/testenv")) / "bin"
KUBECTL = BIN / "kubectl-1.20"

# The kinds palisade-live reads on a 1.20 server (crates/live/src/kinds.rs), as kubectl resource names.
KINDS = ",".join([
    "namespaces", "pods", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps",
    "replicationcontrollers", "jobs.batch", "cronjobs.batch", "serviceaccounts",
    "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
    "clusterroles.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io",
    "networkpolicies.networking.k8s.io", "services", "ingresses.networking.k8s.io", "configmaps", "secrets",
    "limitranges", "resourcequotas", "poddisruptionbudgets.policy", "horizontalpodautoscalers.autoscaling",
])


def free_port(n=1):
    for _ in range(200):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        others = []
        ok = True
        for i in range(1, n):
            o = socket.socket()
            try:
                o.bind(("127.0.0.1", port + i))
                others.append(o)
            except OSError:
                ok = False
        for o in others:
            o.close()
        s.close()
        if ok:
            return port
    raise SystemExit("no free ports")


def measure(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (wall s, cpu s, peak RSS MB, exit code) of that process alone (os.wait4)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace") if p.stderr else ""
    p.returncode = code
    if code not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({code}): {err[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, code


def _fix_pod_specs(node):
    """Corrects what the generator writes but a 1.20 server rejects: requests above limits, and
    `allowPrivilegeEscalation: false` next to `privileged: true`."""
    if isinstance(node, dict):
        for key in ("containers", "initContainers"):
            for c in node.get(key) or []:
                if not isinstance(c, dict):
                    continue
                res = c.get("resources") or {}
                req, lim = res.get("requests"), res.get("limits")
                if isinstance(req, dict) and isinstance(lim, dict):
                    for k in list(req):
                        if k in lim:
                            req[k] = lim[k]
                sc = c.get("securityContext") or {}
                if sc.get("privileged") is True and sc.get("allowPrivilegeEscalation") is False:
                    sc["allowPrivilegeEscalation"] = True
        for v in node.values():
            _fix_pod_specs(v)
    elif isinstance(node, list):
        for v in node:
            _fix_pod_specs(v)


def fit_120(text):
    """Makes a generated file fit the 1.20 API: CronJob batch/v1beta1, and the fixes of _fix_pod_specs.
    PyYAML reads YAML 1.1 like Kubernetes does (yes/no, octal)."""
    out = []
    for doc in yaml.safe_load_all(text):
        if not isinstance(doc, dict) or "kind" not in doc:
            continue
        if doc.get("kind") == "CronJob" and doc.get("apiVersion") == "batch/v1":
            doc["apiVersion"] = "batch/v1beta1"
        _fix_pod_specs(doc)
        # The test server's service range is a /24: ClusterIP Services are made headless so thousands fit.
        if doc.get("kind") == "Service" and isinstance(doc.get("spec"), dict):
            if doc["spec"].get("type", "ClusterIP") == "ClusterIP":
                doc["spec"]["clusterIP"] = "None"
        out.append(yaml.safe_dump(doc, sort_keys=False))
    return "---\n".join(out)


def kubectl(kc, *args, stdin=None, check=True):
    r = subprocess.run([str(KUBECTL), "--kubeconfig", str(kc), *args], input=stdin, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"kubectl {' '.join(args)}: {r.stderr[-2000:]}")
    return r


def load(kc, files):
    """Creates the objects of `files` (namespaces first); returns how many were created."""
    namespaces, ns_docs, other = set(), [], []
    for f in files:
        text = fit_120(f.read_text())
        for doc in re.split(r"(?m)^---\s*$", text):
            if not re.search(r"(?m)^kind:", doc):
                continue
            m = re.search(r"(?m)^  namespace:\s*(\S+)", doc)
            if m:
                namespaces.add(m.group(1))
            (ns_docs if re.search(r"(?m)^kind:\s*Namespace\s*$", doc) else other).append(doc)
    created = 0
    existing = set(kubectl(kc, "get", "namespaces", "-o", "name").stdout.split())
    extra = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n" for n in sorted(namespaces)
             if f"namespace/{n}" not in existing and not any(re.search(rf"(?m)^  name:\s*{re.escape(n)}\s*$", d) for d in ns_docs)]
    for batch in [ns_docs + extra] + [other[i:i + 500] for i in range(0, len(other), 500)]:
        if not batch:
            continue
        r = kubectl(kc, "create", "--validate=false", "-f", "-", stdin="\n---\n".join(batch), check=False)
        created += sum(1 for line in r.stdout.splitlines() if line.endswith(" created"))
        for line in r.stderr.splitlines():
            if "AlreadyExists" not in line and line.strip():
                print(f"  kubectl: {line[:200]}", file=sys.stderr)
    return created


def bench(kc, palisade, runs, out_dir):
    rows = {"kubectl": [], "palisade": []}
    report = out_dir / "live.json"
    for _ in range(runs):
        rows["kubectl"].append(measure([str(KUBECTL), "--kubeconfig", str(kc), "get", KINDS, "--all-namespaces",
                                        "-o", "json"]))
        rows["palisade"].append(measure([str(palisade), "scan", "--cluster", "--kubeconfig", str(kc), "-f", "json",
                                         "-o", str(report), "--no-progress"]))
    data = json.loads(report.read_text())
    listed = subprocess.run([str(KUBECTL), "--kubeconfig", str(kc), "get", KINDS, "--all-namespaces", "-o", "json"],
                            capture_output=True, check=True).stdout
    items = len(json.loads(listed)["items"])
    med = lambda name, i: statistics.median(r[i] for r in rows[name])  # noqa: E731
    return {
        "objects": data["summary"]["objects"],
        "kubectl_items": items,
        "findings": data["summary"]["findings"],
        "errors": data["summary"]["errors"],
        "kubectl_wall": med("kubectl", 0), "kubectl_cpu": med("kubectl", 1), "kubectl_rss": med("kubectl", 2),
        "wall": med("palisade", 0), "cpu": med("palisade", 1), "rss": med("palisade", 2),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=5000, help="generated objects at the large size")
    ap.add_argument("--small", type=int, default=1000, help="generated objects at the small size")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=str(ROOT / "target/release/palisade"))
    ap.add_argument("--update-docs", action="store_true", help="write the section of docs/benchmarks.md")
    args = ap.parse_args()
    palisade = Path(args.binary)
    gen = SHARED / "bench/gen_manifests.py"
    for p, what in [(palisade, "cargo build --release -p palisade"), (KUBECTL, "testenv/build.sh"),
                    (BIN / "kube-apiserver", "testenv/build.sh"), (gen, "the shared data beside the checkout")]:
        if not p.exists():
            sys.exit(f"{p} is missing ({what})")
    work = Path(tempfile.mkdtemp(prefix="palisade-bench-live-"))
    run_dir = work / "cluster"
    env = dict(os.environ, ETCD_PORT=str(free_port(2)), API_PORT=str(free_port()))
    try:
        subprocess.run([sys.executable, str(gen), "-n", str(args.objects), "-s", str(args.seed), "-o",
                        str(work / "corpus"), "-q"], check=True)
        files = sorted((work / "corpus").rglob("*.yaml"))
        # The small set: the first files, up to --small objects.
        small, count = [], 0
        for f in files:
            if count >= args.small:
                break
            small.append(f)
            count += len([d for d in re.split(r"(?m)^---\s*$", f.read_text()) if re.search(r"(?m)^kind:", d)])
        rest = files[len(small):]
        subprocess.run(["bash", str(ROOT / "testenv/start.sh"), str(run_dir), str(BIN)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        kc = run_dir / "admin.kubeconfig"
        results = []
        t = time.perf_counter()
        created = load(kc, small)
        print(f"created {created} objects in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        results.append(bench(kc, palisade, args.runs, work))
        t = time.perf_counter()
        created += load(kc, rest)
        print(f"created {created} objects in all ({time.perf_counter() - t:.1f}s)", file=sys.stderr)
        results.append(bench(kc, palisade, args.runs, work))
    finally:
        subprocess.run(["bash", str(ROOT / "testenv/stop.sh"), str(run_dir)], check=False)
        shutil.rmtree(work, ignore_errors=True)

    lines = [
        "| objects in cluster | kubectl get wall s | palisade scan --cluster wall s | ratio | palisade CPU s | "
        "kubectl CPU s | palisade peak RSS MB | kubectl peak RSS MB | findings |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['objects']:,} | {r['kubectl_wall']:.3f} | {r['wall']:.3f} | {r['wall'] / r['kubectl_wall']:.2f} | "
            f"{r['cpu']:.3f} | {r['kubectl_cpu']:.3f} | {r['rss']:.0f} | {r['kubectl_rss']:.0f} | {r['findings']:,} |"
        )
    (a, b) = results
    growth = (b["rss"] - a["rss"]) / max(b["objects"] - a["objects"], 1) * 1024
    table = "\n".join(lines)
    print(table)
    print(f"\nkubectl listed {a['kubectl_items']:,} / {b['kubectl_items']:,} items; palisade scanned "
          f"{a['objects']:,} / {b['objects']:,} objects; RSS growth {growth:.1f} KB per object; "
          f"errors {a['errors']}/{b['errors']}")
    if args.update_docs:
        section = (
            "<!-- bench_live:begin -->\n## Live cluster scan\n\n"
            f"Measured with `scripts/bench_live.py --objects {args.objects} --small {args.small} --runs {args.runs}` "
            f"(release build), {time.strftime('%Y-%m-%d')}: the test kube-apiserver v1.20 (testenv/, etcd and the API "
            "server on this 2-core machine) filled with a generated corpus (../shared/bench/gen_manifests.py, seed "
            f"{args.seed}; made to fit 1.20, ClusterIP Services headless as the server's service range is a /24), "
            "plus the server's own objects. `kubectl get` lists the same 23 kinds the scanner reads "
            "(`--all-namespaces -o json`, output discarded); `palisade scan --cluster -f json` is the whole scan "
            "(discovery, paginated lists, rules, report). Median of the runs, interleaved; CPU is user + system of "
            "the process; peak RSS of the process alone.\n\n"
            f"{table}\n\n"
            f"- Target: at most 1.5x the time of `kubectl get`; measured {a['wall'] / a['kubectl_wall']:.2f}x and "
            f"{b['wall'] / b['kubectl_wall']:.2f}x.\n"
            f"- Memory grows linearly: {growth:.1f} KB of peak RSS per additional object between the two sizes.\n"
            "<!-- bench_live:end -->\n"
        )
        doc = ROOT / "docs/benchmarks.md"
        text = doc.read_text()
        if "<!-- bench_live:begin -->" in text:
            text = re.sub(r"<!-- bench_live:begin -->.*?<!-- bench_live:end -->\n", section, text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        doc.write_text(text)
        print(f"updated {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()

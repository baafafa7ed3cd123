#!/usr/bin/env python3
"""Benchmark `palisade webhook`: latency at fixed request rates and maximum throughput over TLS, with the full
default rule set, against a no-op handler on the same server stack (`--bench-noop`, path /noop), and RSS before
and after. Not a test: prints a Markdown table (docs/benchmarks.md).

Needs the load generator `oha` (`cargo install --locked oha`: without --locked, oha 1.16 resolves dependencies
that need a newer rustc than 1.95) and openssl (the certificates come from testenv/certs.sh).

  scripts/bench_webhook.py                      # 10 s per run
  scripts/bench_webhook.py --soak 600           # the 10-minute memory run (RSS sampled under full load)
  scripts/bench_webhook.py --binary target/release/palisade --rates 500,1000,2000
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGEST = "@sha256:" + "a" * 64


def container(name, image, port):
    return {
        "name": name,
        "image": f"myregistry.azurecr.io/{image}:1.4.2{DIGEST}",
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "env": [
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "DB_HOST", "value": "postgres.shop.svc.cluster.local"},
            {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
        ],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "config", "mountPath": "/etc/app"}],
    }


def deployment():
    labels = {"app.kubernetes.io/name": "orders", "app.kubernetes.io/part-of": "shop", "team": "payments"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "orders", "namespace": "shop", "labels": labels,
                     "annotations": {"deployment.kubernetes.io/revision": "7"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "orders"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "serviceAccountName": "orders",
                    "automountServiceAccountToken": False,
                    "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                                        "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [container("orders", "shop/orders", 8080), container("sidecar", "shop/envoy", 9901)],
                    "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "config", "configMap": {"name": "orders"}}],
                },
            },
        },
    }


def review(obj, uid="bench", op="CREATE"):
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "apps", "version": "v1", "kind": obj["kind"]},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "requestKind": {"group": "apps", "version": "v1", "kind": obj["kind"]},
            "name": obj["metadata"]["name"],
            "namespace": obj["metadata"]["namespace"],
            "operation": op,
            "userInfo": {"username": "system:serviceaccount:argocd:argocd-application-controller",
                         "groups": ["system:serviceaccounts", "system:authenticated"]},
            "object": obj,
            "oldObject": None,
            "dryRun": False,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions", "fieldManager": "argocd"},
        },
    }


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def oha(url, body, duration, rate=None, conns=50):
    cmd = ["oha", "--no-tui", "--output-format", "json", "--insecure", "-m", "POST", "-T", "application/json",
           "-D", body, "-z", f"{duration}s", "-c", str(conns)]
    if rate:
        cmd += ["-q", str(rate)]
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    pct = r.get("latencyPercentiles", {})
    codes = r.get("statusCodeDistribution", {})
    return {
        "rps": r["summary"]["requestsPerSec"],
        "p50": pct.get("p50", 0) * 1000,
        "p99": pct.get("p99", 0) * 1000,
        "ok": sum(v for k, v in codes.items() if k == "200"),
        "other": sum(v for k, v in codes.items() if k != "200"),
    }


def soak(base, paths, seconds, every, pid, audit):
    """Maximum load for `seconds` from three load generators at once (allowed CREATEs and denied UPDATEs to
    /validate, CREATEs to /mutate), printing the server's RSS every `every` seconds."""
    allowed, denied = paths["allowed CREATE"], paths["denied UPDATE"]
    procs = []
    for url, body in ((f"{base}/validate", allowed), (f"{base}/validate", denied), (f"{base}/mutate", allowed)):
        cmd = ["oha", "--no-tui", "--output-format", "json", "--insecure", "-m", "POST", "-T", "application/json",
               "-D", body, "-z", f"{seconds}s", "-c", "16", url]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    start = time.time()
    samples = []
    print("| seconds | RSS MiB | audit lines |")
    print("|---:|---:|---:|")
    while any(p.poll() is None for p in procs):
        time.sleep(min(every, max(0.1, start + seconds + 5 - time.time())))
        t = time.time() - start
        if t > seconds + 1:
            break
        samples.append((t, rss_kib(pid)))
        print(f"| {t:.0f} | {samples[-1][1] / 1024:.1f} | {audit[0]} |", flush=True)
    results = [json.loads(p.communicate()[0]) for p in procs]
    codes = {}
    for r in results:
        for k, v in r.get("statusCodeDistribution", {}).items():
            codes[k] = codes.get(k, 0) + v
    late = [kib for t, kib in samples if t >= 60]
    span = "after the first minute" if late else "over the run"
    late = late or [kib for _, kib in samples]
    print(f"\n{seconds} s, {sum(codes.values())} requests "
          f"({', '.join(f'{v} x HTTP {k}' for k, v in sorted(codes.items()))}), {audit[0]} audit lines")
    if late:
        print(f"RSS {span}: min {min(late) / 1024:.1f} MiB, max {max(late) / 1024:.1f} MiB, "
              f"last {late[-1] / 1024:.1f} MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/palisade"))
    ap.add_argument("--duration", type=int, default=10, help="seconds per fixed-rate and throughput run")
    ap.add_argument("--rates", default="1000", help="comma-separated fixed request rates")
    ap.add_argument("--port", type=int, default=18443)
    ap.add_argument("--soak", type=int, default=0,
                    help="instead of the table: this many seconds of maximum load (allowed CREATEs, denied UPDATEs "
                         "and mutations at once), sampling the server's RSS")
    ap.add_argument("--soak-every", type=int, default=30, help="seconds between RSS samples in --soak")
    args = ap.parse_args()
    if not shutil.which("oha"):
        sys.exit("oha not found: cargo install --locked oha")
    tmp = tempfile.mkdtemp(prefix="palisade-bench-webhook-")
    subprocess.run(["bash", os.path.join(ROOT, "testenv/certs.sh"), os.path.join(tmp, "pki")], check=True)
    bodies = {}
    dep = deployment()
    bodies["Deployment, 2 containers (allowed, warnings)"] = review(dep)
    priv = json.loads(json.dumps(dep))
    priv["spec"]["template"]["spec"]["containers"][0]["securityContext"] = {"privileged": True}
    bodies["Deployment, privileged (denied)"] = review(priv)
    if args.soak:
        update = review(priv, op="UPDATE")
        update["request"]["oldObject"] = dep
        bodies = {"allowed CREATE": review(dep), "denied UPDATE": update}
    paths = {}
    for i, (name, body) in enumerate(bodies.items()):
        p = os.path.join(tmp, f"body{i}.json")
        with open(p, "w") as f:
            json.dump(body, f)
        paths[name] = p
    pki = os.path.join(tmp, "pki")
    server = subprocess.Popen([args.binary, "webhook", "--tls-cert", f"{pki}/webhook.crt", "--tls-key",
                               f"{pki}/webhook.key", "--listen", f"127.0.0.1:{args.port}", "--no-namespace-cache",
                               "--bench-noop", "--shutdown-delay-seconds", "0"], stderr=subprocess.PIPE, text=True)
    base = f"https://127.0.0.1:{args.port}"
    # The log is read and dropped as it comes (denials write an audit line each: gigabytes in a long run), and
    # the audit lines are counted.
    listening = threading.Event()
    audit = [0]

    def drain():
        for line in server.stderr:
            if '"listening"' in line:
                listening.set()
            elif '"admission"' in line:
                audit[0] += 1

    threading.Thread(target=drain, daemon=True).start()
    listening.wait(10)
    if args.soak:
        try:
            soak(base, paths, args.soak, args.soak_every, server.pid, audit)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            shutil.rmtree(tmp, ignore_errors=True)
        return
    rss_start = rss_kib(server.pid)
    sizes = {n: os.path.getsize(p) for n, p in paths.items()}
    rows = []
    try:
        first = next(iter(paths.values()))
        oha(f"{base}/validate", first, 3)  # warm-up
        rss_warm = rss_kib(server.pid)
        for name, p in paths.items():
            for rate in [int(r) for r in args.rates.split(",")]:
                # Few long-lived connections, as the API server keeps (HTTP keep-alive): TLS handshakes are not
                # what is measured at a fixed rate.
                r = oha(f"{base}/validate", p, args.duration, rate=rate, conns=8)
                rows.append((f"/validate, {name}, {sizes[name]} B", f"{rate}/s", r))
        for name, p in paths.items():
            r = oha(f"{base}/validate", p, args.duration)
            rows.append((f"/validate, {name}", "max", r))
        r = oha(f"{base}/mutate", first, args.duration)
        rows.append(("/mutate, Deployment", "max", r))
        noop = oha(f"{base}/noop", first, args.duration)
        rows.append(("/noop (server stack only), same body", "max", noop))
        rss_end = rss_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\n{os.cpu_count()} cores; server and oha share them; HTTP/1.1 over TLS 1.3; fixed rates with 8 "
          f"connections, max throughput with 50; {args.duration} s per run\n")
    print("| run | rate | achieved req/s | p50 ms | p99 ms | 200 | other |")
    print("|---|---|---|---|---|---|---|")
    for name, rate, r in rows:
        print(f"| {name} | {rate} | {r['rps']:.0f} | {r['p50']:.3f} | {r['p99']:.3f} | {r['ok']} | {r['other']} |")
    full = [r for n, rate, r in rows if rate == "max" and n.startswith("/validate")][0]
    print(f"\nmax throughput /validate (allowed Deployment) vs /noop: {full['rps']:.0f} / {noop['rps']:.0f} = "
          f"{100 * full['rps'] / noop['rps']:.0f}%")
    print(f"RSS: start {rss_start / 1024:.1f} MiB, after warm-up {rss_warm / 1024:.1f} MiB, "
          f"end {rss_end / 1024:.1f} MiB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Accuracy against the ground truth of ../shared/bench/gen_manifests.py.

Usage: scripts/accuracy.py [-n 10000] [-s 1] [--shared ../shared] [--binary target/release/palisade]

Generates a corpus with --truth, scans it with every rule enabled (`--select all`, JSON) and
`--pss-ignore-namespace-labels` (the generator injects pod issues whatever its namespaces' Pod Security labels say;
by default Palisade judges pods at their namespace's level, as Pod Security Admission does), with a config that
allows the public registries the generator's hardened profile pulls from by digest, and reports:
- recall per generator issue id: an injected issue counts as found when a finding of a corresponding rule is on the
  same object (file, document) at the same path (the JSON pointers are equal, or one is a parent of the other;
  for RBAC rules the same `rules[i]` entry, for bindings the same binding);
- issues the generator's definition covers but our rule's exact condition does not are listed, not counted:
  readiness probes of pods no Service selects (K8S-106 is about containers behind a Service), LoadBalancer Services
  with the internal annotation (NET-006 is about public load balancers), NET_BIND_SERVICE added (allowed by PSS);
- false positives on the `hardened` profile: findings at or above medium on hardened objects whose rule does not
  correspond to an issue injected into that object.
Needs PyYAML (`pip install pyyaml`) to read Service selectors. Exit 1 when recall < 99% or there is a false
positive at or above medium on a hardened object.
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# generator issue id -> rules that report it
MAP = {
    "image-latest-tag": ["K8S-080"], "image-no-tag": ["K8S-080"], "image-pull-policy-not-always": ["K8S-083"],
    "privileged": ["K8S-001"], "allow-privilege-escalation-true": ["K8S-021"],
    "allow-privilege-escalation-unset": ["K8S-021"], "run-as-root": ["K8S-023"],
    "run-as-non-root-unset": ["K8S-022"], "readonly-rootfs-false": ["K8S-040"], "readonly-rootfs-unset": ["K8S-040"],
    "cap-add": ["K8S-007", "K8S-025", "K8S-042"], "cap-drop-all-missing": ["K8S-025"],
    "net-raw-not-dropped": ["K8S-041"], "proc-mount-unmasked": ["K8S-010", "K8S-026"],
    "no-cpu-limit": ["K8S-101"], "no-memory-limit": ["K8S-100"], "no-cpu-request": ["K8S-103"],
    "no-memory-request": ["K8S-102"], "no-liveness-probe": ["K8S-105"], "no-readiness-probe": ["K8S-106"],
    "secret-literal-in-env": ["SEC-001"], "secret-ref-in-env": ["SEC-002"], "host-port": ["K8S-006"],
    "ssh-port": ["K8S-052"], "host-network": ["K8S-004"], "host-pid": ["K8S-002"], "host-ipc": ["K8S-003"],
    "host-path-volume": ["K8S-005", "K8S-020"], "docker-socket-mount": ["K8S-043"],
    "seccomp-unconfined": ["K8S-011", "K8S-024"], "seccomp-unset": ["K8S-024"], "unsafe-sysctl": ["K8S-012"],
    "default-namespace": ["K8S-064"], "automount-sa-token-unset": ["RBAC-018"],
    "default-service-account": ["RBAC-016"], "service-nodeport": ["NET-007"],
    "service-loadbalancer-open": ["NET-006", "NET-005"], "service-external-ips": ["NET-008"],
    "secret-in-configmap": ["SEC-004"], "rbac-wildcard-verbs": ["RBAC-001"], "rbac-wildcard-resources": ["RBAC-001"],
    "rbac-secrets-read": ["RBAC-008"], "rbac-pods-exec": ["RBAC-009"],
    "rbac-escalate-bind-impersonate": ["RBAC-006", "RBAC-007"], "rbac-create-workloads": ["RBAC-011"],
    "binding-cluster-admin": ["RBAC-002"], "binding-anonymous": ["RBAC-003"], "binding-authenticated": ["RBAC-004"],
    "binding-default-sa": ["RBAC-017"], "netpol-allow-all-ingress": ["NET-004"], "netpol-allow-all-egress": ["NET-004"],
    "psa-missing": ["K8S-060"], "psa-privileged": ["K8S-061"], "psa-baseline": ["K8S-061"],
}
# Generator issues with no corresponding rule, and why.
UNMAPPED = {
    "sa-automount-token": "a ServiceAccount other than `default` without automountServiceAccountToken: false is not "
                          "a finding by itself; RBAC-018 reports the workloads that mount its token",
}
PSS_BASELINE = {f"K8S-0{n:02d}" for n in range(1, 15)}
PSS_RESTRICTED = {f"K8S-0{n:02d}" for n in range(20, 27)}


def pointer(path):
    """spec.template.spec.containers[0].image -> /spec/template/spec/containers/0/image"""
    parts = []
    for seg in path.split("."):
        seg = re.sub(r"\[[A-Za-z_][A-Za-z0-9_]*\]$", "", seg)  # capabilities.add[NET_RAW] -> the add list
        m = re.match(r"^([^\[]*)((\[\d+\])*)$", seg)
        if m.group(1):
            parts.append(m.group(1))
        parts += re.findall(r"\[(\d+)\]", m.group(2))
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def related(a, b):
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def matches(iid, ours, theirs):
    if iid.startswith("binding-"):
        return True  # one finding per offending subject or at roleRef: both are on the binding
    if iid.startswith("rbac-"):
        return ours.split("/")[:3] == theirs.split("/")[:3]  # the same rules[i] entry
    return related(ours, theirs)


REGISTRIES_CONFIG = """parameters:
  allowed_registries: ["*.azurecr.io", "mcr.microsoft.com", "docker.io", "quay.io", "ghcr.io", "registry.k8s.io"]
"""


def service_selected(docs_by_file):
    """(file, doc) of pod templates selected by a Service of the same namespace, per file's namespace."""
    services = collections.defaultdict(list)
    pods = []
    for f, docs in docs_by_file.items():
        for i, d in enumerate(docs):
            if not isinstance(d, dict):
                continue
            ns = (d.get("metadata") or {}).get("namespace") or "default"
            if d.get("kind") == "Service":
                sel = (d.get("spec") or {}).get("selector") or {}
                if sel:
                    services[ns].append(sel)
            spec = d.get("spec") or {}
            tmpl = spec.get("template") or (spec.get("jobTemplate") or {}).get("spec", {}).get("template")
            labels = ((tmpl or {}).get("metadata") or {}).get("labels") if tmpl else (d.get("metadata") or {}).get("labels")
            pods.append((f, i, ns, labels or {}))
    out = set()
    for f, i, ns, labels in pods:
        if any(all(labels.get(k) == v for k, v in sel.items()) for sel in services[ns]):
            out.add((f, i))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("-s", type=int, default=1)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "palisade"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    a = ap.parse_args()
    corpus = os.path.join(a.out, f"truth-{a.n}-{a.s}")
    truth_file = corpus + ".jsonl"
    subprocess.run([sys.executable, os.path.join(a.shared, "bench", "gen_manifests.py"), "-n", str(a.n), "-s", str(a.s),
                    "-o", corpus, "--truth", truth_file, "--clean"], check=True, stdout=subprocess.DEVNULL)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as cfg:
        cfg.write(REGISTRIES_CONFIG)
    out = subprocess.run([a.binary, "scan", "--format", "json", "--select", "all", "--pss-ignore-namespace-labels",
                          "--config", cfg.name, corpus], capture_output=True, text=True)
    os.unlink(cfg.name)
    report = json.loads(out.stdout)
    if report["errors"]:
        sys.exit(f"tool errors: {report['errors'][:3]}")
    by_obj = collections.defaultdict(list)
    for f in report["findings"] + [s for s in report.get("suppressed", [])]:
        loc = f["location"]
        by_obj[(os.path.relpath(loc["file"], corpus), loc["document"])].append(f)
    truth = [json.loads(l) for l in open(truth_file)]
    docs_by_file = {}
    for dirpath, _, files in os.walk(corpus):
        for fn in files:
            docs_by_file[fn] = list(yaml.safe_load_all(open(os.path.join(dirpath, fn))))
    behind_service = service_selected(docs_by_file)
    service_accounts = {
        ((d.get("metadata") or {}).get("namespace") or "default", (d.get("metadata") or {}).get("name")):
            d.get("automountServiceAccountToken")
        for docs in docs_by_file.values() for d in docs if isinstance(d, dict) and d.get("kind") == "ServiceAccount"
    }
    found = collections.Counter(); total = collections.Counter(); allowed = collections.Counter()
    missed = collections.defaultdict(list)
    hardened_bad = []
    for t in truth:
        key = (t["file"], t["doc"] + 1)
        fs = by_obj.get(key, [])
        fs = [f for f in fs if f["object"]["name"] == t["name"] and f["object"]["kind"] == t["kind"]]
        if t["profile"] == "hardened":
            injected = {r for i in t["issues"] for r in MAP.get(i["id"], [])}
            # an injected issue can show under neighbouring rules too (NET_RAW added: K8S-041; hostPath: K8S-045)
            related_rules = {"K8S-007": {"K8S-041", "K8S-042", "K8S-025"}, "K8S-025": {"K8S-041", "K8S-042", "K8S-007"},
                             "K8S-005": {"K8S-043", "K8S-044", "K8S-045", "K8S-020"},
                             "K8S-043": {"K8S-005", "K8S-020", "K8S-044", "K8S-045"},
                             "RBAC-001": {f"RBAC-0{n:02d}" for n in range(1, 30)}}
            for r in list(injected):
                injected |= related_rules.get(r, set())
            for f in fs:
                if f["severity"] in ("medium", "high", "critical") and f["rule"] not in injected:
                    hardened_bad.append((t["file"], t["kind"], t["name"], f["rule"], f["message"]))
        for issue in t["issues"]:
            iid = issue["id"]
            if iid in UNMAPPED:
                continue
            if iid == "cap-add" and issue["path"].endswith("[NET_BIND_SERVICE]"):
                allowed["cap-add NET_BIND_SERVICE (allowed by PSS restricted)"] += 1
                continue
            rules = MAP.get(iid)
            if rules is None:
                missed["(no mapping) " + iid].append(t["name"]); total[iid] += 1
                continue
            if iid == "automount-sa-token-unset":
                d = docs_by_file[t["file"]][t["doc"]]
                spec = d.get("spec") or {}
                tmpl = spec.get("template") or (spec.get("jobTemplate") or {}).get("spec", {}).get("template") or {"spec": spec}
                pod = tmpl.get("spec") or {}
                sa = pod.get("serviceAccountName") or pod.get("serviceAccount") or "default"
                ns = (d.get("metadata") or {}).get("namespace") or "default"
                if pod.get("automountServiceAccountToken") is None and sa != "default":
                    if (ns, sa) not in service_accounts:
                        allowed["automount-sa-token-unset: ServiceAccount not scanned (reported as not evaluated)"] += 1
                        continue
                    if service_accounts[(ns, sa)] is False:
                        allowed["automount-sa-token-unset: the ServiceAccount disables automounting"] += 1
                        continue
            if iid == "no-readiness-probe" and (t["file"], t["doc"]) not in behind_service:
                allowed["no-readiness-probe: no Service selects the pods"] += 1
                continue
            if iid == "service-loadbalancer-open":
                ann = ((docs_by_file[t["file"]][t["doc"]].get("metadata") or {}).get("annotations") or {})
                if ann.get("service.beta.kubernetes.io/azure-load-balancer-internal") == "true":
                    allowed["service-loadbalancer-open: internal load balancer"] += 1
                    continue
            total[iid] += 1
            p = pointer(issue["path"])
            if any(f["rule"] in rules and matches(iid, f["location"]["pointer"], p) for f in fs):
                found[iid] += 1
            else:
                missed[iid].append((t["file"], t["doc"], t["kind"], t["name"], issue["path"],
                                    sorted({f["rule"] + " " + f["location"]["pointer"] for f in fs if f["rule"] in rules})))
    n_total, n_found = sum(total.values()), sum(found.values())
    print(f"corpus: {a.n} objects (seed {a.s}); findings: {len(report['findings'])}")
    print(f"| issue | injected | found | recall |\n|---|---:|---:|---:|")
    for iid in sorted(total):
        print(f"| {iid} | {total[iid]} | {found[iid]} | {100.0 * found[iid] / total[iid]:.1f}% |")
    recall = 100.0 * n_found / max(n_total, 1)
    print(f"\nrecall: {n_found}/{n_total} = {recall:.2f}%")
    print(f"outside our rules' exact conditions (not counted): {sum(allowed.values())} {dict(allowed)}")
    print(f"not mapped: {UNMAPPED}")
    for iid, items in sorted(missed.items()):
        print(f"missed {iid}: {len(items)}; e.g. {items[:2]}")
    print(f"false positives >= medium on hardened objects: {len(hardened_bad)}")
    print("  by rule:", collections.Counter(h[3] for h in hardened_bad).most_common())
    for h in hardened_bad[:5]:
        print("  ", h)
    sys.exit(0 if recall >= 99.0 and not hardened_bad else 1)


if __name__ == "__main__":
    main()

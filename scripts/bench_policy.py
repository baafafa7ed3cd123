#!/usr/bin/env python3
"""Benchmark custom Rego policies (palisade scan --policy); prints a Markdown table.

Usage: scripts/bench_policy.py [--objects 10000] [--runs 3] [--out bench-out] [--no-build]

Generates a corpus with ../shared/bench/gen_manifests.py (or $PALISADE_SHARED/bench/...), and writes 20
ConstraintTemplates of our own (required labels, privileged containers, allowed repos, resource limits, probes,
host namespaces, ... each with one constraint) into the output directory. It then measures the release binary on:

  built-in rules only         scan --format json CORPUS
  1 template                  + --policy <required-labels template and constraint>
  20 templates                + --policy <all 20>
  20 templates + inventory    + one more template that reads data.inventory (the scan then keeps every object)

reporting wall time, CPU time (user+sys) and peak RSS (medians over --runs), and the CPU cost per object of one
typical template ((1 template - built-in only) / objects) and of the 20 templates.
"""
import argparse, os, statistics, subprocess, sys, time, json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEAD = """apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: {name}
spec:
  crd:
    spec:
      names:
        kind: {kind}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
{rego}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: {kind}
metadata:
  name: {name}-c
spec:
  match:
    kinds:
{kinds}
  parameters: {params}
"""

WORKLOADS = '      - apiGroups: ["", "apps", "batch"]\n        kinds: ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]'
ANY = '      - apiGroups: ["*"]\n        kinds: ["*"]'

CONTAINERS = """
containers[c] {
  c := input.review.object.spec.containers[_]
}
containers[c] {
  c := input.review.object.spec.template.spec.containers[_]
}
containers[c] {
  c := input.review.object.spec.template.spec.initContainers[_]
}
containers[c] {
  c := input.review.object.spec.jobTemplate.spec.template.spec.containers[_]
}
"""

# (body, kinds, parameters): {p} is replaced by the package name.
BASES = [
    ("""violation[{"msg": msg}] {
  provided := {k | input.review.object.metadata.labels[k]}
  required := {k | k := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("missing labels %v", [missing])
}""", ANY, '{"labels": ["app.kubernetes.io/name", "team"]}'),
    (CONTAINERS + """
violation[{"msg": msg}] {
  c := containers[_]
  c.securityContext.privileged
  msg := sprintf("container %v is privileged", [c.name])
}""", WORKLOADS, "{}"),
    (CONTAINERS + """
violation[{"msg": msg}] {
  c := containers[_]
  not startswith(c.image, input.parameters.repos[_])
  msg := sprintf("image %v not allowed", [c.image])
}""", WORKLOADS, '{"repos": ["registry.example.com/"]}'),
    (CONTAINERS + """
violation[{"msg": msg}] {
  c := containers[_]
  not c.resources.limits.memory
  msg := sprintf("container %v has no memory limit", [c.name])
}""", WORKLOADS, "{}"),
    (CONTAINERS + """
violation[{"msg": msg}] {
  c := containers[_]
  probe := input.parameters.probes[_]
  not c[probe]
  msg := sprintf("container %v has no %v", [c.name, probe])
}""", WORKLOADS, '{"probes": ["readinessProbe", "livenessProbe"]}'),
]

INVENTORY = """violation[{"msg": msg}] {
  input.review.kind.kind == "Service"
  sel := input.review.object.spec.selector
  other := data.inventory.namespace[ns]["v1"]["Service"][name]
  other.spec.selector == sel
  name != input.review.name
  msg := sprintf("same selector as Service %v/%v", [ns, name])
}"""


def indent(text, n=8):
    return "\n".join((" " * n + line) if line else "" for line in text.splitlines())


def write_templates(out):
    d = os.path.join(out, "bench-policies")
    os.makedirs(os.path.join(d, "twenty"), exist_ok=True)
    os.makedirs(os.path.join(d, "inventory"), exist_ok=True)
    for i in range(20):
        body, kinds, params = BASES[i % len(BASES)]
        name = f"benchpolicy{i:02d}"
        rego = f"package {name}\n{body}\n"
        text = HEAD.format(name=name, kind=f"BenchPolicy{i:02d}", rego=indent(rego), kinds=kinds, params=params)
        with open(os.path.join(d, "twenty", f"{name}.yaml"), "w") as f:
            f.write(text)
    rego = "package benchinventory\n" + INVENTORY + "\n"
    text = HEAD.format(name="benchinventory", kind="BenchInventory", rego=indent(rego),
                       kinds='      - apiGroups: [""]\n        kinds: ["Service"]', params="{}")
    with open(os.path.join(d, "inventory", "benchinventory.yaml"), "w") as f:
        f.write(text)
    return os.path.join(d, "twenty"), os.path.join(d, "twenty", "benchpolicy00.yaml"), os.path.join(d, "inventory")


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"command failed with exit {code}: {' '.join(cmd)}")
    summary = json.loads(out)["summary"]
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, summary


def measure(cmd, runs):
    rs = [run(cmd) for _ in range(runs)]
    med = tuple(statistics.median(x[i] for x in rs) for i in range(3))
    return med + (rs[-1][3],)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.environ.get("PALISADE_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "palisade"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "palisade")
    corpus = os.path.join(a.out, f"gen-{a.objects}")
    if not os.path.isdir(corpus):
        gen = os.path.join(a.shared, "bench", "gen_manifests.py")
        if not os.path.exists(gen):
            sys.exit(f"{gen} not found: pass --shared DIR (the shared data directory) or set PALISADE_SHARED")
        subprocess.run([sys.executable, gen, "-n", str(a.objects), "-s", "42", "-o", corpus, "-q"], check=True)
    twenty, one, inventory = write_templates(a.out)
    base = [binary, "scan", "--format", "json", "--fail-on", "critical", corpus]
    rows = [
        ("built-in rules only", base),
        ("+ 1 template (required labels)", base + ["--policy", one]),
        ("+ 20 templates", base + ["--policy", twenty]),
        ("+ 20 templates + 1 reading data.inventory", base + ["--policy", twenty, "--policy", inventory]),
    ]
    results = []
    for label, cmd in rows:
        wall, cpu, rss, summary = measure(cmd, a.runs)
        results.append((label, wall, cpu, rss, summary))
    objects = results[0][4]["objects"]
    print(f"{objects} objects, {results[0][4]['files']} files; medians of {a.runs} runs; {os.cpu_count()} CPUs\n")
    print("| scan | wall s | CPU s | peak RSS MB | findings | CPU µs/object over built-in |")
    print("|---|---:|---:|---:|---:|---:|")
    base_cpu = results[0][2]
    for label, wall, cpu, rss, summary in results:
        extra = (cpu - base_cpu) / objects * 1e6
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {summary['findings']} | {extra:.0f} |")
    one_cost = (results[1][2] - base_cpu) / objects * 1e6
    twenty_cost = (results[2][2] - base_cpu) / objects * 1e6
    print(f"\nOne typical template: {one_cost:.0f} µs CPU per object; 20 templates: {twenty_cost / 20:.0f} µs per "
          f"object and template.")


if __name__ == "__main__":
    main()

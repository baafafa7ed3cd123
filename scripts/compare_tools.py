#!/usr/bin/env python3
"""Measure Palisade's manifest rules against other tools' published test fixtures.

Given local checkouts of the tools (any subset), this script finds each tool's fixtures for the checks that have a
Palisade equivalent (the mapping in compare_tools_map.json, next to this script), derives the tool's expectation
for each fixture from the fixture's name or the tool's own test code, scans every fixture with the Palisade binary
(`scan --format json`) with only the mapped rules selected, and prints one Markdown table per tool.

    git clone https://github.com/FairwindsOps/polaris   /tmp/tools/polaris
    git clone https://github.com/zegl/kube-score         /tmp/tools/kube-score
    git clone https://github.com/controlplaneio/kubesec  /tmp/tools/kubesec
    cargo build --release -p palisade
    scripts/compare_tools.py --polaris /tmp/tools/polaris --kube-score /tmp/tools/kube-score \\
        --kubesec /tmp/tools/kubesec

Where each tool's expectation comes from:

- Polaris: `test/checks/<check>/success*.yaml` must pass the check, `failure*.yaml` must fail it (Polaris's own
  test harness reads them that way); `mutated*.yaml` are mutation outputs and are skipped.
- kube-score: every `testExpectedScore(t, "<file>", "<check name>", <grade>)` call in `score/**/*_test.go` (and the
  `testExpectedScoreWithConfig` calls whose configuration only lists files or enables the check); grade
  Critical/Warning (1, 5) = fail, AllOK (10) = pass, other grades are skipped. The fixture is `score/testdata/<file>`.
- kubesec: kubesec's assets are named after the score they get (`score-0-*` = a critical rule fires); the map
  lists, per asset, the kubesec rule it exercises and the expected verdict, read from the file name and content.
- Checkov: `tests/kubernetes/checks/example_<Check>/*-PASSED*.yaml` must pass the check, `*-FAILED*.yaml` must
  fail it (Checkov's naming convention; its test .py files assert the resulting counts); other files are skipped.

Palisade runs with `--pss-level restricted --pss-ignore-namespace-labels` (fixtures carry no Namespace objects; the
PSS rules judge every pod at restricted/latest, which is what a PSS-restricted rule means on its own),
`--no-inline-exemptions` and an empty configuration file (so no `.palisade.yaml` above the checkout applies). A
fixture "fails" for Palisade when at least one finding of a mapped rule is reported for it; a fixture that
Palisade cannot read (a tool error) is counted as a disagreement and named.

Disagreements listed in the map's `by_design` section are explained there (the catalogue's exact condition differs
from the other tool's); any other disagreement is a Palisade bug or an unexplained difference and is marked so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MAP = HERE / "compare_tools_map.json"


# ---------------------------------------------------------------------------------------------------------------
# Fixture discovery per tool: each yields (check, fixture path, expected "pass"|"fail", display name)
# ---------------------------------------------------------------------------------------------------------------


def polaris_fixtures(root: Path, mapping: dict):
    base = root / "test" / "checks"
    if not base.is_dir():
        sys.exit(f"--polaris {root}: no test/checks folder")
    for check_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        check = check_dir.name
        for f in sorted(check_dir.glob("*.y*ml")):
            if f.name.startswith("success"):
                expected = "pass"
            elif f.name.startswith("failure"):
                expected = "fail"
            else:
                continue
            yield check, f, expected, f"{check}/{f.name}"


# testExpectedScore(t, "file.yaml", "Check Name", scorecard.GradeCritical)  (also a numeric grade)
KS_SIMPLE = re.compile(r'testExpectedScore\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*,\s*([\w.]+)\s*\)')
KS_CONFIG = re.compile(r"testExpectedScoreWithConfig\(\s*\w+\s*,(.*?)\}\s*,\s*\"([^\"]+)\"\s*,\s*([\w.]+)\s*\)", re.S)
KS_FILE = re.compile(r'testFile\("([^"]+)"\)')
KS_ALLOWED_CONFIG_KEYS = {"AllFiles", "KubernetesVersion", "EnabledTests"}
KS_GRADES = {"GradeCritical": "fail", "GradeWarning": "fail", "GradeAllOK": "pass", "1": "fail", "5": "fail",
             "10": "pass"}


def kube_score_fixtures(root: Path, mapping: dict):
    score = root / "score"
    testdata = score / "testdata"
    if not testdata.is_dir():
        sys.exit(f"--kube-score {root}: no score/testdata folder")
    seen = set()
    for test in sorted(score.rglob("*_test.go")):
        src = test.read_text(encoding="utf-8", errors="replace")
        calls = []
        for m in KS_SIMPLE.finditer(src):
            calls.append(([m.group(1)], m.group(2), m.group(3)))
        for m in KS_CONFIG.finditer(src):
            cfg = m.group(1)
            keys = set(re.findall(r"\b([A-Z]\w+)\s*:", cfg))
            if not keys <= KS_ALLOWED_CONFIG_KEYS:
                continue  # a non-default configuration (ignored CPU limits, annotations...): not comparable
            calls.append((KS_FILE.findall(cfg), m.group(2), m.group(3)))
        for files, check, grade in calls:
            expected = KS_GRADES.get(grade.split(".")[-1])
            if expected is None:
                continue
            for name in files:
                key = (check, name)
                if key in seen or not (testdata / name).is_file():
                    continue
                seen.add(key)
                yield check, testdata / name, expected, name


def kubesec_fixtures(root: Path, mapping: dict):
    asset = root / "test" / "asset"
    if not asset.is_dir():
        sys.exit(f"--kubesec {root}: no test/asset folder")
    for name, spec in sorted(mapping.get("fixtures", {}).items()):
        path = asset / name
        if path.is_file():
            yield spec["check"], path, spec["expected"], name


def checkov_fixtures(root: Path, mapping: dict):
    base = root / "tests" / "kubernetes" / "checks"
    if not base.is_dir():
        sys.exit(f"--checkov {root}: no tests/kubernetes/checks folder")
    for check_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith("example_")):
        for f in sorted(check_dir.glob("*.y*ml")):
            verdict = CHECKOV_VERDICT.search(f.stem)
            if verdict is None:
                continue  # e.g. *-UNKOWN.yaml, or files the test counts by resource rather than by file
            expected = "pass" if verdict.group(1).lower().startswith("pass") else "fail"
            yield check_dir.name, f, expected, f"{check_dir.name}/{f.name}"


# Checkov names its fixtures after the verdict of the check: nginx-deployment-PASSED.yaml, pod-FAILED2.yaml,
# CronJob-pass.yaml.
CHECKOV_VERDICT = re.compile(r"(?i)(?:^|[-_])(passed|failed|pass|fail)(?:[-_]?\d*)$")


DISCOVER = {
    "polaris": polaris_fixtures,
    "kube-score": kube_score_fixtures,
    "kubesec": kubesec_fixtures,
    "checkov": checkov_fixtures,
}


# ---------------------------------------------------------------------------------------------------------------
# Running Palisade
# ---------------------------------------------------------------------------------------------------------------


def palisade_verdict(binary: str, config: str, path: Path, rules: list[str]) -> tuple[str, list[str]]:
    """("fail"|"pass"|"error", evidence) for one fixture with only `rules` selected."""
    cmd = [binary, "scan", "--format", "json", "--no-progress", "--no-color", "--select", ",".join(rules),
           "--pss-level", "restricted", "--pss-ignore-namespace-labels", "--no-inline-exemptions",
           "--config", config, "--fail-on", "critical", str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return "error", [proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"]
    hits = sorted({f["rule"] for f in report.get("findings", []) if f["rule"] in rules})
    if hits:
        return "fail", hits
    errors = report.get("errors") or []
    if errors:
        return "error", [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors][:1]
    return "pass", []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for tool in DISCOVER:
        ap.add_argument(f"--{tool}", metavar="DIR", type=Path, help=f"local checkout of {tool}")
    ap.add_argument("--bin", default=None, help="palisade binary (default: target/release/palisade)")
    ap.add_argument("--map", type=Path, default=DEFAULT_MAP, help="mapping file (default: %(default)s)")
    ap.add_argument("--json", type=Path, help="also write every fixture's result to this JSON file")
    args = ap.parse_args()

    repo = HERE.parent
    binary = args.bin or str(repo / "target" / "release" / "palisade")
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary}: not found; build it with `cargo build --release -p palisade` or pass --bin")
    mapping = json.loads(args.map.read_text())
    tools = [t for t in DISCOVER if getattr(args, t.replace("-", "_"))]
    if not tools:
        ap.error("give at least one of --polaris, --kube-score, --kubesec, --checkov")

    all_results = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = str(Path(tmp) / "palisade.yaml")
        Path(config).write_text("{}\n")
        for tool in tools:
            root = getattr(args, tool.replace("-", "_"))
            tmap = mapping[tool]
            checks = tmap["checks"]
            by_design = tmap.get("by_design", {})
            rows = {}
            unmapped = {}
            results = []
            for check, path, expected, name in DISCOVER[tool](root, tmap):
                spec = checks.get(check)
                if spec is None or not spec.get("rules"):
                    unmapped[check] = unmapped.get(check, 0) + 1
                    continue
                got, evidence = palisade_verdict(binary, config, path, spec["rules"])
                agree = got == expected
                note = by_design.get(name) if not agree else None
                results.append({"check": check, "fixture": name, "expected": expected, "palisade": got,
                                "rules_reported": evidence, "agree": agree, "by_design": note})
                row = rows.setdefault(check, {"rules": spec["rules"], "n": 0, "agree": 0, "dis": []})
                row["n"] += 1
                if agree:
                    row["agree"] += 1
                else:
                    row["dis"].append((name, expected, got, note))
            all_results[tool] = results
            print_table(tool, rows, unmapped, checks)
    if args.json:
        args.json.write_text(json.dumps(all_results, indent=1) + "\n")
    return 0


def print_table(tool: str, rows: dict, unmapped: dict, checks: dict) -> None:
    n = sum(r["n"] for r in rows.values())
    agree = sum(r["agree"] for r in rows.values())
    dis = [d for r in rows.values() for d in r["dis"]]
    designed = sum(1 for d in dis if d[3])
    print(f"## {tool}\n")
    print(f"{n} fixtures of {len(rows)} mapped checks: **{agree} agree, {len(dis)} disagree** "
          f"({designed} by design, {len(dis) - designed} not explained).\n")
    print("| check | Palisade rules | fixtures | agree | disagree | disagreeing fixtures (tool expects → Palisade) |")
    print("|---|---|---:|---:|---:|---|")
    for check in sorted(rows):
        r = rows[check]
        detail = "; ".join(
            f"`{name}` ({exp} → {got}{', by design' if note else ', **not explained**'})"
            for name, exp, got, note in r["dis"])
        print(f"| {check} | {', '.join(r['rules'])} | {r['n']} | {r['agree']} | {len(r['dis'])} | {detail} |")
    print()
    if dis and designed:
        print("By-design disagreements:\n")
        for name, exp, got, note in dis:
            if note:
                print(f"- `{name}`: {note}")
        print()
    none = sorted(c for c, s in checks.items() if not s.get("rules"))
    if unmapped or none:
        print("Checks without a Palisade equivalent (not measured): " + ", ".join(
            f"{c} ({checks.get(c, {}).get('note', 'not in the map')})" for c in sorted(set(unmapped) | set(none)))
              + "\n")


if __name__ == "__main__":
    sys.exit(main())

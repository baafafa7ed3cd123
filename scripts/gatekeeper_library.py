#!/usr/bin/env python3
"""Runs `palisade policy verify` over every Gatekeeper policy library suite; prints a Markdown table.

Usage: scripts/gatekeeper_library.py --library DIR [--palisade BIN] [--details]

DIR is a local checkout (or partial copy) of the Gatekeeper policy library (github.com/open-policy-agent/
gatekeeper-library): every `suite.yaml` below DIR/library (or below DIR itself when it has no `library/` folder)
is run on its own, as `gator verify` would run it. The table has one row per suite: cases, passed, failed,
errors (of which "missing" are cases whose files are absent, which happens with partial copies), skipped; then
the totals and the pass rate, over all cases and over the cases whose files are present.

--details prints every failing or erroring case under the table. The binary defaults to target/release/palisade
(built with `cargo build --release -p palisade`).
"""
import argparse, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MISSING = "No such file or directory"


def suites_under(base):
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if f in ("suite.yaml", "suite.yml"):
                out.append(os.path.join(dirpath, f))
    return out


def cases_of_test(suite_path, test_name):
    """Number of cases of one test (for a test-level error); 1 when it cannot be told."""
    try:
        import yaml  # optional
    except ImportError:
        return 1
    try:
        with open(suite_path) as fh:
            doc = yaml.safe_load(fh)
        for t in doc.get("tests") or []:
            if t.get("name") == test_name:
                return max(1, len(t.get("cases") or []))
    except Exception:
        pass
    return 1


def run_suite(binary, path):
    proc = subprocess.run([binary, "policy", "verify", "-v", path], capture_output=True, text=True)
    row = {"passed": 0, "failed": 0, "errors": 0, "missing": 0, "skipped": 0, "problems": []}
    for line in proc.stdout.splitlines():
        s = line.strip()
        if not line.startswith("    "):
            if s.startswith("ERROR") and "error:" in s:
                row["errors"] += 1
                row["problems"].append(s)
            continue
        if s.startswith("ok "):
            row["passed"] += 1
        elif s.startswith("SKIP"):
            row["skipped"] += 1
        elif s.startswith("FAIL"):
            row["failed"] += 1
            row["problems"].append(s)
        elif s.startswith("ERROR"):
            head = s[len("ERROR"):].strip()
            name = head.split(": ", 1)[0]
            n = 1 if " / " in name else cases_of_test(path, name)
            row["errors"] += n
            if MISSING in s:
                row["missing"] += n
            row["problems"].append(s)
        elif s.startswith("error:"):
            row["errors"] += 1
            row["problems"].append(s)
    if proc.returncode not in (0, 1, 2):
        row["errors"] += 1
        row["problems"].append(f"exit status {proc.returncode}: {proc.stderr.strip()[:300]}")
    row["cases"] = row["passed"] + row["failed"] + row["errors"] + row["skipped"]
    return row


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--library", required=True, help="gatekeeper-library checkout (or a copy of its library/)")
    ap.add_argument("--palisade", default=os.path.join(ROOT, "target", "release", "palisade"))
    ap.add_argument("--details", action="store_true", help="list failing and erroring cases")
    args = ap.parse_args()
    base = os.path.join(args.library, "library")
    if not os.path.isdir(base):
        base = args.library
    if not os.path.exists(args.palisade):
        sys.exit(f"{args.palisade} not found: run `cargo build --release -p palisade` or pass --palisade")
    suites = suites_under(base)
    if not suites:
        sys.exit(f"no suite.yaml below {base}")
    rows = []
    for s in suites:
        r = run_suite(args.palisade, s)
        r["suite"] = os.path.relpath(os.path.dirname(s), base)
        rows.append(r)
    keys = ["cases", "passed", "failed", "errors", "missing", "skipped"]
    tot = {k: sum(r[k] for r in rows) for k in keys}
    print("| suite | cases | passed | failed | errors | (missing files) | skipped |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['suite']} | " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"| **total ({len(rows)} suites)** | " + " | ".join(f"**{tot[k]}**" for k in keys) + " |")
    run = tot["cases"] - tot["skipped"]
    present = run - tot["missing"]
    print()
    print(f"Passed: {tot['passed']}/{run} cases run ({pct(tot['passed'], run)}); "
          f"{tot['passed']}/{present} of the cases whose files are present ({pct(tot['passed'], present)}).")
    if args.details:
        print()
        for r in rows:
            for p in r["problems"]:
                if MISSING in p:
                    p = re.sub(r": /\S+: cannot read: .*", ": missing file", p)
                print(f"- {r['suite']}: {p}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# quality_check.py: CTest test of the labelled corpus and its scorer (determinism, exact spans,
# self-validated values, matching rules, all detector ids, bench/quality_thresholds.tsv).
"""quality_check.py --piiscan BIN --work DIR [--spec detectors.tsv]"""

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "corpora", "gen", "mklabelled.py")
QUALITY = os.path.join(ROOT, "bench", "quality")
THRESHOLDS = os.path.join(ROOT, "bench", "quality_thresholds.tsv")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in (0, 3):
        sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
    return p


def gen(out, seed, n=20, neg=300):
    shutil.rmtree(out, ignore_errors=True)
    return run([sys.executable, GEN, "--out", out, "--seed", str(seed), "--per-detector", str(n), "--negatives", str(neg)])


def same_tree(a, b):
    ma = json.load(open(os.path.join(a, "manifest.json")))
    names = ma["files"] + ["truth.tsv", "manifest.json"]
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def matching_rules(work):
    """The scorer's rules on a hand-made truth and hand-made findings."""
    d = os.path.join(work, "rules")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "pos"))
    os.makedirs(os.path.join(d, "neg"))
    with open(os.path.join(d, "pos", "a.log"), "w") as f:
        f.write("x" * 200 + "\n")
    with open(os.path.join(d, "neg", "b.log"), "w") as f:
        f.write("y" * 50 + "\n")
    truth = [  # file offset length detector kind
        ("pos/a.log", 10, 10, "us_ssn", "value"),  # found exactly
        ("pos/a.log", 30, 10, "us_ssn", "value"),  # found by a partial overlap
        ("pos/a.log", 50, 10, "us_ssn", "value"),  # missed
        ("pos/a.log", 70, 20, "url_clickstream", "value"),
        ("pos/a.log", 75, 5, "email", "optional"),  # inside the URL: neither way
        ("pos/a.log", 100, 8, "ipv4", "background"),  # already in the base line: neither way
    ]
    with open(os.path.join(d, "truth.tsv"), "w") as f:
        f.write("file\toffset\tlength\tdetector\tkind\tlayout\tenc\tline\n")
        for t in truth:
            f.write("%s\t%d\t%d\t%s\t%s\tplain\traw\t1\n" % t)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump({"seed": 0, "per_detector": 0, "detectors": ["us_ssn", "url_clickstream", "email", "ipv4", "phone"],
                   "positive_dirs": ["pos"], "negative_dirs": ["neg"], "files": []}, f)
    finds = [
        ("pos/a.log", 10, 10, "us_ssn"),
        ("pos/a.log", 35, 10, "us_ssn"),
        ("pos/a.log", 36, 2, "us_ssn"),  # a second finding on the same span: correct, no 2nd TP
        ("pos/a.log", 70, 20, "url_clickstream"),
        ("pos/a.log", 75, 5, "email"),
        ("pos/a.log", 100, 8, "ipv4"),
        ("pos/a.log", 12, 6, "phone"),  # another detector on a truth span: FP of phone
        ("pos/a.log", 150, 9, "us_ssn"),  # on uninjected text: FP
        ("neg/b.log", 3, 9, "phone"),  # on the negative set
    ]
    with open(os.path.join(d, "findings.jsonl"), "w") as f:
        for fn, o, n, det in finds:
            f.write(json.dumps({"type": "finding", "path": fn, "line": 1, "column": o + 1, "offset": o,
                                "length": n, "detector": det, "match": "**"}) + "\n")
    out = os.path.join(d, "score.json")
    p = run([QUALITY, "--corpus", d, "--findings", os.path.join(d, "findings.jsonl"), "--json", out])
    check(p.returncode == 0, "scorer runs on hand-made findings")
    s = json.load(open(out))["detectors"]
    ssn = s["us_ssn"]
    check((ssn["injected"], ssn["found"], ssn["correct"], ssn["tp"], ssn["fp"], ssn["fn"], ssn["exact"])
          == (3, 4, 3, 2, 1, 1, 1), "rules: us_ssn injected 3, found 4, correct 3, TP 2, FP 1, FN 1, exact 1")
    check(abs(ssn["precision"] - 0.75) < 1e-9 and abs(ssn["recall"] - 2 / 3) < 1e-9, "rules: precision 3/4, recall 2/3")
    check(s["email"]["found"] == 0 and s["email"]["ignored"] == 1, "rules: a finding on an optional span is ignored")
    check(s["ipv4"]["found"] == 0 and s["ipv4"]["ignored"] == 1, "rules: a finding on a background span is ignored")
    check(s["phone"]["fp"] == 1 and s["phone"]["negatives"] == 1 and s["phone"]["precision"] == 0.0,
          "rules: another detector on a truth span is its FP; negative-set findings are counted apart")
    check(s["url_clickstream"]["tp"] == 1 and s["url_clickstream"]["fp"] == 0, "rules: nested value does not hide the outer one")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--piiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--spec", default=os.path.join(ROOT, "..", "shared", "spec", "detectors.tsv"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    c1, c2, c3 = (os.path.join(a.work, n) for n in ("c1", "c2", "c3"))

    check(gen(c1, 11).returncode == 0, "generator runs")
    check(gen(c2, 11).returncode == 0 and same_tree(c1, c2), "same seed, byte-identical corpus and truth")
    check(gen(c3, 12).returncode == 0 and not same_tree(c1, c3), "another seed, other bytes")

    p = run([sys.executable, GEN, "--verify", c1])
    print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "")
    check(p.returncode == 0, "every truth span inside its file, on its line, self-validated, no overlaps, none in neg/")

    man = json.load(open(os.path.join(c1, "manifest.json")))
    ids = man["detectors"]
    if os.path.exists(a.spec):
        with open(a.spec) as f:
            spec = [ln.split("\t")[0] for ln in f.read().splitlines()[1:] if ln.strip()]
        check(sorted(ids) == sorted(spec), "corpus covers exactly the %d ids of detectors.tsv" % len(spec))
    check(all(man["values"].get(d, 0) >= 80 for d in ids), "every detector injected in all four layouts")

    out = os.path.join(a.work, "score.json")
    env = dict(os.environ, PIISCAN=a.piiscan)
    p = run([QUALITY, "--corpus", c1, "--json", out, "--thresholds", THRESHOLDS], env=env)
    print(p.stdout)
    check(p.returncode in (0, 3) and os.path.exists(out), "scorer runs piiscan and writes JSON")
    if not os.path.exists(out):
        return 1
    s = json.load(open(out))
    rows = s["detectors"]
    check(sorted(rows) == sorted(ids), "a row for each of the %d ids" % len(ids))
    keys = {"injected", "found", "tp", "fp", "fn", "precision", "recall", "f1", "negatives", "exact"}
    check(all(keys <= set(r) for r in rows.values()), "each row has injected/found/TP/FP/FN/P/R/F1/negatives")
    check(all(rows[d]["tp"] + rows[d]["fn"] == rows[d]["injected"] for d in rows), "TP + FN = injected")
    check(s["errors"] == 0, "piiscan read the whole corpus without error records")
    check(s["overall_implemented"]["tp"] > 0, "piiscan finds injected values")
    check(p.returncode == 0, "bench/quality_thresholds.tsv holds: " + "; ".join(s.get("thresholds", {}).get("failures", [])))

    matching_rules(a.work)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Builds CVs of growing size for the benchmark.

    bench/gen.py [--example examples/academic-cv.yaml] OUTDIR 1 10 100

writes OUTDIR/cv-1x.yaml, OUTDIR/cv-10x.yaml, ...: the example with every
list of entries repeated N times (publication groups repeat their entries,
groups without entries repeat themselves).  The 1x file renders exactly
like the example.  Repetition keeps the text realistic: the same words,
markup, dates and fonts a real CV has, only more of them.
"""
import argparse
import copy
import os
import sys

import yaml


def grow(sec, n):
    """Repeats the entries of one section n times, in place."""
    if isinstance(sec.get("entries"), list):
        sec["entries"] = [copy.deepcopy(e) for _ in range(n) for e in sec["entries"]]
    groups = sec.get("groups")
    if isinstance(groups, list):
        if all(isinstance(g, dict) and isinstance(g.get("entries"), list) for g in groups):
            for g in groups:
                g["entries"] = [copy.deepcopy(e) for _ in range(n) for e in g["entries"]]
        else:
            sec["groups"] = [copy.deepcopy(g) for _ in range(n) for g in groups]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--example", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "examples",
        "academic-cv.yaml"))
    ap.add_argument("outdir")
    ap.add_argument("factors", nargs="+", type=int)
    a = ap.parse_args()
    with open(a.example, encoding="utf-8") as f:
        # BaseLoader keeps every scalar a string: "2021", "4.00" and
        # "present" come back exactly as written.
        cv = yaml.load(f, Loader=yaml.BaseLoader)
    os.makedirs(a.outdir, exist_ok=True)
    for n in a.factors:
        if n < 1:
            sys.exit("gen.py: a factor must be at least 1, found %d" % n)
        doc = copy.deepcopy(cv)
        for sec in doc.get("sections", []):
            if isinstance(sec, dict):
                grow(sec, n)
        path = os.path.join(a.outdir, "cv-%dx.yaml" % n)
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False,
                           default_style=None, width=1 << 20)
        print(path)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hostile sizes: how long cvpdf takes, and how much memory, on inputs at
the edge of what a CV may hold.

    bench/hostile.py [--cvpdf PATH] [--timeout S] [--only NAME,...]

Generates (in a temporary directory, each with its own fixed seed) and
renders:
  paragraph  a summary of one 1 MB paragraph;
  bibtex     a publications section reading a 100,000-entry BibTeX file
             (about 14 MB, under the 16 MiB cap);
  resume     a 400 kB JSON Resume, most of it one skill's keywords;
each with a page limit high enough to typeset everything, then the
BibTeX CV again with the default page limit, which stops the work as soon
as the limit is passed.  Prints wall time, peak RSS, pages and exit status
of one `cvpdf render` process per input.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = ("typesetting layout paragraph hyphenation kerning ligature glyph "
         "font measure justified ragged line break page column margin "
         "footnote heading section entry citation reference publication "
         "conference journal workshop research engineering efficient "
         "reliable document system parser renderer subset stream").split()


def words(rng, nbytes):
    """Text of about nbytes: words, a comma or full stop now and then."""
    out, n = [], 0
    while n < nbytes:
        w = rng.choice(WORDS)
        r = rng.random()
        if r < 0.08:
            w += ","
        elif r < 0.12:
            w += "."
        out.append(w)
        n += len(w) + 1
    return " ".join(out)[:nbytes]


def gen_paragraph(d, rng):
    text = words(rng, 1000000)
    path = os.path.join(d, "paragraph.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("name: Ada Lovelace\nsections:\n  - type: summary\n"
                "    title: Summary\n    text: \"%s\"\n" % text)
    return path


def gen_bibtex(d, rng):
    with open(os.path.join(d, "refs.bib"), "w", encoding="utf-8") as f:
        for i in range(100000):
            f.write("@article{key%06d, author = {Ada Lovelace and Charles "
                    "Babbage}, title = {%s}, journal = {Journal of %s}, "
                    "year = %d}\n" % (i, words(rng, 24).capitalize(),
                                       rng.choice(WORDS).capitalize(),
                                       1990 + i % 35))
    path = os.path.join(d, "bibtex.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("name: Ada Lovelace\nsections:\n  - type: publications\n"
                "    title: Publications\n    bibtex: refs.bib\n")
    return path


def gen_resume(d, rng):
    """Most of it one skill's keywords: the list a join must not copy per
    item; the rest work entries with highlights."""
    kws = ["%s%d" % (rng.choice(WORDS), k) for k in range(17000)]
    work = [{"name": "Company %d" % i, "position": "Engineer",
             "startDate": "2015-01-01", "endDate": "2020-01-01",
             "highlights": [words(rng, 80) for _ in range(3)]}
            for i in range(150)]
    doc = {"basics": {"name": "Ada Lovelace", "label": "Engineer"},
           "work": work, "skills": [{"name": "Tools", "keywords": kws}]}
    path = os.path.join(d, "resume.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    return path


def measure(cmd, timeout):
    """Runs cmd in a fresh Python child, so its peak RSS is its own."""
    prog = ("import os,sys,time,subprocess\n"
            "t=time.perf_counter()\n"
            "p=subprocess.Popen(sys.argv[2:],stdout=subprocess.DEVNULL,"
            "stderr=subprocess.PIPE)\n"
            "try:\n e=p.communicate(timeout=float(sys.argv[1]))[1]\n"
            "except subprocess.TimeoutExpired:\n p.kill(); e=p.communicate()[1]"
            "; p.returncode='timeout'\n"
            "import resource\n"
            "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "l=e.decode(errors='replace').strip().splitlines()\n"
            "l=[x for x in l if 'error:' in x][:1] or l\n"
            "print('%.3f %d %s %s'%(time.perf_counter()-t,r,p.returncode,"
            "l[-1] if l else ''))\n")
    out = subprocess.run([sys.executable, "-c", prog, str(timeout)] + cmd,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    wall, rss, rc, last = (out.strip().split(" ", 3) + [""])[:4]
    return float(wall), int(rss), rc, last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cvpdf", default=os.environ.get(
        "CVPDF_BIN", os.path.join(HERE, "..", "build", "core", "cvpdf")))
    ap.add_argument("--timeout", type=float, default=900,
                    help="seconds before a render is stopped")
    ap.add_argument("--only", default="paragraph,bibtex,resume,bibtex-limit")
    a = ap.parse_args()
    want = a.only.split(",")
    d = tempfile.mkdtemp(prefix="cvpdf-hostile-")
    inputs = {"paragraph": gen_paragraph, "bibtex": gen_bibtex,
              "resume": gen_resume}
    paths = {}
    for name, gen in inputs.items():
        if name in want or (name == "bibtex" and "bibtex-limit" in want):
            paths[name] = gen(d, random.Random(name))
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    print(a.cvpdf)
    print("%-13s %9s %9s %9s %6s %6s  %s" % ("input", "input kB", "seconds",
                                              "peak MB", "status", "pages",
                                              "error"))
    runs = [(n, paths.get(n), ["--max-pages", "1000000"]) for n in inputs]
    runs.append(("bibtex-limit", paths.get("bibtex"), []))
    for name, path, extra in runs:
        if name not in want or not path:
            continue
        pdf = os.path.join(d, name + ".pdf")
        size = os.path.getsize(path)
        if name.startswith("bibtex"):
            size += os.path.getsize(os.path.join(d, "refs.bib"))
        cmd = [a.cvpdf, "render", path, "-o", pdf] + extra
        wall, rss, rc, last = measure(cmd, a.timeout)
        m = re.search(r"\((\d+) pages?,", last)
        err = re.sub(r"^.*?error: ", "", last) if "error:" in last else ""
        print("%-13s %9.0f %9.2f %9.1f %6s %6s  %s"
              % (name, size / 1000, wall, rss / 1024, rc,
                 m.group(1) if m else "-", err[:60]))
        sys.stdout.flush()
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The man page and --help say what the code takes: every long option in
core/cli's option tables appears in the --help of cvpdf and in
docs/cvpdf.1, and every option those two name is one the code takes.
Prints each option missing anywhere and fails if there is one."""
import glob
import os
import re
import subprocess
import sys

BIN = os.environ.get("CVPDF_BIN", "build/core/cvpdf")
OPT = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\w*-])")
# Taken by main.c itself, before any command's table.
MAIN = {"--version", "--help"}


def code_options():
    """Long options of the getopt tables: {"name", ..._argument, ...}."""
    out = set(MAIN)
    for path in glob.glob("core/cli/*.c"):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        out |= {"--" + m for m in re.findall(
            r'\{[\s\\]*"([a-z][a-z0-9-]*)"\s*,\s*(?:no|required|optional)_argument',
            src)}
    return out


def help_options():
    run = subprocess.run([BIN, "--help"], capture_output=True, text=True)
    text = run.stdout + run.stderr
    for cmd in sorted(set(re.findall(r"^\s+cvpdf ([a-z]+)", text, re.M))):
        r = subprocess.run([BIN, cmd, "--help"], capture_output=True,
                           text=True)
        text += r.stdout + r.stderr
    return set(OPT.findall(text)), text


def main():
    code = code_options()
    helps, text = help_options()
    with open("docs/cvpdf.1", encoding="utf-8") as f:
        man = set(OPT.findall(f.read().replace("\\-", "-")))
    bad = 0
    for what, have in (("--help", helps), ("docs/cvpdf.1", man)):
        for o in sorted(code - have):
            print("not in %s: %s (the code takes it)" % (what, o))
            bad += 1
        for o in sorted(have - code):
            print("in %s but not taken by the code: %s" % (what, o))
            bad += 1
    print("%d long options in the code; --help names %d, the man page %d"
          % (len(code), len(helps), len(man)))
    if len(code) < 25 or "cvpdf render" not in text:
        print("too few options found: the tables or --help were not read")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Files stay under 1,000 lines and functions under 100 (the house rule):
lists every C file in core/ and plugins/ over the one and every function
over the other, and fails if there is any not in ALLOWED.

A function is counted from the line of its name to the line its body
closes on, comments and strings left out of the brace count; a body is
a top-level brace group that follows a closing parenthesis (so structs,
enums and initialisers are not functions)."""
import os
import re
import sys

MAX_FILE = 1000
MAX_FUNC = 100
# path:function that may stay longer for now, each with its reason.
ALLOWED = set()


def blank(m):
    """A comment or string as spaces, keeping its line breaks."""
    return re.sub(r"[^\n]", " ", m.group(0))


def strip(src):
    token = re.compile(
        r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
        re.S)
    return token.sub(blank, src)


def declarator(s, brace):
    """The name before the parameter list that ends just before s[brace],
    and where it is."""
    i = brace - 1
    while i >= 0 and s[i].isspace():
        i -= 1
    depth = 0
    while i >= 0:
        if s[i] == ")":
            depth += 1
        elif s[i] == "(":
            depth -= 1
            if depth == 0:
                break
        i -= 1
    lo = max(0, i - 200)
    m = re.search(r"(\w+)\s*$", s[lo:max(0, i)])
    return (m.group(1), lo + m.start(1)) if m else ("?", brace)


def functions(src):
    """(name, first line, length) of each function body in src."""
    s = strip(src)
    depth, line, start, prev, head = 0, 1, None, "", 0
    for i, ch in enumerate(s):
        if ch == "\n":
            line += 1
        elif ch == "{":
            if depth == 0 and prev == ")":
                start, head = line, i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and start is not None:
                name, at = declarator(s, head)
                first = s.count("\n", 0, at) + 1
                yield name, first, line - first + 1
                start = None
        if not ch.isspace():
            prev = ch


def main(root):
    bad = 0
    for top in ("core", "plugins"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    src = fh.read()
                n = src.count("\n")
                if n > MAX_FILE:
                    print(f"FAIL - {rel}: {n} lines (at most {MAX_FILE})")
                    bad += 1
                for name, first, length in functions(src):
                    if length <= MAX_FUNC:
                        continue
                    key = f"{rel}:{name}"
                    if key in ALLOWED:
                        print(f"allowed - {rel}:{first} {name}: {length} lines")
                        continue
                    print(f"FAIL - {rel}:{first} {name}: {length} lines "
                          f"(at most {MAX_FUNC})")
                    bad += 1
    print(f"{bad} over the limits")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(os.environ.get("MESON_SOURCE_ROOT", ".")))

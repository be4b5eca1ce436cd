#!/usr/bin/env python3
"""Each list's /ListNumbering against the marks it draws.

  listnumbering.py FILE.pdf...   one line a wrong list; exit 1 if any

Reads the structure tree as `pdfinfo -struct-text` gives it.  A list
whose items have labels (Lbl) says Disc for "•", Circle for "◦", Square
for "■" or "▪", Decimal, LowerAlpha, UpperAlpha, LowerRoman or UpperRoman
for numbers in that scheme (and then its n-th label holds n), and None
for any other mark or label (a dash, a pair's word).
"""
import re
import subprocess
import sys

BULLETS = {"Disc": "•●", "Circle": "◦○", "Square": "■▪"}


def roman(s):
    vals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    n = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        n += -v if vals.get(b, 0) > v else v
    return n


def alpha(s):
    n = 0
    for ch in s:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n


SCHEMES = {
    "Decimal": (r"\d+", int),
    "LowerAlpha": (r"[a-z]+", alpha),
    "UpperAlpha": (r"[A-Z]+", lambda s: alpha(s.lower())),
    "LowerRoman": (r"[ivxlcdm]+", roman),
    "UpperRoman": (r"[IVXLCDM]+", lambda s: roman(s.lower())),
}


def tree(pdf):
    """The structure as nested [role, attrs, texts, kids] lists."""
    out = subprocess.run(["pdfinfo", "-struct-text", pdf], capture_output=True,
                         text=True, check=True).stdout
    root = ["", {}, [], []]
    stack = [(-1, root)]
    for line in out.split("\n"):
        s = line.lstrip(" ")
        if not s:
            continue
        depth = len(line) - len(s)
        while stack[-1][0] >= depth:
            stack.pop()
        node = stack[-1][1]
        if s.startswith('"'):
            node[2].append(s.strip('"'))
        elif s.startswith("/"):
            m = re.match(r"/(\w+) /?(\S+)", s)
            if m:
                node[1][m.group(1)] = m.group(2)
        elif not s.startswith("Object"):
            kid = [s.split(" ")[0].rstrip(":"), {}, [], []]
            node[3].append(kid)
            stack.append((depth, kid))
    return root


def label(li):
    for k in li[3]:
        if k[0] == "Lbl":
            return "".join(k[2]).strip()
    return None


def check_list(l, bad, where):
    items = [k for k in l[3] if k[0] == "LI"]
    labels = [label(li) for li in items]
    if all(x is None for x in labels):
        return
    num = l[1].get("ListNumbering")
    if not num:
        bad.append(f"{where}: a list with labels {labels[:3]} has no ListNumbering")
        return
    for n, lab in enumerate(labels, 1):
        if lab is None:
            continue
        if num in BULLETS:
            ok = lab in BULLETS[num]
        elif num in SCHEMES:
            pat, value = SCHEMES[num]
            m = re.fullmatch(r"\W*(" + pat + r")\W*", lab)
            ok = bool(m) and value(m.group(1)) == n
        elif num == "None":
            ok = not any(lab in marks for marks in BULLETS.values()) and \
                not re.fullmatch(r"\W*\d+\W*", lab)
        else:
            ok = False
        if not ok:
            bad.append(f"{where}: /ListNumbering /{num} but item {n} is marked {lab!r}")
            return


def walk(node, bad, where):
    if node[0] == "L":
        check_list(node, bad, where)
    for k in node[3]:
        walk(k, bad, where)


def main(argv):
    bad = []
    for pdf in argv[1:]:
        walk(tree(pdf), bad, pdf)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

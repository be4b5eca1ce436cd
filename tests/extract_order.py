#!/usr/bin/env python3
"""Content order as text extractors read it.

For every example in every layout, the PDF is read by three extractors that
follow the content streams (pdftotext -raw, mutool draw -F txt, and
pdfminer's pdf2txt, which groups characters in drawing order and so splits a
list mark drawn away from its text), and compared with the source:

  mark   each item of a bulleted or numbered list comes out right after its
         mark ("• Led the team", not "Led the team" ... "•");
  head   each entry's head (the plain text fields of the mapping that holds
         a list: organisation, title, location, ...) that the page shows
         above the list's first item (pdftotext -layout) comes out before
         that item;
  alone  no line holds a list mark and nothing else (a count of failures);
  split  no word hyphenated at a line end comes out as "word-" / "rest"
         (whole, or joined by U+00AD, which extractors drop, is right).

Which items print as bullets is read from the page itself: pdftotext's
physical layout shows a mark to their left.  Exits 1 when
any count is not perfect; --report prints the counts only (exit 0).
Environment: CVPDF_BIN (the cvpdf binary).
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

MARKS = "\u2022\u2023\u25e6\u2043\u2219\u00b7\u25aa\u25cf\u25cb\u2013\u2014\u2212-"
MARK = r"(?:[" + MARKS + r"]|\(?\d{1,3}[.)])"
ALONE = re.compile(r"^\s*" + MARK + r"\s*$")
DATE_KEYS = {"start", "end", "date", "year", "month"}
SKIP_KEYS = {"type", "layout", "theme", "url", "href", "link", "doi", "icon",
             "id", "label", "tags", "only", "bib", "file", "style"}
# pdfminer's default analysis orders text boxes by their geometry, not by
# the content stream: a right-aligned location a few points below the one
# of the entry before joins that column.  Its head count is reported, not
# required.
INFORMATIVE = {("head", "pdfminer")}
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def words(s):
    """Lower-case words of markup text, as an extractor would give them."""
    s = unicodedata.normalize("NFKC", LINK.sub(r"\1", s))
    s = re.sub(r"(\*\*|__|\*|_|`|~~)", "", s).replace("\u00ad", "")
    return [w for w in re.split(r"[^\w]+", s.lower()) if w]


def flat(text):
    """Extracted text as one lower-case string of words and marks."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad\n", "")
    text = text.replace("\u00ad", "").lower()
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


def phrase(ws, n=3):
    return r"\W+".join(re.escape(w) for w in ws[:n])


def marked(ws):
    """A mark, then the item's first words (after at most three words a
    plugin may put first: "Advisor: Prof." before a name)."""
    return re.compile(MARK + r" (?:[^\s" + MARKS + r"]+ ){0,3}?" + phrase(ws))


def lists_of(node, out):
    """(head strings, item strings) of every mapping holding a string list."""
    if isinstance(node, dict):
        heads = [v for k, v in node.items() if isinstance(v, str)
                 and str(k).lower() not in DATE_KEYS | SKIP_KEYS
                 and not re.match(r"^(https?://|mailto:|tel:)", v)]
        for k, v in node.items():
            if str(k).lower() in SKIP_KEYS:
                continue
            if (isinstance(v, list) and v and all(isinstance(x, str) for x in v)):
                out.append((heads, v))
                heads = []  # a second list follows the first, not the head
            else:
                lists_of(v, out)
    elif isinstance(node, list):
        for v in node:
            lists_of(v, out)
    return out


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(" ".join(cmd) + ": " + p.stderr.strip()[-300:])
    return p.stdout


def extractors():
    pdfminer = shutil.which("pdf2txt") or shutil.which("pdf2txt.py")
    tools = {"pdftotext -raw": lambda f: run(["pdftotext", "-raw", f, "-"]),
             "mutool": lambda f: run(["mutool", "draw", "-q", "-F", "txt", f])}
    if pdfminer:
        tools["pdfminer"] = lambda f: run([pdfminer, f])
    return tools


def check(source, text, bulleted, expected_heads, counts):
    flt = flat(text)
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    alone = sum(1 for ln in lines if ALONE.match(ln))
    counts["alone"][1] += alone  # each of them a failure: none is good
    for a, b in zip(lines, lines[1:]):
        m1, m2 = re.search(r"(\w+)-$", a), re.match(r"\s*(\w+)", b)
        if m1 and m2:
            counts["split"][1] += 1
            joined = (m1.group(1) + m2.group(1)).lower()
            if joined not in source["words"] or joined in source["hyphenated"]:
                counts["split"][0] += 1
    for ws in (ws for _, items in bulleted for ws in items):
        counts["mark"][1] += 1
        if marked(ws).search(flt):
            counts["mark"][0] += 1
    got = heads_before(flt, bulleted)
    counts["head"][1] += len(expected_heads)
    counts["head"][0] += len(expected_heads & got)


def heads_before(flt, bulleted):
    """(list number, head) of each head found before its list's first item
    (after the previous list's first item)."""
    found, cursor = set(), 0
    for k, (heads, items) in enumerate(bulleted):
        m = re.compile(phrase(items[0])).search(flt, cursor)
        if not m:
            continue
        for h in heads:
            hw = words(h)
            if hw and re.compile(phrase(hw)).search(flt, cursor, m.start()):
                found.add((k, h))
        cursor = m.end()
    return found


def main(argv):
    import yaml
    report = "--report" in argv
    binary = os.environ.get("CVPDF_BIN", "build/core/cvpdf")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    tools = extractors()
    examples = sorted(glob.glob("examples/*.yaml"))
    layouts = sorted(os.path.basename(p)[:-5] for p in glob.glob("layouts/*.yaml"))
    total = {t: {k: [0, 0] for k in ("mark", "head", "alone", "split")}
             for t in tools}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ex in examples:
            doc = yaml.safe_load(open(ex, encoding="utf-8"))
            src_all = open(ex, encoding="utf-8").read().lower()
            source = {"words": set(re.findall(r"\w+", src_all)),
                      "hyphenated": {m.replace("-", "") for m in
                                     re.findall(r"\w+(?:-\w+)+", src_all)}}
            for lay in layouts:
                pdf = os.path.join(tmp, f"{lay}-{os.path.basename(ex)}.pdf")
                subprocess.run([binary, "render", "-q", ex, "--layout", lay,
                                "-o", pdf], check=True)
                # a mark that starts a line or a column (after 2 spaces)
                physical = [flat(c) for ln in
                            run(["pdftotext", "-layout", pdf, "-"]).splitlines()
                            for c in re.split(r"\s\s+", ln.strip())]
                bulleted = []
                for h, items in lists_of(doc, []):
                    shown = [ws for ws in map(words, items) if ws and any(
                        marked(ws).match(c) for c in physical)]
                    if shown:
                        bulleted.append((h, shown))
                # heads a reader sees above their list
                expected = heads_before(" ".join(physical), bulleted)
                for name, tool in tools.items():
                    c = {k: [0, 0] for k in ("mark", "head", "alone", "split")}
                    check(source, tool(pdf), bulleted, expected, c)
                    for k, (good, n) in c.items():
                        total[name][k][0] += good
                        total[name][k][1] += n
                    bad = {k: f"{g}/{n}" for k, (g, n) in c.items()
                           if g != n and (k, name) not in INFORMATIVE}
                    if bad:
                        failed += 1
                        print(f"FAIL - {name} {ex} --layout {lay}: {bad}")
                    elif not report:
                        print(f"ok - {name} {ex} --layout {lay}")
    for name, c in total.items():
        print(f"# {name:15} marks before their item {c['mark'][0]}/{c['mark'][1]}, "
              f"heads before their list {c['head'][0]}/{c['head'][1]}, "
              f"lines with a mark alone {c['alone'][1]}, "
              f"line-end hyphens that are words' own {c['split'][0]}/{c['split'][1]}")
    if "pdfminer" not in tools:
        print("# pdfminer (pdf2txt) not found: install python3-pdfminer")
        return 0 if report else 1
    return 0 if report or failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

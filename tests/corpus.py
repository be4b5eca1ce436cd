#!/usr/bin/env python3
"""Real RenderCV and JSON Resume files, as their authors published them
(tests/corpus/, sources in tests/corpus/SOURCES.md), rendered one by one,
offline (--offline, with an empty photo cache): it never uses the network.

For each file it measures:
  text   the share of the input's printed strings found in the PDF's text
         (pdftotext -raw; Markdown marks and whitespace left out of both
         sides, case folded, so a line break or small capitals do not count)
  size   whether the page size is the one the file asks for (RenderCV's
         design page size; its default is US Letter); '-' when the format
         has no page size
  dates  date strings printed: an ISO date's year, any other date as written
  dois   DOIs printed as text
  warn   warnings about a field the format documents (any key under
         RenderCV's design:, settings: or locale:); a warning listed
         in EXPECTED for that file is the behaviour the format's rules
         ask for, and is counted apart (as "+N") when the value it names
         is printed, so it is no loss
and prints the table.  A file meets the bar when it renders, text >= 98 %,
the size is right, every date and DOI is there and no warning concerns a
documented field.  Files in PENDING are known not to meet it yet: the test
fails when another file misses the bar, and when a PENDING file meets it
(so the list only shrinks)."""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

CVPDF = os.environ.get("CVPDF_BIN", "build/core/cvpdf")
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
MIN_TEXT = 0.98
# Files that do not meet the bar yet, and what they miss.
PENDING = {
}

# Warnings a file is meant to get, with why: (file, pattern, reason).  A
# pattern's group is the value the warning names, which must be printed.
# The test runs offline (CI has no network beyond Debian's mirrors), with
# an empty photo cache: a photo given as a web address is not printed.
PHOTO_URL = (r"photo 'https://[^']*' is not printed: --offline fetches "
             r"nothing, and the photo cache \('[^']*'\) has no copy of it")
PHOTO_WHY = "web photo; the test runs offline"
# Design keys with no cvpdf counterpart.
DEGREE_WIDTH = (r"RenderCV design\.margins\.entry_area\."
                r"education_degree_width '[^']*' has no cvpdf counterpart: "
                r"cvpdf prints the degree on the entry's row, not in a "
                r"column of its own; left out")
DEGREE_WIDTH_WHY = ("no cvpdf counterpart: RenderCV's classic theme sets the "
                    "degree in a column of its own left of the entry; cvpdf "
                    "prints it on the entry's row (the degree itself is "
                    "printed)")
DATE_TEMPLATE = (r"RenderCV design\.templates\.single_date has no cvpdf "
                 r"counterpart \(MONTH_ABBREVIATION YEAR, MONTH_NAME YEAR, "
                 r"MONTH_IN_TWO_DIGITS/YEAR or YEAR\); left out")
DATE_TEMPLATE_WHY = ("no cvpdf counterpart: a date template that prints the "
                     "month twice ('MONTH_NAME (MONTH_ABBREVIATION) YEAR'); "
                     "cvpdf's dates: month takes one form of the month")
LINK_ICON = (r"RenderCV design\.disable_external_link_icons 'false' has no "
             r"cvpdf counterpart: cvpdf draws no icon after a link; left out")
LINK_ICON_WHY = ("no cvpdf counterpart: the author asks for RenderCV's icon "
                 "after each link; cvpdf links the text and draws no icon "
                 "after it")
EXPECTED = [
    ("rcvgo-locale-overrides-fr.yaml", DATE_TEMPLATE, DATE_TEMPLATE_WHY),
    ("rcv-v1.18-classic.yaml", DEGREE_WIDTH, DEGREE_WIDTH_WHY),
    ("rcv-v1.18-classic.yaml", LINK_ICON, LINK_ICON_WHY),
    ("jr-org-complete.json", PHOTO_URL, PHOTO_WHY),
    ("jr-org-resume-sample.json", PHOTO_URL, PHOTO_WHY),
    ("jr-zh-article.json",
     r"JSON Resume field '\w+' expected an ISO 8601 date such as "
     r"2014-06-29, 2014-06 or 2014, found '([^']*)'; it is printed as written",
     "JSON Resume's schema asks for ISO 8601 dates; the author wrote "
     "'2021/07', which cvpdf prints as written after this warning"),
]

# Keys whose values are not printed as text (links, pictures, settings).
NOT_PRINTED = {
    "url", "website", "image", "picture", "photo", "network", "countryCode",
    "icon", "canonical", "lastModified", "theme", "version", "$schema",
    "start_date", "end_date", "date", "startDate", "endDate", "releaseDate",
    "doi", "username", "section_order", "postalCode", "region",
    "transcript_url", "entry_type",
}
DATE_KEYS = {"start_date", "end_date", "date", "startDate", "endDate",
             "releaseDate"}
# Keys RenderCV and JSON Resume document (a warning about one is a loss).
DOCUMENTED = {
    "name", "label", "headline", "location", "email", "phone", "website",
    "photo", "social_networks", "custom_connections", "sections", "summary",
    "highlights", "institution", "area", "degree", "company", "position",
    "start_date", "end_date", "date", "title", "authors", "doi", "url",
    "journal", "details", "bullet", "number", "reversed_number", "text",
    "design", "locale", "settings", "rendercv_settings", "locale_catalog",
    "language", "page", "colors", "typography", "links", "header",
    "section_titles", "entries", "highlights", "theme", "font", "font_size",
    "page_size", "color", "margins", "basics", "work", "volunteer",
    "education", "awards", "certificates", "publications", "skills",
    "languages", "interests", "references", "projects", "meta", "image",
    "profiles", "studyType", "score", "courses", "startDate", "endDate",
    "awarder", "issuer", "publisher", "releaseDate", "level", "keywords",
    "fluency", "reference", "description", "roles", "entity", "type",
    "address", "postalCode", "city", "countryCode", "region", "organization",
    "current_date", "bold_keywords", "present", "month_abbreviations",
    "placeholder", "fontawesome_icon",
}
# RenderCV's top-level keys whose every key is documented: a warning about
# any key beneath them is a loss, whatever its leaf's name.
DOCUMENTED_TREES = {"design", "settings", "locale", "rendercv_settings",
                    "locale_catalog"}


def is_rendercv(doc):
    return isinstance(doc, dict) and "cv" in doc


def strings(node, key=None, out=None, rendercv=False):
    """Every scalar a reader should see, with the key it sits under.
    RenderCV prints " - " in a highlight as the start of a sub-bullet, so
    there each part is a string of its own."""
    if out is None:
        out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) in NOT_PRINTED:
                continue
            strings(v, str(k), out, rendercv)
    elif isinstance(node, list):
        for v in node:
            strings(v, key, out, rendercv)
    elif isinstance(node, str) and node.strip():
        if rendercv and key == "highlights":
            out.extend(p for p in node.split(" - ") if p.strip())
        else:
            out.append(node)
    return out


def values_of(node, keys, out=None):
    if out is None:
        out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) in keys and isinstance(v, (str, int)) and str(v).strip():
                out.append(str(v))
            else:
                values_of(v, keys, out)
    elif isinstance(node, list):
        for v in node:
            values_of(v, keys, out)
    return out


def norm(s):
    """Markdown links to their text, marks, typographic quotes and all
    whitespace out, folded."""
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = s.replace("**", "").replace("*", "").replace("`", "")
    s = s.replace("\\", "")
    # Typographic quotes as the straight ones they were typed as.
    s = s.translate(str.maketrans("\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb",
                                  "\'\'\'\"\"\"\"\""))
    s = re.sub(r"[\s\u00ad]+", "", s)
    return s.casefold()


def pdf_text(pdf):
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True).stdout
    joined = re.sub(r"-\n", "", raw)        # a word hyphenated at a break
    return norm(raw), norm(joined)


def page_size(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True,
                          text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    if not m:
        return None
    w, h = float(m.group(1)), float(m.group(2))
    if abs(w - 612) < 2 and abs(h - 792) < 2:
        return "letter"
    if abs(w - 595.3) < 2 and abs(h - 841.9) < 2:
        return "a4"
    return "%gx%g" % (w, h)


def wanted_size(doc):
    """The page size a RenderCV file asks for; None for JSON Resume."""
    if not is_rendercv(doc):
        return None
    design = doc.get("design") or {}
    size = (design.get("page") or {}).get("size") if isinstance(
        design.get("page"), dict) else None
    size = size or design.get("page_size")
    if not size:
        return "letter"
    size = str(size).lower()
    if size.startswith("a4"):
        return "a4"
    if "letter" in size:
        return "letter"
    return size


# LaTeX math in RenderCV text ("$$...$$", or "$...$" by Pandoc's rule):
# typeset as math by RenderCV, printed as text by cvpdf ("O(n²)"), so only
# the text round it is looked for here; tests/inputs.sh checks the math.
MATH = re.compile(r"\$\$.+?\$\$|\$(?=\S).+?(?<=\S)\$(?!\d)")


def found(s, texts):
    pieces = [norm(p) for p in MATH.sub("\0", s).split("\0")]
    return any(all(p in t for p in pieces if p) for t in texts)


def date_found(d, texts):
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d):
        return any(d[:4] in t for t in texts)
    if d.strip().casefold() in ("present", ""):
        return True
    return found(d, texts)


KEY = re.compile(r'(\s*(?:-\s+)?)"?([A-Za-z_$][\w$]*)"?\s*:')


def key_path(path, line):
    """The keys from the top of the file down to the key on `line` (by
    indentation, so YAML; in JSON only the key itself), or []."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()[:line]
    except OSError:
        return []
    if len(lines) < line:
        return []
    m = KEY.match(lines[-1])
    if not m:
        return []
    if path.endswith(".json"):
        return [m.group(2)]
    stack = []  # (indent, key) of the keys that enclose the next line
    for text in lines:
        k = KEY.match(text)
        if not k or text.lstrip().startswith("#"):
            continue
        indent = len(k.group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, k.group(2)))
    return [key for _, key in stack]


def documented(keys):
    """Whether a warning at the key path `keys` concerns a documented
    field: one under a RenderCV top-level key whose keys are all
    documented, or a documented key itself."""
    return bool(keys) and (keys[0] in DOCUMENTED_TREES
                           or keys[-1] in DOCUMENTED)


def expected_warning(path, message, texts):
    """The reason EXPECTED gives for message in path (the value it names
    printed), or None."""
    name = os.path.basename(path)
    for f, pattern, why in EXPECTED:
        m = re.fullmatch(pattern, message) if f == name else None
        if m and (not m.groups() or found(m.group(1), texts)):
            return why
    return None


def documented_warnings(path, stderr, texts):
    """The warnings about a documented field, and those of them EXPECTED."""
    out, expected = [], []
    for m in re.finditer(r"^(.*?):(\d+):(\d+): warning: (.*)$", stderr, re.M):
        keys = key_path(path, int(m.group(2)))
        if not documented(keys):
            continue
        line = "%s:%s %s" % (m.group(2), ".".join(keys), m.group(4)[:60])
        why = expected_warning(path, m.group(4), texts)
        if why:
            expected.append((line, why))
        else:
            out.append(line)
    return out, expected


def measure(path, tmp):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    doc = json.loads(src) if path.endswith(".json") else yaml.safe_load(src)
    body = doc["cv"] if is_rendercv(doc) else doc
    if not is_rendercv(doc) and isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "meta"}
    pdf = os.path.join(tmp, os.path.basename(path) + ".pdf")
    cache = os.path.join(tmp, "cache")  # empty: nothing is fetched
    os.makedirs(cache, exist_ok=True)
    run = subprocess.run([CVPDF, "render", "--offline", path, "-o", pdf],
                         capture_output=True, text=True,
                         env=dict(os.environ, XDG_CACHE_HOME=cache))
    row = {"file": os.path.basename(path), "rc": run.returncode}
    if run.returncode != 0 or not os.path.exists(pdf):
        row["error"] = run.stderr.strip().splitlines()[0] if run.stderr else ""
        return row
    texts = pdf_text(pdf)
    printed = strings(body, rendercv=is_rendercv(doc))
    missing = [s for s in printed if not found(s, texts)]
    row["text"] = 1 - len(missing) / len(printed) if printed else 1.0
    row["missing"] = missing
    want, got = wanted_size(doc), page_size(pdf)
    row["size"] = "-" if want is None else ("ok" if want == got else
                                           "%s!=%s" % (got, want))
    dates = values_of(body, DATE_KEYS)
    row["dates_missing"] = [d for d in dates if not date_found(d, texts)]
    row["dates"] = (len(dates) - len(row["dates_missing"]), len(dates))
    dois = values_of(body, {"doi"})
    row["dois_missing"] = [d for d in dois if not found(d, texts)]
    row["dois"] = (len(dois) - len(row["dois_missing"]), len(dois))
    row["warnings"], row["expected"] = documented_warnings(path, run.stderr,
                                                           texts)
    return row


def meets_bar(row):
    return (row["rc"] == 0 and "error" not in row
            and row["text"] >= MIN_TEXT and row["size"] in ("-", "ok")
            and not row["dates_missing"] and not row["dois_missing"]
            and not row["warnings"])


def show(row):
    if "error" in row:
        return "%-36s  FAILS  %s" % (row["file"], row["error"][:90])
    warn = "%d" % len(row["warnings"])
    if row["expected"]:
        warn += "+%d" % len(row["expected"])
    return "%-36s %6.1f%% %-12s %5s %5s %4s  %s" % (
        row["file"], 100 * row["text"], row["size"],
        "%d/%d" % row["dates"], "%d/%d" % row["dois"], warn,
        "meets" if meets_bar(row) else "below")


def main():
    files = sorted(f for f in os.listdir(CORPUS)
                   if f.endswith((".yaml", ".yml", ".json")))
    verbose = "-v" in sys.argv
    bad = []
    print("%-36s %7s %-12s %5s %5s %4s" % ("file", "text", "size", "dates",
                                          "dois", "warn"))
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(os.path.join(CORPUS, f), tmp) for f in files]
    for row in rows:
        print(show(row))
        if verbose and "error" not in row:
            for s in row["missing"]:
                print("    missing text: %r" % s[:100])
            for d in row["dates_missing"]:
                print("    missing date: %r" % d)
            for d in row["dois_missing"]:
                print("    missing DOI: %r" % d)
            for w in row["warnings"]:
                print("    warning: %s" % w)
            for w, _ in row["expected"]:
                print("    expected warning: %s" % w)
        ok = meets_bar(row)
        if not ok and row["file"] not in PENDING:
            bad.append(row["file"] + " is below the bar")
        if ok and row["file"] in PENDING:
            bad.append(row["file"] + " now meets the bar: take it off PENDING")
    met = sum(1 for r in rows if meets_bar(r))
    rendered = sum(1 for r in rows if "error" not in r)
    print("%d files: %d render, %d meet the bar" % (len(rows), rendered, met))
    for f, _, why in EXPECTED:
        print("expected warnings in %s: %s" % (f, why))
    why = [w for r in rows if "error" not in r for _, w in r["expected"]]
    print("%d expected warnings about documented fields:" % len(why))
    for reason in sorted(set(why), key=why.count, reverse=True):
        print("  %d  %s" % (why.count(reason), reason))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

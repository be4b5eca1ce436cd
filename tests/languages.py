#!/usr/bin/env python3
"""Every language cvpdf has a locale file for (locales/*.yaml, at least 20):
a CV in that language prints its month names and month-and-year dates as
CLDR writes them (read here from the CLDR data files Debian ships in
unicode-cldr-core, not from ICU, which cvpdf uses), and the word for
"present" its locale file gives, never the English one; a CV's own words
override the locale's.  A Korean and a Chinese CV have no Latin letter in
their dates (nor anywhere, being written in their scripts only), and no
language whose script needs no hyphenation gets a warning about it."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

CVPDF = os.environ.get("CVPDF_BIN", "build/core/cvpdf")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCALES = os.path.join(ROOT, "locales")
CLDR = "/usr/share/unicode/cldr/common/main"
HYPHEN = "/usr/share/hyphen"
# Debian 12 ships CLDR 41's files but ICU 72 carries CLDR 42, in which
# Dutch month abbreviations lost their full stop ("sep." -> "sep"): for
# these the stop is not compared.
CLDR_42_STOPS = {"nl"}
# Right-to-left text comes out of pdftotext reordered, with bidi marks:
# for these each word of the date is looked for on its own (a number in
# an Arabic line may come out reversed).
RTL = {"ar", "fa", "he"}
DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
failures = []


def check(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures.append(what)


def cldr_tree(lang):
    """The CLDR files a language reads, most specific first."""
    chain = [lang]
    if lang in ("nb", "nn"):
        chain.append("no")
    chain.append("root")
    return [ET.parse(os.path.join(CLDR, l + ".xml")) for l in chain
            if os.path.exists(os.path.join(CLDR, l + ".xml"))]


def cldr_find(trees, path):
    for t in trees:
        g = t.find(".//calendars/calendar[@type='gregorian']")
        n = g.find(path) if g is not None else None
        if n is not None and n.text:
            return n.text
    return None


def numbering(trees):
    for t in trees:
        n = t.find(".//numbers/defaultNumberingSystem")
        if n is not None and n.text:
            return n.text
    return "latn"


def cldr_month_year(lang, year, month):
    """CLDR's yMMM pattern for lang, filled in by hand."""
    trees = cldr_tree(lang)
    pattern = cldr_find(trees, ".//availableFormats/dateFormatItem[@id='yMMM']")
    digits = DIGITS.get(numbering(trees))

    def num(n):
        s = str(n)
        return "".join(digits[int(c)] for c in s) if digits else s

    def month_name(ctx, width):
        return cldr_find(trees, ".//months/monthContext[@type='%s']/monthWidth"
                         "[@type='%s']/month[@type='%d']" % (ctx, width, month))

    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            j = pattern.index("'", i + 1)
            out += pattern[i + 1:j] or "'"
            i = j + 1
            continue
        j = i
        while j < len(pattern) and pattern[j] == c:
            j += 1
        n = j - i
        if c == "y":
            out += num(year)
        elif c in "ML":
            ctx = "format" if c == "M" else "stand-alone"
            if n >= 3:
                out += month_name(ctx, "abbreviated" if n == 3 else "wide")
            else:
                out += num(month).rjust(n, "0") if n == 2 else num(month)
        else:
            out += pattern[i:j]
        i = j
    return out


def norm(s):
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]+", "", s)


def printed(want, txt, lang):
    flat = norm(txt)
    if lang in CLDR_42_STOPS:
        want, flat = want.replace(".", ""), flat.replace(".", "")
    if lang in RTL:
        return all(norm(w) in flat or norm(w)[::-1] in flat
                   for w in want.split())
    return norm(want) in flat


def render(tmp, name, text):
    src = os.path.join(tmp, name + ".yaml")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    pdf = os.path.join(tmp, name + ".pdf")
    run = subprocess.run([CVPDF, "render", src, "-o", pdf, "--layout",
                          "classic"], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr
    txt = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True).stdout
    return txt, run.stderr


CV = """name: Test
language: {lang}
sections:
  - type: roles
    title: Roles
    entries:
      - {{title: A, organisation: B, start: 2019-09, end: present}}
      - {{title: C, organisation: D, start: 2017-05, end: 2019-03}}
"""


def test_language(tmp, lang, words):
    txt, err = render(tmp, lang, CV.format(lang=lang))
    if txt is None:
        check(False, "%s renders (%s)" % (lang, err.strip()[:120]))
        return
    for y, m in ((2019, 9), (2017, 5), (2019, 3)):
        want = cldr_month_year(lang, y, m)
        check(printed(want, txt, lang),
              "%s: %d-%02d printed as CLDR writes it, %r" % (lang, y, m, want))
    present = words["present"]
    check(printed(present, txt, lang), "%s: 'present' is %r" % (lang, present))
    if lang != "en":
        check("present" not in txt, "%s: no English 'present'" % lang)
    check("hyphenation" not in err,
          "%s: no warning about hyphenation patterns" % lang)
    # A locale file that says Debian ships no patterns for its language
    # (so that none is asked for) is right about it.
    with open(os.path.join(LOCALES, lang + ".yaml"), encoding="utf-8") as f:
        claims_none = yaml.safe_load(f).get("hyphenation_patterns") is False
    if claims_none:
        have = [n for n in os.listdir(HYPHEN)
                if re.match(r"hyph_%s([._-]|$)" % lang, n)]
        check(not have, "%s: no patterns in %s, as locales/%s.yaml says "
              "(found %s)" % (lang, HYPHEN, lang, have))


CJK = {
    "ko": ("홍길동", "경력", "연구원", "한국대학교"),
    "zh": ("王小明", "工作经历", "研究员", "示范大学"),
}


def test_cjk(tmp, lang):
    name, title, role, org = CJK[lang]
    text = ("name: %s\nlanguage: %s\nsections:\n  - type: roles\n"
            "    title: %s\n    entries:\n"
            "      - {title: %s, organisation: %s, start: 2020-03, "
            "end: present}\n"
            "      - {title: %s, organisation: %s, start: 2016-11, "
            "end: 2020-02}\n" % (name, lang, title, role, org, role, org))
    txt, err = render(tmp, lang + "-cv", text)
    if txt is None:
        check(False, "%s CV renders (%s)" % (lang, err.strip()[:120]))
        return
    latin = re.findall(r"[A-Za-z]+", txt)
    check(not latin, "%s CV: no Latin letters, found %r" % (lang, latin[:5]))
    check(not err.strip() or "warning" not in err,
          "%s CV: no warning, got %r" % (lang, err.strip()[:120]))


def test_override(tmp):
    text = ("name: Test\nlanguage: es\ntheme:\n  words:\n"
            "    es: {present: hoy}\nsections:\n  - type: roles\n"
            "    title: R\n    entries:\n      - {title: A, organisation: B, "
            "start: 2019-09, end: present}\n")
    txt, err = render(tmp, "override", text)
    check(txt is not None and "hoy" in txt and "actualidad" not in txt,
          "a CV's words override the locale file's")


def test_jsonresume_script(tmp):
    """JSON Resume has no language field: a Chinese one is read as zh."""
    src = os.path.join(tmp, "zh.json")
    with open(src, "w", encoding="utf-8") as f:
        f.write('{"basics": {"name": "王小明", "summary": "软件工程师。"},\n'
                ' "work": [{"name": "示范公司", "position": "工程师",'
                ' "startDate": "2020-03"}]}\n')
    pdf = os.path.join(tmp, "zh-json.pdf")
    run = subprocess.run([CVPDF, "render", src, "-o", pdf],
                         capture_output=True, text=True)
    txt = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True).stdout
    check(run.returncode == 0 and norm(cldr_month_year("zh", 2020, 3)) in
          norm(txt) and "至今" in txt and "present" not in txt,
          "a Chinese JSON Resume: its dates in Chinese")


def main():
    langs = sorted(f[:-5] for f in os.listdir(LOCALES) if f.endswith(".yaml"))
    check(len(langs) >= 20, "%d languages have a locale file" % len(langs))
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            with open(os.path.join(LOCALES, lang + ".yaml"),
                      encoding="utf-8") as f:
                words = yaml.safe_load(f)["words"]
            test_language(tmp, lang, words)
        for lang in CJK:
            test_cjk(tmp, lang)
        test_override(tmp)
        test_jsonresume_script(tmp)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/bin/sh
# Layout tests: every layout renders every example (checked with pdfaudit
# --overrun where the tool is present); international names read back from the PDF
# with no .notdef glyph; and changing one theme value changes only that
# value in the trace.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
AUDIT=../shared/tools/pdfaudit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

# 1. Every (layout, example) pair.
nlayouts=0
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  nlayouts=$((nlayouts + 1))
  for y in examples/*.yaml; do
    name=$(basename "$y" .yaml)
    out="$T/$layout-$name.pdf"
    if ! "$BIN" render -q "$y" --layout "$layout" -o "$out" 2>"$T/err"; then
      no "render $y --layout $layout: $(cat "$T/err")"; continue
    fi
    if [ -s "$T/err" ]; then
      no "render $y --layout $layout warns: $(cat "$T/err")"; continue
    fi
    ok "render $y --layout $layout"
    # Icons and bullets extract as words or nothing, never as private-use
    # characters of the icon font.
    pdftotext -enc UTF-8 "$out" "$T/text.txt"
    if LC_ALL=C.UTF-8 grep -qP '[\x{E000}-\x{F8FF}]' "$T/text.txt"; then
      no "$y --layout $layout extracts private-use characters"
    else
      ok "$y --layout $layout extracts no private-use character"
    fi
    # Tagged PDF/UA: what tests/pdfua.py checks (docs/tagged-pdf.md).
    if python3 tests/pdfua.py "$out" >"$T/ua" 2>&1; then
      ok "$y --layout $layout meets the PDF/UA checks"
    else
      no "$y --layout $layout: $(grep -v '^ok' "$T/ua" | head -3 | tr '\n' ' ')"
    fi
    if python3 tests/listnumbering.py "$out" >"$T/ln" 2>&1; then
      ok "$y --layout $layout: each list's /ListNumbering fits its marks"
    else
      no "$y --layout $layout: $(head -3 "$T/ln" | tr '\n' ' ')"
    fi
    [ -x "$AUDIT" ] || continue
    src=$y # a CV in several languages prints its default one's text
    if grep -q '^bundle:' "$y"; then # an application: its parts' text
      sed -n 's/^ *- *\([^ #]*\.yaml\).*/\1/p' "$y" | while read -r part; do
        printf -- '-\n'; sed 's/^/  /' "$(dirname "$y")/$part"
      done >"$T/src.yaml" && src=$T/src.yaml
    fi
    first=$(sed -n 's/^languages: *\[ *\([A-Za-z_-]*\).*/\1/p' "$y")
    [ -z "$first" ] || { "$BIN" convert -q --lang "$first" "$y" -o - |
      grep -v '^language: ' >"$T/src.yaml" && src=$T/src.yaml; }
    # No line past the text block; in content order and through the
    # structure: list marks with their text, hyphenated words whole,
    # headings, lists and links tagged, the source's words in order.
    "$AUDIT" "$out" --source "$src" --strict >"$T/audit" 2>&1
    if ! grep -qE '^FAIL|could not' "$T/audit"; then
      ok "pdfaudit --strict $y --layout $layout"
    else
      no "pdfaudit --strict $y --layout $layout: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
    fi
  done
done
[ "$nlayouts" -ge 4 ] && ok "$nlayouts layouts" || no "only $nlayouts layouts"

# 2. The words a layout prints follow the CV's language.
for lang in en:present:Page de:heute:von fr:aujourd:sur; do
  code=${lang%%:*}; rest=${lang#*:}; word=${rest%%:*}; of=${rest#*:}
  for l in layouts/*.yaml; do
    layout=$(basename "$l" .yaml)
    printf 'name: Zoë Lang\nlanguage: %s\nsections:\n  - type: roles\n    title: Work\n    entries:\n      - {organisation: Acme, title: Engineer, start: 2020-03, end: present}\n' \
      "$code" >"$T/lang.yaml"
    "$BIN" render -q "$T/lang.yaml" --layout "$layout" -o "$T/lang.pdf" &&
      pdftotext "$T/lang.pdf" "$T/lang.txt" || { no "render language $code"; continue; }
    if grep -q "$word" "$T/lang.txt"; then
      ok "$layout in $code prints '$word'"
    else
      no "$layout in $code prints '$word': $(tr '\n' ' ' <"$T/lang.txt")"
    fi
  done
done
printf 'name: Zoë Lang\nlanguage: de\ntheme:\n  footer: {text: "{updated} {date}, {page} {of} {pages}"}\nsections:\n  - type: summary\n    text: Hallo.\n' >"$T/foot.yaml"
"$BIN" render -q "$T/foot.yaml" -o "$T/foot.pdf" && pdftotext "$T/foot.pdf" "$T/foot.txt"
grep -q "Stand November 2023, 1 von 1" "$T/foot.txt" &&
  ok "footer fields {date}, {page}, {pages} and words in German" ||
  no "footer in German: $(tr '\n' ' ' <"$T/foot.txt")"

# 2b. Every contact kind has its icon in every layout, linked, and
# extracting as its word or nothing.
cat >"$T/contact.yaml" <<'YAML'
name: Ida Icon
contact:
  email: ida@example.org
  phone: "+1 555 0100"
  website: www.example.org
  linkedin: ida
  twitter: ida
  github: ida
  scholar: https://scholar.example.org/ida
  orcid: 0000-0002-1825-0097
  location: Lyon, France
sections: []
YAML
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  "$BIN" render -q "$T/contact.yaml" --layout "$layout" -o "$T/c.pdf" --trace "$T/c.trace" ||
    { no "render contacts in $layout"; continue; }
  icons=$(grep -c '^text .* FontAwesome ' "$T/c.trace")
  linked=$(grep '^text .* FontAwesome ' "$T/c.trace" | grep -c ' link=')
  # location is the one item without an address.
  [ "$icons" -eq 9 ] && [ "$linked" -eq 8 ] &&
    ok "$layout: 9 contact icons, 8 linked" ||
    no "$layout: $icons contact icons, $linked linked (expected 9, 8)"
  pdftotext -enc UTF-8 "$T/c.pdf" "$T/c.txt"
  grep -q "Email ida@example.org" "$T/c.txt" && grep -q "GitHub ida" "$T/c.txt" &&
    ! LC_ALL=C.UTF-8 grep -qP '[\x{E000}-\x{F8FF}]' "$T/c.txt" &&
    ok "$layout: icons extract as words" ||
    no "$layout: icons extract as words: $(tr '\n' ' ' <"$T/c.txt")"
done

# 3. International names: every name reads back exactly, no glyph id 0.
"$BIN" render -q tests/golden/intl.yaml -o "$T/intl.pdf" --trace "$T/intl.trace" 2>"$T/err" &&
  pdftotext "$T/intl.pdf" "$T/intl.txt" || no "render intl.yaml: $(cat "$T/err")"
[ -s "$T/err" ] && no "intl.yaml warns: $(cat "$T/err")" || ok "intl.yaml renders without warnings"
for n in "林志恒" "Αλεξάνδρα Παπαδοπούλου" "Łukasz Żółkiewski" "François Müller-Šťastný" \
         "José Martínez Núñez" "Zoë Ødegård" "Dvořák Škoda" "Zażółć gęślą jaźń" \
         "Ορθογραφία και αναζήτηση" "Kraków"; do
  grep -qF "$n" "$T/intl.txt" && ok "reads back '$n'" || no "reads back '$n'"
done
if grep -E '^text .* gids=([0-9,]*,)?0(,|$| )' "$T/intl.trace" >"$T/notdef"; then
  no "intl.yaml draws .notdef: $(head -3 "$T/notdef")"
else
  ok "intl.yaml draws no .notdef glyph"
fi
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  "$BIN" render -q tests/golden/intl.yaml --layout "$layout" -o "$T/i.pdf" --trace "$T/i.trace" &&
    ! grep -qE '^text .* gids=([0-9,]*,)?0(,|$| )' "$T/i.trace" &&
    pdftotext "$T/i.pdf" - | grep -qF "林志恒" &&
    ok "intl.yaml in $layout: no .notdef, 林志恒 reads back" ||
    no "intl.yaml in $layout: no .notdef, 林志恒 reads back"
done

# 4. Changing one theme value changes only that value.
for n in theme-base theme-color theme-font theme-page; do
  "$BIN" render -q "tests/golden/$n.yaml" -o "$T/$n.pdf" --trace "$T/$n.trace" ||
    no "render $n"
done
# Which trace fields each change may touch: colour values; font names,
# glyph ids and advances; the page size and positions.
cat >"$T/theme_diff.py" <<'PY'
import re, sys
what, a, b = sys.argv[1:4]
tok = re.compile(r'"(?:[^"\\]|\\.)*"|\S+')
la = [tok.findall(l) for l in open(a, encoding="utf-8")]
lb = [tok.findall(l) for l in open(b, encoding="utf-8")]
if len(la) != len(lb):
    sys.exit(print(f"{len(la)} lines against {len(lb)}") or 1)
POS = {"text": {1, 2}, "rect": {1, 2, 3}, "link": {1, 2, 3}, "mark": {2},
       "page": {2}}
changed = 0
for n, (x, y) in enumerate(zip(la, lb), 1):
    if len(x) != len(y) or x[0] != y[0]:
        sys.exit(print(f"line {n}: {' '.join(x)} / {' '.join(y)}") or 1)
    for i, (p, q) in enumerate(zip(x, y)):
        if p == q:
            continue
        if what == "color":
            ok = re.fullmatch(r"#[0-9A-F]{6}", p) is not None
        elif what == "font":
            ok = x[0] == "text" and (i == 3 or p.startswith(("gids=", "adv=")))
        else:
            ok = i in POS.get(x[0], set())
        if not ok:
            sys.exit(print(f"line {n} field {i}: '{p}' became '{q}'") or 1)
        changed += 1
if what == "page" and la[0][2] + " " + lb[0][2] != "595.28x841.89 612.00x792.00":
    sys.exit(print(f"page {la[0][2]} became {lb[0][2]}") or 1)
print(f"{changed} fields differ")
sys.exit(0 if changed else 1)
PY
for v in color font page; do
  if python3 "$T/theme_diff.py" "$v" "$T/theme-base.trace" "$T/theme-$v.trace" >"$T/td"; then
    ok "theme-$v changes only the $v: $(cat "$T/td")"
  else
    no "theme-$v changes only the $v: $(cat "$T/td")"
  fi
done

# 4b. A page may break between two entries: a list of two-line works after
# half a page of text starts on page 1, it does not move whole to page 2.
{
  printf 'name: Pia Break\nsections:\n  - type: summary\n    text:\n'
  i=0; while [ $i -lt 14 ]; do
    printf '      - "Filler paragraph %d, long enough to run over two lines of the page in each layout that the project ships, so that the text below starts halfway."\n' $i
    i=$((i + 1)); done
  printf '  - type: publications\n    title: Publications\n    arrangement: column\n    entries:\n'
  i=0; while [ $i -lt 30 ]; do
    printf '      - {title: "Work %d on a long subject that takes two lines in the column", authors: [P. Break, A. Coauthor], venue: ICML, year: 2024}\n' $i
    i=$((i + 1)); done
} >"$T/break.yaml"
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  "$BIN" render -q "$T/break.yaml" --layout "$layout" -o "$T/b.pdf" &&
    pdftotext -f 1 -l 1 "$T/b.pdf" - | grep -q "Work 0 on" &&
    ok "$layout: page 1 breaks between entries" ||
    no "$layout: page 1 breaks between entries"
done

# 5. Bad layout values are errors at their line and column.
printf 'name: X\ntheme:\n  header: {txt: "{name}"}\nsections: []\n' >"$T/bad.yaml"
"$BIN" render -q "$T/bad.yaml" -o "$T/bad.pdf" 2>"$T/err" && no "bad header key is an error" ||
  { grep -qF "bad.yaml:3:12: error: unknown key 'txt' in header; did you mean 'text'?" "$T/err" &&
    ok "unknown header key names file:line:col" || no "unknown header key: $(cat "$T/err")"; }
printf 'name: X\ntheme:\n  page: {size: A5}\nsections: []\n' >"$T/bad.yaml"
"$BIN" render -q "$T/bad.yaml" -o "$T/bad.pdf" 2>"$T/err" && no "page size A5 is an error" ||
  { grep -qF "bad.yaml:3:16: error: page size: expected A4 or Letter, found 'A5'" "$T/err" &&
    ok "bad page size names file:line:col" || no "bad page size: $(cat "$T/err")"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Typographic finish: a line no break can set within its measure is
# reported as TeX reports an overfull box (file:line:column and by how
# much) by render and check, and counted by --timing; web and e-mail
# addresses break after / . @ - rather than run past the margin; label
# columns, award lines and short entries are set as a typesetter would;
# and the corpus of real CVs (tests/corpus) stays inside its margins.
set -u
. tests/tap.sh

# A CV whose summary has the paragraphs given (its first on line 7).
summary_cv() {
  printf 'name: Ada Test\nlayout: classic\nsections:\n  - type: summary\n'
  printf '    title: Summary\n    text:\n'
  for p in "$@"; do printf '      - "%s"\n' "$p"; done
}

# 1. An overfull line: a number wider than the measure (tied to its "ID:"),
# on line 8.
summary_cv "Fits on its line." \
  "Short words then ID: 314159265331415926533141592653314159265331415926533141592653314159265331415926533141592653314159265331415926533141592653 and more." >"$T/over.yaml"
"$BIN" render "$T/over.yaml" -o "$T/over.pdf" --timing >"$T/out" 2>&1
pos="$T/over.yaml:8:9: warning: overfull line ("
if grep -qF "$pos" "$T/out"; then ok "render reports the overfull line at 8:9"
else no "render: no overfull report at 8:9: $(cat "$T/out")"; fi
amount=$(sed -n 's/.*overfull line (\([0-9.]*\)pt too wide for its \([0-9.]*\)pt measure.*/\1 \2/p' "$T/out" | head -1)
set -- $amount
# The word alone is wider than the 483.3pt measure of classic.
if [ $# -eq 2 ] && awk -v a="$1" -v m="$2" 'BEGIN { exit !(a > 10 && a < 400 && m > 400 && m < 500) }'; then
  ok "the report says by how much ($1pt over $2pt)"
else no "the report's amount: '$amount'"; fi
grep -q "'ID: 3141592653314" "$T/out" && ok "the report quotes the line" ||
  no "the report quotes the line"
grep -q " 1 overfull" "$T/out" && ok "--timing counts 1 overfull line" ||
  no "--timing count: $(grep overfull "$T/out")"
"$BIN" check "$T/over.yaml" >"$T/check" 2>&1
grep -qF "$pos" "$T/check" && ok "check reports it at 8:9" ||
  no "check: $(cat "$T/check")"
# It is reported once, though the paragraph is set twice (hyphenation).
[ "$(grep -c 'overfull line' "$T/check")" -eq 1 ] && ok "reported once" ||
  no "reported $(grep -c 'overfull line' "$T/check") times"

# 2. Nothing overfull: no report, and --timing counts 0.
summary_cv "See https://example.org/a/very/long/path/that/goes/on/and/on/without/any/space/at/all/index.html or mail someone.with.a.long.name@very-long-department.example-university.edu for it, then https://example.org/another/very/long/path/that/goes/on/and/on/without/any/space/at/all/index.html again." >"$T/fine.yaml"
"$BIN" render "$T/fine.yaml" -o "$T/fine.pdf" --timing >"$T/out" 2>&1
grep -q " 0 overfull" "$T/out" && ! grep -q "overfull line" "$T/out" &&
  ok "long addresses: no overfull line" || no "long addresses: $(cat "$T/out")"
# Broken without a hyphen: every line ends inside the measure, and the
# address reads back whole once the line ends are joined.
pdftotext -layout "$T/fine.pdf" - | tr -d ' \n' >"$T/fine.txt"
grep -qF "someone.with.a.long.name@very-long-department.example-university.edu" "$T/fine.txt" &&
  ok "an address broken at . @ - reads back without added hyphens" ||
  no "address text: $(cat "$T/fine.txt")"
pdftotext -bbox "$T/fine.pdf" - | sed -n 's/.*xMax="\([0-9.]*\)".*/\1/p' |
  awk '$1 > 539.3 { bad++ } END { exit bad > 0 }' &&
  ok "no word of the addresses past the right margin" ||
  no "a word of the addresses passes the right margin"

# 4. Label columns, award lines and short entries (traces of the examples).
"$BIN" render -q examples/academic-cv.yaml --layout awesome -o "$T/a.pdf" \
  --trace "$T/aw.trace"
"$BIN" render -q examples/academic-cv.yaml --layout classic -o "$T/a.pdf" \
  --trace "$T/cl.trace"
"$BIN" render -q examples/academic-cv.yaml --layout modern -o "$T/a.pdf" \
  --trace "$T/mo.trace"
# Items of a trace: page number, x, baseline and text.
items() {
  awk '/^page /{p++} /^text /{t=$0; sub(/^[^"]*"/, "", t); sub(/".*/, "", t);
    print p, $2, $3, t}' "$1"
}
# A margin label "(P2)" takes the layout's label width (34pt in awesome),
# not the 100pt of the venue column: its entry starts beside it.
gap=$(items "$T/aw.trace" | awk '$4 == "(P2)" { y = $3; x = $2; next }
  y && $3 == y { print $2 - x; exit }')
if [ -n "$gap" ] && awk -v g="$gap" 'BEGIN { exit !(g > 20 && g < 50) }'; then
  ok "a margin label's column is as wide as the layout's label width ($gap pt)"
else no "the entry beside (P2) starts $gap pt after it"; fi
# Awards set as lines follow each other at the text's leading (12.4pt in
# classic), not an entry's space apart.
steps=$(items "$T/cl.trace" | awk '$4 ~ /^(Fellowships?,?|Distinction,)$/ {
  if (y) printf "%.1f ", y - $3; y = $3 }')
case "$steps" in
"12.4 12.4 12.4 "*) ok "award lines at the leading: $steps" ;;
*) no "award lines spaced $steps" ;;
esac
# An entry of four lines is not split across pages: the publication (C4)
# has its venue on the page of its title.
pages=$(items "$T/mo.trace" | awk '$4 == "(C4)" { t = $1 }
  t && $4 == "(COLM)" { print t, $1; exit }')
set -- $pages
if [ $# -eq 2 ] && [ "$1" = "$2" ]; then ok "a four-line entry on one page"
else no "(C4) title and venue on pages: $pages"; fi

# The new breaking: values are checked at their position.
printf 'name: A B\ntheme:\n  breaking: {hyphenate_capitals: maybe, letterspace: 0.5}\nsections:\n  - type: summary\n    text: "Hi."\n' >"$T/bad.yaml"
"$BIN" check "$T/bad.yaml" >"$T/bad" 2>&1
grep -qF "bad.yaml:3:34: error: hyphenate_capitals: expected true, false or last_resort, found maybe" "$T/bad" &&
  grep -qF "bad.yaml:3:54: error: letterspace: expected a number of em from 0 to 0.1, found '0.5'" "$T/bad" &&
  ok "breaking: hyphenate_capitals and letterspace errors at line:column" ||
  no "breaking: errors: $(cat "$T/bad")"

# 3. The real RenderCV and JSON Resume files of tests/corpus: no line past
# the right edge (pdfaudit --overrun, where the tool is present), and no
# line reported overfull.
AUDIT=../shared/tools/pdfaudit
for f in tests/corpus/*.json tests/corpus/*.yaml; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  "$BIN" render -q "$f" -o "$T/corpus.pdf" 2>"$T/err" || continue # see corpus.py
  grep -q "overfull line" "$T/err" && no "$name: $(grep 'overfull line' "$T/err")"
  [ -x "$AUDIT" ] || continue
  if "$AUDIT" "$T/corpus.pdf" --source "$f" --overrun >"$T/audit" 2>&1 ||
    ! grep -q '^FAIL overrun' "$T/audit"; then
    ok "corpus $name: no line past the right edge"
  else
    no "corpus $name: $(grep '^FAIL overrun' "$T/audit")"
  fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

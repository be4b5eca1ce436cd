#!/bin/sh
# Bundles: several documents, each in its own layout, as one PDF
# (render --bundle).  One outline with an entry per part holding its
# sections; page labels and printed page numbers that restart per part or
# run on (page_numbers: in the layout, --page-numbers); one structure tree
# with a Part per document, reading in order; fonts the parts share
# embedded once; errors before anything is written; and the atomic write
# (a failed part leaves the previous bundle as it was).
set -u
. tests/tap.sh
AUDIT=../shared/tools/pdfaudit
export SOURCE_DATE_EPOCH=1700000000
A=examples/minimal.yaml
C=examples/academic-cv.yaml
PARTS=tests/pdfparts.py

pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
# The footer of page $2 of $1 ("2 of 4"): the last line of its text.
foot() { pdftotext -f "$2" -l "$2" "$1" - | grep '[[:alnum:]]' | tail -1; }

# Each part alone, for comparison.
"$BIN" render -q "$A" -o "$T/a.pdf" && "$BIN" render -q "$C" -o "$T/c.pdf" ||
  no "render the parts alone"
na=$(pages "$T/a.pdf") nc=$(pages "$T/c.pdf")
n=$((na + nc))

# 1. The bundle: one PDF, its pages those of the parts in order.
if "$BIN" render -q "$A" "$C" --bundle -o "$T/b.pdf" 2>"$T/err" &&
  [ ! -s "$T/err" ] && [ "$(pages "$T/b.pdf")" = "$n" ]; then
  ok "bundle of $na + $nc pages has $n pages"
else
  no "bundle: $(cat "$T/err") $(pages "$T/b.pdf" 2>/dev/null) pages"
fi
python3 "$PARTS" "$T/b.pdf" >"$T/parts" || no "read the bundle's outline"

# 2. The outline: one top-level entry per part, titled with the part's
# title, at its first page, holding the part's sections.
title_a=$(pdfinfo "$T/a.pdf" | sed -n 's/^Title: *//p')
title_c=$(pdfinfo "$T/c.pdf" | sed -n 's/^Title: *//p')
top=$(grep -v '^ \|^labels:\|^struct:' "$T/parts" | tr '\n' '|')
if [ "$top" = "$title_a -> 1|$title_c -> $((na + 1))|" ]; then
  ok "outline: one entry per part ($top)"
else
  no "outline's top level: $top"
fi
python3 "$PARTS" "$T/c.pdf" | grep -v '^labels:\|^struct:' |
  awk -v n="$na" '{ p = $NF + n; sub(/[0-9]+$/, p); print "  " $0 }' >"$T/want"
awk '/^[^ ]/ { top++ } top == 2 && /^ / { print }' "$T/parts" |
  sed 's/  *$//' >"$T/got"
if [ -s "$T/want" ] && diff "$T/want" "$T/got" >"$T/diff"; then
  ok "outline: the second part's $(wc -l <"$T/want") entries under its own, at its pages"
else
  no "outline of the second part: $(head -5 "$T/diff" | tr '\n' ' ')"
fi

# 3. Page numbers restart per part by default: labels and footers.
want=$(seq 1 "$na" | tr '\n' ' ')$(seq 1 "$nc" | tr '\n' ' ')
got=$(sed -n 's/^labels: //p' "$T/parts")
[ "$got " = "$want" ] && ok "page labels restart per part: $got" ||
  no "page labels: '$got', expected '$want'"
f1=$(foot "$T/b.pdf" 1) f2=$(foot "$T/b.pdf" $((na + 1))) fl=$(foot "$T/b.pdf" "$n")
if [ -n "$f1" ] && [ "$f1" = "$(foot "$T/a.pdf" 1)" ] && [ "$f2" = "$(foot "$T/c.pdf" 1)" ] &&
  [ "$fl" = "$(foot "$T/c.pdf" "$nc")" ]; then
  ok "footers restart per part, as each part alone: '$f1', '$f2', '$fl'"
else
  no "footers: '$f1', '$f2', '$fl'"
fi
# Each part's pages read as they do alone.
pdftotext -f $((na + 1)) -l "$n" "$T/b.pdf" "$T/b2.txt"
pdftotext "$T/c.pdf" "$T/c.txt"
cmp -s "$T/b2.txt" "$T/c.txt" && ok "the second part's text is the CV's alone" ||
  no "the second part's text differs from the CV's alone"

# 4. --page-numbers continue: one run of numbers.
"$BIN" render -q "$A" "$C" --bundle --page-numbers continue -o "$T/k.pdf" &&
  got=$(python3 "$PARTS" "$T/k.pdf" | sed -n 's/^labels: //p') ||
  no "render --page-numbers continue"
want=$(seq 1 "$n" | tr '\n' ' ')
[ "$got " = "$want" ] && ok "--page-numbers continue: labels $got" ||
  no "--page-numbers continue: labels '$got', expected '$want'"
f2=$(foot "$T/k.pdf" $((na + 1))) fl=$(foot "$T/k.pdf" "$n")
if [ "$f2" = "$((na + 1)) of $n" ] && [ "$fl" = "$n of $n" ]; then
  ok "--page-numbers continue: footers '$f2', '$fl'"
else
  no "--page-numbers continue: footers '$f2', '$fl'"
fi
# The layout says it: page_numbers: continue in the second part's theme.
{ cat "$C"; printf 'language: en\n'; } | sed 's/^theme:$/theme:\n  page_numbers: continue/' >"$T/cont.yaml"
"$BIN" render -q "$C" "$T/cont.yaml" --bundle -o "$T/l.pdf" &&
  got=$(python3 "$PARTS" "$T/l.pdf" | sed -n 's/^labels: //p') ||
  no "render a part whose layout continues"
want=$(seq 1 $((nc + nc)) | tr '\n' ' ')
[ "$got " = "$want" ] && ok "page_numbers: continue in a part's theme: $got" ||
  no "page_numbers: continue in a part's theme: '$got', expected '$want'"
"$BIN" render -q "$T/cont.yaml" "$C" --bundle --page-numbers restart -o "$T/l.pdf" &&
  got=$(python3 "$PARTS" "$T/l.pdf" | sed -n 's/^labels: //p')
want=$(seq 1 "$nc" | tr '\n' ' ')$(seq 1 "$nc" | tr '\n' ' ')
[ "$got " = "$want" ] && ok "--page-numbers restart overrides the layout" ||
  no "--page-numbers restart: '$got', expected '$want'"
sed 's/page_numbers: continue/page_numbers: contnue/' "$T/cont.yaml" >"$T/bad.yaml"
line=$(grep -n 'page_numbers:' "$T/bad.yaml" | cut -d: -f1)
"$BIN" render -q "$A" "$T/bad.yaml" --bundle -o "$T/l.pdf" 2>"$T/err"
grep -q "^$T/bad.yaml:$line:17: error: page_numbers: expected continue or restart, found 'contnue'" "$T/err" &&
  ok "a bad page_numbers: is an error at its position" ||
  no "bad page_numbers: $(cat "$T/err")"

# 5. Tags: one Document, a Part per document in order, each with the
# part's own top elements; PDF/UA's checks and pdfaudit --strict pass,
# the structure's text reading the parts in order.
got=$(sed -n 's/^struct: //p' "$T/parts")
# a part alone: its Document's kids, without theirs
top_of() {
  python3 "$PARTS" "$1" | sed -n 's/^struct: Document\[\(.*\)\]$/\1/p' |
    sed 's/\[[^][]*\]//g'
}
sa=$(top_of "$T/a.pdf") sc=$(top_of "$T/c.pdf")
[ "$got" = "Document[Part[$sa] Part[$sc]]" ] &&
  ok "structure: Document[Part[...] Part[...]], each part's elements as alone" ||
  no "structure: $got"
python3 tests/pdfua.py "$T/b.pdf" >"$T/ua" 2>&1 && ok "bundle meets the PDF/UA checks" ||
  no "PDF/UA: $(grep -v '^ok' "$T/ua" | head -3 | tr '\n' ' ')"
if [ -x "$AUDIT" ]; then
  # the parts' text, in order, as one source
  { printf -- '-\n'; sed 's/^/  /' "$A"; printf -- '-\n'; sed 's/^/  /' "$C"; } >"$T/src.yaml"
  "$AUDIT" "$T/b.pdf" --source "$T/src.yaml" --strict >"$T/audit" 2>&1 &&
    ok "pdfaudit --strict on the bundle" ||
    no "pdfaudit: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
fi
pdfinfo -struct-text "$T/b.pdf" >"$T/st" 2>/dev/null
la=$(grep -n 'Ada' "$T/st" | head -1 | cut -d: -f1)
lc=$(grep -n 'Harry Dong' "$T/st" | head -1 | cut -d: -f1)
[ -n "$la" ] && [ -n "$lc" ] && [ "$la" -lt "$lc" ] &&
  ok "the structure reads the first part before the second" ||
  no "structure text order: Ada at '$la', Harry Dong at '$lc'"

# 6. Fonts the parts share are embedded once: a CV bundled with itself
# has the fonts of the CV alone, and about its size, not twice it.
"$BIN" render -q "$C" "$C" --bundle -o "$T/cc.pdf" || no "render a CV twice"
f1=$(pdffonts "$T/c.pdf" | tail -n +3 | wc -l)
f2=$(pdffonts "$T/cc.pdf" | tail -n +3 | wc -l)
s1=$(stat -c %s "$T/c.pdf") s2=$(stat -c %s "$T/cc.pdf")
if [ "$f1" = "$f2" ] && [ "$s2" -lt $((s1 * 3 / 2)) ]; then
  ok "a CV twice: $f2 fonts as alone, $s2 bytes against $s1"
else
  no "a CV twice: $f2 fonts against $f1, $s2 bytes against $s1"
fi
# Each part keeps its layout; --layout sets every part's.
"$BIN" render -q "$A" -o "$T/am.pdf" --layout modern &&
  "$BIN" render -q "$A" "$C" --bundle --layout modern -o "$T/m.pdf" &&
  pdftotext -l "$na" "$T/m.pdf" "$T/m.txt" && pdftotext "$T/am.pdf" "$T/am.txt" &&
  cmp -s "$T/m.txt" "$T/am.txt" && ! cmp -s "$T/m.pdf" "$T/b.pdf" &&
  ok "--layout applies to every part" || no "--layout in a bundle"

# 7. Errors, before anything is written.
"$BIN" render -q "$A" "$C" --bundle 2>"$T/err"
[ $? = 2 ] && grep -q -- '--bundle writes one PDF: name it with -o' "$T/err" &&
  ok "--bundle without -o is an error" || no "--bundle without -o: $(cat "$T/err")"
"$BIN" render -q "$A" "$C" --bundle -o "$T" 2>"$T/err"
[ $? = 2 ] && grep -q 'names a directory' "$T/err" &&
  ok "--bundle -o DIR is an error" || no "--bundle -o DIR: $(cat "$T/err")"
cp "$C" "$T/cv.yaml"
"$BIN" render -q "$A" "$T/cv.yaml" --bundle -o "$T/cv.yaml" 2>"$T/err"
[ $? = 2 ] && cmp -s "$C" "$T/cv.yaml" && grep -q "which this run reads" "$T/err" &&
  ok "an output that is one of the parts is refused, the part untouched" ||
  no "output = input: $(cat "$T/err")"
"$BIN" render -q "$A" --page-numbers continue -o "$T/x.pdf" 2>"$T/err"
[ $? = 2 ] && grep -q -- '--page-numbers numbers the parts of a bundle' "$T/err" &&
  ok "--page-numbers without --bundle is an error" || no "--page-numbers alone: $(cat "$T/err")"
# --trace: the pages of every part, in order.
"$BIN" render -q "$A" "$C" --bundle --trace "$T/t.txt" -o "$T/x.pdf" &&
  "$BIN" render -q "$C" --trace "$T/tc.txt" -o "$T/x.pdf" &&
  [ "$(grep -c '^page ' "$T/t.txt")" = "$n" ] &&
  sed -n "/^page $((na + 1)) /,\$p" "$T/t.txt" | sed 1d >"$T/t2.txt" &&
  sed 1d "$T/tc.txt" | grep -v '^page ' >"$T/tc2.txt" &&
  grep -v '^page ' "$T/t2.txt" | cmp -s - "$T/tc2.txt" &&
  ok "--trace of a bundle: $n pages, the second part's as alone" ||
  no "--trace of a bundle"
# Without --bundle, several CVs are still a batch: a PDF each.
mkdir "$T/batch" && "$BIN" render -q "$A" "$C" -o "$T/batch" &&
  [ -f "$T/batch/minimal.pdf" ] && [ -f "$T/batch/academic-cv.pdf" ] &&
  ok "without --bundle, several CVs render one PDF each" || no "batch without --bundle"

# 8. The atomic write: a part that fails leaves the previous bundle.
cp "$T/b.pdf" "$T/keep.pdf"
printf 'name: Bad Part\nsections:\n  - type: roles\n    title: Work\n    entries:\n      - {organisation: Acme, titel: Engineer, start: 2020-03}\n' >"$T/broken.yaml"
"$BIN" render -q "$A" "$T/broken.yaml" "$C" --bundle -o "$T/b.pdf" 2>"$T/err"
rc=$?
if [ $rc = 1 ] && cmp -s "$T/b.pdf" "$T/keep.pdf" &&
  grep -q "^$T/broken.yaml:6:30: error: unknown field 'titel'" "$T/err" &&
  [ -z "$(find "$T" -maxdepth 1 -name '.tmp-cvpdf-*')" ]; then
  ok "a failed part: error at its position, the previous bundle untouched"
else
  no "a failed part (exit $rc): $(cat "$T/err")"
fi
# Every part's problems are reported, not only the first's.
"$BIN" render -q "$T/broken.yaml" "$T/bad.yaml" --bundle -o "$T/b.pdf" 2>"$T/err"
grep -q "broken.yaml:6:30" "$T/err" && grep -q "bad.yaml:$line:17" "$T/err" &&
  ok "the problems of every part are reported" || no "problems of every part: $(cat "$T/err")"
# --safe renders a bundle in its sandbox, to the same bytes.
"$BIN" render -q "$A" "$C" --bundle --safe -o "$T/s.pdf" && cmp -s "$T/s.pdf" "$T/keep.pdf" &&
  ok "--safe bundle: the same PDF" || no "--safe bundle"

# 9. An application file: bundle: names the parts, relative to it; title:,
# layout:, lang: and page_numbers: apply to the whole.
mkdir "$T/app" "$T/app/parts"
cp "$A" "$T/app/parts/a.yaml" && cp "$C" "$T/app/c.yaml"
cp examples/bilingual-cv.yaml "$T/app/parts/bi.yaml"
printf 'title: My application\nbundle: [parts/a.yaml, c.yaml]\n' >"$T/app/application.yaml"
if "$BIN" render -q "$T/app/application.yaml" 2>"$T/err" && [ ! -s "$T/err" ] &&
  python3 "$PARTS" "$T/app/application.pdf" >"$T/app.parts" &&
  python3 "$PARTS" "$T/b.pdf" | diff - "$T/app.parts" >/dev/null &&
  pdfinfo "$T/app/application.pdf" | grep -q '^Title: *My application$'; then
  ok "application.yaml -> application.pdf: the bundle of its parts, titled by title:"
else
  no "application file: $(cat "$T/err")"
fi
"$BIN" check "$T/app/application.yaml" 2>"$T/err" &&
  grep -q 'application.yaml: ok; 0 errors, 0 warnings' "$T/err" &&
  ok "check takes an application file" || no "check application: $(cat "$T/err")"
NUM='^[0-9]+ ?(/|of|von) ?[0-9]+$' # a footer's page number
printf 'bundle: [parts/a.yaml, parts/bi.yaml]\nlayout: modern\nlang: de\npage_numbers: continue\n' >"$T/app/de.yaml"
"$BIN" render -q "$T/app/de.yaml" -o "$T/de.pdf" &&
  "$BIN" render -q "$T/app/parts/bi.yaml" --lang de --layout modern -o "$T/bi.pdf" &&
  pdftotext -f $((na + 1)) "$T/de.pdf" - | grep -Ev "$NUM" >"$T/de.txt" &&
  pdftotext "$T/bi.pdf" - | grep -Ev "$NUM" >"$T/bi.txt" &&
  cmp -s "$T/de.txt" "$T/bi.txt" && grep -q Berufserfahrung "$T/de.txt" &&
  [ "$(python3 "$PARTS" "$T/de.pdf" | sed -n 's/^labels: //p')" = "$(seq 1 "$(pages "$T/de.pdf")" | tr '\n' ' ' | sed 's/ $//')" ] &&
  ok "layout:, lang: and page_numbers: of an application apply to its parts" ||
  no "application layout/lang/page_numbers"
"$BIN" render -q "$T/app/de.yaml" --lang en -o "$T/en.pdf" &&
  pdftotext "$T/en.pdf" - | grep -q Experience &&
  ok "--lang wins over the application's lang:" || no "--lang over lang:"
# Its errors, each at its position, all of them at once.
printf 'titel: X\nbundle:\n  - parts/a.yaml\n  - nope.yaml\n  - bad.yaml\nlang: x!\npage_numbers: sometimes\n' >"$T/app/bad.yaml"
"$BIN" check "$T/app/bad.yaml" 2>"$T/err"
rc=$?
B="$T/app/bad.yaml"
if [ $rc = 1 ] &&
  grep -q "^$B:1:1: error: unknown key 'titel' in an application file.*did you mean 'title'" "$T/err" &&
  grep -q "^$B:4:5: error: bundle: cannot read 'nope.yaml': No such file" "$T/err" &&
  grep -q "^$B:5:5: error: bundle: expected a CV or letter, found 'bad.yaml', this application file itself" "$T/err" &&
  grep -q "^$B:6:7: error: lang: expected a language tag" "$T/err" &&
  grep -q "^$B:7:15: error: page_numbers: expected continue or restart, found 'sometimes'" "$T/err"; then
  ok "an application's errors: unknown key, missing file, itself, lang, page_numbers"
else
  no "application errors (exit $rc): $(cat "$T/err")"
fi
printf 'bundle: [c.yaml, loop.yaml]\n' >"$T/app/loop.yaml"
printf 'bundle: []\n' >"$T/app/empty.yaml"
"$BIN" check "$T/app/loop.yaml" "$T/app/empty.yaml" 2>"$T/err"
grep -q "^$T/app/loop.yaml:1:18: error: bundle: expected a CV or letter, found 'loop.yaml', this application file itself" "$T/err" &&
  grep -q "^$T/app/empty.yaml:1:9: error: bundle: expected a list of files.*found an empty list" "$T/err" &&
  ok "an application naming itself, or nothing" || no "loop/empty: $(cat "$T/err")"
printf 'bundle: [c.yaml, application.yaml]\n' >"$T/app/nest.yaml"
"$BIN" check "$T/app/nest.yaml" 2>"$T/err"
grep -q "^$T/app/application.yaml:2:9: error: expected a CV or letter in a bundle, found an application file (bundles do not nest)" "$T/err" &&
  ok "an application in an application is an error (no cycles)" || no "nested: $(cat "$T/err")"
printf 'bundle: [../b.pdf]\n' >"$T/app/out.yaml"
"$BIN" render -q --safe "$T/app/out.yaml" -o "$T/x.pdf" 2>"$T/err"
grep -q "^$T/app/out.yaml:1:10: error: bundle: expected a file in the application's directory, found '../b.pdf' (files outside it are not read in safe mode)" "$T/err" &&
  ok "--safe: parts only beneath the application's directory" || no "--safe parts: $(cat "$T/err")"
"$BIN" render -q --safe "$T/app/application.yaml" -o "$T/s2.pdf" &&
  cmp -s "$T/s2.pdf" "$T/app/application.pdf" && ok "--safe application: the same PDF" ||
  no "--safe application"
cp "$T/app/application.pdf" "$T/keep2.pdf"
"$BIN" render -q "$T/app/application.yaml" -o "$T/app/c.yaml" 2>"$T/err"
[ $? != 0 ] && cmp -s "$T/app/c.yaml" "$C" && ok "an application's output may not be one of its parts" ||
  no "output = part: $(cat "$T/err")"
done_tests

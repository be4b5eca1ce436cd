#!/bin/sh
# Checks that miss nothing: a layout file and a CV's theme: are checked
# against what the plugins declare (section types, options and their
# values, words) and the style names cvpdf uses; a section title must be
# text; a period may not end before it starts; render reports every
# problem check reports.  Each message is compared whole, position
# included.
set -u
. tests/tap.sh
# has FILE LINE WHAT: the exact line is among the diagnostics.
has() {
  grep -qxF -- "$2" "$1" && ok "$3" || { no "$3"; echo "# want: $2"; sed 's/^/# got: /' "$1"; }
}
cd "$T" || exit 1

# 1. A CV's theme: overrides.
cat >theme.yaml <<'Y'
name: Ada Lovelace
theme:
  styles:
    titel: {bold: true}
  sections:
    publications: {arangement: column, label_width: 30}
    education: {details: inlin}
    publicatons: {arrangement: margin}
  words:
    en: {Advisr: Supervisor, present: now}
sections:
  - type: summary
    text: Hello.
Y
"$BIN" check theme.yaml >out 2>&1
rc=$?
[ $rc -eq 1 ] && ok "check of a bad theme: exit 1" || no "check exit $rc"
has out "theme.yaml:4:5: error: unknown style 'titel'; did you mean 'title'?" \
  "misspelt style name in theme:"
has out "theme.yaml:6:20: error: unknown option 'arangement' for publications sections; did you mean 'arrangement'?" \
  "misspelt layout option in theme:"
has out "theme.yaml:7:26: error: option 'details' for education sections: expected bullets or inline, found 'inlin'; did you mean 'inline'?" \
  "option value not among the declared ones"
has out "theme.yaml:8:5: error: unknown section type 'publicatons' in sections; did you mean 'publications'?" \
  "options for a section type no plugin handles"
has out "theme.yaml:10:10: error: unknown word 'Advisr'; did you mean 'Advisor'?" \
  "misspelt word key"
grep -q "label_width\|present" out && no "label_width or present reported" ||
  ok "core's label_width option and present word are accepted"
[ "$(grep -c 'error:' out)" = 5 ] && ok "five errors, no more" ||
  no "errors: $(grep -c 'error:' out)"

# 2. A layout file: the same checks, at the layout's own lines.
cat >mine.yaml <<'Y'
name: mine
extends: classic
footer: {text: "{Seite} {page}", align: center}
styles:
  itme.bullet: {color: "#000000"}
sections:
  roles: {row_order: title_first, right_ordr: dates_first}
  awards: {style: colums}
  nosuch: {x: 1}
words:
  de: {Seite: Seite, Mentors: Mentoren, Contributons.: Beiträge.}
Y
printf 'name: Ada\nsections:\n  - type: summary\n    text: Hi.\n' >cv.yaml
"$BIN" check cv.yaml --layout "$T/mine.yaml" >out 2>&1
has out "$T/mine.yaml:5:3: error: unknown style 'itme.bullet'; did you mean 'item.bullet'?" \
  "misspelt style in a layout file"
has out "$T/mine.yaml:7:35: error: unknown option 'right_ordr' for roles sections; did you mean 'right_order'?" \
  "misspelt option in a layout file"
has out "$T/mine.yaml:8:19: error: option 'style' for awards sections: expected line or rows, found 'colums'" \
  "bad option value in a layout file"
has out "$T/mine.yaml:9:3: error: unknown section type 'nosuch' in sections (no plugin handles it)" \
  "section type no plugin handles, in a layout file"
has out "$T/mine.yaml:11:41: error: unknown word 'Contributons.'; did you mean 'Contributions.'?" \
  "misspelt word in a layout file"
grep -q "Seite\|Mentors\|row_order" out && no "a valid name reported" ||
  ok "a footer's own {field} word, a plugin's word and option are accepted"
# Every built-in layout passes its own checks.
for l in classic awesome compact modern; do
  "$BIN" check cv.yaml --layout $l >out 2>&1 && ok "layout $l checks clean" ||
    no "layout $l: $(cat out)"
done

# 3. The document: a title that is not text, a period that ends before
# it starts, and render listing what check lists.
cat >doc.yaml <<'Y'
name: Ada
contact:
  phone: {home: 1}
  location: [a, b]
sections:
  - type: summary
    title: [About, me]
    text: Hi.
  - type: education
    title: Education
    entries:
      - {institution: MIT, degree: PhD, start: 2021-05, end: 2019}
      - {institution: ETH, degree: MSc, start: 2019, end: 2019-06}
      - {institution: EPFL, degree: BSc, start: May 2018, end: Mar 2018}
      - {institution: UCL, degree: BA, start: 2015, end: present}
Y
"$BIN" check doc.yaml >check.out 2>&1
has check.out "doc.yaml:7:12: error: 'title' of a section expected text, found a list" \
  "a section title given as a list"
has check.out "doc.yaml:12:62: error: end date '2019' is before start date '2021-05' (line 12)" \
  "end year before start"
has check.out "doc.yaml:14:64: error: end date 'Mar 2018' is before start date 'May 2018' (line 14)" \
  "end month before start in the same year"
[ "$(grep -c 'end date' check.out)" = 2 ] &&
  ok "2019 to 2019-06 and 2015 to present pass" ||
  no "period errors: $(grep 'end date' check.out)"
has check.out "doc.yaml:3:10: error: field 'phone' expected a string or a list of strings, found a mapping" \
  "first contact field error"
has check.out "doc.yaml:4:13: error: field 'location' expected a string, found a list" \
  "second contact field error"
"$BIN" render doc.yaml -o doc.pdf >render.out 2>&1
rc=$?
[ $rc -ne 0 ] && [ ! -e doc.pdf ] && ok "render refuses it" || no "render rc $rc"
grep 'error:' check.out >a
grep 'error:' render.out >b
[ -s a ] && cmp -s a b && ok "render reports every problem check reports ($(wc -l <a))" ||
  no "render and check differ: $(diff a b)"
"$BIN" render theme.yaml -o t.pdf >render.out 2>&1
"$BIN" check theme.yaml >check.out 2>&1
grep 'error:' check.out >a
grep 'error:' render.out >b
cmp -s a b && ok "render reports the theme's problems as check does" ||
  no "theme: render and check differ: $(diff a b)"

# 4. cvpdf plugins -v says what each type declares.
"$BIN" plugins -v >out 2>&1
has out "      option arrangement: margin | column - labels in the margin, or the venue in a column beside each entry" \
  "plugins -v lists an option with its values"
has out "      words: in, Advisor, Advisors, GPA, Thesis" \
  "plugins -v lists the words a type prints"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

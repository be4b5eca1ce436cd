#!/bin/sh
# Hostile values: every field and theme value that is out of range, too
# long for a PDF, or a link target a reader should not follow ends in a
# message at its file:line:column that says what was expected, never in
# a crash, a libharu error code or a PDF that renders garbage.  A failed
# run exits 1 and leaves the previous PDF byte-identical; a dropped link
# is a warning and the PDF carries no link to it.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

# The previous output every failing run must leave alone.
printf 'name: Ada Lovelace\nsections:\n  - type: summary\n    text: Notes.\n' >"$T/good.yaml"
"$BIN" render -q "$T/good.yaml" -o "$T/out.pdf" 2>"$T/err" ||
  { echo "FAIL - cannot render a plain CV: $(cat "$T/err")"; exit 1; }
cp "$T/out.pdf" "$T/saved.pdf"

# expect NAME RC WANT_RC EXPECTED: the exit status, no crash, sanitizer
# report or libharu code, and stderr holds EXPECTED (a fixed string:
# file:line:col and the words).
expect() {
  [ "$2" -eq "$3" ] || no "$1: exit status $2, expected $3"
  if grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped|libharu' "$T/err"; then
    no "$1: crash or internal error: $(head -c 600 "$T/err")"
  fi
  grep -qF -- "$4" "$T/err" ||
    no "$1: expected message '$4', got: $(head -c 600 "$T/err")"
}

# bad NAME INPUT EXPECTED [OPTIONS...]: the run fails (status 1) as
# expect says, and the previous PDF is kept.
bad() {
  name=$1 input=$2 want=$3
  shift 3
  cp "$T/saved.pdf" "$T/out.pdf"
  "$BIN" render "$input" -o "$T/out.pdf" "$@" 2>"$T/err"
  rc=$?
  before=$fail
  expect "$name" "$rc" 1 "$want"
  cmp -s "$T/out.pdf" "$T/saved.pdf" || no "$name: the previous PDF changed"
  [ "$fail" -eq "$before" ] && ok "$name"
}

# cv NAME TEXT: a CV in $T/NAME.yaml, TEXT given to printf.
cv() {
  # shellcheck disable=SC2059
  printf "$2" >"$T/$1.yaml"
}

# theme NAME OVERRIDE EXPECTED: the override under `theme:` (line 2 of the
# CV), refused with EXPECTED.
theme() {
  cv "$1" "name: Ada\ntheme: {$2}\n"
  bad "theme $2" "$T/$1.yaml" "$3"
}

# 1. Theme numbers out of their range, in a CV's theme: overrides.
theme track-nan 'styles: {body: {tracking: nan}}' \
  "track-nan.yaml:2:35: error: tracking: expected a number of em from -0.2 to 1, found 'nan'"
theme track-word 'styles: {body: {tracking: not-a-number}}' \
  "track-word.yaml:2:35: error: tracking: expected a number of em from -0.2 to 1, found 'not-a-number'"
theme track-big 'styles: {heading: {tracking: 5}}' \
  "track-big.yaml:2:38: error: tracking: expected a number of em from -0.2 to 1, found '5'"
theme margin-neg 'page: {margins: {all: -2000in}}' \
  "margin-neg.yaml:2:31: error: margin: expected a length from 0 to 288 pt, found '-2000in' (-144000 pt)"
theme margin-wide 'page: {margins: {left: 4in, right: 200}}' \
  "margin-wide.yaml:2:32: error: margins: the left (288 pt) and right (200 pt) margins leave 107.276 pt of the page's 595.276 pt for text; expected at least 144 pt"
theme leading-neg 'styles: {body: {leading: -3}}' \
  "leading-neg.yaml:2:34: error: leading: expected a length from 1 to 144 pt, found '-3'"
theme leading-zero 'styles: {name: {leading: 0}}' \
  "leading-zero.yaml:2:34: error: leading: expected a length from 1 to 144 pt, found '0'"
theme size-hex 'styles: {body: {size: 0x10}}' \
  "size-hex.yaml:2:31: error: size: expected a length such as 10, 10pt, 5mm or 0.5in, found '0x10'"
theme size-big 'styles: {body: {size: 5in}}' \
  "size-big.yaml:2:31: error: size: expected a length from 3 to 144 pt, found '5in' (360 pt)"
theme space-neg 'styles: {body: {space_before: -20}}' \
  "space-neg.yaml:2:39: error: space_before: expected a length from 0 to 144 pt, found '-20'"
theme spacing-big 'spacing: {section: 2000in}' \
  "spacing-big.yaml:2:28: error: section: expected a length from 0 to 144 pt, found '2000in' (144000 pt)"
theme rule-big 'styles: {heading: {rule_width: 1in}}' \
  "rule-big.yaml:2:40: error: rule_width: expected a length from 0 to 10 pt, found '1in' (72 pt)"
theme indent-neg 'lists: {indent: -12}' \
  "indent-neg.yaml:2:25: error: indent: expected a length from 0 to 36 pt, found '-12'"
theme column-tiny 'column: {width: 5}' \
  "column-tiny.yaml:2:25: error: column width: expected 0 (no column) or 12 to 288 pt, found '5'"
theme column-gap 'page: {margins: {all: 222}}, column: {width: 70, gap: 72}' \
  "column-gap.yaml:2:63: error: column: the width (70 pt) and gap (72 pt) leave 9.276 pt of the 151.276 pt text width beside the column; expected at least 24 pt"
theme label-margin 'labels: {width: 100, in_margin: true}' \
  "label-margin.yaml:2:41: error: labels: expected a width of 0 (no label column) or at most 56 pt (the room left of the text, as in_margin is true), found 100 pt"
theme pair-wide 'page: {margins: {all: 3in}}, pairs: {label_width: 140}' \
  "pair-wide.yaml:2:59: error: pairs: expected a label_width of at most 139.276 pt (the text width less room for the value), found 140 pt"
theme section-label 'sections: {publications: {label_width: wide}}' \
  "section-label.yaml:2:48: error: label_width: expected a length such as 10, 10pt, 5mm or 0.5in, found 'wide'"
theme fallbacks 'fonts: {fallbacks: [a, b, c, d, e, f, g, h]}' \
  "fallbacks.yaml:2:28: error: fallbacks: expected at most 7 families, found 8"
theme layout-language 'language: "en us"' \
  "layout-language.yaml:2:19: error: language: expected a language tag such as en, de or pt-BR, found 'en us'"

cv theme-scalar 'name: Ada\ntheme: 5\n'
bad "a theme that is not a mapping" "$T/theme-scalar.yaml" \
  "theme-scalar.yaml:2:8: error: theme: expected a mapping, found a scalar"
theme extends 'extends: modern' \
  "extends.yaml:2:18: error: extends: expected in a layout file, found in a CV's theme (pick the layout with layout: instead)"

# The same checks hold in a layout file.
mkdir -p "$T/layouts"
printf 'name: mine\nextends: classic\nstyles:\n  body: {tracking: nan, leading: -1}\npage:\n  margins: {left: 300, right: 300}\n' >"$T/layouts/mine.yaml"
cv uses-layout "name: Ada\nlayout: $T/layouts/mine.yaml\n"
bad "layout file: tracking: nan" "$T/uses-layout.yaml" \
  "mine.yaml:4:20: error: tracking: expected a number of em from -0.2 to 1, found 'nan'"
bad "layout file: negative leading" "$T/uses-layout.yaml" \
  "mine.yaml:4:34: error: leading: expected a length from 1 to 144 pt, found '-1'"
bad "layout file: margin out of range" "$T/uses-layout.yaml" \
  "mine.yaml:6:19: error: left margin: expected a length from 0 to 288 pt, found '300'"
printf 'name: wide\nextends: classic\npage:\n  margins: {left: 250, right: 250}\n' >"$T/layouts/wide.yaml"
cv uses-wide "name: Ada\nlayout: $T/layouts/wide.yaml\n"
bad "layout file: margins wider than the page" "$T/uses-wide.yaml" \
  "wide.yaml:4:31: error: margins: the left (250 pt) and right (250 pt) margins leave 95.276 pt"
# The check runs on the whole theme: a CV's override mends what its layout
# got wrong.
if grep -q 'wide.yaml:4:31: error: margins:' "$T/err"; then
  cv fixes-wide "name: Ada\nlayout: $T/layouts/wide.yaml\ntheme: {page: {margins: {right: 56}}}\n"
  "$BIN" render -q "$T/fixes-wide.yaml" -o "$T/x.pdf" 2>"$T/err" &&
    ok "a CV's margins mend its layout's" || no "override of a layout's margins: $(cat "$T/err")"
else
  no "a CV's margins mend its layout's: the layout's margins were not refused"
fi

# 2. Where a theme or a language comes from, the message says.
cv nosuch 'name: Ada\nlayout: nosuch\n'
bad "unknown layout at its position" "$T/nosuch.yaml" \
  "nosuch.yaml:2:9: error: unknown layout 'nosuch'; installed layouts:"
cv lang-bad 'name: Ada\nlanguage: "../../etc/x"\n'
bad "a language that is not a tag" "$T/lang-bad.yaml" \
  "lang-bad.yaml:2:11: error: language: expected a language tag such as en, de or pt-BR, found '../../etc/x'"
cv lang-xx 'name: Ada\nlanguage: xx\nsections:\n  - type: summary\n    text: Hello.\n'
"$BIN" render -q "$T/lang-xx.yaml" -o "$T/x.pdf" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qxF "$T/lang-xx.yaml:2:11: warning: no hyphenation patterns for language \"xx\" (hyph_xx.dic); words will not be hyphenated" "$T/err"; then
  ok "missing hyphenation patterns: one warning at the language"
else
  no "missing hyphenation patterns: exit $rc: $(cat "$T/err")"
fi
# No warning where nothing is lost or nothing can be installed: a layout
# that does not hyphenate, a language Debian ships no patterns for.
"$BIN" render -q "$T/lang-xx.yaml" --layout compact -o "$T/x.pdf" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ]; then
  ok "missing hyphenation patterns in a layout that does not hyphenate: no warning"
else
  no "missing patterns, compact layout: exit $rc: $(cat "$T/err")"
fi
cv lang-tr 'name: Ada
language: tr
sections:
  - type: summary
    text: Merhaba.
'
"$BIN" render -q "$T/lang-tr.yaml" -o "$T/x.pdf" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && [ -s "$T/x.pdf" ]; then
  ok "a language Debian ships no hyphenation patterns for: no warning"
else
  no "language tr: exit $rc: $(cat "$T/err")"
fi

# warns NAME INPUT EXPECTED [OPTIONS...]: the run succeeds (to $T/w.pdf)
# as expect says.
warns() {
  name=$1 input=$2 want=$3
  shift 3
  rm -f "$T/w.pdf"
  "$BIN" render "$input" -o "$T/w.pdf" "$@" 2>"$T/err"
  rc=$?
  before=$fail
  expect "$name" "$rc" 0 "$want"
  [ "$fail" -eq "$before" ] && ok "$name"
}

# The link targets a PDF holds, one a line.
uris() {
  qpdf --qdf --object-streams=disable "$1" - 2>/dev/null |
    sed -n 's/^ *\/URI (\(.*\))$/\1/p' | sed 's/\\\(.\)/\1/g'
}

# 3. Values past what a PDF holds: refused at the field, before libharu.
big() { # N: N letters "A"
  head -c "$1" /dev/zero | tr '\0' 'A'
}
{ printf 'name: "'; big 50000; printf '"\n'; } >"$T/long-name.yaml"
bad "a 50,000-character name" "$T/long-name.yaml" \
  "long-name.yaml:1:7: error: expected a document title of at most 32766 characters (UTF-16 code units: the most a PDF string holds), found 50019"
grep -qF "long-name.yaml:1:7: error: expected an author's name of at most 32766 characters" "$T/err" &&
  ok "a 50,000-character name: the author too" || no "long name, author: $(cat "$T/err")"
for key in title subject keywords; do
  { printf 'name: Ada\n%s: "' "$key"; big 40000; printf '"\n'; } >"$T/long-$key.yaml"
  case $key in
  title) what="a document title" ;; subject) what="a subject" ;; keywords) what="keywords" ;;
  esac
  bad "a 40,000-character $key" "$T/long-$key.yaml" \
    "long-$key.yaml:2:$((${#key} + 3)): error: expected $what of at most 32766 characters (UTF-16 code units: the most a PDF string holds), found 40000"
done
{ printf 'name: Ada\nsections:\n  - type: summary\n    title: "'; big 33000; printf '"\n    text: Hi.\n'; } >"$T/long-heading.yaml"
bad "a 33,000-character section title" "$T/long-heading.yaml" \
  "long-heading.yaml:4:12: error: expected a heading of at most 32766 characters (UTF-16 code units: the most a PDF outline entry holds), found 33000"
# Characters beyond the BMP count twice in UTF-16: 17,000 emoji are 34,000.
python3 -c 'print("name: Ada\ntitle: \"" + "\U0001F600" * 17000 + "\"")' >"$T/emoji-title.yaml"
bad "17,000 emoji in a title (34,000 UTF-16 units)" "$T/emoji-title.yaml" \
  "emoji-title.yaml:2:8: error: expected a document title of at most 32766 characters (UTF-16 code units: the most a PDF string holds), found 34000"
# Links past the page's edge (a word wider than the page) once made
# libharu fail with "libharu error 0x1025" or "cannot store a stream".
awk 'BEGIN { s = "name: Ada\nsections:\n  - type: summary\n    text: \""; for (i = 0; i < 10000; i++) s = s "["; s = s "x"; for (i = 0; i < 10000; i++) s = s "](u)"; print s "\"" }' >"$T/nested.yaml"
"$BIN" render -q "$T/nested.yaml" -o "$T/nested.pdf" 2>"$T/err" &&
  qpdf --check "$T/nested.pdf" >/dev/null 2>&1 && ok "10,000 nested [ render" ||
  no "10,000 nested [: $(head -c 600 "$T/err")"
awk 'BEGIN { s = "name: Ada\nsections:\n  - type: summary\n    text: \""; for (i = 0; i < 10000; i++) s = s "[x](https://a.example)"; print s "\"" }' >"$T/links-word.yaml"
"$BIN" render -q "$T/links-word.yaml" -o "$T/links-word.pdf" 2>"$T/err" &&
  qpdf --check "$T/links-word.pdf" >/dev/null 2>&1 &&
  ok "10,000 links in one word wider than the page render" ||
  no "10,000 links in one word: $(head -c 600 "$T/err")"
{ printf 'name: Ada\ncontact: {phone: "'; head -c 50000 /dev/zero | tr '\0' '5'; printf '"}\n'; } >"$T/long-phone.yaml"
"$BIN" render -q "$T/long-phone.yaml" -o "$T/long-phone.pdf" 2>"$T/err" &&
  qpdf --check "$T/long-phone.pdf" >/dev/null 2>&1 &&
  ok "a 50,000-digit phone number (a link past the page) renders" ||
  no "long phone: $(head -c 600 "$T/err")"
{ printf 'name: Ada\ncontact: {email: "a@'; big 20000; printf '.org"}\n'; } >"$T/long-mail.yaml"
warns "a 20,000-byte e-mail address: the link is dropped at the field" "$T/long-mail.yaml" \
  "long-mail.yaml:2:18: warning: dropped the link to 'mailto:a@AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...': expected an http, https, mailto or tel address or a relative one, found a link of 20013 bytes (at most 16384)"
[ -s "$T/w.pdf" ] && [ -z "$(uris "$T/w.pdf" | grep -v '^$')" ] &&
  ok "the long e-mail link is not in the PDF" ||
  no "long e-mail link written: $(uris "$T/w.pdf" | head -c 200)"
cv nul 'name: "Ada\\0Lovelace"\n'
bad "an escaped NUL in a name" "$T/nul.yaml" \
  "nul.yaml:1:7: error: expected text, found a NUL character (an escaped \\0 or \\u0000); remove it"
bad "--max-pages past the PDF writer's page tree" "$T/good.yaml" \
  "error: --max-pages: expected at most 32767 (the most pages the PDF writer holds), found 40000" \
  --max-pages 40000

# 4. A UTF-8 byte order mark, and JSON escapes.
printf '\357\273\277name: Ada Lovelace\nheadline: Analyst\n' >"$T/bom.yaml"
"$BIN" render -q "$T/bom.yaml" -o "$T/bom.pdf" 2>"$T/err" &&
  pdftotext "$T/bom.pdf" - 2>/dev/null | grep -q Analyst &&
  ok "a YAML CV with a byte order mark renders" || no "BOM: $(cat "$T/err")"
printf '\357\273\277name: Ada\nheadline: "x\n' >"$T/bom-bad.yaml"
bad "after a byte order mark, errors keep their position" "$T/bom-bad.yaml" \
  "bom-bad.yaml:2:11: error: expected a closing quote for the string that starts here, found the end of the file"
printf '{"basics": {"name": "Ada \\ud83d\\ude00 Lovelace", "label": "\\uD834\\uDD1E \\u00e9"}}\n' >"$T/pair.json"
"$BIN" render -q "$T/pair.json" -o "$T/pair.pdf" 2>"$T/err" &&
  pdfinfo "$T/pair.pdf" 2>/dev/null | grep -q "Author: *Ada 😀 Lovelace" &&
  ok "a JSON Resume with surrogate pairs renders them" || no "surrogate pairs: $(cat "$T/err")"
printf '{"basics": {"name": "Ada",\n  "label": "x \\ud83d y"}}\n' >"$T/lone.json"
bad "a lone surrogate in a JSON Resume" "$T/lone.json" \
  "lone.json:2:15: error: expected a surrogate pair (a high half \\ud800-\\udbff, then a low half \\udc00-\\udfff, such as \\ud83d\\ude00), found a lone high half \\ud83d"
printf '\357\273\277{"basics": {"name": "A B"}, "work": 5}\n' >"$T/bom.json"
bad "a JSON Resume with a byte order mark keeps its positions" "$T/bom.json" \
  "bom.json:1:37: error: JSON Resume field 'work' expected a list, found '5'"
printf '{"basics": {"name": "A B"},}\n' >"$T/comma.json"
bad "a JSON syntax error at its position" "$T/comma.json" \
  "comma.json:1:28: error: expected a quoted key such as \"name\", found '}' (a comma before it?)"

# 5. Link targets: http, https, mailto and tel (and relative ones outside
# --safe) reach the PDF; anything else is dropped with a warning at the
# field or markup it came from, by every path a link takes.
mkdir -p "$T/links"
cat >"$T/links/refs.bib" <<'BIB'
@article{evil, title = {Evil paper}, author = {Ada Lovelace}, journal = {J},
  year = {2020}, url = {javascript:alert(1)}}
@article{doi, title = {Odd DOI}, author = {Ada Lovelace}, journal = {J},
  year = {2021}, doi = {httpx:evil}}
@article{good, title = {Good paper}, author = {Ada Lovelace}, journal = {J},
  year = {2022}, url = {https://ok.example/paper}}
BIB
cat >"$T/links/cv.yaml" <<'CV'
name: Ada Lovelace
contact: {email: ada@example.org, phone: "+1 555 0100"}
sections:
  - type: summary
    title: Links
    text:
      - "Ok: [web](https://ok.example/) [mail](mailto:a@ok.example) [rel](docs/a.pdf)"
      - "Bad: [js](javascript:alert(1)) <file:///etc/passwd> [d](data:text/html,x) [JS](JavaScript:alert(2)) [e](javascript&#58;alert(3)) [unc](//host.example/share)"
  - type: education
    title: Education
    entries:
      - {institution: Evil U, url: "file:///etc/shadow", degree: BSc, start: 2010, end: 2014}
  - type: projects
    title: Projects
    entries:
      - name: Thing
        links:
          - {text: Home, url: "vbscript:msgbox(1)"}
          - {text: Code, url: "https://code.example/thing"}
  - type: publications
    title: Papers
    bibtex: refs.bib
CV
L=$T/links/cv.yaml
"$BIN" render "$L" -o "$T/links.pdf" --trace "$T/links.trace" 2>"$T/lerr"
rc=$?
linkwarn() { # NAME EXPECTED: among the warnings of that run
  grep -qF -- "$2" "$T/lerr" && ok "$1" || no "$1: expected '$2' in: $(cat "$T/lerr")"
}
expect_scheme="expected an http, https, mailto or tel address or a relative one, found the scheme"
linkwarn "markup [js](javascript:...)" "cv.yaml:8:9: warning: dropped the link to 'javascript:alert(1)': $expect_scheme 'javascript:'"
linkwarn "markup autolink <file:...>" "cv.yaml:8:9: warning: dropped the link to 'file:///etc/passwd': $expect_scheme 'file:'"
linkwarn "markup data: link" "cv.yaml:8:9: warning: dropped the link to 'data:text/html,x': $expect_scheme 'data:'"
linkwarn "a scheme in capitals" "cv.yaml:8:9: warning: dropped the link to 'JavaScript:alert(2)': $expect_scheme 'JavaScript:'"
linkwarn "a scheme behind an entity" "cv.yaml:8:9: warning: dropped the link to 'javascript:alert(3)': $expect_scheme 'javascript:'"
linkwarn "a network path" "cv.yaml:8:9: warning: dropped the link to '//host.example/share': expected an http, https, mailto or tel address or a relative one, found an absolute path"
linkwarn "a plugin's URL field" "cv.yaml:12:36: warning: dropped the link to 'file:///etc/shadow': $expect_scheme 'file:'"
linkwarn "a list of links (projects)" "cv.yaml:18:31: warning: dropped the link to 'vbscript:msgbox(1)': $expect_scheme 'vbscript:'"
linkwarn "BibTeX url" "refs.bib:2:18: warning: dropped the link to 'javascript:alert(1)': $expect_scheme 'javascript:'"
linkwarn "BibTeX doi" "refs.bib:4:18: warning: dropped the link to 'httpx:evil': $expect_scheme 'httpx:'"
[ "$(grep -c 'dropped the link' "$T/lerr")" -eq 10 ] && ok "each bad link is reported once" ||
  no "dropped-link warnings: $(grep -c 'dropped the link' "$T/lerr"), expected 10"
want_uris=$(printf '%s\n' https://code.example/thing https://ok.example/ https://ok.example/paper \
  docs/a.pdf mailto:a@ok.example mailto:ada@example.org tel:+15550100 | sort)
got_uris=$(uris "$T/links.pdf" | sort -u)
[ "$rc" -eq 0 ] && [ "$got_uris" = "$want_uris" ] &&
  ok "the CV renders, and its PDF holds exactly the allowed links" ||
  no "links in the PDF: $(echo "$got_uris" | tr '\n' ' ')"
grep -aEq 'link=(javascript|file|data|vbscript|httpx|JavaScript)' "$T/links.trace" &&
  no "a dropped link is in the trace" || ok "no dropped link is in the trace"
# --safe: the same, and relative links are dropped too.
"$BIN" render --safe "$L" -o "$T/links-safe.pdf" 2>"$T/lerr"
rc=$?
linkwarn "--safe: a relative link" "cv.yaml:7:9: warning: dropped the link to 'docs/a.pdf': expected an http, https, mailto or tel address, found a relative link (safe mode allows none)"
linkwarn "--safe: javascript:" "cv.yaml:8:9: warning: dropped the link to 'javascript:alert(1)': expected an http, https, mailto or tel address, found the scheme 'javascript:'"
got_uris=$(uris "$T/links-safe.pdf" | sort -u)
[ "$rc" -eq 0 ] && [ "$got_uris" = "$(echo "$want_uris" | grep -v '^docs/')" ] &&
  ok "--safe: the CV renders, and its PDF holds only absolute allowed links" ||
  no "--safe links in the PDF: $(echo "$got_uris" | tr '\n' ' ')"
# A footer's link is reported at the footer's text, on every page once.
cv footer-link 'name: Ada\ntheme: {footer: {text: "[x](javascript:1) {page}"}}\nsections:\n  - type: summary\n    text: Hi.\n'
warns "a link in the theme's footer" "$T/footer-link.yaml" \
  "footer-link.yaml:2:24: warning: dropped the link to 'javascript:1': $expect_scheme 'javascript:'"
# A JSON Resume's links take the same way.
cat >"$T/links/resume.json" <<'JSON'
{"basics": {"name": "Ada"},
 "work": [{"name": "ACME", "position": "Dev", "url": "data:text/html,1",
           "startDate": "2020-01"}]}
JSON
warns "a JSON Resume's url" "$T/links/resume.json" \
  "resume.json:2:54: warning: dropped the link to 'data:text/html,1': $expect_scheme 'data:'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

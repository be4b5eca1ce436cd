#!/bin/sh
# Other inputs: JSON Resume and RenderCV documents render through the same
# plugins, say what they promise, convert to cvpdf's own YAML that renders
# to the same text, and report errors at their place in the user's file.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
AUDIT=../shared/tools/pdfaudit
VALUES="python3 tests/inputs/values.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

# 1. Each input renders, passes the audit, and every value it holds is in
#    the PDF's text; its conversion renders to the very same text.
for src in tests/inputs/jsonresume-sample.json \
           tests/inputs/rendercv-example.yaml tests/inputs/tricky.json; do
  n=$(basename "$src" | sed 's/\.[a-z]*$//')
  if "$BIN" render -q "$src" -o "$T/$n.pdf" 2>"$T/err"; then
    ok "render $src"
  else
    no "render $src: $(cat "$T/err")"; continue
  fi
  pdftotext "$T/$n.pdf" "$T/$n.txt"
  if $VALUES "$src" --check "$T/$n.txt" >"$T/check" 2>&1; then
    ok "values of $src in the PDF ($(tail -1 "$T/check"))"
  else
    no "values of $src in the PDF: $(tr '\n' ' ' <"$T/check")"
  fi
  if [ -x "$AUDIT" ]; then
    $VALUES "$src" >"$T/$n.expect"
    if "$AUDIT" "$T/$n.pdf" --expect "$T/$n.expect" >"$T/audit" 2>&1; then
      ok "pdfaudit $src"
    else
      no "pdfaudit $src: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
    fi
  fi
  if "$BIN" convert -q "$src" -o "$T/$n.yaml" 2>"$T/err"; then
    ok "convert $src"
  else
    no "convert $src: $(cat "$T/err")"; continue
  fi
  if "$BIN" render -q "$T/$n.yaml" -o "$T/$n-conv.pdf" 2>"$T/err" &&
     pdftotext "$T/$n-conv.pdf" "$T/$n-conv.txt" &&
     cmp -s "$T/$n.txt" "$T/$n-conv.txt"; then
    ok "converted $src renders the same text"
  else
    no "converted $src renders the same text: $(cat "$T/err")"
    diff "$T/$n.txt" "$T/$n-conv.txt" | head -10
  fi
  # Converting cvpdf's own YAML gives it back (less the comment line).
  "$BIN" convert -q "$T/$n.yaml" -o "$T/$n-again.yaml" 2>"$T/err"
  if grep -v '^#' "$T/$n.yaml" | cmp -s - "$T/$n-again.yaml"; then
    ok "converting the converted $src changes nothing"
  else
    no "converting the converted $src changes nothing: $(cat "$T/err")"
    diff "$T/$n.yaml" "$T/$n-again.yaml" | head -10
  fi
done

# 2. The converted YAML holds each value as the string it was (quotes
#    where plain YAML would read a number, a boolean or null).
if python3 - "$T/tricky.yaml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
r = d["sections"][0]["entries"][0]
e = d["sections"][1]["entries"][0]
assert d["name"] == "Zoë O'Brien-Smith", d["name"]
assert d["headline"] == r"C++ \& \*Rust\* developer", d["headline"]
assert d["contact"]["phone"] == "2021", d["contact"]
assert d["contact"]["github"] == "zoe_codes", d["contact"]
assert r["organisation"] == "yes" and r["title"] == "null", r
assert r["start"] == "2020-02" and r["end"] == "present", r
assert r["summary"] == "Line one\nLine two: with a colon", r["summary"]
assert r["highlights"][0] == r"100% of \[tests\] pass", r["highlights"]
assert r["highlights"][2] == "- dash first", r["highlights"]
assert e == {"institution": "True", "degree": "BSc", "start": "2015",
             "end": "2019", "gpa": "4.0"}, e
assert d["sections"][3]["title"] == "Profiles", d["sections"][3]
PY
then ok "converted YAML keeps strings as strings"
else no "converted YAML keeps strings as strings"
fi
grep -q '^# Converted by cvpdf from the JSON Resume document tricky.json.$' \
  "$T/tricky.yaml" && ok "converted YAML names its source" ||
  no "converted YAML names its source: $(head -1 "$T/tricky.yaml")"

# 3. What each format maps to.
c="$T/rendercv-example.yaml"
grep -q '^layout: classic$' "$c" && grep -q '^language: en$' "$c" &&
  grep -q '^  linkedin: marialindqvist$' "$c" &&
  grep -q '^  highlight:$' "$c" && grep -q '^  - Maria Lindqvist$' "$c" &&
  grep -q '^  - 3. Swedish Research Council starting grant, SEK 4 million$' "$c" &&
  grep -q '^      lines: bullets$' "$c" &&
  ok "RenderCV: layout, language, contacts, highlighted author, numbers" ||
  no "RenderCV: layout, language, contacts, highlighted author, numbers"
c="$T/jsonresume-sample.yaml"
grep -q '^  twitter: neutralthoughts$' "$c" &&
  grep -q '^  location: 2712 Broadway St, CA 94115 San Francisco, California, US$' "$c" &&
  grep -q '^    gpa: .4\.0.$' "$c" && grep -q '^    end: present$' "$T/tricky.yaml" &&
  grep -q "^    value: '\[dandymusicnl\](<https://soundcloud.example.com/dandymusicnl>)'$" "$c" &&
  ok "JSON Resume: contacts, location, score, open end, other profiles" ||
  no "JSON Resume: contacts, location, score, open end, other profiles"

printf 'cv:\n  name: A B\n  sections:\n    x:\n      - text\ndesign:\n  theme: ember\n' >"$T/ember.yaml"
"$BIN" convert -q "$T/ember.yaml" -o "$T/ember-conv.yaml" 2>"$T/err" &&
  grep -q '^layout: awesome$' "$T/ember-conv.yaml" &&
  ok "RenderCV theme ember maps to the awesome layout" ||
  no "RenderCV theme ember maps to the awesome layout: $(cat "$T/err")"
printf 'cv:\n  name: A B\ndesign:\n  theme: neon\n' >"$T/neon.yaml"
"$BIN" convert -q "$T/neon.yaml" -o - >"$T/out" 2>"$T/err"
grep -qx "$T/neon.yaml:4:10: warning: RenderCV theme 'neon' has no cvpdf counterpart; using the classic layout" "$T/err" &&
  ! grep -q '^layout' "$T/out" &&
  ok "an unknown RenderCV theme warns at its position" ||
  no "an unknown RenderCV theme warns at its position: $(cat "$T/err")"

# 4. Errors point into the user's file and say what was expected.
expect_error() { # name file message...
  name=$1 file=$2; shift 2
  if "$BIN" render -q "$file" -o "$T/e.pdf" 2>"$T/err"; then
    no "$name: rendered"; return
  fi
  if grep -qxF "$*" "$T/err"; then ok "$name"; else
    no "$name: expected '$*', got: $(cat "$T/err")"; fi
}
printf '{\n  "basics": {"name": "A B"},\n  "work": 5\n}\n' >"$T/bad.json"
expect_error "JSON Resume 'work: 5' is an error at its position" "$T/bad.json" \
  "$T/bad.json:3:11: error: JSON Resume field 'work' expected a list, found '5'"
printf '{"basics": {"name": "A B"},\n "education": [{"institution": "X",\n   "startDate": "June 14th"}]}\n' >"$T/date.json"
# A date JSON Resume's schema does not allow is printed as written, after
# a warning at its position.
expect_printed() { # name file text warning
  name=$1 file=$2 text=$3 warning=$4
  if ! "$BIN" render -q "$file" -o "$T/p.pdf" 2>"$T/err"; then
    no "$name: not rendered: $(cat "$T/err")"; return
  fi
  if [ -n "$warning" ] && ! grep -qxF "$warning" "$T/err"; then
    no "$name: expected '$warning', got: $(cat "$T/err")"; return
  fi
  if [ -z "$warning" ] && [ -s "$T/err" ]; then
    no "$name: expected no message, got: $(cat "$T/err")"; return
  fi
  if pdftotext "$T/p.pdf" - | grep -qF "$text"; then ok "$name"; else
    no "$name: '$text' not in the PDF"; fi
}
expect_printed "JSON Resume non-ISO date printed as written, with a warning" \
  "$T/date.json" "June 14th" \
  "$T/date.json:3:17: warning: JSON Resume field 'startDate' expected an ISO 8601 date such as 2014-06-29, 2014-06 or 2014, found 'June 14th'; it is printed as written"
printf '{"basics": {"name": "A B"},\n "experience": [{"name": "X"}],\n "wrok": []}\n' >"$T/keys.json"
"$BIN" render -q "$T/keys.json" -o "$T/keys.pdf" 2>"$T/err" &&
  grep -qxF "$T/keys.json:2:2: warning: JSON Resume has no top-level key 'experience': it is left out; did you mean 'work'?" "$T/err" &&
  grep -qxF "$T/keys.json:3:2: warning: JSON Resume has no top-level key 'wrok': it is left out; did you mean 'work'?" "$T/err" &&
  ok "JSON Resume unknown top-level keys: a warning with the nearest key" ||
  no "JSON Resume unknown top-level keys: $(cat "$T/err")"
printf '{"basics": {"name": "A B"},\n "work": [{"name": "X",\n   "highlights": ["a", {"b": 1}]}]}\n' >"$T/hl.json"
expect_error "JSON Resume highlight of the wrong type" "$T/hl.json" \
  "$T/hl.json:3:24: error: JSON Resume field 'highlights' expected a list of strings, found a mapping in it"
printf '{"basics": {"name": "A B"},\n "awards": [{"awarder": "X"}]}\n' >"$T/req.json"
expect_error "JSON Resume entry without its required field" "$T/req.json" \
  "$T/req.json:2:13: error: JSON Resume 'awards' entry is missing required field 'title'"
printf '{"basics": {"label": "Engineer"}}\n' >"$T/noname.json"
expect_error "JSON Resume without a name" "$T/noname.json" \
  "$T/noname.json:1:12: error: JSON Resume field 'basics' is missing required field 'name'"
# Work keywords and an interest's summary are printed too.
printf '{"basics": {"name": "A B"},\n "work": [{"name": "Acme", "position": "Dev",\n   "keywords": ["nodejs", "TypeScript"]}],\n "interests": [{"name": "Photography", "keywords": ["street"],\n   "summary": "Photos of people."}]}\n' >"$T/kw.json"
expect_printed "JSON Resume work keywords printed" "$T/kw.json" \
  "Keywords: nodejs, TypeScript" ""
expect_printed "JSON Resume interest summary printed" "$T/kw.json" \
  "street — Photos of people." ""
# basics.image naming a file is the photo (a web address is fetched:
# tests/photo_url.sh); an address of another scheme is left out.
cp examples/portrait.jpg "$T/me.jpg"
printf '{"basics": {"name": "A B", "image": "me.jpg"}}\n' >"$T/img.json"
"$BIN" render -q "$T/img.json" -o "$T/img.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
  pdfimages -list "$T/img.pdf" | grep -q " image " &&
  ok "JSON Resume basics.image: the photo" ||
  no "JSON Resume basics.image: the photo: $(cat "$T/err")"
printf '{"basics": {"name": "A B", "image": "ftp://example.com/me.jpg"}}\n' >"$T/url.json"
"$BIN" render -q --offline "$T/url.json" -o "$T/url.pdf" 2>"$T/err" &&
  grep -qxF "$T/url.json:1:37: warning: JSON Resume field 'image' expected a photo file (a path relative to the CV) or an http or https address, found 'ftp://example.com/me.jpg'; none is printed" "$T/err" &&
  ! pdfimages -list "$T/url.pdf" | grep -q " image " &&
  ok "JSON Resume basics.image as an ftp address: no photo, a warning at it" ||
  no "JSON Resume basics.image as an ftp address: $(cat "$T/err")"
printf 'cv:\n  name: A B\n  sections:\n    education: oops\n' >"$T/sec.yaml"
expect_error "RenderCV section that is not a list" "$T/sec.yaml" \
  "$T/sec.yaml:4:16: error: RenderCV section 'education' expected a list of entries, found a scalar"
printf 'cv:\n  name: A B\n  sections:\n    x:\n      - foo: 1\n' >"$T/kind.yaml"
expect_error "RenderCV entry of no known type" "$T/kind.yaml" \
  "$T/kind.yaml:5:9: error: RenderCV entry expected one of the keys institution, company, title, name, label, bullet, number or reversed_number (or plain text), found none of them"
printf 'cv:\n  name: A B\n  sections:\n    x:\n      - company: C\n        position: P\n        start_date: someday\n' >"$T/rdate.yaml"
expect_printed "RenderCV free-text start_date printed as written" \
  "$T/rdate.yaml" "someday" ""
# RenderCV typesets LaTeX math; cvpdf prints it as text, superscripts and
# subscripts in Unicode's characters where it has them.  A lone price
# stays text.
printf 'cv:\n  name: A B\n  sections:\n    x:\n      - Time from $\\mathcal{O}(n^2)$ to $\\mathcal{O}(n \\log n)$ for $5 each.\n      - Bound $$\\alpha_i^{k+1} \\leq 2^q$$ holds.\n' >"$T/math.yaml"
expect_printed "RenderCV 1.0 math as text" "$T/math.yaml" \
  "Time from O(n²) to O(n log n) for \$5 each." ""
expect_printed "RenderCV math in \$\$, a superscript Unicode lacks after its mark" \
  "$T/math.yaml" "Bound αᵢᵏ⁺¹ ≤ 2^q holds." ""
# RenderCV 0.x: sections are keys of cv, printed in section_order's order;
# custom_sections adds titled ones; label is the headline.
printf 'cv:\n  name: A B\n  label: Welder\n  section_order:\n    - Skills\n    - Education\n    - Mine\n  education:\n    - institution: U\n      study_type: BS\n      area: Arc\n  skills:\n    - name: Tools\n      details: MIG\n  custom_sections:\n    - title: Mine\n      entry_type: NormalEntry\n      entries:\n        - name: Forge\n  awards:\n    - name: Gold\n      details: 2001\n' >"$T/v08.yaml"
"$BIN" render -q "$T/v08.yaml" -o "$T/v08.pdf" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] &&
  grep -qxF "$T/v08.yaml:20:3: warning: RenderCV section 'Awards' is not in section_order: RenderCV does not print it, and neither does cvpdf" "$T/err" &&
  case "$(pdftotext -raw "$T/v08.pdf" - | tr '\n' ' ')" in
  "A B Welder Skills Tools: MIG Education U BS in Arc Mine Forge "*) true ;;
  *) false ;;
  esac; then
  ok "RenderCV 0.x: sections of cv in section_order, custom sections, label"
else
  no "RenderCV 0.x layout: exit $rc, $(cat "$T/err"), text: $(pdftotext -raw "$T/v08.pdf" - | tr '\n' ' ')"
fi
# RenderCV before 1.1 wrote a one-line entry as name: and details:.
printf 'cv:\n  name: A B\n  sections:\n    technologies:\n      - name: Languages\n        details: C, Go\n' >"$T/oneline.yaml"
expect_printed "RenderCV 1.0 one-line entry (name, details)" "$T/oneline.yaml" \
  "C, Go" ""
printf 'cv:\n  name: A B\n  sections:\n    x:\n      - name: N\n        date: Fall 2023\n' >"$T/fall.yaml"
expect_printed "RenderCV free-text date printed as written" \
  "$T/fall.yaml" "Fall 2023" ""
"$BIN" convert "$T/fall.yaml" -o "$T/fall-native.yaml" 2>/dev/null &&
  grep -qF "text: Fall 2023" "$T/fall-native.yaml" &&
  "$BIN" render -q "$T/fall-native.yaml" -o "$T/fall2.pdf" 2>/dev/null &&
  pdftotext "$T/fall2.pdf" - | grep -qF "Fall 2023" &&
  ok "a free-text date is kept through convert" ||
  no "a free-text date is kept through convert: $(cat "$T/fall-native.yaml")"

# RenderCV's settings.bold_keywords: each keyword standing as a whole word
# is bold (in the converted YAML and in the PDF), not inside another word
# nor inside a span already bold.
printf 'cv:\n  name: A B\n  sections:\n    x:\n      - company: Acme\n        position: Developer\n        highlights:\n          - Wrote Python and Pythonic code, **in Python too**.\n    y:\n      - Python everywhere, not in CPython.\nsettings:\n  bold_keywords: [Python]\n  current_date: today\n' >"$T/bold.yaml"
"$BIN" convert -q "$T/bold.yaml" -o "$T/bold-native.yaml" 2>"$T/err" &&
  [ ! -s "$T/err" ] &&
  grep -qF 'Wrote **Python** and Pythonic code, **in Python too**.' "$T/bold-native.yaml" &&
  grep -qF '**Python** everywhere, not in CPython.' "$T/bold-native.yaml" &&
  ok "RenderCV bold_keywords: bold markup in the converted YAML" ||
  no "RenderCV bold_keywords in the converted YAML: $(cat "$T/err" "$T/bold-native.yaml")"
# In the PDF: the font of a lone "Python" run is not that of "Pythonic".
"$BIN" render -q "$T/bold.yaml" -o "$T/bold.pdf" --trace "$T/bold.trace" 2>"$T/err" &&
  awk '$1 == "text" && $7 == "\"Pythonic\"" { reg = $4 }
       $1 == "text" && $7 == "\"CPython.\"" { c = $4 }
       $1 == "text" && $7 == "\"Python\"" { f[$4] = 1 }
       END { n = 0; for (k in f) { n++; if (k == reg) r = 1 }
             exit !(reg != "" && c == reg && n == 1 && !r) }' "$T/bold.trace" &&
  ok "RenderCV bold_keywords: the keyword is bold in the PDF, not inside a word" ||
  no "RenderCV bold_keywords in the PDF: $(grep -F Python "$T/bold.trace")"

# settings.pdf_title is the PDF's title, RenderCV's name placeholders
# replaced; a date placeholder has no value: a warning at it.
printf 'cv:\n  name: Jane Q Doe\n  sections:\n    x:\n      - Hello.\nsettings:\n  pdf_title: NAME - CV (NAME_IN_LOWER_KEBAB_CASE) YEAR\n' >"$T/ptitle.yaml"
"$BIN" render -q "$T/ptitle.yaml" -o "$T/ptitle.pdf" 2>"$T/err" &&
  grep -qxF "$T/ptitle.yaml:7:14: warning: RenderCV settings.pdf_title placeholder 'YEAR' has no value: cvpdf dates the CV when it renders; it is printed as written" "$T/err" &&
  [ "$(wc -l <"$T/err")" -eq 1 ] &&
  pdfinfo "$T/ptitle.pdf" | grep -qx 'Title: *Jane Q Doe - CV (jane-q-doe) YEAR' &&
  ok "RenderCV pdf_title: the PDF's title, placeholders replaced or warned at" ||
  no "RenderCV pdf_title: $(cat "$T/err"; pdfinfo "$T/ptitle.pdf" | grep Title)"

# settings.current_date: today (RenderCV's default) and render_command
# (RenderCV's output paths) say nothing; a fixed day becomes the CV's
# date: (kept by convert); anything else and an unknown key are warnings
# at their position.
printf 'cv:\n  name: A B\nsettings:\n  current_date: today\n  render_command:\n    pdf_path: x.pdf\n    dont_generate_png: true\n' >"$T/today.yaml"
"$BIN" render -q "$T/today.yaml" -o "$T/today.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
  ok "RenderCV current_date today and render_command: no warning" ||
  no "RenderCV current_date today and render_command: $(cat "$T/err")"
printf 'cv:\n  name: A B\nsettings:\n  current_date: 2025-12-10\n' >"$T/cdate.yaml"
"$BIN" convert -q "$T/cdate.yaml" -o "$T/cdate-native.yaml" 2>"$T/err" &&
  [ ! -s "$T/err" ] && grep -qx 'date: 2025-12-10' "$T/cdate-native.yaml" &&
  ok "RenderCV current_date: a day becomes date:, kept by convert" ||
  no "RenderCV current_date to date:: $(cat "$T/err" "$T/cdate-native.yaml")"
printf 'cv:\n  name: A B\nsettings:\n  current_date: 2025-12\n  sort_entries: true\n' >"$T/cdate.yaml"
"$BIN" render -q "$T/cdate.yaml" -o "$T/cdate.pdf" 2>"$T/err" &&
  grep -qxF "$T/cdate.yaml:4:17: warning: RenderCV settings.current_date expected a date such as 2026-09-14 or today, found '2025-12'; it is ignored" "$T/err" &&
  grep -qxF "$T/cdate.yaml:5:3: warning: unknown RenderCV settings key 'sort_entries' is ignored" "$T/err" &&
  ok "RenderCV current_date not a day and an unknown settings key: warnings at them" ||
  no "RenderCV current_date and unknown settings key: $(cat "$T/err")"

# 5. A failed conversion writes nothing and leaves the old output alone.
echo "old" >"$T/keep.yaml"
if "$BIN" convert -q "$T/bad.json" -o "$T/keep.yaml" 2>"$T/err"; then
  no "failed convert exits non-zero"
else
  grep -q "^$T/bad.json:3:11: error:" "$T/err" && [ "$(cat "$T/keep.yaml")" = old ] &&
    [ -z "$(ls "$T" | grep 'keep.yaml.tmp')" ] &&
    ok "failed convert leaves the output untouched" ||
    no "failed convert leaves the output untouched: $(cat "$T/err")"
fi
"$BIN" convert "$T/bad.json" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q 'needs -o' "$T/err" && ok "convert without -o is a usage error" ||
  no "convert without -o is a usage error"

# 6. A CV of cvpdf's own with a stray 'basics' key is not taken for JSON
#    Resume: the usual unknown-field error.
printf 'name: A B\nbasics: {}\nsections: []\n' >"$T/own.yaml"
"$BIN" render -q "$T/own.yaml" -o "$T/own.pdf" 2>"$T/err"
grep -q "^$T/own.yaml:2:1: error: .*'basics'" "$T/err" &&
  ok "cvpdf's own CV is never converted" ||
  no "cvpdf's own CV is never converted: $(cat "$T/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

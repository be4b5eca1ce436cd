#!/bin/sh
# The CV's own date (date:) and what reads it: the footer's {date}, a
# letter without a date of its own; the PDF's dates still follow
# SOURCE_DATE_EPOCH; a bad date is an error at its position.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000 # 2023-11-14
# text PDF: its text, a no-break space (inside a length of time) as a space.
text() { pdftotext "$1" - | sed 's/\xc2\xa0/ /g'; }
# check_err FILE MESSAGE WHAT: `check` reports exactly MESSAGE at FILE.
check_err() {
  "$BIN" check -q "$1" 2>"$T/err"
  grep -qxF "$1:$2" "$T/err" && ok "$3" || no "$3: $(cat "$T/err")"
}

cat >"$T/cv.yaml" <<'YAML'
name: Ada Test
date: 2026-09-14
theme:
  footer: {text: "dated {date}", align: center}
sections:
  - type: roles
    title: Work
    entries:
      - {title: Engineer, organisation: ACME, start: 2024-01, end: present}
YAML
"$BIN" render -q "$T/cv.yaml" -o "$T/cv.pdf" 2>"$T/err" &&
  pdftotext "$T/cv.pdf" - | grep -qx 'dated September 2026' &&
  pdfinfo "$T/cv.pdf" | grep -q '^CreationDate: .*Nov 14 .* 2023' &&
  ok "date: is the footer's {date}; SOURCE_DATE_EPOCH dates the PDF" ||
  no "date: in the footer: $(cat "$T/err"; pdftotext "$T/cv.pdf" - | tail -3)"
grep -v '^date:' "$T/cv.yaml" >"$T/nodate.yaml"
"$BIN" render -q "$T/nodate.yaml" -o "$T/nodate.pdf" 2>"$T/err" &&
  pdftotext "$T/nodate.pdf" - | grep -qx 'dated November 2023' &&
  ok "without date: the footer's {date} is SOURCE_DATE_EPOCH's" ||
  no "no date: $(cat "$T/err"; pdftotext "$T/nodate.pdf" - | tail -3)"

# A letter without a date takes its CV's; one with a date keeps its own.
printf 'type: letter\ncv: cv.yaml\nrecipient: {name: B}\nsubject: S\nopening: Hello,\nbody: [Text.]\nclosing: Bye,\n' >"$T/letter.yaml"
"$BIN" render -q "$T/letter.yaml" -o "$T/letter.pdf" 2>"$T/err" &&
  pdftotext "$T/letter.pdf" - | grep -qx 'September 14, 2026' &&
  ok "a letter without a date is dated by its CV's date:" ||
  no "letter dated by the CV: $(cat "$T/err"; pdftotext "$T/letter.pdf" - | head)"
printf 'date: 2026-01-02\n' >>"$T/letter.yaml"
"$BIN" render -q "$T/letter.yaml" -o "$T/letter.pdf" 2>"$T/err" &&
  pdftotext "$T/letter.pdf" - | grep -qx 'January 2, 2026' &&
  ! pdftotext "$T/letter.pdf" - | grep -q 'September' &&
  ok "a letter's own date wins over its CV's" ||
  no "letter's own date: $(cat "$T/err"; pdftotext "$T/letter.pdf" - | head)"

# A bad date: an error at its line:column, in check and render alike.
for v in "2026-13-40" "14 September 2026" "2026-09"; do
  sed "s/^date: .*/date: $v/" "$T/cv.yaml" >"$T/bad.yaml"
  for cmd in check "render -o $T/bad.pdf"; do
    $BIN $cmd -q "$T/bad.yaml" >/dev/null 2>"$T/err"
    grep -qxF "$T/bad.yaml:2:7: error: 'date' expected a date such as 2026-09-14, found '$v'" "$T/err" &&
      ok "${cmd%% *}: date: $v is an error at 2:7" ||
      no "${cmd%% *} date: $v: $(cat "$T/err")"
  done
done
sed 's/^date: .*/date: [2026, 9]/' "$T/cv.yaml" >"$T/bad.yaml"
check_err "$T/bad.yaml" "2:7: error: 'date' expected a date such as 2026-09-14, found a sequence" \
  "date: as a list is an error at it"
"$BIN" schema | grep -q '"date": {"description": "the day the CV is dated' &&
  ok "cvpdf schema describes date:" || no "cvpdf schema lacks date:"

# The last-updated line: off in cvpdf's layouts; updated: turns it on, on
# page 1 only, at the top right, in the CV's language, as a pagination
# artifact; a letter has none.
"$BIN" render -q "$T/cv.yaml" -o "$T/cv.pdf" --trace "$T/cv.trace" 2>/dev/null
! pdftotext "$T/cv.pdf" - | grep -q 'Last updated' &&
  ok "no last-updated line unless asked for" || no "a last-updated line by default"
printf 'sections:\n  - type: summary\n    text: "%s"\n' "$(printf 'Long text. %.0s' $(seq 1 1400))" >"$T/long.yaml"
sed -n '1,4p' "$T/cv.yaml" >"$T/upd.yaml"
printf '  updated: {align: right}\n' >>"$T/upd.yaml"
cat "$T/long.yaml" >>"$T/upd.yaml"
for l in classic modern compact awesome; do
  "$BIN" render -q "$T/upd.yaml" --layout $l -o "$T/upd-$l.pdf" 2>"$T/err" &&
    [ "$(pdfinfo "$T/upd-$l.pdf" | awk '/^Pages:/ {print $2}')" -ge 2 ] &&
    [ "$(pdftotext -f 1 -l 1 "$T/upd-$l.pdf" - | grep -ic '^Last updated September 2026$')" = 1 ] &&
    ! pdftotext -f 2 -l 2 "$T/upd-$l.pdf" - | grep -iq 'Last updated' &&
    ok "$l: updated: prints 'Last updated September 2026' on page 1 only" ||
    no "$l updated: $(cat "$T/err"; pdftotext -f 1 -l 1 "$T/upd-$l.pdf" - | head -3)"
done
# Its place: right-aligned in the top margin, above the name.
pdftotext -f 1 -l 1 -bbox "$T/upd-classic.pdf" "$T/bbox.html"
python3 - "$T/bbox.html" <<'PY' && ok "the line sits at the top right, above the name" || no "the line's place"
import re, sys
words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                   open(sys.argv[1], encoding="utf-8").read())
w = {}
for a, b, c, d, t in words:
    w.setdefault(t, (float(a), float(b), float(c), float(d)))
upd, name = w["Last"], w["Ada"]
sys.exit(0 if upd[3] < name[1] and abs(w["2026"][2] - (595.276 - 56)) < 0.5 else 1)
PY
qpdf --qdf --object-streams=disable "$T/upd-classic.pdf" "$T/q.pdf"
python3 - "$T/q.pdf" <<'PY' && ok "the line is a /Pagination artifact" || no "the line's tagging"
import re, sys
data = open(sys.argv[1], "rb").read().decode("latin-1")
# the page 1 content stream: the line's glyphs sit between the pagination
# artifact's BDC and its EMC, with no MCID
arts = re.findall(r"/Artifact <</Type /Pagination>> BDC(.*?)EMC", data, re.S)
sys.exit(0 if arts and all("MCID" not in a for a in arts) and
         sum(a.count("Tj") + a.count("TJ") for a in arts) >= 2 else 1)
PY
for lang in de fr ja; do
  sed "s/^name: Ada Test/name: Ada Test\nlanguage: $lang/" "$T/upd.yaml" >"$T/upd-$lang.yaml"
  "$BIN" render -q "$T/upd-$lang.yaml" -o "$T/upd-$lang.pdf" 2>/dev/null
  word=$(sed -n 's/^  updated: //p' locales/$lang.yaml)
  pdftotext -f 1 -l 1 "$T/upd-$lang.pdf" - | head -2 | grep -qF "$word" &&
    ok "$lang: the line's word from locales/$lang.yaml ($word)" ||
    no "$lang line: $(pdftotext -f 1 -l 1 "$T/upd-$lang.pdf" - | head -2)"
done
pdftotext -f 1 -l 1 "$T/upd-de.pdf" - | grep -qx 'Stand September 2026' &&
  ok "de: 'Stand September 2026' (CLDR's month)" || no "de month"
printf 'type: letter\ncv: upd.yaml\nrecipient: {name: B}\nsubject: S\nopening: Hello,\nbody: [Text.]\nclosing: Bye,\n' >"$T/letter2.yaml"
"$BIN" render -q "$T/letter2.yaml" -o "$T/letter2.pdf" 2>"$T/err" &&
  ! pdftotext "$T/letter2.pdf" - | grep -q 'Last updated' &&
  ok "a letter has no last-updated line" || no "letter with a last-updated line: $(cat "$T/err")"
sed 's/updated: {align: right}/updated: {align: middle}/' "$T/upd.yaml" >"$T/bad.yaml"
check_err "$T/bad.yaml" "5:20: error: align: expected justify, left, center or right, found 'middle'" \
  "a bad updated: align is an error at it"

# RenderCV prints its last-updated line unless it is turned off: 2.x
# page.show_top_note, 1.x disable_last_updated_date, 0.x
# options.show_last_updated_date; convert keeps it.
rcv() { printf 'cv:\n  name: A B\n  sections:\n    x:\n      - Hello.\n%s' "$1" >"$T/rcv.yaml"; }
for d in "" "design:\n  theme: classic\n" "design:\n  page:\n    show_top_note: true\n" \
         "design:\n  disable_last_updated_date: false\n" "design:\n  options:\n    show_last_updated_date: True\n"; do
  rcv "$(printf "$d")
settings:
  current_date: 2026-09-14
"
  "$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
    pdftotext "$T/rcv.pdf" - | grep -qx 'Last updated September 2026' &&
    ok "RenderCV last-updated line on: $(printf "$d" | tr '\n' ' ')" ||
    no "RenderCV last-updated on ($d): $(cat "$T/err"; pdftotext "$T/rcv.pdf" - | head -3)"
done
"$BIN" convert -q "$T/rcv.yaml" -o "$T/rcv-native.yaml" 2>"$T/err" &&
  grep -A2 '^  updated:$' "$T/rcv-native.yaml" | tr -d '\n' | grep -qF "  updated:    text: '{updated} {date}'    align: right" &&
  ok "convert keeps the last-updated line" || no "convert: $(cat "$T/err" "$T/rcv-native.yaml")"
for d in "design:\n  page:\n    show_top_note: false\n" "design:\n  disable_last_updated_date: true\n" \
         "design:\n  options:\n    show_last_updated_date: false\n" "design:\n  templates:\n    top_note: ''\n"; do
  rcv "$(printf "$d")"
  "$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
    ! pdftotext "$T/rcv.pdf" - | grep -q 'Last updated' &&
    ok "RenderCV last-updated line off: $(printf "$d" | tr '\n' ' ')" ||
    no "RenderCV last-updated off ($d): $(cat "$T/err"; pdftotext "$T/rcv.pdf" - | head -3)"
done
rcv 'design:
  page:
    show_top_note: maybe
  templates:
    top_note: "Updated CURRENT_DATE"
'
"$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err"
grep -qxF "$T/rcv.yaml:8:20: warning: RenderCV design.page.show_top_note expected true or false, found 'maybe'" "$T/err" &&
  grep -qxF "$T/rcv.yaml:10:15: warning: RenderCV design.templates.top_note 'Updated CURRENT_DATE' is printed as cvpdf's last-updated line ('{updated} {date}')" "$T/err" &&
  [ "$(wc -l <"$T/err")" = 2 ] &&
  ok "RenderCV top-note keys cvpdf cannot follow: warnings at them" ||
  no "RenderCV top-note warnings: $(cat "$T/err")"

# Time spans: dates: spans names sections (any case, '_' for ' '); their
# date ranges add the length of time, both months counted, an open end
# reaching the CV's date:, in CLDR's words for the CV's language; other
# sections are left alone.
cat >"$T/sp.yaml" <<'YAML'
name: Ada Test
date: 2026-09-14
theme:
  dates: {spans: [work_experience]}
sections:
  - type: roles
    title: Work Experience
    entries:
      - {title: Engineer, organisation: ACME, start: 2024-07, end: present}
      - {title: Intern, organisation: ACME, start: 2023-06, end: 2023-08}
      - {title: Lead, organisation: Foo, start: 2019, end: 2022}
  - type: roles
    title: Other
    entries:
      - {title: Chef, organisation: Bar, start: 2024-07, end: present}
YAML
span_check() { # LANG EXPECTED-LINES...
  lang=$1; shift
  sed "s/^name: Ada Test/name: Ada Test\nlanguage: $lang/" "$T/sp.yaml" >"$T/sp-$lang.yaml"
  "$BIN" render -q "$T/sp-$lang.yaml" -o "$T/sp-$lang.pdf" 2>"$T/err" ||
    { no "$lang spans: $(cat "$T/err")"; return; }
  text "$T/sp-$lang.pdf" >"$T/sp-$lang.txt"
  for want in "$@"; do
    grep -qF "$want" "$T/sp-$lang.txt" || { no "$lang spans: no '$want' in $(tr '\n' ' ' <"$T/sp-$lang.txt")"; return; }
  done
  [ "$(grep -c '(' "$T/sp-$lang.txt")" = 3 ] &&
    ok "$lang: time spans ($*)" || no "$lang spans: other sections too: $(cat "$T/sp-$lang.txt")"
}
span_check en "Jul 2024 – present (2 years, 3 months)" "Jun 2023 – Aug 2023 (3 months)" "2019 – 2022 (3 years)"
span_check de "(2 Jahre, 3 Monate)" "(3 Monate)" "(3 Jahre)"
span_check ko "(2년 3개월)" "(3개월)" "(3년)"
span_check zh "(2年3个月)" "(3个月)" "(3年)"
sed 's/^date: .*/date: 2025-01-20/' "$T/sp.yaml" >"$T/sp2.yaml"
"$BIN" render -q "$T/sp2.yaml" -o "$T/sp2.pdf" 2>/dev/null &&
  text "$T/sp2.pdf" | grep -qF "Jul 2024 – present (7 months)" &&
  ok "an open span reaches the CV's date:" ||
  no "open span and date:: $(text "$T/sp2.pdf" | grep present)"
sed 's/spans: \[work_experience\]/spans: Work/' "$T/sp.yaml" >"$T/bad.yaml"
check_err "$T/bad.yaml" "4:18: error: spans: expected a list of at most 16 section titles, found a scalar" \
  "dates: spans not a list: an error at it"

# RenderCV: show_time_spans_in (2.x sections., 1.x, 0.x options.) names
# the sections; 2.x's classic theme shows them in experience unless told
# otherwise; convert keeps them.
rcv2() { printf 'cv:\n  name: A B\n  sections:\n    experience:\n      - {company: ACME, position: Dev, start_date: 2024-07, end_date: 2025-08}\n    projects:\n      - {name: P, start_date: 2024-07, end_date: 2025-08}\n%s' "$1" >"$T/rcv.yaml"; }
for d in "" "design:\n  theme: classic\n" "design:\n  sections:\n    show_time_spans_in: [Experience]\n" \
         "design:\n  show_timespan_in: [experience]\n" "design:\n  options:\n    show_timespan_in: [Experience]\n"; do
  rcv2 "$(printf "$d")"
  "$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
    [ "$(text "$T/rcv.pdf" | grep -c 'Jul 2024 – Aug 2025 (1 year, 2 months)')" = 1 ] &&
    ok "RenderCV time spans in experience: $(printf "$d" | tr '\n' ' ')" ||
    no "RenderCV spans ($d): $(cat "$T/err"; text "$T/rcv.pdf" | grep 2025)"
done
"$BIN" convert -q "$T/rcv.yaml" -o "$T/rcv-native.yaml" 2>"$T/err" &&
  grep -A3 '^  dates:$' "$T/rcv-native.yaml" | tr -d '\n' | grep -qF '  dates:    spans:    - Experience' &&
  ok "convert keeps the time spans" || no "convert spans: $(cat "$T/err" "$T/rcv-native.yaml")"
for d in "design:\n  theme: sb2nov\n" "design:\n  sections:\n    show_time_spans_in: []\n"; do
  rcv2 "$(printf "$d")"
  "$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
    ! text "$T/rcv.pdf" | grep -q '(1 year' &&
    ok "RenderCV no time spans: $(printf "$d" | tr '\n' ' ')" ||
    no "RenderCV no spans ($d): $(cat "$T/err"; text "$T/rcv.pdf" | grep 2025)"
done
rcv2 'design:
  sections:
    show_time_spans_in: experience
  templates:
    time_span: HOW_MANY_YEARS YEARS
'
"$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err"
grep -qxF "$T/rcv.yaml:10:25: warning: RenderCV design.sections.show_time_spans_in expected a list of section titles, found a scalar; left out" "$T/err" &&
  grep -qxF "$T/rcv.yaml:12:16: warning: RenderCV design.templates.time_span has no cvpdf counterpart: a length of time is printed as CLDR writes it in the CV's language (2 years, 3 months)" "$T/err" &&
  ok "RenderCV time-span keys cvpdf cannot follow: warnings at them" ||
  no "RenderCV time-span warnings: $(cat "$T/err")"

# RenderCV's date formats: templates.single_date and show_only_years as
# dates: month, templates.date_range as dates: separator; others warn.
fmt_check() { # DESIGN EXPECTED WHAT
  rcv2 "$(printf "$1")"
  "$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
    text "$T/rcv.pdf" | grep -qxF "$2" && ok "RenderCV $3: '$2'" ||
    no "RenderCV $3: $(cat "$T/err"; text "$T/rcv.pdf" | grep 202)"
}
fmt_check "design:\n  theme: sb2nov\n  templates:\n    single_date: MONTH_NAME YEAR\n" \
  "July 2024–August 2025" "single_date MONTH_NAME YEAR (compact: no spaces around –)"
fmt_check "design:\n  theme: sb2nov\n  templates:\n    single_date: YEAR\n" \
  "2024–2025" "single_date YEAR"
fmt_check "design:\n  theme: sb2nov\n  templates:\n    single_date: MONTH_IN_TWO_DIGITS/YEAR\n    date_range: START_DATE to END_DATE\n" \
  "07/2024 to 08/2025" "single_date MONTH_IN_TWO_DIGITS/YEAR, date_range"
fmt_check "design:\n  theme: sb2nov\n  show_only_years: true\n" "2024–2025" "1.x show_only_years"
fmt_check "design:\n  theme: sb2nov\n  show_only_years: false\n" "Jul 2024–Aug 2025" "1.x show_only_years false"
rcv2 "$(printf "design:\n  theme: sb2nov\n  templates:\n    single_date: MONTH_NAME YEAR\n    date_range: START_DATE — END_DATE\n")"
"$BIN" convert -q "$T/rcv.yaml" -o "$T/rcv-native.yaml" 2>"$T/err" &&
  grep -A3 '^  dates:$' "$T/rcv-native.yaml" | tr -d '\n' | grep -qF "  dates:    month: long    separator: ' — '" &&
  ok "convert keeps the date formats" || no "convert formats: $(cat "$T/err" "$T/rcv-native.yaml")"
rcv2 'design:
  templates:
    single_date: MONTH_NAME (MONTH_ABBREVIATION) YEAR
    date_range: from START_DATE
'
"$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err"
grep -qxF "$T/rcv.yaml:10:18: warning: RenderCV design.templates.single_date has no cvpdf counterpart (MONTH_ABBREVIATION YEAR, MONTH_NAME YEAR, MONTH_IN_TWO_DIGITS/YEAR or YEAR); left out" "$T/err" &&
  grep -qxF "$T/rcv.yaml:11:17: warning: RenderCV design.templates.date_range has no cvpdf counterpart but START_DATE, a separator and END_DATE; left out" "$T/err" &&
  ok "RenderCV date formats cvpdf cannot follow: warnings at them" ||
  no "RenderCV date-format warnings: $(cat "$T/err")"

done_tests

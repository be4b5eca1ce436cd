#!/bin/sh
# The CV's own date (date:) and what reads it: the footer's {date}, a
# letter without a date of its own; the PDF's dates still follow
# SOURCE_DATE_EPOCH; a bad date is an error at its position.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000 # 2023-11-14

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
"$BIN" check -q "$T/bad.yaml" 2>"$T/err"
grep -qxF "$T/bad.yaml:2:7: error: 'date' expected a date such as 2026-09-14, found a sequence" "$T/err" &&
  ok "date: as a list is an error at it" || no "date: list: $(cat "$T/err")"
"$BIN" schema | grep -q '"date": {"description": "the day the CV is dated' &&
  ok "cvpdf schema describes date:" || no "cvpdf schema lacks date:"

done_tests

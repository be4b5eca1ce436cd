#!/bin/sh
# Any Unicode text and hostile sizes.  Text a CV may hold (flags, U+FFFF
# and other noncharacters, unassigned code points, lone combining marks,
# emoji sequences) renders through every path: render, check, BibTeX,
# JSON Resume, --safe and a batch.  Long lists, a large BibTeX file and a
# long paragraph take linear work, and --max-pages stops the typesetting
# once the limit is passed.  Large inputs are generated here.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=0
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

SAN=0
if ldd "$BIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then SAN=1; fi

crashed() { # file: a crash or sanitizer report in it?
  grep -Eq 'Assertion|Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$1"
}

# run NAME WANT_RC command...: the exit status is WANT_RC and nothing
# crashed; stderr is left in $T/err.
run() {
  name=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$rc" -ne "$want" ] || crashed "$T/err"; then
    no "$name: exit status $rc (expected $want): $(head -c 600 "$T/err")"
    return 1
  fi
  ok "$name"
}

# has NAME PDF WORD...: the PDF's text holds every word.
has() {
  name=$1 pdf=$2
  shift 2
  pdftotext -q "$pdf" "$T/text.txt" 2>/dev/null || : >"$T/text.txt"
  for w in "$@"; do
    grep -qF -- "$w" "$T/text.txt" || {
      no "$name: '$w' is not in the PDF text"
      return 1
    }
  done
  ok "$name: the text around it is in the PDF"
}

# 1. Any Unicode text.  YAML escapes carry the code points libyaml would
# refuse raw (U+FFFF is no printable character to it).
FLAG='\U0001F1EC\U0001F1E7'
cat >"$T/unicode.yaml" <<EOF
name: "Ada $FLAG Lovelace"
headline: "Flags $FLAG\U0001F1EB\U0001F1F7\U0001F1E9 and lone ones \U0001F1E9"
contact:
  email: ada@example.org
sections:
  - type: summary
    title: "Summary \uFFFF"
    text:
      - "Startword \uFFFF U+FFFF \uFFFF\uFFFF inside, nonchars \uFFFE \uFDD0 \U0001FFFF \U0010FFFF, unassigned \u0378 \U00050000 \U000E0080 endone."
      - "\u0301\u0301 lone combining marks \u0301 at a word start, family \U0001F468\u200D\U0001F469\u200D\U0001F467 thumbs \U0001F44D\U0001F3FD Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F endtwo."
  - type: education
    title: "Education $FLAG"
    entries:
      - institution: "University \uFFFF of $FLAG"
        location: "London $FLAG"
        degree: "PhD \u0301"
        start: 2020
        end: present
  - type: skills
    title: Skills
    items:
      Languages: ["English $FLAG", "French \U0001F1EB\U0001F1F7", "\uFFFF"]
EOF
run "flags and U+FFFF: render" 0 "$BIN" render "$T/unicode.yaml" -o "$T/unicode.pdf"
has "flags and U+FFFF: render" "$T/unicode.pdf" Startword endone endtwo Lovelace London
run "flags and U+FFFF: check" 0 "$BIN" check "$T/unicode.yaml"
run "flags and U+FFFF: --safe" 0 "$BIN" render --safe "$T/unicode.yaml" -o "$T/safe.pdf"
for l in classic modern awesome compact; do
  run "flags and U+FFFF: layout $l" 0 "$BIN" render "$T/unicode.yaml" \
    --layout "$l" -o "$T/l.pdf"
done
# One hard case per CV in a batch: every CV is rendered, the batch goes on.
i=0
for t in "$FLAG" '\uFFFF' '\U0001F1E9' '\u0301' '\U0001F468\u200D\U0001F469' \
  '\U000E0080\U00050000' '\uFDD0\uFFFE'; do
  i=$((i + 1))
  mkdir -p "$T/batch/$i"
  printf 'name: "Case %d %s"\nsections:\n  - type: summary\n    text: "%s word%d %s"\n' \
    "$i" "$t" "$t" "$i" "$t" >"$T/batch/$i/cv$i.yaml"
done
mkdir -p "$T/batch-out"
run "a batch of hard cases" 0 "$BIN" render "$T"/batch/*/cv*.yaml -o "$T/batch-out/"
n=$(ls "$T/batch-out" | grep -c '\.pdf$')
[ "$n" -eq "$i" ] && ok "every CV of the batch rendered" ||
  no "batch: $n of $i PDFs"

# Through BibTeX: raw UTF-8, U+FFFF included (BibTeX files are not YAML).
printf '@article{flag2024,\n  author = {Ada Lovelace and J\xf0\x9f\x87\xac\xf0\x9f\x87\xa7 Smith},\n  title = {Flags \xf0\x9f\x87\xac\xf0\x9f\x87\xa7\xf0\x9f\x87\xab\xf0\x9f\x87\xb7 and \xef\xbf\xbf in Titleword},\n  journal = {Journal \xef\xbf\xbf of \xf0\x9f\x87\xa9},\n  year = 2024\n}\n' >"$T/refs.bib"
printf 'name: Ada Lovelace\nsections:\n  - type: publications\n    title: Publications\n    bibtex: refs.bib\n' >"$T/bib.yaml"
run "flags and U+FFFF through BibTeX" 0 "$BIN" render "$T/bib.yaml" -o "$T/bib.pdf"
has "flags and U+FFFF through BibTeX" "$T/bib.pdf" Titleword
run "flags and U+FFFF through BibTeX: --safe" 0 "$BIN" render --safe "$T/bib.yaml" -o "$T/bib.pdf"
run "flags and U+FFFF through BibTeX: check" 0 "$BIN" check "$T/bib.yaml"

# A JSON Resume (raw UTF-8 and \u escapes).
printf '{"basics": {"name": "Ada \\uffff Lovelace \xf0\x9f\x87\xac\xf0\x9f\x87\xa7", "summary": "Resumeword \xf0\x9f\x87\xac\xf0\x9f\x87\xa7 \\uffff \\u0301 done"},\n "skills": [{"name": "Flags", "keywords": ["\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", "\\uffff"]}]}\n' >"$T/resume.json"
run "flags and U+FFFF in a JSON Resume" 0 "$BIN" render "$T/resume.json" -o "$T/resume.pdf"
has "flags and U+FFFF in a JSON Resume" "$T/resume.pdf" Resumeword


echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

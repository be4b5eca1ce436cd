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

# bad NAME INPUT EXPECTED [OPTIONS...]: exit status 1, no crash or
# sanitizer report, no libharu code, the previous PDF kept, and stderr
# holds EXPECTED (a fixed string: file:line:col and the words).
bad() {
  name=$1 input=$2 want=$3
  shift 3
  cp "$T/saved.pdf" "$T/out.pdf"
  "$BIN" render "$input" -o "$T/out.pdf" "$@" 2>"$T/err"
  rc=$?
  before=$fail
  [ "$rc" -eq 1 ] || no "$name: exit status $rc, expected 1"
  if grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped|libharu' "$T/err"; then
    no "$name: crash or internal error: $(head -c 600 "$T/err")"
  fi
  cmp -s "$T/out.pdf" "$T/saved.pdf" || no "$name: the previous PDF changed"
  grep -qF -- "$want" "$T/err" ||
    no "$name: expected message '$want', got: $(head -c 600 "$T/err")"
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
# A CV's override fixes what its layout got wrong; the error is at the
# value that breaks the page.
cv fixes-wide "name: Ada\nlayout: $T/layouts/wide.yaml\ntheme: {page: {margins: {right: 56}}}\n"
"$BIN" render -q "$T/fixes-wide.yaml" -o "$T/x.pdf" 2>"$T/err" &&
  ok "a CV's margins override a layout's" || no "override of a layout's margins: $(cat "$T/err")"

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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

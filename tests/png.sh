#!/bin/sh
# PNG pages: `cvpdf render CV -o out.png` (or --png, --dpi N) writes one PNG
# per page, drawn from the PDF by poppler, so it shows what the PDF holds.
set -u
BIN=$(realpath "${CVPDF_BIN:-build/core/cvpdf}")
HERE=$(cd "$(dirname "$0")" && pwd)
PNG="python3 $HERE/pngcheck.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
export SOURCE_DATE_EPOCH=1700000000

cp examples/minimal.yaml examples/academic-cv.yaml "$T/"

# One page: exactly the name given, at the resolution asked for.
if "$BIN" render -q "$T/minimal.yaml" -o "$T/min.png" --dpi 40 2>"$T/err"; then
  ok "render -o min.png"
else
  no "render -o min.png: $(cat "$T/err")"
fi
"$BIN" render -q "$T/minimal.yaml" -o "$T/min.pdf" 2>/dev/null
size=$(pdfinfo "$T/min.pdf" | awk '/^Page size/{print $3, $5}')
set -- $($PNG info "$T/min.png")
want=$(echo "$size" | awk '{w=$1*40/72; h=$2*40/72; printf "%d %d", (w==int(w))?w:int(w)+1, (h==int(h))?h:int(h)+1}')
[ "$1 $2" = "$want" ] && ok "the PNG is the page's size at 40 dpi ($want)" ||
  no "PNG size $1 $2, expected $want (page $size pt)"
awk -v ink="$3" 'BEGIN{exit !(ink > 0.01 && ink < 0.5)}' &&
  ok "the PNG has ink on it ($3 of its pixels)" || no "the PNG has $3 of its pixels inked"

# It is the PDF's page as poppler's own cairo renderer draws it.
pdftocairo -png -r 40 -singlefile "$T/min.pdf" "$T/ref"
d=$($PNG diff "$T/ref.png" "$T/min.png")
awk -v d="$d" 'BEGIN{exit !(d < 1)}' && ok "the PNG shows what the PDF holds (mean difference $d)" ||
  no "the PNG differs from the PDF's page by $d on average"

# Several pages: -N before .png, from the CV's name with --png.
(cd "$T" && "$BIN" render -q --png --dpi 30 academic-cv.yaml 2>"$T/err")
"$BIN" render -q "$T/academic-cv.yaml" -o "$T/academic.pdf"
n=$(pdfinfo "$T/academic.pdf" | awk '/^Pages/{print $2}')
got=$(cd "$T" && ls academic-cv-*.png 2>/dev/null | tr '\n' ' ')
want=$(i=1; while [ $i -le "$n" ]; do printf 'academic-cv-%d.png ' $i; i=$((i + 1)); done)
[ "$got" = "$want" ] && ok "--png writes one PNG per page: $got" || no "--png wrote '$got', expected '$want'"
[ ! -e "$T/academic-cv.pdf" ] && ok "--png leaves no PDF behind" || no "--png left a PDF"
left=$(cd "$T" && ls | grep -c tmp)
[ "$left" -eq 0 ] && ok "no temporary file is left" || no "temporary files left: $(ls "$T")"

# Resolution limits and targets that must not be written over.
"$BIN" render -q "$T/minimal.yaml" -o "$T/x.png" --dpi 5000 2>"$T/err"
[ $? -eq 2 ] && grep -qF -- "--dpi expected 18 to 600, found 5000" "$T/err" &&
  ok "--dpi out of range is a usage error" || no "--dpi 5000: $(cat "$T/err")"
mkdir "$T/dir.png"
"$BIN" render -q "$T/minimal.yaml" -o "$T/dir.png" 2>"$T/err"
[ $? -eq 1 ] && grep -qF "is not a regular file" "$T/err" && [ -d "$T/dir.png" ] &&
  ok "a directory named like the PNG is not written over" || no "dir.png: $(cat "$T/err")"
cp "$T/min.png" "$T/keep.png"
printf 'name: [unclosed\n' >"$T/bad.yaml"
"$BIN" render -q "$T/bad.yaml" -o "$T/keep.png" 2>/dev/null
cmp -s "$T/min.png" "$T/keep.png" && ok "a failed render leaves the old PNG untouched" ||
  no "a failed render changed the PNG"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

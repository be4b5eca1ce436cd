#!/bin/sh
# Photos: `photo:` rendered in each layout (the image in the PDF, inside
# the page's margins, clear of the header's text, round where the layout
# says), its alternate text in the PDF, and the errors: a missing file, a
# file that is not a JPEG or PNG image (also a truncated one), a wrong
# shape, and --safe refusing a file outside the CV's directory.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000

# 1. In each layout: one image in the PDF, its box inside the margins and
#    overlapping no text; round in modern and awesome only.
for layout in classic modern awesome compact; do
  pdf="$T/$layout.pdf" tr="$T/$layout.trace"
  if ! "$BIN" render -q examples/photo-cv.yaml --layout "$layout" -o "$pdf" \
    --trace "$tr" 2>"$T/err"; then
    no "$layout: render: $(cat "$T/err")"
    continue
  fi
  n=$(pdfimages -list "$pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
  [ "$n" = 1 ] && ok "$layout: one image in the PDF" ||
    no "$layout: expected one image in the PDF, found $n"
  margins=$(grep -A3 '^page:' "layouts/$layout.yaml" | grep -o 'margins: {[^}]*}')
  # Every text run's box (x .. x + advances, y - 0.3 size .. y + 0.9 size)
  # against the image's; the image against the page less its margins.
  awk -v m="$margins" '
    BEGIN {
      gsub(/[^0-9 .,:a-z]/, "", m); n = split(m, kv, /[ ,]+/)
      for (i = 1; i <= n; i++) if (kv[i] ~ /:$/) mg[substr(kv[i], 1, length(kv[i]) - 1)] = kv[i + 1]
    }
    $1 == "page" && NR == 1 { split($3, wh, "x"); pw = wh[1]; ph = wh[2] }
    $1 == "image" { ix = $2; iy = $3; iw = $4; ih = $5; round = / round / ; images++ }
    $1 == "text" {
      w = 0; for (i = 1; i <= NF; i++) if ($i ~ /^adv=/) {
        k = split(substr($i, 5), a, ","); for (j = 1; j <= k; j++) w += a[j] }
      tx[++t] = $2; ty[t] = $3; tw[t] = w; ts[t] = $5
    }
    END {
      if (images != 1) { print "images: " images; exit 1 }
      if (ix < mg["left"] - 0.01 || iy < mg["bottom"] - 0.01 ||
          ix + iw > pw - mg["right"] + 0.01 || iy + ih > ph - mg["top"] + 0.01) {
        print "image " ix "," iy " " iw "x" ih " outside the margins of " pw "x" ph; exit 1 }
      for (i = 1; i <= t; i++)
        if (tx[i] < ix + iw && tx[i] + tw[i] > ix &&
            ty[i] - 0.3 * ts[i] < iy + ih && ty[i] + 0.9 * ts[i] > iy) {
          print "text at " tx[i] "," ty[i] " overlaps the image"; exit 1 }
      if (!mg["left"] || !mg["top"]) { print "no margins read"; exit 1 }
      print round ? "round" : "square"
    }' "$tr" >"$T/shape" 2>&1 && ok "$layout: the photo is inside the margins, clear of text" ||
    no "$layout: $(cat "$T/shape")"
  want=square
  case $layout in modern | awesome) want=round ;; esac
  [ "$(cat "$T/shape")" = "$want" ] && ok "$layout: the photo is $want" ||
    no "$layout: expected a $want photo, found $(cat "$T/shape")"
done

# 2. The alternate text goes into the PDF with the image: the structure
#    tree's Figure element carries /Alt (UTF-16 of "Photo of Mira Okafor"),
#    and the image is drawn inside a /Figure marked-content sequence.
qpdf --qdf --object-streams=disable "$T/classic.pdf" "$T/qdf.pdf" 2>/dev/null
figure_alt "$T/classic.pdf" 'Photo of Mira Okafor' &&
  ok "alternate text on the photo's Figure element" ||
  no "alternate text: no Figure element with /Alt 'Photo of Mira Okafor'"
grep -a -q "^/Figure *<</MCID [0-9]*>> *BDC" "$T/qdf.pdf" &&
  ok "the photo is drawn in a /Figure marked-content sequence" ||
  no "no /Figure marked-content sequence in the content"

# 3. A PNG (and a JPEG) of a CV in another directory, alt text given.
mkdir -p "$T/cv"
cp tests/data/photo/portrait.png "$T/cv/me.png"
cat >"$T/cv/png.yaml" <<'EOF'
name: Ada
photo: {path: me.png, alt: Ada at her desk}
sections: []
EOF
"$BIN" render -q "$T/cv/png.yaml" -o "$T/png.pdf" --trace "$T/png.trace" 2>"$T/err" &&
  grep -q '^image .* me.png 240x300 alt="Ada at her desk"$' "$T/png.trace" &&
  ok "a PNG photo with its alt text" || no "PNG photo: $(cat "$T/err" "$T/png.trace" | head -5)"

# 4. Errors at the field's line and column.
expect_error() { # yaml, expected message (grep -F), [options]
  printf '%s\n' "$1" >"$T/cv/e.yaml"
  msg=$2
  shift 2
  if "$BIN" render "$@" "$T/cv/e.yaml" -o "$T/e.pdf" 2>"$T/err"; then
    no "$msg: rendered"
  elif grep -q -F "$T/cv/e.yaml:$msg" "$T/err"; then
    ok "error: $msg"
  else
    no "expected '$msg', found: $(cat "$T/err")"
  fi
}
expect_error "$(printf 'name: A\nphoto: nothere.jpg\nsections: []')" \
  "2:8: error: cannot read photo '$T/cv/nothere.jpg': No such file or directory"
printf 'GIF89a' >"$T/cv/x.gif"
expect_error "$(printf 'name: A\nphoto:\n  path: x.gif\nsections: []')" \
  "3:9: error: photo 'x.gif': expected a JPEG or PNG image, found a file of another kind"
head -c 3000 tests/data/photo/portrait.png >"$T/cv/cut.png"
expect_error "$(printf 'name: A\nphoto: cut.png\nsections: []')" \
  "2:8: error: photo 'cut.png': expected a JPEG or PNG image, found a PNG file libpng cannot read"
head -c 2000 examples/portrait.jpg >"$T/cv/cut.jpg"
expect_error "$(printf 'name: A\nphoto: cut.jpg\nsections: []')" \
  "2:8: error: photo 'cut.jpg': expected a JPEG or PNG image, found a JPEG file libjpeg cannot read (Premature end of JPEG file)"
expect_error "$(printf 'name: A\nphoto: [me.png]\nsections: []')" \
  "2:8: error: photo: expected an image file name or a mapping with path: and alt:, found a sequence"
expect_error "$(printf 'name: A\nphoto: {pth: me.png}\nsections: []')" \
  "2:9: error: unknown field 'pth' in photo; did you mean 'path'?"
expect_error "$(printf 'name: A\ntheme: {photo: {position: rigth}}\nsections: []')" \
  "2:27: error: photo: expected a position of right, left, center or none, found 'rigth'; did you mean 'right'?"

# 5. check reports a bad photo and goes on to the sections.
printf 'name: A\nphoto: nothere.jpg\nsections:\n  - type: sumary\n' >"$T/cv/c.yaml"
"$BIN" check "$T/cv/c.yaml" >"$T/out" 2>&1
grep -q "c.yaml:2:8: error: cannot read photo" "$T/out" &&
  grep -q "c.yaml:4:11: error: unknown section type 'sumary'" "$T/out" &&
  ok "check lists the photo's error and the rest" ||
  no "check: $(cat "$T/out")"

# 6. --safe: only from beneath the CV's directory (a path, an absolute
#    path and a symbolic link out of it are refused); inside, it renders.
cp tests/data/photo/portrait.png "$T/outside.png"
ln -s ../outside.png "$T/cv/link.png"
for p in ../outside.png "$T/outside.png" link.png; do
  expect_error "$(printf 'name: A\nphoto: %s\nsections: []' "$p")" \
    "2:8: error: photo: expected an image in the CV's directory, found '$p'" --safe
done
"$BIN" render -q "$T/cv/e.yaml" -o "$T/unsafe.pdf" 2>"$T/err" &&
  ok "without --safe, a link out of the directory is read" ||
  no "without --safe: $(cat "$T/err")"
"$BIN" render -q --safe "$T/cv/png.yaml" -o "$T/safe.pdf" 2>"$T/err" &&
  [ "$(pdfimages -list "$T/safe.pdf" | awk 'NR > 2' | wc -l)" = 1 ] &&
  ok "--safe renders a photo beside the CV" || no "--safe photo: $(cat "$T/err")"

# 7. A photo never takes more than half the page's text height.
printf 'name: A\nphoto: me.png\ntheme: {page: {margins: {top: 4in, bottom: 4in}}, photo: {size: 216}}\nsections: []\n' >"$T/cv/h.yaml"
"$BIN" render -q "$T/cv/h.yaml" -o "$T/h.pdf" --trace "$T/h.trace" 2>"$T/err" &&
  awk '$1 == "image" { exit !($5 <= 133) } ' "$T/h.trace" &&
  grep -q '^image' "$T/h.trace" &&
  ok "a 216 pt photo on a page with 266 pt of text is 133 pt high" ||
  no "tall photo: $(cat "$T/err"; grep '^image' "$T/h.trace")"

# 8. No output replaces the photo, under any name.
cp "$T/cv/me.png" "$T/keep.png"
if "$BIN" render "$T/cv/png.yaml" -o "$T/cv/me.png" 2>"$T/err"; then
  no "the PDF was written over the photo"
else
  grep -q "which this run reads" "$T/err" && cmp -s "$T/cv/me.png" "$T/keep.png" &&
    ok "the PDF may not replace the photo" || no "photo as output: $(cat "$T/err")"
fi

cp "$T/keep.png" "$T/cv/me.png"
"$BIN" render "$T/cv/png.yaml" -o "$T/out.png" 2>"$T/err" &&
  "$BIN" render "$T/cv/png.yaml" --png -o "$T/cv/me.pdf" 2>"$T/err"
[ $? -ne 0 ] && grep -q "which this run reads" "$T/err" &&
  cmp -s "$T/cv/me.png" "$T/keep.png" &&
  ok "nor may a PNG picture of the page" || no "PNG over the photo: $(cat "$T/err")"

# 9. A layout may leave the photo out.
printf 'name: A\nphoto: me.png\ntheme: {photo: {position: none}}\nsections: []\n' >"$T/cv/n.yaml"
"$BIN" render -q "$T/cv/n.yaml" -o "$T/n.pdf" 2>"$T/err" &&
  [ "$(pdfimages -list "$T/n.pdf" | awk 'NR > 2' | wc -l)" = 0 ] &&
  ok "position: none leaves the photo out" || no "position none: $(cat "$T/err")"

done_tests

#!/bin/sh
# Letters (type: letter, plugins/letter): the header and layout taken from
# the CV the letter names, its sections left out; the date in the letter's
# language and from SOURCE_DATE_EPOCH; the recipient inside the DIN 5008
# window in every layout; the signature image; errors at their line and
# column (unknown field, missing body, a cv: that cannot be read, a wrong
# type:, --safe); `check`, the JSON Schema and the tagged PDF.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000 # 2023-11-14
has() { grep -qF -- "$2" "$1" && ok "$3" || no "$3: $(head -c 600 "$1")"; }
hasnt() { grep -qF -- "$2" "$1" && no "$3: $(head -c 600 "$1")" || ok "$3"; }

# 1. The example: the CV's header, not its sections; the given date.
"$BIN" render -q examples/cover-letter.yaml -o "$T/l.pdf" 2>"$T/err" &&
  [ ! -s "$T/err" ] && ok "examples/cover-letter.yaml renders" ||
  no "render the example: $(cat "$T/err")"
pdftotext "$T/l.pdf" "$T/l.txt"
has "$T/l.txt" "Mira Okafor" "the name comes from the CV"
has "$T/l.txt" "mira.okafor@example.org" "the contact line comes from the CV"
has "$T/l.txt" "Manchester, March 14, 2026" "place and date, in English"
hasnt "$T/l.txt" "Northwind Logistics Senior" "the CV's sections are left out"
n=$(pdfimages -list "$T/l.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
[ "$n" = 2 ] && ok "the CV's photo and the signature image are in the PDF" ||
  no "expected 2 images (photo, signature), found $n"
pdfinfo "$T/l.pdf" >"$T/info"
has "$T/info" "Subject:         Application for the position of Lead Data Engineer" \
  "the subject is the PDF's subject"

# 2. The date follows the language: --lang de, and a letter of its own.
"$BIN" render -q examples/cover-letter.yaml --lang de -o "$T/de.pdf" &&
  pdftotext "$T/de.pdf" "$T/de.txt"
has "$T/de.txt" "Manchester, 14. März 2026" "--lang de prints a German date"
has "$T/de.txt" "Anlagen" "--lang de prints the German word for enclosures"
printf 'type: letter\nname: Ana\nlanguage: fr\nbody: Bonjour.\n' >"$T/fr.yaml"
"$BIN" render -q "$T/fr.yaml" -o "$T/fr.pdf" && pdftotext "$T/fr.pdf" "$T/fr.txt"
has "$T/fr.txt" "14 novembre 2023" "no date: the document date (SOURCE_DATE_EPOCH), in French"
SOURCE_DATE_EPOCH=1773446400 "$BIN" render -q "$T/fr.yaml" -o "$T/fr2.pdf" &&
  pdftotext "$T/fr2.pdf" "$T/fr2.txt"
has "$T/fr2.txt" "14 mars 2026" "another SOURCE_DATE_EPOCH, another date"

# The bilingual letter: one source, each language's text, date and words.
"$BIN" render -q examples/bilingual-letter.yaml --lang de -o "$T/bde.pdf" 2>"$T/err" &&
  [ ! -s "$T/err" ] && pdftotext "$T/bde.pdf" "$T/bde.txt" ||
  no "bilingual letter --lang de: $(cat "$T/err")"
has "$T/bde.txt" "Jena, 14. März 2026" "the German letter's date"
has "$T/bde.txt" "Sehr geehrter Herr Dr. Richter," "the German letter's text"
has "$T/bde.txt" "Wissenschaftlerin, optische Messtechnik" "the CV's German headline"
has "$T/bde.txt" "Anlage" "one enclosure: the singular word"
"$BIN" render -q examples/bilingual-letter.yaml -o "$T/ben.pdf" &&
  pdftotext "$T/ben.pdf" "$T/ben.txt"
has "$T/ben.txt" "Dear Dr. Richter," "the English letter from the same source"

# 3. The recipient inside the DIN 5008 window (A4 points: x 20-105 mm =
#    56.7-297.6, y 45-90 mm from the top = 127.6-255.1), in each layout.
cp examples/photo-cv.yaml examples/portrait.jpg examples/signature.png "$T/"
sed 's/^place: Manchester/window: din5008\nplace: Manchester/' \
  examples/cover-letter.yaml >"$T/window.yaml"
for layout in classic modern awesome compact; do
  if ! "$BIN" render -q "$T/window.yaml" --layout "$layout" \
    -o "$T/w.pdf" 2>"$T/err" || [ -s "$T/err" ]; then
    no "$layout window: $(cat "$T/err")"
    continue
  fi
  pdftotext -bbox "$T/w.pdf" "$T/w.html"
  for word in Hannah Germany; do
    line=$(grep -m1 ">$word<" "$T/w.html")
    if echo "$line" | awk -F'"' '{ if ($2 >= 56.7 && $6 <= 297.6 &&
        $4 >= 127.6 && $8 <= 255.1) exit 0; exit 1 }'; then
      ok "$layout: '$word' inside the DIN 5008 window"
    else
      no "$layout: '$word' outside the window: $line"
    fi
  done
  x=$(grep -m1 '>Dr\.<' "$T/w.html" | awk -F'"' '{ print $2 }')
  awk -v x="$x" 'BEGIN { exit !(x > 70.5 && x < 71.3) }' &&
    ok "$layout: the address starts 25 mm from the left ($x pt)" ||
    no "$layout: the address starts at $x pt, not 70.87"
done
# A header too tall for the window is warned about, the address set below.
printf 'type: letter\nname: Ana\nwindow: din5008\ntheme: {styles: {name: {size: 90, leading: 144}}}\nrecipient: {name: Bo}\nbody: Hi.\n' >"$T/tall.yaml"
"$BIN" render -q "$T/tall.yaml" -o "$T/tall.pdf" 2>"$T/err"
has "$T/err" "warning: the din5008 address field starts 62.7 mm below the page's top" \
  "a header reaching into the window is warned about"

# 3b. The windows are the layouts' places: a layout of its own moves one
#     (15 mm lower: the address 42.5 pt lower) or declares another, and a
#     place no layout declares is warned about.
y_of() { pdftotext -bbox "$1" - | grep -m1 ">$2<" | awk -F'"' '{ print $4 }'; }
x_of() { pdftotext -bbox "$1" - | grep -m1 ">$2<" | awk -F'"' '{ print $2 }'; }
cat >"$T/mine.yaml" <<'EOF_L'
extends: classic
letter:
  places:
    din5008: {top: 60mm, left: 20mm, width: 85mm, height: 45mm,
              inset_top: 17.7mm, inset_left: 5mm}
    side: {top: 45mm, left: 110mm, width: 80mm, height: 45mm}
EOF_L
"$BIN" render -q "$T/window.yaml" --layout classic -o "$T/w0.pdf" 2>/dev/null
"$BIN" render -q "$T/window.yaml" --layout "$T/mine.yaml" -o "$T/w1.pdf" 2>"$T/err"
y0=$(y_of "$T/w0.pdf" Hannah) y1=$(y_of "$T/w1.pdf" Hannah)
awk -v a="$y0" -v b="$y1" 'BEGIN { exit !(b - a > 42.4 && b - a < 42.6) }' &&
  ok "a layout's places: moves the window (Hannah at $y0, then $y1 pt)" ||
  no "places: din5008 15 mm lower: Hannah at $y0, then $y1 pt: $(cat "$T/err")"
sed 's/^window: din5008/window: side/' "$T/window.yaml" >"$T/side.yaml"
"$BIN" render -q "$T/side.yaml" --layout "$T/mine.yaml" -o "$T/w2.pdf" 2>"$T/err"
x2=$(x_of "$T/w2.pdf" Hannah)
awk -v x="$x2" 'BEGIN { exit !(x > 311.8 && x < 340) }' && [ ! -s "$T/err" ] &&
  ok "a place a layout declares itself ($x2 pt from the left)" ||
  no "window: side at $x2 pt: $(cat "$T/err")"
sed 's/^window: din5008/window: nowhere/' "$T/window.yaml" >"$T/nowhere.yaml"
"$BIN" render -q "$T/nowhere.yaml" -o "$T/w3.pdf" 2>"$T/err"
has "$T/err" "warning: the layout declares no place 'nowhere' (its places: din5008, din5008a)" \
  "a window the layout does not declare is warned about"
printf 'extends: classic\nletter:\n  places:\n    din5008: {top: 45mm, left: 20mm, wdth: 85mm, height: 45mm}\n    x: {top: 1mm, left: 1mm, width: 9mm}\n    y: {top: 1mm, left: 1mm, width: 9mm, height: 5km}\n' >"$T/badplaces.yaml"
"$BIN" check "$T/window.yaml" --layout "$T/badplaces.yaml" 2>"$T/err"
has "$T/err" "badplaces.yaml:4:38: error: unknown key 'wdth' in a place; did you mean 'width'?" \
  "places: an unknown key, with the nearest"
has "$T/err" "badplaces.yaml:5:8: error: place x is missing 'height'" "places: a missing size"
grep -q "badplaces.yaml:6:50: error: height: expected a length" "$T/err" &&
  ! grep -q "insets" "$T/err" &&
  ok "places: a length that is no length" || no "places: 5km: $(cat "$T/err")"

# 4. Errors at their line and column, all of them in one check.
printf 'type: letter\ncv: photo-cv.yaml\nrecipent: {name: X}\nopening: 7\n' >"$T/bad.yaml"
"$BIN" check "$T/bad.yaml" 2>"$T/err"
has "$T/err" "bad.yaml:3:1: error: unknown field 'recipent' in the letter; did you mean 'recipient'?" \
  "unknown field, with the nearest"
has "$T/err" "bad.yaml:1:1: error: the letter is missing required field 'body'" \
  "missing body"
printf 'type: letter\ncv: nope/cv.yaml\nbody: x\n' >"$T/nocv.yaml"
"$BIN" check "$T/nocv.yaml" 2>"$T/err"
has "$T/err" "nocv.yaml:2:5: error: cannot read the CV '$T/nope/cv.yaml': No such file or directory" \
  "a cv: that cannot be read, relative to the letter"
printf 'type: lettre\nbody: x\n' >"$T/type.yaml"
"$BIN" check "$T/type.yaml" 2>"$T/err"
has "$T/err" "type.yaml:1:7: error: type: expected 'letter'" "a wrong type:"
printf 'type: letter\ncv: fr.yaml\nbody: x\n' >"$T/twice.yaml"
"$BIN" check "$T/twice.yaml" 2>"$T/err"
has "$T/err" "twice.yaml:2:5: error: cv: expected a CV, found" "a cv: that is a letter"
printf 'type: letter\ncv: [a]\nbody: x\n' >"$T/list.yaml"
"$BIN" check "$T/list.yaml" 2>"$T/err"
has "$T/err" "list.yaml:2:5: error: cv: expected the file name of a CV" "a cv: that is no text"
printf 'type: letter\ncv: photo-cv.yaml\nbody: x\nsignature: {image: none.png}\n' >"$T/sig.yaml"
"$BIN" render -q "$T/sig.yaml" -o "$T/sig.pdf" 2>"$T/err"
has "$T/err" "sig.yaml:4:20: error: cannot read image '$T/none.png'" \
  "a missing signature image, at its field"
printf 'type: letter\ncv: photo-cv.yaml\nbody: x\ndate: 2026-13-40\n' >"$T/date.yaml"
"$BIN" check "$T/date.yaml" 2>"$T/err"
has "$T/err" "date.yaml:4:7: error:" "a bad date, at its field"
"$BIN" check examples/cover-letter.yaml 2>"$T/err" &&
  has "$T/err" "cover-letter.yaml: ok; 0 errors, 0 warnings" "check passes the example"

# 5. --safe: the CV must be beneath the letter's directory.
mkdir "$T/in"
printf 'type: letter\ncv: ../photo-cv.yaml\nbody: x\n' >"$T/in/out.yaml"
"$BIN" render -q --safe "$T/in/out.yaml" -o "$T/safe.pdf" 2>"$T/err"
has "$T/err" "out.yaml:2:5: error: cv: expected a CV in the letter's directory, found '../photo-cv.yaml'" \
  "--safe refuses a CV outside the letter's directory"
"$BIN" render -q --safe "$T/sig.yaml" -o "$T/s2.pdf" 2>"$T/err"
has "$T/err" "error: cannot read image" "--safe renders a letter (the image error from the child)"

# 6. The letter's own fields win over the CV's; its layout too.
printf 'type: letter\ncv: photo-cv.yaml\nheadline: Lead Data Engineer\nlayout: compact\nbody: x\n' >"$T/own.yaml"
"$BIN" render -q "$T/own.yaml" -o "$T/own.pdf" --trace "$T/own.trace" &&
  pdftotext "$T/own.pdf" "$T/own.txt"
has "$T/own.txt" "Lead Data Engineer" "the letter's own headline"
hasnt "$T/own.txt" "streaming systems" "not the CV's headline"
has "$T/own.trace" "Inter" "the letter's own layout"

# The CV's theme: stays under the letter's own, value by value.
printf 'name: Ana\nlayout: awesome\ntheme: {styles: {heading: {color: "#cc0000"}, letter: {color: "#0000cc"}}}\nsections: []\n' >"$T/themed-cv.yaml"
printf 'type: letter\ncv: themed-cv.yaml\ntheme: {styles: {letter: {color: "#00aa00"}}}\nsubject: Subj\nbody: Text.\n' >"$T/themed.yaml"
"$BIN" render -q "$T/themed.yaml" -o "$T/themed.pdf" --trace "$T/themed.trace" 2>"$T/err" ||
  no "themed letter: $(cat "$T/err")"
grep -qi '#cc0000 "Subj"' "$T/themed.trace" && ok "the CV's theme colours the subject" ||
  no "the CV's theme is lost: $(grep Subj "$T/themed.trace")"
grep -qi '#00aa00 "Text."' "$T/themed.trace" && ok "the letter's theme wins for the text" ||
  no "the letter's theme does not win: $(grep Text "$T/themed.trace")"

# 7. Tagged: the subject a heading, the text paragraphs, the signature a
#    figure with its alternate text.
pdfinfo -struct-text "$T/l.pdf" >"$T/struct" 2>&1
has "$T/struct" "Application for the position" "the subject is in the structure tree"
grep -q '^ *H[1-6]' "$T/struct" && ok "headings tagged" || no "no heading in the structure"
grep -q '^ *P' "$T/struct" && ok "paragraphs tagged" || no "no paragraph in the structure"
python3 tests/pdfua.py "$T/l.pdf" >"$T/ua" 2>&1 && ok "PDF/UA checks" ||
  no "PDF/UA: $(grep -v '^ok' "$T/ua" | head -3)"
figure_alt "$T/l.pdf" 'Signature of Mira Okafor' &&
  ok "the signature is a Figure with its alternate text" ||
  no "no Figure element with /Alt 'Signature of Mira Okafor'"

# 8. The JSON Schema: a letter is valid, a misspelt letter field is not.
"$BIN" schema -o "$T/s.json"
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  cp "$T/bad.yaml" "$T/bad2.yaml"
  python3 - "$T/s.json" examples/cover-letter.yaml "$T/bad2.yaml" >"$T/val" 2>&1 <<'PY'
import json, sys, jsonschema, yaml
class Loader(yaml.SafeLoader):  # dates stay strings, as cvpdf reads them
    pass
Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != 'tag:yaml.org,2002:timestamp']
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
for p in sys.argv[2:]:
    errs = list(v.iter_errors(yaml.load(open(p, encoding='utf-8'), Loader=Loader)))
    print(p, 'valid' if not errs else 'invalid: ' + '; '.join(e.message for e in errs))
PY
  has "$T/val" "examples/cover-letter.yaml valid" "the schema accepts the letter"
  has "$T/val" "'recipent' was unexpected" "the schema rejects a misspelt letter field"
  has "$T/val" "'body' is a required property" "the schema requires body"
else
  no "python3-jsonschema and python3-yaml are needed to validate the schema"
fi
done_tests

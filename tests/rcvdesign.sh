#!/bin/sh
# RenderCV's design: colours (#hex, rgb()), installed fonts, sizes, the
# alignment and the highlights' bullet marks become theme overrides,
# printed and kept by convert; a font that is not installed and a key with
# no counterpart are warnings naming the key at its line and column.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000
R=tests/inputs/rendercv-design.yaml

"$BIN" render "$R" -o "$T/d.pdf" --trace "$T/d.trace" >/dev/null 2>"$T/err" ||
  no "render $R: $(cat "$T/err")"
for want in \
  "rendercv-design.yaml:19:5: warning: RenderCV design.colors.links has no cvpdf counterpart; left out" \
  "rendercv-design.yaml:24:13: warning: RenderCV design.typography.font_family.name 'No Such Font' is not installed (fontconfig); using the layout's font"; do
  grep -qF "$want" "$T/err" && ok "warns: ${want#*warning: }" ||
    no "no warning '$want': $(cat "$T/err")"
done
[ "$(grep -c ': warning: ' "$T/err")" = 2 ] && ok "no other warning" ||
  no "warnings: $(cat "$T/err")"
grep -q '^text .* Lato-Regular 24.00 #004F90 "Dora"' "$T/d.trace" &&
  ok "colors.name rgb(0, 79, 144) is the name's colour" ||
  no "name colour: $(grep '"Dora"' "$T/d.trace")"
grep -q '^text .* Lato-Regular 11.00 #000000 "Mixed"' "$T/d.trace" &&
  ok "font_family.body Lato and font_size.body 11pt set the body" ||
  no "body: $(grep '"Mixed"' "$T/d.trace")"
grep -q '^text .* #AA2200 ' "$T/d.trace" && ok "colors.section_titles colours the heading" ||
  no "no text in #AA2200"
grep -q '^text .* "▸" ' "$T/d.trace" && [ "$(grep -c '^text .* "-" ' "$T/d.trace")" = 2 ] &&
  ok "highlights bullet ▸ and nested_bullet - mark the two levels" ||
  no "bullets: $(grep -c '^text .* "-" ' "$T/d.trace")"
"$BIN" convert -q "$R" -o "$T/conv.yaml" 2>/dev/null || no "convert $R"
python3 - "$T/conv.yaml" >"$T/py" 2>&1 <<'PY'
import sys, yaml
th = yaml.safe_load(open(sys.argv[1]))["theme"]
assert th["styles"]["name"] == {"color": "#004F90"}, th["styles"]
assert th["styles"]["heading"] == {"color": "#AA2200"}, th["styles"]
assert th["styles"]["body"] == {"align": "left", "family": "Lato",
                                "size": 11}, th["styles"]
assert th["lists"] == {"bullet": ["▸", "-"]}, th["lists"]
PY
[ $? = 0 ] && ok "convert keeps the overrides in theme:" || no "convert: $(cat "$T/py")"
"$BIN" render -q "$T/conv.yaml" -o "$T/c.pdf" --trace "$T/c.trace" 2>/dev/null &&
  cmp -s "$T/d.trace" "$T/c.trace" && ok "the converted file renders the same page" ||
  no "the converted file renders otherwise"

# RenderCV 1.x: color, font, font_size, text_alignment, margins.page; a
# colour cvpdf cannot read; the theme's own default font is the layout's.
cat >"$T/v1.yaml" <<'YAML'
cv:
  name: Vera One
design:
  theme: classic
  font: Source Sans 3
  font_size: 10pt
  color: rgb(300, 0, 0)
  text_alignment: left-aligned
  margins:
    page:
      top: 2 cm
      left: 2 cm
YAML
"$BIN" convert -q "$T/v1.yaml" -o "$T/v1c.yaml" 2>"$T/err1"
grep -qF "v1.yaml:7:10: warning: RenderCV design.color 'rgb(300, 0, 0)' is not a colour cvpdf reads (#RRGGBB, rgb(R, G, B)); left out" "$T/err1" &&
  [ "$(grep -c ': warning: ' "$T/err1")" = 1 ] &&
  ok "1.x: a bad colour warns at its value; the classic theme's Source Sans 3 does not" ||
  no "1.x warnings: $(cat "$T/err1")"
python3 - "$T/v1c.yaml" >"$T/py" 2>&1 <<'PY'
import sys, yaml
th = yaml.safe_load(open(sys.argv[1]))["theme"]
assert th["page"]["margins"] == {"top": "2 cm", "left": "2 cm"}, th["page"]
assert th["styles"]["body"] == {"size": 10, "align": "left"}, th["styles"]
PY
[ $? = 0 ] && ok "1.x: margins.page, font_size and text_alignment kept" ||
  no "1.x convert: $(cat "$T/py")"

done_tests

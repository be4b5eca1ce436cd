#!/bin/sh
# RenderCV's design: colours (#hex, rgb()), installed fonts, sizes, the
# alignment and the highlights' bullet marks become theme overrides,
# printed and kept by convert; a font that is not installed and a key with
# no counterpart are warnings naming the key at its line and column.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000
R=tests/inputs/rendercv-design.yaml

# render_warns NAME WANT WHAT: renders $T/NAME.yaml (trace $T/NAME.trace);
# its only warning must be WANT.
render_warns() {
  "$BIN" render "$T/$1.yaml" -o "$T/$1.pdf" --trace "$T/$1.trace" >/dev/null 2>"$T/err$1" ||
    no "render $1: $(cat "$T/err$1")"
  grep -qF "$2" "$T/err$1" && [ "$(grep -c ': warning: ' "$T/err$1")" = 1 ] &&
    ok "$3" || no "$1 warnings: $(cat "$T/err$1")"
}

"$BIN" render "$R" -o "$T/d.pdf" --trace "$T/d.trace" >/dev/null 2>"$T/err" ||
  no "render $R: $(cat "$T/err")"
for want in \
  "rendercv-design.yaml:25:13: warning: RenderCV design.typography.font_family.name 'No Such Font' is not installed (fontconfig); using the layout's font"; do
  grep -qF "$want" "$T/err" && ok "warns: ${want#*warning: }" ||
    no "no warning '$want': $(cat "$T/err")"
done
[ "$(grep -c ': warning: ' "$T/err")" = 1 ] && ok "no other warning" ||
  no "warnings: $(cat "$T/err")"
grep -q '^text .* #004F90 "shop" .*link=https://example.org/shop' "$T/d.trace" &&
  grep -q '^text .* #000000 "Sold" ' "$T/d.trace" &&
  ok "colors.links colours the linked words, not the rest" ||
  no "link colour: $(grep -e '"shop"' -e '"Sold"' "$T/d.trace")"
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
assert th["styles"]["link"] == {"color": "#004F90"}, th["styles"]
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

# Margins and spacing (1.x margins.*): entries set in from both sides, the
# highlights' indent and the space above them, the dates' column and the
# gap between connections land on the page, in points from cm and in.
cat >"$T/m.yaml" <<'YAML'
cv:
  name: Mara Margins
  email: mara@example.org
  phone: "+1 555 0100"
  sections:
    experience:
      - company: Acme Rockets Incorporated of Greater Springfield and Its Counties
        position: Engineer
        start_date: 2020-01
        end_date: present
        location: Springfield
        highlights:
          - Built the rockets.
design:
  theme: classic
  margins:
    page: {top: 2 cm, bottom: 2 cm, left: 2 cm, right: 2 cm}
    entry_area: {left_and_right: 0.5 cm, date_and_location_width: 3 in}
    highlights_area: {left: 1 cm, top: 0.4 cm}
    header: {horizontal_between_connections: 1 in}
  no_such_option: 3
YAML
render_warns m "m.yaml:21:3: warning: RenderCV design.no_such_option has no cvpdf counterpart; left out" \
  "an unknown design key warns at its line and column; the margins do not"
python3 - "$T/m.trace" >"$T/py" 2>&1 <<'PY'
import sys
words = []
for line in open(sys.argv[1]):
    if not line.startswith("text "):
        continue
    f = line.split()
    text = line.split('"')[1]
    adv = [float(a) for a in line.split("adv=")[1].split()[0].split(",")]
    if f[3] == "FontAwesome":
        text = "icon"
    words.append((text, float(f[1]), float(f[2]), float(f[1]) + sum(adv)))
def at(t):  # the last word t (Springfield: the place, after the title's)
    return [w for w in words if w[0] == t][-1]
cm = 72 / 2.54
left, right = 2 * cm, 612 - 2 * cm                 # Letter, 2 cm margins
assert abs(at("Acme")[1] - (left + 0.5 * cm)) < 0.05, at("Acme")
place = at("Springfield")
assert abs(place[3] - (right - 0.5 * cm)) < 0.05, place
assert abs(at("Built")[1] - (left + 1.5 * cm)) < 0.05, at("Built")
# The space above the highlights: 0.4 cm more than a line's leading.
gap = at("Engineer")[2] - at("Built")[2]
assert abs(gap - (12.4 + 0.4 * cm)) < 0.05, gap
# The title wraps before the 3 in the dates' column keeps.
y = at("Acme")[2]
ends = [w[3] for w in words if w[2] == y and w != place]
assert max(ends) <= right - 0.5 * cm - 216 + 0.05, (max(ends), ends)
assert any(w[0] == "Counties" and w[2] < y for w in words), "no wrap"
# Between connections: 1 in, the separator in its middle.
sep = at("|")
icons = [w for w in words if w[0] == "icon" and w[2] == sep[2]]
gap = icons[1][1] - at("mara@example.org")[3]
assert abs(gap - (72 + (sep[3] - sep[1]))) < 0.05, gap
PY
[ $? = 0 ] && ok "margins: entry sides, highlights indent and space, dates width, connections gap land on the page" ||
  no "margins: $(cat "$T/py")"

# 0.x options.margins, moderncv's date_width and content_scale, and em.
cat >"$T/m0.yaml" <<'YAML'
cv:
  name: Otto Options
design:
  theme: moderncv
  page_size: a4paper
  font_size: 11pt
  date_width: 4 cm
  content_scale: 0.8
  options:
    margins:
      section_title: {top: 1em, bottom: 0.5em}
      entry_area: {vertical_between: 12 pt, left: 2mm}
      highlights_area: {vertical_between_bullet_points: 1ex}
YAML
"$BIN" convert -q "$T/m0.yaml" -o "$T/m0c.yaml" 2>"$T/err0" || no "convert m0"
python3 - "$T/m0c.yaml" >"$T/py" 2>&1 <<'PY'
import sys, yaml
th = yaml.safe_load(open(sys.argv[1]))["theme"]
assert th["column"] == {"width": 113.4}, th
m = th["page"]["margins"]
assert (m["left"], m["top"]) == (59.53, 84.19), m
assert th["spacing"] == {"section": 11, "heading_after": 5.5, "entry": 12,
                         "entry_left": 5.669, "item": 5.5}, th["spacing"]
PY
[ $? = 0 ] && [ ! -s "$T/err0" ] &&
  ok "0.x options.margins, em and ex lengths, date_width as the column, content_scale as margins" ||
  no "0.x: $(cat "$T/py" "$T/err0")"

# The theme keys they land in are checked at their line and column.
cat >"$T/bad.yaml" <<'YAML'
name: Bad Spacing
theme:
  spacing: {entry_left: 2in, entry_right: 2in}
  dates: {width: 200}
YAML
printf 'name: Bad Gap\ntheme:\n  contact: {gap: 2 furlongs}\n' >"$T/bad2.yaml"
"$BIN" check "$T/bad.yaml" >/dev/null 2>"$T/errb"
"$BIN" check "$T/bad2.yaml" >/dev/null 2>>"$T/errb"
grep -qF "bad.yaml:4:18: error: spacing: entry_left (144 pt), entry_right (144 pt) and dates: width (200 pt) leave" "$T/errb" &&
  grep -qF "bad2.yaml:3:18: error: contact gap: expected a length such as 10, 10pt, 5mm or 0.5in, found '2 furlongs'" "$T/errb" &&
  ok "spacing: entry_left/right, dates: width and contact: gap are checked at line:column" ||
  no "theme checks: $(cat "$T/errb")"

# Connections and page (1.x): no icons, a LaTeX separator, no page
# numbers; FontAwesome 6 icon names that 4.7 does not draw warn.
cat >"$T/c.yaml" <<'YAML'
cv:
  name: Nina Numbers
  email: nina@example.org
  phone: "+1 555 0100"
  custom_connections:
    - placeholder: Thesis
      url: https://example.org/thesis
      fontawesome_icon: graduation-cap
    - placeholder: Kaggle
      url: https://kaggle.com/nina
      fontawesome_icon: kaggle
  sections:
    summary:
      - Short.
design:
  theme: classic
  use_icons_for_connections: true
  seperator_between_connections: $\cdot$
  disable_page_numbering: true
  disable_external_link_icons: true
YAML
render_warns c "c.yaml:11:25: warning: RenderCV icon 'kaggle' has no FontAwesome 4.7 counterpart that cvpdf can draw; using the link icon" \
  "an icon FontAwesome 4.7 lacks warns at its name; the switches do not"
cp "$T/c.trace" "$T/c1.trace"
grep -q "^text .* FontAwesome .* \"$(printf '\357\206\235')\" .*link=https://example.org/thesis" "$T/c1.trace" &&
  ok "graduation-cap is drawn as FontAwesome 4.7's f19d" ||
  no "no f19d icon: $(grep FontAwesome "$T/c1.trace")"
[ "$(grep -c '^text .* "·" ' "$T/c1.trace")" = 3 ] &&
  ok "seperator_between_connections \$\\cdot\$ separates the four items with ·" ||
  no "separators: $(grep -c '^text .* "·" ' "$T/c1.trace")"
sed -i 's/use_icons_for_connections: true/use_icons_for_connections: false/; s/disable_external_link_icons: true/disable_external_link_icons: false/; s/disable_page_numbering: true/disable_page_numbering: false/' "$T/c.yaml"
render_warns c "c.yaml:20:32: warning: RenderCV design.disable_external_link_icons 'false' has no cvpdf counterpart: cvpdf draws no icon after a link; left out" \
  "icons off: no word on kaggle; external-link icons asked for warn"
cp "$T/c.trace" "$T/c2.trace"
! grep -q '"1of1"' "$T/c1.trace" && grep -q '"1of1"' "$T/c2.trace" &&
  ok "disable_page_numbering: true prints no page number, false the layout's" ||
  no "page numbers: $(grep -c '"1of1"' "$T/c1.trace" "$T/c2.trace")"
[ "$(grep -c 'FontAwesome' "$T/c2.trace")" = 0 ] &&
  ok "use_icons_for_connections: false draws no icon" || no "icons drawn"

# Google Fonts' regional Noto CJK family is Debian's whole Noto CJK one;
# a family that is neither installed nor such is still a warning.
printf 'cv:\n  name: 陳範例\ndesign:\n  theme: classic\n  typography:\n    font_family:\n      body: Noto Sans TC\n      name: Noto Sans XX\n' >"$T/tc.yaml"
render_warns tc "tc.yaml:8:13: warning: RenderCV design.typography.font_family.name 'Noto Sans XX' is not installed" \
  "Noto Sans TC is found as Noto Sans CJK TC; Noto Sans XX is a warning"
"$BIN" convert -q "$T/tc.yaml" -o "$T/tcc.yaml" 2>/dev/null
grep -q 'family: Noto Sans CJK TC' "$T/tcc.yaml" &&
  ok "font_family Noto Sans TC becomes Noto Sans CJK TC" ||
  no "Noto Sans TC: $(cat "$T/tcc.yaml")"

# 2.x typography small_caps and bold, header alignment, the titles' line.
cat >"$T/v2.yaml" <<'YAML'
cv:
  name: Vida Two
  email: vida@example.org
design:
  theme: classic
  typography:
    small_caps: {name: true, headline: false}
    bold: {section_titles: false}
  header: {alignment: center}
  section_titles: {line_thickness: 1.5pt}
  links: {underline: false}
YAML
"$BIN" convert -q "$T/v2.yaml" -o "$T/v2c.yaml" 2>"$T/err2" || no "convert v2"
python3 - "$T/v2c.yaml" >"$T/py" 2>&1 <<'PY'
import sys, yaml
st = yaml.safe_load(open(sys.argv[1]))["theme"]["styles"]
# cvpdf's YAML writer quotes every word YAML could read as a boolean.
assert st["name"] == {"smallcaps": "true", "align": "center"}, st
assert st["headline"] == {"smallcaps": "false", "align": "center"}, st
assert st["contact"] == {"align": "center"}, st
assert st["heading"] == {"bold": "false", "rule_width": 1.5}, st
PY
[ $? = 0 ] && [ ! -s "$T/err2" ] &&
  ok "2.x small_caps, bold, header alignment and line_thickness become styles" ||
  no "2.x styles: $(cat "$T/py" "$T/err2")"
"$BIN" render -q "$T/v2.yaml" -o "$T/v2.pdf" --trace "$T/v2.trace" 2>/dev/null
x=$(awk '/^text / && /"Vida"|"VIDA"|"Vida/ {print int($2); exit}' "$T/v2.trace")
[ "${x:-0}" -gt 200 ] && ok "header alignment: center sets the name in the middle (x=$x)" ||
  no "name at x=${x:-none}: $(grep -m3 '^text' "$T/v2.trace")"

done_tests

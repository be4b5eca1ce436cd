#!/bin/sh
# Nested bullets: {text: ..., items: [...]} in every plugin that prints
# bullet lists (tests/golden/nested-bullets.yaml), in every layout: each
# level with the layout's own mark, indented further than the level above,
# tagged as an L inside its item's LBody, and pdfaudit --strict.  Then
# --only on sub-bullets, the errors at their positions, `cvpdf schema`,
# RenderCV's " - " sub-bullets through render and convert, and the
# layout's `lists: bullet` checks.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000
AUDIT=../shared/tools/pdfaudit
CV=tests/golden/nested-bullets.yaml

# The marks of the three levels in a trace, and their x positions: the
# first item of each level (Experience's first entry nests three deep).
cat >"$T/levels.py" <<'PY'
import re, sys
trace, layout = sys.argv[1], sys.argv[2]
m = re.search(r'bullet: \[([^\]]*)\]', open(layout, encoding="utf-8").read())
want = re.findall(r'"([^"]*)"', m.group(1)) if m else []
text = [l for l in open(trace, encoding="utf-8") if l.startswith("text ")]
marks = {}
for l in text:
    f = re.match(r'text (\S+) \S+ \S+ \S+ \S+ "([^"]*)"', l)
    if f and f.group(2) in want and f.group(2) not in marks:
        marks[f.group(2)] = float(f.group(1))
if len(want) != 3 or sorted(marks) != sorted(want):
    sys.exit(print(f"marks {sorted(marks)}, layout says {want}") or 1)
xs = [marks[w] for w in want]
if not xs[0] < xs[1] < xs[2]:
    sys.exit(print(f"levels not indented: {xs}") or 1)
print(" ".join(f"{w}@{x:.1f}" for w, x in zip(want, xs)))
PY
# An L whose parent is an LBody, in pdfinfo -struct-text's indentation.
cat >"$T/nested_l.py" <<'PY'
import sys
stack, n = [], 0
for line in open(sys.argv[1], encoding="utf-8"):
    depth = len(line) - len(line.lstrip(" "))
    name = line.strip().split(" ")[0]
    while stack and stack[-1][0] >= depth:
        stack.pop()
    if name == "L" and stack and stack[-1][1] == "LBody":
        n += 1
    stack.append((depth, name))
print(n)
sys.exit(0 if n == 7 else 1)
PY

# 1. Every layout.
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  pdf="$T/$layout.pdf"
  if ! "$BIN" render -q "$CV" --layout "$layout" -o "$pdf" \
    --trace "$T/$layout.trace" 2>"$T/err" || [ -s "$T/err" ]; then
    no "$layout: render: $(cat "$T/err")"
    continue
  fi
  python3 "$T/levels.py" "$T/$layout.trace" "$l" >"$T/lv" 2>&1 &&
    ok "$layout: three levels, marked $(cat "$T/lv")" ||
    no "$layout: levels: $(cat "$T/lv")"
  pdfinfo -struct-text "$pdf" >"$T/struct" 2>&1
  python3 "$T/nested_l.py" "$T/struct" >"$T/nl" &&
    ok "$layout: $(cat "$T/nl") lists tagged inside an LBody" ||
    no "$layout: $(cat "$T/nl") lists inside an LBody, not 7"
  python3 tests/pdfua.py "$pdf" >"$T/ua" 2>&1 &&
    ok "$layout: meets the PDF/UA checks" ||
    no "$layout: $(grep -v '^ok' "$T/ua" | head -3 | tr '\n' ' ')"
  python3 tests/listnumbering.py "$pdf" >"$T/ln" 2>&1 &&
    ok "$layout: each list's /ListNumbering fits its marks" ||
    no "$layout: $(head -3 "$T/ln" | tr '\n' ' ')"
  [ -x "$AUDIT" ] && "$AUDIT" "$pdf" --source "$CV" --strict >"$T/audit" 2>&1
  [ -x "$AUDIT" ] && { grep -qE '^FAIL|could not' "$T/audit" &&
    no "$layout: pdfaudit --strict: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')" ||
    ok "$layout: pdfaudit --strict"; }
done

# 2. Tags on a sub-bullet: --only keeps untagged ones and the selected.
cat >"$T/tagged.yaml" <<'YAML'
name: Tia Tagged
sections:
  - type: projects
    title: Projects
    entries:
      - name: Engine
        highlights:
          - text: Built the mill
            items:
              - Always printed
              - {text: For academia, tags: [academic]}
              - text: For industry
                tags: [industry]
                items: [Industry detail]
YAML
"$BIN" render -q "$T/tagged.yaml" --only academic -o "$T/a.pdf" &&
  pdftotext "$T/a.pdf" "$T/a.txt" || no "render --only academic"
grep -q "Always printed" "$T/a.txt" && grep -q "For academia" "$T/a.txt" &&
  ! grep -q "industry\|Industry" "$T/a.txt" &&
  ok "--only academic: the untagged and academic sub-bullets, no industry one" ||
  no "--only academic: $(tr '\n' ' ' <"$T/a.txt")"
"$BIN" render -q "$T/tagged.yaml" -o "$T/all.pdf" && pdftotext "$T/all.pdf" "$T/all.txt"
grep -q "Industry detail" "$T/all.txt" && grep -q "For academia" "$T/all.txt" &&
  ok "without --only every sub-bullet is printed" ||
  no "without --only: $(tr '\n' ' ' <"$T/all.txt")"

# 3. Errors name the position, what was expected and what was found.
cat >"$T/bad.yaml" <<'YAML'
name: Bad Nested
sections:
  - type: projects
    title: Projects
    entries:
      - name: One
        highlights:
          - text: Rebuilt the printer
            itmes: [Tables]
          - text: Second
            items: {a: b}
          - items: [Orphan]
          - text: Third
            items:
              - [deep]
  - type: skills
    title: Skills
    pairs:
      - label: Languages
        items:
          - text: C
            items: [C11]
YAML
"$BIN" check "$T/bad.yaml" >"$T/out" 2>&1 && no "check accepts bad sub-bullets"
for want in \
  "bad.yaml:9:13: error: unknown field 'itmes' in highlight; did you mean 'items'?" \
  "bad.yaml:11:20: error: field 'items' expected a list of strings or {text: ..., items: [...]}, found a mapping" \
  "bad.yaml:12:13: error: highlight is missing required field 'text'" \
  "bad.yaml:15:17: error: item 1 of field 'items' expected a string or {text: ..., items: [...]}, found a list" \
  "bad.yaml:21:13: error: item 1 of field 'items' expected a string, found a mapping"; do
  grep -qF "$want" "$T/out" && ok "check: ${want#*error: }" ||
    no "check lacks '$want': $(cat "$T/out")"
done
"$BIN" render -q "$T/bad.yaml" -o "$T/bad.pdf" >"$T/rout" 2>&1 &&
  no "render accepts bad sub-bullets"
[ "$(grep -c ': error: ' "$T/rout")" = 5 ] &&
  ok "render reports the same 5 errors" || no "render: $(cat "$T/rout")"

# 4. The JSON Schema: nested bullets valid; a misspelt key two levels
#    down, or a list where a bullet goes, not.
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  "$BIN" schema -o "$T/schema.json"
  python3 - "$T/schema.json" "$CV" >"$T/val" 2>&1 <<'PY'
import copy, json, sys, yaml, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
good = yaml.safe_load(open(sys.argv[2]))
print("good", len(list(v.iter_errors(good))))
for name, change in (("misspelt", lambda b: b.update(itmes=b.pop("items"))),
                     ("list", lambda b: b["items"].append(["deep"]))):
    bad = copy.deepcopy(good)
    change(bad["sections"][0]["entries"][0]["highlights"][1]["items"][1])
    print(name, len(list(v.iter_errors(bad))))
PY
  grep -q "^good 0$" "$T/val" && ok "schema accepts $CV" ||
    no "schema rejects $CV: $(cat "$T/val")"
  grep -q "^misspelt [1-9]" "$T/val" && grep -q "^list [1-9]" "$T/val" &&
    ok "schema rejects a misspelt key and a list in a sub-sub-bullet" ||
    no "schema on bad sub-bullets: $(cat "$T/val")"
fi

# 5. RenderCV: " - " in a highlight (folded from "  - " lines, or in a
#    block scalar) is a sub-bullet; convert keeps them, and the converted
#    file renders the same page.
R=tests/inputs/rendercv-nested.yaml
"$BIN" render -q "$R" -o "$T/r.pdf" --trace "$T/r.trace" 2>"$T/err" &&
  [ ! -s "$T/err" ] && ok "RenderCV nested highlights render without a word" ||
  no "render $R: $(cat "$T/err")"
pdftotext -raw "$T/r.pdf" "$T/r.txt"
for sub in "Manual of operation for the Automatic Sequence Controlled Calculator" \
  "Lectures at the Harvard symposium" "Subroutines" "Relative addressing" \
  "Linker" "Loader"; do
  grep -qx "– $sub" "$T/r.txt" && ok "RenderCV sub-bullet '$sub' on its own line, marked –" ||
    no "RenderCV sub-bullet '$sub': $(tr '\n' '|' <"$T/r.txt")"
done
grep -q -- " - " "$T/r.txt" && no "a ' - ' is left in the text" ||
  ok "no ' - ' is left in the text"
"$BIN" convert -q "$R" -o "$T/conv.yaml" || no "convert $R"
[ "$(grep -c '^ *items:$' "$T/conv.yaml")" = 3 ] &&
  ok "convert keeps the 3 bullets with sub-bullets" ||
  no "convert: $(cat "$T/conv.yaml")"
"$BIN" render -q "$T/conv.yaml" -o "$T/c.pdf" --trace "$T/c.trace" &&
  cmp -s "$T/r.trace" "$T/c.trace" &&
  ok "the converted file renders the same page" ||
  no "the converted file renders otherwise: $(diff "$T/r.trace" "$T/c.trace" | head -5)"

# 6. The layout's marks: one for all levels, or 1 to 4 in a list.
printf 'name: Lia Lists\ntheme:\n  lists: {bullet: [a, b, c, d, e]}\nsections: []\n' >"$T/l5.yaml"
"$BIN" check "$T/l5.yaml" >"$T/out" 2>&1
grep -qF "l5.yaml:3:19: error: bullet: expected a mark or a list of 1 to 4 marks, found 5" "$T/out" &&
  ok "five bullet marks: an error at the list" || no "five marks: $(cat "$T/out")"
sed 's/^name: Ada Nested$/name: Ada Nested\ntheme:\n  lists: {bullet: "+"}/' "$CV" >"$T/one.yaml"
"$BIN" render -q "$T/one.yaml" -o "$T/one.pdf" --trace "$T/one.trace"
[ "$(grep -c '^text .* "+" ' "$T/one.trace")" = 23 ] &&
  ! grep -q '^text .* "[–◦•]" ' "$T/one.trace" &&
  ok "one mark given: every level uses it" ||
  no "one mark: $(grep -c '^text .* "+" ' "$T/one.trace") marks"

# 7. Numbered lists: a format per level numbers a numbered item's
# sub-items in the next level's scheme, and each list's /ListNumbering
# says the scheme of its marks.
cat >"$T/num.yaml" <<'EOF_CV'
name: Ada Numbered
theme:
  lists: {bullet: ["▪", "◦"], number: ["%I.", "%a)", "(%i)"]}
sections:
  - type: roles
    title: Experience
    entries:
      - organisation: Analytical Engines
        title: Research Engineer
        start: May 2021
        highlights:
          - text: Designed the loop unit
            items: [Cards, Chains]
        projects:
          - title: Mill redesign
            contributions:
              - text: Rebuilt the store
                items:
                  - Faster carriage
                  - text: Fewer columns
                    items: [Narrower frame, Lighter gears]
              - Wrote the manual
              - Drew the plans
              - Tested the mill
EOF_CV
"$BIN" render -q "$T/num.yaml" -o "$T/num.pdf" 2>"$T/err" && [ ! -s "$T/err" ] ||
  no "render num.yaml: $(cat "$T/err")"
pdftotext -layout "$T/num.pdf" - | tr -s ' ' >"$T/num.txt"
for want in "I. Rebuilt" "a) Faster" "b) Fewer" "(i) Narrower" "(ii) Lighter" \
  "IV. Tested" "▪ Designed" "◦ Cards"; do
  grep -qF "$want" "$T/num.txt" && ok "numbered by level: $want" ||
    no "no '$want' in: $(tr '\n' '|' <"$T/num.txt")"
done
python3 tests/listnumbering.py "$T/num.pdf" >"$T/ln" 2>&1 &&
  ok "numbered levels: each /ListNumbering fits its marks" ||
  no "numbered levels: $(head -3 "$T/ln" | tr '\n' ' ')"
[ "$(pdfinfo -struct "$T/num.pdf" | sed -n 's/.*ListNumbering \/\([A-Za-z]*\).*/\1/p' |
  sort | tr '\n' ' ')" = "Circle LowerAlpha LowerRoman Square UpperRoman " ] &&
  ok "ListNumbering Square, Circle, UpperRoman, LowerAlpha, LowerRoman" ||
  no "ListNumbering: $(pdfinfo -struct "$T/num.pdf" | grep ListNumbering | tr -s ' ' | tr '\n' ' ')"
# One format: a numbered item's sub-items stay bullets, as before.
sed 's/number: \[.*\]/number: "%d."/' "$T/num.yaml" >"$T/num1.yaml"
"$BIN" render -q "$T/num1.yaml" -o "$T/num1.pdf" &&
  pdftotext -layout "$T/num1.pdf" - | tr -s ' ' >"$T/num1.txt"
grep -qF "1. Rebuilt" "$T/num1.txt" && grep -qF "◦ Faster" "$T/num1.txt" &&
  python3 tests/listnumbering.py "$T/num1.pdf" >/dev/null 2>&1 &&
  ok "one number format: sub-items of a numbered item are bullets" ||
  no "one format: $(tr '\n' '|' <"$T/num1.txt")"
sed 's/"(%i)"/"%x."/' "$T/num.yaml" >"$T/badnum.yaml"
"$BIN" check "$T/badnum.yaml" >"$T/out" 2>&1
grep -qF 'badnum.yaml:3:54: error: number: expected a format with one of %d, %a, %A, %i or %I such as "%d." or "%a)", found "%x."' "$T/out" &&
  ok "a number format without a known conversion: an error at it" ||
  no "bad number format: $(cat "$T/out")"

done_tests

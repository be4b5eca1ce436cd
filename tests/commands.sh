#!/bin/sh
# The everyday commands: schema (validated with a JSON Schema validator),
# new, check, watch, and tagged variants (render --only).
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
AUDIT=../shared/tools/pdfaudit
T=$(mktemp -d)
WATCH_PID=
trap '[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
# has FILE TEXT / hasnt FILE TEXT: fixed-string checks with a message.
has() { grep -qF -- "$2" "$1" && ok "$3" || no "$3: '$2' not in: $(cat "$1")"; }
hasnt() { grep -qF -- "$2" "$1" && no "$3: '$2' found" || ok "$3"; }
export SOURCE_DATE_EPOCH=1700000000

# ---- schema --------------------------------------------------------------
if "$BIN" schema -o "$T/cvpdf.schema.json" 2>"$T/err"; then
  ok "schema writes a file"
else
  no "schema: $(cat "$T/err")"
fi
"$BIN" schema >"$T/stdout.json" && cmp -s "$T/stdout.json" "$T/cvpdf.schema.json" &&
  ok "schema to standard output is the same" || no "schema to standard output"

# validate.py SCHEMA CV...: one line per CV, "valid" or the first errors
# with their paths.  YAML dates stay strings (as cvpdf reads them) and
# numbers numbers, as an editor's YAML 1.2 reader gives them.
cat >"$T/validate.py" <<'PY'
import json, sys
import yaml, jsonschema

class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != 'tag:yaml.org,2002:timestamp']
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    doc = yaml.load(open(path, encoding='utf-8'), Loader=Loader)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errs:
        print(path, 'valid')
    for e in errs[:5]:
        print(path, 'invalid at', '/'.join(str(p) for p in e.absolute_path),
              '-', e.message)
PY
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  python3 "$T/validate.py" "$T/cvpdf.schema.json" examples/*.yaml \
    tests/schema/tagged.yaml tests/schema/misspelt.yaml >"$T/val" 2>&1
  for y in examples/*.yaml tests/schema/tagged.yaml; do
    has "$T/val" "$y valid" "schema accepts $y"
  done
  has "$T/val" "tests/schema/misspelt.yaml invalid at sections/0/entries/0 - Additional properties are not allowed ('degre' was unexpected)" \
    "schema rejects a misspelt field, at its path"
  hasnt "$T/val" "misspelt.yaml valid" "misspelt CV is not valid"
  # Types, dates and the section type are checked too.
  printf 'name: X\nsections:\n  - type: education\n    entries:\n      - {institution: U, start: Smarch 2019}\n  - type: sumary\n    text: hi\n  - type: skills\n    items: [a]\n' >"$T/bad.yaml"
  python3 "$T/validate.py" "$T/cvpdf.schema.json" "$T/bad.yaml" >"$T/val2" 2>&1
  has "$T/val2" "invalid at sections/0/entries/0/start" "schema rejects a bad date"
  has "$T/val2" "invalid at sections/1/type - 'sumary' is not one of" "schema rejects an unknown section type"
  has "$T/val2" "invalid at sections/2/items - ['a'] is not of type 'object'" "schema rejects a list where a mapping is expected"
else
  no "python3-jsonschema and python3-yaml are needed to validate the schema"
fi
grep -q '"description": "the institution' "$T/cvpdf.schema.json" 2>/dev/null ||
  grep -q '"description": "' "$T/cvpdf.schema.json" && ok "schema carries field descriptions" ||
  no "schema carries field descriptions"

# ---- new -----------------------------------------------------------------
if (cd "$T" && "$BIN" new "Ada \"Countess\" O'Lovelace" 2>"$T/err"); then
  ok "new writes cv.yaml"
else
  no "new: $(cat "$T/err")"
fi
cp "$T/cv.yaml" "$T/cv.before"
(cd "$T" && "$BIN" new "Someone Else" 2>"$T/err")
[ $? -eq 1 ] && cmp -s "$T/cv.yaml" "$T/cv.before" && ok "new never overwrites" ||
  no "new overwrote or wrong status"
has "$T/err" "cv.yaml already exists; not overwritten (use --force" "new says why it stopped"
"$BIN" new "Bea Force" -o "$T/cv.yaml" --force 2>"$T/err" &&
  grep -q '^name: "Bea Force"' "$T/cv.yaml" && ok "new --force replaces" ||
  no "new --force: $(cat "$T/err")"
cp "$T/cv.before" "$T/cv.yaml"
"$BIN" new "" -o "$T/empty.yaml" 2>/dev/null
[ $? -eq 2 ] && [ ! -e "$T/empty.yaml" ] && ok "new refuses an empty name" || no "new with an empty name"
if "$BIN" render -q "$T/cv.yaml" -o "$T/new.pdf" 2>"$T/err"; then
  ok "the starter CV renders as is"
  pdftotext "$T/new.pdf" "$T/new.txt"
  has "$T/new.txt" "Ada “Countess” O’Lovelace" "starter keeps the name with its quotes (typographic)"
  has "$T/new.txt" "Example University" "starter prints its sections"
  if [ -x "$AUDIT" ]; then
    "$AUDIT" "$T/new.pdf" --source "$T/cv.yaml" >"$T/audit" 2>&1 &&
      ok "pdfaudit passes on the starter CV" ||
      no "pdfaudit on the starter: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
  fi
else
  no "starter CV renders: $(cat "$T/err")"
fi
[ -f "$T/cvpdf.schema.json" ] && python3 "$T/validate.py" "$T/cvpdf.schema.json" "$T/cv.yaml" 2>&1 |
  grep -q "cv.yaml valid" && ok "schema accepts the starter CV" || no "schema accepts the starter CV"

# ---- check ---------------------------------------------------------------
"$BIN" check examples/*.yaml 2>"$T/err"
[ $? -eq 0 ] && has "$T/err" "cvpdf: examples/minimal.yaml: ok; 0 errors, 0 warnings" "check passes the examples" ||
  no "check on the examples: $(cat "$T/err")"
"$BIN" check -q examples/minimal.yaml 2>"$T/err" && [ ! -s "$T/err" ] &&
  ok "check -q is silent on a good CV" || no "check -q: $(cat "$T/err")"
P=tests/schema/problems.yaml
rm -f tests/schema/problems.pdf
"$BIN" check "$P" 2>"$T/err"
st=$?
[ $st -eq 1 ] && ok "check exits 1 on errors" || no "check exit status $st"
has "$T/err" "$P:2:1: error: unknown field 'headlin' in the CV; did you mean 'headline'?" "check: top-level field"
has "$T/err" "$P:4:11: error: unknown section type 'sumary'; did you mean 'summary'?" "check: unknown section type (after a top-level error)"
has "$T/err" "$P:9:16: error: field 'start' expected a date such as 2021, 2021-05 or May 2021, found 'Smarch 2019'" "check: bad date"
has "$T/err" "$P:10:9: error: unknown field 'degre' in education entry; did you mean 'degree'?" "check: field of an entry"
has "$T/err" "$P:13:9: error: awards entry is missing required field 'name'" "check: missing required field"
has "$T/err" "$P:17:15: error: field 'tags' expected a word or a list of words, found a mapping" "check: malformed tags"
has "$T/err" "cvpdf: $P: 6 errors, 0 warnings" "check counts the problems"
# In file order, whichever pass found them.
grep -o "^$P:[0-9]*" "$T/err" | cut -d: -f2 >"$T/lines"
sort -n "$T/lines" | cmp -s - "$T/lines" && ok "check lists problems in file order" ||
  no "check order: $(tr '\n' ' ' <"$T/lines")"
[ ! -e tests/schema/problems.pdf ] && ok "check writes no PDF" || no "check wrote a PDF"
printf 'name: X\nsections:\n  - type: summary\n    text: [a\n' >"$T/syntax.yaml"
"$BIN" check "$T/syntax.yaml" 2>"$T/err"
[ $? -eq 1 ] && grep -q "syntax.yaml:[0-9]*:[0-9]*: error:" "$T/err" &&
  ok "check reports a YAML error with its position" || no "check YAML error: $(cat "$T/err")"
"$BIN" check 2>/dev/null
[ $? -eq 2 ] && ok "check without a file is a usage error" || no "check without a file"

# ---- tagged variants -----------------------------------------------------
TG=tests/schema/tagged.yaml
variant() { # NAME [--only TAG]...
  n=$1; shift
  if "$BIN" render -q "$TG" -o "$T/$n.pdf" "$@" 2>"$T/$n.err"; then
    pdftotext "$T/$n.pdf" - | tr -s ' \n' '  ' >"$T/$n.txt"
  else
    no "render $TG $*: $(cat "$T/$n.err")"; : >"$T/$n.txt"
  fi
}
variant all
variant industry --only industry
variant academic --only academic
variant both --only industry --only academic
ALL="Researcher in compilers|Engineer shipping compilers|Likes typesetting|Alpha Labs|Alpha first bullet|Beta Corp|Beta shared bullet|Beta industry bullet|Beta academic bullet|Gamma University|Gamma untagged bullet|On Tagged Variants|Cobol|OCaml|Golang|Delta Prize|Awards|Publications"
IND="Engineer shipping compilers|Likes typesetting|Beta Corp|Beta shared bullet|Beta industry bullet|Gamma University|Gamma untagged bullet|Cobol|Golang"
ACA="Researcher in compilers|Likes typesetting|Alpha Labs|Alpha first bullet|Gamma University|Gamma untagged bullet|On Tagged Variants|Cobol|OCaml|Delta Prize|Awards|Publications"
expect() { # VARIANT EXPECTED-LIST
  v=$1 want=$2 bad=
  old_ifs=$IFS; IFS='|'
  for item in $ALL; do
    case "|$want|" in *"|$item|"*) in=1 ;; *) in=0 ;; esac
    if grep -qF -- "$item" "$T/$v.txt"; then got=1; else got=0; fi
    [ $in -eq $got ] || bad="$bad [$item: expected $in, found $got]"
  done
  IFS=$old_ifs
  [ -z "$bad" ] && ok "--only $v prints exactly its items" || no "variant $v:$bad"
}
expect all "$ALL"
expect industry "$IND"
expect academic "$ACA"
expect both "$ALL"
"$BIN" render -q "$TG" -o "$T/typo.pdf" --only industy 2>"$T/err"
has "$T/err" "warning: --only industy: no item is tagged 'industy'; did you mean 'industry'?" "--only with a tag no item has warns"
if [ -x "$AUDIT" ]; then
  "$AUDIT" "$T/all.pdf" --source "$TG" >"$T/audit" 2>&1 && ok "pdfaudit passes on the tagged CV" ||
    no "pdfaudit on the tagged CV: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
fi

# ---- watch ---------------------------------------------------------------
# wait_for COND-COMMAND: up to 20 s.
wait_for() { i=0; while [ $i -lt 200 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
count() { grep -c "$1" "$T/w/log" 2>/dev/null || true; }
mkdir -p "$T/w"
cp examples/minimal.yaml "$T/w/cv.yaml"
"$BIN" watch "$T/w/cv.yaml" -o "$T/w/out.pdf" 2>"$T/w/log" &
WATCH_PID=$!
wait_for '[ "$(count "rendered in")" -ge 1 ]' && [ -s "$T/w/out.pdf" ] &&
  ok "watch renders at start" || no "watch first render: $(cat "$T/w/log")"
has "$T/w/log" "cv.yaml -> $T/w/out.pdf: rendered in" "watch prints the render time"
# An editor that saves by writing a new file and renaming it over the CV.
rm -f "$T/w/out.pdf"
sed 's/Research Engineer/Typesetting Engineer/' examples/minimal.yaml >"$T/w/.cv.yaml.new"
mv "$T/w/.cv.yaml.new" "$T/w/cv.yaml"
wait_for '[ "$(count "rendered in")" -ge 2 ] && [ -s "$T/w/out.pdf" ]' &&
  pdftotext "$T/w/out.pdf" - | grep -q "Typesetting Engineer" &&
  ok "watch renders again after a save by rename" || no "watch after rename: $(cat "$T/w/log")"
# An editor that writes in place.
rm -f "$T/w/out.pdf"
sed 's/Research Engineer/Layout Engineer/' examples/minimal.yaml >"$T/w/cv.yaml"
wait_for '[ "$(count "rendered in")" -ge 3 ] && [ -s "$T/w/out.pdf" ]' &&
  pdftotext "$T/w/out.pdf" - | grep -q "Layout Engineer" &&
  ok "watch renders again after a save in place" || no "watch after write: $(cat "$T/w/log")"
# A broken save: the errors, and the last PDF stays.
printf 'name: X\nsections:\n  - type: summary\n    txet: hi\n' >"$T/w/cv.yaml"
wait_for '[ "$(count ": failed after")" -ge 1 ]' && ok "watch reports a failed render" ||
  no "watch failed render: $(cat "$T/w/log")"
has "$T/w/log" "cv.yaml:4:5: error: unknown field 'txet' in summary section" "watch prints the errors with their position"
[ -s "$T/w/out.pdf" ] && ok "watch keeps the last PDF after a failed render" || no "watch lost the PDF"
touch "$T/w/other.txt"
sleep 0.3
[ "$(count "rendered in")" -eq 3 ] && [ "$(count ": failed after")" -eq 1 ] &&
  ok "watch ignores other files of the directory" || no "watch reacted to another file: $(cat "$T/w/log")"
kill -TERM "$WATCH_PID"
i=0; while kill -0 "$WATCH_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$WATCH_PID" 2>/dev/null; then
  no "watch did not stop on SIGTERM"
else
  wait "$WATCH_PID"; st=$?
  [ $st -eq 0 ] && ok "watch stops cleanly on a signal" || no "watch exit status $st"
  has "$T/w/log" "stopped watching" "watch says it stopped"
fi
WATCH_PID=

# ---- watch: a letter and an application ----------------------------------
# A letter re-renders when the CV it names (cv:, in another directory)
# changes; an application when any of its parts does.
mkdir -p "$T/wl/cv"
cp examples/minimal.yaml "$T/wl/cv/cv.yaml"
cat >"$T/wl/letter.yaml" <<'EOF_LETTER'
type: letter
cv: cv/cv.yaml
recipient: {name: Analytical Society, address: [London]}
subject: Application
opening: Dear Sir,
body: [I write to apply.]
closing: Yours,
EOF_LETTER
printf 'bundle: [letter.yaml, cv/cv.yaml]\n' >"$T/wl/app.yaml"
countl() { grep -c "rendered in" "$1" 2>/dev/null || true; }
"$BIN" watch "$T/wl/letter.yaml" -o "$T/wl/letter.pdf" 2>"$T/wl/log" &
WL_PID=$!
"$BIN" watch "$T/wl/app.yaml" -o "$T/wl/app.pdf" 2>"$T/wl/alog" &
WA_PID=$!
wait_for '[ "$(countl "$T/wl/log")" -ge 1 ] && [ "$(countl "$T/wl/alog")" -ge 1 ]' &&
  ok "watch renders a letter and an application at start" ||
  no "watch letter/application first render: $(cat "$T/wl/log" "$T/wl/alog")"
sed 's/Ada Veličković/Ada Lovelace/' examples/minimal.yaml >"$T/wl/cv/.new"
mv "$T/wl/cv/.new" "$T/wl/cv/cv.yaml"
wait_for '[ "$(countl "$T/wl/log")" -ge 2 ]' &&
  pdftotext "$T/wl/letter.pdf" - | grep -q "Ada Lovelace" &&
  ok "watch renders a letter again when the CV it names changes" ||
  no "watch letter after its CV changed: $(cat "$T/wl/log")"
wait_for '[ "$(countl "$T/wl/alog")" -ge 2 ]' &&
  pdftotext "$T/wl/app.pdf" - | grep -q "Ada Lovelace" &&
  ok "watch renders an application again when a part changes" ||
  no "watch application after a part changed: $(cat "$T/wl/alog")"
sed 's/I write to apply./I write to apply again./' "$T/wl/letter.yaml" >"$T/wl/.new"
mv "$T/wl/.new" "$T/wl/letter.yaml"
wait_for '[ "$(countl "$T/wl/alog")" -ge 3 ] && [ "$(countl "$T/wl/log")" -ge 3 ]' &&
  pdftotext "$T/wl/app.pdf" - | grep -q "apply again" &&
  ok "watch renders an application again when its letter changes" ||
  no "watch application after the letter changed: $(cat "$T/wl/alog")"
touch "$T/wl/cv/other.yaml"
sleep 0.3
[ "$(countl "$T/wl/log")" -eq 3 ] && [ "$(countl "$T/wl/alog")" -eq 3 ] &&
  ok "watch of a letter ignores other files beside its CV" ||
  no "watch reacted to another file: $(cat "$T/wl/log" "$T/wl/alog")"
kill -TERM "$WL_PID" "$WA_PID"
wait "$WL_PID" "$WA_PID"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Several CVs in one process: `cvpdf render a.yaml bad.yaml b.yaml -j 2`
# writes the good ones (byte-identical to single renders), reports the bad
# one at file:line:col, keeps going and exits 1; -o DIR collects the PDFs.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }

mkdir -p "$T/in" "$T/one" "$T/out"
cp examples/minimal.yaml "$T/in/a.yaml"
cp examples/engineer-cv.yaml "$T/in/b.yaml"
printf 'name: X\nsections:\n  - type: sumary\n    text: hi\n' >"$T/in/bad.yaml"
for n in a b; do
  "$BIN" render -q "$T/in/$n.yaml" -o "$T/one/$n.pdf" ||
    no "single render of $n"
done

"$BIN" render -j 2 "$T/in/a.yaml" "$T/in/bad.yaml" "$T/in/b.yaml" \
  >"$T/log" 2>&1
rc=$?
cat "$T/log"
check "exit status 1 when one CV fails" '[ $rc -eq 1 ]'
for n in a b; do
  check "$n.pdf written next to its input" '[ -s "$T/in/$n.pdf" ]'
  check "$n.pdf identical to a single render" \
    'cmp -s "$T/in/$n.pdf" "$T/one/$n.pdf"'
done
check "no PDF for the bad CV" '[ ! -e "$T/in/bad.pdf" ]'
check "the bad CV reported at file:line:col" \
  "grep -qF \"$T/in/bad.yaml:3:11: error: unknown section type 'sumary'; did you mean 'summary'?\" \"$T/log\""
check "reports in input order" \
  "[ \"\$(grep -o 'wrote [^ ]*\\|bad.yaml: not' \"$T/log\" | tr '\\n' ' ')\" = \"wrote $T/in/a.pdf bad.yaml: not wrote $T/in/b.pdf \" ]"
check "one line per written CV with pages and bytes" \
  "grep -Eq '^cvpdf: wrote .*/b\\.pdf \\(3 pages, [0-9]+ bytes\\) in [0-9.]+ ms\$' \"$T/log\""

# -o DIR with several inputs; all good: exit 0.  -j larger than the count.
"$BIN" render -q -j 8 -o "$T/out" "$T/in/a.yaml" "$T/in/b.yaml"
rc=$?
check "-o DIR: exit 0" '[ $rc -eq 0 ]'
check "-o DIR: a.pdf in DIR, identical" 'cmp -s "$T/out/a.pdf" "$T/one/a.pdf"'
check "-o DIR: b.pdf in DIR, identical" 'cmp -s "$T/out/b.pdf" "$T/one/b.pdf"'

# Sequential (no -j) shares fonts too and gives the same bytes.
rm -f "$T/out/"*.pdf
"$BIN" render -q -o "$T/out" "$T/in/b.yaml" "$T/in/a.yaml"
check "sequential: same bytes" \
  'cmp -s "$T/out/a.pdf" "$T/one/a.pdf" && cmp -s "$T/out/b.pdf" "$T/one/b.pdf"'

# Usage errors.
"$BIN" render -o "$T/in/a.yaml" "$T/in/a.yaml" "$T/in/b.yaml" 2>"$T/err"
rc=$?
check "-o FILE with several inputs: usage error" \
  "[ $rc -eq 2 ] && grep -qF \"with several CV files, -o names a directory for the PDFs; '$T/in/a.yaml' is not a directory\" \"$T/err\""
"$BIN" render -j 0 "$T/in/a.yaml" 2>"$T/err"
rc=$?
check "-j 0: usage error" \
  "[ $rc -eq 2 ] && grep -qF -e \"-j expected a positive number, found '0'\" \"$T/err\""
"$BIN" render --trace "$T/t" "$T/in/a.yaml" "$T/in/b.yaml" 2>"$T/err"
rc=$?
check "--trace with several inputs: usage error" '[ $rc -eq 2 ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

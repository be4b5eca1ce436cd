#!/bin/sh
# Plugins built against an older minor ABI keep loading.  tests/abi-1.1/
# holds examples/plugin-grants as it was at plugin ABI 1.1, with the public
# headers of that ABI: built out of tree against those headers, it must
# load in this cvpdf, have its fields validated, and render exactly what
# the current examples/plugin-grants (built against the current headers)
# renders.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
mkdir "$T/old" "$T/new"

# The fixture is what it says: headers of ABI 1.1, a descriptor without
# the members 1.2 appends.
grep -q '^#define CVPDF_ABI_MINOR 1$' tests/abi-1.1/include/cvpdf/cvpdf-plugin.h &&
  ! grep -q 'type_size' tests/abi-1.1/include/cvpdf/cvpdf-plugin.h &&
  ok "fixture headers are ABI 1.1" || no "fixture headers are not ABI 1.1"

flags="-std=c11 -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror"
if $CC $flags -Itests/abi-1.1/include -o "$T/old/grants.so" \
    tests/abi-1.1/grants.c 2>"$T/err"; then
  ok "grants of ABI 1.1 builds against the 1.1 headers"
else
  no "building the 1.1 plugin: $(cat "$T/err")"
fi
if $CC $flags -Icore/include -o "$T/new/grants.so" \
    examples/plugin-grants/grants.c 2>"$T/err"; then
  ok "examples/plugin-grants builds against the current headers"
else
  no "building the current plugin: $(cat "$T/err")"
fi

"$BIN" plugins --plugin-dir "$T/old" >"$T/plugins" 2>"$T/err"
grep -q "^grants  *1\.0\.0  *1\.1  *grants  *$T/old/grants\.so$" "$T/plugins" &&
  ok "cvpdf plugins lists the 1.1 plugin as ABI 1.1" ||
  no "plugins: $(cat "$T/plugins" "$T/err")"

for v in old new; do
  SOURCE_DATE_EPOCH=0 "$BIN" render -q --plugin-dir "$T/$v" \
    tests/abi-1.1/cv.yaml -o "$T/$v.pdf" --trace "$T/$v.trace" 2>"$T/$v.err"
  rc=$?
  [ $rc -eq 0 ] && [ ! -s "$T/$v.err" ] && ok "the $v plugin renders" ||
    no "render with the $v plugin: rc $rc, $(cat "$T/$v.err")"
done
pdftotext "$T/old.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$T/old.txt"
for s in "FRUGAL: Frugal Inference for Scientific Instruments" \
    "European Research Council, Consolidator Grant (101043210)" \
    "Co-Principal Investigator, with Rui Martins and Ana Sofia Ferreira" \
    "Sep 2021 – Aug 2026" "\$550,000"; do
  grep -qF -- "$s" "$T/old.txt" && ok "1.1 plugin's PDF has '$s'" ||
    no "1.1 plugin's PDF lacks '$s'"
done
# The same pages, glyph for glyph: the trace lists every placed run.
if [ -s "$T/old.trace" ] && cmp -s "$T/old.trace" "$T/new.trace"; then
  ok "1.1 and current plugin give the same trace"
else
  no "traces differ: $(diff "$T/old.trace" "$T/new.trace" | head -5)"
fi

# Fields are still read from the 1.1 declarations (their stride is 1.1's).
printf 'name: X\nsections:\n  - type: grants\n    entries:\n      - title: T\n        co_investigators: [A, B]\n        amout: "$1"\n' >"$T/typo.yaml"
"$BIN" check --plugin-dir "$T/old" "$T/typo.yaml" >"$T/out" 2>&1
grep -q "typo.yaml:7:9: error: unknown field 'amout' in grants entry; did you mean 'amount'?" \
  "$T/out" && ok "1.1 plugin's fields validated, nested ones too" ||
  no "typo in a 1.1 plugin's entry: $(cat "$T/out")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

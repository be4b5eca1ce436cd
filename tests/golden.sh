#!/bin/sh
# Golden trace tests: each tests/golden/NAME.yaml is rendered with --trace
# and compared with NAME.trace.  Regenerate a golden file only by hand, after
# looking at the rendered page: `tests/golden.sh --update NAME`.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
if [ "${1:-}" = "--update" ]; then
  "$BIN" render -q "tests/golden/$2.yaml" -o "$T/out.pdf" \
    --trace "tests/golden/$2.trace"
  exit $?
fi
pass=0 fail=0
for y in tests/golden/*.yaml; do
  name=$(basename "$y" .yaml)
  if ! "$BIN" render -q "$y" -o "$T/$name.pdf" --trace "$T/$name.trace"; then
    fail=$((fail + 1)); echo "FAIL - $name: render failed"; continue
  fi
  if diff -u "tests/golden/$name.trace" "$T/$name.trace" >"$T/diff"; then
    pass=$((pass + 1)); echo "ok - $name"
  else
    fail=$((fail + 1)); echo "FAIL - $name: trace differs"; head -40 "$T/diff"
  fi
  # Checks on the trace that do not depend on exact positions.
  if [ -x "tests/golden/$name.check" ]; then
    if "tests/golden/$name.check" "$T/$name.trace"; then
      pass=$((pass + 1)); echo "ok - $name.check"
    else
      fail=$((fail + 1)); echo "FAIL - $name.check"
    fi
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Golden trace tests: each tests/golden/NAME.yaml is rendered with --trace
# and compared with NAME.trace.  Regenerate a golden file only by hand, after
# looking at the rendered page: `tests/golden.sh --update NAME`.
# Then the structure tree of a tagged PDF: tests/structure/cv.yaml (a CV
# with every kind of block) as `pdfinfo -struct-text` reads it, against
# tests/structure/cv.struct (`tests/golden.sh --update-structure`), the
# PDF/UA checks of tests/pdfua.py, and the same PDF byte for byte twice.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
if [ "${1:-}" = "--update-structure" ]; then
  "$BIN" render -q tests/structure/cv.yaml -o "$T/cv.pdf" &&
    pdfinfo -struct-text "$T/cv.pdf" | sed 's/Object [0-9]* [0-9]*/Object/' \
      >tests/structure/cv.struct
  exit $?
fi
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
# The structure tree.
"$BIN" render -q tests/structure/cv.yaml -o "$T/cv.pdf" &&
  "$BIN" render -q tests/structure/cv.yaml -o "$T/again.pdf"
# (an annotation's object number is the writer's affair, not the tree's)
pdfinfo -struct-text "$T/cv.pdf" 2>&1 | sed 's/Object [0-9]* [0-9]*/Object/' \
  >"$T/cv.struct"
if diff -u tests/structure/cv.struct "$T/cv.struct" >"$T/diff"; then
  pass=$((pass + 1)); echo "ok - structure tree of tests/structure/cv.yaml"
else
  fail=$((fail + 1)); echo "FAIL - structure tree differs"; head -60 "$T/diff"
fi
# pdfinfo does not print /Lang: the German section's Sect carries it.
if qpdf --qdf --object-streams=disable "$T/cv.pdf" - 2>/dev/null |
  grep -aq '^  /Lang (de)$'; then
  pass=$((pass + 1)); echo "ok - the section with lang: de has /Lang (de)"
else
  fail=$((fail + 1)); echo "FAIL - no element with /Lang (de)"
fi
if python3 tests/pdfua.py "$T/cv.pdf" && cmp -s "$T/cv.pdf" "$T/again.pdf"; then
  pass=$((pass + 1)); echo "ok - PDF/UA checks; the same bytes twice"
else
  fail=$((fail + 1)); echo "FAIL - PDF/UA checks, or two renders differ"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

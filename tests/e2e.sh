#!/bin/sh
# End-to-end checks of the cvpdf binary: rendering, audit of the PDF, error
# messages and the promise that a failed run leaves the last PDF untouched.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
AUDIT=../shared/tools/pdfaudit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

# 1. Every example renders, and passes the audit where the tool is present.
for y in examples/*.yaml; do
  name=$(basename "$y" .yaml)
  if "$BIN" render -q "$y" -o "$T/$name.pdf" 2>"$T/err"; then
    ok "render $y"
  else
    no "render $y: $(cat "$T/err")"; continue
  fi
  src=$y # a CV in several languages prints its default one's text
  first=$(sed -n 's/^languages: *\[ *\([A-Za-z_-]*\).*/\1/p' "$y")
  [ -z "$first" ] || { "$BIN" convert -q --lang "$first" "$y" -o - |
    grep -v '^language: ' >"$T/$name.src.yaml" && src=$T/$name.src.yaml; }
  if [ -x "$AUDIT" ]; then
    if "$AUDIT" "$T/$name.pdf" --source "$src" >"$T/audit" 2>&1; then
      ok "pdfaudit $y"
    else
      no "pdfaudit $y: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
    fi
  fi
done

# 2. The same input gives the same bytes.
export SOURCE_DATE_EPOCH=1700000000
"$BIN" render -q examples/minimal.yaml -o "$T/a.pdf" &&
  "$BIN" render -q examples/minimal.yaml -o "$T/b.pdf" &&
  cmp -s "$T/a.pdf" "$T/b.pdf" && ok "deterministic output" ||
  no "deterministic output"

# 3. The text of the PDF reads back (shaped text, ligatures as letters).
pdftotext "$T/a.pdf" "$T/a.txt"
grep -q "Veličković" "$T/a.txt" && ok "accented name extracts" ||
  no "accented name extracts"
grep -q "office affine" "$T/a.txt" && ok "ligatures extract as letters" ||
  no "ligatures extract as letters"

# 4. A failed run leaves the previous PDF untouched, and says where.
cp "$T/a.pdf" "$T/keep.pdf"
printf 'name: X\nsections:\n  - type: summary\n    txet: hi\n' >"$T/bad.yaml"
if "$BIN" render "$T/bad.yaml" -o "$T/keep.pdf" 2>"$T/err"; then
  no "bad field is an error"
else
  grep -q "bad.yaml:4:5: error: unknown field 'txet' in summary section; did you mean 'text'?" "$T/err" &&
    ok "unknown field names file:line:col and suggests" ||
    no "unknown field message: $(cat "$T/err")"
fi
cmp -s "$T/a.pdf" "$T/keep.pdf" && ok "failed run keeps previous PDF" ||
  no "failed run keeps previous PDF"
ls "$T"/keep.pdf.tmp-* >/dev/null 2>&1 && no "temporary file left behind" ||
  ok "no temporary file left behind"

printf 'name: X\nsections:\n  - type: sumary\n    text: hi\n' >"$T/bad2.yaml"
"$BIN" render "$T/bad2.yaml" -o "$T/x.pdf" 2>"$T/err"
grep -q "bad2.yaml:3:11: error: unknown section type 'sumary'; did you mean 'summary'?" "$T/err" &&
  ok "unknown section type" || no "unknown section type: $(cat "$T/err")"
[ ! -e "$T/x.pdf" ] && ok "no output on failure" || no "no output on failure"

"$BIN" render "$T/nonexistent.yaml" 2>"$T/err"
[ $? -eq 1 ] && grep -q "nonexistent.yaml" "$T/err" && ok "missing input" ||
  no "missing input: $(cat "$T/err")"
"$BIN" render "$T" 2>"$T/err"
[ $? -eq 1 ] && ok "directory as input is an error" ||
  no "directory as input"
"$BIN" render examples/minimal.yaml -o /nonexistent-dir/x.pdf 2>"$T/err"
[ $? -eq 1 ] && grep -q "nonexistent-dir" "$T/err" && ok "unwritable output" ||
  no "unwritable output: $(cat "$T/err")"
"$BIN" frobnicate 2>/dev/null
[ $? -eq 2 ] && ok "unknown command exits 2" || no "unknown command exits 2"
"$BIN" --help | grep -q "cvpdf render CV.yaml" && ok "--help" || no "--help"
"$BIN" --version | grep -q "^cvpdf [0-9]" && ok "--version" || no "--version"

# 5. A plugin built for another ABI major version is refused by name.
mkdir -p "$T/plug"
cat >"$T/plug/future.c" <<'C'
#include <cvpdf/cvpdf.h>
static const cvpdf_section_type t[] = {{"future", "x", 0}, {0, 0, 0}};
static int build(void *s, const cvpdf_host *h, cvpdf_builder *b,
                 const char *ty, const cvpdf_node *n) {
  (void)s; (void)h; (void)b; (void)ty; (void)n; return 0; }
CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
  .abi_major = CVPDF_ABI_MAJOR + 1, .size = sizeof(cvpdf_plugin),
  .name = "future", .version = "9", .types = t, .build = build};
C
if ${CC:-cc} -shared -fPIC -Icore/include -o "$T/plug/future.so" "$T/plug/future.c"; then
  "$BIN" render examples/minimal.yaml -o "$T/y.pdf" --plugin-dir "$T/plug" 2>"$T/err"
  [ $? -eq 1 ] && grep -q "future.so' was built for plugin ABI 2" "$T/err" &&
    ok "wrong ABI plugin refused with its file name" ||
    no "wrong ABI plugin: $(cat "$T/err")"
else
  no "could not build the wrong-ABI test plugin"
fi

# 6. Pages are written and their memory reused while the CV is still being
#    built.  A trace keeps every page instead; both runs must give the same
#    bytes, and the text of every repeated entry must be there.
if python3 bench/gen.py --example examples/academic-cv.yaml "$T/big" 12 \
  >/dev/null 2>"$T/err"; then
  "$BIN" render -q "$T/big/cv-12x.yaml" -o "$T/stream.pdf" 2>"$T/err" &&
    "$BIN" render -q "$T/big/cv-12x.yaml" -o "$T/kept.pdf" \
      --trace "$T/big.trace" 2>>"$T/err" &&
    cmp -s "$T/stream.pdf" "$T/kept.pdf" &&
    ok "a 12x CV written page by page equals the one kept whole" ||
    no "page-by-page output differs from the kept document: $(cat "$T/err")"
  pages=$(pdfinfo "$T/stream.pdf" | awk '/^Pages:/ {print $2}')
  want=$(grep -c "^page " "$T/big.trace")
  n=$(pdftotext "$T/stream.pdf" - | grep -c "Generalized Parallel Scaling")
  [ "$pages" -eq "$want" ] && [ "$pages" -gt 30 ] && [ "$n" -eq 24 ] &&
    ok "$pages pages, the text of each of the 12 copies" ||
    no "12x CV: $pages pages (trace $want), a title found $n times, not 24"
else
  no "bench/gen.py: $(cat "$T/err")"
fi

# 7. pdfminer, the extractor behind many applicant tracking systems, reads
#    what pdftotext reads: it ignores ActualText and embedded Encoding
#    CMaps, so this guards codes, ToUnicode and the icons' words.  Words
#    hyphenated at a line end are the only expected difference.
if /usr/bin/python3 -c 'import pdfminer' 2>/dev/null; then
  for y in examples/*.yaml; do
    name=$(basename "$y" .yaml)
    [ -f "$T/$name.pdf" ] || continue
    if res=$(/usr/bin/python3 - "$T/$name.pdf" 2>&1 <<'PY'
import re, subprocess, sys
from pdfminer.high_level import extract_text
pdf = sys.argv[1]
a = extract_text(pdf)
b = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                   capture_output=True, text=True).stdout
wa, wb = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
pua = sum(1 for c in a if 0xE000 <= ord(c) <= 0xF8FF)
got = len(wa & wb)
print("%d/%d words, %d private-use characters" % (got, len(wb), pua))
sys.exit(0 if wb and got >= 0.97 * len(wb) and pua == 0 else 1)
PY
    ); then
      ok "pdfminer reads $name.pdf: $res"
    else
      no "pdfminer reads $name.pdf: $res"
    fi
  done
else
  no "python3-pdfminer is not installed"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Hostile input and faults: every bad input ends in a positioned message,
# exit status 1, no crash and no sanitizer report; the previous PDF stays
# byte-identical and no temporary file is left.  Limits fail fast, safe
# mode refuses what a CV must not reach, and a write error while saving
# (fault-injecting preload library, small tmpfs) never leaves a half PDF.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
H=tests/hostile
T=$(mktemp -d)
MNT=
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
skipped() { skip=$((skip + 1)); echo "skip - $1"; }

# Is the binary built with the sanitizers?  (Its own or its library's
# dynamic dependencies name libasan / libubsan.)
SAN=0
if ldd "$BIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then SAN=1; fi

# The previous output every failing run must leave alone.
"$BIN" render -q "$H/good.yaml" -o "$T/out.pdf" 2>"$T/err" ||
  { echo "FAIL - cannot render $H/good.yaml: $(cat "$T/err")"; exit 1; }
cp "$T/out.pdf" "$T/saved.pdf"

# After a failed run: exit status 1 (not a signal, not 2), no sanitizer or
# crash report, the previous PDF byte-identical, no temporary file.
aftermath() { # name rc
  [ "$2" -eq 1 ] || no "$1: exit status $2, expected 1"
  if grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$T/err"; then
    no "$1: crash or sanitizer report: $(head -c 600 "$T/err")"
  fi
  cmp -s "$T/out.pdf" "$T/saved.pdf" || no "$1: the previous PDF changed"
  # shellcheck disable=SC2012
  [ "$(ls -a "$T" | grep -c '\.tmp-')" -eq 0 ] || no "$1: temporary file left"
}

# bad NAME INPUT EXPECTED [OPTIONS...]: the run fails as above and stderr
# holds EXPECTED (a fixed string: file:line:col and the words).
bad() {
  name=$1 input=$2 want=$3
  shift 3
  "$BIN" render "$input" -o "$T/out.pdf" "$@" 2>"$T/err"
  rc=$?
  before=$fail
  aftermath "$name" "$rc"
  if ! grep -qF -- "$want" "$T/err"; then
    no "$name: expected message '$want', got: $(head -c 600 "$T/err")"
  fi
  [ "$fail" -eq "$before" ] && ok "$name"
}

# 1. Bad input, each kind the issue lists.
bad "tabs" "$H/tab-indent.yaml" \
  "tab-indent.yaml:2:1: error: found a tab character where indentation was expected"
bad "unclosed quote" "$H/unclosed-quote.yaml" \
  "unclosed-quote.yaml:1:7: error: expected a closing quote for the string that starts here, found the end of the file"
bad "top-level list" "$H/top-list.yaml" \
  "top-list.yaml:1:1: error: expected a mapping at the top level (name:, sections:, ...), found a sequence"
printf 'name: Ada \377Lovelace\n' >"$T/utf8.yaml"
bad "invalid UTF-8" "$T/utf8.yaml" "utf8.yaml:1:11: error: invalid UTF-8 byte 0xff"
printf 'name: Ada\nheadline: a\000b\n' >"$T/nul.yaml"
bad "NUL byte" "$T/nul.yaml" \
  "nul.yaml:2:12: error: expected UTF-8 text, found a NUL byte"
printf '\377\376n\000a\000m\000e\000:\000 \000A\000\n\000' >"$T/utf16.yaml"
bad "UTF-16 with BOM" "$T/utf16.yaml" \
  "utf16.yaml:1:1: error: expected UTF-8 text, found UTF-16 (byte order mark)"
head -c 4096 "$T/saved.pdf" >"$T/garbage-pdf.yaml"
bad "binary garbage (a PDF)" "$T/garbage-pdf.yaml" "garbage-pdf.yaml:"
grep -Eq 'garbage-pdf.yaml:[0-9]+:[0-9]+: error: (invalid UTF-8|expected UTF-8)' "$T/err" &&
  ok "binary garbage (a PDF) is an encoding error with a position" ||
  no "binary garbage (a PDF): $(cat "$T/err")"
head -c 4096 /bin/ls >"$T/garbage-elf.yaml"
bad "binary garbage (/bin/ls)" "$T/garbage-elf.yaml" \
  "garbage-elf.yaml:1:8: error: expected UTF-8 text, found a NUL byte"
: >"$T/empty.yaml"
bad "empty file" "$T/empty.yaml" \
  "empty.yaml: error: expected a mapping at the top level, found an empty document"
bad "duplicate key" "$H/duplicate-key.yaml" \
  "duplicate-key.yaml:5:5: error: duplicate key 'text' (first at line 4)"
mkdir "$T/adir"
bad "directory as input" "$T/adir" "adir: error: cannot read '$T/adir': Is a directory"
bad "missing input" "$T/missing.yaml" \
  "missing.yaml: error: cannot read '$T/missing.yaml': No such file or directory"
bad "unknown section type" "$H/unknown-type.yaml" \
  "unknown-type.yaml:3:11: error: unknown section type 'hobbies'"
bad "missing font" "$H/missing-font.yaml" \
  "missing-font.yaml:2:33: error: font family \"No Such Font\" (regular) is not installed"

# 2. Unwritable output paths (CI runs as root: permissions stop nothing,
# so use paths no one can create).
unwritable() { # name path expected
  "$BIN" render "$H/good.yaml" -o "$2" 2>"$T/err"
  rc=$?
  before=$fail
  [ "$rc" -eq 1 ] || no "$1: exit status $rc"
  grep -qF -- "$3" "$T/err" || no "$1: $(cat "$T/err")"
  [ "$fail" -eq "$before" ] && ok "$1"
}
unwritable "output under a missing dir" "$T/no/such/dir/cv.pdf" \
  "$T/no/such/dir/cv.pdf: error: cannot write output: No such file or directory"
unwritable "output whose parent is a file" "$T/saved.pdf/cv.pdf" \
  "$T/saved.pdf/cv.pdf: error: cannot write output: Not a directory"
unwritable "output under /proc" /proc/cvpdf-test.pdf \
  "/proc/cvpdf-test.pdf: error: cannot write output:"

# 3. Limits: clear errors, fast failure, each settable.
bad "alias bomb" "$H/alias-bomb.yaml" \
  "alias-bomb.yaml:9:8: error: expected at most 1000000 nodes once aliases are expanded, found more"
# Fast: the best of three runs, less the start-up of the process (the
# best of three --version runs), so a busy machine does not fail the test.
ms() { date +%s%N | cut -c1-13; }
best() { # command...: fastest of 3 wall times in ms
  b=999999
  for _ in 1 2 3; do
    t0=$(ms)
    "$@" >/dev/null 2>&1
    t1=$(ms)
    [ $((t1 - t0)) -lt "$b" ] && b=$((t1 - t0))
  done
  echo "$b"
}
base=$(best "$BIN" --version)
# 0.1 s for a plain build; the sanitizers slow everything down.
lim=100
[ "$SAN" -eq 1 ] && lim=1000
fast() { # name input options...
  name=$1
  shift
  t=$(best "$BIN" render "$@" -o "$T/fast.pdf")
  [ $((t - base)) -lt "$lim" ] &&
    ok "$name fails in $t ms ($base ms start-up; limit $lim ms)" ||
    no "$name took $t ms ($base ms start-up; limit $lim ms)"
}
fast "alias bomb" "$H/alias-bomb.yaml"
bad "--max-nodes" examples/minimal.yaml \
  "error: expected at most 10 nodes once aliases are expanded, found more (an alias expanding too far?); raise the limit with --max-nodes" \
  --max-nodes 10
grep -Eq 'minimal.yaml:[0-9]+:[0-9]+: error: expected at most 10 nodes' "$T/err" &&
  ok "--max-nodes message has a position" || no "--max-nodes position: $(cat "$T/err")"

# 100000 open brackets: refused at the 65th, at once.
awk 'BEGIN { s = "name: "; for (i = 0; i < 100000; i++) s = s "["; print s }' >"$T/deep.yaml"
bad "deep nesting" "$T/deep.yaml" \
  "deep.yaml:1:70: error: expected at most 64 levels of nesting, found more; raise the limit with --max-depth"
fast "deep nesting" "$T/deep.yaml"
bad "--max-depth" "$H/good.yaml" \
  "good.yaml:3:5: error: expected at most 2 levels of nesting, found more" --max-depth 2

# A 2 MiB string.
{ printf 'name: Ada\nheadline: '; head -c 2097152 /dev/zero | tr '\0' 'x'; printf '\n'; } >"$T/long.yaml"
bad "huge string" "$T/long.yaml" \
  "long.yaml:2:11: error: expected a string of at most 1048576 bytes, found 2097152; raise the limit with --max-string"
bad "--max-string" "$H/good.yaml" \
  "good.yaml:1:7: error: expected a string of at most 10 bytes, found 12" --max-string 10

# A 17 MiB file (sparse: nothing big is written or committed); it is
# refused by its size before a byte is read.
truncate -s 17M "$T/huge.yaml"
bad "huge file" "$T/huge.yaml" \
  "huge.yaml: error: expected at most 16777216 bytes of input, found 17825792; raise the limit with --max-input-bytes"
fast "huge file" "$T/huge.yaml"
rm -f "$T/huge.yaml"
bad "--max-input-bytes" "$H/good.yaml" \
  "good.yaml: error: expected at most 64 bytes of input, found 101" --max-input-bytes 64
"$BIN" render -q "$H/good.yaml" -o "$T/big-limit.pdf" --max-input-bytes 1M --max-string 2k \
  --max-depth 10 --max-nodes 1000 --max-pages 1 2>"$T/err" &&
  ok "generous limits render" || no "generous limits: $(cat "$T/err")"

# Too many pages: a generated CV of many paragraphs.
{
  printf 'name: Ada Lovelace\nsections:\n  - type: summary\n    title: Notes\n    text:\n'
  i=0
  while [ $i -lt 120 ]; do
    printf '      - "Paragraph %d. The Analytical Engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves, and it might act upon other things besides number."\n' $i
    i=$((i + 1))
  done
} >"$T/long-cv.yaml"
bad "--max-pages" "$T/long-cv.yaml" "long-cv.yaml: error: expected at most 2 pages, found" --max-pages 2
"$BIN" render -q "$T/long-cv.yaml" -o "$T/long.pdf" 2>"$T/err" &&
  [ "$(pdfinfo "$T/long.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" -gt 2 ] &&
  ok "the long CV renders within the default page limit" ||
  no "long CV: $(cat "$T/err")"

# Bad limit values are usage errors.
usage() { # name expected options...
  name=$1 want=$2
  shift 2
  "$BIN" render "$H/good.yaml" -o "$T/out.pdf" "$@" 2>"$T/err"
  rc=$?
  [ "$rc" -eq 2 ] && grep -qF -- "$want" "$T/err" && ok "$name" ||
    no "$name: exit $rc: $(cat "$T/err")"
}
usage "--max-pages 0" "cvpdf: --max-pages expected a positive number, found '0'" --max-pages 0
usage "--max-input-bytes 1X" "cvpdf: --max-input-bytes expected a positive number (bytes; K, M or G allowed), found '1X'" --max-input-bytes 1X
usage "--max-depth -3" "cvpdf: --max-depth expected a positive number, found '-3'" --max-depth -3
usage "--max-nodes 1K (no suffix for counts)" "found '1K'" --max-nodes 1K

# 4. Plugins that are not plugins, or for another ABI.
mkdir -p "$T/notplugin" "$T/wrongabi" "$T/textso" "$T/goodplug"
echo 'int cvpdf_unrelated = 1;' >"$T/np.c"
cat >"$T/abi.c" <<'C'
#include <cvpdf/cvpdf.h>
static const cvpdf_section_type t[] = {{"future", "x", 0}, {0, 0, 0}};
static int build(void *s, const cvpdf_host *h, cvpdf_builder *b,
                 const char *ty, const cvpdf_node *n) {
  (void)s; (void)h; (void)b; (void)ty; (void)n; return 0; }
CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
  .abi_major = CVPDF_ABI_MAJOR + 7, .size = sizeof(cvpdf_plugin),
  .name = "future", .version = "9", .types = t, .build = build};
C
echo 'this is not an ELF file' >"$T/textso/text.so"
if "$CC" -shared -fPIC -o "$T/notplugin/np.so" "$T/np.c" &&
  "$CC" -shared -fPIC -Icore/include -o "$T/wrongabi/abi.so" "$T/abi.c"; then
  bad "a .so that is not a plugin" "$H/good.yaml" \
    "error: '$T/notplugin/np.so' is not a cvpdf plugin: no symbol cvpdf_plugin_descriptor" \
    --plugin-dir "$T/notplugin"
  bad "a plugin for another ABI" "$H/good.yaml" \
    "error: '$T/wrongabi/abi.so' was built for plugin ABI" --plugin-dir "$T/wrongabi"
  bad "a text file named .so" "$H/good.yaml" \
    "error: cannot load plugin '$T/textso/text.so':" --plugin-dir "$T/textso"

  # 5. Safe mode.  $CVPDF_PLUGIN_PATH is ignored (the environment of a
  # service is not the operator's choice); --plugin-dir still counts.
  CVPDF_PLUGIN_PATH="$T/notplugin" "$BIN" render "$H/good.yaml" -o "$T/x.pdf" 2>"$T/err"
  [ $? -eq 1 ] && grep -q "np.so' is not a cvpdf plugin" "$T/err" &&
    ok "CVPDF_PLUGIN_PATH is searched normally" ||
    no "CVPDF_PLUGIN_PATH normally: $(cat "$T/err")"
  CVPDF_PLUGIN_PATH="$T/notplugin" "$BIN" render -q --safe "$H/good.yaml" -o "$T/x.pdf" 2>"$T/err" &&
    ok "--safe ignores CVPDF_PLUGIN_PATH" || no "--safe and CVPDF_PLUGIN_PATH: $(cat "$T/err")"
  bad "--safe keeps --plugin-dir" "$H/good.yaml" "np.so' is not a cvpdf plugin" \
    --safe --plugin-dir "$T/notplugin"
else
  no "could not build the test plugins with $CC"
fi
bad "--safe: layout by absolute path" "$H/safe-layout-absolute.yaml" \
  "safe-layout-absolute.yaml:2:9: error: expected the name of an installed layout, found the path '/etc/cvpdf-layout.yaml' (layout files are not read in safe mode)" \
  --safe
bad "--safe: layout by relative path" "$H/safe-layout-relative.yaml" \
  "safe-layout-relative.yaml:2:9: error: expected the name of an installed layout, found the path '../layouts/classic'" \
  --safe
# Without --safe the relative name reaches the layout file (it exists).
"$BIN" render -q "$H/safe-layout-relative.yaml" -o "$T/x.pdf" 2>"$T/err" &&
  ok "without --safe a layout path is read" || no "layout path: $(cat "$T/err")"
# The operator's --layout is trusted in safe mode.
"$BIN" render -q --safe --layout layouts/classic.yaml "$H/good.yaml" -o "$T/x.pdf" 2>"$T/err" &&
  ok "--safe allows the operator's --layout path" || no "--safe --layout: $(cat "$T/err")"
bad "--safe: theme can only name families" "$H/missing-font.yaml" \
  "missing-font.yaml:2:33: error: font family \"No Such Font\"" --safe
printf 'name: Ada\ntheme: {fonts: {dirs: [/tmp]}}\nsections: []\n' >"$T/fontdir.yaml"
bad "--safe: theme cannot add font dirs" "$T/fontdir.yaml" "fontdir.yaml:2:" --safe
# A BibTeX file the CV names must lie in the CV's directory.
mkdir -p "$T/cvdir"
cp tests/bibtex/refs.bib "$T/refs.bib"
cp tests/bibtex/refs.bib "$T/cvdir/refs.bib"
printf 'name: X\nsections:\n  - type: publications\n    bibtex: ../refs.bib\n' >"$T/cvdir/outside.yaml"
bad "--safe: BibTeX outside the CV's directory" "$T/cvdir/outside.yaml" \
  "outside.yaml:4:13: error: expected a BibTeX file in the CV's directory, found '../refs.bib'" --safe
printf 'name: X\nsections:\n  - type: publications\n    bibtex: refs.bib\n' >"$T/cvdir/inside.yaml"
"$BIN" render -q --safe "$T/cvdir/inside.yaml" -o "$T/x.pdf" 2>"$T/err" &&
  ok "--safe reads a BibTeX file beside the CV" || no "--safe BibTeX beside: $(cat "$T/err")"

# 6. Faults while saving.  A preload library fails write/fwrite/fsync on
# the temporary file; under the sanitizers a second preloaded library
# fights the runtime, so that part is skipped there.
if [ "$SAN" -eq 1 ]; then
  skipped "fault injection (binary built with sanitizers)"
elif ! "$CC" -shared -fPIC -o "$T/failwrite.so" tests/fault/failwrite.c -ldl; then
  no "could not build tests/fault/failwrite.so"
else
  for after in 0 1000 6000; do
    FAILWRITE_AFTER=$after LD_PRELOAD="$T/failwrite.so" \
      "$BIN" render "$H/good.yaml" -o "$T/out.pdf" 2>"$T/err"
    rc=$?
    before=$fail
    aftermath "write fails after $after bytes" "$rc"
    grep -qF "$T/out.pdf: error: cannot write the PDF: No space left on device" "$T/err" ||
      no "write fails after $after bytes: $(cat "$T/err")"
    [ "$fail" -eq "$before" ] && ok "write fails after $after bytes: previous PDF kept"
  done
  FAILWRITE_AFTER=100000000 FAILWRITE_FSYNC=1 LD_PRELOAD="$T/failwrite.so" \
    "$BIN" render "$H/good.yaml" -o "$T/out.pdf" 2>"$T/err"
  rc=$?
  before=$fail
  aftermath "fsync fails" "$rc"
  grep -qF "$T/out.pdf: error: cannot write the PDF: No space left on device" "$T/err" ||
    no "fsync fails: $(cat "$T/err")"
  [ "$fail" -eq "$before" ] && ok "fsync fails: previous PDF kept"
  # The shim really is active: with room enough the render succeeds.
  FAILWRITE_AFTER=100000000 LD_PRELOAD="$T/failwrite.so" \
    "$BIN" render -q "$H/good.yaml" -o "$T/shim-ok.pdf" 2>"$T/err" &&
    ok "render through the shim with room succeeds" || no "shim with room: $(cat "$T/err")"
fi

# A real full disk: a tiny tmpfs, when this process may mount one.  24 KiB
# holds all of the PDF but the last buffer, so the loss shows only when
# the file is closed.
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=8k tmpfs "$T/mnt" 2>/dev/null; then
  MNT="$T/mnt"
  for size in 8k 24k; do
    mount -o remount,size=$size "$MNT" 2>/dev/null || true
    printf 'previous\n' >"$MNT/cv.pdf"
    "$BIN" render examples/minimal.yaml -o "$MNT/cv.pdf" 2>"$T/err"
    rc=$?
    before=$fail
    [ "$rc" -eq 1 ] || no "full tmpfs ($size): exit $rc"
    [ "$(cat "$MNT/cv.pdf")" = previous ] || no "full tmpfs ($size): previous file changed"
    ls -a "$MNT" | grep -q '\.tmp-' && no "full tmpfs ($size): temporary file left"
    grep -qF "$MNT/cv.pdf: error: cannot write the PDF: No space left on device" "$T/err" ||
      no "full tmpfs ($size): $(cat "$T/err")"
    [ "$fail" -eq "$before" ] && ok "full tmpfs ($size): previous file kept, clear error"
    rm -f "$MNT/cv.pdf"
  done
  umount "$MNT" && MNT=
else
  skipped "full tmpfs (cannot mount a tmpfs here)"
fi

# 7. A few runs under valgrind, when it is installed (not with sanitizers).
if [ "$SAN" -eq 0 ] && command -v valgrind >/dev/null 2>&1; then
  vg() { # name expected-status args...
    name=$1 want=$2
    shift 2
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --error-exitcode=99 "$BIN" "$@" >/dev/null 2>"$T/vg"
    rc=$?
    [ "$rc" -eq "$want" ] && ok "valgrind: $name" ||
      no "valgrind: $name: exit $rc: $(grep -E '==[0-9]+==' "$T/vg" | head -20)"
  }
  vg "render (hyphenation, links)" 0 render -q examples/minimal.yaml -o "$T/vg.pdf"
  vg "malformed YAML" 1 render "$H/unclosed-quote.yaml" -o "$T/vg.pdf"
  vg "alias bomb" 1 render "$H/alias-bomb.yaml" -o "$T/vg.pdf"
  vg "missing font" 1 render "$H/missing-font.yaml" -o "$T/vg.pdf"
  vg "bad plugin" 1 render "$H/good.yaml" -o "$T/vg.pdf" --plugin-dir "$T/wrongabi"
else
  skipped "valgrind runs"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

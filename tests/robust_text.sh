#!/bin/sh
# Any Unicode text and hostile sizes.  Text a CV may hold (flags, U+FFFF
# and other noncharacters, unassigned code points, lone combining marks,
# emoji sequences) renders through every path: render, check, BibTeX,
# JSON Resume, --safe and a batch.  Long lists, a large BibTeX file and a
# long paragraph take linear work, and --max-pages stops the typesetting
# once the limit is passed.  Large inputs are generated here.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=0
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

SAN=0
if ldd "$BIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then SAN=1; fi

crashed() { # file: a crash or sanitizer report in it?
  grep -Eq 'Assertion|Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$1"
}

# run NAME WANT_RC command...: the exit status is WANT_RC and nothing
# crashed; stderr is left in $T/err.
run() {
  name=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$rc" -ne "$want" ] || crashed "$T/err"; then
    no "$name: exit status $rc (expected $want): $(head -c 600 "$T/err")"
    return 1
  fi
  ok "$name"
}

# has NAME PDF WORD...: the PDF's text holds every word.
has() {
  name=$1 pdf=$2
  shift 2
  pdftotext -q "$pdf" "$T/text.txt" 2>/dev/null || : >"$T/text.txt"
  for w in "$@"; do
    grep -qF -- "$w" "$T/text.txt" || {
      no "$name: '$w' is not in the PDF text"
      return 1
    }
  done
  ok "$name: the text around it is in the PDF"
}

# 1. Any Unicode text.  YAML escapes carry the code points libyaml would
# refuse raw (U+FFFF is no printable character to it).
FLAG='\U0001F1EC\U0001F1E7'
cat >"$T/unicode.yaml" <<EOF
name: "Ada $FLAG Lovelace"
headline: "Flags $FLAG\U0001F1EB\U0001F1F7\U0001F1E9 and lone ones \U0001F1E9"
contact:
  email: ada@example.org
sections:
  - type: summary
    title: "Summary \uFFFF"
    text:
      - "Startword \uFFFF U+FFFF \uFFFF\uFFFF inside, nonchars \uFFFE \uFDD0 \U0001FFFF \U0010FFFF, unassigned \u0378 \U00050000 \U000E0080 endone."
      - "\u0301\u0301 lone combining marks \u0301 at a word start, family \U0001F468\u200D\U0001F469\u200D\U0001F467 thumbs \U0001F44D\U0001F3FD Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F endtwo."
  - type: education
    title: "Education $FLAG"
    entries:
      - institution: "University \uFFFF of $FLAG"
        location: "London $FLAG"
        degree: "PhD \u0301"
        start: 2020
        end: present
  - type: skills
    title: Skills
    items:
      Languages: ["English $FLAG", "French \U0001F1EB\U0001F1F7", "\uFFFF"]
EOF
run "flags and U+FFFF: render" 0 "$BIN" render "$T/unicode.yaml" -o "$T/unicode.pdf"
has "flags and U+FFFF: render" "$T/unicode.pdf" Startword endone endtwo Lovelace London
run "flags and U+FFFF: check" 0 "$BIN" check "$T/unicode.yaml"
run "flags and U+FFFF: --safe" 0 "$BIN" render --safe "$T/unicode.yaml" -o "$T/safe.pdf"
for l in classic modern awesome compact; do
  run "flags and U+FFFF: layout $l" 0 "$BIN" render "$T/unicode.yaml" \
    --layout "$l" -o "$T/l.pdf"
done
# One hard case per CV in a batch: every CV is rendered, the batch goes on.
i=0
for t in "$FLAG" '\uFFFF' '\U0001F1E9' '\u0301' '\U0001F468\u200D\U0001F469' \
  '\U000E0080\U00050000' '\uFDD0\uFFFE'; do
  i=$((i + 1))
  mkdir -p "$T/batch/$i"
  printf 'name: "Case %d %s"\nsections:\n  - type: summary\n    text: "%s word%d %s"\n' \
    "$i" "$t" "$t" "$i" "$t" >"$T/batch/$i/cv$i.yaml"
done
mkdir -p "$T/batch-out"
run "a batch of hard cases" 0 "$BIN" render "$T"/batch/*/cv*.yaml -o "$T/batch-out/"
n=$(ls "$T/batch-out" | grep -c '\.pdf$')
[ "$n" -eq "$i" ] && ok "every CV of the batch rendered" ||
  no "batch: $n of $i PDFs"

# Through BibTeX: raw UTF-8, U+FFFF included (BibTeX files are not YAML).
printf '@article{flag2024,\n  author = {Ada Lovelace and J\360\237\207\254\360\237\207\247 Smith},\n  title = {Flags \360\237\207\254\360\237\207\247\360\237\207\253\360\237\207\267 and \357\277\277 in Titleword},\n  journal = {Journal \357\277\277 of \360\237\207\251},\n  year = 2024\n}\n' >"$T/refs.bib"
printf 'name: Ada Lovelace\nsections:\n  - type: publications\n    title: Publications\n    bibtex: refs.bib\n' >"$T/bib.yaml"
run "flags and U+FFFF through BibTeX" 0 "$BIN" render "$T/bib.yaml" -o "$T/bib.pdf"
has "flags and U+FFFF through BibTeX" "$T/bib.pdf" Titleword
run "flags and U+FFFF through BibTeX: --safe" 0 "$BIN" render --safe "$T/bib.yaml" -o "$T/bib.pdf"
run "flags and U+FFFF through BibTeX: check" 0 "$BIN" check "$T/bib.yaml"

# A JSON Resume (raw UTF-8 and \u escapes).
printf '{"basics": {"name": "Ada \\uffff Lovelace \360\237\207\254\360\237\207\247", "summary": "Resumeword \360\237\207\254\360\237\207\247 \\uffff \\u0301 done"},\n "skills": [{"name": "Flags", "keywords": ["\360\237\207\253\360\237\207\267", "\\uffff"]}]}\n' >"$T/resume.json"
run "flags and U+FFFF in a JSON Resume" 0 "$BIN" render "$T/resume.json" -o "$T/resume.pdf"
has "flags and U+FFFF in a JSON Resume" "$T/resume.pdf" Resumeword

# 2. Linear work.
# peak COMMAND...: runs it, prints "exit-status peak-RSS-in-MB".
peak() {
  python3 - "$@" <<'EOF'
import os, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                   stderr=open(os.environ["ERR"], "w"))
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
}
export ERR="$T/err"

# The joins of the plugin helpers (cvpdf-util.h) copy each part once: a
# counting host sees about as many bytes made as the joined string holds,
# where joining through fmt part by part makes a square of them.
cat >"$T/joinprobe.c" <<'EOF'
#define _GNU_SOURCE
#include <cvpdf/cvpdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static size_t made, nitems = 4000;
static const char *items[4000];
static size_t len_(const cvpdf_node *n) { return n ? nitems : 0; }
static const cvpdf_node *at_(const cvpdf_node *n, size_t i) {
  return (const cvpdf_node *)(items + i + 0 * (n != NULL));
}
static const char *str_(const cvpdf_node *n) { return *(const char *const *)n; }
static const char *fmt_(cvpdf_builder *b, const char *f, ...) {
  (void)b;
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0) s = NULL;
  va_end(ap);
  made += s ? strlen(s) : 0;
  return s; /* a probe: what it makes is never freed */
}
#if CVPDF_ABI_MINOR >= 2
static const char *join_(cvpdf_builder *b, const char *const *p, size_t n,
                         const char *sep) {
  (void)b;
  size_t total = 1;
  for (size_t i = 0; i < n; i++) total += (p[i] ? strlen(p[i]) : 0) + strlen(sep);
  char *s = calloc(total, 1);
  for (size_t i = 0, k = 0; i < n; i++)
    if (p[i] && *p[i]) { if (k++) strcat(s, sep); strcat(s, p[i]); }
  made += strlen(s);
  return s;
}
#endif
int main(void) {
  static char buf[4000][16];
  for (size_t i = 0; i < nitems; i++) {
    snprintf(buf[i], sizeof buf[i], "item%zu", i);
    items[i] = buf[i];
  }
  cvpdf_host h;
  memset(&h, 0, sizeof h);
  h.size = sizeof h;
  h.len = len_; h.at = at_; h.str = str_; h.fmt = fmt_;
#if CVPDF_ABI_MINOR >= 2
  h.join = join_;
#endif
  const char *s = cvpdf_joined(&h, NULL, (const cvpdf_node *)items, ", ");
  size_t want = strlen(s);
  printf("%zu bytes made for a string of %zu\n", made, want);
  return made <= 2 * want ? 0 : 1;
}
EOF
if $CC -std=gnu11 -Icore/include -o "$T/joinprobe" "$T/joinprobe.c" 2>"$T/err"; then
  "$T/joinprobe" >"$T/out" 2>&1 &&
    ok "cvpdf_joined copies each part once ($(cat "$T/out"))" ||
    no "cvpdf_joined is quadratic: $(cat "$T/out")"
else
  no "join probe does not build: $(head -c 600 "$T/err")"
fi

# The same through the real host: 8,000 skills in one list.
python3 - "$T/skills.yaml" <<'EOF'
import sys
items = ", ".join('"skill%05d"' % i for i in range(8000))
open(sys.argv[1], "w").write(
    "name: Ada Lovelace\nsections:\n  - type: skills\n    title: Skills\n"
    "    items:\n      Tools: [%s]\n" % items)
EOF
set -- $(peak "$BIN" render "$T/skills.yaml" -o "$T/skills.pdf")
if [ "$1" -ne 0 ] || crashed "$T/err"; then
  no "8,000 skills in one list: exit status $1: $(head -c 600 "$T/err")"
elif [ "$SAN" -eq 0 ] && [ "$2" -gt 200 ]; then
  no "8,000 skills in one list: peak $2 MB (a join that copies per part)"
else
  ok "8,000 skills in one list: peak $2 MB"
fi
has "8,000 skills in one list" "$T/skills.pdf" skill00000 skill07999

# A 40,000-entry BibTeX file (3.5 MB) with repeated keys, sorted by date
# and then cut short by --max-pages 1: the duplicate keys are reported in
# file order, and the run ends soon after the first pages are set.  The
# CPU cap is far above what linear work needs and far below what work
# growing with the square of the entries takes.
python3 - "$T" <<'EOF'
import random, sys
r = random.Random(3)
with open(sys.argv[1] + "/big.bib", "w") as f:
    for i in range(40000):
        key = "k%d" % (i if i not in (20000, 39999) else 7 + (i == 39999))
        f.write("@article{%s, author = {A. Lovelace and C. Babbage}, title = "
                "{Work %d on engines}, journal = {J}, year = %d}\n"
                % (key, i, 1950 + r.randrange(70)))
open(sys.argv[1] + "/big.yaml", "w").write(
    "name: Ada Lovelace\nsections:\n  - type: publications\n"
    "    title: Publications\n    bibtex: big.bib\n    sort: newest\n")
EOF
cap=60
[ "$SAN" -eq 1 ] && cap=300
(ulimit -t $cap; exec "$BIN" render "$T/big.yaml" -o "$T/big.pdf" --max-pages 1) 2>"$T/err"
rc=$?
if [ "$rc" -ne 1 ] || crashed "$T/err"; then
  no "40,000-entry BibTeX: exit status $rc (CPU cap $cap s): $(head -c 600 "$T/err")"
else
  ok "40,000-entry BibTeX sorted and cut short within $cap CPU seconds"
fi
sed -n 's/.*big\.bib:\([0-9]*\):.*used twice (first at line \([0-9]*\)).*/\1 \2/p' "$T/err" |
  tr '\n' ' ' >"$T/dups"
[ "$(cat "$T/dups")" = "20001 8 40000 9 " ] &&
  ok "repeated BibTeX keys reported in file order with their first line" ||
  no "repeated keys: '$(cat "$T/dups")' from $(grep 'used twice' "$T/err")"
grep -qF "big.yaml: error: expected at most 1 pages, found more" "$T/err" &&
  ok "--max-pages reported" || no "--max-pages message: $(head -c 600 "$T/err")"

# Sorted newest first, undated last, equal years in file order.
printf '@misc{a, title = {Aword}, year = 2001}\n@misc{b, title = {Bword}}\n@misc{c, title = {Cword}, year = 2019}\n@misc{d, title = {Dword}, year = 2001}\n@misc{e, title = {Eword}, year = 2019}\n' >"$T/few.bib"
for order in newest oldest; do
  printf 'name: Ada\nsections:\n  - type: publications\n    bibtex: few.bib\n    sort: %s\n    numbering: none\n' "$order" >"$T/few.yaml"
  run "BibTeX sorted $order" 0 "$BIN" render "$T/few.yaml" -o "$T/few.pdf"
  pdftotext -q "$T/few.pdf" - | grep -o '[A-E]word' | tr '\n' ' ' >"$T/order"
  want="Cword Eword Aword Dword Bword "
  [ "$order" = oldest ] && want="Aword Dword Cword Eword Bword "
  [ "$(cat "$T/order")" = "$want" ] && ok "BibTeX $order first: $want" ||
    no "BibTeX $order first: '$(cat "$T/order")', expected '$want'"
done

# 20,000 different characters no installed font has: each is looked for
# once, and without a fontconfig sort once enough were found in no font
# (a sort costs about a millisecond).  A preloaded shim counts the sorts;
# under the sanitizers a second preloaded library fights the runtime, so
# only the render itself is checked there.
python3 - "$T/missing.yaml" <<'EOF'
import sys
text = "".join(chr(0x50000 + i) + (" " if i % 8 == 7 else "")
               for i in range(20000))
open(sys.argv[1], "w").write(
    "name: Ada\nsections:\n  - type: summary\n    text: \"Firstword %s\"\n"
    % text)
EOF
cat >"$T/fcsort.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
typedef void *(*sort_fn)(void *, void *, int, void **, int *);
static unsigned long sorts;
void *FcFontSort(void *config, void *pat, int trim, void **csp, int *res) {
  static sort_fn real;
  if (!real)
    real = (sort_fn)dlsym(RTLD_NEXT, "FcFontSort");
  sorts++;
  return real(config, pat, trim, csp, res);
}
__attribute__((destructor)) static void report(void) {
  const char *path = getenv("FCSORT_COUNT");
  FILE *f = path ? fopen(path, "w") : NULL;
  if (f) {
    fprintf(f, "%lu\n", sorts);
    fclose(f);
  }
}
EOF
if [ "$SAN" -eq 1 ]; then
  run "20,000 missing characters" 0 "$BIN" render "$T/missing.yaml" -o "$T/missing.pdf"
elif ! "$CC" -shared -fPIC -o "$T/fcsort.so" "$T/fcsort.c" -ldl 2>"$T/err"; then
  no "could not build the fontconfig shim: $(head -c 300 "$T/err")"
else
  echo 0 >"$T/sorts"
  FCSORT_COUNT="$T/sorts" LD_PRELOAD="$T/fcsort.so" \
    "$BIN" render "$T/missing.yaml" -o "$T/missing.pdf" 2>"$T/err"
  rc=$?
  [ "$rc" -eq 0 ] && ! crashed "$T/err" && ok "20,000 missing characters" ||
    no "20,000 missing characters: exit status $rc: $(head -c 300 "$T/err")"
  [ "$(cat "$T/sorts")" -gt 0 ] && [ "$(cat "$T/sorts")" -le 64 ] &&
    ok "20,000 missing characters: $(cat "$T/sorts") fontconfig sorts" ||
    no "20,000 missing characters: $(cat "$T/sorts") fontconfig sorts (at most 64 expected)"
fi
grep -qF "no installed font has these characters: $(printf '\361\220\200\200') (U+50000)" "$T/err" &&
  ok "the missing characters are named, first first" ||
  no "missing characters warning: $(head -c 300 "$T/err")"

# A 300 kB paragraph is broken in windows: every word comes back, in
# order (each word ends in its number, which hyphenation never splits).
python3 - "$T/para.yaml" <<'EOF'
import random, sys
r = random.Random(5)
vocab = ("typesetting layout paragraph hyphenation kerning ligature glyph "
         "measure justified ragged column margin heading citation reference "
         "conference journal research engineering efficient reliable").split()
words = ["%s%d" % (r.choice(vocab), i) for i in range(20000)]
open(sys.argv[1], "w").write(
    "name: Ada\nsections:\n  - type: summary\n    text: \"%s\"\n"
    % " ".join(words))
EOF
run "a 300 kB paragraph" 0 "$BIN" render "$T/para.yaml" -o "$T/para.pdf"
pdftotext -q "$T/para.pdf" - | python3 -c '
import re, sys
got = [int(n) for n in re.findall(r"[a-z]+([0-9]+)", sys.stdin.read())]
sys.exit(0 if got == list(range(20000)) else 1)' &&
  ok "a 300 kB paragraph: every word, in order" ||
  no "a 300 kB paragraph: words lost, doubled or out of order"

# --max-pages stops the typesetting: a section after the limit is never
# set, so the warning its label would earn (a word wider than half the
# measure: the label column grows to any narrower one) never comes.
python3 - "$T/stop.yaml" <<'EOF'
import sys
paras = "\n".join('      - "Paragraph %d of a long summary that fills page after page with words."' % i
                  for i in range(400))
open(sys.argv[1], "w").write(
    "name: Ada\nsections:\n  - type: summary\n    text:\n%s\n"
    "  - type: publications\n    title: Late\n    entries:\n"
    "      - title: Late work\n        label: %s\n"
    "        year: 2020\n" % (paras, "Averyveryverylongunbreakablelabelword" * 3))
EOF
run "the long CV renders" 0 "$BIN" render "$T/stop.yaml" -o "$T/stop.pdf"
grep -q "wider than" "$T/err" && ok "its late label earns a warning" ||
  no "no warning for the late label: $(cat "$T/err")"
run "--max-pages 1 fails" 1 "$BIN" render "$T/stop.yaml" -o "$T/stop.pdf" --max-pages 1
grep -q "wider than" "$T/err" &&
  no "--max-pages 1: the section after the limit was still typeset" ||
  ok "--max-pages 1: typesetting stopped at the limit"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

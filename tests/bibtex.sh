#!/bin/sh
# A CV whose publications come from tests/bibtex/refs.bib (twenty entries
# with accents, braces and macros), rendered by the real binary: every
# title and the converted names read back from the PDF, the owner's name
# is set in the bold font, and the PDF passes the audit.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
AUDIT=../shared/tools/pdfaudit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

if "$BIN" render -q tests/bibtex/cv.yaml -o "$T/cv.pdf" --trace "$T/cv.trace" \
    2>"$T/err"; then
  ok "render tests/bibtex/cv.yaml"
else
  no "render tests/bibtex/cv.yaml: $(cat "$T/err")"
  echo "$pass passed, $fail failed"
  exit 1
fi
[ -s "$T/err" ] && no "no messages: $(cat "$T/err")" || ok "no messages"

# Lines joined, so a title broken across lines still reads as one.
pdftotext "$T/cv.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/cv.txt"
n=0
while IFS= read -r want; do
  [ -z "$want" ] && continue
  n=$((n + 1))
  grep -qF -- "$want" "$T/cv.txt" && ok "text: $want" ||
    no "text missing: $want"
done <<'LIST'
Graph Attention Networks
Sparse Attention Without Tears: Protected Title Case for LLMs
Many-Valued Logic for Neural Verification
Spectral Methods at the Ångström Scale
Scaling Laws for Naïve Bayes “Revisited”
Efficient Inference in Structured Models
Method and System for Compressing Language Models
Harmonic Analysis of Slavonic Dances — A Retrospective
Graph Kernels for k-Regular Structures in O(n log n) Time
Waltz Detection with Recurrent Networks
Robust PCA via Deep Unfolding
A Survey of Attention in Vision
Tensor Networks for Sequence Models
cvkit: Typesetting Tools & Utilities
On the Number of Distinct Distances, 50% Faster
Øresund Bridge Ice Loads from Sparse Sensors
Notes on Differentiable Sorting
Finite Groups and Sylow Theorems in Practice
Planning Under Uncertainty: POMDPs in Überlingen
Apparatus for Analytical Engines
Petar Veličković
Kurt Gödel
Paul Erdős
Jan Łukasiewicz
Anders Jonas Ångström
Antonín Dvořák
Stanisław Żółkiewski
Ayşe Şahin
Siobhán O’Connor
Google Research
Journal of Machine Learning Research 19(4):1–42
US Patent 9,876,543
LIST
[ "$n" -eq 32 ] && ok "32 strings checked" || no "checked $n strings, not 32"

# The owner's name: every "Lovelace" of an author list (not the 24 pt
# header) is set in the font of the bold titles, other authors are not.
font_of() { grep -F "\"$1\"" "$T/cv.trace" | awk '$5 != "24.00" {print $4}' | sort -u; }
bold=$(grep -F '"Graph' "$T/cv.trace" | head -1 | awk '{print $4}')
owner=$(font_of Lovelace)
other=$(font_of "Gödel,")
count=$(grep -F '"Lovelace' "$T/cv.trace" | awk '$5 != "24.00"' | wc -l)
[ -n "$bold" ] && [ "$owner" = "$bold" ] &&
  ok "owner's name in the bold font ($owner)" ||
  no "owner's name fonts: '$owner', bold title font '$bold'"
[ -n "$other" ] && [ "$other" != "$bold" ] &&
  ok "other authors in the regular font ($other)" ||
  no "other author font: '$other'"
[ "$count" -ge 20 ] && ok "owner's name in all 20 works ($count runs)" ||
  no "owner's name runs: $count, expected at least 20"

# The audit reads the YAML for its text check, and the works' words live
# in the .bib file, so that one check is left out; the others must pass.
if [ -x "$AUDIT" ]; then
  "$AUDIT" "$T/cv.pdf" --source tests/bibtex/cv.yaml >"$T/audit" 2>&1
  bad=$(grep -E '^FAIL|could not' "$T/audit" | grep -v '^FAIL text ')
  [ -z "$bad" ] && grep -q '^PASS fonts' "$T/audit" && ok "pdfaudit" ||
    no "pdfaudit: $bad"
fi

# A broken .bib: the render fails, names the .bib file and line, and
# writes nothing.
sed 's/^  title   = {Graph Attention Networks},$/  title   = {Graph Attention Networks/' \
  tests/bibtex/refs.bib >"$T/refs.bib"
cp tests/bibtex/cv.yaml "$T/cv.yaml"
if "$BIN" render -q "$T/cv.yaml" -o "$T/broken.pdf" 2>"$T/err"; then
  no "broken .bib is an error"
else
  grep -q "refs.bib:7:1: error: BibTeX entry '@article{velickovic2018gat' does not parse" "$T/err" &&
    ok "broken .bib names file and line" || no "broken .bib message: $(cat "$T/err")"
fi
[ ! -e "$T/broken.pdf" ] && ok "no output for a broken .bib" ||
  no "output written for a broken .bib"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

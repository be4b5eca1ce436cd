#!/bin/sh
# The core's folders are stages of a pipeline (docs/architecture.md): a
# file may include its own folder's headers and those of earlier stages,
# never a later stage's.  output/ may read typeset/'s display list only.
set -u
cd "${MESON_SOURCE_ROOT:-.}" || exit 1
order="base document text typeset output pipeline cli"
rank() {
  i=0
  for s in $order; do
    [ "$s" = "$1" ] && { echo $i; return; }
    i=$((i + 1))
  done
  echo 99
}
bad=0 n=0
for f in core/*/*.c core/*/*.h; do
  from=$(echo "$f" | cut -d/ -f2)
  [ "$from" = include ] && continue
  rf=$(rank "$from")
  [ "$rf" = 99 ] && { echo "FAIL - $f: folder '$from' is not a stage"; bad=$((bad + 1)); continue; }
  for inc in $(sed -n 's/^#include "\([a-z_]*\/[a-z_]*\.h\)".*/\1/p' "$f"); do
    n=$((n + 1))
    to=$(echo "$inc" | cut -d/ -f1)
    rt=$(rank "$to")
    if [ "$rt" -gt "$rf" ]; then
      echo "FAIL - $f includes $inc: $to comes after $from"
      bad=$((bad + 1))
    elif [ "$from" = output ] && [ "$to" = typeset ] && [ "$inc" != typeset/display.h ]; then
      echo "FAIL - $f includes $inc: output/ reads only typeset/display.h"
      bad=$((bad + 1))
    elif [ "$from" = text ] && [ "$to" = document ]; then
      echo "FAIL - $f includes $inc: text/ does not read the document"
      bad=$((bad + 1))
    fi
  done
  # A quoted include without a folder would bypass the rule.
  if grep -q '^#include "[a-z_]*\.h"' "$f"; then
    echo "FAIL - $f: an include without its folder"
    bad=$((bad + 1))
  fi
done
echo "$n includes checked, $bad out of order"
[ "$bad" -eq 0 ]

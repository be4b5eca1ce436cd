#!/bin/sh
# Plugins that misbehave.  A crash prints a line naming the plugin and
# section before the process ends, and exit() is named and fails the run.
# A plugin passing NULL, foreign or absurd arguments to the host's services
# gets an error naming it at the section, never a crash.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }

# No run may take longer than this: a hang is a failure, not a stuck test.
LIMIT=60

# ---- the plugins --------------------------------------------------------
for v in SEGV EXIT ABORT RECURSE; do
  mkdir -p "$T/p/$v"
  "$CC" -shared -fPIC -Icore/include -DBAD_$v -o "$T/p/$v/bad.so" \
    tests/plugins/bad.c || { echo "FAIL - cannot build plugin $v"; exit 1; }
done
mkdir -p "$T/p/misuse"
"$CC" -shared -fPIC -Icore/include -o "$T/p/misuse/misuse.so" \
  tests/plugins/misuse.c || { echo "FAIL - cannot build plugin misuse"; exit 1; }

mkdir -p "$T/cv" "$T/out"
cat >"$T/cv/bad.yaml" <<'Y'
name: Ada Lovelace
sections:
  - type: summary
    text: A section before the bad one.
  - type: bad
    title: Trouble
Y
sed 's/type: bad/type: misuse/' "$T/cv/bad.yaml" >"$T/cv/misuse.yaml"
printf 'name: Person 1\nsections:\n  - type: summary\n    text: CV 1.\n' \
  >"$T/cv/ok1.yaml"

# run OPTIONS...: renders with a time limit; sets rc.
run() {
  timeout -s KILL "$LIMIT" "$BIN" render "$@" 2>"$T/err"
  rc=$?
}

# A crash is named before the process ends; exit() is named and fails the
# run.
plain_crash() { # name variant event
  run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/$2"
  line="cvpdf: $T/cv/bad.yaml:5:5: error: plugin 'bad' $3 while building this 'bad' section"
  [ "$rc" -gt 128 ] && [ "$rc" -ne 137 ] && grep -qF "$line" "$T/err" &&
    ok "$1 is named" || no "$1: rc $rc $(cat "$T/err")"
}
plain_crash "a segfault" SEGV "crashed (segmentation fault)"
plain_crash "a stack overflow" RECURSE "crashed (segmentation fault)"
plain_crash "abort()" ABORT "crashed (it aborted)"
run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/EXIT"
[ "$rc" -eq 1 ] &&
  grep -qF "cvpdf: $T/cv/bad.yaml:5:5: error: plugin 'bad' ended the process (it called exit()) while building this 'bad' section" "$T/err" &&
  ok "exit(0) is named, status 1" || no "exit(0): rc $rc $(cat "$T/err")"
run -j 2 "$T/cv/ok1.yaml" "$T/cv/bad.yaml" -o "$T/out" --plugin-dir "$T/p/SEGV"
[ "$rc" -gt 128 ] && grep -qF "plugin 'bad' crashed (segmentation fault)" "$T/err" &&
  ok "-j 2: the crashing thread's plugin is named" ||
  no "-j 2: rc $rc $(cat "$T/err")"

# Misuse of the services: every call is an error naming the plugin at the
# section, alone and all together.
services="heading heading subheading subheading paragraph paragraph paragraph
paragraph row row list_begin list_end item_end entry_end item pair contact
space space word option error warn fmt get get_str get_bool load_bibtex
set_author paragraph list_begin item_begin date_range escape entry_end
paragraph"
i=0
bad_calls=0
for s in $services; do
  MISUSE_ONLY=$i run "$T/cv/misuse.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/misuse"
  if [ "$rc" -ne 1 ] ||
    ! grep -q "misuse.yaml:5:5: error: plugin 'misuse' called $s() " "$T/err" ||
    grep -Eq 'Sanitizer|runtime error' "$T/err"; then
    no "misuse $i ($s): rc $rc $(cat "$T/err")"
    bad_calls=$((bad_calls + 1))
  fi
  i=$((i + 1))
done
[ "$bad_calls" -eq 0 ] && ok "each of $i misuses of the services is named"
MISUSE_INIT=1 run "$T/cv/ok1.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/misuse"
[ "$rc" -eq 0 ] && ok "services called from init() (no builder) refuse quietly" ||
  no "services from init(): rc $rc $(cat "$T/err")"
for mode in ""; do
  # shellcheck disable=SC2086
  run $mode "$T/cv/misuse.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/misuse"
  [ "$rc" -eq 1 ] && grep -q "error: plugin 'misuse' called" "$T/err" &&
    ! grep -Eq 'Sanitizer|runtime error|Segmentation' "$T/err" &&
    ok "all misuses in one section ${mode:-without --safe}" ||
    no "all misuses ${mode:-without --safe}: rc $rc $(head -c 2000 "$T/err")"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

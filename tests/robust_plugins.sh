#!/bin/sh
# Plugins that misbehave.  A plugin that crashes, loops, sleeps, exits,
# aborts, or tries to write a file, open a socket or run a program ends,
# under --safe, in one error naming the plugin and the section, exit status
# 1, no hang, no file written, the previous PDF untouched, and the next CVs
# of a batch rendered (also with -j).  Without --safe a crash still prints a
# line naming the plugin and section, and exit() is named and fails the
# run.  A plugin passing NULL, foreign or absurd arguments to the host's
# services gets an error naming it, never a crash, in either mode.  --safe
# changes no byte of an ordinary PDF.
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

SAN=0
if ldd "$BIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then SAN=1; fi
# No run may take longer than this: a hang is a failure, not a stuck test.
LIMIT=60

# ---- the plugins --------------------------------------------------------
variants="SEGV LOOP SLEEP EXIT ABORT RECURSE WRITE SOCKET EXEC MEMORY LIMITS
INIT_SEGV"
for v in $variants; do
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
for i in 1 2 3; do
  printf 'name: Person %s\nsections:\n  - type: summary\n    text: CV %s.\n' \
    "$i" "$i" >"$T/cv/ok$i.yaml"
done
TARGET=$T/target
export BAD_TARGET="$TARGET"

# The previous output, which every failing run must leave alone.
echo "previous output" >"$T/out/saved.pdf"

# run OUT_NAME OPTIONS...: renders with a time limit; sets rc.
run() {
  timeout -s KILL "$LIMIT" "$BIN" render "$@" 2>"$T/err"
  rc=$?
}

# safe NAME VARIANT PATTERN [OPTIONS...]: under --safe the bad CV fails with
# status 1, one positioned error naming plugin 'bad' and its section that
# matches PATTERN (an extended regex), and the previous PDF is untouched.
safe() {
  name=$1 v=$2 want=$3
  shift 3
  cp "$T/out/saved.pdf" "$T/out/x.pdf"
  rm -f "$TARGET"
  run --safe "$T/cv/bad.yaml" -o "$T/out/x.pdf" --plugin-dir "$T/p/$v" "$@"
  before=$fail
  [ "$rc" -eq 1 ] || no "--safe $name: exit status $rc, expected 1"
  n=$(grep -c "error: " "$T/err")
  [ "$n" -eq 1 ] || no "--safe $name: $n errors, expected 1: $(cat "$T/err")"
  grep -Eq "bad.yaml:5:5: error: plugin 'bad' ($want) while building this 'bad' section" "$T/err" ||
    no "--safe $name: expected '$want' naming plugin and section, got: $(cat "$T/err")"
  cmp -s "$T/out/x.pdf" "$T/out/saved.pdf" || no "--safe $name: the previous PDF changed"
  [ -e "$TARGET" ] && no "--safe $name: the plugin created $TARGET"
  [ "$fail" -eq "$before" ] && ok "--safe $name"
}

# 1. Under --safe, each misbehaviour is stopped and named.
safe "segfault" SEGV "crashed \(segmentation fault\)"
safe "stack overflow" RECURSE "crashed \(segmentation fault\)"
safe "abort()" ABORT "crashed \(it aborted\)"
safe "exit(0)" EXIT "ended the process \(it called exit\(\)\)"
# A loop meets the CPU limit, or on a busy machine the clock first.
safe "endless loop" LOOP \
  "used more than 1 seconds of CPU time|did not finish within 2 seconds" \
  --max-seconds 1
safe "endless sleep" SLEEP "did not finish within 2 seconds" --max-seconds 1
safe "open a file for writing" WRITE \
  "made a system call that --safe forbids \(open(at)?: opening a file for writing\)"
safe "connect a socket" SOCKET \
  "made a system call that --safe forbids \(socket: network access\)"
safe "run a program" EXEC \
  "made a system call that --safe forbids \(execve?: running a program\)"

# The same plugins do what they try without --safe: the checks above can
# fail.
rm -f "$TARGET"
run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/WRITE"
[ -e "$TARGET" ] && ok "without --safe the plugin does write a file" ||
  no "without --safe the writing plugin wrote nothing: $(cat "$T/err")"
rm -f "$TARGET"
run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/EXEC"
[ -e "$TARGET" ] && ok "without --safe the plugin does run a program" ||
  no "without --safe the program-running plugin ran nothing: $(cat "$T/err")"

# 2. The limits, as the plugin sees them.
run --safe "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/LIMITS" \
  --max-seconds 7
as=1073741824
[ "$SAN" -eq 1 ] && as=unlimited # sanitizer shadow memory needs terabytes
grep -q "warning: limits: cpu=7 as=$as nofile=64 fsize=67108864 core=0" "$T/err" &&
  [ "$rc" -eq 0 ] && ok "--safe limits CPU, memory, files, file size, core" ||
  no "--safe limits: $(cat "$T/err")"
if [ "$SAN" -eq 0 ]; then
  run --safe "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/MEMORY"
  [ "$rc" -eq 1 ] && grep -q "could not allocate 2 GiB" "$T/err" &&
    ok "--safe: 2 GiB cannot be allocated" || no "--safe memory: rc $rc $(cat "$T/err")"
fi
safe_init() {
  run --safe "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/INIT_SEGV"
  [ "$rc" -eq 1 ] &&
    grep -q "bad.yaml: error: plugin 'bad' crashed (segmentation fault) in its init()" "$T/err" &&
    ok "--safe: a crash in init() is named" || no "--safe init: rc $rc $(cat "$T/err")"
}
safe_init

# 3. A batch goes on after the bad CV, in input order, also in parallel.
for j in 1 3; do
  for v in SEGV EXIT; do
    rm -f "$T/out/"ok*.pdf
    run --safe -j "$j" "$T/cv/ok1.yaml" "$T/cv/bad.yaml" "$T/cv/ok2.yaml" \
      "$T/cv/ok3.yaml" -o "$T/out" --plugin-dir "$T/p/$v"
    before=$fail
    [ "$rc" -eq 1 ] || no "batch -j $j ($v): exit status $rc"
    for i in 1 2 3; do
      [ -s "$T/out/ok$i.pdf" ] || no "batch -j $j ($v): ok$i.pdf missing: $(cat "$T/err")"
    done
    order=$(grep -oE "ok1.pdf|plugin 'bad'|ok2.pdf|ok3.pdf" "$T/err" | tr '\n' ' ')
    [ "$order" = "ok1.pdf plugin 'bad' ok2.pdf ok3.pdf " ] ||
      no "batch -j $j ($v): reports out of order: $order"
    [ "$fail" -eq "$before" ] && ok "--safe -j $j batch goes on after a plugin's $v"
  done
done

# 4. Without --safe: a crash is named before the process ends; exit() is
# named and fails the run.
plain_crash() { # name variant event
  run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/$2"
  line="cvpdf: $T/cv/bad.yaml:5:5: error: plugin 'bad' $3 while building this 'bad' section"
  [ "$rc" -gt 128 ] && [ "$rc" -ne 137 ] && grep -qF "$line" "$T/err" &&
    ok "without --safe: $1 is named" || no "without --safe: $1: rc $rc $(cat "$T/err")"
}
plain_crash "a segfault" SEGV "crashed (segmentation fault)"
plain_crash "a stack overflow" RECURSE "crashed (segmentation fault)"
plain_crash "abort()" ABORT "crashed (it aborted)"
run "$T/cv/bad.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/EXIT"
[ "$rc" -eq 1 ] &&
  grep -qF "cvpdf: $T/cv/bad.yaml:5:5: error: plugin 'bad' ended the process (it called exit()) while building this 'bad' section" "$T/err" &&
  ok "without --safe: exit(0) is named, status 1" || no "without --safe exit(0): rc $rc $(cat "$T/err")"
run -j 2 "$T/cv/ok1.yaml" "$T/cv/bad.yaml" -o "$T/out" --plugin-dir "$T/p/SEGV"
[ "$rc" -gt 128 ] && grep -qF "plugin 'bad' crashed (segmentation fault)" "$T/err" &&
  ok "without --safe, -j 2: the crashing thread's plugin is named" ||
  no "without --safe -j 2: rc $rc $(cat "$T/err")"

# 5. Misuse of the services: every call is an error naming the plugin at
# the section, alone and all together, with and without --safe.
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
for mode in "" --safe; do
  # shellcheck disable=SC2086
  run $mode "$T/cv/misuse.yaml" -o "$T/out/y.pdf" --plugin-dir "$T/p/misuse"
  [ "$rc" -eq 1 ] && grep -q "error: plugin 'misuse' called" "$T/err" &&
    ! grep -Eq 'Sanitizer|runtime error|Segmentation' "$T/err" &&
    ok "all misuses in one section ${mode:-without --safe}" ||
    no "all misuses ${mode:-without --safe}: rc $rc $(head -c 2000 "$T/err")"
done

# 6. --safe writes the same bytes, trace included.
for y in examples/minimal.yaml examples/engineer-cv.yaml; do
  "$BIN" render -q "$y" -o "$T/out/a.pdf" --trace "$T/out/a.trace" &&
    "$BIN" render -q --safe "$y" -o "$T/out/b.pdf" --trace "$T/out/b.trace" &&
    cmp -s "$T/out/a.pdf" "$T/out/b.pdf" &&
    cmp -s "$T/out/a.trace" "$T/out/b.trace" &&
    ok "--safe: $y byte-identical" || no "--safe: $y differs"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

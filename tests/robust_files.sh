#!/bin/sh
# The files a run reads and writes.  No output ever replaces an input of
# the run (under any name) or anything but a regular file; a symbolic link
# as the output is written through; a FIFO or a device named as an input
# never hangs the run; --safe resolves every file a CV names beneath its
# directory; a batch whose outputs clash renders nothing; a save killed at
# any moment (SIGKILL too) leaves the previous file and no temporary file;
# names up to the file system's limit work; modes are kept.
set -u
BIN=${CVPDF_BIN:-build/core/cvpdf}
CC=${CC:-cc}
H=tests/hostile
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset CVPDF_PLUGIN_PATH
export SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0 skip=0 before=0 name=
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $name: $1"; }
skipped() { skip=$((skip + 1)); echo "skip - $1"; }
# begin NAME ... end: one test; it passes when nothing in between failed.
# The shared inputs are restored first, so each test stands on its own.
begin() {
  name=$1 before=$fail
  [ -f "$T/w/cv.saved" ] && cp "$T/w/cv.saved" "$T/w/cv.yaml"
  [ -f "$T/w/refs.saved" ] && cp "$T/w/refs.saved" "$T/w/refs.bib"
  [ -f "$T/w/lay.saved" ] && cp "$T/w/lay.saved" "$T/w/lay.yaml"
  return 0
}
end() { [ "$fail" -eq "$before" ] && ok "$name"; }

SAN=0
if ldd "$BIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then SAN=1; fi
ROOT=0
[ "$(id -u)" -eq 0 ] && ROOT=1

# run RC WANT CMD...: CMD ends within 10 s with status RC, stderr holds
# WANT (a fixed string; "" for any) and no crash or sanitizer report.
run() {
  want_rc=$1 want=$2
  shift 2
  # -k: watch blocks SIGTERM (it reads signals from a descriptor).
  timeout -k 2 10 "$@" >"$T/stdout" 2>"$T/err"
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    no "still running after 10 s: $*"
    return
  fi
  [ "$rc" -eq "$want_rc" ] ||
    no "exit status $rc, expected $want_rc: $(head -c 600 "$T/err")"
  if grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$T/err"; then
    no "crash or sanitizer report: $(head -c 600 "$T/err")"
  fi
  [ -z "$want" ] || grep -qF -- "$want" "$T/err" ||
    no "expected the message '$want', got: $(head -c 600 "$T/err")"
}
same() { cmp -s "$1" "$2" || no "$1 changed"; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ] || no "$1 was created"; }
# No temporary file (ours are named .tmp-...; an older scheme appended
# .tmp-XXXXXX to the output's name) in directory $1.
no_temp() {
  # shellcheck disable=SC2012
  left=$(ls -A "$1" | grep -c '\.tmp-')
  [ "$left" -eq 0 ] || no "temporary file left in $1: $(ls -A "$1" | grep '\.tmp-' | tr '\n' ' ')"
}
is_pdf() { head -c 5 "$1" 2>/dev/null | grep -q '^%PDF-' || no "$1 is not a PDF"; }
mode() { stat -c %a "$1"; }

D=$T/w
mkdir -p "$D"
cp "$H/good.yaml" "$D/cv.yaml"
cp "$D/cv.yaml" "$D/cv.saved"
cp tests/bibtex/refs.bib "$D/refs.bib"
cp "$D/refs.bib" "$D/refs.saved"
printf 'name: Ada Lovelace\nsections:\n  - type: publications\n    title: Papers\n    bibtex: refs.bib\n' >"$D/pubs.yaml"
"$BIN" render -q "$D/cv.yaml" -o "$T/ref.pdf" 2>"$T/err" ||
  { echo "FAIL - cannot render $D/cv.yaml: $(cat "$T/err")"; exit 1; }

# ---- 1. An output never replaces an input of the run --------------------

begin "-o naming the CV itself is refused, the CV kept"
run 2 "$D/cv.yaml: expected an output file, found '$D/cv.yaml', which this run reads; nothing was rendered" \
  "$BIN" render "$D/cv.yaml" -o "$D/cv.yaml"
same "$D/cv.yaml" "$D/cv.saved"
end

begin "-o naming a hard link to the CV is refused"
ln "$D/cv.yaml" "$D/hard.pdf"
run 2 "found '$D/cv.yaml', which this run reads" "$BIN" render "$D/cv.yaml" -o "$D/hard.pdf"
same "$D/cv.yaml" "$D/cv.saved"
rm -f "$D/hard.pdf"
end

begin "-o naming a symbolic link to the CV is refused, the link kept"
ln -s cv.yaml "$D/link.pdf"
run 2 "found '$D/cv.yaml', which this run reads" "$BIN" render "$D/cv.yaml" -o "$D/link.pdf"
[ -L "$D/link.pdf" ] || no "the link was replaced"
same "$D/cv.yaml" "$D/cv.saved"
rm -f "$D/link.pdf"
end

begin "--trace naming the CV is refused before rendering"
run 2 "found '$D/cv.yaml', which this run reads" \
  "$BIN" render "$D/cv.yaml" -o "$D/x.pdf" --trace "$D/cv.yaml"
same "$D/cv.yaml" "$D/cv.saved"
absent "$D/x.pdf"
end

begin "-o naming the BibTeX file the CV reads is refused, the file kept"
run 1 "$D/refs.bib: error: expected an output file, found '$D/refs.bib', which this run reads" \
  "$BIN" render "$D/pubs.yaml" -o "$D/refs.bib"
same "$D/refs.bib" "$D/refs.saved"
no_temp "$D"
end

begin "-o naming the layout file the CV reads is refused, the file kept"
cp layouts/classic.yaml "$D/lay.yaml"
cp "$D/lay.yaml" "$D/lay.saved"
printf 'name: Ada\nlayout: %s\nsections: []\n' "$D/lay.yaml" >"$D/uses-layout.yaml"
run 1 "$D/lay.yaml: error: expected an output file, found '$D/lay.yaml', which this run reads" \
  "$BIN" render "$D/uses-layout.yaml" -o "$D/lay.yaml"
same "$D/lay.yaml" "$D/lay.saved"
run 2 "found '$D/lay.yaml', which this run reads" \
  "$BIN" render "$D/cv.yaml" --layout "$D/lay.yaml" -o "$D/lay.yaml"
same "$D/lay.yaml" "$D/lay.saved"
end

begin "a CV named cv.pdf is not replaced by its own PDF"
cp "$D/cv.yaml" "$D/weird.pdf"
run 2 "found '$D/weird.pdf', which this run reads" "$BIN" render "$D/weird.pdf"
same "$D/weird.pdf" "$D/cv.saved"
end

begin "convert refuses to write over its input"
run 1 "$D/cv.yaml: error: expected an output file, found '$D/cv.yaml', which this run reads" \
  "$BIN" convert -q "$D/cv.yaml" -o "$D/cv.yaml"
same "$D/cv.yaml" "$D/cv.saved"
end

# ---- 2. Nothing but a regular file is written over ----------------------

# special PATH KIND TEST: neither -o nor --trace writes over PATH, which
# is KIND and stays so (test TEST).
special() {
  msg="$1: error: expected a regular file or a new name, found $2"
  run 1 "$msg" "$BIN" render "$D/cv.yaml" -o "$1"
  test "$3" "$1" || no "$1 was replaced by the PDF"
  run 1 "$msg" "$BIN" render "$D/cv.yaml" -o "$D/y.pdf" --trace "$1"
  test "$3" "$1" || no "$1 was replaced by the trace"
  absent "$D/y.pdf"
}

begin "-o or --trace naming a FIFO is refused at once, the FIFO kept (/dev/null discards)"
mkfifo "$D/fifo.pdf"
special "$D/fifo.pdf" "a FIFO" -p
ln -s /dev/null "$D/null-link.pdf"
run 0 "" "$BIN" render -q "$D/cv.yaml" -o "$D/null-link.pdf" --trace /dev/null
run 0 "" "$BIN" schema -o /dev/null
[ -c /dev/null ] && [ -L "$D/null-link.pdf" ] || no "/dev/null or the link to it was replaced"
end

begin "-o or --trace naming a directory is refused"
mkdir "$D/dir.pdf"
special "$D/dir.pdf" "a directory" -d
end

begin "schema, new --force and convert refuse a FIFO, without hanging"
run 1 "$D/fifo.pdf: error: expected a regular file or a new name, found a FIFO" \
  "$BIN" schema -o "$D/fifo.pdf"
run 1 "$D/fifo.pdf: error: expected a regular file or a new name, found a FIFO" \
  "$BIN" new "Ada" --force -o "$D/fifo.pdf"
run 1 "$D/fifo.pdf: error: expected a regular file or a new name, found a FIFO" \
  "$BIN" convert -q "$D/cv.yaml" -o "$D/fifo.pdf"
[ -p "$D/fifo.pdf" ] || no "the FIFO was replaced"
end

begin "a symbolic link to a missing file or to a FIFO is refused"
ln -s missing.pdf "$D/dangling.pdf"
run 1 "$D/dangling.pdf: error: expected a regular file or a new name, found a symbolic link to 'missing.pdf', which does not exist" \
  "$BIN" render "$D/cv.yaml" -o "$D/dangling.pdf"
absent "$D/missing.pdf"
[ -L "$D/dangling.pdf" ] || no "the link was replaced"
ln -s fifo.pdf "$D/tofifo.pdf"
run 1 "$D/tofifo.pdf: error: expected a regular file or a new name, found a FIFO" \
  "$BIN" render "$D/cv.yaml" -o "$D/tofifo.pdf"
[ -L "$D/tofifo.pdf" ] || no "the link was replaced"
end

# A copy of /dev/zero: the null device alone may be written to.
if [ "$ROOT" -eq 1 ] && mknod "$D/zero.pdf" c 1 5 2>/dev/null; then
  begin "-o, --trace or schema -o naming a device node is refused, the node kept (root)"
  special "$D/zero.pdf" "a character device" -c
  run 1 "found a character device" "$BIN" schema -o "$D/zero.pdf"
  [ -c "$D/zero.pdf" ] || no "the device node was replaced by the schema"
  end
else
  skipped "device nodes as outputs (needs root)"
fi

# ---- 3. A symbolic link as the output is written through -----------------

begin "a symbolic link as the output: the file it names is replaced, the link kept"
mkdir "$D/other"
printf 'previous\n' >"$D/real.pdf"
chmod 640 "$D/real.pdf"
ln -s real.pdf "$D/out-link.pdf"
ln -s ../real.pdf "$D/other/far-link.pdf"
run 0 "" "$BIN" render -q "$D/cv.yaml" -o "$D/out-link.pdf"
[ -L "$D/out-link.pdf" ] && [ "$(readlink "$D/out-link.pdf")" = real.pdf ] ||
  no "the link was replaced"
cmp -s "$D/real.pdf" "$T/ref.pdf" || no "the file the link names is not the new PDF"
[ "$(mode "$D/real.pdf")" = 640 ] || no "mode $(mode "$D/real.pdf"), expected 640"
printf 'previous\n' >"$D/real.pdf"
run 0 "" "$BIN" render -q "$D/cv.yaml" -o "$D/other/far-link.pdf"
[ -L "$D/other/far-link.pdf" ] || no "the link in another directory was replaced"
cmp -s "$D/real.pdf" "$T/ref.pdf" || no "the file a link in another directory names is not the new PDF"
no_temp "$D"
no_temp "$D/other"
end

# ---- 4. Modes -------------------------------------------------------------

begin "new files get 0666 less the umask; replaced files keep their mode"
M=$T/modes
mkdir "$M"
(umask 027 && "$BIN" render -q "$D/cv.yaml" -o "$M/new.pdf" &&
  "$BIN" convert -q "$D/cv.yaml" -o "$M/new.yaml" &&
  "$BIN" schema -o "$M/new.json" && "$BIN" new Ada -o "$M/cv.yaml" 2>/dev/null &&
  "$BIN" render -q "$D/cv.yaml" -o "$M/t.pdf" --trace "$M/new.trace") 2>"$T/err" ||
  no "$(cat "$T/err")"
for f in new.pdf new.yaml new.json cv.yaml new.trace; do
  [ "$(mode "$M/$f")" = 640 ] || no "new $f has mode $(mode "$M/$f"), expected 640 (umask 027)"
done
for f in new.pdf new.yaml new.json cv.yaml new.trace; do chmod 604 "$M/$f"; done
"$BIN" render -q "$D/cv.yaml" -o "$M/new.pdf" --trace "$M/new.trace" 2>>"$T/err"
"$BIN" convert -q "$D/cv.yaml" -o "$M/new.yaml" 2>>"$T/err"
"$BIN" schema -o "$M/new.json" 2>>"$T/err"
"$BIN" new Bea --force -o "$M/cv.yaml" 2>>"$T/err"
for f in new.pdf new.yaml new.json cv.yaml new.trace; do
  [ "$(mode "$M/$f")" = 604 ] || no "replaced $f has mode $(mode "$M/$f"), expected 604 (kept)"
done
grep -q '^name: "Bea"' "$M/cv.yaml" || no "new --force did not replace the CV"
no_temp "$M"
end

# ---- 5. FIFOs and devices as inputs never hang ----------------------------

mkfifo "$D/in.yaml" "$D/fifo.bib" "$D/fifolayout.yaml"
printf 'name: Ada\nsections:\n  - type: publications\n    title: P\n    bibtex: fifo.bib\n' >"$D/fifobib.yaml"
begin "a FIFO as the CV is refused at once (render, --safe, check, convert, watch)"
msg="$D/in.yaml: error: cannot read '$D/in.yaml': expected a regular file, found a FIFO"
run 1 "$msg" "$BIN" render "$D/in.yaml" -o "$D/in.pdf"
run 1 "$msg" "$BIN" render --safe "$D/in.yaml" -o "$D/in.pdf"
run 1 "$msg" "$BIN" check "$D/in.yaml"
run 1 "$msg" "$BIN" convert "$D/in.yaml" -o "$D/in-conv.yaml"
run 1 "$msg" "$BIN" watch "$D/in.yaml" -o "$D/in.pdf"
absent "$D/in.pdf"
end

begin "a FIFO as a BibTeX file or a layout file is refused at once"
run 1 "fifobib.yaml:5:13: error: cannot read BibTeX file '$D/fifo.bib': expected a regular file, found a FIFO" \
  "$BIN" render "$D/fifobib.yaml" -o "$D/fb.pdf"
run 1 "fifobib.yaml:5:13: error: cannot read BibTeX file '$D/fifo.bib': expected a regular file, found a FIFO" \
  "$BIN" render --safe "$D/fifobib.yaml" -o "$D/fb.pdf"
run 1 "cannot read '$D/fifolayout.yaml': expected a regular file, found a FIFO" \
  "$BIN" render "$D/cv.yaml" --layout "$D/fifolayout.yaml" -o "$D/fl.pdf"
end

begin "a device as the CV or as a BibTeX file is refused"
printf 'name: Ada\nsections:\n  - type: publications\n    title: P\n    bibtex: /dev/zero\n' >"$D/devbib.yaml"
run 1 "devbib.yaml:5:13: error: cannot read BibTeX file '/dev/zero': expected a regular file, found a character device" \
  "$BIN" render "$D/devbib.yaml" -o "$D/db.pdf"
run 1 "cannot read '/dev/zero': expected a regular file, found a character device" \
  "$BIN" render /dev/zero -o "$D/dz.pdf"
end

# ---- 6. --safe: every file a CV names resolves beneath its directory ------

S=$T/safe/cv
mkdir -p "$S/sub"
cat >"$T/safe/secret.bib" <<'BIB'
@article{secret, author = {Eve Outsider}, title = {Secret Outside Title},
  journal = {Journal of Elsewhere}, year = {2020}}
BIB
cp "$T/safe/secret.bib" "$S/sub/inner.bib"
safecv() { # file bibtex-path
  printf 'name: Ada\nsections:\n  - type: publications\n    title: P\n    bibtex: "%s"\n' "$2" >"$S/$1"
}
ln -s ../secret.bib "$S/refs.bib"
ln -s / "$S/root"
ln -s .. "$S/up"
ln -s "$S/sub/inner.bib" "$S/abs.bib"
ln -s sub/inner.bib "$S/inside.bib"
safecv link-out.yaml refs.bib
safecv root-link.yaml "root$T/safe/secret.bib"
safecv up-link.yaml up/secret.bib
safecv abs-link.yaml abs.bib
safecv inside.yaml inside.bib
safecv dotdot-inside.yaml sub/../sub/inner.bib

begin "--safe: a BibTeX file that links out of the CV's directory is refused"
run 1 "link-out.yaml:5:13: error: expected a BibTeX file in the CV's directory, found 'refs.bib', which links out of it (files outside it are not read in safe mode)" \
  "$BIN" render --safe "$S/link-out.yaml" -o "$T/safe/x.pdf"
absent "$T/safe/x.pdf"
# Without --safe the link is an ordinary file name.
run 0 "" "$BIN" render -q "$S/link-out.yaml" -o "$T/safe/plain.pdf"
pdftotext "$T/safe/plain.pdf" - 2>/dev/null | grep -q "Secret Outside Title" ||
  no "without --safe the linked BibTeX file is not printed"
end

begin "--safe: a directory link to / or to .. does not lead out"
run 1 "root-link.yaml:5:13: error: expected a BibTeX file in the CV's directory, found 'root$T/safe/secret.bib', which links out of it" \
  "$BIN" render --safe "$S/root-link.yaml" -o "$T/safe/x.pdf"
run 1 "up-link.yaml:5:13: error: expected a BibTeX file in the CV's directory, found 'up/secret.bib', which links out of it" \
  "$BIN" render --safe "$S/up-link.yaml" -o "$T/safe/x.pdf"
absent "$T/safe/x.pdf"
end

begin "--safe: an absolute link is refused even when it points inside"
run 1 "abs-link.yaml:5:13: error: expected a BibTeX file in the CV's directory, found 'abs.bib'" \
  "$BIN" render --safe "$S/abs-link.yaml" -o "$T/safe/x.pdf"
end

begin "--safe: links and .. that stay inside the CV's directory are followed"
for cv in inside dotdot-inside; do
  run 0 "" "$BIN" render -q --safe "$S/$cv.yaml" -o "$T/safe/$cv.pdf"
  pdftotext "$T/safe/$cv.pdf" - 2>/dev/null | grep -q "Secret Outside Title" ||
    no "$cv: the BibTeX file inside the CV's directory was not printed"
done
end

# ---- 7. A batch whose outputs clash renders nothing -----------------------

B=$T/batch
mkdir -p "$B/a" "$B/b" "$B/c" "$B/out"
cp "$D/cv.yaml" "$B/a/cv.yaml"
cp "$D/cv.yaml" "$B/b/cv.yaml"
cp "$D/cv.yaml" "$B/c/cv.yaml"
cp "$D/cv.yaml" "$B/a/x.yaml"
printf '{"basics": {"name": "Ada"}}\n' >"$B/a/x.json"

begin "two CVs with one output directory and one name: refused before rendering (each beside its CV: rendered)"
run 2 "cvpdf: $B/a/cv.yaml and $B/b/cv.yaml would both be written to $B/out/cv.pdf; nothing was rendered" \
  "$BIN" render "$B/a/cv.yaml" "$B/b/cv.yaml" -o "$B/out/"
[ -z "$(ls -A "$B/out")" ] || no "something was written: $(ls -A "$B/out")"
run 2 "would both be written to $B/out/cv.pdf" \
  "$BIN" render "$B/c/cv.yaml" "$B/a/cv.yaml" "$B/b/cv.yaml" -o "$B/out" -j 2
[ -z "$(ls -A "$B/out")" ] || no "something was written: $(ls -A "$B/out")"
run 0 "" "$BIN" render -q "$B/a/cv.yaml" "$B/b/cv.yaml"
is_pdf "$B/a/cv.pdf"
is_pdf "$B/b/cv.pdf"
rm -f "$B/a/cv.pdf" "$B/b/cv.pdf"
end

begin "one CV named twice, or two inputs with one PDF name: refused"
run 2 "would both be written to" "$BIN" render "$B/a/cv.yaml" "$B/a/../a/cv.yaml"
run 2 "cvpdf: $B/a/x.yaml and $B/a/x.json would both be written to $B/a/x.pdf" \
  "$BIN" render "$B/a/x.yaml" "$B/a/x.json"
absent "$B/a/cv.pdf"
absent "$B/a/x.pdf"
end

begin "an output that is another CV of the batch: refused before rendering"
cp "$D/cv.yaml" "$B/c/cv.pdf" # a CV file that happens to be named cv.pdf
ln -s c/cv.pdf "$B/other.yaml"
run 2 "cvpdf: $B/c/cv.pdf: expected an output file, found '$B/other.yaml', which this run reads; nothing was rendered" \
  "$BIN" render "$B/c/cv.yaml" "$B/other.yaml"
same "$B/c/cv.pdf" "$D/cv.saved"
absent "$B/other.pdf"
end

# ---- 8. Names up to the file system's limit --------------------------------

L=$T/long
mkdir "$L"
n254=$(printf '%0250d' 0 | tr 0 n).pdf
n255=$(printf '%0251d' 0 | tr 0 n).pdf
begin "a 254-byte and a 255-byte output name work, new and replaced"
for n in "$n254" "$n255"; do
  run 0 "" "$BIN" render -q "$D/cv.yaml" -o "$L/$n"
  is_pdf "$L/$n"
  printf 'previous\n' >"$L/$n"
  run 0 "" "$BIN" render -q "$D/cv.yaml" -o "$L/$n"
  cmp -s "$L/$n" "$T/ref.pdf" || no "the ${#n}-byte name was not replaced"
done
run 0 "" "$BIN" convert -q "$D/cv.yaml" -o "$L/$(printf '%0250d' 0 | tr 0 y).yaml"
no_temp "$L"
end

# ---- 9. Saves cut short by a signal ----------------------------------------

# Preloaded faults: no O_TMPFILE (the named fallback), no way to link an
# open file (the copy fallback), and a signal in the middle of a save.
if [ "$SAN" -eq 1 ]; then
  skipped "signals at fixed moments of a save (binary built with sanitizers: no preloading)"
elif ! "$CC" -shared -fPIC -o "$T/savefault.so" tests/fault/savefault.c -ldl; then
  no "could not build tests/fault/savefault.so"
else
  K=$T/kill
  signum() { case $1 in INT) echo 2 ;; TERM) echo 15 ;; KILL) echo 9 ;; esac; }
  for how in tmpfile procfd named nolink; do
    case $how in
      tmpfile) env_how= ;;
      procfd) env_how=SAVEFAULT_NOEMPTYPATH=1 ;;
      named) env_how=SAVEFAULT_NOTMPFILE=1 ;;
      nolink) env_how=SAVEFAULT_NOLINK=1 ;;
    esac
    begin "save without fault, $how: renders, long names work, no temporary file"
    rm -rf "$K" && mkdir "$K"
    env $env_how LD_PRELOAD="$T/savefault.so" "$BIN" render -q "$D/cv.yaml" -o "$K/$n255" 2>"$T/err" ||
      no "$(cat "$T/err")"
    cmp -s "$K/$n255" "$T/ref.pdf" || no "not the expected PDF"
    printf 'previous\n' >"$K/$n255"
    chmod 604 "$K/$n255"
    env $env_how LD_PRELOAD="$T/savefault.so" "$BIN" render -q "$D/cv.yaml" -o "$K/$n255" 2>"$T/err" ||
      no "$(cat "$T/err")"
    cmp -s "$K/$n255" "$T/ref.pdf" || no "not replaced"
    [ "$(mode "$K/$n255")" = 604 ] || no "mode $(mode "$K/$n255"), expected 604"
    no_temp "$K"
    end
    for at in fsync rename; do
      for sig in INT TERM KILL; do
        # A file a SIGKILL cuts off while it has a name cannot be removed
        # by anyone: only the unnamed file survives SIGKILL at any moment.
        if [ "$sig" = KILL ] && { [ "$how" = named ] || [ "$how" = nolink ] || [ "$at" = rename ]; }; then
          continue
        fi
        begin "SIG$sig at the $at of a save ($how): previous PDF kept, no temporary file"
        rm -rf "$K" && mkdir "$K"
        cp "$T/ref.pdf" "$K/old.pdf"
        printf 'previous\n' >"$K/out.pdf"
        env --default-signal=INT,TERM $env_how SAVEFAULT_AT=$at \
          SAVEFAULT_SIGNAL="$(signum "$sig")" LD_PRELOAD="$T/savefault.so" \
          "$BIN" render -q "$D/cv.yaml" -o "$K/out.pdf" 2>"$T/err"
        rc=$?
        [ "$rc" -eq $((128 + $(signum "$sig"))) ] ||
          no "exit status $rc, expected death by SIG$sig: $(head -c 300 "$T/err")"
        [ "$(cat "$K/out.pdf")" = previous ] || no "the previous file changed"
        [ "$(ls -A "$K" | tr '\n' ' ')" = "old.pdf out.pdf " ] ||
          no "files left: $(ls -A "$K" | tr '\n' ' ')"
        end
      done
    done
  done
fi

# Kills at random moments of whole renders, as a user or a supervisor
# would send them.  The output is then the previous file or the complete
# new one, and no temporary file is ever left.
R=$T/random
awk 'BEGIN {
  print "name: Ada Lovelace\nsections:\n  - type: summary\n    title: Notes\n    text:"
  for (i = 0; i < 300; i++)
    printf "      - \"Paragraph %d. The Analytical Engine weaves algebraic patterns.\"\n", i
}' >"$T/long.yaml"
"$BIN" render -q "$T/long.yaml" -o "$T/long-ref.pdf" 2>"$T/err" || no "long CV: $(cat "$T/err")"
ms() { date +%s%N | cut -c1-13; }
t0=$(ms)
"$BIN" render -q "$T/long.yaml" -o "$T/long-time.pdf" 2>/dev/null
span=$(($(ms) - t0))
random_kills() { # label [env assignments]
  label=$1
  shift
  begin "random kills during renders ($label): old or new PDF, never a temporary file"
  done_new=0 done_old=0 trials=30 i=0
  while [ $i -lt $trials ]; do
    case $((i % 3)) in 0) sig=INT ;; 1) sig=TERM ;; *) sig=KILL ;; esac
    [ "$#" -gt 0 ] && [ "$sig" = KILL ] && sig=INT # named files: SIGKILL excepted
    rm -rf "$R" && mkdir "$R"
    printf 'previous\n' >"$R/out.pdf"
    delay=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % span))
    # SIGINT and SIGTERM at their default action: a shell starts background
    # commands with SIGINT ignored.
    env --default-signal=INT,TERM "$@" "$BIN" render -q "$T/long.yaml" -o "$R/out.pdf" 2>/dev/null &
    pid=$!
    sleep "$(printf '0.%03d' "$delay")"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ "$(cat "$R/out.pdf")" = previous ]; then
      done_old=$((done_old + 1))
    elif cmp -s "$R/out.pdf" "$T/long-ref.pdf"; then
      done_new=$((done_new + 1))
    else
      no "trial $i (SIG$sig after $delay ms): the output is neither the old nor the new PDF"
    fi
    [ "$(ls -A "$R")" = out.pdf ] ||
      no "trial $i (SIG$sig after $delay ms): files left: $(ls -A "$R" | tr '\n' ' ')"
    i=$((i + 1))
  done
  echo "# $label: $trials kills within $span ms: $done_old before the save completed, $done_new after"
  end
}
random_kills "O_TMPFILE"
if [ "$SAN" -eq 0 ] && [ -f "$T/savefault.so" ]; then
  random_kills "named temporary files" SAVEFAULT_NOTMPFILE=1 LD_PRELOAD="$T/savefault.so"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

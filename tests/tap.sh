# What the shell tests share, sourced by them (`. tests/tap.sh`, from the
# project root): the binary, a temporary directory removed on exit, ok/no
# counting the results in TAP's words, and done_tests ending the run.
BIN=${CVPDF_BIN:-build/core/cvpdf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
done_tests() {
  echo "# $pass passed, $fail failed"
  [ "$fail" = 0 ]
}
# figure_alt PDF TEXT: whether a Figure element of PDF's structure tree
# carries /Alt TEXT (as PDF text: UTF-16 with a byte order mark).
figure_alt() {
  qpdf --qdf --object-streams=disable "$1" "$T/figure-alt.pdf" 2>/dev/null
  _alt=$(printf '%s' "$2" | iconv -f UTF-8 -t UTF-16BE | od -An -tx1 |
    tr -d ' \n')
  tr -d '\n' <"$T/figure-alt.pdf" | grep -a -q -i "/Alt <feff$_alt>[^>]*/S /Figure"
}

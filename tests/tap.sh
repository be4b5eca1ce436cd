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

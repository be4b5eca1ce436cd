#!/bin/sh
# Each tests/plugin-fixtures/PLUGIN*.yaml is fed to plugins/PLUGIN.so
# through the host stub; the recorded builder calls must equal the .calls
# file beside it.  Fixtures named PLUGIN-bad*.yaml must fail, and their
# .calls file holds the expected diagnostics.
set -u
STUB=${CVPDF_BUILD_ROOT:-build}/tests/plugin_stub
PLUGDIR=${CVPDF_BUILD_ROOT:-build}/plugins
pass=0 fail=0
for y in tests/plugin-fixtures/*.yaml; do
  name=$(basename "$y" .yaml)
  plugin=${name%%-*}
  out=$("$STUB" "$PLUGDIR/$plugin.so" "$y" 2>&1)
  rc=$?
  case "$name" in *-bad*) want=1 ;; *) want=0 ;; esac
  if [ "$rc" -ne "$want" ]; then
    fail=$((fail + 1)); echo "FAIL - $name: exit $rc, expected $want"; echo "$out" | head -20
    continue
  fi
  if [ "${UPDATE:-}" = "$name" ]; then
    printf '%s\n' "$out" >"tests/plugin-fixtures/$name.calls"
  fi
  if printf '%s\n' "$out" | diff -u "tests/plugin-fixtures/$name.calls" - >/tmp/plugins.diff.$$; then
    pass=$((pass + 1)); echo "ok - $name"
  else
    fail=$((fail + 1)); echo "FAIL - $name: calls differ"; head -30 /tmp/plugins.diff.$$
  fi
  rm -f /tmp/plugins.diff.$$
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# cvpdf serve in headless Chromium (see serve_browser.mjs).  puppeteer-core
# comes from npm into the build tree on the first run; the browser is
# Debian's chromium.  Nothing here is skipped: a missing tool fails.
set -u
BIN=$(realpath "${CVPDF_BIN:-build/core/cvpdf}")
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${CVPDF_BUILD_ROOT:-$(dirname "$(dirname "$BIN")")}
NPM_DIR=$BUILD/tests/npm
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT

for tool in chromium node npm pdftotext; do
  command -v "$tool" >/dev/null || { echo "FAIL - $tool is not installed (.ci/packages.txt)"; exit 1; }
done
if [ ! -f "$NPM_DIR/node_modules/puppeteer-core/package.json" ]; then
  mkdir -p "$NPM_DIR"
  if ! npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error \
      puppeteer-core@24.10.0 >"$T/npm.log" 2>&1; then
    echo "FAIL - npm could not install puppeteer-core:"; cat "$T/npm.log"; exit 1
  fi
fi
# ES modules find their packages next to the script.
cp "$HERE/serve_browser.mjs" "$NPM_DIR/"

cp examples/academic-cv.yaml "$T/cv.yaml"
"$BIN" serve "$T/cv.yaml" --port 0 >"$T/url" 2>"$T/log" &
PID=$!
i=0; while [ ! -s "$T/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/url" ] || { echo "FAIL - serve did not start: $(cat "$T/log")"; exit 1; }

node "$NPM_DIR/serve_browser.mjs" "$(head -n 1 "$T/url")" "$T/cv.yaml" "$T" ${SERVE_SCREENSHOT:+"$SERVE_SCREENSHOT"}
st=$?

kill -INT "$PID"
i=0; while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$PID" 2>/dev/null; then
  echo "FAIL - serve did not stop on Ctrl-C"; st=1
else
  wait "$PID"; rc=$?
  if [ $rc -eq 0 ] && grep -q "serve: stopped" "$T/log"; then
    echo "ok - Ctrl-C stops the server cleanly"
  else
    echo "FAIL - serve exit status $rc: $(cat "$T/log")"; st=1
  fi
fi
PID=
exit $st

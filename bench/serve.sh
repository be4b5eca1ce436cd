#!/bin/sh
# The live preview's latency: bench/serve.sh [BUILD_DIR] [EDITS]
# Serves a copy of examples/academic-cv.yaml with the cvpdf of BUILD_DIR
# (default: build) and types EDITS (default 50) keys into the page in
# headless Chromium; prints the median and 95th percentile of the time
# from each key to the new page picture, with the server's times inside.
# Needs chromium, node and npm (puppeteer-core is installed into the
# build dir on the first run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
edits=${2:-50}
npm_dir=$build/bench/npm
if [ ! -f "$npm_dir/node_modules/puppeteer-core/package.json" ]; then
  mkdir -p "$npm_dir"
  npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
    puppeteer-core@24.10.0 >/dev/null
fi
cp "$here/serve.mjs" "$npm_dir/"
t=$(mktemp -d)
cp "$here/../examples/academic-cv.yaml" "$t/cv.yaml"
"$build/core/cvpdf" serve "$t/cv.yaml" --port 0 >"$t/url" 2>"$t/log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$t"' EXIT
i=0; while [ ! -s "$t/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
node "$npm_dir/serve.mjs" "$(head -n 1 "$t/url")" "$edits"

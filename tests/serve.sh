#!/bin/sh
# cvpdf serve over HTTP: token, Host header, loopback, files, limits,
# saving, clients that go away, Ctrl-C (see serve_http.py).
set -u
BIN=$(realpath "${CVPDF_BIN:-build/core/cvpdf}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 "$(dirname "$0")/serve_http.py" "$BIN" "$T"

#!/bin/sh
# The benchmark table: bench/run.sh [BUILD_DIR] [run.py options]
# Builds CVs of 1x, 10x and 100x the entries of examples/academic-cv.yaml
# and times the real cvpdf binary of BUILD_DIR (default: build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
exec python3 "$here/run.py" --cvpdf "$build/core/cvpdf" "$@"

#!/bin/sh
# The benchmark tables: bench/run.sh [BUILD_DIR]
# Builds CVs of 1x, 10x and 100x the entries of two examples and times the
# real cvpdf binary of BUILD_DIR (default: build):
#   engineer-cv.yaml in the compact layout: 2, 14 and 134 pages;
#   academic-cv.yaml in its own layout:      4, 29 and 274 pages.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
# Any further arguments go to both runs of run.py.
python3 "$here/run.py" --cvpdf "$build/core/cvpdf" \
  --example "$here/../examples/engineer-cv.yaml" --layout compact "$@"
echo
python3 "$here/run.py" --cvpdf "$build/core/cvpdf" \
  --example "$here/../examples/academic-cv.yaml" "$@"

#!/bin/sh
# The hostile-size table: bench/hostile.sh [BUILD_DIR] [hostile.py options]
# Renders a 1 MB paragraph, a 100,000-entry BibTeX file and a 400 kB JSON
# Resume with the cvpdf of BUILD_DIR (default: build) and prints time and
# peak memory for each.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
exec python3 "$here/hostile.py" --cvpdf "$build/core/cvpdf" "$@"

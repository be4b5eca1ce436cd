#!/bin/sh
# The plugin SDK end to end: install cvpdf into a temporary prefix, build
# examples/plugin-grants out of tree against it through pkg-config alone,
# and render a CV with the installed cvpdf, which must find its own
# plugins, layouts and fonts with no environment variable set.
set -u
SRC=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "FAIL - $1"; }
# Runs a command with nothing of the caller's environment but PATH and
# HOME: the installed cvpdf must not need CVPDF_PLUGIN_PATH,
# LD_LIBRARY_PATH or a build tree.
clean() { env -i PATH=/usr/bin:/bin HOME="$T" "$@"; }

P="$T/prefix"
echo "# building cvpdf into $P"
if ! meson setup "$T/build" "$SRC" --prefix="$P" --buildtype=debug \
    >"$T/setup.log" 2>&1; then
  cat "$T/setup.log"; echo "FAIL - meson setup"; exit 1
fi
if ! ninja -C "$T/build" >"$T/ninja.log" 2>&1; then
  tail -40 "$T/ninja.log"; echo "FAIL - ninja"; exit 1
fi
if ! meson install -C "$T/build" --no-rebuild >"$T/install.log" 2>&1; then
  cat "$T/install.log"; echo "FAIL - meson install"; exit 1
fi
# Nothing may come from the build tree from here on.
rm -rf "$T/build"

# 1. What meson install puts where.
PC=$(find "$P" -name cvpdf.pc)
[ -n "$PC" ] && ok "cvpdf.pc installed" || { no "cvpdf.pc installed"; exit 1; }
PCDIR=$(dirname "$PC")
LIBDIR=$(dirname "$PCDIR")
for f in bin/cvpdf include/cvpdf/cvpdf.h include/cvpdf/cvpdf-plugin.h \
    share/man/man1/cvpdf.1 share/cvpdf/fonts/linux-libertine.yaml; do
  [ -f "$P/$f" ] && ok "installed $f" || no "installed $f"
done
[ ! -e "$LIBDIR/libcvpdf.so" ] && ok "no libcvpdf.so installed (the command holds the core)" ||
  no "libcvpdf.so installed in $LIBDIR, though nothing installed uses it"
for d in layouts fonts; do
  want=$(cd "$SRC/$d" && ls *.yaml | sort | tr '\n' ' ')
  got=$(cd "$P/share/cvpdf/$d" 2>/dev/null && ls *.yaml | sort | tr '\n' ' ')
  [ "$want" = "$got" ] && ok "every file of $d/ installed" ||
    no "$d installed: want '$want', got '$got'"
done
PLUGDIR="$LIBDIR/cvpdf/plugins"
want=$(cd "$SRC/plugins" && for p in */; do [ -f "$p${p%/}.c" ] &&
  echo "${p%/}.so"; done | sort | tr '\n' ' ')
got=$(cd "$PLUGDIR" 2>/dev/null && ls *.so | sort | tr '\n' ' ')
[ -n "$want" ] && [ "$want" = "$got" ] && ok "every plugin installed" ||
  no "plugins in $PLUGDIR: want '$want', got '$got'"

# 2. pkg-config tells a plugin where the headers and the plugin dir are.
export PKG_CONFIG_PATH="$PCDIR"
# pkg-config ends its output with a blank.
[ "$(pkg-config --cflags cvpdf | sed 's/ *$//')" = "-I$P/include" ] &&
  ok "pkg-config --cflags cvpdf" ||
  no "pkg-config --cflags cvpdf: $(pkg-config --cflags cvpdf)"
[ -z "$(pkg-config --libs cvpdf | tr -d ' ')" ] && ok "plugins link nothing" ||
  no "pkg-config --libs cvpdf: $(pkg-config --libs cvpdf)"
[ "$(pkg-config --variable=plugindir cvpdf)" = "$PLUGDIR" ] &&
  ok "plugindir variable" ||
  no "plugindir: $(pkg-config --variable=plugindir cvpdf), want $PLUGDIR"
[ "$(pkg-config --variable=cvpdf cvpdf)" = "$P/bin/cvpdf" ] &&
  ok "cvpdf variable" || no "cvpdf: $(pkg-config --variable=cvpdf cvpdf)"
abi=$(sed -n 's/^#define CVPDF_ABI_MAJOR \([0-9]*\)$/\1/p' \
  "$SRC/core/include/cvpdf/cvpdf-plugin.h")
[ "$(pkg-config --variable=abi_major cvpdf)" = "$abi" ] &&
  ok "abi_major variable" || no "abi_major: want $abi"
pkg-config --exists 'cvpdf >= 0.1.0' && ok "version check" ||
  no "pkg-config --exists 'cvpdf >= 0.1.0'"

# 3. The installed cvpdf runs from anywhere with no environment.
BIN="$P/bin/cvpdf"
cd "$T" || exit 1
clean "$BIN" --version >"$T/out" 2>&1 && grep -q "^cvpdf " "$T/out" &&
  ok "installed cvpdf runs without LD_LIBRARY_PATH" ||
  no "installed cvpdf --version: $(cat "$T/out")"
clean "$BIN" plugins >"$T/plugins" 2>"$T/err" &&
  ok "cvpdf plugins exits 0" || no "cvpdf plugins: $(cat "$T/err")"
head -1 "$T/plugins" | grep -q "^NAME  *VERSION  *ABI  *SECTION TYPES  *PATH$" &&
  ok "cvpdf plugins heading" || no "heading: $(head -1 "$T/plugins")"
grep -q "^roles  *1\.0\.0  *$abi\.[0-9]*  *roles  *$PLUGDIR/roles\.so$" \
  "$T/plugins" && ok "cvpdf plugins lists the installed roles plugin" ||
  no "roles row: $(grep roles "$T/plugins")"
n=$(grep -c "  $PLUGDIR/[a-z]*\.so$" "$T/plugins")
[ "$n" = "$(echo $want | wc -w)" ] && ok "cvpdf plugins lists $n plugins" ||
  no "cvpdf plugins lists $n plugins, want $(echo $want | wc -w)"
grep -q "^Search path: $PLUGDIR$" "$T/plugins" && ok "search path shown" ||
  no "search path: $(tail -1 "$T/plugins")"
cp "$SRC/examples/minimal.yaml" "$T/minimal.yaml"
clean "$BIN" render -q minimal.yaml -o "$T/minimal.pdf" 2>"$T/err" &&
  ok "installed cvpdf renders with its own layout and fonts" ||
  no "render minimal: $(cat "$T/err")"
# PNG pages come from the rasteriser module, installed beside the plugins.
clean "$BIN" render -q minimal.yaml --png -o "$T/minimal.png" 2>"$T/err" &&
  [ -s "$T/minimal.png" ] &&
  ok "installed cvpdf draws PNG pages with the installed rasteriser" ||
  no "render --png: $(cat "$T/err")"
for l in $(cd "$SRC/layouts" && ls *.yaml); do
  clean "$BIN" render -q minimal.yaml --layout "${l%.yaml}" \
    -o "$T/l.pdf" 2>"$T/err" && ok "installed layout ${l%.yaml}" ||
    no "layout ${l%.yaml}: $(cat "$T/err")"
done

# 4. The plugin, built out of tree with nothing but pkg-config.
# From the copy installed as documentation: what a user starts from.
EX="$P/share/doc/cvpdf/examples/plugin-grants"
[ -f "$EX/meson.build" ] && [ -f "$P/share/doc/cvpdf/plugins.md" ] &&
  ok "plugin guide and example plugin installed" ||
  no "no $EX/meson.build or plugins.md"
cp -R "$EX" "$T/grants" || cp -R "$SRC/examples/plugin-grants" "$T/grants"
if meson setup "$T/grants-build" "$T/grants" >"$T/gsetup.log" 2>&1 &&
    ninja -C "$T/grants-build" >"$T/gninja.log" 2>&1; then
  ok "example plugin builds against the installed cvpdf"
else
  cat "$T/gsetup.log" "$T/gninja.log" 2>/dev/null
  no "example plugin builds"; echo "1..$((pass + fail))"; exit 1
fi
grep -q "$SRC/core" "$T/grants-build/compile_commands.json" &&
  no "plugin build reaches into cvpdf's source tree" ||
  ok "plugin build uses only the installed headers"
grep -q "\-I$P/include" "$T/grants-build/compile_commands.json" &&
  ok "plugin compiled with -I$P/include" || no "no -I$P/include"
[ -f "$T/grants-build/grants.so" ] && ok "grants.so built" ||
  no "grants.so built"

cp "$T/grants/cv.yaml" "$T/cv.yaml"
clean "$BIN" render -q cv.yaml -o "$T/cv.pdf" 2>"$T/err" &&
  no "grants renders without its plugin" ||
  { grep -q "^cv.yaml:16:11: error: unknown section type 'grants'" "$T/err" &&
    ok "without the plugin, type grants is unknown at 16:11" ||
    no "no-plugin error: $(cat "$T/err")"; }
clean "$BIN" render -q --plugin-dir "$T/grants-build" cv.yaml \
  -o "$T/cv.pdf" 2>"$T/err" && ok "installed cvpdf renders with the plugin" ||
  no "render with plugin: $(cat "$T/err")"
pdftotext "$T/cv.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$T/cv.txt"
for s in "FRUGAL: Frugal Inference for Scientific Instruments" \
    "European Research Council, Consolidator Grant (101043210)" \
    "€1,998,750" "Jan 2024 – Dec 2028" \
    "National Science Foundation, CAREER (CCF-2145678)" "\$550,000" \
    "Co-Principal Investigator, with Rui Martins and Ana Sofia Ferreira" \
    "Funds four PhD students and two postdocs for five years." \
    "Fundação para a Ciência e a Tecnologia (PTDC/CCI-COM/4280/2021)" \
    "Google Research Scholar Award" "Grants and Funding"; do
  grep -qF -- "$s" "$T/cv.txt" && ok "PDF text has '$s'" ||
    no "PDF text lacks '$s'"
done
AUDIT="$SRC/../shared/tools/pdfaudit"
if [ -x "$AUDIT" ]; then
  "$AUDIT" "$T/cv.pdf" --source "$T/cv.yaml" >"$T/audit" 2>&1 &&
    ok "pdfaudit of the grants CV" ||
    no "pdfaudit: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')"
fi
printf 'name: X\nsections:\n  - type: grants\n    entries:\n      - title: T\n        amout: "$1"\n' >"$T/typo.yaml"
clean "$BIN" render -q --plugin-dir "$T/grants-build" typo.yaml \
  -o "$T/typo.pdf" 2>"$T/err"
grep -q "^typo.yaml:6:9: error: unknown field 'amout' in grants entry; did you mean 'amount'?" \
  "$T/err" && ok "plugin's fields are validated" ||
  no "typo error: $(cat "$T/err")"

# 5. The plugin's own test, then installing it into cvpdf's plugin dir:
# the installed cvpdf then finds it with no option.
meson test -C "$T/grants-build" >"$T/gtest.log" 2>&1 &&
  ok "plugin's meson test renders with the installed cvpdf" ||
  no "plugin's meson test: $(tail -5 "$T/gtest.log")"
meson install -C "$T/grants-build" --no-rebuild >"$T/ginstall.log" 2>&1 &&
  [ -f "$PLUGDIR/grants.so" ] && ok "plugin installs into plugindir" ||
  no "plugin install: $(cat "$T/ginstall.log")"
clean "$BIN" plugins >"$T/plugins" 2>"$T/err"
grep -q "^grants  *1\.0\.0  *$abi\.[0-9]*  *grants  *$PLUGDIR/grants\.so$" \
  "$T/plugins" && ok "cvpdf plugins lists the installed grants plugin" ||
  no "grants row: $(cat "$T/plugins" "$T/err")"
clean "$BIN" plugins -v >"$T/plugins" 2>"$T/err"
grep -q "^    grants: grants and research funding: funder, amount, role, period$" \
  "$T/plugins" && ok "cvpdf plugins -v describes the type" ||
  no "plugins -v: $(grep -A1 '^grants' "$T/plugins")"
clean "$BIN" render -q cv.yaml -o "$T/cv2.pdf" 2>"$T/err" &&
  ok "installed plugin found without --plugin-dir" ||
  no "render after install: $(cat "$T/err")"

# 6. A plugin given with --plugin-dir shadows an installed one.
mkdir "$T/mine"
cp "$T/grants-build/grants.so" "$T/mine/grants.so"
clean "$BIN" plugins --plugin-dir "$T/mine" >"$T/plugins" 2>"$T/err"
grep -q "  $T/mine/grants\.so$" "$T/plugins" &&
  ! grep -q "  $PLUGDIR/grants\.so$" "$T/plugins" &&
  ok "--plugin-dir shadows the installed plugin" ||
  no "shadowing: $(cat "$T/plugins")"
grep -q "^Search path: $T/mine $PLUGDIR$" "$T/plugins" &&
  ok "search path lists --plugin-dir first" ||
  no "search path: $(tail -1 "$T/plugins")"

# 7. What cvpdf plugins refuses.
cp "$T/grants-build/grants.so" "$T/mine/grants-copy.so"
clean "$BIN" plugins --plugin-dir "$T/mine" >"$T/plugins" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^cvpdf: error: '$T/mine/grants.so' (plugin 'grants') declares section type 'grants', which '$T/mine/grants-copy.so' (plugin 'grants') already handles; remove one of them$" "$T/err" &&
  ok "two plugins of one directory for one type: exit 1, both files named" ||
  no "clash: rc $rc, $(cat "$T/err")"
clean "$BIN" plugins extra >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^cvpdf: plugins takes no arguments, found 'extra'$" "$T/err" &&
  ok "plugins with an argument is a usage error" ||
  no "plugins extra: rc $rc, $(cat "$T/err")"

echo "1..$((pass + fail))"
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]

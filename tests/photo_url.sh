#!/bin/sh
# Photos given as web addresses, fetched from a real local web server
# (tests/photo_server.py on 127.0.0.1): the photo in the PDF, its copy in
# the photo cache, a second render --offline byte for byte the same and
# making no request; JSON Resume's basics.image, RenderCV's photo and
# cvpdf's own photo: in each layout; and each failure a warning at the
# field naming the address and the reason, the CV rendered without the
# photo: HTTP 404, a body that is not an image, too many redirects, a
# redirect to ftp, a body too large, an answer that stops (the timeout), a
# name that does not resolve, no server, --offline without a copy, --safe
# (no request made), a cache that cannot be written.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000
export XDG_CACHE_HOME="$T/cache"
# The local server is reached directly, whatever proxy the machine has.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

mkdir "$T/srv"
cp examples/portrait.jpg "$T/srv/me.jpg"
cp examples/signature.png "$T/srv/me.png"
printf 'not an image\n' >"$T/srv/note.txt"
python3 -u tests/photo_server.py "$T/srv" >"$T/port" 2>"$T/log" &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do
  sleep 0.1
  i=$((i + 1))
done
PORT=$(head -n1 "$T/port")
[ -n "$PORT" ] || {
  no "the local web server did not start: $(cat "$T/log")"
  done_tests
  exit
}
URL="http://127.0.0.1:$PORT"

# jr FILE ADDRESS: a JSON Resume file whose basics.image is ADDRESS (the
# field's value at line 1, column 37).
jr() {
  printf '{"basics": {"name": "A B", "image": "%s"}}\n' "$2" >"$1"
}
# images PDF: how many images the PDF holds.
images() {
  pdfimages -list "$1" | awk 'NR > 2 && $3 == "image"' | wc -l
}
# requests PATH: how many requests for PATH the server saw.
requests() {
  grep -c "\"GET $1 " "$T/log"
}
# warns NAME ADDRESS REASON [OPTIONS...]: rendering a JSON Resume whose
# image is ADDRESS succeeds without a photo, with exactly the warning
# "photo 'ADDRESS' is not printed: REASON" at the field.
warns() {
  _name=$1 _url=$2 _why=$3
  shift 3
  jr "$T/w.json" "$_url"
  rm -f "$T/w.pdf"
  if ! "$BIN" render -q "$@" "$T/w.json" -o "$T/w.pdf" 2>"$T/err"; then
    no "$_name: the render failed: $(cat "$T/err")"
    return
  fi
  _want="$T/w.json:1:37: warning: photo '$_url' is not printed: $_why"
  if [ "$(cat "$T/err")" = "$_want" ] && [ "$(images "$T/w.pdf")" = 0 ]; then
    ok "$_name: a warning at the field, no photo"
  else
    no "$_name: expected '$_want' and no image, found '$(cat "$T/err")', $(images "$T/w.pdf") image(s)"
  fi
}

# 1. Fetched once: the photo in the PDF, the cache's copy the server's
#    bytes under the SHA-256 of the address; then offline, the same PDF.
jr "$T/a.json" "$URL/me.jpg"
"$BIN" render -q "$T/a.json" -o "$T/a1.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
  [ "$(images "$T/a1.pdf")" = 1 ] &&
  ok "JSON Resume basics.image at $URL/me.jpg: the photo is in the PDF" ||
  no "fetched photo: expected one image and no message, found $(images "$T/a1.pdf") image(s): $(cat "$T/err")"
hash=$(printf '%s' "$URL/me.jpg" | sha256sum | cut -d' ' -f1)
cmp -s "$T/cache/cvpdf/$hash" examples/portrait.jpg &&
  ok "the cache holds the photo as $XDG_CACHE_HOME/cvpdf/SHA-256" ||
  no "cache: expected $T/cache/cvpdf/$hash, found: $(ls "$T/cache/cvpdf" 2>&1)"
[ "$(ls "$T/cache/cvpdf" | wc -l)" = 1 ] &&
  ok "the cache holds one file (no temporary file left)" ||
  no "cache: $(ls -a "$T/cache/cvpdf")"
"$BIN" render -q --offline "$T/a.json" -o "$T/a2.pdf" 2>"$T/err" &&
  [ ! -s "$T/err" ] && cmp -s "$T/a1.pdf" "$T/a2.pdf" &&
  ok "a second render --offline: the same bytes" ||
  no "render --offline from the cache: $(cat "$T/err"); $(cmp "$T/a1.pdf" "$T/a2.pdf" 2>&1)"
"$BIN" render -q "$T/a.json" -o "$T/a3.pdf" 2>"$T/err" &&
  cmp -s "$T/a1.pdf" "$T/a3.pdf" && [ "$(requests /me.jpg)" = 1 ] &&
  ok "a render with a copy in the cache makes no request (1 in all)" ||
  no "cached render: $(requests /me.jpg) requests for /me.jpg: $(cat "$T/err")"
"$BIN" check --offline "$T/a.json" 2>"$T/err" &&
  grep -q "ok; 0 errors, 0 warnings" "$T/err" &&
  ok "check --offline reads the cache's copy" ||
  no "check --offline: $(cat "$T/err")"

# 2. The three formats, a PNG, a redirect, and each layout.
printf 'cv:\n  name: A B\n  photo: %s/redirect/me.png\n' "$URL" >"$T/rcv.yaml"
"$BIN" render -q "$T/rcv.yaml" -o "$T/rcv.pdf" 2>"$T/err" &&
  [ ! -s "$T/err" ] && [ "$(images "$T/rcv.pdf")" -ge 1 ] &&
  [ "$(requests /redirect/me.png)" = 1 ] && [ "$(requests /me.png)" = 1 ] &&
  ok "RenderCV photo: a PNG through a redirect" ||
  no "RenderCV photo: $(images "$T/rcv.pdf") image(s): $(cat "$T/err")"
sed "s|^photo: ./portrait.jpg|photo: $URL/me.jpg|" examples/photo-cv.yaml \
  >"$T/own.yaml"
name=$(sed -n 's/^name: *//p' "$T/own.yaml")
for layout in classic modern awesome compact; do
  pdf="$T/own-$layout.pdf"
  if "$BIN" render -q "$T/own.yaml" --layout "$layout" -o "$pdf" 2>"$T/err" &&
    [ ! -s "$T/err" ] && [ "$(images "$pdf")" = 1 ] &&
    figure_alt "$pdf" "Photo of $name" &&
    /work/shared/tools/pdfaudit "$pdf" --source "$T/own.yaml" --strict \
      >"$T/audit" 2>&1; then
    ok "$layout: photo: at a web address, with its alt text, pdfaudit --strict"
  else
    no "$layout: web photo: $(images "$pdf") image(s): $(cat "$T/err") $(tail -5 "$T/audit" 2>/dev/null)"
  fi
done
[ "$(requests /me.jpg)" = 1 ] &&
  ok "four layouts, one address: still one request" ||
  no "expected 1 request for /me.jpg, found $(requests /me.jpg)"

# 3. Failures: a warning at the field naming the address and the reason.
warns "HTTP 404" "$URL/missing.jpg" "the server answered HTTP 404"
warns "a text file" "$URL/note.txt" \
  "expected a JPEG or PNG image, found 13 bytes beginning 'not an image.' (text/plain)"
warns "a redirect loop" "$URL/loop" "more than 5 redirects"
warns "a redirect to ftp" "$URL/to-ftp" \
  "it redirects to an address that is not http or https"
warns "a body over 10 MiB" "$URL/big" \
  "expected an image of at most 10 MiB, found a larger one"
warns "--offline without a copy" "$URL/me.png?offline" \
  "--offline fetches nothing, and the photo cache ('$T/cache/cvpdf') has no copy of it" \
  --offline
warns "--safe" "$URL/me.png?safe" \
  "--safe fetches nothing from the network (and does not read the photo cache)" \
  --safe
warns "--safe, with a copy in the cache" "$URL/me.jpg" \
  "--safe fetches nothing from the network (and does not read the photo cache)" \
  --safe
[ "$(grep -c 'offline\|safe' "$T/log")" = 0 ] &&
  ok "--offline and --safe made no request" ||
  no "requests made: $(grep 'offline\|safe' "$T/log")"
[ "$(ls "$T/cache/cvpdf" | wc -l)" = 2 ] &&
  ok "nothing cached from the failures" ||
  no "cache: $(ls "$T/cache/cvpdf")"
# A server that stops answering: the render gives up after 15 s.
warns "an answer that stops" "$URL/slow" "no complete answer within 15 s"
# A name that does not resolve (.invalid never does, RFC 2606).
jr "$T/dns.json" "https://photo.invalid/me.jpg"
"$BIN" render -q "$T/dns.json" -o "$T/dns.pdf" 2>"$T/err" &&
  [ "$(images "$T/dns.pdf")" = 0 ] &&
  grep -q "^$T/dns.json:1:37: warning: photo 'https://photo.invalid/me.jpg' is not printed: cannot fetch it: .*resolve.*photo.invalid" "$T/err" &&
  ok "a name that does not resolve: a warning at the field, no photo" ||
  no "a name that does not resolve: $(cat "$T/err")"
# A cache that cannot be written: the photo is printed, and a warning says
# it is not kept.
jr "$T/nc.json" "$URL/me.jpg?nocache"
: >"$T/notadir"
XDG_CACHE_HOME="$T/notadir" "$BIN" render -q "$T/nc.json" -o "$T/nc.pdf" \
  2>"$T/err" && [ "$(images "$T/nc.pdf")" = 1 ] &&
  grep -qxF "$T/nc.json:1:37: warning: photo '$URL/me.jpg?nocache': it is not kept for later renders: cannot make the photo cache '$T/notadir/cvpdf': Not a directory" "$T/err" &&
  ok "a cache that cannot be written: the photo printed, a warning" ||
  no "unwritable cache: $(images "$T/nc.pdf") image(s): $(cat "$T/err")"
# Neither XDG_CACHE_HOME nor HOME: no cache to read; fetched, not kept.
jr "$T/nohome.json" "$URL/me.jpg?nohome"
env -u XDG_CACHE_HOME -u HOME "$BIN" render -q --offline "$T/nohome.json" \
  -o "$T/nohome.pdf" 2>"$T/err" &&
  grep -qxF "$T/nohome.json:1:37: warning: photo '$URL/me.jpg?nohome' is not printed: --offline fetches nothing, and there is no photo cache (neither XDG_CACHE_HOME nor HOME gives one)" "$T/err" &&
  ok "--offline without XDG_CACHE_HOME or HOME: a warning" ||
  no "--offline without a cache folder: $(cat "$T/err")"
env -u XDG_CACHE_HOME -u HOME "$BIN" render -q "$T/nohome.json" \
  -o "$T/nohome.pdf" 2>"$T/err" && [ "$(images "$T/nohome.pdf")" = 1 ] &&
  grep -qxF "$T/nohome.json:1:37: warning: photo '$URL/me.jpg?nohome': it is not kept for later renders: there is no photo cache (neither XDG_CACHE_HOME nor HOME gives one)" "$T/err" &&
  ok "without XDG_CACHE_HOME or HOME: the photo printed, not kept" ||
  no "fetch without a cache folder: $(cat "$T/err")"
# No server at all: the network's own words.
kill $SRV 2>/dev/null
wait $SRV 2>/dev/null
jr "$T/down.json" "$URL/me.png"
"$BIN" render -q "$T/down.json" -o "$T/down.pdf" 2>"$T/err" &&
  [ "$(images "$T/down.pdf")" = 0 ] &&
  grep -q "^$T/down.json:1:37: warning: photo '$URL/me.png' is not printed: cannot fetch it: Failed to connect to 127.0.0.1 port $PORT after [0-9]* ms: Couldn't connect to server\$" "$T/err" &&
  ok "no server listening: a warning at the field, no photo" ||
  no "no server listening: $(cat "$T/err")"
# libcurl is loaded by the first fetch only: a render that fetches
# nothing does not map it (nor the libraries it needs); one that fetches
# does, and the fetches above show it works.
LD_DEBUG=files "$BIN" render examples/minimal.yaml -q -o "$T/plain.pdf" \
  2>"$T/ld-plain"
printf '{"basics": {"name": "Ann Lee", "image": "%s/me.jpg"}}\n' "$URL" \
  >"$T/ld.json"
rm -rf "$XDG_CACHE_HOME"
LD_DEBUG=files "$BIN" render "$T/ld.json" -q -o "$T/ld.pdf" 2>"$T/ld-fetch"
if ! grep -q "file=libcurl" "$T/ld-plain" &&
  grep -q "file=libcurl" "$T/ld-fetch"; then
  ok "libcurl loaded by a render that fetches, not by one that does not"
else
  no "libcurl: $(grep -c "file=libcurl" "$T/ld-plain") loads without a fetch, $(grep -c "file=libcurl" "$T/ld-fetch") with one"
fi
done_tests

#!/bin/sh
# Contact links: RenderCV's social networks that have no contact field of
# their own and its custom_connections, printed in the contact line with
# RenderCV's text and address (the layout's icon before them) in every
# layout, kept by convert; cvpdf's own `contact: links:` and its errors.
set -u
. tests/tap.sh
export SOURCE_DATE_EPOCH=1700000000
AUDIT=../shared/tools/pdfaudit
R=tests/inputs/rendercv-connections.yaml

# 1. Every layout: each text printed, each address linked, the icons.
for l in layouts/*.yaml; do
  layout=$(basename "$l" .yaml)
  if ! "$BIN" render -q "$R" --layout "$layout" -o "$T/$layout.pdf" \
    --trace "$T/$layout.trace" 2>"$T/err" || [ -s "$T/err" ]; then
    no "$layout: render: $(cat "$T/err")"
    continue
  fi
  pdftotext -enc UTF-8 "$T/$layout.pdf" - | tr '\n' ' ' >"$T/text"
  for want in "GitLab cleo-gl" "Mastodon @cleo@fosstodon.org" \
    "ResearchGate Cleo_C" "YouTube cleotalks" "Stack Overflow 12345/cleo" \
    "Book a call" "Available on request"; do
    grep -qF "$want" "$T/text" && ok "$layout: prints '$want'" ||
      no "$layout: '$want' not in: $(cat "$T/text")"
  done
  for url in https://gitlab.com/cleo-gl https://fosstodon.org/@cleo \
    https://researchgate.net/profile/Cleo_C https://youtube.com/@cleotalks \
    https://stackoverflow.com/users/12345/cleo https://cal.example.org/cleo; do
    grep -q "^link .* $url\$" "$T/$layout.trace" && ok "$layout: links $url" ||
      no "$layout: no link to $url"
  done
  [ "$(grep -c '^link .* mailto:' "$T/$layout.trace")" = 2 ] &&
    ok "$layout: only the e-mail links to mailto: (not the Mastodon handle)" ||
    no "$layout: $(grep -c '^link .* mailto:' "$T/$layout.trace") mailto links"
  # Icon runs: email, github, gitlab, youtube, stackoverflow, the link
  # icon of Mastodon and ResearchGate, and the custom connections' own.
  n=$(grep -c '^text .* FontAwesome ' "$T/$layout.trace")
  [ "$n" = 9 ] && ok "$layout: 9 contact icons" ||
    no "$layout: $n contact icons, expected 9"
  grep -q "^text .* FontAwesome .* \"$(printf '\357\201\263')\" .*link=https://cal.example.org/cleo" "$T/$layout.trace" &&
    ok "$layout: calendar-days is drawn as FontAwesome 4.7's calendar (f073)" ||
    no "$layout: no f073 icon linked to the call"
done

# 2. convert: the links, and the converted file renders the same page.
"$BIN" convert -q "$R" -o "$T/conv.yaml" || no "convert $R"
python3 - "$T/conv.yaml" >"$T/py" 2>&1 <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
links = doc["contact"]["links"]
assert links[0] == {"text": "cleo-gl", "url": "https://gitlab.com/cleo-gl",
                    "icon": "gitlab"}, links[0]
assert links[1] == {"text": "Mastodon @cleo@fosstodon.org",
                    "url": "https://fosstodon.org/@cleo"}, links[1]
assert links[5] == {"text": "Book a call", "url": "https://cal.example.org/cleo",
                    "icon": "fa-calendar-days"}, links[5]
assert links[6] == {"text": "Available on request", "icon": "fa-file"}, links[6]
assert len(links) == 7, links
# FontAwesome 6's calendar-days and file: FontAwesome 4.7's calendar, file.
icons = doc["theme"]["contact"]["icons"]
assert icons == {"fa-calendar-days": "f073", "fa-file": "f15b"}, icons
PY
[ $? = 0 ] && ok "convert keeps the 7 links with text, address and icon, FontAwesome 6 names as 4.7 icons" ||
  no "convert: $(cat "$T/py")"
"$BIN" render -q "$T/conv.yaml" -o "$T/c.pdf" --trace "$T/c.trace" &&
  "$BIN" render -q "$R" -o "$T/r.pdf" --trace "$T/r.trace" &&
  cmp -s "$T/r.trace" "$T/c.trace" && ok "the converted file renders the same page" ||
  no "the converted file renders otherwise"
if [ -x "$AUDIT" ]; then
  "$AUDIT" "$T/c.pdf" --source "$T/conv.yaml" --strict >"$T/audit" 2>&1
  grep -qE '^FAIL|could not' "$T/audit" &&
    no "pdfaudit --strict: $(grep -E '^FAIL|could not' "$T/audit" | tr '\n' ' ')" ||
    ok "pdfaudit --strict on the converted file"
fi

# 3. cvpdf's own links: an address, or {text, url, icon}; errors.
cat >"$T/own.yaml" <<'YAML'
name: Lou Links
contact:
  links:
    - gitlab.com/lou
    - {text: Portfolio, url: https://lou.example.org/work}
    - {text: lou, url: https://reddit.com/user/lou, icon: reddit}
sections: []
YAML
"$BIN" render -q "$T/own.yaml" -o "$T/own.pdf" --trace "$T/own.trace" 2>"$T/err" &&
  [ ! -s "$T/err" ] || no "render own links: $(cat "$T/err")"
grep -q '^text .* "gitlab.com/lou" .*link=https://gitlab.com/lou$' "$T/own.trace" &&
  ok "an address is printed without a scheme and linked with https" ||
  no "an address: $(grep gitlab "$T/own.trace")"
grep -q '^link .* https://lou.example.org/work$' "$T/own.trace" &&
  [ "$(grep -c '^text .* FontAwesome ' "$T/own.trace")" = 3 ] &&
  ok "{text, url} and {text, url, icon}: linked, each with an icon" ||
  no "own links: $(grep -c '^text .* FontAwesome ' "$T/own.trace") icons"
cat >"$T/bad.yaml" <<'YAML'
name: Lou Links
contact:
  links:
    - {url: https://lou.example.org}
    - {text: Blog, urls: https://blog.example.org}
    - [nested]
sections: []
YAML
"$BIN" check "$T/bad.yaml" >"$T/out" 2>&1 && no "check accepts bad links"
for want in "bad.yaml:4:7: error: link is missing required field 'text'" \
  "bad.yaml:5:20: error: unknown field 'urls' in link; did you mean 'url'?" \
  "bad.yaml:6:7: error: item 3 of field 'links' expected a mapping or a string, found a list"; do
  grep -qF "$want" "$T/out" && ok "check: ${want#*error: }" ||
    no "check lacks '$want': $(cat "$T/out")"
done

done_tests

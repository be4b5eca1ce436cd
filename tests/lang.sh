#!/bin/sh
# Translated fields: one source in several languages.  --lang (or
# language:) picks the text of each field; a missing translation falls
# back to the default language with a warning at the field; dates and
# words follow the language; --lang combines with --only; check --lang
# all lists every missing translation; the JSON Schema takes both forms;
# convert keeps them, or writes one language with --lang.  The bilingual
# example, rendered both ways, passes pdfaudit.
set -u
. tests/tap.sh
AUDIT=../shared/tools/pdfaudit
export SOURCE_DATE_EPOCH=1700000000
EX=examples/bilingual-cv.yaml

text_of() { # the PDF's text on one line
  pdftotext "$1" - | tr '\n' ' ' | tr -s ' '
}

# 1. The example both ways: its own language's text, dates and words.
for l in en de; do
  if ! "$BIN" render -q "$EX" --lang "$l" -o "$T/$l.pdf" 2>"$T/err" ||
    [ -s "$T/err" ]; then
    no "render --lang $l: $(cat "$T/err")"
    continue
  fi
  text_of "$T/$l.pdf" >"$T/$l.txt"
  ok "render --lang $l, no warning"
done
grep -q "Berufserfahrung" "$T/de.txt" && grep -q "Mai 2021 – heute" "$T/de.txt" &&
  grep -q "1 von 1" "$T/de.txt" && ! grep -q "Experience" "$T/de.txt" &&
  ok "German: headings, dates and footer in German" ||
  no "German text: $(head -c 300 "$T/de.txt")"
grep -q "Experience" "$T/en.txt" && grep -q "May 2021 – present" "$T/en.txt" &&
  ! grep -q "Berufserfahrung" "$T/en.txt" &&
  ok "English: headings and dates in English" ||
  no "English text: $(head -c 300 "$T/en.txt")"
"$BIN" render -q "$EX" -o "$T/default.pdf" 2>/dev/null &&
  cmp -s "$T/default.pdf" "$T/en.pdf" &&
  ok "without --lang, the first of languages: (en)" ||
  no "the default language is not the first of languages:"

# pdfaudit against the source in that language (convert --lang), its
# dates left out: they print in the language, not as written.
if [ -x "$AUDIT" ]; then
  for l in en de; do
    "$BIN" convert -q --lang "$l" "$EX" -o - |
      grep -v -E '^language: |^ +(start|end): ' >"$T/$l.src.yaml"
    "$AUDIT" "$T/$l.pdf" --source "$T/$l.src.yaml" >"$T/audit" 2>&1 &&
      ok "pdfaudit --lang $l" ||
      no "pdfaudit --lang $l: $(grep -E '^FAIL' "$T/audit" | tr '\n' ' ')"
  done
fi

# 2. Fallback: a field without the language asked for prints the default
#    language's text, with a warning at the field.
mkdir -p "$T/cv"
cat >"$T/cv/f.yaml" <<'EOF'
name: Lena
languages: [en, de]
headline: {en: Physicist, de: Physikerin}
sections:
  - type: summary
    title: {en: Profile}
    text:
      - {en: One., de: Eins.}
      - {de: Nur deutsch.}
EOF
"$BIN" render "$T/cv/f.yaml" --lang de -o "$T/f.pdf" 2>"$T/err" &&
  grep -q "f.yaml:6:12: warning: no 'de' translation of this field; printed the 'en' one" "$T/err" &&
  [ "$(grep -c warning "$T/err")" = 1 ] &&
  text_of "$T/f.pdf" | grep -q "Physikerin Profile Eins. Nur deutsch." &&
  ok "a missing German title falls back to English, one warning" ||
  no "fallback: $(cat "$T/err"; text_of "$T/f.pdf")"
"$BIN" render "$T/cv/f.yaml" --lang en -o "$T/f.pdf" 2>"$T/err" &&
  grep -q "f.yaml:9:9: warning: no 'en' translation of this field; printed the 'de' one" "$T/err" &&
  text_of "$T/f.pdf" | grep -q "Physicist Profile One. Nur deutsch." &&
  ok "a field with neither prints the one written, with a warning" ||
  no "fallback to the only one: $(cat "$T/err")"
"$BIN" render "$T/cv/f.yaml" --lang fr -o "$T/f.pdf" 2>"$T/err" &&
  grep -q "f.yaml:2:12: warning: the CV is written in 2 languages, not in 'fr': every translated field prints its 'en' text" "$T/err" &&
  ok "--lang of a language the CV lacks: one warning" ||
  no "undeclared language: $(cat "$T/err")"
printf 'name: Lena\nlanguage: de\nlanguages: [en, de]\nheadline: {en: Physicist, de: Physikerin}\nsections: []\n' >"$T/cv/l.yaml"
"$BIN" render -q "$T/cv/l.yaml" -o "$T/l.pdf" 2>"$T/err" &&
  text_of "$T/l.pdf" | grep -q Physikerin && ok "language: de picks German" ||
  no "language: de: $(cat "$T/err")"

# 3. check --lang all: every missing translation, at its field.
"$BIN" check "$T/cv/f.yaml" --lang all >"$T/out" 2>&1
grep -q "f.yaml:6:12: warning: missing the 'de' translation of this field" "$T/out" &&
  grep -q "f.yaml:9:9: warning: missing the 'en' translation of this field" "$T/out" &&
  [ "$(grep -c 'missing the' "$T/out")" = 2 ] &&
  ok "check --lang all lists both missing translations" ||
  no "check --lang all: $(cat "$T/out")"
"$BIN" check "$EX" --lang all >"$T/out" 2>&1 && ! grep -q "warning:" "$T/out" &&
  ok "the example lacks no translation" || no "example: $(cat "$T/out")"

# 4. --lang with --only.
cat >"$T/cv/t.yaml" <<'EOF'
name: Lena
languages: [en, de]
sections:
  - type: summary
    text:
      - {text: {en: Academic., de: Akademisch.}, tags: [academic]}
      - {text: {en: Industry., de: Industrie.}, tags: [industry]}
EOF
"$BIN" render -q "$T/cv/t.yaml" --lang de --only industry -o "$T/t.pdf" 2>"$T/err" &&
  text_of "$T/t.pdf" | grep -q "Industrie." &&
  ! text_of "$T/t.pdf" | grep -q -E "Akademisch|Industry" &&
  ok "--lang de --only industry" || no "--lang with --only: $(cat "$T/err"; text_of "$T/t.pdf")"

# 5. Errors: languages: must be a list of language tags.
printf 'name: A\nlanguages: english\nsections: []\n' >"$T/cv/e.yaml"
"$BIN" check "$T/cv/e.yaml" >"$T/out" 2>&1
grep -q "e.yaml:2:12: error: languages: expected a list of language tags, the default first (languages: \[en, de\]), found a scalar" "$T/out" &&
  ok "languages: as a word is an error at its position" || no "languages: $(cat "$T/out")"
printf 'name: A\nlanguages: [en, German]\nsections: []\n' >"$T/cv/e.yaml"
"$BIN" check "$T/cv/e.yaml" >"$T/out" 2>&1
grep -q "e.yaml:2:17: error: languages: expected a language tag such as en, de or pt-BR, found German" "$T/out" &&
  ok "a language that is no tag is an error at its position" || no "languages item: $(cat "$T/out")"
"$BIN" render -q "$T/cv/f.yaml" --lang 'x y' -o "$T/x.pdf" 2>"$T/err"
grep -q "error: --lang: expected a language tag such as en, de or pt-BR, found 'x y'" "$T/err" &&
  ok "--lang that is no tag" || no "--lang x y: $(cat "$T/err")"

printf 'name: A\nlanguages: [en, de]\nheadline: {en: Physicist, fr: Physicienne}\nsections: []\n' >"$T/cv/u.yaml"
"$BIN" render "$T/cv/u.yaml" -o "$T/u.pdf" 2>"$T/err" &&
  grep -q "u.yaml:3:27: warning: 'fr' is not one of the CV's languages (en, de): this text is never printed" "$T/err" &&
  ok "a translation into a language the CV does not name is warned about" ||
  no "undeclared key: $(cat "$T/err")"

# 6. Without languages:, a mapping of short keys keeps its meaning.
printf 'name: A\nsections:\n  - type: skills\n    items: {ml: PyTorch, cv: OpenCV}\n' >"$T/cv/k.yaml"
"$BIN" render -q "$T/cv/k.yaml" --lang de -o "$T/k.pdf" 2>"$T/err" &&
  text_of "$T/k.pdf" | grep -q "ml: PyTorch" &&
  ok "no languages: no translated fields" || no "short keys: $(cat "$T/err"; text_of "$T/k.pdf")"

# 7. The JSON Schema takes both forms; convert keeps the translations, or
#    writes one language with --lang.
"$BIN" schema -o "$T/schema.json" &&
  python3 - "$T/schema.json" "$EX" "$T/cv/f.yaml" <<'EOF' >"$T/out" 2>&1 &&
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    jsonschema.validate(yaml.safe_load(open(path)), schema)
bad = {"name": "A", "languages": ["en"], "headline": {"English": "x"}}
try:
    jsonschema.validate(bad, schema)
    sys.exit("a mapping keyed by a non-tag passed")
except jsonschema.ValidationError:
    pass
EOF
  ok "the JSON Schema takes text and translated text" || no "schema: $(cat "$T/out")"
"$BIN" convert -q "$EX" -o "$T/kept.yaml" &&
  grep -q "^  de: Wissenschaftlerin, optische Messtechnik" "$T/kept.yaml" &&
  "$BIN" render -q "$T/kept.yaml" --lang de -o "$T/kept.pdf" &&
  cmp -s "$T/kept.pdf" "$T/de.pdf" &&
  ok "convert keeps the translations" || no "convert keeps translations"
"$BIN" convert -q --lang de "$EX" -o "$T/de.yaml" &&
  grep -q "^language: de" "$T/de.yaml" && ! grep -q "^languages:" "$T/de.yaml" &&
  grep -q "^headline: Wissenschaftlerin" "$T/de.yaml" &&
  ok "convert --lang de writes the German CV" || no "convert --lang de: $(head -5 "$T/de.yaml")"

# 8. /Lang where the text is in another language than the document's: a
# field printed from its English text for want of the German one, and a
# word printed in English for want of the CV's language's (no locale
# file for cs).  The structure elements holding them say so; the others,
# and a render where nothing falls back, carry none.
langs() { # the roles of the structure elements with /Lang, and the tag
  python3 - "$1" <<'EOF_PY'
import sys
sys.path.insert(0, "tests")
from pdfua import Doc, load, text
doc = Doc(load(sys.argv[1]))
for ref, o in sorted(doc.objs.items(), key=lambda kv: int(kv[0].split()[0][4:])
                     if kv[0].startswith("obj:") else 0):
    v = o.get("value") if isinstance(o, dict) else None
    if isinstance(v, dict) and "/S" in v and "/Lang" in v:
        print(v["/S"][1:], text(v["/Lang"]))
EOF_PY
}
cat >"$T/fb.yaml" <<'EOF_CV'
name: Lena Brandt
languages: [en, de]
headline: {en: Research Scientist, de: Wissenschaftlerin}
sections:
  - type: summary
    title: {en: Profile, de: Profil}
    text: {en: "I build interferometers that measure surfaces."}
  - type: roles
    title: {en: Experience}
    entries:
      - organisation: Example Photonics Institute
        title: {en: Research Scientist, de: Wissenschaftlerin}
        start: May 2021
        highlights:
          en: ["Led the design of an interferometer."]
          de: ["Leitung der Entwicklung eines Interferometers."]
      - organisation: Example University
        title: {en: Doctoral Researcher}
        start: 2016
        highlights:
          en: ["Built a phase-shifting interferometer."]
EOF_CV
"$BIN" render -q "$T/fb.yaml" --lang de -o "$T/fb-de.pdf" 2>"$T/err"
# The elements come in object order, which groups them by role: sort them.
langs "$T/fb-de.pdf" | sort | tr '\n' ' ' >"$T/langs"
[ "$(cat "$T/langs")" = "H2 en P en P en P en " ] &&
  ok "/Lang en on the summary, heading, entry title and bullet printed from English" ||
  no "/Lang of fallbacks: '$(cat "$T/langs")'"
"$BIN" render -q "$T/fb.yaml" --lang en -o "$T/fb-en.pdf" 2>"$T/err"
[ -z "$(langs "$T/fb-en.pdf")" ] && ok "no /Lang where nothing falls back" ||
  no "/Lang in the English render: $(langs "$T/fb-en.pdf" | tr '\n' ' ')"
[ -z "$(langs "$T/de.pdf")" ] && ok "no /Lang in the bilingual example in German" ||
  no "/Lang in the German example: $(langs "$T/de.pdf" | tr '\n' ' ')"
cat >"$T/cs.yaml" <<'EOF_CV'
name: Jana Nováková
language: cs
sections:
  - type: roles
    title: Zkušenosti
    entries:
      - organisation: Ústav fotoniky
        title: Vědecká pracovnice
        start: 2021
        projects:
          - title: Interferometr
            contributions: [Navrhla optiku.]
EOF_CV
"$BIN" render -q "$T/cs.yaml" -o "$T/cs.pdf" 2>/dev/null
pdftotext "$T/cs.pdf" - | grep -q "^Contributions\.$" && [ "$(langs "$T/cs.pdf")" = "P en" ] &&
  ok "/Lang en on a word printed in English for want of Czech" ||
  no "/Lang of an English word in Czech: '$(langs "$T/cs.pdf" | tr '\n' ' ')'"

# 9. A phrase in another language inside a paragraph: <span lang="de">.
# Its words are hyphenated as a German CV's are, not with English
# patterns ("En-twicklungsabteilung"); a language that is none is an error
# at its line:column with what was meant, a <span> without lang a warning.
words() { # the text runs of a trace, without the page footer
  grep '^text' "$1" | sed 's/.*#[0-9A-F]* "\([^"]*\)".*/\1/' | grep -v '^1' | tr '\n' ' '
}
W="Schönheitswettbewerbe Quantenmechanik Interferometrie Entwicklungsabteilung Verantwortungsbewusstsein"
for v in "span en <span lang=\"de\">$W</span>" "de de $W" "en en $W"; do
  set -- $v
  name=$1 lg=$2
  shift 2
  cat >"$T/h-$name.yaml" <<EOF_CV
name: Lena Brandt
language: $lg
theme: {page: {margins: {left: 225, right: 225}}, styles: {body: {size: 16, leading: 19}}}
sections:
  - type: summary
    title: Profile
    text: '$*'
EOF_CV
  "$BIN" render -q "$T/h-$name.yaml" -o "$T/h-$name.pdf" --trace "$T/h-$name.trace" 2>"$T/err" ||
    no "render $name: $(cat "$T/err")"
done
[ "$(words "$T/h-span.trace")" = "$(words "$T/h-de.trace")" ] &&
  [ "$(words "$T/h-span.trace")" != "$(words "$T/h-en.trace")" ] &&
  ok "a German phrase in an English CV is hyphenated as German" ||
  no "German phrase hyphenation: '$(words "$T/h-span.trace")' vs German '$(words "$T/h-de.trace")'"
cat >"$T/bad.yaml" <<'EOF_CV'
name: Lena Brandt
sections:
  - type: summary
    text: A thesis, <span lang="German">Über Interferometrie</span>, and <span lang=dx>x</span>.
  - type: summary
    text: Plain <span lnag="de">y</span> and a stray </span>.
EOF_CV
"$BIN" check "$T/bad.yaml" >"$T/out" 2>&1
grep -q "bad.yaml:4:21: error: <span lang>: expected a language tag such as en, de or pt-BR, found 'German'; did you mean 'de'?" "$T/out" &&
  grep -q "bad.yaml:4:74: error: <span lang>: expected a language tag such as en, de or pt-BR, found 'dx'; did you mean 'de'?" "$T/out" &&
  ok "a phrase's language that is none is an error at its line:column" ||
  no "bad <span lang>: $(cat "$T/out")"
grep -q "bad.yaml:6:17: warning: expected <span lang=\"TAG\"> (a language tag such as de), found <span lnag=\"de\">, which is set in the paragraph's language; did you mean 'lang'?" "$T/out" &&
  grep -q "bad.yaml:6:54: warning: found </span> with no <span lang=\"...\"> open before it; it is left out" "$T/out" &&
  ok "a <span> without lang, and a stray </span>, are warnings at their position" ||
  no "<span> warnings: $(cat "$T/out")"
"$BIN" render -q "$T/bad.yaml" -o "$T/bad.pdf" 2>/dev/null &&
  no "a CV with a bad language tag rendered" || ok "render refuses a bad language tag"
printf 'name: A\nsections:\n  - type: summary\n    text: "a <b>b</b> a < b"\n' >"$T/html.yaml"
"$BIN" render -q "$T/html.yaml" -o "$T/html.pdf" 2>"$T/err" && [ ! -s "$T/err" ] &&
  text_of "$T/html.pdf" | grep -q "a <b>b</b> a < b" &&
  ok "other HTML stays text" || no "other HTML: $(cat "$T/err"; text_of "$T/html.pdf")"

# 10. /Lang of text in another language inside a paragraph: a Span of its
# own in its P, with its /Lang, as the structure's text reads it in
# order: a German phrase in an English summary, one broken over lines and
# hyphenated in German, and an English word in a Czech date.  Text of no
# other language makes no Span.
spans() { # each Span's /Lang and its text, in the order of the tree
  python3 - "$1" <<'EOF_PY'
import sys
sys.path.insert(0, "tests")
from pdfua import Doc, load, text
doc = Doc(load(sys.argv[1]))
for ref, o in doc.objs.items():
    v = o.get("value") if isinstance(o, dict) else None
    if isinstance(v, dict) and v.get("/S") == "/Span":
        print(text(v.get("/Lang", "")), v.get("/P"))
EOF_PY
}
struct_text() { # the structure's text on one line
  pdfinfo -struct-text "$1" | grep '^ *"' | sed 's/^ *"//; s/"$//' | tr '\n' ' '
}
cat >"$T/phrase.yaml" <<'EOF_CV'
name: Lena Brandt
language: en
sections:
  - type: summary
    title: Profile
    text: 'My thesis, <span lang="de">Über die Quantenmechanik</span>, was written in Zurich.'
EOF_CV
"$BIN" render -q "$T/phrase.yaml" -o "$T/phrase.pdf" 2>"$T/err"
[ "$(spans "$T/phrase.pdf" | cut -d' ' -f1)" = de ] &&
  struct_text "$T/phrase.pdf" | grep -q "My thesis, Über die Quantenmechanik , was written in Zurich." &&
  pdfinfo -struct-text "$T/phrase.pdf" | grep -A1 "Span (inline)" | grep -q '"Über die Quantenmechanik"' &&
  ok "a German phrase in an English paragraph: a Span with /Lang de, read in order" ||
  no "German phrase: '$(spans "$T/phrase.pdf")' $(struct_text "$T/phrase.pdf") $(cat "$T/err")"
"$BIN" render -q "$T/h-span.yaml" -o "$T/h-span.pdf" 2>/dev/null
[ "$(spans "$T/h-span.pdf" | wc -l)" = 1 ] &&
  [ "$(spans "$T/h-span.pdf" | cut -d' ' -f1)" = de ] &&
  [ "$(pdftotext "$T/h-span.pdf" - | grep -c .)" -gt 6 ] &&
  struct_text "$T/h-span.pdf" | grep -q "^Lena Brandt Profile $W " &&
  ok "a phrase over several lines, hyphenated in German: one Span, its words whole" ||
  no "phrase over lines: '$(spans "$T/h-span.pdf" | tr '\n' ' ')' $(struct_text "$T/h-span.pdf")"
if [ -x "$AUDIT" ]; then
  # pdfaudit reads the source's tags as words: give it the text alone.
  sed 's/<[^>]*>//g' "$T/h-span.yaml" | grep -v '^language: ' >"$T/h-plain.yaml"
  "$AUDIT" "$T/h-span.pdf" --source "$T/h-plain.yaml" --order >"$T/audit" 2>&1 &&
    ok "pdfaudit --order on the hyphenated phrase" ||
    no "pdfaudit: $(grep -E '^FAIL' "$T/audit" | tr '\n' ' ')"
fi
[ -z "$(spans "$T/h-de.pdf")" ] && [ -z "$(spans "$T/fb-de.pdf")" ] &&
  [ -z "$(spans "$T/de.pdf")" ] && [ -z "$(spans "$T/en.pdf")" ] &&
  ok "no Span where no text is in another language than its element" ||
  no "Spans without a phrase: $(spans "$T/h-de.pdf") $(spans "$T/de.pdf")"
printf 'name: A\nlanguage: de\nsections:\n  - type: summary\n    text: Text <span lang="de">auf Deutsch</span>.\n' >"$T/same.yaml"
"$BIN" render -q "$T/same.yaml" -o "$T/same.pdf" 2>/dev/null
[ -z "$(spans "$T/same.pdf")" ] && ok "a phrase in the paragraph's own language makes no Span" ||
  no "same language: $(spans "$T/same.pdf")"
sed 's/        start: 2021/        start: 2021-05\n        end: present/' "$T/cs.yaml" >"$T/cs-date.yaml"
"$BIN" render -q "$T/cs-date.yaml" -o "$T/cs-date.pdf" 2>/dev/null
[ "$(spans "$T/cs-date.pdf" | cut -d' ' -f1)" = en ] &&
  pdfinfo -struct-text "$T/cs-date.pdf" | grep -A1 "Span (inline)" | grep -q '"present"' &&
  struct_text "$T/cs-date.pdf" | grep -q "Ústav fotoniky květen 2021 – present " &&
  [ "$(langs "$T/cs-date.pdf" | sort | tr '\n' ' ')" = "P en Span en " ] &&
  ok "an English word in a Czech date: a Span with /Lang en" ||
  no "English word in a date: '$(langs "$T/cs-date.pdf" | tr '\n' ' ')' $(struct_text "$T/cs-date.pdf")"

done_tests

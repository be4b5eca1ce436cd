/* cvpdf - the schema command: a JSON Schema (draft-07, which every editor
 * plugin reads) of the CV format, generated from the fields the loaded
 * plugins declare, so a plugin's fields get completion and checking as
 * soon as it is installed. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic.h"
#include "cli/cli.h"
#include "typeset/layout.h"
#include "pipeline/plugin_host.h"
#include "pipeline/render.h"

/* ---- a small pretty-printing JSON writer ----------------------------- */

#define JW_MAX_DEPTH 64

typedef struct jw {
  cv_buf out;
  int depth;
  int after_key;
  size_t count[JW_MAX_DEPTH];
  int failed; /* nesting deeper than JW_MAX_DEPTH */
} jw;

static void jw_indent(jw *w) {
  cv_buf_putc(&w->out, '\n');
  for (int i = 0; i < w->depth; i++)
    cv_buf_puts(&w->out, "  ");
}

/* Comma and line break before a value, unless it follows its key. */
static void jw_pre(jw *w) {
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (w->depth == 0)
    return;
  if (w->count[w->depth]++)
    cv_buf_putc(&w->out, ',');
  jw_indent(w);
}

static void jw_quoted(jw *w, const char *s) {
  cv_buf_putc(&w->out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      cv_buf_putc(&w->out, '\\');
      cv_buf_putc(&w->out, (char)*p);
    } else if (*p < 0x20) {
      cv_buf_printf(&w->out, "\\u%04x", *p);
    } else {
      cv_buf_putc(&w->out, (char)*p);
    }
  }
  cv_buf_putc(&w->out, '"');
}

static void jw_open(jw *w, char c) {
  jw_pre(w);
  cv_buf_putc(&w->out, c);
  if (w->depth + 1 >= JW_MAX_DEPTH) {
    w->failed = 1;
    return;
  }
  w->count[++w->depth] = 0;
}

static void jw_close(jw *w, char c) {
  if (w->depth <= 0) {
    w->failed = 1;
    return;
  }
  size_t n = w->count[w->depth--];
  if (n)
    jw_indent(w);
  cv_buf_putc(&w->out, c);
}

static void jw_key(jw *w, const char *k) {
  jw_pre(w);
  jw_quoted(w, k);
  cv_buf_puts(&w->out, ": ");
  w->after_key = 1;
}

static void jw_str(jw *w, const char *s) {
  jw_pre(w);
  jw_quoted(w, s);
}

static void jw_raw(jw *w, const char *s) {
  jw_pre(w);
  cv_buf_puts(&w->out, s);
}

static void jw_kv(jw *w, const char *k, const char *v) {
  jw_key(w, k);
  jw_str(w, v);
}

static void jw_kraw(jw *w, const char *k, const char *v) {
  jw_key(w, k);
  jw_raw(w, v);
}

/* ---- pieces of the schema -------------------------------------------- */

/* cvpdf reads every scalar as text, so a YAML number or boolean where text
 * is expected is fine (gpa: 4.0, a year as a title). */
#define TEXT_TYPES "[\"string\", \"number\", \"boolean\"]"
/* Text, or the same text in each of the CV's languages (document/lang.h). */
#define TEXT_ANY                                                               \
  "[{\"type\": " TEXT_TYPES "}, {\"$ref\": \"#/definitions/translated\"}]"
#define TEXT "\"anyOf\": " TEXT_ANY
/* The shape of a language tag a translated field is keyed by. */
#define LANG_TAG "^[a-z]{2,3}([-_][A-Za-z0-9]{2,4})?$"

static void ref(jw *w, const char *def) {
  char target[192];
  snprintf(target, sizeof target, "#/definitions/%s", def);
  jw_open(w, '{');
  jw_kv(w, "$ref", target);
  jw_close(w, '}');
}

/* {"description": doc, "allOf": [{"$ref": def}]}: draft-07 ignores the
 * siblings of $ref, so the description would be lost beside it. */
/* Opens an object with its description, if any. */
static void open_described(jw *w, const char *doc) {
  jw_open(w, '{');
  if (doc)
    jw_kv(w, "description", doc);
}

/* {"description": doc, "type": type}. */
static void simple_type(jw *w, const char *doc, const char *type) {
  open_described(w, doc);
  jw_kv(w, "type", type);
  jw_close(w, '}');
}

static void described_ref(jw *w, const char *doc, const char *def) {
  open_described(w, doc);
  jw_key(w, "allOf");
  jw_open(w, '[');
  ref(w, def);
  jw_close(w, ']');
  jw_close(w, '}');
}

static void ci_word(cv_buf *b, const char *word) {
  for (const char *p = word; *p; p++) {
    if (*p >= 'a' && *p <= 'z')
      cv_buf_printf(b, "[%c%c]", *p - 32, *p);
    else
      cv_buf_putc(b, *p);
  }
}

/* The forms cv_date_parse accepts: 2021, 2021-05, 2021-05-17, 05/2021,
 * May 2021, May. 2021, Sept 2021, 17 May 2021, May 17, 2021, present. */
static void date_pattern(cv_buf *b) {
  static const char *const months[] = {
      "jan(uary)?",  "feb(ruary)?", "mar(ch)?",  "apr(il)?",       "may",
      "jun(e)?",     "jul(y)?",     "aug(ust)?", "sep(t|tember)?", "oct(ober)?",
      "nov(ember)?", "dec(ember)?"};
  const char *y = "[1-9][0-9]{3}", *m = "(0?[1-9]|1[0-2])",
             *d = "(0?[1-9]|[12][0-9]|3[01])";
  cv_buf_puts(b, "^[ \\t]*(");
  ci_word(b, "present");
  cv_buf_putc(b, '|');
  ci_word(b, "now");
  cv_buf_putc(b, '|');
  ci_word(b, "today");
  cv_buf_printf(b, "|%s(-%s(-%s)?)?|%s/%s|(%s +)?(", y, m, d, m, y, d);
  for (size_t i = 0; i < sizeof months / sizeof *months; i++) {
    if (i)
      cv_buf_putc(b, '|');
    ci_word(b, months[i]);
  }
  cv_buf_printf(b, ")\\.?( +%s,)? +%s)[ \\t]*$", d, y);
}

/* In an open object: "anyOf": [text, {"type": type, ... : a text, or
 * something else whose members follow; close_text_or ends all three. */
static void open_text_or(jw *w, const char *type) {
  jw_key(w, "anyOf");
  jw_open(w, '[');
  jw_raw(w, "{" TEXT "}");
  jw_open(w, '{');
  jw_kv(w, "type", type);
}

static void close_text_or(jw *w) {
  jw_close(w, '}');
  jw_close(w, ']');
  jw_close(w, '}');
}

/* Text or a mapping holding it: {text, tags} (text-item), or with
 * sub-bullets {text, items, tags} (bullet: CVPDF_FIELD_NESTED). */
static void write_text_item(jw *w, const char *name, const char *doc,
                            int nested) {
  jw_key(w, name);
  jw_open(w, '{');
  jw_kv(w, "description", doc);
  open_text_or(w, "object");
  jw_key(w, "properties");
  jw_open(w, '{');
  jw_kraw(w, "text", "{" TEXT "}");
  if (nested)
    jw_kraw(w, "items",
            "{\"type\": \"array\", \"items\": {\"$ref\": "
            "\"#/definitions/bullet\"}}");
  jw_key(w, "tags");
  ref(w, "tags");
  jw_close(w, '}');
  jw_kraw(w, "required", nested ? "[\"text\"]" : "[\"text\", \"tags\"]");
  jw_kraw(w, "additionalProperties", "false");
  close_text_or(w);
}

static void write_definitions(jw *w) {
  jw_key(w, "definitions");
  jw_open(w, '{');

  jw_key(w, "tags");
  jw_open(w, '{');
  jw_kv(w, "description",
        "words that select this item: `cvpdf render --only WORD` prints "
        "untagged items and those tagged WORD");
  jw_key(w, "anyOf");
  jw_open(w, '[');
  jw_raw(w, "{\"type\": \"string\"}");
  jw_raw(w, "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}");
  jw_close(w, ']');
  jw_close(w, '}');

  jw_key(w, "translated");
  jw_raw(w, "{\"description\": \"the text in each language of the CV's "
            "languages: (the first is the default), as in {en: Research "
            "Scientist, de: Wissenschaftlerin}\", \"type\": \"object\", "
            "\"minProperties\": 1, \"propertyNames\": {\"pattern\": "
            "\"" LANG_TAG "\"}, \"additionalProperties\": {\"anyOf\": "
            "[{\"type\": " TEXT_TYPES "}, {\"type\": \"array\", \"items\": "
            "{\"type\": " TEXT_TYPES "}}]}}");

  write_text_item(
      w, "text-item",
      "text, or {text: ..., tags: [...]} to print it only in some variants", 0);
  write_text_item(w, "bullet",
                  "text, or {text: ..., items: [...]} for a bullet with "
                  "sub-bullets (tags: [...] prints it only in some variants)",
                  1);

  jw_key(w, "date");
  jw_open(w, '{');
  jw_kv(w, "description",
        "a date: 2021, 2021-05, May 2021, Mar. 2024, 05/2021 or present");
  jw_key(w, "anyOf");
  jw_open(w, '[');
  jw_raw(w, "{\"type\": \"integer\", \"minimum\": 1000, \"maximum\": 9999}");
  jw_open(w, '{');
  jw_kv(w, "type", "string");
  cv_buf pat;
  cv_buf_init(&pat);
  date_pattern(&pat);
  jw_kv(w, "pattern", pat.data ? pat.data : "");
  if (pat.failed)
    w->out.failed = 1;
  cv_buf_fini(&pat);
  jw_close(w, '}');
  jw_close(w, ']');
  jw_close(w, '}');

  jw_key(w, "bool");
  jw_open(w, '{');
  jw_key(w, "anyOf");
  jw_open(w, '[');
  jw_raw(w, "{\"type\": \"boolean\"}");
  cv_buf bp;
  cv_buf_init(&bp);
  static const char *const words[] = {"true",  "yes", "on",
                                      "false", "no",  "off"};
  cv_buf_puts(&bp, "^(");
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    if (i)
      cv_buf_putc(&bp, '|');
    ci_word(&bp, words[i]);
  }
  cv_buf_puts(&bp, ")$");
  jw_open(w, '{');
  jw_kv(w, "type", "string");
  jw_kv(w, "pattern", bp.data ? bp.data : "");
  jw_close(w, '}');
  if (bp.failed)
    w->out.failed = 1;
  cv_buf_fini(&bp);
  jw_close(w, ']');
  jw_close(w, '}');
}

static void object_schema(jw *w, const char *doc, const cvpdf_field *fields,
                          int tags);

/* A value that is text or a list of items of definition `item`
 * (text-item: texts that may carry tags; bullet: nested too). */
static void texts_of(jw *w, const char *doc, const char *item) {
  open_described(w, doc);
  open_text_or(w, "array");
  jw_key(w, "items");
  ref(w, item);
  close_text_or(w);
}

static void texts(jw *w, const char *doc) {
  texts_of(w, doc, "text-item");
}

/* The kinds of field whose schema is one JSON type or one definition. */
static void scalar_schema(jw *w, const cvpdf_field *f) {
  static const struct {
    const char *type, *def;
  } kinds[] = {[CVPDF_FIELD_INT] = {"integer", NULL},
               [CVPDF_FIELD_BOOL] = {NULL, "bool"},
               [CVPDF_FIELD_DATE] = {NULL, "date"},
               [CVPDF_FIELD_URL] = {"string", NULL}};
  if (kinds[f->type].type)
    simple_type(w, f->doc, kinds[f->type].type);
  else
    described_ref(w, f->doc, kinds[f->type].def);
}

static void field_schema(jw *w, const cvpdf_field *f) {
  switch (f->type) {
  case CVPDF_FIELD_STRING:
    if (f->flags & CVPDF_FIELD_ONE_OR_MORE) {
      texts(w, f->doc);
      return;
    }
    open_described(w, f->doc);
    jw_kraw(w, "anyOf", TEXT_ANY);
    jw_close(w, '}');
    return;
  case CVPDF_FIELD_INT:
  case CVPDF_FIELD_BOOL:
  case CVPDF_FIELD_DATE:
  case CVPDF_FIELD_URL:
    scalar_schema(w, f);
    return;
  case CVPDF_FIELD_LIST:
    if (!f->children) {
      texts_of(w, f->doc,
               (f->flags & CVPDF_FIELD_NESTED) ? "bullet" : "text-item");
      return;
    }
    open_described(w, f->doc);
    jw_kv(w, "type", "array");
    jw_key(w, "items");
    if (f->flags & CVPDF_FIELD_STRING_ITEMS) {
      jw_open(w, '{');
      jw_key(w, "anyOf");
      jw_open(w, '[');
      ref(w, "text-item");
      object_schema(w, NULL, f->children, 1);
      jw_close(w, ']');
      jw_close(w, '}');
    } else {
      object_schema(w, NULL, f->children, 1);
    }
    jw_close(w, '}');
    return;
  case CVPDF_FIELD_MAP:
    if (f->children) {
      object_schema(w, f->doc, f->children, 0);
      return;
    }
    simple_type(w, f->doc, "object");
    return;
  case CVPDF_FIELD_DICT:
    open_described(w, f->doc);
    jw_kv(w, "type", "object");
    jw_key(w, "additionalProperties");
    texts(w, NULL);
    jw_close(w, '}');
    return;
  }
  jw_raw(w, "{}"); /* a type this host does not know: anything goes */
}

/* The properties of a mapping.  tags: it is a list item, so `tags` is
 * accepted whether or not the plugin declares it. */
static void properties(jw *w, const cvpdf_field *fields, int tags) {
  for (size_t i = 0; fields && fields[i].name; i++) {
    if (tags && !strcmp(fields[i].name, "tags"))
      continue;
    jw_key(w, fields[i].name);
    field_schema(w, &fields[i]);
  }
  if (tags) {
    jw_key(w, "tags");
    ref(w, "tags");
  }
}

static void required(jw *w, const cvpdf_field *fields, const char *first) {
  size_t n = first ? 1 : 0;
  for (size_t i = 0; fields && fields[i].name; i++)
    n += (fields[i].flags & CVPDF_FIELD_REQUIRED) != 0;
  if (!n)
    return;
  jw_key(w, "required");
  jw_open(w, '[');
  if (first)
    jw_str(w, first);
  for (size_t i = 0; fields && fields[i].name; i++)
    if (fields[i].flags & CVPDF_FIELD_REQUIRED)
      jw_str(w, fields[i].name);
  jw_close(w, ']');
}

static void object_schema(jw *w, const char *doc, const cvpdf_field *fields,
                          int tags) {
  open_described(w, doc);
  jw_kv(w, "type", "object");
  jw_key(w, "properties");
  jw_open(w, '{');
  properties(w, fields, tags);
  jw_close(w, '}');
  required(w, fields, NULL);
  jw_kraw(w, "additionalProperties", "false");
  jw_close(w, '}');
}

/* "properties": {"type": {"const": name} ... of a section of that type,
 * left open for its other properties. */
static void open_type_const(jw *w, const char *name) {
  jw_key(w, "properties");
  jw_open(w, '{');
  jw_key(w, "type");
  jw_open(w, '{');
  jw_kv(w, "const", name);
  jw_close(w, '}');
}

/* One definition per section type; `section` picks it by `type`. */
static void write_sections(jw *w, cv_plugins *ps, const char *const *names) {
  for (size_t i = 0; names[i]; i++) {
    const cvpdf_section_type *st = NULL;
    if (!strcmp(names[i], "header") || !cv_plugins_find(ps, names[i], &st))
      continue;
    char def[160];
    snprintf(def, sizeof def, "section-%s", names[i]);
    jw_key(w, def);
    jw_open(w, '{');
    if (st && st->doc)
      jw_kv(w, "description", st->doc);
    jw_kv(w, "type", "object");
    open_type_const(w, names[i]);
    jw_kraw(
        w, "title",
        "{\"description\": \"the section's heading; none when left out\", " TEXT
        "}");
    jw_kraw(w, "id",
            "{\"description\": \"a name for the section\", "
            "\"type\": \"string\"}");
    jw_kraw(w, "lang",
            "{\"description\": \"the section's language when not the "
            "CV's (a language tag: de, pt-BR)\", \"type\": \"string\"}");
    properties(w, st ? st->fields : NULL, 1);
    jw_close(w, '}');
    required(w, st ? st->fields : NULL, "type");
    jw_kraw(w, "additionalProperties", "false");
    jw_close(w, '}');
  }

  jw_key(w, "section");
  jw_open(w, '{');
  jw_kv(w, "type", "object");
  jw_key(w, "properties");
  jw_open(w, '{');
  jw_key(w, "type");
  jw_open(w, '{');
  jw_kv(w, "description", "which plugin builds the section");
  jw_key(w, "enum");
  jw_open(w, '[');
  for (size_t i = 0; names[i]; i++)
    if (strcmp(names[i], "header"))
      jw_str(w, names[i]);
  jw_close(w, ']');
  jw_close(w, '}');
  jw_close(w, '}');
  jw_kraw(w, "required", "[\"type\"]");
  /* if/then rather than oneOf: an error then speaks of the one section
   * type written, not of every type the section failed to be. */
  jw_key(w, "allOf");
  jw_open(w, '[');
  for (size_t i = 0; names[i]; i++) {
    if (!strcmp(names[i], "header"))
      continue;
    jw_open(w, '{');
    jw_key(w, "if");
    jw_open(w, '{');
    open_type_const(w, names[i]);
    jw_close(w, '}');
    jw_kraw(w, "required", "[\"type\"]");
    jw_close(w, '}');
    char def[160];
    snprintf(def, sizeof def, "section-%s", names[i]);
    jw_key(w, "then");
    ref(w, def);
    jw_close(w, '}');
  }
  jw_close(w, ']');
  jw_close(w, '}');
}

/* A top-level key of core's table (render.h), described for editors. */
static void core_key(jw *w, const cv_core_key *k) {
  if (k->kind == CV_CORE_SECTIONS) {
    jw_key(w, k->name);
    jw_open(w, '{');
    jw_kv(w, "description", k->doc);
    jw_kv(w, "type", "array");
    jw_key(w, "items");
    ref(w, "section");
    jw_close(w, '}');
    return;
  }
  static const char *const types[] = {
      [CV_CORE_STRING] = "\"type\": \"string\"",
      [CV_CORE_TEXT] = TEXT,
      [CV_CORE_MAP] = "\"type\": \"object\"",
      [CV_CORE_PHOTO] =
          "\"oneOf\": [{\"type\": \"string\", \"minLength\": 1}, "
          "{\"type\": \"object\", \"properties\": {\"path\": "
          "{\"description\": \"the image file, relative to the CV\", "
          "\"type\": \"string\", \"minLength\": 1}, \"alt\": "
          "{\"description\": \"alternate text (default: Photo of NAME)\", "
          "\"type\": \"string\"}}, \"required\": [\"path\"], "
          "\"additionalProperties\": false}]",
      [CV_CORE_LANGUAGES] = "\"type\": \"array\", \"minItems\": 1, "
                            "\"items\": {\"type\": \"string\", "
                            "\"pattern\": \"" LANG_TAG "\"}",
      [CV_CORE_PDF] = "\"type\": \"object\", \"properties\": "
                      "{\"standard\": {\"enum\": [\"pdfa-2\", \"none\"]}}, "
                      "\"additionalProperties\": false",
      [CV_CORE_DATE] = "\"type\": \"string\", \"format\": \"date\""};
  cv_buf b;
  cv_buf_init(&b);
  cv_buf_printf(&b, "{\"description\": \"%s\", %s}", k->doc, types[k->kind]);
  jw_kraw(w, k->name, b.data ? b.data : "{}");
  cv_buf_fini(&b);
}

/* The keys of an application file (pipeline/application.c) that a CV
 * has not: a file with bundle: is an application, and takes only those
 * and title: and layout:. */
#define APP_KEYS                                                               \
  "\"bundle\": {\"description\": \"an application: the documents (a "          \
  "cover letter, a CV) rendered into one PDF, relative to this file\", "       \
  "\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": "               \
  "\"string\", \"minLength\": 1}}, "                                           \
  "\"lang\": {\"description\": \"an application: every part's language\", "    \
  "\"type\": \"string\", \"pattern\": \"" LANG_TAG "\"}, "                     \
  "\"page_numbers\": {\"description\": \"an application: every part's page "   \
  "numbers, on from the part before or from 1\", \"enum\": [\"continue\", "    \
  "\"restart\"]}"

/* fields less those named in skip (NULL-terminated), in a (freed by the
 * caller), ending at name NULL; NULL when out of memory. */
static cvpdf_field *fields_less(const cvpdf_field *fields,
                                const char *const *skip) {
  size_t n = 0;
  while (fields && fields[n].name)
    n++;
  cvpdf_field *out = cv_malloc_n(n + 1, sizeof *out);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (skip[j] && strcmp(skip[j], fields[i].name))
      j++;
    if (!skip[j])
      out[k++] = fields[i];
  }
  memset(&out[k], 0, sizeof out[k]);
  return out;
}

/* The properties of a letter (type: letter at the top): the header's
 * fields (none required: they may come from the CV), core's keys, and the
 * letter plugin's fields `own`; with sections, those of a CV too. */
static void letter_properties(jw *w, const cvpdf_field *hf,
                              const cvpdf_field *own, int sections) {
  jw_key(w, "properties");
  jw_open(w, '{');
  jw_kraw(w, "type",
          "{\"description\": \"letter: this document is a letter\", "
          "\"const\": \"letter\"}");
  properties(w, hf, 0);
  for (const cv_core_key *k = cv_core_keys; k->name; k++)
    if ((sections || k->kind != CV_CORE_SECTIONS) && strcmp(k->name, "subject"))
      core_key(w, k);
  properties(w, own, 0);
  if (sections)
    jw_raw(w, APP_KEYS);
  jw_close(w, '}');
}

/* A CV, or an application (bundle:). */
static void write_cv(jw *w, const cvpdf_field *hf) {
  jw_kv(w, "type", "object");
  jw_key(w, "properties");
  jw_open(w, '{');
  properties(w, hf, 0);
  for (const cv_core_key *k = cv_core_keys; k->name; k++)
    core_key(w, k);
  jw_raw(w, APP_KEYS);
  jw_close(w, '}');
  jw_kraw(w, "if", "{\"required\": [\"bundle\"]}");
  jw_kraw(w, "then",
          "{\"propertyNames\": {\"enum\": [\"bundle\", \"title\", "
          "\"layout\", \"lang\", \"page_numbers\"]}}");
  jw_key(w, "else");
  jw_open(w, '{');
  required(w, hf, NULL);
  jw_kraw(w, "properties", "{\"lang\": false, \"page_numbers\": false}");
  jw_close(w, '}');
  jw_kraw(w, "additionalProperties", "false");
}

/* The letter plugin's fields less `name` (the header's), in memory the
 * caller frees; NULL when out of memory. */
static cvpdf_field *letter_fields(const cvpdf_section_type *lt) {
  static const char *const skip[] = {"name", NULL};
  return fields_less(lt->fields, skip);
}

/* A CV; with the letter plugin, a letter when the top has type: letter.
 * The top's properties are both kinds' (an editor completes either); a CV
 * is then checked in the else branch, a letter in its definition. */
static void write_top(jw *w, cv_plugins *ps) {
  const cvpdf_section_type *ht = NULL, *lt = NULL;
  cv_plugins_find(ps, "header", &ht);
  cv_plugins_find(ps, "letter", &lt);
  const cvpdf_field *hf = ht ? ht->fields : NULL;
  cvpdf_field *own = lt ? letter_fields(lt) : NULL;
  if (!own) {
    w->failed = lt != NULL;
    write_cv(w, hf);
    return;
  }
  jw_kv(w, "type", "object");
  letter_properties(w, hf, own, 1);
  free(own);
  jw_kraw(w, "if",
          "{\"properties\": {\"type\": {\"const\": \"letter\"}}, "
          "\"required\": [\"type\"]}");
  jw_key(w, "then");
  ref(w, "letter");
  jw_key(w, "else");
  jw_open(w, '{');
  write_cv(w, hf);
  jw_close(w, '}');
}

/* The definition of a letter. */
static void write_letter(jw *w, const cvpdf_field *hf,
                         const cvpdf_section_type *lt) {
  cvpdf_field *own = letter_fields(lt);
  if (!own) {
    w->failed = 1;
    return;
  }
  jw_key(w, "letter");
  jw_open(w, '{');
  jw_kv(w, "description", lt->doc ? lt->doc : "a letter");
  jw_kv(w, "type", "object");
  letter_properties(w, hf, own, 0);
  required(w, own, "type");
  jw_kraw(w, "additionalProperties", "false");
  jw_close(w, '}');
  free(own);
}

int cv_schema_json(const char *const *plugin_dirs, const char *env_path,
                   const char *default_dir, cv_buf *out, cv_status *st) {
  cv_plugins *ps = cv_plugins_create(cv_host_table());
  if (!ps ||
      cv_plugins_load_search(ps, plugin_dirs, env_path, default_dir, st) < 0) {
    if (!st->failed)
      cv_status_set(st, "out of memory");
    cv_plugins_destroy(ps);
    return -1;
  }
  const char *const *names = cv_plugins_type_names(ps);
  jw w;
  memset(&w, 0, sizeof w);
  w.out = *out;
  jw_open(&w, '{');
  jw_kv(&w, "$schema", "http://json-schema.org/draft-07/schema#");
  jw_kv(&w, "title", "cvpdf CV");
  jw_kv(&w, "description",
        "A CV for cvpdf " CVPDF_VERSION ", generated from the fields its "
        "section plugins declare");
  write_top(&w, ps);
  write_definitions(&w);
  if (names)
    write_sections(&w, ps, names);
  const cvpdf_section_type *ht = NULL, *lt = NULL;
  cv_plugins_find(ps, "header", &ht);
  if (cv_plugins_find(ps, "letter", &lt) && lt)
    write_letter(&w, ht ? ht->fields : NULL, lt);
  jw_close(&w, '}');
  jw_close(&w, '}');
  cv_buf_putc(&w.out, '\n');
  cv_plugins_destroy(ps);
  *out = w.out;
  if (w.failed || w.out.failed || !names) {
    cv_status_set(st, "out of memory, or fields nested too deeply");
    return -1;
  }
  return 0;
}

int cv_cmd_schema(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
  size_t nplugin = 0;
  const char *out = NULL;
  int c;
  cv_opts g = CV_OPTS(argc, argv, "o:p:h", longopts, plugin_dirs, &nplugin);
  while ((c = cv_opts_next(&g)) >= 0) {
    switch (c) {
    case 'o':
      out = optarg;
      break;
    }
  }
  if (c == CV_OPTS_EXIT)
    return g.status;
  if (optind < argc) {
    fprintf(stderr, "cvpdf: schema takes no file (found '%s'); use -o FILE\n",
            argv[optind]);
    return 2;
  }
  cv_dirs d;
  cv_find_dirs(&d);
  cv_status st = {0};
  cv_buf json;
  cv_buf_init(&json);
  if (cv_schema_json(plugin_dirs, getenv("CVPDF_PLUGIN_PATH"), d.plugin, &json,
                     &st) < 0) {
    fprintf(stderr, "cvpdf: %s\n", st.msg);
    cv_buf_fini(&json);
    return 1;
  }
  int rc = 0;
  if (!out || !strcmp(out, "-")) {
    if (fwrite(json.data, 1, json.len, stdout) != json.len ||
        fflush(stdout) != 0) {
      fprintf(stderr, "cvpdf: cannot write the schema to standard output: %s\n",
              strerror(errno));
      rc = 1;
    }
  } else if (cv_atomic_write(out, 0, NULL, "the schema", json.data, json.len,
                             &st) < 0) {
    fprintf(stderr, "%s: error: %s\n", out, st.msg);
    rc = 1;
  }
  cv_buf_fini(&json);
  return rc;
}

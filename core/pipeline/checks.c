/* cvpdf - the pipeline's checks of a CV as a whole: the top level and each
 * section against the fields the plugins declare, what safe mode refuses,
 * and the document information against the PDF's limits.  The fields
 * themselves are checked by document/schema. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "document/schema.h"
#include "output/pdf.h"
#include "text/text.h"
#include "pipeline/render_int.h"
#include "text/cldr.h"
#include "typeset/layout.h"

const cv_core_key cv_core_keys[] = {
    {"layout", CV_CORE_STRING,
     "the layout: a name in the layouts directory (default: classic), or a "
     "path to a .yaml layout"},
    {"language", CV_CORE_STRING,
     "the CV's language, for hyphenation and words such as present (en, de, "
     "fr, ...)"},
    {"title", CV_CORE_TEXT,
     "the PDF's title (default: NAME – Curriculum Vitae)"},
    {"subject", CV_CORE_TEXT, "the PDF's subject"},
    {"keywords", CV_CORE_TEXT, "the PDF's keywords"},
    {"theme", CV_CORE_MAP,
     "overrides of the layout's values, with the keys of a layout file"},
    {"photo", CV_CORE_PHOTO,
     "a photo placed by the layout beside the header: a JPEG or PNG file, "
     "relative to the CV"},
    {"languages", CV_CORE_LANGUAGES,
     "the languages the CV is written in, the default first: a text field "
     "may then be a mapping of these languages to text"},
    {"pdf", CV_CORE_PDF,
     "the kind of PDF written: standard: pdfa-2 for PDF/A-2 (archives and "
     "portals), none for plain PDF (the default, or as the layout says); "
     "render --pdfa and --no-pdfa win over it"},
    {"date", CV_CORE_DATE,
     "the day the CV is dated (2026-09-14): today for open-ended spans, a "
     "letter without a date and the footer's {date} (default: the day of "
     "SOURCE_DATE_EPOCH or the clock, which also date the PDF)"},
    {"sections", CV_CORE_SECTIONS, "the sections, in the order printed"},
    {NULL, 0, NULL}};
static const char *const section_keys[] = {"type", "title", "id", "lang", NULL};

/* Fields a plugin declares for `type`, NULL-safe. */
static const cvpdf_field *type_fields(const cvpdf_section_type *t) {
  static const cvpdf_field none[] = {{0}};
  return t && t->fields ? t->fields : none;
}

int cv_doc_day(const cvpdf_node *root, cv_diags *d, int64_t *out) {
  const cvpdf_node *n = cv_node_get(root, "date");
  if (!n)
    return 0;
  const char *s = cv_node_str(n);
  cv_date day;
  if (cv_date_parse_day(s, &day) == 0) {
    *out = (int64_t)cv_days_from_civil(day.year, day.month, day.day) * 86400;
    return 1;
  }
  if (!d)
    return -1;
  if (s)
    cv_diag_at(d, CV_SEV_ERROR, n,
               "'date' expected a date such as 2026-09-14, found '%s'", s);
  else
    cv_diag_at(d, CV_SEV_ERROR, n,
               "'date' expected a date such as 2026-09-14, found %s",
               cv_node_kind_name(n));
  return -1;
}

/* The top level: core keys plus the header plugin's fields. */
int cv_check_top(const cvpdf_node *root, const cv_plugins *ps, cv_diags *d) {
  const cvpdf_section_type *ht = NULL;
  cv_plugins_find(ps, "header", &ht);
  int before = (int)d->nerrors;
  const char *names[sizeof cv_core_keys / sizeof *cv_core_keys];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    names[i] = cv_core_keys[i].name;
  cv_schema_validate(root, type_fields(ht), names, "the CV", d);
  int64_t day;
  cv_doc_day(root, d, &day);
  const cvpdf_node *secs = cv_node_get(root, "sections");
  if (secs && secs->kind != CVPDF_NODE_SEQ)
    cv_diag_at(d, CV_SEV_ERROR, secs,
               "'sections' expected a list of sections, found %s",
               cv_node_kind_name(secs));
  return (int)d->nerrors - before;
}

/* Checks a section against the fields its plugin declares.  Returns the
 * plugin, or NULL after reporting every problem found. */
const cv_plugin *cv_check_section(const cv_plugins *ps, const cvpdf_node *sec,
                                  cv_diags *d) {
  if (!sec || sec->kind != CVPDF_NODE_MAP) {
    cv_diag_at(d, CV_SEV_ERROR, sec,
               "expected a section (a mapping with 'type:'), found %s",
               cv_node_kind_name(sec));
    return NULL;
  }
  const cvpdf_node *tn = cv_node_get(sec, "type");
  const char *type = cv_node_str(tn);
  if (!type) {
    cv_diag_at(d, CV_SEV_ERROR, sec,
               "section is missing required field 'type'");
    return NULL;
  }
  const cvpdf_section_type *st = NULL;
  const cv_plugin *pl = cv_plugins_find(ps, type, &st);
  if (!pl) {
    const char *near =
        cv_nearest(type, cv_plugins_type_names((cv_plugins *)ps));
    if (near)
      cv_diag_at(d, CV_SEV_ERROR, tn,
                 "unknown section type '%s'; did you mean '%s'?", type, near);
    else
      cv_diag_at(d, CV_SEV_ERROR, tn,
                 "unknown section type '%s' (no plugin handles it)", type);
    return NULL;
  }
  char what[96];
  /* A letter's own fields are its one section (document/letter.h). */
  snprintf(what, sizeof what, "%s%s",
           strcmp(type, "letter") ? type : "the letter",
           strcmp(type, "letter") ? " section" : "");
  int bad = cv_schema_validate(sec, type_fields(st), section_keys, what, d);
  /* The heading is printed from title: a list or a mapping would lose it,
   * and the section's entries would run on under the one before. */
  const cvpdf_node *title = cv_node_get(sec, "title");
  if (title && title->kind != CVPDF_NODE_SCALAR) {
    cv_diag_at(d, CV_SEV_ERROR, title,
               "'title' of a section expected text, found %s",
               title->kind == CVPDF_NODE_SEQ ? "a list" : "a mapping");
    bad++;
  }
  return bad > 0 ? NULL : pl;
}

/* `cvpdf check` after an error that stops the build: the sections are
 * still checked, so one run lists every problem. */
void cv_check_sections(const cv_plugins *ps, const cvpdf_node *root,
                       cv_diags *d) {
  const cvpdf_node *secs = cv_node_get(root, "sections");
  if (!secs || secs->kind != CVPDF_NODE_SEQ)
    return;
  for (size_t i = 0; i < cv_node_len(secs); i++)
    cv_check_section(ps, cv_node_at(secs, i), d);
}

/* Safe mode: a CV may name an installed layout, never a file.  A name with
 * a '/' or a leading '.' would reach outside the layout dirs, and one
 * ending in .yaml is taken as a path.  Returns 1 (reported) when refused. */
int cv_unsafe_layout(const cvpdf_node *n, cv_diags *d) {
  const char *name = cv_node_str(n);
  if (!name)
    return 0; /* absent, or not text: the theme reports the latter */
  size_t len = strlen(name);
  if (!strchr(name, '/') && name[0] != '.' &&
      !(len >= 5 && !strcmp(name + len - 5, ".yaml")))
    return 0;
  cv_diag_at(d, CV_SEV_ERROR, n,
             "expected the name of an installed layout, found the path '%s' "
             "(layout files are not read in safe mode)",
             name);
  return 1;
}

/* The scalar equal to `name` under theme (a family named in a style,
 * fallbacks or icons), or NULL.  Depth is bounded by the model's limits. */
const cvpdf_node *cv_find_scalar(const cvpdf_node *n, const char *name) {
  if (!n)
    return NULL;
  if (n->kind == CVPDF_NODE_SCALAR)
    return strcmp(n->str, name) ? NULL : n;
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *hit = cv_find_scalar(n->items[i], name);
    if (hit)
      return hit;
  }
  return NULL;
}

/* The PDF's title: the CV's title:, else made from the author's name (a
 * letter's from its subject). */
const char *cv_doc_title(const cvpdf_node *root, const char *author,
                         cv_arena *a, const char *input) {
  const char *title = cv_node_get_str(root, "title");
  const char *type =
      cv_node_get_str(cv_node_at(cv_node_get(root, "sections"), 0), "type");
  const char *subject = cv_node_get_str(root, "subject");
  if (!title && type && !strcmp(type, "letter") && subject)
    title = author ? cv_arena_printf(a, "%s – %s", author, subject) : subject;
  if (!title)
    title =
        author ? cv_arena_printf(a, "%s – Curriculum Vitae", author) : input;
  return title;
}

/* The document information fits the PDF's strings, or the field it comes
 * from is reported.  Returns the number of errors. */
int cv_check_info(cv_diags *d, const cvpdf_node *root, const cvpdf_builder *b,
                  cv_arena *a, const char *input) {
  const char *author = cv_builder_author(b);
  const cvpdf_node *author_at = cv_builder_author_at(b);
  const cvpdf_node *title_at = cv_node_get(root, "title");
  const struct {
    const char *what, *text;
    const cvpdf_node *at;
  } v[] = {
      {"a document title", cv_doc_title(root, author, a, input),
       title_at ? title_at : author_at},
      {"an author's name", author, author_at},
      {"a subject", cv_node_get_str(root, "subject"),
       cv_node_get(root, "subject")},
      {"keywords", cv_node_get_str(root, "keywords"),
       cv_node_get(root, "keywords")},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    size_t units = v[i].text ? cv_pdf_text_units(v[i].text) : 0;
    if (units <= CV_PDF_MAX_TEXT)
      continue;
    cv_diags_add(d, CV_SEV_ERROR, v[i].at ? v[i].at->file : root->file,
                 v[i].at ? v[i].at->line : 0, v[i].at ? v[i].at->col : 0,
                 "expected %s of at most %d characters (UTF-16 code "
                 "units: the most a PDF string holds), found %zu",
                 v[i].what, CV_PDF_MAX_TEXT, units);
    bad++;
  }
  return bad;
}

/* ---- phrases in another language (<span lang="de">) -------------------- */

typedef struct lang_at {
  const cvpdf_node *n;
  cv_diags *d;
} lang_at;

/* The column of byte off of a plain scalar on one line, the scalar's own
 * otherwise (quotes and folding move what follows). */
static void lang_report(void *ud, size_t off, int error, const char *msg) {
  const lang_at *a = ud;
  const cvpdf_node *n = a->n;
  int col = n->col;
  if (!n->quoted && off != (size_t)-1 && !memchr(n->str, '\n', n->len)) {
    size_t chars = 0;
    for (size_t i = 0; i < off && i < n->len; i++)
      chars += ((unsigned char)n->str[i] & 0xC0) != 0x80;
    col += (int)chars;
  }
  cv_diags_add(a->d, error ? CV_SEV_ERROR : CV_SEV_WARNING, n->file, n->line,
               col, "%s", msg);
}

int cv_check_text_langs(const cvpdf_node *n, cv_diags *d) {
  if (!n)
    return 0;
  if (n->kind == CVPDF_NODE_SCALAR) {
    lang_at a = {n, d};
    return n->str ? cv_markup_check_langs(n->str, n->len, lang_report, &a) : 0;
  }
  int errors = 0;
  for (size_t i = 0; i < n->n; i++)
    errors += cv_check_text_langs(n->items[i], d);
  return errors;
}

/* cvpdf - reading layout values: lengths, numbers, colours and the
 * other scalars of a layout file or a CV's theme: overrides, each checked
 * against what it may be and reported at its position. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cv_lr_err(cv_lr *r, const cvpdf_node *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diag_vat(r->diags, CV_SEV_ERROR, n, fmt, ap);
  r->errors++;
  va_end(ap);
}

void cv_lr_err_at(cv_lr *r, const cv_lr_where *w, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(r->diags, CV_SEV_ERROR, w->file, w->line, w->col, fmt, ap);
  r->errors++;
  va_end(ap);
}

void cv_lr_note(cv_lr *r, cv_lr_where *w, const cvpdf_node *n) {
  w->file = cv_arena_strdup(r->arena, n->file ? n->file : "");
  w->line = n->line;
  w->col = n->col;
}

const char *cv_lr_scalar(cv_lr *r, const cvpdf_node *n, const char *what) {
  const char *s = cv_node_str(n);
  if (!s)
    cv_lr_err(r, n, "%s: expected a scalar, found %s", what,
              cv_node_kind_name(n));
  return s;
}

/* The end of a decimal number at s (sign, digits, fraction), or NULL.
 * strtod alone would also take "nan", "inf", hex and exponents. */
const char *cv_lr_decimal_end(const char *s) {
  const char *p = s + (*s == '+' || *s == '-');
  const char *digits = p;
  while (*p >= '0' && *p <= '9')
    p++;
  int any = p > digits;
  if (*p == '.') {
    const char *frac = ++p;
    while (*p >= '0' && *p <= '9')
      p++;
    any |= p > frac;
  }
  return any ? p : NULL;
}

/* Points per unit of the unit at s (after spaces), or 0 when unknown. */
double cv_lr_unit_pt(const char *s) {
  while (*s == ' ')
    s++;
  if (!strcmp(s, "") || !strcmp(s, "pt"))
    return 1;
  if (!strcmp(s, "mm"))
    return 72.0 / 25.4;
  if (!strcmp(s, "cm"))
    return 72.0 / 2.54;
  if (!strcmp(s, "in"))
    return 72.0;
  return 0;
}

/* Lengths: a bare number is points; units pt, mm, cm, in.  Each length
 * has a cv_lr_range that keeps the page sensible: a value outside it would
 * print off the page, over other text or not at all. */
int cv_lr_length(cv_lr *r, const cvpdf_node *n, const char *what, double *out,
                 cv_lr_range rg) {
  const char *s = cv_lr_scalar(r, n, what);
  if (!s)
    return -1;
  const char *end = cv_lr_decimal_end(s);
  double k = end ? cv_lr_unit_pt(end) : 0;
  if (k == 0) {
    cv_lr_err(
        r, n,
        "%s: expected a length such as 10, 10pt, 5mm or 0.5in, found '%s'",
        what, s);
    return -1;
  }
  double v = strtod(s, NULL) * k;
  if (v < rg.min || v > rg.max) {
    char pt[48] = "";
    if (k != 1)
      snprintf(pt, sizeof pt, " (%g pt)", v);
    cv_lr_err(r, n, "%s: expected a length from %g to %g pt, found '%s'%s",
              what, rg.min, rg.max, s, pt);
    return -1;
  }
  *out = v;
  return 0;
}

/* A plain number of `unit`s in rg (tracking, in em). */
int cv_lr_number(cv_lr *r, const cvpdf_node *n, const char *what, double *out,
                 cv_lr_range rg, const char *unit) {
  const char *s = cv_lr_scalar(r, n, what);
  if (!s)
    return -1;
  const char *end = cv_lr_decimal_end(s);
  double v = end && !*end ? strtod(s, NULL) : rg.max + 1;
  if (v < rg.min || v > rg.max) {
    cv_lr_err(r, n, "%s: expected a number of %s from %g to %g, found '%s'",
              what, unit, rg.min, rg.max, s);
    return -1;
  }
  *out = v;
  return 0;
}

int cv_lr_bool(cv_lr *r, const cvpdf_node *n, const char *what, int *out) {
  int b = cv_node_bool(n);
  if (b < 0) {
    cv_lr_err(r, n, "%s: expected true or false, found %s", what,
              cv_node_str(n) ? cv_node_str(n) : cv_node_kind_name(n));
    return -1;
  }
  *out = b;
  return 0;
}

int cv_lr_color(cv_lr *r, const cvpdf_node *n, cv_color *out) {
  const char *s = cv_lr_scalar(r, n, "color");
  if (!s)
    return -1;
  unsigned v;
  char tail;
  if (s[0] != '#' || strlen(s) != 7 || sscanf(s + 1, "%6x%c", &v, &tail) != 1) {
    cv_lr_err(r, n, "expected a colour as #RRGGBB, found '%s'", s);
    return -1;
  }
  out->r = (float)((v >> 16) & 255) / 255.0f;
  out->g = (float)((v >> 8) & 255) / 255.0f;
  out->b = (float)(v & 255) / 255.0f;
  return 0;
}

int cv_lr_choice(cv_lr *r, const cvpdf_node *n, const char *what,
                 const char *const *names, const char *expected) {
  const char *s = cv_lr_scalar(r, n, what);
  if (!s)
    return -1;
  for (int i = 0; names[i]; i++)
    if (!strcmp(s, names[i]))
      return i;
  const char *near = cv_nearest(s, names);
  cv_lr_err(r, n, "%s: expected %s, found '%s'%s%s%s", what, expected, s,
            near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  return -1;
}

int cv_lr_align(cv_lr *r, const cvpdf_node *n, cv_align *out) {
  static const char *const names[] = {"justify", "left", "center", "right",
                                      NULL};
  int i = cv_lr_choice(r, n, "align", names, "justify, left, center or right");
  if (i < 0)
    return -1;
  *out = (cv_align)i;
  return 0;
}

/* Reports keys of map not in names; returns 0 when all are known. */
int cv_lr_known_keys(cv_lr *r, const cvpdf_node *map, const char *const *names,
                     const char *what) {
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(map); i++) {
    const cvpdf_node *k = cv_node_key_at(map, i);
    const char *key = cv_node_str(k);
    int ok = 0;
    for (size_t j = 0; names[j]; j++)
      if (!strcmp(key, names[j]))
        ok = 1;
    if (ok)
      continue;
    const char *near = cv_nearest(key, names);
    if (near)
      cv_lr_err(r, k, "unknown key '%s' in %s; did you mean '%s'?", key, what,
                near);
    else
      cv_lr_err(r, k, "unknown key '%s' in %s", key, what);
    bad = 1;
  }
  return bad ? -1 : 0;
}

int cv_lr_is_map(cv_lr *r, const cvpdf_node *n, const char *what) {
  if (n && n->kind == CVPDF_NODE_MAP)
    return 1;
  if (n)
    cv_lr_err(r, n, "%s: expected a mapping, found %s", what,
              cv_node_kind_name(n));
  return 0;
}

const char *cv_lr_dupstr(cv_lr *r, const cvpdf_node *n, const char *what) {
  const char *s = cv_lr_scalar(r, n, what);
  return s ? cv_arena_strdup(r->arena, s) : NULL;
}

/* bullet (a mark) or number (a format): one for every level, or a list
 * of them, level by level (deeper levels repeat the last), into out. */
static void read_marks(cv_lr *r, const cvpdf_node *v, const char *key,
                       const char **out) {
  int num = !strcmp(key, "number");
  size_t n = v->kind == CVPDF_NODE_SEQ ? v->n : 1;
  if (n == 0 || n > CV_BULLET_LEVELS) {
    cv_lr_err(r, v, "%s: expected %s or a list of 1 to %d %s, found %zu", key,
              num ? "a format" : "a mark", CV_BULLET_LEVELS,
              num ? "formats" : "marks", n);
    return;
  }
  const char *marks[CV_BULLET_LEVELS] = {NULL};
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *at = v->kind == CVPDF_NODE_SEQ ? v->items[i] : v;
    marks[i] = cv_lr_dupstr(r, at, key);
    if (!marks[i])
      return;
    if (num && !cv_number_format_ok(marks[i])) {
      cv_lr_err(r, at,
                "number: expected a format with one of %%d, %%a, %%A, %%i or "
                "%%I such as \"%%d.\" or \"%%a)\", found \"%s\"",
                marks[i]);
      return;
    }
  }
  for (size_t i = 0; i < CV_BULLET_LEVELS; i++)
    out[i] = marks[i];
}

void cv_lr_lists(cv_lr *r, const cvpdf_node *m) {
  static const cv_lr_range R_INDENT = {0, 36};
  static const char *const keys[] = {"indent", "bullet", "number", NULL};
  if (!cv_lr_is_map(r, m, "lists"))
    return;
  cv_lr_known_keys(r, m, keys, "lists");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "indent")))
    cv_lr_length(r, v, "indent", &r->t->list_indent, R_INDENT);
  if ((v = cv_node_get(m, "bullet")))
    read_marks(r, v, "bullet", r->t->bullets);
  if ((v = cv_node_get(m, "number")))
    read_marks(r, v, "number", r->t->numbers);
}

void cv_lr_pdf(cv_lr *r, const cvpdf_node *v) {
  static const char *const keys[] = {"standard", NULL};
  static const char *const standards[] = {"none", "pdfa-2", NULL};
  if (!cv_lr_is_map(r, v, "pdf"))
    return;
  cv_lr_known_keys(r, v, keys, "pdf");
  const cvpdf_node *at = cv_node_get(v, "standard");
  int i = at ? cv_lr_choice(r, at, "pdf: standard", standards,
                            "pdfa-2 (PDF/A-2, for archives and portals) or "
                            "none")
             : -1;
  if (i >= 0)
    r->t->pdfa = i;
}

int cv_theme_read_pdf(cv_theme *t, const cvpdf_node *pdf, cv_arena *arena,
                      cv_diags *diags) {
  cv_lr r = {.t = t, .arena = arena, .diags = diags};
  cv_lr_pdf(&r, pdf);
  return r.errors ? -1 : 0;
}

/* hyphenate_capitals: true, false, or last_resort (only where a paragraph
 * cannot be set within its tolerance otherwise). */
static void read_capitals(cv_lr *r, const cvpdf_node *v, int *out) {
  const char *s = cv_node_str(v);
  if (s && !strcmp(s, "last_resort")) {
    *out = CV_CAPITALS_LAST_RESORT;
    return;
  }
  if (cv_node_bool(v) < 0)
    cv_lr_err(r, v,
              "hyphenate_capitals: expected true, false or last_resort, "
              "found %s",
              s ? s : cv_node_kind_name(v));
  else
    *out = cv_node_bool(v);
}

/* breaking: TeX's finishing rules for paragraphs. */
void cv_lr_breaking(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"final_hyphen_demerits",
                                     "hyphen_run",
                                     "hyphenate_capitals",
                                     "ragged_shrink",
                                     "last_line_min",
                                     "emergency_stretch",
                                     "lone_tail",
                                     "letterspace",
                                     NULL};
  static const cv_lr_range R_DEMERITS = {0, 1e7}, R_RUN = {0, 99},
                           R_EM = {0, 20}, R_LETTER = {0, 0.1};
  if (!cv_lr_is_map(r, m, "breaking"))
    return;
  cv_lr_known_keys(r, m, keys, "breaking");
  cv_theme *t = r->t;
  const cvpdf_node *v;
  double d;
  const char *fhd = "final_hyphen_demerits";
  if ((v = cv_node_get(m, fhd)) &&
      cv_lr_number(r, v, fhd, &d, R_DEMERITS, "demerits") == 0)
    t->final_hyphen_demerits = (int)d;
  if ((v = cv_node_get(m, "hyphen_run")) &&
      cv_lr_number(r, v, "hyphen_run", &d, R_RUN, "lines") == 0)
    t->hyphen_run = (int)d;
  if ((v = cv_node_get(m, "hyphenate_capitals")))
    read_capitals(r, v, &t->hyphenate_capitals);
  if ((v = cv_node_get(m, "lone_tail")))
    cv_lr_bool(r, v, "lone_tail", &t->lone_tail);
  if ((v = cv_node_get(m, "ragged_shrink")))
    cv_lr_bool(r, v, "ragged_shrink", &t->ragged_shrink);
  if ((v = cv_node_get(m, "last_line_min")))
    cv_lr_number(r, v, "last_line_min", &t->last_line_min, R_EM, "em");
  if ((v = cv_node_get(m, "emergency_stretch")))
    cv_lr_number(r, v, "emergency_stretch", &t->emergency_stretch, R_EM, "em");
  if ((v = cv_node_get(m, "letterspace")))
    cv_lr_number(r, v, "letterspace", &t->letterspace, R_LETTER, "em");
}

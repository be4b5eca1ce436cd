/* cvpdf - reading layout values (internal to core/typeset: theme.c and
 * theme_read.c).  Every problem is an error at the value's position,
 * counted in the reader. */
#ifndef CV_THEME_READ_H
#define CV_THEME_READ_H

#include "typeset/theme.h"

/* Where a value was set.  Layout files are closed once read, so the
 * position is copied, for the checks that need the whole theme. */
typedef struct cv_lr_where {
  const char *file; /* NULL: a default, set nowhere */
  int line, col;
} cv_lr_where;

/* The values those checks involve. */
enum {
  W_TOP,
  W_BOTTOM,
  W_LEFT,
  W_RIGHT,
  W_COLUMN,
  W_LABEL,
  W_PAIR,
  W_ENTRY,
  W_N
};

typedef struct cv_lr {
  cv_theme *t;
  cv_arena *arena;
  cv_diags *diags;
  int errors;
  cv_inputs *inputs; /* layout files read are recorded here (may be NULL) */
  cv_lr_where at[W_N];
  /* What the plugins declare (NULL-terminated), to check names against;
   * NULL checks none. */
  const cvpdf_section_type *const *types;
  int letter; /* the document is a letter: a layout's letter: applies */
} cv_lr;

typedef struct cv_lr_range {
  double min, max;
} cv_lr_range;

/* Every error of a layout passes through these two: at a node through
 * cv_diag_at, at a noted position (the node is gone) through
 * cv_diags_vadd, which cv_diag_at ends in too. */
void cv_lr_err(cv_lr *r, const cvpdf_node *n, const char *fmt, ...)
    CV_PRINTF(3, 4);
/* An error at a position noted with cv_lr_note. */
void cv_lr_err_at(cv_lr *r, const cv_lr_where *w, const char *fmt, ...)
    CV_PRINTF(3, 4);
/* Copies n's position into w (the layout file's tree goes away). */
void cv_lr_note(cv_lr *r, cv_lr_where *w, const cvpdf_node *n);

/* The text of a scalar, or NULL after an error naming `what`. */
const char *cv_lr_scalar(cv_lr *r, const cvpdf_node *n, const char *what);
/* The same, copied into the reader's arena. */
const char *cv_lr_dupstr(cv_lr *r, const cvpdf_node *n, const char *what);
/* The end of a decimal number at s (sign, digits, fraction), or NULL. */
const char *cv_lr_decimal_end(const char *s);
/* Points per unit of the unit at s (pt, mm, cm, in; after spaces), or 0
 * when unknown. */
double cv_lr_unit_pt(const char *s);
/* A length in points (a bare number is points) within rg.  0, or -1
 * after an error; *out is left alone then. */
int cv_lr_length(cv_lr *r, const cvpdf_node *n, const char *what, double *out,
                 cv_lr_range rg);
/* A plain number of `unit`s (for the message) within rg. */
int cv_lr_number(cv_lr *r, const cvpdf_node *n, const char *what, double *out,
                 cv_lr_range rg, const char *unit);
int cv_lr_bool(cv_lr *r, const cvpdf_node *n, const char *what, int *out);
/* "#RRGGBB". */
int cv_lr_color(cv_lr *r, const cvpdf_node *n, cv_color *out);
int cv_lr_align(cv_lr *r, const cvpdf_node *n, cv_align *out);
/* The index of n's text in names (NULL-terminated), or -1 after an error
 * naming what, saying what was expected and the nearest name. */
int cv_lr_choice(cv_lr *r, const cvpdf_node *n, const char *what,
                 const char *const *names, const char *expected);
/* Reports keys of map not in names; returns 0 when all are known. */
int cv_lr_known_keys(cv_lr *r, const cvpdf_node *map, const char *const *names,
                     const char *what);
/* Whether n is a mapping; reports it when it is something else. */
int cv_lr_is_map(cv_lr *r, const cvpdf_node *n, const char *what);
/* places: {NAME: {top, left, width, height, inset_top, inset_left}}
 * into r->t->places (theme_places.c). */
void cv_lr_places(cv_lr *r, const cvpdf_node *v);
/* pdf: {standard: pdfa-2 | none} into r->t->pdfa. */
void cv_lr_pdf(cv_lr *r, const cvpdf_node *v);

/* lists: indent, bullet (a mark, or one per level) and number. */
void cv_lr_lists(cv_lr *r, const cvpdf_node *m);

/* theme_check.c: names checked against what reads them, each reported
 * at its node with the nearest known name.  They do nothing when r->types
 * is NULL.  Return 0, or -1 after an error. */
/* A style name (a key of styles:): cvpdf's own or one a plugin declares. */
int cv_lr_check_style(cv_lr *r, const cvpdf_node *key);
/* A key of sections:: the declaration of its section type, or NULL (with
 * *bad set after an error when no plugin handles it). */
const cvpdf_section_type *cv_lr_check_type(cv_lr *r, const cvpdf_node *key,
                                           int *bad);
/* An option of section type t (NULL: not checked) and its value. */
int cv_lr_check_option(cv_lr *r, const cvpdf_section_type *t,
                       const cvpdf_node *key, const cvpdf_node *val);
/* A word key of words: LANG:: one core or a plugin prints, or a {field}
 * of the footer or header read so far. */
int cv_lr_check_word(cv_lr *r, const cvpdf_node *key);

/* breaking: TeX's finishing rules for paragraphs, into r->t. */
void cv_lr_breaking(cv_lr *r, const cvpdf_node *m);

#endif

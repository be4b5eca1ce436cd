/* cvpdf - what the input converters share (convert.c: detection and
 * the helpers; convert_jsonresume.c, convert_rendercv.c: one format
 * each).  Internal to core/document: each converter includes this, never
 * another converter's file. */
#ifndef CV_CONVERT_INT_H
#define CV_CONVERT_INT_H

#include "document/convert.h"

typedef struct cv_conv {
  cv_arena *arena; /* the model's: every created node and string */
  cv_diags *diags;
  int errors; /* errors added; > 0 fails the conversion */
  int oom;
  int tex_math; /* $...$ in text is LaTeX math, printed as text (RenderCV) */
  /* Whether a font family is installed (fontconfig); NULL: not checked. */
  int (*font_ok)(const char *family);
} cv_conv;

/* Every conversion error passes through here (one breakpoint). */
void cv_conv_error(cv_conv *c, const cvpdf_node *at, const char *fmt, ...)
    CV_PRINTF(3, 4);
void cv_conv_warn(cv_conv *c, const cvpdf_node *at, const char *fmt, ...)
    CV_PRINTF(3, 4);

/* New nodes, positioned at `at` (may be NULL: position unknown).  NULL
 * only on out of memory, which is recorded in c. */
cvpdf_node *cv_conv_scalar(cv_conv *c, const cvpdf_node *at, const char *s);
/* The second name of the pair in map[0..n) whose first is key, or NULL:
 * the tables that rename one format's words as another's. */
const char *cv_conv_lookup(const char *const (*map)[2], size_t n,
                           const char *key);
cvpdf_node *cv_conv_map(cv_conv *c, const cvpdf_node *at);
cvpdf_node *cv_conv_seq(cv_conv *c, const cvpdf_node *at);
/* Appends to a sequence made by cv_conv_seq; NULL items are skipped. */
void cv_conv_push(cv_conv *c, cvpdf_node *seq, cvpdf_node *item);
/* Adds key: val to a mapping made by cv_conv_map, the key positioned at
 * `keyat` (or at val when NULL).  NULL values are skipped. */
void cv_conv_set(cv_conv *c, cvpdf_node *map, const char *key,
                 const cvpdf_node *keyat, cvpdf_node *val);

/* A missing key, an empty string (quoted or not) or YAML null (~, null). */
int cv_conv_is_null(const cvpdf_node *n);
/* The value of key, or NULL when absent or null. */
const cvpdf_node *cv_conv_get(const cvpdf_node *map, const char *key);
/* The key node of `key` in map (for positions), or NULL. */
const cvpdf_node *cv_conv_key(const cvpdf_node *map, const char *key);

/* Typed access: NULL when absent or null; an error at the value (naming
 * `what`, e.g. "JSON Resume field 'work'") when it has the wrong kind. */
const cvpdf_node *cv_conv_want_str(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format);
const cvpdf_node *cv_conv_want_seq(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format);
const cvpdf_node *cv_conv_want_map(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format);

/* s with inline-markup characters escaped, so plain text prints as
 * written.  In the arena; NULL on out of memory. */
char *cv_conv_escape(cv_conv *c, const char *s);
/* A copy of a string node as plain (escaped) text, at its position. */
cvpdf_node *cv_conv_text(cv_conv *c, const cvpdf_node *src);
/* A list of plain-text copies of a sequence of strings, with an error at
 * each item that is not a string. */
cvpdf_node *cv_conv_text_list(cv_conv *c, const cvpdf_node *seq,
                              const char *what);

/* The converters: build the native root from the source root. */
cvpdf_node *cv_convert_jsonresume(cv_conv *c, const cvpdf_node *root);
cvpdf_node *cv_convert_rendercv(cv_conv *c, const cvpdf_node *root);
/* RenderCV's design (convert_rcvdesign.c): what has a counterpart into
 * the theme overrides th, a warning at every other key. */
void cv_rcv_design(cv_conv *c, const cvpdf_node *design, cvpdf_node *th);
/* The cvpdf layout nearest to a RenderCV theme, or NULL for none. */
const char *cv_rcv_layout_for(const char *theme);
/* RenderCV's date options (convert_rcvdates.c): whether the design key
 * at a dotted path is one cv_rcv_dates reads, and the theme overrides
 * they make in th (design may be NULL: RenderCV's defaults). */
int cv_rcv_date_key(const char *path);
void cv_rcv_dates(cv_conv *c, const cvpdf_node *design, cvpdf_node *th);
/* The FontAwesome 4.7 code point drawing the same picture as a
 * FontAwesome 6 icon name (RenderCV's custom_connections), or 0. */
uint32_t cv_rcv_fa_icon(const char *name);
/* icons (kind: "f19d", made by the RenderCV converter) into the theme
 * overrides' contact: icons. */
void cv_rcv_icons(cv_conv *c, cvpdf_node *th, const cvpdf_node *icons);
/* RenderCV's settings (convert_rcvsettings.c), applied to the converted
 * root: bold_keywords in the sections' text, a warning at every key with
 * no counterpart. */
void cv_rcv_settings(cv_conv *c, const cvpdf_node *src, cvpdf_node *root);

#endif

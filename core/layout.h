/* cvpdf - the builder behind the plugin API: blocks (paragraphs, rows,
 * lists, pairs, labels, headings) typeset into a vertical list of lines,
 * cut into pages and placed into the display list. */
#ifndef CV_LAYOUT_H
#define CV_LAYOUT_H

#include "display.h"
#include "linebreak.h"
#include "pagebuild.h"
#include "theme.h"

/* The const service table plugins receive. */
const cvpdf_host *cv_host_table(void);

/* Creates a builder for one document.  Borrows theme, shaper, arena and
 * diags for its lifetime. lang: the CV's language. */
cvpdf_builder *cv_builder_create(const cv_theme *theme, cv_shaper *sh,
                                 cv_arena *arena, cv_diags *diags,
                                 const char *lang);
void cv_builder_destroy(cvpdf_builder *b);

/* Closes any open contact line, entry or list (end of a section). */
void cv_builder_end_section(cvpdf_builder *b);
/* Sets the plugin type being built (for layout options). */
void cv_builder_set_type(cvpdf_builder *b, const char *type);
/* Non-zero once an error was reported through the builder. */
int cv_builder_failed(const cvpdf_builder *b);
const char *cv_builder_author(const cvpdf_builder *b);
/* Sets the document date printed by a footer's or header's {date}
 * (seconds since 1970, UTC); the pipeline passes the PDF's date.  Until
 * set, it is the time the builder was created. */
void cv_builder_set_date(cvpdf_builder *b, int64_t date);
/* Safe mode: files the CV names (BibTeX) must lie in the CV's directory. */
void cv_builder_set_safe(cvpdf_builder *b, int safe);

/* Breaks the vertical list into pages and fills out (one page at least),
 * adding footers.  Returns 0 or -1 with st. */
int cv_builder_paginate(cvpdf_builder *b, cv_docout *out, cv_status *st);

/* Statistics of the typesetting, for timing output. */
typedef struct cv_layout_stats {
  size_t paragraphs, lines, hyphenated, passes[5], overfull;
  double t_shape, t_break; /* seconds */
} cv_layout_stats;
const cv_layout_stats *cv_builder_stats(const cvpdf_builder *b);

#endif

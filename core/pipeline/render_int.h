/* cvpdf - what the pipeline's files share (render.c runs the stages,
 * checks.c checks the CV as a whole, outputs.c delivers the results).
 * Not for other rooms. */
#ifndef CV_RENDER_INT_H
#define CV_RENDER_INT_H

#include <time.h>

#include "base/files.h"
#include "pipeline/plugin_host.h"
#include "typeset/layout.h"
#include "pipeline/render.h"

static inline double cv_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- render.c: one document of a bundle ---- */

typedef struct render_ctx cv_part;

/* Where a bundle's part goes. */
typedef struct cv_part_place {
  cv_pdf *pdf;       /* the bundle's writer (borrowed); NULL: count only */
  size_t page_base;  /* pages written before this part */
  uint32_t tag_base; /* structure elements before this part's */
  size_t max_pages;  /* the most pages this part may still have */
  int first;         /* the first part (which checks the output early) */
} cv_part_place;

/* Loads, checks and builds document o->input, its pages going to
 * at->pdf (which numbers its outline and tags as a part's).  Returns the
 * part, or NULL after reporting why (it is then freed). */
cv_part *cv_part_build(const cv_render_opts *o, const cv_part_place *at,
                       cv_diags *d, cv_render_stats *stats);
/* Delivers the part's last pages: 0 with *pages set, or -1. */
int cv_part_flush(cv_part *p, size_t *pages);
/* Whether the part's page numbers run on from the part before it (its
 * layout's page_numbers:, unless o->page_numbers says otherwise). */
int cv_part_continues(const cv_part *p);
/* The part's running headers and footers, its first page numbered first,
 * {pages} being total; then its document information.  0, or -1. */
int cv_part_finish(cv_part *p, size_t first, size_t total);
const cv_docinfo *cv_part_info(const cv_part *p);
/* Whether the part is written as PDF/A (--pdfa, or its files' pdf:). */
int cv_part_pdfa(const cv_part *p);
/* The part's pages, kept when o->trace is set. */
const cv_docout *cv_part_pages(const cv_part *p);
const cv_structure *cv_part_structure(const cv_part *p);
const cv_inputs *cv_part_inputs(const cv_part *p);
void cv_part_free(cv_part *p); /* NULL is accepted */

/* ---- bundle.c ---- */

/* Renders the documents of o->bundle into one PDF at o->output (stats
 * not NULL: cv_render's). */
int cv_render_bundle(const cv_render_opts *o, cv_diags *d,
                     cv_render_stats *stats);
/* The same, the PDF titled title (NULL: the first part's title), never
 * written over a file of more (NULL: none) either. */
int cv_render_bundle_of(const cv_render_opts *o, const char *title,
                        const cv_inputs *more, cv_diags *d,
                        cv_render_stats *stats);

/* ---- application.c ---- */

/* Renders (or checks) application file m (a mapping with bundle:), read
 * as o->input, as the bundle it names. */
int cv_render_application(const cv_render_opts *o, const cv_model *m,
                          cv_diags *d, cv_render_stats *stats);

/* ---- checks.c ---- */

/* The day the CV is dated, its date: (2026-09-14), as seconds since the
 * epoch at 00:00 UTC in *out.  Returns 1 when set, 0 when absent, -1 after
 * reporting a value that is not such a date (d NULL: -1 only). */
int cv_doc_day(const cvpdf_node *root, cv_diags *d, int64_t *out);
/* The top level against core's keys and the header plugin's fields.
 * Returns the number of errors reported. */
int cv_check_top(const cvpdf_node *root, const cv_plugins *ps, cv_diags *d);
/* A section against the fields its plugin declares: the plugin, or NULL
 * after reporting every problem found. */
const cv_plugin *cv_check_section(const cv_plugins *ps, const cvpdf_node *sec,
                                  cv_diags *d);
/* Every section, for `check` after an error that stopped the build. */
void cv_check_sections(const cv_plugins *ps, const cvpdf_node *root,
                       cv_diags *d);
/* Safe mode: a layout named by path (n is the CV's `layout:`).  Returns 1
 * after reporting it, else 0. */
int cv_unsafe_layout(const cvpdf_node *n, cv_diags *d);
/* Reports at its line:column each phrase the text under n marks as in
 * another language whose tag is wrong (an error), or a <span> without a
 * language, left open or closing none (a warning).  Returns the errors. */
int cv_check_text_langs(const cvpdf_node *n, cv_diags *d);
/* The scalar under n whose text is name, or NULL. */
const cvpdf_node *cv_find_scalar(const cvpdf_node *n, const char *name);
/* The PDF's title: the CV's title:, else made from the author's name,
 * else the input's name. */
const char *cv_doc_title(const cvpdf_node *root, const char *author,
                         cv_arena *a, const char *input);
/* The document information against the PDF's string limits, each at the
 * field it comes from.  Returns the number of errors. */
int cv_check_info(cv_diags *d, const cvpdf_node *root, const cvpdf_builder *b,
                  cv_arena *a, const char *input);

/* ---- outputs.c ---- */

/* Where the builder's pages go: the PDF writer (while the page limit
 * holds) and, for a trace, a copy of the whole document. */
typedef struct page_tee {
  cv_pdf *pdf;    /* NULL: pages are only counted (-o /dev/null) */
  cv_docout *doc; /* NULL unless a trace was asked for */
  size_t max_pages;
  size_t pages;
  size_t base; /* pages of the PDF before these (a bundle's earlier parts) */
  double t;    /* seconds spent writing */
  cv_diags *diags;
  const char *file;
} page_tee;

/* The sink the builder delivers pages to, feeding tee. */
cv_pagesink cv_tee_sink(page_tee *tee);
/* Before any work: the outputs may not replace a file read so far nor
 * anything but a regular file.  Returns 0, or -1 after reporting. */
int cv_check_outputs(const char *pdf, const char *trace,
                     const cv_inputs *inputs, cv_diags *d);
/* The finished trace and PDF: to the outlet of a sandboxed render, else
 * written atomically.  Return 0, or -1 after reporting. */
int cv_put_trace(const cv_render_opts *o, const cv_docout *doc,
                 const cv_inputs *inputs, cv_diags *d);
int cv_put_pdf(const cv_render_opts *o, cv_pdf *pdf, const cv_docinfo *info,
               const char *out, const cv_inputs *inputs, cv_diags *d,
               size_t *bytes);

#endif

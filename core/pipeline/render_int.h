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

/* ---- checks.c ---- */

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
  double t; /* seconds spent writing */
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

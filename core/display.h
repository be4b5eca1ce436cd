/* cvpdf - the display list: what layout placed on each page, in PDF user
 * space (points, origin bottom left, y up).  Backends (PDF, trace) read it. */
#ifndef CV_DISPLAY_H
#define CV_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "nodes.h"
#include "util.h"

typedef enum cv_dl_kind {
  CV_DL_TEXT = 0, /* run with its baseline origin at (x, y) */
  CV_DL_RECT = 1, /* filled rectangle (x, y) bottom-left, w x h; rules */
  CV_DL_LINK = 2, /* URI link area (x, y, w, h) */
  CV_DL_MARK = 3  /* outline entry `title` at level (1 = section) at y */
} cv_dl_kind;

typedef struct cv_dl_item {
  uint8_t kind;
  double x, y, w, h;
  cv_run *run;       /* TEXT */
  cv_color color;    /* RECT */
  const char *uri;   /* LINK */
  const char *title; /* MARK */
  int level;         /* MARK */
} cv_dl_item;

typedef struct cv_page {
  double width, height;
  cv_dl_item *items;
  size_t n, cap;
} cv_page;

typedef struct cv_docout {
  cv_page *pages;
  size_t npages, cap;
  /* Document information (UTF-8; NULL when absent). */
  const char *title, *author, *subject, *keywords, *creator, *lang;
  int64_t date; /* seconds since the epoch: SOURCE_DATE_EPOCH or now */
} cv_docout;

void cv_docout_init(cv_docout *d);
void cv_docout_fini(cv_docout *d); /* frees pages and item arrays only */
cv_page *cv_docout_add_page(cv_docout *d, double width, double height);
cv_dl_item *cv_page_add(cv_page *p); /* zeroed; NULL on out of memory */

/* Backends.  Both return 0, or -1 with st set. */
/* Writes the PDF to path (the caller renames it into place). */
int cv_pdf_write(const cv_docout *d, const char *path, cv_status *st);
/* Plain-text trace of every placed item, one per line, for golden tests:
 *   page 1 595.28x841.89
 *   text 72.00 700.50 LinuxLibertineO-Bold 10.00 #000000 "Harry Dong" gids=...
 * Numbers with 2 decimals, locale independent. */
int cv_trace_write(const cv_docout *d, cv_buf *out, cv_status *st);

#endif

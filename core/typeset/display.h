/* cvpdf - the display list: what layout placed on each page, in PDF user
 * space (points, origin bottom left, y up).  Backends (PDF, trace) read it. */
#ifndef CV_DISPLAY_H
#define CV_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "text/nodes.h"
#include "base/util.h"

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

/* Document information (UTF-8; NULL when absent). */
typedef struct cv_docinfo {
  const char *title, *author, *subject, *keywords, *creator, *lang;
  int64_t date; /* seconds since the epoch: SOURCE_DATE_EPOCH or now */
} cv_docinfo;

/* A whole document held in memory: what the trace and the tests read. */
typedef struct cv_docout {
  cv_page *pages;
  size_t npages, cap;
  cv_docinfo info;
} cv_docout;

void cv_docout_init(cv_docout *d);
void cv_docout_fini(cv_docout *d); /* frees pages and item arrays only */
cv_page *cv_docout_add_page(cv_docout *d, double width, double height);
cv_dl_item *cv_page_add(cv_page *p); /* zeroed; NULL on out of memory */

/* Where layout delivers pages as it completes them, so a long document is
 * never held whole.  page() gets the body of each page in order; its
 * items and the runs they point to are valid only during the call.  Once
 * the number of pages is known, margin() gets the running header and
 * footer of page `index` (from 0), again valid only during the call.
 * Both return 0, or -1 with st set. */
typedef struct cv_pagesink {
  void *ud;
  int (*page)(void *ud, const cv_page *pg, cv_status *st);
  int (*margin)(void *ud, size_t index, const cv_page *items, cv_status *st);
} cv_pagesink;

/* A sink that keeps a copy of every page in d, margin items appended to
 * their page.  The copies point to the layout's runs: the layout must be
 * told to keep them (cv_builder_keep_pages) for d to stay readable. */
cv_pagesink cv_docout_sink(cv_docout *d);

/* ---- backends ------------------------------------------------------ */

/* The PDF writer, fed page by page: page content is compressed as it
 * arrives and glyph runs are not kept, so memory grows with the number of
 * pages only by their compressed content.  Fonts are subset at the end. */
typedef struct cv_pdf cv_pdf;
cv_pdf *cv_pdf_new(cv_status *st);
void cv_pdf_free(cv_pdf *w); /* NULL is accepted */
int cv_pdf_page(cv_pdf *w, const cv_page *pg, cv_status *st);
int cv_pdf_margin(cv_pdf *w, size_t index, const cv_page *items,
                  cv_status *st);
/* Subsets and embeds the fonts and writes the file (the caller renames it
 * into place).  Returns 0, or -1 with st set. */
int cv_pdf_save(cv_pdf *w, const cv_docinfo *info, const char *path,
                cv_status *st);
/* The same, appending the file's bytes to out instead of writing a file
 * (a sandboxed render's child, which opens no file for writing). */
int cv_pdf_save_buffer(cv_pdf *w, const cv_docinfo *info, cv_buf *out,
                       cv_status *st);
/* A document made elsewhere (by a sandboxed render's child): cv_pdf_save
 * writes the len bytes of data (borrowed until then) as they are and
 * ignores its info.  NULL (st set) when out of memory. */
cv_pdf *cv_pdf_made(const void *data, size_t len, cv_status *st);
cv_pagesink cv_pdf_sink(cv_pdf *w);

/* The whole of d at once.  Returns 0, or -1 with st set. */
int cv_pdf_write(const cv_docout *d, const char *path, cv_status *st);
/* Plain-text trace of every placed item, one per line, for golden tests:
 *   page 1 595.28x841.89
 *   text 72.00 700.50 LinuxLibertineO-Bold 10.00 #000000 "Harry Dong" gids=...
 * Numbers with 2 decimals, locale independent. */
int cv_trace_write(const cv_docout *d, cv_buf *out, cv_status *st);

#endif

/* cvpdf - the PDF writer: display lists in, a PDF file out (libharu
 * objects, fonts subset with hb-subset, ToUnicode maps). */
#ifndef CV_PDF_H
#define CV_PDF_H

#include "typeset/display.h"

/* The PDF writer, fed page by page: page content is compressed as it
 * arrives and glyph runs are not kept, so memory grows with the number of
 * pages only by their compressed content.  Fonts are subset at the end. */
typedef struct cv_pdf cv_pdf;
cv_pdf *cv_pdf_new(cv_status *st);
void cv_pdf_free(cv_pdf *w); /* NULL is accepted */
int cv_pdf_page(cv_pdf *w, const cv_page *pg, cv_status *st);
int cv_pdf_margin(cv_pdf *w, size_t index, const cv_page *items, cv_status *st);
/* Bundles: several documents in one PDF.  Called before the first page
 * of each document: that page starts a part, which gets an outline entry
 * of its own titled title (copied), the document's outline entries
 * nesting under it; its structure element numbers (cv_dl_item.tag) count
 * from tag_base + 1 in the structure the PDF is saved with; and when
 * restart is set, its page labels start again at 1 (else they run on).
 * Returns 0, or -1 with st set. */
int cv_pdf_part(cv_pdf *w, const char *title, uint32_t tag_base, int restart,
                cv_status *st);
/* Subsets and embeds the fonts and writes the PDF to path through the
 * atomic-file module (base/atomic.h).  Returns 0, or -1 with st set. */
int cv_pdf_save(cv_pdf *w, const cv_docinfo *info, const char *path,
                cv_status *st);
/* Same, writing the PDF to fd (from its current offset; the caller syncs
 * and closes it). */
int cv_pdf_save_fd(cv_pdf *w, const cv_docinfo *info, int fd, cv_status *st);
/* The same, appending the file's bytes to out instead of writing a file
 * (a sandboxed render's child, which opens no file for writing). */
int cv_pdf_save_buffer(cv_pdf *w, const cv_docinfo *info, cv_buf *out,
                       cv_status *st);
/* A document made elsewhere (by a sandboxed render's child): saving it
 * writes the len bytes of data (borrowed until then) as they are and
 * ignores its info.  NULL (st set) when out of memory. */
cv_pdf *cv_pdf_made(const void *data, size_t len, cv_status *st);
cv_pagesink cv_pdf_sink(cv_pdf *w);

/* A preview (cvpdf serve): page streams and object streams are stored,
 * not compressed, which makes saving several times faster.  It holds the same
 * pages, fonts and structure as the file saved without preview.  Call before
 * the first page. */
void cv_pdf_set_preview(cv_pdf *w, int preview);
/* For benchmarks only (bench/run.py --untagged): pages without marked
 * content, for a document saved without a structure tree, to measure
 * what tagging costs.  Call before the first page. */
void cv_pdf_set_untagged(cv_pdf *w, int untagged);
/* Whether data (len bytes, borrowed) holds a PNG or JPEG image the PDF
 * can embed (libharu's loaders read it): 0 with img's data, len, format
 * and size in pixels set, or -1 with why (cap bytes) saying what the data
 * is instead, as a phrase for "found ...". */
int cv_image_probe(const unsigned char *data, size_t len, cv_image *img,
                   char *why, size_t cap);

/* The whole of d at once.  Returns 0, or -1 with st set. */
int cv_pdf_write(const cv_docout *d, const char *path, cv_status *st);

#endif

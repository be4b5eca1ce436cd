/* cvpdf - PNG pages: the PDF cvpdf wrote, rasterised by poppler with
 * cairo, so a picture shows exactly what the PDF holds. */
#ifndef CV_RASTER_H
#define CV_RASTER_H

#include <stddef.h>

#include "base/util.h"

/* Resolutions the PNG writers accept, in dots per inch. */
#define CV_PNG_MIN_DPI 18
#define CV_PNG_MAX_DPI 600
#define CV_PNG_DEFAULT_DPI 150

/* A PDF opened for rasterising.  One raster is not safe to use from two
 * threads at once; separate rasters are. */
typedef struct cv_raster cv_raster;

/* Opens the PDF in pdf (len bytes, copied).  NULL with st set when poppler
 * cannot read it. */
cv_raster *cv_raster_open(const void *pdf, size_t len, cv_status *st);
/* Same for a file. */
cv_raster *cv_raster_open_file(const char *path, cv_status *st);
void cv_raster_destroy(cv_raster *r);

size_t cv_raster_pages(const cv_raster *r);
/* Page i's size in points (1/72 inch); 0 for a page that does not exist. */
void cv_raster_page_size(const cv_raster *r, size_t i, double *w, double *h);
/* Appends page i (0-based) as a PNG at dpi to png; fast trades size for
 * speed (a preview), else the file is small (for keeps).  Returns 0, or -1
 * with st set (no such page, a page too large at this resolution, no
 * memory). */
int cv_raster_png(cv_raster *r, size_t i, double dpi, int fast, cv_buf *png,
                  cv_status *st);

/* The name of page i (0-based) of n for the PNG output `out`: out itself
 * for a one-page document, else out with -N (N padded to the width of n)
 * before its .png ending.  Free with free(). */
char *cv_png_page_name(const char *out, size_t i, size_t n);

/* Writes every page of the PDF at pdf_path as a PNG at dpi, named by
 * cv_png_page_name(out, ...), each atomically (a temporary file renamed
 * into place).  `input` (may be NULL) is never written over, nor is any
 * existing file that is not a regular file.  Returns the number of pages
 * written, or -1 with st set. */
long cv_png_write_pages(const char *pdf_path, const char *out, double dpi,
                        const char *input, cv_status *st);

#endif

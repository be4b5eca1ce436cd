/* cvpdf - PNG pages, rasterised from the PDF by poppler with cairo. */
#define _POSIX_C_SOURCE 200809L
#include "output/raster.h"
#include "base/atomic.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <png.h>
#include <poppler.h>

/* Pixels on one side and in all of a page: cairo refuses sides over 32767,
 * and a bound on the area bounds the memory one page takes (4 bytes a
 * pixel). */
#define MAX_SIDE 30000
#define MAX_AREA (200.0 * 1000 * 1000)

struct cv_raster {
  GBytes *bytes;
  PopplerDocument *doc;
  size_t npages;
};

static cv_raster *finish_open(cv_raster *r, GError *err, cv_status *st) {
  if (!r->doc) {
    cv_status_set(st, "cannot read the PDF: %s",
                  err ? err->message : "unknown error");
    if (err)
      g_error_free(err);
    cv_raster_destroy(r);
    return NULL;
  }
  int n = poppler_document_get_n_pages(r->doc);
  r->npages = n > 0 ? (size_t)n : 0;
  return r;
}

cv_raster *cv_raster_open(const void *pdf, size_t len, cv_status *st) {
  cv_raster *r = calloc(1, sizeof *r);
  if (!r) {
    cv_status_set(st, "out of memory");
    return NULL;
  }
  GError *err = NULL;
  r->bytes = g_bytes_new(pdf, len);
  r->doc = poppler_document_new_from_bytes(r->bytes, NULL, &err);
  return finish_open(r, err, st);
}

cv_raster *cv_raster_open_file(const char *path, cv_status *st) {
  gchar *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &data, &len, &err)) {
    cv_status_set(st, "cannot read %s: %s", path, err->message);
    g_error_free(err);
    return NULL;
  }
  cv_raster *r = cv_raster_open(data, len, st);
  g_free(data);
  return r;
}

void cv_raster_destroy(cv_raster *r) {
  if (!r)
    return;
  if (r->doc)
    g_object_unref(r->doc);
  if (r->bytes)
    g_bytes_unref(r->bytes);
  free(r);
}

size_t cv_raster_pages(const cv_raster *r) {
  return r ? r->npages : 0;
}

void cv_raster_page_size(const cv_raster *r, size_t i, double *w, double *h) {
  *w = *h = 0;
  if (!r || i >= r->npages)
    return;
  PopplerPage *p = poppler_document_get_page(r->doc, (int)i);
  if (p) {
    poppler_page_get_size(p, w, h);
    g_object_unref(p);
  }
}

static void put_png(png_structp p, png_bytep data, size_t len) {
  cv_buf_put(png_get_io_ptr(p), data, len);
}

static void flush_png(png_structp p) {
  (void)p;
}

/* Encodes an RGB24 surface.  cairo's own writer takes zlib's default level
 * and every row filter, several times slower than level 1 without filters
 * on a page of text: a live preview wants the latter, a file the former. */
static int encode(cairo_surface_t *s, int fast, cv_buf *out) {
  png_structp p =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = p ? png_create_info_struct(p) : NULL;
  if (!info || setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    return -1;
  }
  int w = cairo_image_surface_get_width(s);
  int h = cairo_image_surface_get_height(s);
  int stride = cairo_image_surface_get_stride(s);
  const unsigned char *data = cairo_image_surface_get_data(s);
  png_set_write_fn(p, out, put_png, flush_png);
  png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(p, fast ? 1 : 6);
  png_set_filter(p, 0, fast ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
  png_write_info(p, info);
  /* An RGB24 pixel is a native-endian 32-bit 0x00RRGGBB. */
  const uint32_t probe = 1;
  int little = *(const unsigned char *)&probe == 1;
  png_set_filler(p, 0, little ? PNG_FILLER_AFTER : PNG_FILLER_BEFORE);
  if (little)
    png_set_bgr(p);
  for (int y = 0; y < h; y++)
    png_write_row(p, data + (size_t)y * (size_t)stride);
  png_write_end(p, info);
  png_destroy_write_struct(&p, &info);
  return out->failed ? -1 : 0;
}

/* Draws page p on white at dpi into a new surface; NULL when cairo fails. */
static cairo_surface_t *draw_page(PopplerPage *p, double dpi, int w, int h) {
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return NULL;
  }
  cairo_t *cr = cairo_create(s);
  /* poppler draws only what the page holds: the paper is ours to paint. */
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, dpi / 72.0, dpi / 72.0);
  poppler_page_render(p, cr);
  cairo_status_t cs = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  if (cs != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return NULL;
  }
  return s;
}

int cv_raster_png(cv_raster *r, size_t i, double dpi, int fast, cv_buf *png,
                  cv_status *st) {
  if (i >= r->npages) {
    cv_status_set(st, "expected a page number from 1 to %zu, found %zu",
                  r->npages, i + 1);
    return -1;
  }
  PopplerPage *p = poppler_document_get_page(r->doc, (int)i);
  if (!p) {
    cv_status_set(st, "cannot read page %zu of the PDF", i + 1);
    return -1;
  }
  double pw, ph;
  poppler_page_get_size(p, &pw, &ph);
  double w = ceil(pw * dpi / 72.0), h = ceil(ph * dpi / 72.0);
  if (!(w >= 1 && h >= 1 && w <= MAX_SIDE && h <= MAX_SIDE &&
        w * h <= MAX_AREA)) {
    g_object_unref(p);
    cv_status_set(st,
                  "page %zu is too large at %g dpi (%.0f x %.0f pixels); "
                  "choose a lower resolution",
                  i + 1, dpi, w, h);
    return -1;
  }
  cairo_surface_t *s = draw_page(p, dpi, (int)w, (int)h);
  g_object_unref(p);
  int rc = s ? encode(s, fast, png) : -1;
  cairo_surface_destroy(s);
  if (rc < 0)
    cv_status_set(st, "cannot draw page %zu: out of memory", i + 1);
  return rc;
}

/* Whether writing to path would replace the input or something that is
 * not a regular file; says which in st. */
static int refused_target(const char *path, const struct stat *in,
                          cv_status *st) {
  struct stat sb;
  if (stat(path, &sb) < 0)
    return 0;
  if (!S_ISREG(sb.st_mode)) {
    cv_status_set(st, "cannot write %s: it exists and is not a regular file",
                  path);
    return 1;
  }
  if (in && sb.st_dev == in->st_dev && sb.st_ino == in->st_ino) {
    cv_status_set(st, "cannot write %s: it is the input", path);
    return 1;
  }
  return 0;
}

static int write_page(cv_raster *r, size_t i, const char *out, double dpi,
                      const struct stat *in, cv_buf *png, cv_status *st) {
  char *name = cv_png_page_name(out, i, r->npages);
  if (!name) {
    cv_status_set(st, "out of memory");
    return -1;
  }
  cv_buf_reset(png);
  int rc = refused_target(name, in, st) ? -1 : 0;
  if (rc == 0)
    rc = cv_raster_png(r, i, dpi, 0, png, st);
  if (rc == 0)
    rc = cv_atomic_write(name, 0, NULL, "a PNG page", png->data, png->len, st);
  free(name);
  return rc;
}

long cv_png_write_pages(const char *pdf_path, const char *out, double dpi,
                        const char *input, cv_status *st) {
  struct stat in;
  int have_in = input && stat(input, &in) == 0;
  cv_raster *r = cv_raster_open_file(pdf_path, st);
  if (!r)
    return -1;
  cv_buf png;
  cv_buf_init(&png);
  long rc = (long)r->npages;
  for (size_t i = 0; i < r->npages && rc >= 0; i++)
    if (write_page(r, i, out, dpi, have_in ? &in : NULL, &png, st) < 0)
      rc = -1;
  cv_buf_fini(&png);
  cv_raster_destroy(r);
  return rc;
}

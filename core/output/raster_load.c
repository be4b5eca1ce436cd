/* cvpdf - PNG pages through the rasteriser module.
 *
 * output/raster.c, with poppler-glib, cairo and the thirty-odd libraries
 * they need, is built as a module of its own (cvpdf-raster.so) and loaded
 * by the first call that rasterises: linked in, every process would map
 * and relocate them, though only --png and serve draw pages.  These are
 * raster.h's functions, each passing the call on to the module's. */
#define _POSIX_C_SOURCE 200809L
#include "output/raster.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct raster_api {
  cv_raster *(*open)(const void *pdf, size_t len, cv_status *st);
  cv_raster *(*open_file)(const char *path, cv_status *st);
  void (*destroy)(cv_raster *r);
  size_t (*pages)(const cv_raster *r);
  void (*page_size)(const cv_raster *r, size_t i, double *w, double *h);
  int (*png)(cv_raster *r, size_t i, double dpi, int fast, cv_buf *png,
             cv_status *st);
  long (*write_pages)(const char *pdf_path, const char *out, double dpi,
                      const char *input, cv_status *st);
} raster_api;

/* Loading runs once, the first time any thread needs the module
 * (pthread_once); after it these are only read.  The module stays loaded
 * until the process ends. */
static pthread_once_t raster_once = PTHREAD_ONCE_INIT;
static raster_api ra;
static char raster_failure[PATH_MAX + 256];

/* The module beside the binary the build made (or a test program of the
 * build), else the installed one. */
static void module_path(char *buf, size_t cap) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  const char *root = CVPDF_BUILD_ROOT "/";
  if (n > 0) {
    exe[n] = '\0';
    snprintf(buf, cap, "%s/core/cvpdf-raster.so", CVPDF_BUILD_ROOT);
    if (!strncmp(exe, root, strlen(root)) && access(buf, R_OK) == 0)
      return;
  }
  snprintf(buf, cap, "%s", CVPDF_RASTER_MODULE);
}

static void raster_load(void) {
  char path[PATH_MAX];
  module_path(path, sizeof path);
  const cv_dl_sym syms[] = {
      {"cv_raster_open", (void **)&ra.open},
      {"cv_raster_open_file", (void **)&ra.open_file},
      {"cv_raster_destroy", (void **)&ra.destroy},
      {"cv_raster_pages", (void **)&ra.pages},
      {"cv_raster_page_size", (void **)&ra.page_size},
      {"cv_raster_png", (void **)&ra.png},
      {"cv_png_write_pages", (void **)&ra.write_pages},
  };
  if (cv_dl_bind(path, syms, sizeof syms / sizeof *syms, raster_failure,
                 sizeof raster_failure) < 0)
    ra.open = NULL;
}

static int raster_ready(cv_status *st) {
  pthread_once(&raster_once, raster_load);
  if (ra.open)
    return 0;
  cv_status_set(st, "%s", raster_failure);
  return -1;
}

cv_raster *cv_raster_open(const void *pdf, size_t len, cv_status *st) {
  return raster_ready(st) < 0 ? NULL : ra.open(pdf, len, st);
}

cv_raster *cv_raster_open_file(const char *path, cv_status *st) {
  return raster_ready(st) < 0 ? NULL : ra.open_file(path, st);
}

/* A raster exists only once the module is loaded. */
void cv_raster_destroy(cv_raster *r) {
  if (r)
    ra.destroy(r);
}

size_t cv_raster_pages(const cv_raster *r) {
  return r ? ra.pages(r) : 0;
}

void cv_raster_page_size(const cv_raster *r, size_t i, double *w, double *h) {
  if (r) {
    ra.page_size(r, i, w, h);
  } else {
    *w = 0;
    *h = 0;
  }
}

int cv_raster_png(cv_raster *r, size_t i, double dpi, int fast, cv_buf *png,
                  cv_status *st) {
  if (!r) {
    cv_status_set(st, "no PDF to rasterise");
    return -1;
  }
  return ra.png(r, i, dpi, fast, png, st);
}

long cv_png_write_pages(const char *pdf_path, const char *out, double dpi,
                        const char *input, cv_status *st) {
  return raster_ready(st) < 0 ? -1
                              : ra.write_pages(pdf_path, out, dpi, input, st);
}

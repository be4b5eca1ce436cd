/* cvpdf - images in the PDF (the CV's photo): decoded whole once, before
 * anything is typeset, by libpng or libjpeg with their errors caught (a
 * libpng error inside libharu's loader aborts the process, and libharu
 * embeds a truncated JPEG without a word), then loaded by libharu (PNG
 * pixels deflated, JPEG embedded as it is), embedded once however often
 * drawn, and drawn clipped to a circle when the layout wants it round,
 * inside a /Figure marked-content sequence (of the Figure element of a
 * tagged PDF, which carries the alternate text). */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most pixels a photo may have: a print photo needs a few million,
 * and libharu holds a PNG's pixels whole while it loads it. */
#define MAX_SIDE 12000u
#define MAX_PIXELS (40u * 1000u * 1000u)

static const unsigned char png_magic[8] = {0x89, 'P',  'N',  'G',
                                           '\r', '\n', 0x1a, '\n'};

/* The format data's first bytes say, or 0. */
static cv_image_format sniff(const unsigned char *data, size_t len) {
  if (len >= 8 && !memcmp(data, png_magic, 8))
    return CV_IMAGE_PNG;
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return CV_IMAGE_JPEG;
  return 0;
}

static int too_large(unsigned w, unsigned h, char *why, size_t cap) {
  if (w <= MAX_SIDE && h <= MAX_SIDE && (unsigned long)w * h <= MAX_PIXELS)
    return 0;
  snprintf(why, cap,
           "an image of %u x %u pixels (at most %u on a side and %u "
           "million in all)",
           w, h, MAX_SIDE, MAX_PIXELS / 1000000u);
  return 1;
}

/* The whole PNG decoded (libpng's simplified API returns its errors). */
static int check_png(const unsigned char *data, size_t len, unsigned *w,
                     unsigned *h, char *why, size_t cap) {
  png_image im;
  memset(&im, 0, sizeof im);
  im.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&im, data, len)) {
    snprintf(why, cap, "a PNG file libpng cannot read (%s)", im.message);
    return -1;
  }
  if (too_large(im.width, im.height, why, cap)) {
    png_image_free(&im);
    return -1;
  }
  im.format = PNG_FORMAT_RGBA;
  void *px = malloc(PNG_IMAGE_SIZE(im));
  if (!px) {
    png_image_free(&im);
    snprintf(why, cap, "an image too large for the memory left");
    return -1;
  }
  int ok = png_image_finish_read(&im, NULL, px, 0, NULL);
  free(px);
  if (!ok) {
    snprintf(why, cap, "a PNG file libpng cannot read (%s)", im.message);
    png_image_free(&im);
    return -1;
  }
  *w = im.width;
  *h = im.height;
  return 0;
}

/* libjpeg's errors end in longjmp back to check_jpeg; its warnings (a
 * truncated file, corrupt data) count as errors too. */
typedef struct jpeg_err {
  struct jpeg_error_mgr mgr;
  jmp_buf jb;
  char msg[JMSG_LENGTH_MAX];
} jpeg_err;

static void jpeg_fail(j_common_ptr j) {
  jpeg_err *e = (jpeg_err *)j->err;
  e->mgr.format_message(j, e->msg);
  longjmp(e->jb, 1);
}

static void jpeg_note(j_common_ptr j, int level) {
  if (level < 0)
    jpeg_fail(j);
}

static int check_jpeg(const unsigned char *data, size_t len, unsigned *w,
                      unsigned *h, char *why, size_t cap) {
  struct jpeg_decompress_struct j;
  jpeg_err e;
  JSAMPARRAY row = NULL;
  j.err = jpeg_std_error(&e.mgr);
  e.mgr.error_exit = jpeg_fail;
  e.mgr.emit_message = jpeg_note;
  if (setjmp(e.jb)) {
    jpeg_destroy_decompress(&j);
    snprintf(why, cap, "a JPEG file libjpeg cannot read (%s)", e.msg);
    return -1;
  }
  jpeg_create_decompress(&j);
  jpeg_mem_src(&j, data, (unsigned long)len);
  jpeg_read_header(&j, TRUE);
  if (too_large(j.image_width, j.image_height, why, cap)) {
    jpeg_destroy_decompress(&j);
    return -1;
  }
  *w = j.image_width;
  *h = j.image_height;
  jpeg_start_decompress(&j);
  row =
      j.mem->alloc_sarray((j_common_ptr)&j, JPOOL_IMAGE,
                          j.output_width * (JDIMENSION)j.output_components, 1);
  while (j.output_scanline < j.output_height)
    jpeg_read_scanlines(&j, row, 1);
  jpeg_finish_decompress(&j);
  jpeg_destroy_decompress(&j);
  return 0;
}

static HPDF_Image load(HPDF_Doc pdf, cv_image_format f,
                       const unsigned char *data, size_t len) {
  if (len > UINT32_MAX)
    return NULL;
  if (f == CV_IMAGE_PNG)
    return HPDF_LoadPngImageFromMem(pdf, data, (HPDF_UINT)len);
  return HPDF_LoadJpegImageFromMem(pdf, data, (HPDF_UINT)len);
}

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud) {
  pdf_err *e = ud;
  if (!e->code) {
    e->code = code;
    e->detail = detail;
  }
}

int cv_image_probe(const unsigned char *data, size_t len, cv_image *img,
                   char *why, size_t cap) {
  cv_image_format f = sniff(data, len);
  if (!f) {
    snprintf(why, cap, "%s",
             len == 0 ? "an empty file" : "a file of another kind");
    return -1;
  }
  unsigned w = 0, h = 0;
  if ((f == CV_IMAGE_PNG ? check_png : check_jpeg)(data, len, &w, &h, why,
                                                   cap) < 0)
    return -1;
  /* libharu's own reading: the colour spaces it embeds. */
  pdf_err err = {0};
  HPDF_Doc pdf = HPDF_New(on_error, &err);
  if (!pdf) {
    snprintf(why, cap, "out of memory");
    return -1;
  }
  HPDF_Image im = load(pdf, f, data, len);
  const char *cs = im ? HPDF_Image_GetColorSpace(im) : NULL;
  img->cmyk = cs && !strcmp(cs, "DeviceCMYK");
  HPDF_Free(pdf);
  if (!im) {
    snprintf(why, cap,
             "a %s image the PDF writer cannot embed (libharu error 0x%04X, "
             "detail %u)",
             f == CV_IMAGE_PNG ? "PNG" : "JPEG", (unsigned)err.code,
             (unsigned)err.detail);
    return -1;
  }
  img->data = data;
  img->len = len;
  img->format = f;
  img->px_w = w;
  img->px_h = h;
  return 0;
}

/* The document's object for img, embedded at first use. */
static HPDF_Image image_object(cv_pdf *w, const cv_image *img) {
  for (size_t i = 0; i < w->nimages; i++)
    if (w->images[i].src == img)
      return w->images[i].obj;
  if (cv_grow((void **)&w->images, &w->capimages, w->nimages + 1,
              sizeof *w->images) < 0)
    return NULL;
  /* libharu deflates the pixels of a PNG only in this mode; every other
   * stream is compressed by the writer itself. */
  if (HPDF_SetCompressionMode(w->pdf, w->pdf->compression_mode |
                                          HPDF_COMP_IMAGE) != HPDF_OK)
    return NULL;
  HPDF_Image obj = load(w->pdf, img->format, img->data, img->len);
  if (!obj)
    return NULL;
  /* The mode above does not reach a PNG's alpha channel. */
  HPDF_Dict smask = HPDF_Dict_GetItem(obj, "SMask", HPDF_OCLASS_DICT);
  if (smask)
    smask->filter |= HPDF_STREAM_FILTER_FLATE_DECODE;
  w->images[w->nimages++] = (pdf_image){img, obj};
  return obj;
}

/* A circle inscribed in the box: four Bézier quarters (k = 0.5523, the
 * usual constant for a quarter circle). */
static void circle_path(cv_buf *b, double cx, double cy, double r) {
  const double k = 0.5523 * r;
  const double pts[] = {cx + r, cy,     cx + r, cy + k, cx + k, cy + r, cx,
                        cy + r, cx - k, cy + r, cx - r, cy + k, cx - r, cy,
                        cx - r, cy - k, cx - k, cy - r, cx,     cy - r, cx + k,
                        cy - r, cx + r, cy - k, cx + r, cy};
  for (size_t i = 0; i < sizeof pts / sizeof *pts; i += 2) {
    cv_buf_num(b, pts[i], 3);
    cv_buf_putc(b, ' ');
    cv_buf_num(b, pts[i + 1], 3);
    cv_buf_puts(b, i == 0 ? " m\n" : (i / 2) % 3 == 0 ? " c\n" : " ");
  }
  cv_buf_puts(b, "h W n\n");
}

int cv_pdf_put_image(cv_pdf *w, HPDF_Page page, cv_buf *b, const cv_dl_item *it,
                     int tagged) {
  const cv_image *img = it->image;
  if (!img || !(it->w > 0) || !(it->h > 0))
    return 0;
  HPDF_Image obj = image_object(w, img);
  const char *name = obj ? HPDF_Page_GetXObjectName(page, obj) : NULL;
  if (!name)
    return cv_pdf_fail(w, "cannot embed the photo");
  /* The image covers the box, its middle kept when the proportions
   * differ (a round photo of a portrait picture). */
  double iw = it->w, ih = it->h;
  double ar = (double)img->px_w / img->px_h;
  if (iw / ih > ar)
    ih = iw / ar;
  else
    iw = ih * ar;
  double ix = it->x - (iw - it->w) / 2, iy = it->y - (ih - it->h) / 2;
  const char *alt = img->alt ? img->alt : "";
  if (!tagged) {
    cv_buf_puts(b, "/Figure <</Alt <FEFF");
    cv_pdf_put_utf16_hex(b, alt, strlen(alt));
    cv_buf_puts(b, ">>> BDC\n");
  }
  cv_buf_puts(b, "q\n");
  if (it->round) {
    circle_path(b, it->x + it->w / 2, it->y + it->h / 2,
                (it->w < it->h ? it->w : it->h) / 2);
  } else if (iw > it->w + 0.01 || ih > it->h + 0.01) {
    const double box[] = {it->x, it->y, it->w, it->h};
    for (int i = 0; i < 4; i++) {
      cv_buf_num(b, box[i], 3);
      cv_buf_putc(b, ' ');
    }
    cv_buf_puts(b, "re W n\n");
  }
  const double m[] = {iw, 0, 0, ih, ix, iy};
  for (int i = 0; i < 6; i++) {
    cv_buf_num(b, m[i], 3);
    cv_buf_putc(b, ' ');
  }
  cv_buf_printf(b, "cm\n/%s Do\nQ\n%s", name, tagged ? "" : "EMC\n");
  return cv_pdf_check_doc(w, "cannot embed the photo");
}

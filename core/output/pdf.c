/* cvpdf - PDF backend: libharu document objects plus the project's own font
 * embedding (DESIGN.md, "PDF output").  libharu's TrueType path reaches
 * glyphs only through the cmap, so shaped text (ligatures, kerning) cannot
 * go through it: each font is subset with hb-subset after layout and
 * embedded as a Type0 font, and text is written as raw content-stream
 * operators.
 *
 * Pages arrive one at a time, before the fonts can be subset.  Each
 * page's content stream is written at once with the glyph ids of the
 * whole font, and where each code sits is noted; once the fonts are
 * subset, the codes become the subset's glyph ids (the CIDs, under
 * Identity-H, which every text extractor reads) and the stream is
 * compressed.  A page keeps only its operators until then, never its
 * glyph runs.
 *
 * Every stream is compressed here, with libdeflate at a level chosen for
 * size and speed, as soon as it is complete; libharu then stores
 * compressed bytes only.
 *
 * This file owns the writer's lifetime, its errors, compressed streams,
 * strings, pages, the document information and saving; pdf_int.h lists
 * the other pieces. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include "base/atomic.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* libdeflate level for every stream.  Page content is glyph codes,
 * operators and numbers that repeat at a distance; the higher levels
 * look further for matches (academic CV at 100x, the whole file: level 6
 * 666.2 KB, 7 656.4 KB, 9 652.2 KB).  Level 7 costs few instructions
 * more, but its deeper search misses the caches: engineer CV in compact
 * at 100x, user time 0.27 s at 7, 0.23 s at 6. */
#define ZLEVEL 6

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud) {
  pdf_err *e = ud;
  if (e->code)
    return; /* the first error wins */
  e->code = code;
  e->detail = detail;
}

/* libharu's codes for the limits a document can reach, in words. */
static const char *hpdf_cause(HPDF_STATUS code) {
  switch (code) {
  case HPDF_ARRAY_COUNT_ERR:
    return "more than 32767 items in one PDF array (pages, or links on a "
           "page)";
  case HPDF_BINARY_LENGTH_ERR:
  case HPDF_STRING_OUT_OF_RANGE:
    return "a string longer than the 65535 bytes a PDF string holds";
  case HPDF_DICT_COUNT_ERR:
    return "more than 4095 entries in one PDF dictionary";
  case HPDF_REAL_OUT_OF_RANGE:
    return "a number outside -32767 to 32767";
  case HPDF_XREF_COUNT_ERR:
    return "more than 8388607 PDF objects";
  case HPDF_PAGE_INVALID_SIZE:
    return "a page size outside 3 to 14400 pt";
  case HPDF_FAILD_TO_ALLOC_MEM:
    return "out of memory";
  default:
    return NULL;
  }
}

/* Every failure passes through here.  A libharu error is the more precise
 * cause and is quoted with it: the handler's, or one libharu only stored
 * in the document (some calls set an error without raising it, and every
 * later call then fails with "invalid document"). */
int cv_pdf_fail(cv_pdf *w, const char *what) {
  w->failed = 1;
  HPDF_STATUS code = w->err.code, detail = w->err.detail;
  if (!code && w->pdf) {
    code = HPDF_GetError(w->pdf);
    detail = HPDF_GetErrorDetail(w->pdf);
  }
  const char *cause = hpdf_cause(code);
  if (code)
    cv_status_set(w->st, "pdf: %s%s%s (libharu error 0x%04X, detail %u)", what,
                  cause ? ": " : "", cause ? cause : "", (unsigned)code,
                  (unsigned)detail);
  else
    cv_status_set(w->st, "pdf: %s", what);
  return -1;
}

/* Fails when libharu stored an error without raising it. */
int cv_pdf_check_doc(cv_pdf *w, const char *what) {
  return HPDF_GetError(w->pdf) != HPDF_OK ? cv_pdf_fail(w, what) : 0;
}

/* ---- streams ------------------------------------------------------- */

/* Streams hold bytes compressed here; libharu drops a /Filter it did not
 * apply itself, so the entry is written by this hook instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream out) {
  (void)d;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Deflates data into z->out, zlib-wrapped as FlateDecode reads it; *n
 * gets the size.  Every stream is whole in memory when it is compressed,
 * which is what libdeflate is made for: at the same level it compresses
 * page content smaller than zlib and in a fifth of the time (academic CV
 * at 100x, 5.0 MB of page content: zlib level 6 453 KB in 40-78 ms,
 * libdeflate level 6 447 KB in 21 ms).  One compressor serves every
 * stream of a thread. */
int cv_pdf_deflate(zbuf *z, const void *data, size_t len, size_t *n) {
  if (!z->c) {
    z->c = libdeflate_alloc_compressor(z->store   ? 0
                                       : z->level ? z->level
                                                  : ZLEVEL);
    if (!z->c)
      return -1;
  }
  size_t bound = libdeflate_zlib_compress_bound(z->c, len);
  if (cv_grow((void **)&z->out, &z->cap, bound ? bound : 1, 1) < 0)
    return -1;
  *n = libdeflate_zlib_compress(z->c, data, len, z->out, bound);
  return *n ? 0 : -1;
}

void cv_pdf_zbuf_fini(zbuf *z) {
  if (z->c)
    libdeflate_free_compressor(z->c);
  free(z->out);
  memset(z, 0, sizeof *z);
}

int cv_pdf_put_deflated(cv_pdf *w, HPDF_Dict s, const void *data, size_t n) {
  s->filter = HPDF_STREAM_FILTER_NONE;
  s->write_fn = write_flate_filter;
  if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)n) != HPDF_OK)
    return cv_pdf_fail(w, "cannot store a stream");
  return 0;
}

/* Compresses data into the stream of dictionary s. */
int cv_pdf_put_stream(cv_pdf *w, HPDF_Dict s, const void *data, size_t len) {
  size_t n = 0;
  if (cv_pdf_deflate(&w->z, data, len, &n) < 0)
    return cv_pdf_fail(w,
                       "cannot compress a stream (too long, or out of memory)");
  return cv_pdf_put_deflated(w, s, w->z.out, n);
}

/* A new indirect stream object holding data; NULL on error. */
HPDF_Dict cv_pdf_new_stream(cv_pdf *w, const void *data, size_t len) {
  HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  if (!s) {
    cv_pdf_fail(w, "cannot create a stream");
    return NULL;
  }
  return cv_pdf_put_stream(w, s, data, len) < 0 ? NULL : s;
}

/* An indirect dictionary; NULL on error (already reported to the handler). */
HPDF_Dict cv_pdf_new_indirect(cv_pdf *w) {
  HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
  if (!d || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK)
    return NULL;
  return d;
}

/* ---- strings ------------------------------------------------------- */

void cv_pdf_put_hex4(cv_buf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char s[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
               hex[v & 15]};
  cv_buf_put(b, s, 4);
}

/* The character at s[*i] (U+FFFD for an invalid byte); *i moves past it. */
static uint32_t next_char(const char *s, size_t n, size_t *i) {
  uint32_t cp = 0xFFFD;
  int k = cv_utf8_decode(s + *i, n - *i, &cp);
  *i += k > 0 ? (size_t)k : 1;
  return k > 0 ? cp : 0xFFFD;
}

/* cp as UTF-16 code units in u: how many (1, or 2 for a surrogate pair). */
static int utf16(uint32_t cp, uint32_t u[2]) {
  if (cp < 0x10000) {
    u[0] = cp;
    return 1;
  }
  u[0] = 0xD800 | ((cp - 0x10000) >> 10);
  u[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
  return 2;
}

/* UTF-8 -> UTF-16BE hex digits; invalid bytes become U+FFFD. */
void cv_pdf_put_utf16_hex(cv_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    uint32_t units[2];
    int nu = utf16(next_char(s, n, &i), units);
    for (int j = 0; j < nu; j++)
      cv_pdf_put_hex4(b, units[j]);
  }
}

/* A PDF text string as UTF-16BE with BOM.  libharu's own UTF-8 encoder
 * stores 16-bit code units only (no characters beyond the BMP), so info
 * and outline strings are built here and stored as binary strings. */
HPDF_Binary cv_pdf_text_string(cv_pdf *w, const char *s) {
  size_t n = strlen(s);
  HPDF_BYTE *u = cv_malloc_n(n + 1, 4); /* each char at most 4 bytes */
  if (!u)
    return NULL;
  size_t len = 0;
  u[len++] = 0xFE;
  u[len++] = 0xFF;
  for (size_t i = 0; i < n;) {
    uint32_t units[2];
    int nu = utf16(next_char(s, n, &i), units);
    for (int j = 0; j < nu; j++) {
      u[len++] = (HPDF_BYTE)(units[j] >> 8);
      u[len++] = (HPDF_BYTE)(units[j] & 0xFF);
    }
  }
  HPDF_Binary bin = HPDF_Binary_New(w->pdf->mmgr, u, (HPDF_UINT)len);
  free(u);
  return bin;
}

/* ---- the writer ---------------------------------------------------- */

cv_pdf *cv_pdf_new(cv_status *st) {
  cv_pdf *w = calloc(1, sizeof *w);
  if (!w) {
    cv_status_set(st, "pdf: out of memory");
    return NULL;
  }
  w->st = st;
  cv_arena_init(&w->texts);
  cv_buf_init(&w->content);
  cv_buf_init(&w->objs.text);
  /* No memory pool: Debian's libharu is built without HPDF_ALIGN_SIZ, so
   * its pool hands out misaligned objects (undefined behaviour that
   * UBSan stops at). */
  w->pdf = HPDF_NewEx(on_hpdf_error, NULL, NULL, 0, &w->err);
  if (!w->pdf) {
    cv_pdf_fail(w, "cannot create a document (out of memory)");
    cv_pdf_free(w);
    return NULL;
  }
  /* FontFile3 /OpenType needs PDF 1.6; libharu has no setter for it. */
  w->pdf->pdf_version = HPDF_VER_16;
  return w;
}

void cv_pdf_free(cv_pdf *w) {
  if (!w)
    return;
  if (w->pdf)
    HPDF_Free(w->pdf);
  for (size_t i = 0; i < w->nfonts; i++)
    cv_pdf_font_use_fini(&w->fonts[i]);
  free(w->fonts);
  free(w->pages);
  for (size_t i = 0; i < w->npend; i++)
    cv_pdf_pending_fini(&w->pend[i]);
  free(w->pend);
  cv_pdf_tags_fini(&w->tags);
  cv_pdf_objs_fini(&w->objs);
  free(w->images);
  free(w->label_starts);
  cv_arena_fini(&w->texts);
  cv_buf_fini(&w->content);
  cv_pdf_zbuf_fini(&w->z);
  free(w);
}

int cv_pdf_page(cv_pdf *w, const cv_page *pg, cv_status *st) {
  w->st = st;
  if (w->failed)
    return cv_pdf_fail(w, "the document already failed");
  if (cv_grow((void **)&w->pages, &w->cappages, w->npages + 1,
              sizeof *w->pages) < 0)
    return cv_pdf_fail(w, "out of memory");
  HPDF_Page page = HPDF_AddPage(w->pdf);
  if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width) != HPDF_OK ||
      HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height) != HPDF_OK)
    return cv_pdf_fail(w, "cannot add a page");
  w->pages[w->npages++] = page;
  /* The page's content stream is written directly: libharu's text
   * operators would re-encode the glyph ids through an encoder. */
  HPDF_Dict s = ((HPDF_PageAttr)page->attr)->contents;
  if (!s)
    return cv_pdf_fail(w, "a page has no content stream");
  if (w->part_title) { /* the first page of a bundle's part */
    if (cv_pdf_put_part_mark(w, w->npages - 1, w->part_title) < 0)
      return -1;
    w->part_title = NULL;
  }
  return cv_pdf_put_items(w, page, s, pg, 1);
}

int cv_pdf_part(cv_pdf *w, const char *title, uint32_t tag_base, int restart,
                cv_status *st) {
  w->st = st;
  if (w->failed)
    return cv_pdf_fail(w, "the document already failed");
  if (!(w->part_title = cv_arena_strdup(&w->texts, title ? title : "")))
    return cv_pdf_fail(w, "out of memory");
  w->tag_base = tag_base;
  w->mark_shift = 1;
  if (!restart || (w->nlabels && w->label_starts[w->nlabels - 1] == w->npages))
    return 0;
  if (cv_grow((void **)&w->label_starts, &w->caplabels, w->nlabels + 1,
              sizeof *w->label_starts) < 0)
    return cv_pdf_fail(w, "out of memory");
  w->label_starts[w->nlabels++] = w->npages;
  return 0;
}

/* Page labels: 1, 2, ... from the first page, and again from each page
 * where a bundle's part starts its numbering again. */
static int put_labels(cv_pdf *w) {
  if (HPDF_AddPageLabel(w->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL) !=
      HPDF_OK)
    return -1;
  for (size_t i = 0; i < w->nlabels; i++)
    if (w->label_starts[i] > 0 &&
        HPDF_AddPageLabel(w->pdf, (HPDF_UINT)w->label_starts[i],
                          HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL) != HPDF_OK)
      return -1;
  return 0;
}

int cv_pdf_margin(cv_pdf *w, size_t index, const cv_page *items,
                  cv_status *st) {
  w->st = st;
  if (w->failed)
    return cv_pdf_fail(w, "the document already failed");
  if (index >= w->npages)
    return cv_pdf_fail(w, "running header or footer for a page not written");
  if (items->n == 0)
    return 0;
  HPDF_Page page = w->pages[index];
  HPDF_PageAttr attr = page->attr;
  HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  HPDF_Array both = s ? HPDF_Array_New(w->pdf->mmgr) : NULL;
  if (!both || HPDF_Array_Add(both, attr->contents) != HPDF_OK ||
      HPDF_Array_Add(both, s) != HPDF_OK ||
      HPDF_Dict_Add(page, "Contents", both) != HPDF_OK)
    return cv_pdf_fail(w, "cannot add a second content stream");
  return cv_pdf_put_items(w, page, s, items, 0);
}

/* ---- document information ------------------------------------------ */

static int set_info_text(cv_pdf *w, const char *key, const char *value) {
  if (!value)
    return 0;
  /* The pipeline reports this at the field; a last guard for others. */
  if (cv_pdf_text_units(value) > CV_PDF_MAX_TEXT)
    return cv_pdf_fail(w,
                       "document information longer than a PDF string holds");
  HPDF_Binary s = cv_pdf_text_string(w, value);
  if (!s || HPDF_Dict_Add(w->pdf->info, key, s) != HPDF_OK)
    return cv_pdf_fail(w, "cannot set document information");
  return 0;
}

static int set_info(cv_pdf *w, const cv_docinfo *d) {
  time_t t = (time_t)d->date;
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return cv_pdf_fail(w, "document date out of range");
  HPDF_Date date = {
      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
      tm.tm_sec,         '+',           0,          0};
  if (HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
      HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK ||
      !w->pdf->info)
    return cv_pdf_fail(w, "cannot set the document date");
  if (set_info_text(w, "Title", d->title) < 0 ||
      set_info_text(w, "Author", d->author) < 0 ||
      set_info_text(w, "Subject", d->subject) < 0 ||
      set_info_text(w, "Keywords", d->keywords) < 0 ||
      set_info_text(w, "Creator", d->creator) < 0)
    return -1;
  if (d->lang && *d->lang &&
      HPDF_Dict_Add(w->pdf->catalog, "Lang",
                    HPDF_String_New(w->pdf->mmgr, d->lang, NULL)) != HPDF_OK)
    return cv_pdf_fail(w, "cannot set the document language");
  if (!d->title)
    return 0;
  /* Viewers show the title, not the file name (libharu 2.3.0 has no
   * constant for DisplayDocTitle). */
  HPDF_Dict vp = HPDF_Dict_New(w->pdf->mmgr);
  if (!vp ||
      HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
      HPDF_Dict_Add(w->pdf->catalog, "ViewerPreferences", vp) != HPDF_OK)
    return cv_pdf_fail(w, "cannot set viewer preferences");
  return 0;
}

/* What PDF/A with an sRGB output intent cannot hold: a CMYK image (ISO
 * 19005-2, 6.2.4.3), a font whose licence forbids embedding it (6.2.11.4:
 * every font embedded).  The pipeline refuses them first at the CV's
 * line and column; this catches what reaches the writer otherwise (a
 * fallback font picked for a character while text was shaped). */
static int refuse_for_pdfa(cv_pdf *w) {
  for (size_t i = 0; i < w->nfonts; i++) {
    const cv_font *f = w->fonts[i].font;
    const char *why = cv_font_embedding_refused(f);
    if (why) {
      w->failed = 1;
      cv_status_set(w->st,
                    "font %s (%s): expected a font whose licence allows "
                    "embedding, as PDF/A embeds every font, found OS/2 fsType "
                    "0x%04X (%s); name another family in the layout",
                    f->family ? f->family : f->ps_name, f->path, f->fs_type,
                    why);
      return -1;
    }
  }
  for (size_t i = 0; i < w->nimages; i++) {
    const char *cs = HPDF_Image_GetColorSpace(w->images[i].obj);
    if (cs && !strcmp(cs, "DeviceCMYK")) {
      w->failed = 1;
      cv_status_set(w->st,
                    "%s: expected an RGB or grey image for PDF/A (whose "
                    "colours are sRGB), found a CMYK JPEG; convert it to RGB",
                    w->images[i].src->path ? w->images[i].src->path
                                           : "the photo");
      return -1;
    }
  }
  return 0;
}

/* Subsets and embeds the fonts, finishes the pages and sets the document
 * information: what is left is to serialise the document. */
static int finish_document(cv_pdf *w, const cv_docinfo *info, cv_status *st) {
  w->st = st;
  if (w->failed)
    return cv_pdf_fail(w, "the document already failed");
  if (w->npages == 0) {
    cv_status_set(st, "pdf: nothing to write (the document has no pages)");
    return -1;
  }
  cv_pdf_prepare_fonts(w);
  for (size_t i = 0; i < w->nfonts; i++)
    if (cv_pdf_embed_font(w, &w->fonts[i]) < 0)
      return -1;
  for (size_t i = 0; i < w->npend; i++)
    if (cv_pdf_finish_pending(w, &w->pend[i]) < 0)
      return -1;
  w->npend = 0;
  if (set_info(w, info) < 0)
    return -1;
  /* Pages labelled 1..n as they are numbered; the outline, when there is
   * one, shown as the document opens. */
  if (put_labels(w) < 0 ||
      (w->last[1] &&
       HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK))
    return cv_pdf_fail(w, "cannot set page labels or the page mode");
  if (info->pdfa &&
      (refuse_for_pdfa(w) < 0 || cv_pdf_put_output_intent(w, info) < 0))
    return -1;
  /* The structure tree last: its objects are numbered on from libharu's. */
  if (cv_pdf_put_xmp(w, info, info->pdfa) < 0)
    return -1;
  return cv_pdf_put_structure(w, info->structure);
}

/* Serialises the finished document and hands its bytes to put in pieces.
 * libharu writes files itself with stdio and ignores what fclose says, so
 * a disk that fills up during the last flush would go unnoticed: the
 * bytes are read back from its memory stream instead, and every write is
 * checked by put. */
static int drain(cv_pdf *w, int (*put)(void *, const void *, size_t), void *ud,
                 cv_status *st) {
  if (HPDF_SaveToStream(w->pdf) != HPDF_OK) {
    w->failed = 1;
    cv_status_set(st,
                  "pdf: cannot write the document (libharu error 0x%04X, "
                  "detail %u)",
                  (unsigned)w->err.code, (unsigned)w->err.detail);
    return -1;
  }
  HPDF_BYTE chunk[65536];
  cv_buf whole, small;
  cv_buf_init(&whole);
  cv_buf_init(&small);
  int rc = 0;
  for (;;) {
    HPDF_UINT32 n = sizeof chunk;
    HPDF_STATUS hr = HPDF_ReadFromStream(w->pdf, chunk, &n);
    cv_buf_put(&whole, chunk, n);
    if (hr == HPDF_STREAM_EOF)
      break;
    if (hr != HPDF_OK) {
      rc = cv_pdf_fail(w, "cannot read back the document");
      break;
    }
  }
  HPDF_ResetStream(w->pdf);
  cv_buf_putc(&whole, '\0');
  whole.len--;
  if (rc == 0 && whole.failed)
    rc = cv_pdf_fail(w, "out of memory reading back the document");
  /* libharu writes every object apart: object streams hold them
   * compressed (pdf_compact.c). */
  if (rc == 0 && cv_pdf_compact(whole.data, whole.len, &w->objs, w->z.store,
                                &small, st) < 0)
    rc = -1;
  if (rc == 0 && put(ud, small.data, small.len) < 0) {
    cv_status_set(st, "cannot write the PDF: %s", strerror(errno));
    rc = -1;
  }
  cv_buf_fini(&whole);
  cv_buf_fini(&small);
  return rc;
}

void cv_pdf_set_preview(cv_pdf *w, int preview) {
  w->z.store = preview;
}

void cv_pdf_set_untagged(cv_pdf *w, int untagged) {
  w->untagged = untagged;
}

static int put_fd(void *ud, const void *data, size_t n) {
  return cv_write_all(*(int *)ud, data, n);
}

static int put_buf(void *ud, const void *data, size_t n) {
  cv_buf *b = ud;
  cv_buf_put(b, data, n);
  return b->failed ? (errno = ENOMEM, -1) : 0;
}

cv_pdf *cv_pdf_made(const void *data, size_t len, cv_status *st) {
  cv_pdf *w = calloc(1, sizeof *w);
  if (!w) {
    cv_status_set(st, "pdf: out of memory");
    return NULL;
  }
  cv_arena_init(&w->texts);
  cv_buf_init(&w->content);
  w->made = data;
  w->made_len = len;
  return w;
}

int cv_pdf_save_buffer(cv_pdf *w, const cv_docinfo *info, cv_buf *out,
                       cv_status *st) {
  if (finish_document(w, info, st) < 0)
    return -1;
  return drain(w, put_buf, out, st);
}

int cv_pdf_save_fd(cv_pdf *w, const cv_docinfo *info, int fd, cv_status *st) {
  if (w->made) {
    if (cv_write_all(fd, w->made, w->made_len) == 0)
      return 0;
    cv_status_set(st, "cannot write the PDF: %s", strerror(errno));
    return -1;
  }
  if (finish_document(w, info, st) < 0)
    return -1;
  return drain(w, put_fd, &fd, st);
}

int cv_pdf_save(cv_pdf *w, const cv_docinfo *info, const char *path,
                cv_status *st) {
  cv_atomic a;
  cv_status why = {0}; /* says what went wrong, but not where */
  if (cv_atomic_begin(&a, path, 0, NULL, "the PDF", &why) == 0) {
    if (cv_pdf_save_fd(w, info, a.fd, st) < 0) {
      cv_atomic_abort(&a);
      return -1;
    }
    if (cv_atomic_commit(&a, &why) == 0)
      return 0;
  }
  cv_status_set(st, "%s: %s", path, why.msg);
  return -1;
}

static int sink_page(void *ud, const cv_page *pg, cv_status *st) {
  return cv_pdf_page(ud, pg, st);
}

static int sink_margin(void *ud, size_t index, const cv_page *items,
                       cv_status *st) {
  return cv_pdf_margin(ud, index, items, st);
}

cv_pagesink cv_pdf_sink(cv_pdf *w) {
  return (cv_pagesink){w, sink_page, sink_margin};
}

int cv_pdf_write(const cv_docout *d, const char *path, cv_status *st) {
  if (!d || d->npages == 0) {
    cv_status_set(st, "pdf: nothing to write (the document has no pages)");
    return -1;
  }
  cv_pdf *w = cv_pdf_new(st);
  if (!w)
    return -1;
  int rc = 0;
  for (size_t p = 0; p < d->npages && rc == 0; p++)
    rc = cv_pdf_page(w, &d->pages[p], st);
  if (rc == 0)
    rc = cv_pdf_save(w, &d->info, path, st);
  cv_pdf_free(w);
  return rc;
}

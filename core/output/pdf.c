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
 * Every stream is compressed here, with zlib at a level chosen for speed,
 * as soon as it is complete; libharu then stores compressed bytes only. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf.h"
#include "text/font.h"

#include "base/atomic.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <zlib.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* zlib level for every stream: level 6 costs about twice the time of
 * level 4 for 1-2% fewer bytes on page content and font programs. */
#define ZLEVEL 4

/* A deflate state and its output buffer, reused from stream to stream. */
typedef struct zbuf {
  z_stream zs;
  int ready;
  unsigned char *out;
  size_t cap;
} zbuf;

/* libharu reports errors through a callback; the first one is kept here
 * (no globals: the handler gets this through user_data). */
typedef struct pdf_err {
  HPDF_STATUS code, detail;
} pdf_err;

typedef struct glyph_text {
  const char *s; /* the writer's copy */
  uint32_t len;
} glyph_text;

/* One font as used by the document: which glyphs, what they stand for,
 * and after subsetting, the new glyph ids and the PDF font objects. */
typedef struct font_use {
  cv_font *font;
  hb_set_t *gids;     /* glyph ids (in the whole font) drawn */
  hb_map_t *text_ix;  /* gid -> index in texts */
  glyph_text *texts;
  size_t ntexts, cap;
  hb_subset_plan_t *plan;
  const hb_map_t *old_to_new; /* owned by plan */
  unsigned nglyphs;           /* glyphs in the subset */
  int *width;                 /* by new gid, in 1000ths of an em */
  HPDF_Dict type0;            /* made at first use, filled when saving */
  /* Made by prepare_font, possibly in another thread: */
  unsigned char *file;        /* the subset font program, compressed */
  size_t file_len, file_raw;  /* its compressed and original sizes */
  cv_status st;               /* why preparing it failed */
} font_use;

/* A content stream waiting for the subsets: its operators, and where each
 * glyph code is (4 hex digits, a glyph id of the whole font) with the
 * font it belongs to, as runs of codes in one font. */
typedef struct code_run {
  uint32_t first; /* index in pos of its first code */
  uint16_t font;  /* index in cv_pdf.fonts */
} code_run;

typedef struct pending {
  HPDF_Dict stream;
  char *ops;
  size_t len;
  uint32_t *pos; /* offsets of the codes in ops */
  size_t npos, cappos;
  code_run *runs;
  size_t nruns, capruns;
} pending;

struct cv_pdf {
  HPDF_Doc pdf;
  pdf_err err;
  cv_status *st; /* of the call in progress */
  font_use *fonts;
  size_t nfonts, capfonts;
  cv_arena texts; /* glyph texts for ToUnicode */
  HPDF_Page *pages;
  size_t npages, cappages;
  HPDF_Outline last[9]; /* the last outline entry at each level */
  cv_buf content;       /* scratch: one content stream */
  pending *pend;        /* content streams waiting for the subsets */
  size_t npend, cappend;
  zbuf z;               /* compression, for this thread */
  int failed;
  /* cv_pdf_made: the whole file, made by another process */
  const void *made;
  size_t made_len;
};

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
static int fail(cv_pdf *w, const char *what) {
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
static int check_doc(cv_pdf *w, const char *what) {
  return HPDF_GetError(w->pdf) != HPDF_OK ? fail(w, what) : 0;
}

/* ---- streams ------------------------------------------------------- */

/* Streams hold bytes compressed here; libharu drops a /Filter it did not
 * apply itself, so the entry is written by this hook instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream out) {
  (void)d;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Deflates data into z->out; *n gets the size.  One deflate state serves
 * every stream a thread compresses: setting one up allocates a quarter of
 * a megabyte, which a fresh state per stream would map, fault in page by
 * page and unmap again, costing more than compressing a page. */
static int deflate_into(zbuf *z, const void *data, size_t len, size_t *n) {
  if (len > UINT32_MAX / 2)
    return -1;
  if (!z->ready) {
    memset(&z->zs, 0, sizeof z->zs);
    if (deflateInit(&z->zs, ZLEVEL) != Z_OK)
      return -1;
    z->ready = 1;
  } else if (deflateReset(&z->zs) != Z_OK) {
    return -1;
  }
  uLong bound = deflateBound(&z->zs, (uLong)len);
  if (cv_grow((void **)&z->out, &z->cap, bound, 1) < 0)
    return -1;
  z->zs.next_in = (Bytef *)data;
  z->zs.avail_in = (uInt)len;
  z->zs.next_out = z->out;
  z->zs.avail_out = (uInt)bound;
  int rc = deflate(&z->zs, Z_FINISH);
  *n = z->zs.total_out;
  return rc == Z_STREAM_END ? 0 : -1;
}

static void zbuf_fini(zbuf *z) {
  if (z->ready)
    deflateEnd(&z->zs);
  free(z->out);
  memset(z, 0, sizeof *z);
}

/* Stores n bytes compressed already into the stream of dictionary s. */
static int put_deflated(cv_pdf *w, HPDF_Dict s, const void *data, size_t n) {
  s->filter = HPDF_STREAM_FILTER_NONE;
  s->write_fn = write_flate_filter;
  if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)n) != HPDF_OK)
    return fail(w, "cannot store a stream");
  return 0;
}

/* Compresses data into the stream of dictionary s. */
static int put_stream(cv_pdf *w, HPDF_Dict s, const void *data, size_t len) {
  size_t n = 0;
  if (deflate_into(&w->z, data, len, &n) < 0)
    return fail(w, "cannot compress a stream (too long, or out of memory)");
  return put_deflated(w, s, w->z.out, n);
}

/* A new indirect stream object holding data; NULL on error. */
static HPDF_Dict new_stream(cv_pdf *w, const void *data, size_t len) {
  HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  if (!s) {
    fail(w, "cannot create a stream");
    return NULL;
  }
  return put_stream(w, s, data, len) < 0 ? NULL : s;
}

/* An indirect dictionary; NULL on error (already reported to the handler). */
static HPDF_Dict new_indirect(cv_pdf *w) {
  HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
  if (!d || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK)
    return NULL;
  return d;
}

/* ---- the glyphs each font needs ------------------------------------ */

static font_use *find_font(cv_pdf *w, const cv_font *f) {
  for (size_t i = 0; i < w->nfonts; i++)
    if (w->fonts[i].font == f)
      return &w->fonts[i];
  return NULL;
}

static font_use *use_font(cv_pdf *w, cv_font *f) {
  font_use *fu = find_font(w, f);
  if (fu)
    return fu;
  if (w->nfonts >= UINT16_MAX ||
      cv_grow((void **)&w->fonts, &w->capfonts, w->nfonts + 1,
              sizeof *w->fonts) < 0)
    return NULL;
  fu = &w->fonts[w->nfonts++];
  memset(fu, 0, sizeof *fu);
  fu->font = f;
  fu->gids = hb_set_create();
  fu->text_ix = hb_map_create();
  fu->type0 = new_indirect(w);
  if (!hb_set_allocation_successful(fu->gids) ||
      !hb_map_allocation_successful(fu->text_ix) || !fu->type0)
    return NULL;
  return fu;
}

static void font_use_fini(font_use *fu) {
  hb_set_destroy(fu->gids);
  hb_map_destroy(fu->text_ix);
  hb_subset_plan_destroy(fu->plan);
  free(fu->texts);
  free(fu->width);
  free(fu->file);
}

/* The first non-empty text seen for a glyph becomes its ToUnicode entry. */
static int note_glyph(cv_pdf *w, font_use *fu, const cv_glyph *g) {
  hb_set_add(fu->gids, g->gid);
  if (!g->text || !g->text_len || hb_map_has(fu->text_ix, g->gid))
    return hb_set_allocation_successful(fu->gids) ? 0 : -1;
  char *copy = cv_arena_strndup(&w->texts, g->text, g->text_len);
  if (!copy || cv_grow((void **)&fu->texts, &fu->cap, fu->ntexts + 1,
                       sizeof *fu->texts) < 0)
    return -1;
  fu->texts[fu->ntexts] = (glyph_text){copy, g->text_len};
  hb_map_set(fu->text_ix, g->gid, (hb_codepoint_t)fu->ntexts);
  fu->ntexts++;
  return hb_map_allocation_successful(fu->text_ix) ? 0 : -1;
}

static const char *font_name(const cv_font *f) {
  return f->ps_name && *f->ps_name ? f->ps_name : "Font";
}

/* ---- subsetting ---------------------------------------------------- */

/* ---- subsetting ---------------------------------------------------- */

/* Returns the subset font file (caller destroys), or NULL with fu->st. */
static hb_blob_t *subset_font(font_use *fu) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) {
    cv_status_set(&fu->st, "pdf: out of memory creating a subset");
    return NULL;
  }
  hb_set_union(hb_subset_input_glyph_set(in), fu->gids);
  /* Hinting is for screens at small sizes, which PDF viewers do their own
   * way.  Charstrings without subroutines come out smaller once compressed
   * (few glyphs share few subroutines) and are faster to make. */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                    HB_SUBSET_FLAGS_DESUBROUTINIZE);
  /* Text is already shaped: layout tables are dead weight in the PDF, and
   * dropping GSUB also keeps hb-subset from pulling in every ligature and
   * alternate reachable from the glyphs drawn. */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_set_add(drop, HB_TAG('G', 'S', 'U', 'B'));
  hb_set_add(drop, HB_TAG('G', 'P', 'O', 'S'));
  hb_set_add(drop, HB_TAG('G', 'D', 'E', 'F'));
  hb_set_add(drop, HB_TAG('k', 'e', 'r', 'n'));
  hb_set_add(drop, HB_TAG('B', 'A', 'S', 'E'));
  hb_set_add(drop, HB_TAG('J', 'S', 'T', 'F'));
  hb_set_add(drop, HB_TAG('D', 'S', 'I', 'G'));
  fu->plan = hb_subset_plan_create_or_fail(fu->font->hb_face, in);
  hb_subset_input_destroy(in);
  if (!fu->plan) {
    cv_status_set(&fu->st, "pdf: cannot subset font %s (%s)",
                  font_name(fu->font), fu->font->path ? fu->font->path : "?");
    return NULL;
  }
  fu->old_to_new = hb_subset_plan_old_to_new_glyph_mapping(fu->plan);
  hb_face_t *sub = hb_subset_plan_execute_or_fail(fu->plan);
  if (!sub) {
    cv_status_set(&fu->st, "pdf: subsetting font %s failed",
                  font_name(fu->font));
    return NULL;
  }
  fu->nglyphs = hb_face_get_glyph_count(sub);
  hb_blob_t *blob = hb_face_reference_blob(sub);
  hb_face_destroy(sub);
  if (hb_blob_get_length(blob) == 0 || fu->nglyphs == 0) {
    hb_blob_destroy(blob);
    cv_status_set(&fu->st, "pdf: subset of font %s is empty",
                  font_name(fu->font));
    return NULL;
  }
  return blob;
}

static int pdf_width(const cv_font *f, uint32_t gid);

/* The /W widths of the subset, by its glyph ids: the advances the
 * content streams were written against (pdf_width). */
static int compute_widths(font_use *fu) {
  const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  fu->width = cv_calloc_n(fu->nglyphs, sizeof *fu->width);
  if (!fu->width) {
    cv_status_set(&fu->st, "pdf: out of memory");
    return -1;
  }
  for (unsigned g = 0; g < fu->nglyphs; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    if (old != HB_MAP_VALUE_INVALID)
      fu->width[g] = pdf_width(fu->font, old);
  }
  return 0;
}

/* Subsets fu's font, measures its glyphs and compresses the font program:
 * everything of embedding that libharu plays no part in.  Failures go to
 * fu->st. */
static void prepare_font(font_use *fu, zbuf *z) {
  hb_blob_t *file = subset_font(fu);
  if (!file || compute_widths(fu) < 0) {
    hb_blob_destroy(file);
    return;
  }
  unsigned len = 0;
  const char *data = hb_blob_get_data(file, &len);
  size_t n = 0;
  if (deflate_into(z, data, len, &n) < 0 || !(fu->file = malloc(n ? n : 1))) {
    cv_status_set(&fu->st, "pdf: out of memory compressing font %s",
                  font_name(fu->font));
  } else {
    memcpy(fu->file, z->out, n);
    fu->file_len = n;
    fu->file_raw = len;
  }
  hb_blob_destroy(file);
}

static void prepare_fonts(cv_pdf *w) {
  /* A second thread for half the fonts was measured slower: its fresh
   * malloc arena faults in every page hb-subset touches. */
  for (size_t i = 0; i < w->nfonts; i++)
    prepare_font(&w->fonts[i], &w->z);
}

/* A glyph's advance as the PDF viewer takes it (its /W entry), in 1000ths
 * of an em: known before subsetting, so pages can be written first. */
static int pdf_width(const cv_font *f, uint32_t gid) {
  int xs = 0, ys = 0;
  hb_font_get_scale(f->hb_font, &xs, &ys);
  double scale = xs > 0 ? (double)xs : f->upem ? (double)f->upem : 1000.0;
  hb_position_t adv = hb_font_get_glyph_h_advance(f->hb_font, gid);
  return (int)lround(adv * 1000.0 / scale);
}

/* "ABCDEF": six letters derived from the font and its glyph set, so the
 * same input gives the same bytes and different subsets differ. */
static void subset_tag(const font_use *fu, char tag[7]) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const char *s = font_name(fu->font); *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  hb_codepoint_t g = HB_SET_VALUE_INVALID;
  while (hb_set_next(fu->gids, &g))
    for (int k = 0; k < 4; k++)
      h = (h ^ ((g >> (8 * k)) & 0xFF)) * 1099511628211ull;
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = '\0';
}

/* ---- strings ------------------------------------------------------- */

static void put_hex4(cv_buf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char s[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
               hex[v & 15]};
  cv_buf_put(b, s, 4);
}

/* UTF-8 -> UTF-16BE hex digits; invalid bytes become U+FFFD. */
static void put_utf16_hex(cv_buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp = 0xFFFD;
    int k = cv_utf8_decode(s + i, n - i, &cp);
    i += k > 0 ? (size_t)k : 1;
    if (k <= 0)
      cp = 0xFFFD;
    if (cp < 0x10000) {
      put_hex4(b, cp);
      continue;
    }
    cp -= 0x10000;
    put_hex4(b, 0xD800 | (cp >> 10));
    put_hex4(b, 0xDC00 | (cp & 0x3FF));
  }
}

/* A PDF text string as UTF-16BE with BOM.  libharu's own UTF-8 encoder
 * stores 16-bit code units only (no characters beyond the BMP), so info
 * and outline strings are built here and stored as binary strings. */
static HPDF_Binary text_string(cv_pdf *w, const char *s) {
  size_t n = strlen(s);
  HPDF_BYTE *u = cv_malloc_n(n + 1, 4); /* each char at most 4 bytes */
  if (!u)
    return NULL;
  size_t len = 0, i = 0;
  u[len++] = 0xFE;
  u[len++] = 0xFF;
  while (i < n) {
    uint32_t cp = 0xFFFD;
    int k = cv_utf8_decode(s + i, n - i, &cp);
    i += k > 0 ? (size_t)k : 1;
    if (k <= 0)
      cp = 0xFFFD;
    uint32_t units[2] = {cp, 0};
    int nu = 1;
    if (cp >= 0x10000) {
      units[0] = 0xD800 | ((cp - 0x10000) >> 10);
      units[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
      nu = 2;
    }
    for (int j = 0; j < nu; j++) {
      u[len++] = (HPDF_BYTE)(units[j] >> 8);
      u[len++] = (HPDF_BYTE)(units[j] & 0xFF);
    }
  }
  HPDF_Binary bin = HPDF_Binary_New(w->pdf->mmgr, u, (HPDF_UINT)len);
  free(u);
  return bin;
}

/* ---- font objects -------------------------------------------------- */

static const char cmap_head[] = "/CIDInit /ProcSet findresource begin\n"
                                "12 dict begin\nbegincmap\n";
static const char cmap_tail[] =
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/* CMap entries come in blocks of at most 100 (PDF 32000-1, 9.7.6.2 and
 * 9.10.3): "n beginbfchar ... endbfchar".  The last block's count is
 * known at the end only and is patched in. */
typedef struct cmap_block {
  const char *kind; /* "cidrange", "bfchar" */
  unsigned n;       /* entries in the open block */
  size_t start;     /* where its count is */
} cmap_block;

/* Opens an entry for code: "<code> ", the caller writes the rest. */
static void block_entry(cv_buf *b, cmap_block *k, unsigned code) {
  if (k->n++ == 0) {
    k->start = b->len;
    cv_buf_printf(b, "100 begin%s\n", k->kind); /* count patched below */
  }
  cv_buf_putc(b, '<');
  put_hex4(b, code);
  cv_buf_puts(b, "> ");
}

static void block_close(cv_buf *b, cmap_block *k) {
  if (k->n == 0)
    return;
  cv_buf_printf(b, "end%s\n", k->kind);
  if (k->n < 100 && !b->failed) {
    char cnt[16];
    snprintf(cnt, sizeof cnt, "%3u", k->n);
    memcpy(b->data + k->start, cnt, 3); /* leading spaces are fine */
  }
  k->n = 0;
}

/* Ends an entry (and its block when full). */
static void block_done(cv_buf *b, cmap_block *k) {
  if (k->n == 100)
    block_close(b, k);
}

/* The finished CMap in b as a stream object; frees b. */
static HPDF_Dict cmap_stream(cv_pdf *w, cv_buf *b, cmap_block *k) {
  block_close(b, k);
  cv_buf_puts(b, cmap_tail);
  HPDF_Dict s = b->failed ? NULL : new_stream(w, b->data, b->len);
  cv_buf_fini(b);
  return s;
}

static HPDF_Dict to_unicode_cmap(cv_pdf *w, font_use *fu) {
  cv_buf b;
  cv_buf_init(&b);
  cv_buf_puts(&b, cmap_head);
  cv_buf_puts(&b, "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                  "/Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\n"
                  "endcodespacerange\n");
  cmap_block blk = {"bfchar", 0, 0};
  const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  for (unsigned g = 0; g < fu->nglyphs && g <= 0xFFFF; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    hb_codepoint_t ix = old == HB_MAP_VALUE_INVALID
                            ? HB_MAP_VALUE_INVALID
                            : hb_map_get(fu->text_ix, old);
    if (ix == HB_MAP_VALUE_INVALID)
      continue;
    block_entry(&b, &blk, g);
    cv_buf_putc(&b, '<');
    put_utf16_hex(&b, fu->texts[ix].s, fu->texts[ix].len);
    cv_buf_puts(&b, ">\n");
    block_done(&b, &blk);
  }
  return cmap_stream(w, &b, &blk);
}

static HPDF_Array int_array(cv_pdf *w, const double *v, int n) {
  HPDF_Array a = HPDF_Array_New(w->pdf->mmgr);
  if (!a)
    return NULL;
  for (int i = 0; i < n; i++)
    if (HPDF_Array_AddNumber(a, (HPDF_INT32)lround(v[i])) != HPDF_OK)
      return NULL;
  return a;
}

static HPDF_Dict font_descriptor(cv_pdf *w, const font_use *fu,
                                 const char *base) {
  const cv_font *f = fu->font;
  double s = 1000.0 / (f->upem ? f->upem : 1000);
  HPDF_Dict fd = new_indirect(w);
  if (!fd)
    return NULL;
  int flags = f->symbolic ? 4 : 32;
  if (f->fixed_pitch)
    flags |= 1;
  if (f->serif)
    flags |= 2;
  if (f->italic_angle != 0)
    flags |= 64;
  double bbox[4] = {f->bbox[0] * s, f->bbox[1] * s, f->bbox[2] * s,
                    f->bbox[3] * s};
  /* A font without an OS/2 cap height still needs a plausible one. */
  double cap = f->cap_height ? f->cap_height * s : f->ascender * s * 0.7;
  HPDF_STATUS r = HPDF_OK;
  r += HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
  r += HPDF_Dict_AddName(fd, "FontName", base);
  r += HPDF_Dict_AddNumber(fd, "Flags", flags);
  r += HPDF_Dict_Add(fd, "FontBBox", int_array(w, bbox, 4));
  r += HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)f->italic_angle);
  r += HPDF_Dict_AddNumber(fd, "Ascent", (HPDF_INT32)lround(f->ascender * s));
  r += HPDF_Dict_AddNumber(fd, "Descent",
                           (HPDF_INT32)lround(f->descender * s));
  r += HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(cap));
  if (f->x_height)
    r += HPDF_Dict_AddNumber(fd, "XHeight",
                             (HPDF_INT32)lround(f->x_height * s));
  r += HPDF_Dict_AddNumber(fd, "StemV", 80);
  if (r != HPDF_OK)
    return NULL;

  HPDF_Dict ff = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  if (!ff || put_deflated(w, ff, fu->file, fu->file_len) < 0)
    return NULL;
  if (f->is_cff) {
    /* The hb-subset output stays an OpenType font with a CFF table:
     * FontFile3 /OpenType (PDF 1.6) takes it as it is. */
    r += HPDF_Dict_AddName(ff, "Subtype", "OpenType");
    r += HPDF_Dict_Add(fd, "FontFile3", ff);
  } else {
    r += HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)fu->file_raw);
    r += HPDF_Dict_Add(fd, "FontFile2", ff);
  }
  return r == HPDF_OK ? fd : NULL;
}

static HPDF_Dict cid_font(cv_pdf *w, const font_use *fu, const char *base,
                          HPDF_Dict fd) {
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Dict cf = new_indirect(w);
  HPDF_Dict info = HPDF_Dict_New(mm);
  HPDF_Array wa = HPDF_Array_New(mm);
  if (!cf || !info || !wa)
    return NULL;
  HPDF_STATUS r = HPDF_OK;
  r += HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
  r += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
  r += HPDF_Dict_AddNumber(info, "Supplement", 0);
  /* Subset glyph ids are dense (0..n-1), so W is "start [widths]" groups;
   * a group stays under libharu's limit of 8191 array elements. */
  for (unsigned start = 0; start < fu->nglyphs && r == HPDF_OK;
       start += 8000) {
    HPDF_Array ws = HPDF_Array_New(mm);
    if (!ws)
      return NULL;
    for (unsigned g = start; g < fu->nglyphs && g < start + 8000; g++)
      r += HPDF_Array_AddNumber(ws, fu->width[g]);
    r += HPDF_Array_AddNumber(wa, (HPDF_INT32)start);
    r += HPDF_Array_Add(wa, ws);
  }
  r += HPDF_Dict_AddName(cf, "Type", "Font");
  r += HPDF_Dict_AddName(cf, "Subtype",
                         fu->font->is_cff ? "CIDFontType0" : "CIDFontType2");
  r += HPDF_Dict_AddName(cf, "BaseFont", base);
  r += HPDF_Dict_Add(cf, "CIDSystemInfo", info);
  r += HPDF_Dict_Add(cf, "FontDescriptor", fd);
  r += HPDF_Dict_Add(cf, "W", wa);
  if (!fu->font->is_cff)
    r += HPDF_Dict_AddName(cf, "CIDToGIDMap", "Identity");
  return r == HPDF_OK ? cf : NULL;
}

static int embed_font(cv_pdf *w, font_use *fu) {
  if (fu->st.failed || !fu->file) {
    w->failed = 1;
    cv_status_set(w->st, "%s", fu->st.failed ? fu->st.msg : "pdf: font not prepared");
    return -1;
  }
  char tag[7], base[128];
  subset_tag(fu, tag);
  snprintf(base, sizeof base, "%s+%.100s", tag, font_name(fu->font));
  HPDF_Dict fd = font_descriptor(w, fu, base);
  HPDF_Dict cf = fd ? cid_font(w, fu, base, fd) : NULL;
  HPDF_Dict tu = cf ? to_unicode_cmap(w, fu) : NULL;
  HPDF_Array desc = tu ? HPDF_Array_New(w->pdf->mmgr) : NULL;
  if (!desc)
    return w->failed ? -1 : fail(w, "cannot build font objects");
  HPDF_Dict t0 = fu->type0;
  HPDF_STATUS r = HPDF_Array_Add(desc, cf);
  r += HPDF_Dict_AddName(t0, "Type", "Font");
  r += HPDF_Dict_AddName(t0, "Subtype", "Type0");
  r += HPDF_Dict_AddName(t0, "BaseFont", base);
  r += HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
  r += HPDF_Dict_Add(t0, "DescendantFonts", desc);
  r += HPDF_Dict_Add(t0, "ToUnicode", tu);
  if (r != HPDF_OK)
    return fail(w, "cannot build font objects");
  return 0;
}

/* ---- page content -------------------------------------------------- */

/* What the content stream has set so far, so that each operator is
 * written only when it changes something: one text object for a run of
 * text items, one TJ array for the words of a line in one font. */
typedef struct content {
  cv_pdf *w;
  HPDF_Page page;
  cv_buf *b;
  pending *p;     /* where the codes are noted */
  int oom;
  int in_text;    /* inside BT ... ET */
  int in_array;   /* inside [ ... ] TJ */
  int in_str;     /* inside < ... > of the array */
  size_t font;    /* index in w->fonts of the current font; SIZE_MAX none */
  double size;
  int have_fill;
  cv_color fill;
  double lx, ly;  /* the text line origin (set by Td) */
  double pen;     /* x where the next glyph would go, on line ly */
  double pending; /* TJ adjustment not yet written, 1000ths of an em */
} content;

static void put_color(cv_buf *b, cv_color col, const char *op) {
  cv_buf_num(b, col.r, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, col.g, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, col.b, 3);
  cv_buf_printf(b, " %s\n", op);
}

static void set_fill(content *c, cv_color col) {
  if (c->have_fill && c->fill.r == col.r && c->fill.g == col.g &&
      c->fill.b == col.b)
    return;
  put_color(c->b, col, "rg");
  c->fill = col;
  c->have_fill = 1;
}

static void close_str(content *c) {
  if (c->in_str)
    cv_buf_putc(c->b, '>');
  c->in_str = 0;
}

/* Writes the part of the pending adjustment that survives rounding to a
 * whole 1000th of an em (at 10pt, 0.005pt); the rest stays pending, so
 * positions never drift. */
static void flush_adjust(content *c) {
  double q = round(c->pending);
  if (q == 0)
    return;
  close_str(c);
  cv_buf_num(c->b, q, 0);
  c->pending -= q;
}

static void close_array(content *c) {
  if (!c->in_array)
    return;
  close_str(c);
  cv_buf_puts(c->b, "] TJ\n");
  c->in_array = 0;
  c->pending = 0;
}

static void end_text(content *c) {
  close_array(c);
  if (c->in_text)
    cv_buf_puts(c->b, "ET\n");
  c->in_text = 0;
}

/* Moves the text position to (x, y) and opens a TJ array there. */
static void move_to(content *c, double x, double y) {
  close_array(c);
  if (!c->in_text) {
    cv_buf_puts(c->b, "BT\n");
    c->in_text = 1;
    c->lx = c->ly = 0;
  }
  cv_buf_num(c->b, x - c->lx, 3);
  cv_buf_putc(c->b, ' ');
  cv_buf_num(c->b, y - c->ly, 3);
  cv_buf_puts(c->b, " Td\n");
  c->lx = x;
  c->ly = y;
  c->pen = x;
  cv_buf_putc(c->b, '[');
  c->in_array = 1;
}

/* Notes that a code of the current font starts at the end of the buffer. */
static void note_code(content *c) {
  pending *p = c->p;
  uint16_t font = (uint16_t)c->font;
  if (p->nruns == 0 || p->runs[p->nruns - 1].font != font) {
    if (cv_grow((void **)&p->runs, &p->capruns, p->nruns + 1,
                sizeof *p->runs) < 0) {
      c->oom = 1;
      return;
    }
    p->runs[p->nruns++] = (code_run){(uint32_t)p->npos, font};
  }
  if (c->b->len > UINT32_MAX ||
      cv_grow((void **)&p->pos, &p->cappos, p->npos + 1, sizeof *p->pos) < 0) {
    c->oom = 1;
    return;
  }
  p->pos[p->npos++] = (uint32_t)c->b->len;
}

/* The glyphs of a run into the open TJ array.  Each glyph's PDF advance
 * is its /W width; the adjustments make up the difference to the shaped
 * advance (kerning, letter spacing).  Glyph offsets move the pen before
 * the glyph (dx) or raise it with Ts (dy, e.g. stacked marks). */
static void put_glyphs(content *c, const cv_run *r) {
  double k = 1000.0 / r->size, rise = 0;
  const cv_font *f = c->w->fonts[c->font].font;
  for (uint32_t i = 0; i < r->n; i++) {
    const cv_glyph *g = &r->g[i];
    if (fabs(g->dy - rise) > 0.0005) {
      flush_adjust(c);
      close_str(c);
      rise = g->dy;
      cv_buf_puts(c->b, "] TJ ");
      cv_buf_num(c->b, rise, 3);
      cv_buf_puts(c->b, " Ts [");
    }
    c->pending -= g->dx * k;
    flush_adjust(c);
    if (!c->in_str)
      cv_buf_putc(c->b, '<');
    c->in_str = 1;
    note_code(c);
    put_hex4(c->b, g->gid <= 0xFFFF ? g->gid : 0);
    c->pending += pdf_width(f, g->gid) - (g->adv - g->dx) * k;
  }
  if (rise != 0) {
    flush_adjust(c);
    close_str(c);
    cv_buf_puts(c->b, "] TJ 0 Ts [");
  }
}

/* ToUnicode gives each glyph one text.  A glyph whose cluster text
 * differs here (a base letter carrying a combining mark, a mark glyph
 * mapped elsewhere) would extract wrongly, so such a run gets its own text
 * as ActualText. */
static int tounicode_exact(const font_use *fu, const cv_run *r) {
  for (uint32_t i = 0; i < r->n; i++) {
    const cv_glyph *g = &r->g[i];
    hb_codepoint_t ix = hb_map_get(fu->text_ix, g->gid);
    uint32_t len = ix == HB_MAP_VALUE_INVALID ? 0 : fu->texts[ix].len;
    if (len != g->text_len ||
        (len && memcmp(fu->texts[ix].s, g->text, len) != 0))
      return 0;
  }
  return 1;
}

static void begin_actual_text(cv_buf *b, const cv_run *r) {
  cv_buf_puts(b, "/Span <</ActualText <FEFF");
  if (r->actual_text) {
    put_utf16_hex(b, r->actual_text, strlen(r->actual_text));
  } else {
    for (uint32_t i = 0; i < r->n; i++)
      if (r->g[i].text)
        put_utf16_hex(b, r->g[i].text, r->g[i].text_len);
  }
  cv_buf_puts(b, ">>> BDC\n");
}

static int put_text(content *c, const cv_dl_item *it) {
  const cv_run *r = it->run;
  if (!r || r->n == 0 || !(r->size > 0))
    return 0;
  if (!r->font)
    return fail(c->w, "a text run has no font");
  font_use *fu = use_font(c->w, r->font);
  if (!fu)
    return fail(c->w, "out of memory collecting glyphs");
  for (uint32_t k = 0; k < r->n; k++) {
    cv_glyph g = r->g[k];
    /* An icon's glyph stands for its word ("Email") in ToUnicode too, or
     * for a space: extractors that ignore ActualText (pdfminer, behind
     * many applicant tracking systems) never see a private-use character. */
    if (r->actual_text && g.text_len) {
      g.text = *r->actual_text ? r->actual_text : " ";
      g.text_len = (uint32_t)strlen(g.text);
    }
    if (note_glyph(c->w, fu, &g) < 0)
      return fail(c->w, "out of memory collecting glyphs");
  }
  /* With ActualText, extraction reads it instead of the glyphs: an icon
   * says "Email" or nothing, never a private-use character. */
  int span = r->actual_text || !tounicode_exact(fu, r);
  int same_line = c->in_array && fabs(it->y - c->ly) < 1e-6;
  /* use_font may have moved the array: compare indices. */
  size_t fi = (size_t)(fu - c->w->fonts);
  if (span || fi != c->font || r->size != c->size)
    same_line = 0;
  if (!same_line)
    close_array(c);
  if (span) {
    end_text(c);
    begin_actual_text(c->b, r);
  }
  if (!c->in_text) {
    cv_buf_puts(c->b, "BT\n");
    c->in_text = 1;
    c->lx = c->ly = 0;
  }
  if (fi != c->font || r->size != c->size) {
    const char *name = HPDF_Page_GetLocalFontName(c->page, fu->type0);
    if (!name)
      return fail(c->w, "cannot register a font on a page");
    cv_buf_printf(c->b, "/%s ", name);
    cv_buf_num(c->b, r->size, 3);
    cv_buf_puts(c->b, " Tf\n");
    c->font = fi;
    c->size = r->size;
  }
  if (!c->have_fill || memcmp(&c->fill, &r->color, sizeof r->color) != 0) {
    /* rg may go inside a text object, not inside a TJ array. */
    if (same_line) {
      close_array(c);
      same_line = 0;
    }
    set_fill(c, r->color);
  }
  if (same_line) {
    /* The space between words on one line, as a TJ adjustment. */
    c->pending -= (it->x - c->pen) * 1000.0 / r->size;
  } else {
    move_to(c, it->x, it->y);
  }
  put_glyphs(c, r);
  c->pen = it->x + r->width;
  if (span) {
    end_text(c);
    cv_buf_puts(c->b, "EMC\n");
  }
  return 0;
}

static void put_rect(content *c, const cv_dl_item *it) {
  end_text(c);
  set_fill(c, it->color);
  cv_buf_num(c->b, it->x, 3);
  cv_buf_putc(c->b, ' ');
  cv_buf_num(c->b, it->y, 3);
  cv_buf_putc(c->b, ' ');
  cv_buf_num(c->b, it->w, 3);
  cv_buf_putc(c->b, ' ');
  cv_buf_num(c->b, it->h, 3);
  cv_buf_puts(c->b, " re f\n");
}

/* URIs must be 7-bit ASCII in PDF: other bytes and spaces are
 * percent-encoded. */
static char *ascii_uri(const char *uri) {
  cv_buf b;
  cv_buf_init(&b);
  for (const unsigned char *s = (const unsigned char *)uri; *s; s++) {
    if (*s <= 0x20 || *s >= 0x7F)
      cv_buf_printf(&b, "%%%02X", *s);
    else
      cv_buf_putc(&b, (char)*s);
  }
  cv_buf_putc(&b, '\0');
  if (b.failed) {
    cv_buf_fini(&b);
    return NULL;
  }
  return b.data;
}

static double clamp(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* A link area is clipped to the page: text set past the edge (a word
 * wider than the page) must not take the rectangle past what PDF numbers
 * can hold.  The builder drops the targets a PDF may not hold, with a
 * warning; what reaches here unchecked (another caller) is left out. */
static int put_link(cv_pdf *w, HPDF_Page page, const cv_page *pg,
                    const cv_dl_item *it) {
  char why[96];
  if (!it->uri || !*it->uri || cv_link_refused(it->uri, 0, why, sizeof why))
    return 0;
  double x0 = clamp(it->x, 0, pg->width),
         x1 = clamp(it->x + it->w, 0, pg->width);
  double y0 = clamp(it->y, 0, pg->height),
         y1 = clamp(it->y + it->h, 0, pg->height);
  if (!(x1 > x0) || !(y1 > y0))
    return 0;
  char *uri = ascii_uri(it->uri);
  if (!uri)
    return fail(w, "out of memory");
  HPDF_Rect rect = {(HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)y1};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, uri);
  free(uri);
  if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
    return fail(w, "cannot create a link annotation");
  return check_doc(w, "cannot create a link annotation");
}

#define MAX_LEVEL 8

/* [page /XYZ null y null]: jump to the heading, keep the reader's zoom.
 * libharu's HPDF_Destination_SetXYZ refuses a null zoom, so the array is
 * written here. */
static HPDF_Destination xyz_dest(cv_pdf *w, HPDF_Page page, double y,
                                 double page_h) {
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Destination dst = HPDF_Page_CreateDestination(page);
  if (!dst)
    return NULL;
  HPDF_Array_Clear(dst);
  HPDF_STATUS r = HPDF_Array_Add(dst, page);
  r += HPDF_Array_AddName(dst, "XYZ");
  r += HPDF_Array_Add(dst, HPDF_Null_New(mm));
  r += HPDF_Array_AddReal(dst, (HPDF_REAL)clamp(y, 0, page_h));
  r += HPDF_Array_Add(dst, HPDF_Null_New(mm));
  return r == HPDF_OK ? dst : NULL;
}

static int put_mark(cv_pdf *w, HPDF_Page page, const cv_page *pg,
                    const cv_dl_item *it) {
  int level = it->level < 1 ? 1 : it->level > MAX_LEVEL ? MAX_LEVEL : it->level;
  HPDF_Outline parent = NULL;
  for (int l = level - 1; l >= 1 && !parent; l--)
    parent = w->last[l];
  HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
  HPDF_Binary title = o ? text_string(w, it->title ? it->title : "") : NULL;
  HPDF_Destination dst = title ? xyz_dest(w, page, it->y, pg->height) : NULL;
  if (!dst || HPDF_Dict_Add(o, "Title", title) != HPDF_OK ||
      HPDF_Outline_SetDestination(o, dst) != HPDF_OK ||
      HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
    return fail(w, "cannot create an outline entry");
  w->last[level] = o;
  for (int l = level + 1; l <= MAX_LEVEL; l++)
    w->last[l] = NULL;
  return 0;
}

/* Writes the items of pg (text, rules, links, outline entries) as one
 * content stream into s.  The body of a page is wrapped in q ... Q, so a
 * second stream (the running header and footer) starts from the default
 * graphics state. */
static int put_items(cv_pdf *w, HPDF_Page page, HPDF_Dict s,
                     const cv_page *pg, int wrap) {
  cv_buf_reset(&w->content);
  if (cv_grow((void **)&w->pend, &w->cappend, w->npend + 1,
              sizeof *w->pend) < 0)
    return fail(w, "out of memory");
  pending *p = &w->pend[w->npend++];
  memset(p, 0, sizeof *p);
  p->stream = s;
  content c = {.w = w, .page = page, .b = &w->content, .p = p,
               .font = SIZE_MAX};
  if (wrap)
    cv_buf_puts(c.b, "q\n");
  int rc = 0;
  for (size_t i = 0; i < pg->n && rc == 0; i++) {
    const cv_dl_item *it = &pg->items[i];
    if (it->kind == CV_DL_TEXT)
      rc = put_text(&c, it);
    else if (it->kind == CV_DL_RECT)
      put_rect(&c, it);
    else if (it->kind == CV_DL_LINK)
      rc = put_link(w, page, pg, it);
    else if (it->kind == CV_DL_MARK)
      rc = put_mark(w, page, pg, it);
  }
  end_text(&c);
  if (wrap)
    cv_buf_puts(c.b, "Q\n");
  if (rc == 0 && (c.b->failed || c.oom))
    rc = fail(w, "out of memory writing a page");
  if (rc == 0)
    rc = check_doc(w, "cannot write a page");
  /* Kept, at its size, until the fonts are subset. */
  if (rc == 0 && !(p->ops = malloc(c.b->len ? c.b->len : 1)))
    rc = fail(w, "out of memory writing a page");
  if (rc == 0) {
    memcpy(p->ops, c.b->data ? c.b->data : "", c.b->len);
    p->len = c.b->len;
  }
  return rc;
}

static void pending_fini(pending *p) {
  free(p->ops);
  free(p->pos);
  free(p->runs);
  memset(p, 0, sizeof *p);
}

static int hex_digit(char ch) {
  return ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
}

/* Rewrites the codes of p as the subsets' glyph ids, compresses it into
 * its stream and frees what it held. */
static int finish_pending(cv_pdf *w, pending *p) {
  size_t r = 0;
  for (size_t i = 0; i < p->npos; i++) {
    while (r + 1 < p->nruns && p->runs[r + 1].first <= i)
      r++;
    const font_use *fu = &w->fonts[p->runs[r].font];
    char *h = p->ops + p->pos[i];
    unsigned old = 0;
    for (int k = 0; k < 4; k++)
      old = old << 4 | (unsigned)hex_digit(h[k]);
    hb_codepoint_t ng = hb_map_get(fu->old_to_new, old);
    if (ng == HB_MAP_VALUE_INVALID || ng > 0xFFFF)
      ng = 0;
    static const char hex[] = "0123456789ABCDEF";
    for (int k = 3; k >= 0; k--, ng >>= 4)
      h[k] = hex[ng & 15];
  }
  int rc = put_stream(w, p->stream, p->ops, p->len);
  pending_fini(p);
  return rc;
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
  w->pdf = HPDF_New(on_hpdf_error, &w->err);
  if (!w->pdf) {
    fail(w, "cannot create a document (out of memory)");
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
    font_use_fini(&w->fonts[i]);
  free(w->fonts);
  free(w->pages);
  for (size_t i = 0; i < w->npend; i++)
    pending_fini(&w->pend[i]);
  free(w->pend);
  cv_arena_fini(&w->texts);
  cv_buf_fini(&w->content);
  zbuf_fini(&w->z);
  free(w);
}

int cv_pdf_page(cv_pdf *w, const cv_page *pg, cv_status *st) {
  w->st = st;
  if (w->failed)
    return fail(w, "the document already failed");
  if (cv_grow((void **)&w->pages, &w->cappages, w->npages + 1,
              sizeof *w->pages) < 0)
    return fail(w, "out of memory");
  HPDF_Page page = HPDF_AddPage(w->pdf);
  if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width) != HPDF_OK ||
      HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height) != HPDF_OK)
    return fail(w, "cannot add a page");
  w->pages[w->npages++] = page;
  /* The page's content stream is written directly: libharu's text
   * operators would re-encode the glyph ids through an encoder. */
  HPDF_Dict s = ((HPDF_PageAttr)page->attr)->contents;
  if (!s)
    return fail(w, "a page has no content stream");
  return put_items(w, page, s, pg, 1);
}

int cv_pdf_margin(cv_pdf *w, size_t index, const cv_page *items,
                  cv_status *st) {
  w->st = st;
  if (w->failed)
    return fail(w, "the document already failed");
  if (index >= w->npages)
    return fail(w, "running header or footer for a page not written");
  if (items->n == 0)
    return 0;
  HPDF_Page page = w->pages[index];
  HPDF_PageAttr attr = page->attr;
  HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  HPDF_Array both = s ? HPDF_Array_New(w->pdf->mmgr) : NULL;
  if (!both || HPDF_Array_Add(both, attr->contents) != HPDF_OK ||
      HPDF_Array_Add(both, s) != HPDF_OK ||
      HPDF_Dict_Add(page, "Contents", both) != HPDF_OK)
    return fail(w, "cannot add a second content stream");
  return put_items(w, page, s, items, 0);
}

/* ---- document information ------------------------------------------ */

static int set_info_text(cv_pdf *w, const char *key, const char *value) {
  if (!value)
    return 0;
  /* The pipeline reports this at the field; a last guard for others. */
  if (cv_pdf_text_units(value) > CV_PDF_MAX_TEXT)
    return fail(w, "document information longer than a PDF string holds");
  HPDF_Binary s = text_string(w, value);
  if (!s || HPDF_Dict_Add(w->pdf->info, key, s) != HPDF_OK)
    return fail(w, "cannot set document information");
  return 0;
}

static int set_info(cv_pdf *w, const cv_docinfo *d) {
  time_t t = (time_t)d->date;
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return fail(w, "document date out of range");
  HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, '+', 0, 0};
  if (HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
      HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK ||
      !w->pdf->info)
    return fail(w, "cannot set the document date");
  if (set_info_text(w, "Title", d->title) < 0 ||
      set_info_text(w, "Author", d->author) < 0 ||
      set_info_text(w, "Subject", d->subject) < 0 ||
      set_info_text(w, "Keywords", d->keywords) < 0 ||
      set_info_text(w, "Creator", d->creator) < 0)
    return -1;
  if (d->lang && *d->lang &&
      HPDF_Dict_Add(w->pdf->catalog, "Lang",
                    HPDF_String_New(w->pdf->mmgr, d->lang, NULL)) != HPDF_OK)
    return fail(w, "cannot set the document language");
  if (!d->title)
    return 0;
  /* Viewers show the title, not the file name (libharu 2.3.0 has no
   * constant for DisplayDocTitle). */
  HPDF_Dict vp = HPDF_Dict_New(w->pdf->mmgr);
  if (!vp || HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
      HPDF_Dict_Add(w->pdf->catalog, "ViewerPreferences", vp) != HPDF_OK)
    return fail(w, "cannot set viewer preferences");
  return 0;
}

/* Subsets and embeds the fonts, finishes the pages and sets the document
 * information: what is left is to serialise the document. */
static int finish_document(cv_pdf *w, const cv_docinfo *info, cv_status *st) {
  w->st = st;
  if (w->failed)
    return fail(w, "the document already failed");
  if (w->npages == 0) {
    cv_status_set(st, "pdf: nothing to write (the document has no pages)");
    return -1;
  }
  prepare_fonts(w);
  for (size_t i = 0; i < w->nfonts; i++)
    if (embed_font(w, &w->fonts[i]) < 0)
      return -1;
  for (size_t i = 0; i < w->npend; i++)
    if (finish_pending(w, &w->pend[i]) < 0)
      return -1;
  w->npend = 0;
  return set_info(w, info);
}

/* Serialises the finished document and hands its bytes to put in pieces.
 * libharu writes files itself with stdio and ignores what fclose says, so
 * a disk that fills up during the last flush would go unnoticed: the
 * bytes are read back from its memory stream instead, and every write is
 * checked by put. */
static int drain(cv_pdf *w, int (*put)(void *, const void *, size_t),
                 void *ud, cv_status *st) {
  if (HPDF_SaveToStream(w->pdf) != HPDF_OK) {
    w->failed = 1;
    cv_status_set(st,
                  "pdf: cannot write the document (libharu error 0x%04X, "
                  "detail %u)",
                  (unsigned)w->err.code, (unsigned)w->err.detail);
    return -1;
  }
  HPDF_BYTE chunk[65536];
  int rc = 0;
  for (;;) {
    HPDF_UINT32 n = sizeof chunk;
    HPDF_STATUS hr = HPDF_ReadFromStream(w->pdf, chunk, &n);
    if (n > 0 && put(ud, chunk, n) < 0) {
      cv_status_set(st, "cannot write the PDF: %s", strerror(errno));
      rc = -1;
      break;
    }
    if (hr == HPDF_STREAM_EOF)
      break;
    if (hr != HPDF_OK) {
      rc = fail(w, "cannot read back the document");
      break;
    }
  }
  HPDF_ResetStream(w->pdf);
  return rc;
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

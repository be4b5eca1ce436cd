/* cvpdf - PDF backend: libharu document objects plus the project's own font
 * embedding (DESIGN.md, "PDF output").  libharu's TrueType path reaches
 * glyphs only through the cmap, so shaped text (ligatures, kerning) cannot
 * go through it: each font is subset with hb-subset after layout and
 * embedded as a Type0/Identity-H font whose CIDs are the subset's glyph
 * ids, and text is written as raw content-stream operators. */
#define _POSIX_C_SOURCE 200809L

#include "display.h"
#include "font.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* libharu reports errors through a callback; the first one is kept here
 * (no globals: the handler gets this through user_data). */
typedef struct pdf_err {
  HPDF_STATUS code, detail;
} pdf_err;

typedef struct glyph_text {
  const char *s;
  uint32_t len;
} glyph_text;

/* One font as used by the document: which glyphs, what they stand for,
 * and after subsetting, the new glyph ids and the PDF font object. */
typedef struct font_use {
  cv_font *font;
  hb_set_t *gids;     /* old glyph ids drawn */
  hb_map_t *text_ix;  /* old gid -> index in texts */
  glyph_text *texts;
  size_t ntexts, cap;
  hb_subset_plan_t *plan;
  const hb_map_t *old_to_new; /* owned by plan */
  unsigned nglyphs;           /* glyphs in the subset */
  int *width;                 /* by new gid, in 1000ths of an em */
  HPDF_Dict type0;
} font_use;

typedef struct pdf_ctx {
  const cv_docout *d;
  cv_status *st;
  HPDF_Doc pdf;
  pdf_err err;
  font_use *fonts;
  size_t nfonts, cap;
} pdf_ctx;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud) {
  pdf_err *e = ud;
  if (e->code)
    return; /* the first error wins */
  e->code = code;
  e->detail = detail;
}

/* Every failure passes through here.  A libharu error already recorded by
 * the handler is the more precise cause and is quoted with it. */
static int fail(pdf_ctx *c, const char *what) {
  if (c->err.code)
    cv_status_set(c->st, "pdf: %s (libharu error 0x%04X, detail %u)", what,
                  (unsigned)c->err.code, (unsigned)c->err.detail);
  else
    cv_status_set(c->st, "pdf: %s", what);
  return -1;
}

/* ---- collecting the glyphs each font needs ------------------------- */

static font_use *find_font(pdf_ctx *c, const cv_font *f) {
  for (size_t i = 0; i < c->nfonts; i++)
    if (c->fonts[i].font == f)
      return &c->fonts[i];
  return NULL;
}

static font_use *add_font(pdf_ctx *c, cv_font *f) {
  font_use *fu = find_font(c, f);
  if (fu)
    return fu;
  if (cv_grow((void **)&c->fonts, &c->cap, c->nfonts + 1, sizeof *c->fonts) <
      0)
    return NULL;
  fu = &c->fonts[c->nfonts++];
  memset(fu, 0, sizeof *fu);
  fu->font = f;
  fu->gids = hb_set_create();
  fu->text_ix = hb_map_create();
  if (!hb_set_allocation_successful(fu->gids) ||
      !hb_map_allocation_successful(fu->text_ix))
    return NULL;
  return fu;
}

static void font_use_fini(font_use *fu) {
  hb_set_destroy(fu->gids);
  hb_map_destroy(fu->text_ix);
  hb_subset_plan_destroy(fu->plan);
  free(fu->texts);
  free(fu->width);
}

/* The first non-empty text seen for a glyph becomes its ToUnicode entry. */
static int note_glyph(font_use *fu, const cv_glyph *g) {
  hb_set_add(fu->gids, g->gid);
  if (!g->text || !g->text_len || hb_map_has(fu->text_ix, g->gid))
    return hb_set_allocation_successful(fu->gids) ? 0 : -1;
  if (cv_grow((void **)&fu->texts, &fu->cap, fu->ntexts + 1,
              sizeof *fu->texts) < 0)
    return -1;
  fu->texts[fu->ntexts] = (glyph_text){g->text, g->text_len};
  hb_map_set(fu->text_ix, g->gid, (hb_codepoint_t)fu->ntexts);
  fu->ntexts++;
  return hb_map_allocation_successful(fu->text_ix) ? 0 : -1;
}

static int collect_fonts(pdf_ctx *c) {
  for (size_t p = 0; p < c->d->npages; p++) {
    const cv_page *pg = &c->d->pages[p];
    for (size_t i = 0; i < pg->n; i++) {
      const cv_dl_item *it = &pg->items[i];
      if (it->kind != CV_DL_TEXT || !it->run || it->run->n == 0)
        continue;
      if (!it->run->font)
        return fail(c, "a text run has no font");
      font_use *fu = add_font(c, it->run->font);
      if (!fu)
        return fail(c, "out of memory collecting glyphs");
      for (uint32_t k = 0; k < it->run->n; k++)
        if (note_glyph(fu, &it->run->g[k]) < 0)
          return fail(c, "out of memory collecting glyphs");
    }
  }
  return 0;
}

/* ---- subsetting ---------------------------------------------------- */

static const char *font_name(const cv_font *f) {
  return f->ps_name && *f->ps_name ? f->ps_name : "Font";
}

/* Returns the subset font file (caller destroys) or NULL. */
static hb_blob_t *subset_font(pdf_ctx *c, font_use *fu) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) {
    fail(c, "out of memory creating a subset");
    return NULL;
  }
  hb_set_union(hb_subset_input_glyph_set(in), fu->gids);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
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
    cv_status_set(c->st, "pdf: cannot subset font %s (%s)",
                  font_name(fu->font), fu->font->path ? fu->font->path : "?");
    return NULL;
  }
  fu->old_to_new = hb_subset_plan_old_to_new_glyph_mapping(fu->plan);
  hb_face_t *sub = hb_subset_plan_execute_or_fail(fu->plan);
  if (!sub) {
    cv_status_set(c->st, "pdf: subsetting font %s failed",
                  font_name(fu->font));
    return NULL;
  }
  fu->nglyphs = hb_face_get_glyph_count(sub);
  hb_blob_t *blob = hb_face_reference_blob(sub);
  hb_face_destroy(sub);
  if (hb_blob_get_length(blob) == 0 || fu->nglyphs == 0) {
    hb_blob_destroy(blob);
    cv_status_set(c->st, "pdf: subset of font %s is empty",
                  font_name(fu->font));
    return NULL;
  }
  return blob;
}

static int compute_widths(pdf_ctx *c, font_use *fu) {
  const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  int xs = 0, ys = 0;
  hb_font_get_scale(fu->font->hb_font, &xs, &ys);
  double scale = xs > 0 ? (double)xs
                        : fu->font->upem ? (double)fu->font->upem : 1000.0;
  fu->width = cv_calloc_n(fu->nglyphs, sizeof *fu->width);
  if (!fu->width)
    return fail(c, "out of memory");
  for (unsigned g = 0; g < fu->nglyphs; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    if (old == HB_MAP_VALUE_INVALID)
      continue;
    hb_position_t adv = hb_font_get_glyph_h_advance(fu->font->hb_font, old);
    fu->width[g] = (int)lround(adv * 1000.0 / scale);
  }
  return 0;
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
static HPDF_Binary text_string(pdf_ctx *c, const char *s) {
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
  HPDF_Binary bin = HPDF_Binary_New(c->pdf->mmgr, u, (HPDF_UINT)len);
  free(u);
  return bin;
}

/* ---- font objects -------------------------------------------------- */

/* An indirect dictionary; NULL on error (already reported to the handler). */
static HPDF_Dict new_indirect(pdf_ctx *c) {
  HPDF_Dict d = HPDF_Dict_New(c->pdf->mmgr);
  if (!d || HPDF_Xref_Add(c->pdf->xref, d) != HPDF_OK)
    return NULL;
  return d;
}

static HPDF_Dict new_stream(pdf_ctx *c, const void *data, size_t len) {
  HPDF_Dict s = HPDF_DictStream_New(c->pdf->mmgr, c->pdf->xref);
  if (!s)
    return NULL;
  s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (len > UINT32_MAX ||
      HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK)
    return NULL;
  return s;
}

static HPDF_Dict to_unicode_cmap(pdf_ctx *c, font_use *fu) {
  cv_buf b;
  cv_buf_init(&b);
  cv_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n"
                  "12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                  "/Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\n"
                  "endcodespacerange\n");
  /* bfchar blocks hold at most 100 entries (PDF 32000-1, 9.10.3). */
  const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  unsigned in_block = 0;
  size_t block_start = 0;
  for (unsigned g = 0; g < fu->nglyphs; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    hb_codepoint_t ix = old == HB_MAP_VALUE_INVALID
                            ? HB_MAP_VALUE_INVALID
                            : hb_map_get(fu->text_ix, old);
    if (ix == HB_MAP_VALUE_INVALID)
      continue;
    if (in_block == 0) {
      block_start = b.len;
      cv_buf_puts(&b, "100 beginbfchar\n"); /* count patched below */
    }
    cv_buf_putc(&b, '<');
    put_hex4(&b, g);
    cv_buf_puts(&b, "> <");
    put_utf16_hex(&b, fu->texts[ix].s, fu->texts[ix].len);
    cv_buf_puts(&b, ">\n");
    if (++in_block == 100) {
      cv_buf_puts(&b, "endbfchar\n");
      in_block = 0;
    }
  }
  if (in_block) {
    cv_buf_puts(&b, "endbfchar\n");
    if (!b.failed) {
      char cnt[16];
      snprintf(cnt, sizeof cnt, "%3u", in_block);
      memcpy(b.data + block_start, cnt, 3); /* leading spaces are fine */
    }
  }
  cv_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                  "end\nend\n");
  HPDF_Dict s = b.failed ? NULL : new_stream(c, b.data, b.len);
  cv_buf_fini(&b);
  return s;
}

static HPDF_Array int_array(pdf_ctx *c, const double *v, int n) {
  HPDF_Array a = HPDF_Array_New(c->pdf->mmgr);
  if (!a)
    return NULL;
  for (int i = 0; i < n; i++)
    if (HPDF_Array_AddNumber(a, (HPDF_INT32)lround(v[i])) != HPDF_OK)
      return NULL;
  return a;
}

static HPDF_Dict font_descriptor(pdf_ctx *c, const font_use *fu,
                                 const char *base, hb_blob_t *file) {
  const cv_font *f = fu->font;
  double s = 1000.0 / (f->upem ? f->upem : 1000);
  HPDF_Dict fd = new_indirect(c);
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
  r += HPDF_Dict_Add(fd, "FontBBox", int_array(c, bbox, 4));
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

  unsigned len = 0;
  const char *data = hb_blob_get_data(file, &len);
  HPDF_Dict ff = new_stream(c, data, len);
  if (!ff)
    return NULL;
  if (f->is_cff) {
    /* The hb-subset output stays an OpenType font with a CFF table:
     * FontFile3 /OpenType (PDF 1.6) takes it as it is. */
    r += HPDF_Dict_AddName(ff, "Subtype", "OpenType");
    r += HPDF_Dict_Add(fd, "FontFile3", ff);
  } else {
    r += HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    r += HPDF_Dict_Add(fd, "FontFile2", ff);
  }
  return r == HPDF_OK ? fd : NULL;
}

static HPDF_Dict cid_font(pdf_ctx *c, const font_use *fu, const char *base,
                          HPDF_Dict fd) {
  HPDF_MMgr mm = c->pdf->mmgr;
  HPDF_Dict cf = new_indirect(c);
  HPDF_Dict info = HPDF_Dict_New(mm);
  HPDF_Array w = HPDF_Array_New(mm);
  if (!cf || !info || !w)
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
    r += HPDF_Array_AddNumber(w, (HPDF_INT32)start);
    r += HPDF_Array_Add(w, ws);
  }
  r += HPDF_Dict_AddName(cf, "Type", "Font");
  r += HPDF_Dict_AddName(cf, "Subtype",
                         fu->font->is_cff ? "CIDFontType0" : "CIDFontType2");
  r += HPDF_Dict_AddName(cf, "BaseFont", base);
  r += HPDF_Dict_Add(cf, "CIDSystemInfo", info);
  r += HPDF_Dict_Add(cf, "FontDescriptor", fd);
  r += HPDF_Dict_Add(cf, "W", w);
  if (!fu->font->is_cff)
    r += HPDF_Dict_AddName(cf, "CIDToGIDMap", "Identity");
  return r == HPDF_OK ? cf : NULL;
}

static int embed_font(pdf_ctx *c, font_use *fu) {
  hb_blob_t *file = subset_font(c, fu);
  if (!file)
    return -1;
  if (compute_widths(c, fu) < 0) {
    hb_blob_destroy(file);
    return -1;
  }
  char tag[7], base[128];
  subset_tag(fu, tag);
  snprintf(base, sizeof base, "%s+%.100s", tag, font_name(fu->font));
  HPDF_Dict fd = font_descriptor(c, fu, base, file);
  hb_blob_destroy(file);
  HPDF_Dict cf = fd ? cid_font(c, fu, base, fd) : NULL;
  HPDF_Dict tu = cf ? to_unicode_cmap(c, fu) : NULL;
  HPDF_Dict t0 = tu ? new_indirect(c) : NULL;
  HPDF_Array desc = t0 ? HPDF_Array_New(c->pdf->mmgr) : NULL;
  if (!desc)
    return fail(c, "cannot build font objects");
  HPDF_STATUS r = HPDF_Array_Add(desc, cf);
  r += HPDF_Dict_AddName(t0, "Type", "Font");
  r += HPDF_Dict_AddName(t0, "Subtype", "Type0");
  r += HPDF_Dict_AddName(t0, "BaseFont", base);
  r += HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
  r += HPDF_Dict_Add(t0, "DescendantFonts", desc);
  r += HPDF_Dict_Add(t0, "ToUnicode", tu);
  if (r != HPDF_OK)
    return fail(c, "cannot build font objects");
  fu->type0 = t0;
  return 0;
}

/* ---- page content -------------------------------------------------- */

static void put_color(cv_buf *b, cv_color col, const char *op) {
  cv_buf_num(b, col.r, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, col.g, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, col.b, 3);
  cv_buf_printf(b, " %s\n", op);
}

/* Emits the part of a pending TJ adjustment that survives rounding to one
 * decimal; the rest stays pending so positions never drift. */
static void flush_adjust(cv_buf *b, double *pending, int *in_str) {
  double q = round(*pending * 10.0) / 10.0;
  if (q == 0)
    return;
  if (*in_str) {
    cv_buf_putc(b, '>');
    *in_str = 0;
  }
  cv_buf_num(b, q, 1);
  *pending -= q;
}

/* The glyphs of a run as TJ arrays.  Each glyph's PDF advance is its /W
 * width; the adjustment after it makes up the difference to the shaped
 * advance (kerning, letter spacing).  Glyph offsets move the pen before
 * the glyph (dx) or raise it with Ts (dy, e.g. stacked marks). */
static void put_glyphs(cv_buf *b, const font_use *fu, const cv_run *r) {
  double k = 1000.0 / r->size, pending = 0, rise = 0;
  int in_str = 0;
  cv_buf_putc(b, '[');
  for (uint32_t i = 0; i < r->n; i++) {
    const cv_glyph *g = &r->g[i];
    if (fabs(g->dy - rise) > 0.0005) {
      if (in_str)
        cv_buf_putc(b, '>');
      in_str = 0;
      flush_adjust(b, &pending, &in_str);
      rise = g->dy;
      cv_buf_puts(b, "] TJ ");
      cv_buf_num(b, rise, 3);
      cv_buf_puts(b, " Ts [");
    }
    pending -= g->dx * k;
    flush_adjust(b, &pending, &in_str);
    hb_codepoint_t ng = hb_map_get(fu->old_to_new, g->gid);
    if (ng == HB_MAP_VALUE_INVALID || ng >= fu->nglyphs)
      ng = 0;
    if (!in_str)
      cv_buf_putc(b, '<');
    in_str = 1;
    put_hex4(b, ng);
    pending += fu->width[ng] - (g->adv - g->dx) * k;
  }
  if (in_str)
    cv_buf_putc(b, '>');
  cv_buf_puts(b, "] TJ\n");
  if (rise != 0)
    cv_buf_puts(b, "0 Ts\n");
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

static int put_text(pdf_ctx *c, HPDF_Page page, cv_buf *b,
                    const cv_dl_item *it) {
  const cv_run *r = it->run;
  if (!r || r->n == 0 || !(r->size > 0))
    return 0;
  const font_use *fu = find_font(c, r->font);
  const char *name = fu ? HPDF_Page_GetLocalFontName(page, fu->type0) : NULL;
  if (!name)
    return fail(c, "cannot register a font on a page");
  /* With ActualText, extraction reads it instead of the glyphs: an icon
   * says "Email" or nothing, never a private-use character. */
  int span = r->actual_text || !tounicode_exact(fu, r);
  if (span)
    begin_actual_text(b, r);
  cv_buf_printf(b, "BT\n/%s ", name);
  cv_buf_num(b, r->size, 3);
  cv_buf_puts(b, " Tf\n");
  put_color(b, r->color, "rg");
  cv_buf_num(b, it->x, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, it->y, 3);
  cv_buf_puts(b, " Td\n");
  put_glyphs(b, fu, r);
  cv_buf_puts(b, "ET\n");
  if (span)
    cv_buf_puts(b, "EMC\n");
  return 0;
}

static void put_rect(cv_buf *b, const cv_dl_item *it) {
  put_color(b, it->color, "rg");
  cv_buf_num(b, it->x, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, it->y, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, it->w, 3);
  cv_buf_putc(b, ' ');
  cv_buf_num(b, it->h, 3);
  cv_buf_puts(b, " re f\n");
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

static int put_link(pdf_ctx *c, HPDF_Page page, const cv_dl_item *it) {
  if (!it->uri || !*it->uri || !(it->w > 0) || !(it->h > 0))
    return 0;
  char *uri = ascii_uri(it->uri);
  if (!uri)
    return fail(c, "out of memory");
  HPDF_Rect rect = {(HPDF_REAL)it->x, (HPDF_REAL)it->y,
                    (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(it->y + it->h)};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, uri);
  free(uri);
  if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
    return fail(c, "cannot create a link annotation");
  return 0;
}

#define MAX_LEVEL 8

typedef struct outline_state {
  HPDF_Outline last[MAX_LEVEL + 1]; /* last entry at each level */
} outline_state;

/* [page /XYZ null y null]: jump to the heading, keep the reader's zoom.
 * libharu's HPDF_Destination_SetXYZ refuses a null zoom, so the array is
 * written here. */
static HPDF_Destination xyz_dest(pdf_ctx *c, HPDF_Page page, double y) {
  HPDF_MMgr mm = c->pdf->mmgr;
  HPDF_Destination dst = HPDF_Page_CreateDestination(page);
  if (!dst)
    return NULL;
  HPDF_Array_Clear(dst);
  HPDF_STATUS r = HPDF_Array_Add(dst, page);
  r += HPDF_Array_AddName(dst, "XYZ");
  r += HPDF_Array_Add(dst, HPDF_Null_New(mm));
  r += HPDF_Array_AddReal(dst, (HPDF_REAL)(y > 0 ? y : 0));
  r += HPDF_Array_Add(dst, HPDF_Null_New(mm));
  return r == HPDF_OK ? dst : NULL;
}

static int put_mark(pdf_ctx *c, HPDF_Page page, outline_state *os,
                    const cv_dl_item *it) {
  int level = it->level < 1 ? 1 : it->level > MAX_LEVEL ? MAX_LEVEL : it->level;
  HPDF_Outline parent = NULL;
  for (int l = level - 1; l >= 1 && !parent; l--)
    parent = os->last[l];
  HPDF_Outline o = HPDF_CreateOutline(c->pdf, parent, "", NULL);
  HPDF_Binary title = o ? text_string(c, it->title ? it->title : "") : NULL;
  HPDF_Destination dst = title ? xyz_dest(c, page, it->y) : NULL;
  if (!dst || HPDF_Dict_Add(o, "Title", title) != HPDF_OK ||
      HPDF_Outline_SetDestination(o, dst) != HPDF_OK ||
      HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
    return fail(c, "cannot create an outline entry");
  os->last[level] = o;
  for (int l = level + 1; l <= MAX_LEVEL; l++)
    os->last[l] = NULL;
  return 0;
}

static int write_page(pdf_ctx *c, const cv_page *pg, outline_state *os) {
  HPDF_Page page = HPDF_AddPage(c->pdf);
  if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width) != HPDF_OK ||
      HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height) != HPDF_OK)
    return fail(c, "cannot add a page");
  cv_buf b;
  cv_buf_init(&b);
  int rc = 0;
  for (size_t i = 0; i < pg->n && rc == 0; i++) {
    const cv_dl_item *it = &pg->items[i];
    if (it->kind == CV_DL_TEXT)
      rc = put_text(c, page, &b, it);
    else if (it->kind == CV_DL_RECT)
      put_rect(&b, it);
    else if (it->kind == CV_DL_LINK)
      rc = put_link(c, page, it);
    else if (it->kind == CV_DL_MARK)
      rc = put_mark(c, page, os, it);
  }
  if (rc == 0 && b.failed)
    rc = fail(c, "out of memory writing a page");
  /* The page's content stream, written directly: libharu's text operators
   * would re-encode the glyph ids through an encoder. */
  HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
  if (rc == 0 && b.len &&
      (!s || HPDF_Stream_Write(s, (const HPDF_BYTE *)b.data,
                               (HPDF_UINT)b.len) != HPDF_OK))
    rc = fail(c, "cannot write a page's content");
  cv_buf_fini(&b);
  return rc;
}

/* ---- document information ------------------------------------------ */

static int set_info_text(pdf_ctx *c, const char *key, const char *value) {
  if (!value)
    return 0;
  HPDF_Binary s = text_string(c, value);
  if (!s || HPDF_Dict_Add(c->pdf->info, key, s) != HPDF_OK)
    return fail(c, "cannot set document information");
  return 0;
}

static int set_info(pdf_ctx *c) {
  time_t t = (time_t)c->d->date;
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return fail(c, "document date out of range");
  HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, '+', 0, 0};
  if (HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
      HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK ||
      !c->pdf->info)
    return fail(c, "cannot set the document date");
  const cv_docout *d = c->d;
  if (set_info_text(c, "Title", d->title) < 0 ||
      set_info_text(c, "Author", d->author) < 0 ||
      set_info_text(c, "Subject", d->subject) < 0 ||
      set_info_text(c, "Keywords", d->keywords) < 0 ||
      set_info_text(c, "Creator", d->creator) < 0)
    return -1;
  if (d->lang && *d->lang &&
      HPDF_Dict_Add(c->pdf->catalog, "Lang",
                    HPDF_String_New(c->pdf->mmgr, d->lang, NULL)) != HPDF_OK)
    return fail(c, "cannot set the document language");
  if (!d->title)
    return 0;
  /* Viewers show the title, not the file name (libharu 2.3.0 has no
   * constant for DisplayDocTitle). */
  HPDF_Dict vp = HPDF_Dict_New(c->pdf->mmgr);
  if (!vp || HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
      HPDF_Dict_Add(c->pdf->catalog, "ViewerPreferences", vp) != HPDF_OK)
    return fail(c, "cannot set viewer preferences");
  return 0;
}

/* ---- driver -------------------------------------------------------- */

static int build(pdf_ctx *c) {
  /* Before the first page: libharu fixes each stream's filter when the
   * stream is created. */
  if (HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL) != HPDF_OK)
    return fail(c, "cannot enable compression");
  /* FontFile3 /OpenType needs PDF 1.6; libharu has no setter for it. */
  c->pdf->pdf_version = HPDF_VER_16;
  for (size_t i = 0; i < c->nfonts; i++)
    if (embed_font(c, &c->fonts[i]) < 0)
      return -1;
  outline_state os;
  memset(&os, 0, sizeof os);
  for (size_t p = 0; p < c->d->npages; p++)
    if (write_page(c, &c->d->pages[p], &os) < 0)
      return -1;
  return set_info(c);
}

int cv_pdf_write(const cv_docout *d, const char *path, cv_status *st) {
  if (!d || d->npages == 0) {
    cv_status_set(st, "pdf: nothing to write (the document has no pages)");
    return -1;
  }
  pdf_ctx c;
  memset(&c, 0, sizeof c);
  c.d = d;
  c.st = st;
  int rc = collect_fonts(&c);
  if (rc == 0) {
    c.pdf = HPDF_New(on_hpdf_error, &c.err);
    if (!c.pdf)
      rc = fail(&c, "cannot create a document (out of memory)");
  }
  if (rc == 0)
    rc = build(&c);
  if (rc == 0 && HPDF_SaveToFile(c.pdf, path) != HPDF_OK) {
    cv_status_set(st, "pdf: cannot write %s (libharu error 0x%04X, detail %u)",
                  path, (unsigned)c.err.code, (unsigned)c.err.detail);
    remove(path); /* never leave a partial file behind */
    rc = -1;
  }
  if (c.pdf)
    HPDF_Free(c.pdf);
  for (size_t i = 0; i < c.nfonts; i++)
    font_use_fini(&c.fonts[i]);
  free(c.fonts);
  return rc;
}

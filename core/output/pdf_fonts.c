/* cvpdf - the fonts of a PDF: the glyphs each font draws and what they
 * stand for, the subset of each made with hb-subset once every page is
 * written, and its objects: Type0 font, CID font with /W widths, font
 * descriptor with the compressed font program, and the ToUnicode CMap. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_objects.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the glyphs each font needs ------------------------------------ */

/* A font is one use whatever fontset it came from: the documents of a
 * bundle, each with a fontset of its own over one cache, share the cache's
 * HarfBuzz face of each file, and so one subset. */
static font_use *find_font(cv_pdf *w, const cv_font *f) {
  for (size_t i = 0; i < w->nfonts; i++)
    if (w->fonts[i].font == f || w->fonts[i].font->hb_face == f->hb_face)
      return &w->fonts[i];
  return NULL;
}

font_use *cv_pdf_use_font(cv_pdf *w, cv_font *f) {
  font_use *fu = find_font(w, f);
  if (fu)
    return fu;
  if (w->nfonts >= UINT16_MAX || cv_grow((void **)&w->fonts, &w->capfonts,
                                         w->nfonts + 1, sizeof *w->fonts) < 0)
    return NULL;
  fu = &w->fonts[w->nfonts++];
  memset(fu, 0, sizeof *fu);
  fu->font = f;
  fu->gids = hb_set_create();
  fu->text_ix = hb_map_create();
  fu->type0 = cv_pdf_new_indirect(w);
  if (!hb_set_allocation_successful(fu->gids) ||
      !hb_map_allocation_successful(fu->text_ix) || !fu->type0)
    return NULL;
  return fu;
}

void cv_pdf_font_use_fini(font_use *fu) {
  hb_set_destroy(fu->gids);
  hb_map_destroy(fu->text_ix);
  hb_set_destroy(fu->soft);
  hb_subset_plan_destroy(fu->plan);
  free(fu->texts);
  free(fu->width);
  free(fu->file);
}

int cv_pdf_soft_hyphen(const cv_glyph *g) {
  return g->text_len == 2 && !memcmp(g->text, "\xC2\xAD", 2);
}

/* A soft hyphen's glyph goes into the twin font's ToUnicode. */
static int note_soft(cv_pdf *w, font_use *fu, const cv_glyph *g) {
  if (!fu->soft && !(fu->soft = hb_set_create()))
    return -1;
  if (!fu->soft0 && !(fu->soft0 = cv_pdf_new_indirect(w)))
    return -1;
  hb_set_add(fu->soft, g->gid);
  return hb_set_allocation_successful(fu->soft) ? 0 : -1;
}

/* The first non-empty text seen for a glyph becomes its ToUnicode entry. */
int cv_pdf_note_glyph(cv_pdf *w, font_use *fu, const cv_glyph *g) {
  hb_set_add(fu->gids, g->gid);
  if (cv_pdf_soft_hyphen(g))
    return note_soft(w, fu, g) < 0 || !hb_set_allocation_successful(fu->gids)
               ? -1
               : 0;
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

/* The /W widths of the subset, by its glyph ids: the advances the
 * content streams were written against (cv_pdf_glyph_width). */
static int compute_widths(font_use *fu) {
  const hb_map_t *new_to_old =
      hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  fu->width = cv_calloc_n(fu->nglyphs, sizeof *fu->width);
  if (!fu->width) {
    cv_status_set(&fu->st, "pdf: out of memory");
    return -1;
  }
  for (unsigned g = 0; g < fu->nglyphs; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    if (old != HB_MAP_VALUE_INVALID)
      fu->width[g] = cv_pdf_glyph_width(fu->font, old);
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
  if (cv_pdf_deflate(z, data, len, &n) < 0 || !(fu->file = malloc(n ? n : 1))) {
    cv_status_set(&fu->st, "pdf: out of memory compressing font %s",
                  font_name(fu->font));
  } else {
    memcpy(fu->file, z->out, n);
    fu->file_len = n;
    fu->file_raw = len;
  }
  hb_blob_destroy(file);
}

void cv_pdf_prepare_fonts(cv_pdf *w) {
  /* A second thread for half the fonts was measured slower: its fresh
   * malloc arena faults in every page hb-subset touches. */
  for (size_t i = 0; i < w->nfonts; i++)
    prepare_font(&w->fonts[i], &w->z);
}

/* A glyph's advance as the PDF viewer takes it (its /W entry), in 1000ths
 * of an em: known before subsetting, so pages can be written first. */
int cv_pdf_glyph_width(const cv_font *f, uint32_t gid) {
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
  cv_pdf_put_hex4(b, code);
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
  HPDF_Dict s = b->failed ? NULL : cv_pdf_new_stream(w, b->data, b->len);
  cv_buf_fini(b);
  return s;
}

/* The start of a ToUnicode CMap, codes of two bytes. */
static void cmap_begin(cv_buf *b) {
  cv_buf_puts(b, cmap_head);
  cv_buf_puts(b, "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                 "/Supplement 0 >> def\n"
                 "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                 "1 begincodespacerange\n<0000> <FFFF>\n"
                 "endcodespacerange\n");
}

static HPDF_Dict to_unicode_cmap(cv_pdf *w, font_use *fu) {
  cv_buf b;
  cv_buf_init(&b);
  cmap_begin(&b);
  cmap_block blk = {"bfchar", 0, 0};
  const hb_map_t *new_to_old =
      hb_subset_plan_new_to_old_glyph_mapping(fu->plan);
  for (unsigned g = 0; g < fu->nglyphs && g <= 0xFFFF; g++) {
    hb_codepoint_t old = hb_map_get(new_to_old, g);
    hb_codepoint_t ix = old == HB_MAP_VALUE_INVALID
                            ? HB_MAP_VALUE_INVALID
                            : hb_map_get(fu->text_ix, old);
    if (ix == HB_MAP_VALUE_INVALID)
      continue;
    block_entry(&b, &blk, g);
    cv_buf_putc(&b, '<');
    cv_pdf_put_utf16_hex(&b, fu->texts[ix].s, fu->texts[ix].len);
    cv_buf_puts(&b, ">\n");
    block_done(&b, &blk);
  }
  return cmap_stream(w, &b, &blk);
}

/* The twin's ToUnicode: each soft hyphen glyph is U+00AD. */
static HPDF_Dict soft_cmap(cv_pdf *w, font_use *fu) {
  cv_buf b;
  cv_buf_init(&b);
  cmap_begin(&b);
  cmap_block blk = {"bfchar", 0, 0};
  hb_codepoint_t old = HB_SET_VALUE_INVALID;
  while (hb_set_next(fu->soft, &old)) {
    hb_codepoint_t g = hb_map_get(fu->old_to_new, old);
    if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF)
      continue;
    block_entry(&b, &blk, g);
    cv_buf_puts(&b, "<00AD>\n");
    block_done(&b, &blk);
  }
  return cmap_stream(w, &b, &blk);
}

/* Fills Type0 font t0: CID font cf under ToUnicode map tu (NULL: fails). */
static int fill_type0(cv_pdf *w, HPDF_Dict t0, const char *base, HPDF_Dict cf,
                      HPDF_Dict tu) {
  HPDF_Array desc = tu ? HPDF_Array_New(w->pdf->mmgr) : NULL;
  if (!desc)
    return w->failed ? -1 : cv_pdf_fail(w, "cannot build font objects");
  HPDF_STATUS r = HPDF_Array_Add(desc, cf);
  r += HPDF_Dict_AddName(t0, "Type", "Font");
  r += HPDF_Dict_AddName(t0, "Subtype", "Type0");
  r += HPDF_Dict_AddName(t0, "BaseFont", base);
  r += HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
  r += HPDF_Dict_Add(t0, "DescendantFonts", desc);
  r += HPDF_Dict_Add(t0, "ToUnicode", tu);
  return r == HPDF_OK ? 0 : cv_pdf_fail(w, "cannot build font objects");
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
  HPDF_Dict fd = cv_pdf_new_indirect(w);
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
  r += HPDF_Dict_AddNumber(fd, "Descent", (HPDF_INT32)lround(f->descender * s));
  r += HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(cap));
  if (f->x_height)
    r +=
        HPDF_Dict_AddNumber(fd, "XHeight", (HPDF_INT32)lround(f->x_height * s));
  r += HPDF_Dict_AddNumber(fd, "StemV", 80);
  if (r != HPDF_OK)
    return NULL;

  HPDF_Dict ff = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  if (!ff || cv_pdf_put_deflated(w, ff, fu->file, fu->file_len) < 0)
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
  HPDF_Dict cf = cv_pdf_new_indirect(w);
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
  for (unsigned start = 0; start < fu->nglyphs && r == HPDF_OK; start += 8000) {
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

int cv_pdf_embed_font(cv_pdf *w, font_use *fu) {
  if (fu->st.failed || !fu->file) {
    w->failed = 1;
    cv_status_set(w->st, "%s",
                  fu->st.failed ? fu->st.msg : "pdf: font not prepared");
    return -1;
  }
  char tag[7], base[128];
  subset_tag(fu, tag);
  snprintf(base, sizeof base, "%s+%.100s", tag, font_name(fu->font));
  HPDF_Dict fd = font_descriptor(w, fu, base);
  HPDF_Dict cf = fd ? cid_font(w, fu, base, fd) : NULL;
  HPDF_Dict tu = cf ? to_unicode_cmap(w, fu) : NULL;
  if (fill_type0(w, fu->type0, base, cf, tu) < 0)
    return -1;
  /* The soft hyphens' twin: the same CID font under another map. */
  return fu->soft0 ? fill_type0(w, fu->soft0, base, cf, soft_cmap(w, fu)) : 0;
}

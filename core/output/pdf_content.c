/* cvpdf - the content of PDF pages: display lists written as content
 * stream operators (text as TJ arrays of glyph codes, rules), link
 * annotations and outline entries; and, once the fonts are subset, the
 * codes rewritten as the subsets' glyph ids. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_objects.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- page content -------------------------------------------------- */

/* What the content stream has set so far, so that each operator is
 * written only when it changes something: one text object for a run of
 * text items, one TJ array for the words of a line in one font. */
typedef struct content {
  cv_pdf *w;
  HPDF_Page page;
  cv_buf *b;
  pending *p; /* where the codes are noted */
  int oom;
  int in_text;  /* inside BT ... ET */
  int in_array; /* inside [ ... ] TJ */
  int in_str;   /* inside < ... > of the array */
  size_t font;  /* index in w->fonts of the current font; SIZE_MAX none */
  int soft;     /* the current font is its soft hyphens' twin */
  double size;
  int have_fill;
  cv_color fill;
  double lx, ly;  /* the text line origin (set by Td) */
  double pen;     /* x where the next glyph would go, on line ly */
  double pending; /* TJ adjustment not yet written, 1000ths of an em */
  size_t pageix;  /* the page's number, from 0 */
  int tagged;     /* the body of a page: its content is marked */
  int mc;         /* the open marked-content sequence: MC_NONE, ... */
  /* Whether the open sequence began inside the text object (BT ... ET):
   * it then ends inside it too, and the text object goes on across the
   * sequences of one run of text (PDF 32000-1, 14.6: sequences and text
   * objects nest). */
  int mc_in_text;
  /* The same for each open ActualText span, a bit per level. */
  unsigned span_in_text, span_depth;
  uint32_t leaf;    /* MC_TAG: the element */
  const char *uri;  /* MC_TAG: the link it is in, or NULL */
  const char *lang; /* MC_TAG: the language of the phrase it is, or "" */
  uint32_t mcid;    /* MC_TAG: its MCID */
  /* The last text drawn in the open sequence: where it ended, and whether
   * in a soft hyphen (0 has_text: none). */
  int has_text, text_soft;
  double text_end, text_y;
} content;

enum { MC_NONE, MC_TAG, MC_ARTIFACT };

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
    if (cv_grow((void **)&p->runs, &p->capruns, p->nruns + 1, sizeof *p->runs) <
        0) {
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

static int put_space(content *c);

/* Gaps wider than this inside a run (1000ths of an em) are spaces between
 * words set as one line (a date, a location): tracking stays below it. */
#define SPACE_GAP 150

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
    cv_pdf_put_hex4(c->b, g->gid <= 0xFFFF ? g->gid : 0);
    double extra = (g->adv - g->dx) * k - cv_pdf_glyph_width(f, g->gid);
    if (c->mc == MC_TAG && i + 1 < r->n && extra > SPACE_GAP &&
        put_space(c) < 0)
      c->oom = 1;
    c->pending -= extra;
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
    if (cv_pdf_soft_hyphen(g))
      continue; /* drawn through the twin font, whose map says U+00AD */
    if (len != g->text_len ||
        (len && memcmp(fu->texts[ix].s, g->text, len) != 0))
      return 0;
  }
  return 1;
}

/* Opens a span with ActualText, whose UTF-16 hex the caller writes and
 * closes with ">>> BDC".  Inside an element's sequence the span repeats
 * the sequence's MCID: poppler's reader of structure text takes any EMC
 * for the end of the sequence it is in unless the span has an MCID, and
 * the same MCID keeps the span's text the sequence's own. */
static int span_open(content *c) {
  close_array(c);
  if (c->span_depth >= 8 * sizeof c->span_in_text)
    return cv_pdf_fail(c->w, "text spans nested too deep");
  c->span_in_text = c->span_in_text << 1 | (unsigned)c->in_text;
  c->span_depth++;
  if (c->mc == MC_TAG && c->mcid != UINT32_MAX)
    cv_buf_printf(c->b, "/Span<</MCID %u/ActualText<FEFF", c->mcid);
  else
    cv_buf_puts(c->b, "/Span<</ActualText<FEFF");
  return 0;
}

/* Ends the sequence or span open: inside the text object when it began
 * there, else after it. */
static void end_seq(content *c, int in_text) {
  if (in_text)
    close_array(c);
  else
    end_text(c);
  cv_buf_puts(c->b, "EMC\n");
}

static void span_end(content *c) {
  if (!c->span_depth)
    return;
  end_seq(c, c->span_in_text & 1);
  c->span_in_text >>= 1;
  c->span_depth--;
}

static void put_actual_text(cv_buf *b, const cv_run *r) {
  if (r->actual_text) {
    cv_pdf_put_utf16_hex(b, r->actual_text, strlen(r->actual_text));
  } else {
    for (uint32_t i = 0; i < r->n; i++)
      if (r->g[i].text)
        cv_pdf_put_utf16_hex(b, r->g[i].text, r->g[i].text_len);
  }
  cv_buf_puts(b, ">>>BDC\n");
}

/* A space character, drawn as the current font's space glyph at the pen
 * of the open TJ array, so that every extractor and the structure's own
 * text read a space where the layout left a gap (the adjustment after it
 * makes up the rest of the gap).  0, or -1 when out of memory. */
static int put_space(content *c) {
  font_use *fu = &c->w->fonts[c->font];
  hb_codepoint_t gid = 0;
  if (c->soft || fu->space < 0)
    return 0;
  if (!fu->space) { /* looked up once a font: a tagged CV has many */
    if (!hb_font_get_nominal_glyph(fu->font->hb_font, ' ', &gid) ||
        gid > 0xFFFF) {
      fu->space = -1;
      return 0;
    }
    cv_glyph g = {.gid = gid, .text = " ", .text_len = 1};
    if (cv_pdf_note_glyph(c->w, fu, &g) < 0)
      return -1;
    fu->space = (int)gid + 1;
    fu->space_w = cv_pdf_glyph_width(fu->font, gid);
  }
  gid = (hb_codepoint_t)(fu->space - 1);
  flush_adjust(c);
  if (!c->in_str)
    cv_buf_putc(c->b, '<');
  c->in_str = 1;
  note_code(c);
  cv_pdf_put_hex4(c->b, gid);
  c->pending += fu->space_w;
  return 0;
}

/* Whether text at (x, y) follows the last text of the sequence on its
 * line after a gap: a space goes there. */
static int gap_before(const content *c, double x, double y, double size) {
  return c->has_text && fabs(y - c->text_y) < 1e-6 &&
         x - c->text_end > size * 0.1;
}

/* At the end of a line that the sequence goes on from to text at y (not
 * after a hyphen, where the word goes on), a space, so the structure's
 * text reads one.  A broken word's part, drawn in a span of its own,
 * closed the TJ array: the pen is still where it ended, and a new array
 * starts there. */
static int line_end_space(content *c, double y) {
  if (!c->has_text || c->text_soft || fabs(y - c->text_y) < 1e-6 ||
      fabs(c->ly - c->text_y) >= 1e-6 || !c->in_text || c->font == SIZE_MAX)
    return 0;
  if (!c->in_array) {
    cv_buf_putc(c->b, '[');
    c->in_array = 1;
    c->pending = 0;
  }
  return put_space(c);
}

/* Sets font fi (its soft hyphens' twin when soft) at size, inside BT. */
static int set_font(content *c, size_t fi, int soft, double size) {
  font_use *fu = &c->w->fonts[fi];
  const char *name = HPDF_Page_GetLocalFontName(
      c->page, soft && fu->soft0 ? fu->soft0 : fu->type0);
  if (!name)
    return cv_pdf_fail(c->w, "cannot register a font on a page");
  cv_buf_printf(c->b, "/%s ", name);
  cv_buf_num(c->b, size, 3);
  cv_buf_puts(c->b, " Tf\n");
  c->font = fi;
  c->soft = soft;
  c->size = size;
  return 0;
}

/* Writes the glyphs of r at (x, y); soft: they are soft hyphens, drawn
 * through the font's twin. */
static int put_part(content *c, const cv_run *r, double x, double y, int soft) {
  font_use *fu = cv_pdf_use_font(c->w, r->font);
  if (!fu)
    return cv_pdf_fail(c->w, "out of memory collecting glyphs");
  for (uint32_t k = 0; k < r->n; k++) {
    cv_glyph g = r->g[k];
    /* An icon's glyph stands for its word ("Email") in ToUnicode too, or
     * for a space: extractors that ignore ActualText (pdfminer, behind
     * many applicant tracking systems) never see a private-use character. */
    if (r->actual_text && g.text_len) {
      g.text = *r->actual_text ? r->actual_text : " ";
      g.text_len = (uint32_t)strlen(g.text);
    }
    if (cv_pdf_note_glyph(c->w, fu, &g) < 0)
      return cv_pdf_fail(c->w, "out of memory collecting glyphs");
  }
  /* With ActualText, extraction reads it instead of the glyphs: an icon
   * says "Email" or nothing, never a private-use character. */
  int span = r->actual_text || !tounicode_exact(fu, r);
  int same_line = c->in_array && fabs(y - c->ly) < 1e-6;
  /* cv_pdf_use_font may have moved the array: compare indices. */
  size_t fi = (size_t)(fu - c->w->fonts);
  int new_font = fi != c->font || soft != c->soft || r->size != c->size;
  if (span || new_font)
    same_line = 0;
  /* Spaces in the text: after a gap on the line, and at the end of a line
   * the next one goes on from (in the same sequence: not after a
   * hyphen, where the word goes on). */
  int gap = !span && gap_before(c, x, y, r->size);
  if (!span && line_end_space(c, y) < 0)
    return cv_pdf_fail(c->w, "out of memory collecting glyphs");
  if (!same_line)
    close_array(c);
  if (span) {
    if (span_open(c) < 0)
      return -1;
    put_actual_text(c->b, r);
  }
  if (!c->in_text) {
    cv_buf_puts(c->b, "BT\n");
    c->in_text = 1;
    c->lx = c->ly = 0;
  }
  if (new_font && set_font(c, fi, soft, r->size) < 0)
    return -1;
  if (!c->have_fill || memcmp(&c->fill, &r->color, sizeof r->color) != 0) {
    /* rg may go inside a text object, not inside a TJ array. */
    if (same_line) {
      close_array(c);
      same_line = 0;
    }
    set_fill(c, r->color);
  }
  if (gap) {
    if (same_line)
      c->pending -= (c->text_end - c->pen) * 1000.0 / r->size;
    else
      move_to(c, c->text_end, y);
    c->pen = c->text_end;
    same_line = 1;
    if (put_space(c) < 0)
      return cv_pdf_fail(c->w, "out of memory collecting glyphs");
  }
  if (same_line) {
    /* The rest of the space between words, as a TJ adjustment. */
    c->pending -= (x - c->pen) * 1000.0 / r->size;
  } else {
    move_to(c, x, y);
  }
  put_glyphs(c, r);
  c->pen = x + r->width;
  if (c->mc == MC_TAG) {
    c->has_text = 1;
    c->text_soft = soft;
    c->text_end = c->pen;
    c->text_y = y;
  }
  if (span)
    span_end(c);
  return 0;
}

/* A text item: its glyphs in parts, soft hyphens apart from the rest. */
static int put_text(content *c, const cv_dl_item *it) {
  const cv_run *r = it->run;
  if (!r || r->n == 0 || !(r->size > 0))
    return 0;
  if (!r->font)
    return cv_pdf_fail(c->w, "a text run has no font");
  double x = it->x;
  for (uint32_t a = 0, b; a < r->n; a = b) {
    int soft = cv_pdf_soft_hyphen(&r->g[a]);
    for (b = a + 1; b < r->n && cv_pdf_soft_hyphen(&r->g[b]) == soft; b++)
      ;
    if (a == 0 && b == r->n)
      return put_part(c, r, x, it->y, soft);
    cv_run part = *r;
    part.g = r->g + a;
    part.n = b - a;
    part.width = 0;
    for (uint32_t k = a; k < b; k++)
      part.width += r->g[k].adv;
    if (put_part(c, &part, x, it->y, soft) < 0)
      return -1;
    x += part.width;
  }
  return 0;
}

/* Ends the open marked-content sequence, if any. */
static void end_mc(content *c) {
  if (c->mc != MC_NONE)
    end_seq(c, c->mc_in_text);
  c->mc = MC_NONE;
  c->mc_in_text = 0;
}

/* Puts what comes next in the marked-content sequence it belongs to: its
 * structure element's (a Link's inside it when it is a link), or an
 * artifact (rules, icons, text of no element).  text: what comes is
 * text, which may go on in the open text object; anything else is drawn
 * outside text objects. */
static int mark(content *c, int mc, uint32_t leaf, const char *uri,
                const char *lang, uint8_t role, int text) {
  if (!c->tagged)
    return 0;
  if (mc == MC_TAG && !uri)
    uri = "";
  if (!lang)
    lang = "";
  if (mc == c->mc &&
      (mc != MC_TAG ||
       (leaf == c->leaf && !strcmp(uri, c->uri) && !strcmp(lang, c->lang))) &&
      (text || !c->mc_in_text))
    return 0;
  end_mc(c);
  if (!text) {
    end_text(c);
  } else if (!c->in_text) { /* the text object holds the sequences */
    cv_buf_puts(c->b, "BT\n");
    c->in_text = 1;
    c->lx = c->ly = 0;
  }
  c->mc_in_text = c->in_text;
  c->has_text = 0;
  c->mc = mc;
  c->leaf = leaf;
  c->uri = uri;
  c->lang = lang;
  c->mcid = UINT32_MAX;
  if (mc == MC_ARTIFACT) {
    cv_buf_puts(c->b, "/Artifact BMC\n");
    return 0;
  }
  int rc = cv_pdf_tag_begin(c->w, c->b, c->pageix, leaf, uri, lang,
                            cv_role_name((cv_role)role));
  /* rc > 0: the page holds no more sequences: this one goes on */
  cv_buf_puts(c->b, rc > 0 ? "/Span BMC\n" : ">>BDC\n");
  if (rc == 0)
    c->mcid = c->w->tags.mcids[c->pageix] - 1;
  return rc < 0 ? cv_pdf_fail(c->w, "out of memory tagging a page") : 0;
}

static int mark_item(content *c, const cv_dl_item *it) {
  if (it->kind == CV_DL_RECT)
    return mark(c, MC_ARTIFACT, 0, NULL, NULL, 0, 0);
  if (it->kind == CV_DL_IMAGE)
    return it->tag ? mark(c, MC_TAG, it->tag, NULL, NULL, it->role, 0)
                   : mark(c, MC_ARTIFACT, 0, NULL, NULL, 0, 0);
  if (it->kind != CV_DL_TEXT || !it->run)
    return 0;
  /* An icon is decoration: its word is in the text beside it. */
  if (!it->tag || it->run->actual_text)
    return mark(c, MC_ARTIFACT, 0, NULL, NULL, 0, 1);
  return mark(c, MC_TAG, it->tag, it->run->link, it->lang, it->role, 1);
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
static int put_link(cv_pdf *w, HPDF_Page page, size_t pageix, const cv_page *pg,
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
    return cv_pdf_fail(w, "out of memory");
  HPDF_Rect rect = {(HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)y1};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, uri);
  free(uri);
  /* Contents: the link's description for those who cannot see it. */
  HPDF_Binary alt = a ? cv_pdf_text_string(w, it->uri) : NULL;
  /* F 4: printed with the page (PDF/A wants every annotation so). */
  if (!alt || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK ||
      HPDF_Dict_Add(a, "Contents", alt) != HPDF_OK ||
      HPDF_Dict_AddNumber(a, "F", 4) != HPDF_OK)
    return cv_pdf_fail(w, "cannot create a link annotation");
  if (cv_pdf_tag_annot(w, a, pageix, it->tag, it->uri) < 0)
    return cv_pdf_fail(w, "out of memory tagging a link");
  return cv_pdf_check_doc(w, "cannot create a link annotation");
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

/* An outline entry titled title at level, to y on page. */
static int outline_entry(cv_pdf *w, HPDF_Page page, double page_h, double y,
                         int level, const char *title) {
  HPDF_Outline parent = NULL;
  for (int l = level - 1; l >= 1 && !parent; l--)
    parent = w->last[l];
  HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
  HPDF_Binary text = o ? cv_pdf_text_string(w, title) : NULL;
  HPDF_Destination dst = text ? xyz_dest(w, page, y, page_h) : NULL;
  if (!dst || HPDF_Dict_Add(o, "Title", text) != HPDF_OK ||
      HPDF_Outline_SetDestination(o, dst) != HPDF_OK ||
      HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
    return cv_pdf_fail(w, "cannot create an outline entry");
  w->last[level] = o;
  for (int l = level + 1; l <= MAX_LEVEL; l++)
    w->last[l] = NULL;
  return 0;
}

static int put_mark(cv_pdf *w, HPDF_Page page, const cv_page *pg,
                    const cv_dl_item *it) {
  int level = it->level + w->mark_shift; /* below a bundle's part */
  level = level < 1 ? 1 : level > MAX_LEVEL ? MAX_LEVEL : level;
  return outline_entry(w, page, pg->height, it->y, level,
                       it->title ? it->title : "");
}

int cv_pdf_put_part_mark(cv_pdf *w, size_t page, const char *title) {
  HPDF_Page pg = w->pages[page];
  return outline_entry(w, pg, HPDF_Page_GetHeight(pg), HPDF_Page_GetHeight(pg),
                       1, title);
}

/* A word broken at a line end by hyphenation: the item ending in the
 * inserted (soft) hyphen, and the next text item, which begins the next
 * line.  The index of that next item, or 0 when it is not one. */
static size_t broken_word(const cv_page *pg, size_t i) {
  const cv_run *r = pg->items[i].run;
  if (pg->items[i].kind != CV_DL_TEXT || !r || r->n < 2 || r->actual_text ||
      !cv_pdf_soft_hyphen(&r->g[r->n - 1]))
    return 0;
  for (size_t k = i + 1; k < pg->n; k++) {
    const cv_dl_item *it = &pg->items[k];
    if (it->kind == CV_DL_LINK || it->kind == CV_DL_MARK)
      continue;
    if (it->kind != CV_DL_TEXT || !it->run || it->run->actual_text ||
        it->run->link != r->link || it->tag != pg->items[i].tag)
      return 0;
    return k;
  }
  return 0;
}

/* The parts of a broken word, each in a span: the first part's
 * ActualText is the whole word, the second's is empty, so that poppler
 * and MuPDF read the word whole where its first part stands; an extractor
 * that ignores ActualText reads the hyphen as U+00AD (the twin font's
 * map).  part: 0 the first, 1 the second. */
static int begin_part(content *c, const cv_run *a, const cv_run *b, int part,
                      int space) {
  if (span_open(c) < 0)
    return -1;
  if (space) /* the space before the word is drawn inside the span */
    cv_buf_puts(c->b, "0020");
  for (int k = 0; k < 2 && part == 0; k++) {
    const cv_run *r = k ? b : a;
    for (uint32_t i = 0; i < r->n; i++)
      if (r->g[i].text && !cv_pdf_soft_hyphen(&r->g[i]))
        cv_pdf_put_utf16_hex(c->b, r->g[i].text, r->g[i].text_len);
  }
  cv_buf_puts(c->b, ">>>BDC\n");
  return 0;
}

static int put_broken_word(content *c, const cv_page *pg, size_t i,
                           size_t next) {
  const cv_run *a = pg->items[i].run, *b = pg->items[next].run;
  const cv_dl_item *it = &pg->items[i];
  if (line_end_space(c, it->y) < 0)
    return cv_pdf_fail(c->w, "out of memory collecting glyphs");
  if (fabs(it->y - c->text_y) >= 1e-6)
    c->has_text = 0; /* its line's space is drawn */
  if (begin_part(c, a, b, 0, gap_before(c, it->x, it->y, a->size)) < 0)
    return -1;
  int rc = put_text(c, &pg->items[i]);
  span_end(c);
  for (size_t k = i + 1; k < next && rc == 0; k++)
    rc = put_link(c->w, c->page, c->pageix, pg, &pg->items[k]);
  if (rc == 0 && begin_part(c, a, b, 1, 0) < 0)
    return -1;
  if (rc == 0) {
    rc = put_text(c, &pg->items[next]);
    span_end(c);
  }
  return rc;
}

/* Writes the items of pg (text, rules, links, outline entries) as one
 * content stream into s.  The body of a page is wrapped in q ... Q, so a
 * second stream (the running header and footer) starts from the default
 * graphics state; that second stream is one pagination artifact. */
int cv_pdf_put_items(cv_pdf *w, HPDF_Page page, HPDF_Dict s, const cv_page *pg,
                     int wrap) {
  cv_buf_reset(&w->content);
  if (cv_grow((void **)&w->pend, &w->cappend, w->npend + 1, sizeof *w->pend) <
      0)
    return cv_pdf_fail(w, "out of memory");
  pending *p = &w->pend[w->npend++];
  memset(p, 0, sizeof *p);
  p->stream = s;
  content c = {.w = w,
               .page = page,
               .b = &w->content,
               .p = p,
               .font = SIZE_MAX,
               .pageix = w->npages - 1,
               .tagged = wrap && !w->untagged};
  if (wrap)
    cv_buf_puts(c.b, "q\n");
  else if (!w->untagged) /* running header and footer: pagination */
    cv_buf_puts(c.b, "/Artifact <</Type /Pagination>> BDC\n");
  int rc = 0;
  for (size_t i = 0; i < pg->n && rc == 0; i++) {
    const cv_dl_item *it = &pg->items[i];
    size_t next = broken_word(pg, i);
    rc = mark_item(&c, it);
    if (rc < 0)
      break;
    if (next) {
      rc = put_broken_word(&c, pg, i, next);
      i = next;
    } else if (it->kind == CV_DL_TEXT)
      rc = put_text(&c, it);
    else if (it->kind == CV_DL_RECT)
      put_rect(&c, it);
    else if (it->kind == CV_DL_LINK)
      rc = put_link(w, page, c.pageix, pg, it);
    else if (it->kind == CV_DL_MARK)
      rc = put_mark(w, page, pg, it);
    else if (it->kind == CV_DL_IMAGE) {
      end_text(&c);
      rc = cv_pdf_put_image(w, page, c.b, it, c.tagged);
    }
  }
  end_mc(&c);
  end_text(&c);
  cv_buf_puts(c.b, wrap ? "Q\n" : w->untagged ? "" : "EMC\n");
  if (rc == 0 && (c.b->failed || c.oom))
    rc = cv_pdf_fail(w, "out of memory writing a page");
  if (rc == 0)
    rc = cv_pdf_check_doc(w, "cannot write a page");
  /* Kept, at its size, until the fonts are subset. */
  if (rc == 0 && !(p->ops = malloc(c.b->len ? c.b->len : 1)))
    rc = cv_pdf_fail(w, "out of memory writing a page");
  if (rc == 0) {
    memcpy(p->ops, c.b->data ? c.b->data : "", c.b->len);
    p->len = c.b->len;
  }
  return rc;
}

void cv_pdf_pending_fini(pending *p) {
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
int cv_pdf_finish_pending(cv_pdf *w, pending *p) {
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
  int rc = cv_pdf_put_stream(w, p->stream, p->ops, p->len);
  cv_pdf_pending_fini(p);
  return rc;
}

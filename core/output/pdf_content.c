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
    cv_pdf_put_hex4(c->b, g->gid <= 0xFFFF ? g->gid : 0);
    c->pending += cv_pdf_glyph_width(f, g->gid) - (g->adv - g->dx) * k;
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
    cv_pdf_put_utf16_hex(b, r->actual_text, strlen(r->actual_text));
  } else {
    for (uint32_t i = 0; i < r->n; i++)
      if (r->g[i].text)
        cv_pdf_put_utf16_hex(b, r->g[i].text, r->g[i].text_len);
  }
  cv_buf_puts(b, ">>> BDC\n");
}

static int put_text(content *c, const cv_dl_item *it) {
  const cv_run *r = it->run;
  if (!r || r->n == 0 || !(r->size > 0))
    return 0;
  if (!r->font)
    return cv_pdf_fail(c->w, "a text run has no font");
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
  int same_line = c->in_array && fabs(it->y - c->ly) < 1e-6;
  /* cv_pdf_use_font may have moved the array: compare indices. */
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
      return cv_pdf_fail(c->w, "cannot register a font on a page");
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
    return cv_pdf_fail(w, "out of memory");
  HPDF_Rect rect = {(HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)y1};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, uri);
  free(uri);
  if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
    return cv_pdf_fail(w, "cannot create a link annotation");
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

static int put_mark(cv_pdf *w, HPDF_Page page, const cv_page *pg,
                    const cv_dl_item *it) {
  int level = it->level < 1 ? 1 : it->level > MAX_LEVEL ? MAX_LEVEL : it->level;
  HPDF_Outline parent = NULL;
  for (int l = level - 1; l >= 1 && !parent; l--)
    parent = w->last[l];
  HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
  HPDF_Binary title =
      o ? cv_pdf_text_string(w, it->title ? it->title : "") : NULL;
  HPDF_Destination dst = title ? xyz_dest(w, page, it->y, pg->height) : NULL;
  if (!dst || HPDF_Dict_Add(o, "Title", title) != HPDF_OK ||
      HPDF_Outline_SetDestination(o, dst) != HPDF_OK ||
      HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
    return cv_pdf_fail(w, "cannot create an outline entry");
  w->last[level] = o;
  for (int l = level + 1; l <= MAX_LEVEL; l++)
    w->last[l] = NULL;
  return 0;
}

/* Writes the items of pg (text, rules, links, outline entries) as one
 * content stream into s.  The body of a page is wrapped in q ... Q, so a
 * second stream (the running header and footer) starts from the default
 * graphics state. */
int cv_pdf_put_items(cv_pdf *w, HPDF_Page page, HPDF_Dict s, const cv_page *pg,
                     int wrap) {
  cv_buf_reset(&w->content);
  if (cv_grow((void **)&w->pend, &w->cappend, w->npend + 1,
              sizeof *w->pend) < 0)
    return cv_pdf_fail(w, "out of memory");
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
    else if (it->kind == CV_DL_IMAGE) {
      end_text(&c);
      rc = cv_pdf_put_image(w, page, c.b, it);
    }
  }
  end_text(&c);
  if (wrap)
    cv_buf_puts(c.b, "Q\n");
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

/* cvpdf - the builder: blocks -> lines -> vertical list -> pages.
 *
 * Blocks are typeset as soon as a plugin emits them: the measure is known,
 * so a paragraph goes through shaping and the line breaker at once and
 * only its lines are kept.  Between two line boxes there is always exactly
 * one penalty (the page builder's break point) and possibly glue after it;
 * glue never directly follows a box, so only our penalties are legal page
 * breaks and "keep" is simply a penalty of 10000. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/layout.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "document/bibtex.h"
#include "document/schema.h"

/* An item placed on a line, relative to the line's left edge (x) and
 * baseline (dy, up positive). */
typedef struct pitem {
  uint8_t kind; /* cv_dl_kind */
  double x, dy, w, h;
  cv_run *run;
  cv_color color;
  const char *uri;
  const char *title;
  int level;
} pitem;

typedef struct vline {
  pitem *items;
  size_t n, cap;
} vline;

#define MAX_LISTS 8

typedef struct list_state {
  cvpdf_list_kind kind;
  int counter;
} list_state;

/* Lines, runs and glyphs are allocated in generations of material.  A
 * generation ends at a quiet moment (nothing queued for lines still to
 * come) and is freed once every line pushed before its end is on a
 * written page: a long CV never holds more than a few pages of it. */
typedef struct material {
  cv_arena arena;
  size_t end; /* items pushed to v before the next generation began */
} material;

/* Bytes a generation takes before it may end (fuzz builds set a small
 * value so that short inputs exercise the freeing too). */
#ifndef CV_GENERATION_BYTES
#define CV_GENERATION_BYTES (256 * 1024)
#endif

struct cvpdf_builder {
  const cv_theme *theme;
  cv_shaper *sh;
  cv_arena *arena; /* the current generation's */
  cv_arena *perm;  /* what outlives pages: strings handed to plugins */
  material **gens; /* oldest first; the last is current */
  size_t ngens, capgens;
  cv_diags *diags;
  const char *lang;
  int64_t date;     /* the document date, seconds since 1970 (UTC) */
  const char *type; /* section type being built */
  int failed;
  int stopped; /* the page sink refused a page: nothing more is set */
  const char *author;
  double measure;

  cv_vitem *v;
  size_t nv, capv;
  size_t dropped; /* items written out and removed from the front of v */

  /* pages */
  cv_pagesink sink;
  int keep_pages;    /* material lives until the builder goes (trace) */
  size_t page_start; /* index in v where the next page's material starts */
  size_t npages;     /* pages delivered */
  cv_page scratch;   /* the display list of the page being delivered */
  double pending_space;
  int keep;         /* > 0: page breaks forbidden before the next line */
  int keep_content; /* content lines still to keep with the head */
  int keep_after;   /* set keep once the next line is placed: an entry's
                       head may start a page, but stays with what follows */

  /* entry */
  int in_entry;
  int warned_label;
  int safe; /* files the CV names must stay in its directory */
  cv_inputs *inputs;  /* files read are recorded here (borrowed; may be NULL) */
  cv_source src;                /* where the plugin's strings came from */
  const cvpdf_node *author_src; /* the source root when the author was set */
  size_t entry_start; /* first vertical item of the open entry */
  double indent;       /* left indent of blocks */
  double base;         /* indent of a section's blocks: after the side
                          column, if the layout has one */
  vline **label_lines; /* hanging label lines still to place */
  size_t nlabel, label_next;

  list_state lists[MAX_LISTS];
  int depth;

  cv_hlist contact;
  int ncontacts;

  cv_layout_stats stats;
};

/* ---- small helpers ---------------------------------------------------- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void oom(cvpdf_builder *b) {
  if (!b->failed)
    cv_diags_add(b->diags, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
  b->failed = 1;
}

static void fail_status(cvpdf_builder *b, const cv_status *st) {
  if (!b->failed)
    cv_diags_add(b->diags, CV_SEV_ERROR, NULL, 0, 0, "%s", st->msg);
  b->failed = 1;
}

/* Text from the document for a message: cut short, one line. */
static const char *shown(char *buf, size_t cap, const char *s) {
  size_t n = 0;
  for (; s[n] && n + 4 < cap; n++)
    buf[n] = (unsigned char)s[n] < 0x20 ? '?' : s[n];
  while (s[n] && n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
    n--; /* a cut never splits a character */
  snprintf(buf + n, cap - n, "%s", s[n] ? "..." : "");
  return buf;
}

/* Every link target on its way into a run passes here: one the PDF may
 * not hold is dropped (its text stays), with a warning at the field or
 * markup it came from. */
static const char *link_filter(void *ud, const char *uri) {
  cvpdf_builder *b = ud;
  char why[96], buf[80];
  if (!cv_link_refused(uri, b->safe, why, sizeof why))
    return uri;
  const cvpdf_node *at = cv_source_find(&b->src, uri);
  if (cv_source_first(&b->src, at, uri))
    cv_diags_add(b->diags, CV_SEV_WARNING, at ? at->file : NULL,
                 at ? at->line : 0, at ? at->col : 0,
                 "dropped the link to '%s': expected an http, https, mailto "
                 "or tel address%s, found %s",
                 shown(buf, sizeof buf, uri),
                 b->safe ? "" : " or a relative one", why);
  return NULL;
}

static const cv_style *style(cvpdf_builder *b, const char *name) {
  return cv_theme_style(b->theme, name);
}

/* Line items live in the arena, freed with the document: growth copies
 * (at most doubling the bytes used), so pointers into items are only valid
 * until the next vline_add on the same line. */
static pitem *vline_add(cvpdf_builder *b, vline *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    pitem *items = cv_arena_alloc_n(b->arena, cap, sizeof *items);
    if (!items) {
      oom(b);
      return NULL;
    }
    if (l->n)
      memcpy(items, l->items, l->n * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  pitem *p = &l->items[l->n++];
  memset(p, 0, sizeof *p);
  return p;
}

static vline *vline_new(cvpdf_builder *b) {
  vline *l = cv_arena_alloc(b->arena, sizeof *l);
  if (!l)
    oom(b);
  return l;
}

static void fire_pages(cvpdf_builder *b, int final);

static void vpush(cvpdf_builder *b, cv_vkind kind, double h, double d,
                  double w, int pen, void *content) {
  if (cv_grow((void **)&b->v, &b->capv, b->nv + 1, sizeof *b->v) < 0) {
    oom(b);
    return;
  }
  cv_vitem *it = &b->v[b->nv++];
  it->kind = (unsigned char)kind;
  it->height = h;
  it->depth = d;
  it->width = w;
  it->penalty = pen;
  it->content = content;
}

static void add_space(cvpdf_builder *b, double s) {
  if (s > b->pending_space)
    b->pending_space = s;
}

/* Appends a line box, preceded by its break penalty and pending space.
 * content: whether the line counts as content for keep-with-head. */
static void add_box(cvpdf_builder *b, vline *l, double h, double d,
                    int penalty, int content) {
  if (b->nv + b->dropped > 0) {
    int p = b->keep ? CV_INF_PENALTY : penalty;
    vpush(b, CV_VPENALTY, 0, 0, 0, p, NULL);
    if (b->pending_space > 0)
      vpush(b, CV_VGLUE, 0, 0, b->pending_space, 0, NULL);
  }
  b->pending_space = 0;
  /* A hanging label (entry label, list bullet) rides on the next lines. */
  if (b->label_next < b->nlabel) {
    vline *lab = b->label_lines[b->label_next++];
    for (size_t i = 0; i < lab->n; i++) {
      pitem *p = vline_add(b, l);
      if (p)
        *p = lab->items[i];
    }
  }
  vpush(b, CV_VBOX, h, d, 0, 0, l);
  if (content && b->keep_content > 0 && --b->keep_content == 0)
    b->keep = 0;
  if (b->keep_after) {
    b->keep_after = 0;
    if (b->keep_content > 0)
      b->keep = 1;
  }
  b->stats.lines++;
}

/* Keeps what was just emitted with the head of what follows. */
static void keep_with_next(cvpdf_builder *b, int content_lines) {
  b->keep = 1;
  if (content_lines > b->keep_content)
    b->keep_content = content_lines;
}

/* Attaches an item to the next line appended: joined to a pending label
 * line if there is one, else a queue of its own. */
static void queue_beside(cvpdf_builder *b, const pitem *item) {
  if (b->label_next < b->nlabel) {
    pitem *m = vline_add(b, b->label_lines[b->label_next]);
    if (m)
      *m = *item;
    return;
  }
  vline *l = vline_new(b);
  pitem *p = l ? vline_add(b, l) : NULL;
  vline **q = cv_arena_alloc(b->arena, sizeof *q);
  if (!p || !q) {
    oom(b);
    return;
  }
  *p = *item;
  q[0] = l;
  b->label_lines = q;
  b->nlabel = 1;
  b->label_next = 0;
}

/* Copies the items of line into the next line appended, shifted by dx. */
static void queue_items(cvpdf_builder *b, const vline *line, double dx) {
  for (size_t i = 0; line && i < line->n; i++) {
    pitem p = line->items[i];
    p.x += dx;
    queue_beside(b, &p);
  }
}

/* Appends the items of line to l, shifted by dx. */
static void add_items(cvpdf_builder *b, vline *l, const vline *line,
                      double dx) {
  for (size_t i = 0; line && i < line->n; i++) {
    pitem *p = vline_add(b, l);
    if (!p)
      return;
    *p = line->items[i];
    p->x += dx;
  }
}

/* Appends a shaped line to a node list as boxes, keeping its spacing. */
static void hlist_add_items(cv_hlist *hl, const vline *line, double width) {
  double x = 0;
  for (size_t i = 0; line && i < line->n; i++) {
    const pitem *p = &line->items[i];
    if (p->x > x)
      cv_hlist_box(hl, p->x - x, NULL); /* the space before it */
    cv_hlist_box(hl, p->run->width, p->run);
    x = p->x + p->run->width;
  }
  if (width > x)
    cv_hlist_box(hl, width - x, NULL);
}

/* Text for the side column, on the next line's baseline; below the side
 * column's lines still pending, so a location broken over two lines and
 * the dates after it are stacked, not printed over each other. */
static void side_text(cvpdf_builder *b, const vline *line, double w) {
  const cv_theme *t = b->theme;
  double dx = t->side_align == CV_ALIGN_RIGHT ? t->side_width - w : 0;
  if (dx < 0)
    dx = 0; /* never into the margin */
  size_t pending = b->nlabel - b->label_next;
  if (pending == 0) {
    queue_items(b, line, dx);
    return;
  }
  /* Below what is pending in the column already (a label, earlier dates). */
  vline **q = cv_arena_alloc_n(b->arena, pending + 1, sizeof *q);
  vline *l = vline_new(b);
  if (!q || !l) {
    oom(b);
    return;
  }
  add_items(b, l, line, dx);
  memcpy(q, b->label_lines + b->label_next, pending * sizeof *q);
  q[pending] = l;
  b->label_lines = q;
  b->nlabel = pending + 1;
  b->label_next = 0;
}

static void flush_labels(cvpdf_builder *b) {
  while (b->label_next < b->nlabel) {
    vline *l = vline_new(b);
    if (!l)
      return;
    const cv_style *s = style(b, "label");
    add_box(b, l, s->leading * 0.75, s->leading * 0.25, 0, 1);
  }
  b->nlabel = b->label_next = 0;
  b->label_lines = NULL;
}

/* ---- typesetting a node list into lines ------------------------------ */

typedef struct measure_ctx {
  double first, rest;
} measure_ctx;

static double line_width(void *ctx, size_t line) {
  measure_ctx *m = ctx;
  return line == 0 ? m->first : m->rest;
}

/* Ragged lines (Knuth & Plass 1981, "ragged-right"): each interword glue
 * becomes glue(0, +R) penalty(0) glue(w, -R), so a break costs the same
 * wherever it falls, and a hyphenation penalty gets glue(0,+R) before it
 * and glue(0,-R) after it so a line ending there may fall short too. */
static void make_ragged(cvpdf_builder *b, cv_hlist *in, cv_hlist *out,
                        double R) {
  for (size_t i = 0; i < in->n; i++) {
    cv_node *n = &in->v[i];
    if (n->kind == CV_GLUE) {
      cv_hlist_glue(out, 0, R, 0);
      cv_hlist_penalty(out, 0, 0, 0);
      cv_hlist_glue(out, n->width, -R, n->shrink);
    } else if (n->kind == CV_PENALTY && n->penalty < CV_INF_PENALTY &&
               n->penalty > CV_EJECT_PENALTY) {
      cv_hlist_penalty(out, 0, CV_INF_PENALTY, 0);
      cv_hlist_glue(out, 0, R, 0);
      cv_node *p = cv_hlist_push(out);
      if (p)
        *p = *n;
      cv_hlist_glue(out, 0, -R, 0);
    } else {
      cv_node *p = cv_hlist_push(out);
      if (p)
        *p = *n;
    }
  }
  if (out->failed)
    oom(b);
}

static void finish_paragraph(cv_hlist *l) {
  cv_hlist_penalty(l, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(l, 0, CV_FIL, 0);
  cv_hlist_penalty(l, 0, CV_EJECT_PENALTY, 0);
}

static int mergeable(const cv_run *a, const cv_run *c) {
  return a->font == c->font && a->size == c->size &&
         a->color.r == c->color.r && a->color.g == c->color.g &&
         a->color.b == c->color.b && a->link == c->link && !a->actual_text &&
         !c->actual_text;
}

/* Joins run c to run a.  A gap (a space between them, in points) widens
 * a's last glyph, so the result still draws as one run. */
static cv_run *join_runs(cvpdf_builder *b, const cv_run *a, const cv_run *c,
                         double gap) {
  cv_run *r = cv_arena_alloc(b->arena, sizeof *r);
  if (!r) {
    oom(b);
    return NULL;
  }
  *r = *a;
  /* Pieces of one shaped word are slices of one glyph array: joining them
   * needs no copy. */
  cv_glyph *g = a->g;
  if (gap != 0 || c->g != a->g + a->n) {
    g = cv_arena_alloc_n(b->arena, (size_t)a->n + c->n, sizeof *g);
    if (!g) {
      oom(b);
      return NULL;
    }
    memcpy(g, a->g, a->n * sizeof *g);
    memcpy(g + a->n, c->g, c->n * sizeof *g);
    if (a->n)
      g[a->n - 1].adv += (float)gap;
  }
  r->g = g;
  r->n = a->n + c->n;
  r->width = (float)(a->width + gap + c->width);
  if (c->ascent > r->ascent)
    r->ascent = c->ascent;
  if (c->descent > r->descent)
    r->descent = c->descent;
  return r;
}

/* Places line `ln` of nodes into a new vline starting at x0. */
static vline *place_line(cvpdf_builder *b, const cv_node *nodes,
                         const cv_line *ln, double x0, double width,
                         cv_align al, int last) {
  vline *l = vline_new(b);
  if (!l)
    return NULL;
  int stretchy = al == CV_ALIGN_JUSTIFY && !last;
  double natural = 0;
  for (size_t i = ln->start; i < ln->end; i++)
    natural += nodes[i].width;
  const cv_node *brk = ln->hyphenated ? &nodes[ln->brk] : NULL;
  if (brk)
    natural += brk->width;
  double x = x0;
  if (al == CV_ALIGN_CENTER)
    x += (width - natural) / 2;
  else if (al == CV_ALIGN_RIGHT)
    x += width - natural;
  double ratio = ln->ratio;
  if (!stretchy && ratio > 0)
    ratio = 0;
  /* Indices, not pointers: vline_add may move the items. */
  size_t link = SIZE_MAX, text = SIZE_MAX;
  double text_end = 0;
  for (size_t i = ln->start; i < ln->end; i++) {
    const cv_node *n = &nodes[i];
    if (n->kind == CV_GLUE) {
      if (n->width != 0 || ratio != 0)
        text = SIZE_MAX;
      double w = n->width;
      if (ratio > 0 && n->stretch > 0 && n->stretch < CV_FIL)
        w += ratio * n->stretch;
      else if (ratio < 0)
        w += ratio * n->shrink;
      x += w;
      continue;
    }
    if (n->kind != CV_BOX)
      continue;
    if (n->run && n->run->n && text != SIZE_MAX &&
        fabs(text_end - x) < 1e-6 && mergeable(l->items[text].run, n->run)) {
      /* Pieces of a hyphenatable word set side by side: one run, so the
       * PDF and the trace hold words, not syllables. */
      cv_run *m = join_runs(b, l->items[text].run, n->run, 0);
      if (m)
        l->items[text].run = m;
      text_end = x + n->width;
      if (link != SIZE_MAX && n->run->link == l->items[link].uri)
        l->items[link].w = x + n->width - l->items[link].x;
      x += n->width;
      continue;
    }
    if (n->run && n->run->n) {
      pitem *p = vline_add(b, l);
      if (!p)
        return l;
      p->kind = CV_DL_TEXT;
      p->x = x;
      p->run = n->run;
      text = l->n - 1;
      text_end = x + n->width;
      if (!n->run->link) {
        link = SIZE_MAX;
      } else if (link != SIZE_MAX && l->items[link].uri == n->run->link) {
        l->items[link].w = x + n->width - l->items[link].x;
      } else {
        pitem *lk = vline_add(b, l);
        if (!lk)
          return l;
        lk->kind = CV_DL_LINK;
        lk->x = x;
        lk->w = n->width;
        lk->dy = -n->run->descent;
        lk->h = n->run->ascent + n->run->descent;
        lk->uri = n->run->link;
        link = l->n - 1;
      }
    }
    x += n->width;
  }
  if (brk && brk->hyphen && text != SIZE_MAX && fabs(text_end - x) < 1e-6 &&
      mergeable(l->items[text].run, brk->hyphen)) {
    cv_run *m = join_runs(b, l->items[text].run, brk->hyphen, 0);
    if (m)
      l->items[text].run = m;
  } else if (brk && brk->hyphen) {
    pitem *p = vline_add(b, l);
    if (p) {
      p->kind = CV_DL_TEXT;
      p->x = x;
      p->run = brk->hyphen;
    }
  }
  return l;
}

/* Line breaking passes to run (tex.web section 863). */
typedef enum { BREAK_ALL, BREAK_FIRST_ONLY, BREAK_HYPHENATED } break_mode;

#define BREAK_FAILED ((size_t)-1)

/* Breaks hl (already finished) into lines placed at x0 with measures
 * first_w and rest_w.  BREAK_FIRST_ONLY returns BREAK_FAILED when the
 * first pass (no hyphenation, pretolerance) finds no feasible breaks. */
static size_t set_lines(cvpdf_builder *b, cv_hlist *hl, const cv_style *s,
                        double x0, double first_w, double rest_w,
                        vline ***out_lines, break_mode mode) {
  measure_ctx mc = {first_w, rest_w};
  cv_kp_params kp;
  cv_kp_params_default(&kp);
  kp.emergency_stretch = s->ts.size * 1.5;
  kp.same_width_from = 1; /* first_w, then rest_w */
  if (mode == BREAK_FIRST_ONLY) {
    kp.tolerance = kp.pretolerance;
    kp.emergency_stretch = 0;
  } else if (mode == BREAK_HYPHENATED) {
    kp.pretolerance = -1; /* pass 1 is known to fail */
  }
  cv_line *lines = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  double t0 = now();
  if (cv_linebreak(hl->v, hl->n, line_width, &mc, &kp, &lines, &nl, &passes,
                   &st) < 0) {
    fail_status(b, &st);
    return 0;
  }
  b->stats.t_break += now() - t0;
  if (mode == BREAK_FIRST_ONLY && passes != 1) {
    free(lines);
    return BREAK_FAILED;
  }
  b->stats.paragraphs++;
  if (passes >= 1 && passes <= 4)
    b->stats.passes[passes]++;
  vline **vl = cv_arena_alloc_n(b->arena, nl ? nl : 1, sizeof *vl);
  if (!vl) {
    free(lines);
    oom(b);
    return 0;
  }
  for (size_t i = 0; i < nl; i++) {
    double w = i == 0 ? first_w : rest_w;
    vl[i] = place_line(b, hl->v, &lines[i], x0, w, s->align, i + 1 == nl);
    if (lines[i].hyphenated)
      b->stats.hyphenated++;
    if (lines[i].overfull)
      b->stats.overfull++;
  }
  free(lines);
  *out_lines = vl;
  return nl;
}

/* Shapes markup in style s into hl (not finished). */
static int shape_markup(cvpdf_builder *b, const cv_style *s,
                        const char *markup, int hyphenate, cv_hlist *hl) {
  cv_span *spans = NULL;
  size_t ns = 0;
  cv_status st = {0};
  if (b->stopped)
    return -1;
  double t0 = now();
  int justify = s->align == CV_ALIGN_JUSTIFY;
  if (cv_markup_parse(b->arena, markup, strlen(markup), &spans, &ns, &st) < 0 ||
      cv_shape_spans(b->sh, &s->ts, spans, ns, hyphenate, justify, hl, &st) <
          0) {
    fail_status(b, &st);
    return -1;
  }
  b->stats.t_shape += now() - t0;
  return 0;
}

/* The list the breaker reads: raw nodes made ragged if the style is, and
 * finished as a paragraph. */
static int prepare(cvpdf_builder *b, const cv_style *s, const cv_hlist *raw,
                   cv_hlist *hl) {
  cv_hlist_init(hl);
  if (s->align == CV_ALIGN_JUSTIFY) {
    for (size_t i = 0; i < raw->n; i++) {
      cv_node *p = cv_hlist_push(hl);
      if (p)
        *p = raw->v[i];
    }
  } else {
    make_ragged(b, (cv_hlist *)raw, hl, s->ts.size * 3);
  }
  finish_paragraph(hl);
  if (hl->failed) {
    oom(b);
    cv_hlist_fini(hl);
    return -1;
  }
  return 0;
}

/* Typesets a node list as a paragraph and appends its lines with widow
 * and club control.  right: a run placed flush right on the first line.
 * markup: the source of raw when it was shaped without hyphenation; as TeX
 * does, words are hyphenated only when the first pass finds no good
 * breaks, so the patterns are loaded and used only where they help. */
static void emit_hlist(cvpdf_builder *b, const cv_style *s, cv_hlist *raw,
                       const char *markup, double x0, double width,
                       double first_cut, const vline *right, double right_w,
                       int content) {
  cv_hlist hl;
  if (prepare(b, s, raw, &hl) < 0)
    return;
  vline **lines = NULL;
  double w1 = width - first_cut;
  size_t nl;
  if (markup && b->theme->hyphenate) {
    nl = set_lines(b, &hl, s, x0, w1, width, &lines, BREAK_FIRST_ONLY);
    if (nl == BREAK_FAILED) {
      cv_hlist hy;
      cv_hlist_init(&hy);
      cv_hlist_fini(&hl);
      nl = 0;
      if (shape_markup(b, s, markup, 1, &hy) == 0 &&
          prepare(b, s, &hy, &hl) == 0) {
        nl = set_lines(b, &hl, s, x0, w1, width, &lines, BREAK_HYPHENATED);
      } else {
        cv_hlist_init(&hl);
      }
      cv_hlist_fini(&hy);
    }
  } else {
    nl = set_lines(b, &hl, s, x0, w1, width, &lines, BREAK_ALL);
  }
  cv_hlist_fini(&hl);
  double h = s->leading * 0.75, d = s->leading * 0.25;
  if (nl == 0 && right) { /* a row with only its right part */
    lines = cv_arena_alloc(b->arena, sizeof *lines);
    if (!lines || !(lines[0] = vline_new(b)))
      return;
    nl = 1;
  }
  for (size_t i = 0; i < nl; i++) {
    if (i == 0 && right)
      add_items(b, lines[0], right, x0 + width - right_w);
    /* Club and widow lines: no page break after the first or before the
     * last line of a paragraph (a two-line paragraph stays whole). */
    int pen = 0;
    if (i == 1 || (nl > 1 && i == nl - 1))
      pen = CV_INF_PENALTY;
    add_box(b, lines[i], h, d, i == 0 ? 0 : pen, content);
  }
}

/* Shapes one unbreakable line (labels, bullets, right parts, headers and
 * footers) into text items from x = 0: one run per stretch of text in one
 * font, so a fallback character or a bold word keeps its own font.
 * *width gets the line's width.  NULL when there is nothing to draw. */
static vline *line_items(cvpdf_builder *b, const cv_style *s,
                         const char *markup, double *width) {
  cv_hlist hl;
  cv_hlist_init(&hl);
  cv_status st = {0};
  double w = 0;
  if (cv_shape_line(b->sh, &s->ts, markup, &hl, &w, &st) < 0) {
    fail_status(b, &st);
    cv_hlist_fini(&hl);
    return NULL;
  }
  vline *l = vline_new(b);
  double x = 0, gap = 0;
  for (size_t i = 0; l && i < hl.n; i++) {
    const cv_node *nd = &hl.v[i];
    if (!nd->run || !nd->run->n) { /* a space */
      x += nd->width;
      gap += nd->width;
      continue;
    }
    pitem *last = l->n ? &l->items[l->n - 1] : NULL;
    if (last && mergeable(last->run, nd->run)) {
      cv_run *m = join_runs(b, last->run, nd->run, gap);
      if (m)
        last->run = m;
    } else {
      pitem *p = vline_add(b, l);
      if (p) {
        p->kind = CV_DL_TEXT;
        p->x = x;
        p->run = nd->run;
      }
    }
    x += nd->width;
    gap = 0;
  }
  cv_hlist_fini(&hl);
  if (!l || !l->n)
    return NULL;
  if (width)
    *width = w;
  return l;
}

/* ---- contact line ---------------------------------------------------- */

static void flush_contacts(cvpdf_builder *b) {
  if (!b->ncontacts)
    return;
  const cv_style *s = style(b, "contact");
  b->ncontacts = 0;
  emit_hlist(b, s, &b->contact, NULL, b->indent, b->measure - b->indent, 0,
             NULL, 0, 1);
  cv_hlist_fini(&b->contact);
  cv_hlist_init(&b->contact);
}

/* Every block first closes an open contact line; then whatever pages are
 * full go out. */
static void begin_block(cvpdf_builder *b) {
  flush_contacts(b);
  fire_pages(b, 0);
}

/* ---- service table: reading ------------------------------------------ */

static cvpdf_node_kind h_kind(const cvpdf_node *n) {
  return n ? n->kind : CVPDF_NODE_NONE;
}

static const char *h_key_at(const cvpdf_node *m, size_t i) {
  return cv_node_str(cv_node_key_at(m, i));
}

static const cvpdf_node *h_value_at(const cvpdf_node *m, size_t i) {
  return cv_node_value_at(m, i);
}

static int h_get_bool(const cvpdf_node *m, const char *key, int dflt) {
  int v = cv_node_bool(cv_node_get(m, key));
  return v < 0 ? dflt : v;
}

static void h_report(cvpdf_builder *b, cv_severity sev, const cvpdf_node *at,
                     const char *fmt, va_list ap) {
  cv_diags_vadd(b->diags, sev, at ? at->file : NULL, at ? at->line : 0,
                at ? at->col : 0, fmt, ap);
  if (sev == CV_SEV_ERROR)
    b->failed = 1;
}

static void h_error(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                    ...) {
  va_list ap;
  va_start(ap, fmt);
  h_report(b, CV_SEV_ERROR, at, fmt, ap);
  va_end(ap);
}

static void h_warn(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                   ...) {
  va_list ap;
  va_start(ap, fmt);
  h_report(b, CV_SEV_WARNING, at, fmt, ap);
  va_end(ap);
}

static const char *h_fmt(cvpdf_builder *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *s = cv_arena_vprintf(b->perm, fmt, ap);
  va_end(ap);
  if (!s)
    oom(b);
  return s ? s : "";
}

/* One allocation for the whole string, so a list of any length joins in
 * linear time and memory. */
static const char *h_join(cvpdf_builder *b, const char *const *parts, size_t n,
                          const char *sep) {
  if (!b || !parts)
    return NULL;
  size_t sl = sep ? strlen(sep) : 0, total = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = parts[i] ? strlen(parts[i]) : 0;
    if (!l)
      continue;
    if (l > SIZE_MAX - 1 - sl - total) {
      oom(b);
      return NULL;
    }
    total += l + (k++ ? sl : 0);
  }
  char *out = k ? cv_arena_alloc(b->perm, total + 1) : NULL;
  if (k && !out)
    oom(b);
  if (!out)
    return NULL;
  char *o = out;
  k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = parts[i] ? strlen(parts[i]) : 0;
    if (!l)
      continue;
    if (k++ && sl)
      o = (char *)memcpy(o, sep, sl) + sl;
    o = (char *)memcpy(o, parts[i], l) + l;
  }
  *o = '\0';
  return out;
}

static const char *h_escape(cvpdf_builder *b, const char *text) {
  if (!text)
    return NULL;
  cv_buf out;
  cv_buf_init(&out);
  for (const char *p = text; *p; p++) {
    if (strchr("\\`*_[]<>&!#|~", *p))
      cv_buf_putc(&out, '\\');
    cv_buf_putc(&out, *p);
  }
  const char *r = out.data ? cv_arena_strdup(b->perm, out.data) : "";
  cv_buf_fini(&out);
  return r;
}

static const char *h_word(cvpdf_builder *b, const char *key) {
  return cv_theme_word(b->theme, b->lang, key);
}

static const char *h_option(cvpdf_builder *b, const char *key) {
  return b->type ? cv_theme_option(b->theme, b->type, key) : NULL;
}

static const char *format_date(cvpdf_builder *b, const cvpdf_node *n,
                               int *ok) {
  const char *s = cv_node_str(n);
  cv_date d;
  if (!s || cv_date_parse(s, &d) != 0) {
    h_error(b, n,
            "expected a date such as 2021, 2021-05, May 2021 or present, "
            "found '%s'",
            s ? s : cv_node_kind_name(n));
    *ok = 0;
    return "";
  }
  if (d.present)
    return h_word(b, "present");
  int ms = b->theme->month_style;
  if (!d.month || ms == 0)
    return h_fmt(b, "%d", d.year);
  if (ms == 3)
    return h_fmt(b, "%02d/%d", d.month, d.year);
  const char *m = cv_month_name(b->lang, d.month, ms == 1 || ms == 4);
  if (ms == 4) {
    /* Dotted: "Sep. 2017", but "May 2017" where nothing was cut off. */
    const char *full = cv_month_name(b->lang, d.month, 0);
    size_t n = strlen(m);
    int cut = full && strcmp(m, full) && m[n ? n - 1 : 0] != '.';
    return h_fmt(b, "%s%s %d", m, cut ? "." : "", d.year);
  }
  return h_fmt(b, "%s %d", m, d.year);
}

static const char *h_date_range(cvpdf_builder *b, const cvpdf_node *start,
                                const cvpdf_node *end) {
  int ok = 1;
  const char *a = start ? format_date(b, start, &ok) : NULL;
  const char *z = end ? format_date(b, end, &ok) : NULL;
  if (!ok)
    return NULL;
  if (a && z && strcmp(a, z))
    return h_fmt(b, "%s%s%s", a, b->theme->date_separator, z);
  return a ? a : z;
}

/* ---- service table: blocks ------------------------------------------- */

static void mark_line(cvpdf_builder *b, const char *title, int level) {
  size_t units = cv_pdf_text_units(title);
  if (units > CV_PDF_MAX_TEXT) {
    const cvpdf_node *at = cv_source_find(&b->src, title);
    cv_diags_add(b->diags, CV_SEV_ERROR, at ? at->file : NULL,
                 at ? at->line : 0, at ? at->col : 0,
                 "expected a heading of at most %d characters (UTF-16 code "
                 "units: the most a PDF outline entry holds), found %zu",
                 CV_PDF_MAX_TEXT, units);
    b->failed = 1;
    return;
  }
  /* The outline entry rides on the last box appended. */
  for (size_t i = b->nv; i-- > 0;) {
    if (b->v[i].kind != CV_VBOX)
      continue;
    pitem *p = vline_add(b, b->v[i].content);
    if (p) {
      p->kind = CV_DL_MARK;
      p->title = cv_arena_strdup(b->arena, title);
      p->level = level;
      p->dy = b->v[i].height;
    }
    return;
  }
}

/* Right edge of the text on a line. */
static double line_extent(const vline *l) {
  double x = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->items[i].kind == CV_DL_TEXT &&
        l->items[i].x + l->items[i].run->width > x)
      x = l->items[i].x + l->items[i].run->width;
  return x;
}

/* A heading rule on the title's last line: filling the rest of the line
 * after the title (Awesome-CV), or a bar in the side column (moderncv). */
static void heading_rule_beside(cvpdf_builder *b, const cv_style *s) {
  vline *l = NULL;
  for (size_t i = b->nv; i-- > 0 && !l;)
    if (b->v[i].kind == CV_VBOX)
      l = b->v[i].content;
  pitem *p = l ? vline_add(b, l) : NULL;
  if (!p)
    return;
  p->kind = CV_DL_RECT;
  p->h = s->rule_width;
  p->color = s->rule_color;
  /* On the x-height, where the eye expects a rule beside lowercase. */
  p->dy = s->ts.size * 0.3;
  if (s->rule_position == 1) {
    p->x = line_extent(l) + s->ts.size * 0.5;
    p->w = b->measure - p->x;
  } else {
    p->x = 0;
    p->w = b->theme->side_width;
    p->h = s->ts.size * 0.45;
    p->dy = 0;
  }
  if (p->w < 0)
    p->w = 0;
}

static void heading_block(cvpdf_builder *b, const char *sname,
                          const char *title, int level) {
  begin_block(b);
  flush_labels(b);
  const cv_style *s = style(b, sname);
  add_space(b, level == 1 ? b->theme->sp_section : s->space_before);
  if (s->space_before > 0)
    add_space(b, s->space_before);
  cv_hlist hl;
  cv_hlist_init(&hl);
  const char *m = h_escape(b, title);
  if (shape_markup(b, s, m, 0, &hl) == 0)
    emit_hlist(b, s, &hl, m, b->indent, b->measure - b->indent, 0, NULL, 0,
               0);
  cv_hlist_fini(&hl);
  mark_line(b, title, level);
  keep_with_next(b, 2);
  if (s->rule && s->rule_position == 0) {
    vline *l = vline_new(b);
    pitem *p = l ? vline_add(b, l) : NULL;
    if (p) {
      p->kind = CV_DL_RECT;
      p->x = b->indent;
      p->w = b->measure - b->indent;
      p->h = s->rule_width;
      p->color = s->rule_color;
      add_space(b, s->ts.size * 0.15);
      add_box(b, l, s->rule_width, 0, CV_INF_PENALTY, 0);
    }
  } else if (s->rule) {
    heading_rule_beside(b, s);
  }
  add_space(b, level == 1 ? b->theme->heading_after : s->space_after);
}

static void h_heading(cvpdf_builder *b, const char *title) {
  heading_block(b, "heading", title, 1);
}

static void h_subheading(cvpdf_builder *b, const char *title) {
  heading_block(b, "subheading", title, 2);
}

static void h_entry_end(cvpdf_builder *b);

static void h_entry_begin(cvpdf_builder *b, const char *label) {
  begin_block(b);
  if (b->in_entry)
    h_entry_end(b);
  b->in_entry = 1;
  b->entry_start = b->nv;
  add_space(b, b->theme->sp_entry);
  /* A page may break before the entry (unless a heading just asked to be
   * kept with it), not between its head and its first two lines. */
  if (b->keep_content < 2)
    b->keep_content = 2;
  b->keep_after = 1;
  if (!label || !*label || (b->theme->label_width <= 0 &&
                             !h_option(b, "label_width")))
    return;
  /* The label is set ragged in its column and rides beside the entry's
   * first lines. */
  const cv_style *s = style(b, "label");
  cv_style ls = *s;
  if (ls.align == CV_ALIGN_JUSTIFY)
    ls.align = CV_ALIGN_LEFT;
  double lw = b->theme->label_width;
  const char *opt = h_option(b, "label_width");
  if (opt && atof(opt) > 0 && atof(opt) < b->measure / 2)
    lw = atof(opt); /* per section type: a venue column is wider */
  double lx = b->theme->label_in_margin ? b->indent - lw : b->indent;
  cv_hlist hl;
  cv_hlist_init(&hl);
  if (shape_markup(b, &ls, label, b->theme->hyphenate, &hl) == 0) {
    cv_hlist rag;
    cv_hlist_init(&rag);
    make_ragged(b, &hl, &rag, ls.ts.size * 3);
    finish_paragraph(&rag);
    b->nlabel = set_lines(b, &rag, &ls, lx, lw - 4, lw - 4, &b->label_lines,
                          BREAK_ALL);
    b->label_next = 0;
    cv_hlist_fini(&rag);
    for (size_t i = 0; i < b->nlabel && !b->warned_label; i++)
      if (line_extent(b->label_lines[i]) > lx + lw) {
        /* A word wider than the column would print over the entry. */
        b->warned_label = 1;
        cv_diags_add(b->diags, CV_SEV_WARNING, NULL, 0, 0,
                     "label '%s' is wider than the %s label column (%.0fpt); "
                     "set a larger label_width for it in the layout",
                     label, b->type ? b->type : "", lw);
      }
  }
  cv_hlist_fini(&hl);
  if (!b->theme->label_in_margin)
    b->indent += lw;
}

/* An entry's last line never starts a page alone (a note cut off from its
 * entry reads as belonging to the next one). */
static void keep_last_line(cvpdf_builder *b) {
  size_t i = b->nv;
  while (i > b->entry_start && b->v[i - 1].kind != CV_VBOX)
    i--;
  if (i == b->entry_start)
    return;
  size_t last = i - 1;
  int boxes_before = 0;
  for (size_t k = b->entry_start; k < last; k++)
    boxes_before += b->v[k].kind == CV_VBOX;
  if (boxes_before < 2)
    return; /* a one- or two-line entry is kept whole by its head already */
  for (size_t k = last; k-- > b->entry_start;) {
    if (b->v[k].kind == CV_VBOX)
      return;
    if (b->v[k].kind == CV_VPENALTY) {
      b->v[k].penalty = CV_INF_PENALTY;
      return;
    }
  }
}

static void h_entry_end(cvpdf_builder *b) {
  begin_block(b);
  if (!b->in_entry)
    return;
  flush_labels(b);
  keep_last_line(b);
  b->in_entry = 0;
  b->indent = b->base;
  b->depth = 0;
  b->keep = 0;
  b->keep_content = 0;
  b->keep_after = 0;
}

static void paragraph_at(cvpdf_builder *b, const cv_style *s,
                         const char *markup, double x0) {
  cv_hlist hl;
  cv_hlist_init(&hl);
  if (markup && shape_markup(b, s, markup, 0, &hl) < 0) {
    cv_hlist_fini(&hl);
    return;
  }
  if (hl.n)
    emit_hlist(b, s, &hl, markup, x0, b->measure - x0, 0, NULL, 0, 1);
  cv_hlist_fini(&hl);
}

static void h_paragraph(cvpdf_builder *b, const char *sname,
                        const char *markup) {
  begin_block(b);
  if (!markup)
    return;
  const cv_style *s = style(b, sname);
  add_space(b, s->space_before);
  paragraph_at(b, s, markup, b->indent);
  add_space(b, s->space_after);
}

/* Text too wide for the side column ("Wright-Patterson AFB, OH") is
 * broken into lines of the column's width, riding beside the next lines as
 * a label does.  Returns 0 when that is not possible (a label is pending
 * there already, or the text does not shape), leaving it to side_text. */
static int side_lines(cvpdf_builder *b, const cv_style *rs,
                      const char *markup) {
  if (b->label_next < b->nlabel)
    return 0;
  cv_style cs = *rs;
  cs.align = b->theme->side_align == CV_ALIGN_JUSTIFY ? CV_ALIGN_LEFT
                                                      : b->theme->side_align;
  cv_hlist hl, rag;
  cv_hlist_init(&hl);
  cv_hlist_init(&rag);
  size_t n = 0;
  vline **lines = NULL;
  if (shape_markup(b, &cs, markup, b->theme->hyphenate, &hl) == 0) {
    make_ragged(b, &hl, &rag, cs.ts.size * 3);
    finish_paragraph(&rag);
    double w = b->theme->side_width;
    n = set_lines(b, &rag, &cs, 0, w, w, &lines, BREAK_ALL);
  }
  cv_hlist_fini(&rag);
  cv_hlist_fini(&hl);
  if (n == 0 || n == BREAK_FAILED)
    return 0;
  b->label_lines = lines;
  b->nlabel = n;
  b->label_next = 0;
  return 1;
}

static void h_row(cvpdf_builder *b, const char *lstyle, const char *left,
                  const char *rstyle, const char *right) {
  begin_block(b);
  if (!left && !right)
    return;
  const cv_style *ls = style(b, lstyle);
  const cv_style *rs = style(b, rstyle);
  double rw = 0;
  vline *rr = right ? line_items(b, rs, right, &rw) : NULL;
  cv_style row = *ls;
  if (row.align == CV_ALIGN_JUSTIFY)
    row.align = CV_ALIGN_LEFT;
  if (rs->leading > row.leading)
    row.leading = rs->leading;
  double cut = rr ? rw + ls->ts.size : 0;
  if (rr && b->base > 0) {
    /* The side column holds what rows put on the right (dates). */
    if (rw <= b->theme->side_width || !side_lines(b, rs, right))
      side_text(b, rr, rw);
    rr = NULL;
    cut = 0;
  }
  /* Rows are the head of an entry: they do not count as content lines. */
  cv_hlist hl;
  cv_hlist_init(&hl);
  if (left && shape_markup(b, &row, left, 0, &hl) < 0) {
    cv_hlist_fini(&hl);
    return;
  }
  emit_hlist(b, &row, &hl, left, b->indent, b->measure - b->indent, cut, rr,
             rw, !b->in_entry);
  cv_hlist_fini(&hl);
}

static double list_text_x(cvpdf_builder *b) {
  return b->indent + b->depth * b->theme->list_indent;
}

static void h_list_begin(cvpdf_builder *b, cvpdf_list_kind kind) {
  begin_block(b);
  if (b->depth == MAX_LISTS) {
    h_error(b, NULL, "lists nested deeper than %d levels", MAX_LISTS);
    return;
  }
  b->lists[b->depth].kind = kind;
  b->lists[b->depth].counter = 0;
  b->depth++;
  /* A lead-in ("Contributions.") stays with the first item. */
  if (b->depth == 1 && b->nv + b->dropped > 0)
    keep_with_next(b, 1);
}

static void h_list_end(cvpdf_builder *b) {
  begin_block(b);
  if (b->depth > 0)
    b->depth--;
}

static void h_item_begin(cvpdf_builder *b, const char *markup) {
  begin_block(b);
  if (b->depth == 0)
    h_list_begin(b, CVPDF_LIST_BULLET);
  list_state *ls = &b->lists[b->depth - 1];
  ls->counter++;
  const cv_style *s = style(b, "item");
  const char *mark = ls->kind == CVPDF_LIST_NUMBERED
                         ? h_fmt(b, b->theme->number_format, ls->counter)
                         : b->theme->bullet;
  double mw = 0;
  vline *mr = line_items(b, style(b, ls->kind == CVPDF_LIST_NUMBERED
                                         ? "item.number"
                                         : "item.bullet"),
                         mark, &mw);
  double x = list_text_x(b);
  add_space(b, b->theme->sp_item);
  /* The mark is set flush right just before the text column. */
  queue_items(b, mr, x - mw - s->ts.size * 0.4);
  paragraph_at(b, s, markup ? markup : "", x);
}

static void h_item_end(cvpdf_builder *b) { begin_block(b); }

static void h_item(cvpdf_builder *b, const char *markup) {
  h_item_begin(b, markup);
  h_item_end(b);
}

static void h_pair(cvpdf_builder *b, const char *label, const char *value) {
  begin_block(b);
  const cv_style *s = style(b, "pair");
  if (!b->theme->pair_grid) {
    size_t n = label ? strlen(label) : 0;
    const char *colon = n && label[n - 1] == ':' ? "" : ":";
    const char *m = label ? h_fmt(b, "**%s%s** %s", label, colon,
                                  value ? value : "")
                          : value;
    add_space(b, b->theme->sp_item);
    paragraph_at(b, s, m, list_text_x(b));
    return;
  }
  /* Grid: the label is set in its column beside the value. */
  double lw = b->theme->pair_label_width;
  const cv_style *lsty = style(b, "pair.label");
  cv_style ls = *lsty;
  ls.align = CV_ALIGN_LEFT;
  double x = list_text_x(b);
  cv_hlist hl;
  cv_hlist_init(&hl);
  add_space(b, b->theme->sp_item);
  if (label && shape_markup(b, &ls, label, 0, &hl) == 0) {
    cv_hlist rag;
    cv_hlist_init(&rag);
    make_ragged(b, &hl, &rag, ls.ts.size * 3);
    finish_paragraph(&rag);
    vline **lines = NULL;
    size_t nl = set_lines(b, &rag, &ls, x, lw - 6, lw - 6, &lines, BREAK_ALL);
    cv_hlist_fini(&rag);
    /* Merge with pending entry labels would be rare; pairs replace them. */
    flush_labels(b);
    b->label_lines = lines;
    b->nlabel = nl;
    b->label_next = 0;
  }
  cv_hlist_fini(&hl);
  paragraph_at(b, s, value ? value : "", x + lw);
  flush_labels(b);
}

static void h_contact(cvpdf_builder *b, const char *kind, const char *text,
                      const char *url) {
  if (!text || !*text)
    return;
  const cv_style *s = style(b, "contact");
  cv_status st = {0};
  double sp = s->ts.size * 0.33;
  if (b->ncontacts > 0) {
    /* Separator between items: a break is allowed on either side. */
    cv_hlist_glue(&b->contact, sp, sp * 0.5, sp * 0.3);
    double w = 0;
    vline *sep = line_items(b, style(b, "contact.separator"),
                            h_escape(b, b->theme->contact_separator), &w);
    if (sep) {
      cv_hlist_penalty(&b->contact, 0, CV_INF_PENALTY, 0);
      hlist_add_items(&b->contact, sep, w);
    }
    cv_hlist_glue(&b->contact, sp, sp * 0.5, sp * 0.3);
  }
  const cv_icon *ic = b->theme->icon_family ? cv_theme_icon(b->theme, kind)
                                            : NULL;
  if (ic) {
    cv_style is = *s;
    is.ts.family = b->theme->icon_family;
    is.ts.bold = is.ts.italic = is.ts.smallcaps = is.ts.uppercase = 0;
    char u[8];
    u[cv_utf8_encode(ic->cp, u)] = '\0';
    double w = 0;
    vline *icon = line_items(b, &is, u, &w);
    if (icon) {
      /* The icon font has the glyph: one run, whose text is a word. */
      cv_run *r = icon->items[0].run;
      r->actual_text = ic->word;
      url = url ? link_filter(b, url) : NULL;
      r->link = url ? cv_arena_strdup(b->arena, url) : NULL;
      hlist_add_items(&b->contact, icon, w);
      cv_hlist_penalty(&b->contact, 0, CV_INF_PENALTY, 0);
      cv_hlist_glue(&b->contact, s->ts.size * 0.3, 0, 0);
    }
  }
  const char *m = url ? h_fmt(b, "[%s](%s)", h_escape(b, text), url)
                      : h_escape(b, text);
  cv_span *spans = NULL;
  size_t ns = 0;
  cv_hlist tmp;
  cv_hlist_init(&tmp);
  if (cv_markup_parse(b->arena, m, strlen(m), &spans, &ns, &st) < 0 ||
      cv_shape_spans(b->sh, &s->ts, spans, ns, 0, 0, &tmp, &st) < 0) {
    fail_status(b, &st);
    cv_hlist_fini(&tmp);
    return;
  }
  /* Inside one item, spaces do not break (keep "Pittsburgh, PA" whole). */
  for (size_t i = 0; i < tmp.n; i++) {
    cv_node *n = &tmp.v[i];
    if (n->kind == CV_GLUE)
      cv_hlist_penalty(&b->contact, 0, CV_INF_PENALTY, 0);
    if (n->kind == CV_PENALTY)
      continue;
    cv_node *p = cv_hlist_push(&b->contact);
    if (p)
      *p = *n;
  }
  cv_hlist_fini(&tmp);
  b->ncontacts++;
}

static void h_rule(cvpdf_builder *b) {
  begin_block(b);
  const cv_style *s = style(b, "rule");
  vline *l = vline_new(b);
  pitem *p = l ? vline_add(b, l) : NULL;
  if (!p)
    return;
  p->kind = CV_DL_RECT;
  p->x = b->indent;
  p->w = b->measure - b->indent;
  p->h = s->rule_width > 0 ? s->rule_width : 0.4;
  p->color = s->rule_color;
  add_space(b, b->theme->sp_small);
  add_box(b, l, p->h, 0, 0, 0);
  add_space(b, b->theme->sp_small);
}

static void h_space(cvpdf_builder *b, const char *name) {
  begin_block(b);
  const cv_theme *t = b->theme;
  double s = t->sp_medium;
  if (name && !strcmp(name, "small"))
    s = t->sp_small;
  else if (name && !strcmp(name, "large"))
    s = t->sp_large;
  add_space(b, s);
}

static void h_set_author(cvpdf_builder *b, const char *name) {
  if (!b->author && name) {
    b->author = cv_arena_strdup(b->perm, name);
    b->author_src = b->src.root;
  }
}

/* The directory of the CV file that node `at` comes from, in the arena,
 * or NULL for the working directory. */
static const char *cv_dir_of(cvpdf_builder *b, const cvpdf_node *at) {
  const char *file = at ? at->file : NULL;
  const char *slash = file ? strrchr(file, '/') : NULL;
  if (!slash)
    return NULL;
  return h_fmt(b, "%.*s", slash == file ? 1 : (int)(slash - file), file);
}

/* Whether path has a ".." component. */
static int has_dotdot(const char *path) {
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return 1;
    p += n;
    p += strspn(p, "/");
  }
  return 0;
}

/* Paths are relative to the CV that names them.  In safe mode the file
 * must resolve beneath the CV's directory, symbolic links included (links
 * that stay inside are followed). */
static const cvpdf_node *h_load_bibtex(cvpdf_builder *b, const cvpdf_node *at,
                                       const char *path) {
  if (!path || !*path) {
    h_error(b, at, "expected a BibTeX file name, found an empty string");
    return NULL;
  }
  const char *dir = cv_dir_of(b, at);
  const char *full =
      path[0] != '/' && dir ? h_fmt(b, "%s/%s", dir, path) : path;
  char why[256];
  struct stat sb;
  int fd = cv_input_open(dir, path, b->safe ? CV_OPEN_BENEATH : 0, b->inputs,
                         &sb, why, sizeof why);
  if (fd < 0 && b->safe && errno == EXDEV) {
    h_error(b, at,
            "expected a BibTeX file in the CV's directory, found '%s'%s "
            "(files outside it are not read in safe mode)",
            path,
            path[0] == '/' || has_dotdot(path) ? ""
                                               : ", which links out of it");
    return NULL;
  }
  if (fd < 0) {
    h_error(b, at, "cannot read BibTeX file '%s': %s", full, why);
    return NULL;
  }
  const cvpdf_node *n = cv_bibtex_load_fd(fd, full, at, b->perm, b->diags);
  close(fd);
  if (!n)
    b->failed = 1;
  cv_source_add(&b->src, n);
  return n;
}

static const cvpdf_host host_table = {
    .abi_major = CVPDF_ABI_MAJOR,
    .abi_minor = CVPDF_ABI_MINOR,
    .size = sizeof(cvpdf_host),
    .kind = h_kind,
    .get = cv_node_get,
    .str = cv_node_str,
    .get_str = cv_node_get_str,
    .len = cv_node_len,
    .at = cv_node_at,
    .key_at = h_key_at,
    .value_at = h_value_at,
    .get_bool = h_get_bool,
    .error = h_error,
    .warn = h_warn,
    .fmt = h_fmt,
    .escape = h_escape,
    .date_range = h_date_range,
    .word = h_word,
    .option = h_option,
    .heading = h_heading,
    .subheading = h_subheading,
    .entry_begin = h_entry_begin,
    .entry_end = h_entry_end,
    .paragraph = h_paragraph,
    .row = h_row,
    .list_begin = h_list_begin,
    .item = h_item,
    .item_begin = h_item_begin,
    .item_end = h_item_end,
    .list_end = h_list_end,
    .pair = h_pair,
    .contact = h_contact,
    .rule = h_rule,
    .space = h_space,
    .set_author = h_set_author,
    .load_bibtex = h_load_bibtex,
    .join = h_join,
};

const cvpdf_host *cv_builder_services(void) {
  return &host_table;
}

/* ---- builder lifetime ------------------------------------------------- */

static material *new_generation(cvpdf_builder *b) {
  material *m = calloc(1, sizeof *m);
  if (!m || cv_grow((void **)&b->gens, &b->capgens, b->ngens + 1,
                    sizeof *b->gens) < 0) {
    free(m);
    return NULL;
  }
  cv_arena_init(&m->arena);
  m->end = SIZE_MAX;
  b->gens[b->ngens++] = m;
  b->arena = &m->arena;
  cv_shaper_set_arena(b->sh, b->arena);
  return m;
}

cvpdf_builder *cv_builder_create(const cv_theme *theme, cv_shaper *sh,
                                 cv_arena *arena, cv_diags *diags,
                                 const char *lang) {
  cvpdf_builder *b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  b->theme = theme;
  b->sh = sh;
  b->perm = arena;
  if (!new_generation(b)) {
    cv_builder_destroy(b);
    return NULL;
  }
  b->diags = diags;
  b->lang = lang ? lang : "en";
  b->date = (int64_t)time(NULL); /* cv_builder_set_date fixes it */
  b->measure = theme->page_w - theme->margin_left - theme->margin_right;
  if (theme->side_width > 0 && theme->side_width < b->measure / 2)
    b->base = theme->side_width + theme->side_gap;
  b->indent = b->base;
  cv_hlist_init(&b->contact);
  cv_source_init(&b->src);
  cv_shaper_set_link_filter(sh, link_filter, b);
  return b;
}

void cv_builder_destroy(cvpdf_builder *b) {
  if (!b)
    return;
  /* The shaper may outlive the builder: point it back at lasting memory,
   * and away from the builder's link filter. */
  if (b->sh) {
    cv_shaper_set_arena(b->sh, b->perm);
    cv_shaper_set_link_filter(b->sh, NULL, NULL);
  }
  cv_source_fini(&b->src);
  for (size_t i = 0; i < b->ngens; i++) {
    cv_arena_fini(&b->gens[i]->arena);
    free(b->gens[i]);
  }
  free(b->gens);
  cv_hlist_fini(&b->contact);
  free(b->scratch.items);
  free(b->v);
  free(b);
}

void cv_builder_end_section(cvpdf_builder *b) {
  flush_contacts(b);
  if (b->in_entry)
    h_entry_end(b);
  flush_labels(b);
  b->depth = 0;
  b->indent = b->base;
  b->keep = 0;
  b->keep_content = 0;
  b->keep_after = 0;
  b->type = NULL;
}

void cv_builder_set_type(cvpdf_builder *b, const char *type) {
  b->type = type;
}

void cv_builder_set_source(cvpdf_builder *b, const cvpdf_node *node) {
  cv_source_set(&b->src, node);
}

int cv_builder_failed(const cvpdf_builder *b) { return b->failed; }

const char *cv_builder_author(const cvpdf_builder *b) { return b->author; }

const cvpdf_node *cv_builder_author_at(const cvpdf_builder *b) {
  cv_source s = {.root = b->author_src};
  return b->author ? cv_source_find(&s, b->author) : NULL;
}

void cv_builder_set_date(cvpdf_builder *b, int64_t date) { b->date = date; }

void cv_builder_set_safe(cvpdf_builder *b, int safe) { b->safe = safe; }

void cv_builder_set_inputs(cvpdf_builder *b, cv_inputs *inputs) {
  b->inputs = inputs;
}

const cv_theme *cv_builder_theme(const cvpdf_builder *b) {
  return b->theme;
}

const cv_layout_stats *cv_builder_stats(const cvpdf_builder *b) {
  return &b->stats;
}

/* ---- pages ------------------------------------------------------------ */

static int place_item(cv_page *pg, const pitem *p, double x0, double base) {
  cv_dl_item *it = cv_page_add(pg);
  if (!it)
    return -1;
  it->kind = p->kind;
  it->x = x0 + p->x;
  it->y = base + p->dy;
  it->w = p->w;
  it->h = p->h;
  it->run = p->run;
  it->color = p->color;
  it->uri = p->uri;
  it->title = p->title;
  it->level = p->level;
  return 0;
}

/* "November 2023" in the CV's language: the document date for {date}. */
static void put_date(cvpdf_builder *b, cv_buf *out) {
  time_t tt = (time_t)b->date;
  struct tm tm;
  if (!gmtime_r(&tt, &tm))
    return;
  const char *m = cv_month_name(b->lang, tm.tm_mon + 1, 0);
  if (m)
    cv_buf_printf(out, "%s %d", m, tm.tm_year + 1900);
  else
    cv_buf_printf(out, "%d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

/* Expands the fields of a footer or header text into markup. */
static void expand_fields(cvpdf_builder *b, const char *text, size_t page,
                          size_t pages, cv_buf *out) {
  for (const char *p = text; *p; p++) {
    const char *close = *p == '{' ? strchr(p, '}') : NULL;
    if (!close || close - p > 40) {
      cv_buf_putc(out, *p);
      continue;
    }
    char key[48];
    snprintf(key, sizeof key, "%.*s", (int)(close - p - 1), p + 1);
    if (!strcmp(key, "page"))
      cv_buf_printf(out, "%zu", page);
    else if (!strcmp(key, "pages"))
      cv_buf_printf(out, "%zu", pages);
    else if (!strcmp(key, "name"))
      cv_buf_puts(out, b->author ? h_escape(b, b->author) : "");
    else if (!strcmp(key, "date"))
      put_date(b, out);
    else
      cv_buf_puts(out, h_escape(b, h_word(b, key)));
    p = close;
  }
}

/* Places a footer or running header line; y is its baseline. */
static int add_margin_text(cvpdf_builder *b, cv_page *pg, const char *text,
                           const char *sname, cv_align al, double y,
                           size_t page, size_t pages) {
  if (!text)
    return 0;
  cv_buf txt;
  cv_buf_init(&txt);
  expand_fields(b, text, page, pages, &txt);
  double w = 0;
  vline *line = txt.data && txt.len
                    ? line_items(b, style(b, sname), txt.data, &w)
                    : NULL;
  cv_buf_fini(&txt);
  double x = b->theme->margin_left;
  if (al == CV_ALIGN_CENTER)
    x += (b->measure - w) / 2;
  else if (al == CV_ALIGN_RIGHT)
    x += b->measure - w;
  for (size_t i = 0; line && i < line->n; i++)
    if (place_item(pg, &line->items[i], x, y) < 0)
      return -1;
  return 0;
}

static int add_footer(cvpdf_builder *b, cv_page *pg, size_t page,
                      size_t pages) {
  const cv_theme *t = b->theme;
  double y = t->margin_bottom * 0.5;
  if (y < 24)
    y = 24;
  cv_source_set(&b->src, t->footer_at);
  if (add_margin_text(b, pg, t->footer, "footer", t->footer_align, y, page,
                      pages) < 0)
    return -1;
  if (page == 1 && !t->header_first)
    return 0;
  /* The header's baseline sits halfway into the top margin, and never
   * closer than 24pt to the edge of the paper. */
  double top = t->margin_top * 0.5;
  if (top < 24)
    top = 24;
  cv_source_set(&b->src, t->header_at);
  return add_margin_text(b, pg, t->header, "header", t->header_align,
                         t->page_h - top, page, pages);
}

void cv_builder_set_sink(cvpdf_builder *b, cv_pagesink sink) {
  b->sink = sink;
}

void cv_builder_keep_pages(cvpdf_builder *b) { b->keep_pages = 1; }

/* A failed sink ends the typesetting (the document has failed, so setting
 * more text is wasted work).  A status without a message means the sink
 * has reported why itself (the page limit). */
static void sink_failed(cvpdf_builder *b, const cv_status *st) {
  b->stopped = 1;
  if (st->failed && !st->msg[0])
    b->failed = 1;
  else
    fail_status(b, st->failed ? st : &(cv_status){1, CV_ERR_NOMEM, "out of memory"});
}

/* Places the lines of v[start, end) on a page and hands it to the sink. */
static void deliver_page(cvpdf_builder *b, size_t start, size_t end) {
  const cv_theme *t = b->theme;
  cv_page *pg = &b->scratch;
  pg->n = 0;
  pg->width = t->page_w;
  pg->height = t->page_h;
  double y = t->page_h - t->margin_top;
  int top = 1;
  for (size_t i = start; i < end && i < b->nv; i++) {
    const cv_vitem *it = &b->v[i];
    if (it->kind != CV_VBOX) {
      if (!top && it->kind == CV_VGLUE)
        y -= it->width;
      continue; /* discardable at the top of a page */
    }
    top = 0;
    double base = y - it->height;
    const vline *l = it->content;
    for (size_t k = 0; l && k < l->n; k++)
      if (place_item(pg, &l->items[k], t->margin_left, base) < 0) {
        oom(b);
        return;
      }
    y = base - it->depth;
  }
  cv_status st = {0};
  b->npages++;
  if (b->sink.page && b->sink.page(b->sink.ud, pg, &st) < 0)
    sink_failed(b, &st);
}

/* Frees the generations whose lines are all on written pages, and moves
 * what is left of v to its front once most of it is written. */
static void release(cvpdf_builder *b) {
  size_t done = 0;
  while (done + 1 < b->ngens && b->gens[done]->end <= b->page_start) {
    cv_arena_fini(&b->gens[done]->arena);
    free(b->gens[done]);
    done++;
  }
  if (done) {
    memmove(b->gens, b->gens + done, (b->ngens - done) * sizeof *b->gens);
    b->ngens -= done;
  }
  size_t k = b->page_start;
  if (k < 4096 || k < b->nv / 2)
    return;
  memmove(b->v, b->v + k, (b->nv - k) * sizeof *b->v);
  b->nv -= k;
  b->dropped += k;
  b->page_start = 0;
  b->entry_start = b->entry_start > k ? b->entry_start - k : 0;
  for (size_t i = 0; i < b->ngens; i++)
    if (b->gens[i]->end != SIZE_MAX)
      b->gens[i]->end = b->gens[i]->end > k ? b->gens[i]->end - k : 0;
}

/* Hands every page that nothing still to come can change to the sink
 * (all pages when final), then frees what they used.  Open entries may
 * still change their own breaks (keep_last_line), so pages are cut only
 * before them. */
static void fire_pages(cvpdf_builder *b, int final) {
  if (!b->sink.page || b->failed)
    return;
  const cv_theme *t = b->theme;
  double body_h = t->page_h - t->margin_top - t->margin_bottom;
  size_t limit = !final && b->in_entry ? b->entry_start : b->nv;
  if (!(body_h > 0))
    body_h = 1;
  while (!b->failed) {
    size_t start = cv_page_start(b->v, limit, b->page_start);
    if (start >= limit)
      break;
    size_t end = cv_page_end(b->v, limit, start, body_h, final);
    if (end == CV_PAGE_OPEN)
      break;
    deliver_page(b, start, end);
    /* A cut through unbreakable material may fall on a box, which then
     * starts the next page; any other break item belongs to no page. */
    b->page_start =
        (end < limit && b->v[end].kind == CV_VBOX) ? end : end + 1;
  }
  if (b->keep_pages || final)
    return;
  /* A quiet moment: nothing queued for later lines, so the material
   * allocated so far is only reachable from lines already pushed. */
  material *cur = b->gens[b->ngens - 1];
  if (!b->in_entry && b->label_next >= b->nlabel && !b->ncontacts &&
      cur->arena.total >= CV_GENERATION_BYTES) {
    cur->end = b->nv;
    if (!new_generation(b)) {
      oom(b);
      return;
    }
  }
  release(b);
}

int cv_builder_finish(cvpdf_builder *b) {
  const cv_theme *t = b->theme;
  flush_contacts(b);
  flush_labels(b);
  if (b->failed)
    return -1;
  fire_pages(b, 1);
  if (!b->failed && b->npages == 0) {
    /* An empty document is still one (empty) page. */
    deliver_page(b, 0, 0);
  }
  /* Now the number of pages is known: running headers and footers. */
  for (size_t i = 0; i < b->npages && !b->failed; i++) {
    cv_page *pg = &b->scratch;
    pg->n = 0;
    pg->width = t->page_w;
    pg->height = t->page_h;
    if (add_footer(b, pg, i + 1, b->npages) < 0) {
      oom(b);
      break;
    }
    cv_status mst = {0};
    if (b->sink.margin && pg->n &&
        b->sink.margin(b->sink.ud, i, pg, &mst) < 0)
      sink_failed(b, &mst);
  }
  return b->failed ? -1 : 0;
}

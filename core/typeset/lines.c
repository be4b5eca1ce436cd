/* cvpdf - node lists set into lines: shaping markup for the builder,
 * ragged and justified paragraphs through the Knuth-Plass breaker (with
 * hyphenation only where the first pass fails, as TeX does), lines placed
 * as items, unbreakable one-line texts, and widow and club control. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
void cv_bld_make_ragged(cvpdf_builder *b, cv_hlist *in, cv_hlist *out,
                        double R) {
  for (size_t i = 0; i < in->n; i++) {
    cv_hnode *n = &in->v[i];
    /* A tie (penalty 10000 before a space) stays unbreakable. */
    int tie = i > 0 && in->v[i - 1].kind == CV_PENALTY &&
              in->v[i - 1].penalty >= CV_INF_PENALTY;
    if (n->kind == CV_GLUE && tie) {
      cv_hlist_glue(out, n->width, 0, b->theme->ragged_shrink ? n->shrink : 0);
    } else if (n->kind == CV_GLUE) {
      cv_hlist_glue(out, 0, R, 0);
      cv_hlist_penalty(out, 0, 0, 0);
      /* Ragged lines keep their spaces natural unless the layout says. */
      cv_hlist_glue(out, n->width, -R, b->theme->ragged_shrink ? n->shrink : 0);
      if (!out->failed)
        out->v[out->n - 1].run = n->run; /* a separator it carries */
    } else if (n->kind == CV_PENALTY && n->penalty < CV_INF_PENALTY &&
               n->penalty > CV_EJECT_PENALTY) {
      cv_hlist_penalty(out, 0, CV_INF_PENALTY, 0);
      cv_hlist_glue(out, 0, R, 0);
      cv_hnode *p = cv_hlist_push(out);
      if (p)
        *p = *n;
      cv_hlist_glue(out, 0, -R, 0);
    } else {
      cv_hnode *p = cv_hlist_push(out);
      if (p)
        *p = *n;
    }
  }
  if (out->failed)
    cv_bld_oom(b);
}

void cv_bld_finish_paragraph(cv_hlist *l) {
  cv_hlist_penalty(l, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(l, 0, CV_FIL, 0);
  cv_hlist_penalty(l, 0, CV_EJECT_PENALTY, 0);
}

static int mergeable(const cv_run *a, const cv_run *c) {
  return a->font == c->font && a->size == c->size && a->color.r == c->color.r &&
         a->color.g == c->color.g && a->color.b == c->color.b &&
         a->link == c->link && !a->actual_text && !c->actual_text &&
         a->tag == c->tag && a->lang == c->lang;
}

/* A run of an element of its own (a contact item) goes in that one. */
static void run_tag(pitem *p, const cv_run *r) {
  if (r->tag) {
    p->tag = r->tag;
    p->role = r->role;
  }
}

/* Joins run c to run a.  A gap (a space between them, in points) widens
 * a's last glyph, so the result still draws as one run. */
static cv_run *join_runs(cvpdf_builder *b, const cv_run *a, const cv_run *c,
                         double gap) {
  cv_run *r = cv_arena_alloc(b->arena, sizeof *r);
  if (!r) {
    cv_bld_oom(b);
    return NULL;
  }
  *r = *a;
  /* Pieces of one shaped word are slices of one glyph array: joining them
   * needs no copy. */
  cv_glyph *g = a->g;
  if (gap != 0 || c->g != a->g + a->n) {
    g = cv_arena_alloc_n(b->arena, (size_t)a->n + c->n, sizeof *g);
    if (!g) {
      cv_bld_oom(b);
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

/* The width line ln is set to when it is not stretched: its boxes and
 * glue, shrunk as the breaker measured them, and the hyphen it ends with.
 * A penalty's width (a hyphen) counts only where the line breaks. */
static double set_width(const cv_hnode *nodes, const cv_line *ln) {
  double natural = 0, shrink = 0;
  for (size_t i = ln->start; i < ln->end; i++) {
    if (nodes[i].kind != CV_PENALTY)
      natural += nodes[i].width;
    if (nodes[i].kind == CV_GLUE)
      shrink += nodes[i].shrink;
  }
  if (ln->hyphenated)
    natural += nodes[ln->brk].width;
  if (ln->ratio < 0)
    natural += ln->ratio * shrink;
  return natural;
}

/* Draws run (a glue's mark) at x on line l. */
static void glue_mark(cvpdf_builder *b, vline *l, cv_run *run, double x) {
  pitem *p = cv_bld_vline_add(b, l);
  if (!p)
    return;
  p->kind = CV_DL_TEXT;
  p->x = x;
  p->run = run;
}

/* Whether a letter follows the box at node i on line ln without a space:
 * the next piece of the word, or the hyphen the line ends with. */
static int letter_follows(const cv_hnode *nodes, const cv_line *ln, size_t i) {
  size_t j = i + 1;
  while (j < ln->end && nodes[j].kind == CV_PENALTY)
    j++;
  return j < ln->end ? nodes[j].kind == CV_BOX : ln->hyphenated;
}

/* Letter gaps of run: after each glyph that ends a cluster (not inside a
 * ligature or before a mark), its last glyph only when `tail`. */
static size_t letter_gaps(const cv_run *run, int tail) {
  size_t k = tail ? 1 : 0;
  for (uint32_t i = 0; i + 1 < run->n; i++)
    k += run->g[i + 1].text_len > 0;
  return k;
}

/* The letter spacing (pt per letter gap, at most ls) of a justified line
 * whose spaces would stretch past their full stretch (ratio 1): as a
 * typesetter tracks a loose line a little rather than open its spaces
 * into holes.  *ratio becomes the stretch left for the spaces. */
static double letter_spacing(const cv_hnode *nodes, const cv_line *ln,
                             double ls, double *ratio) {
  if (ls <= 0 || *ratio <= 1)
    return 0;
  double stretch = 0;
  size_t gaps = 0;
  for (size_t i = ln->start; i < ln->end; i++) {
    const cv_hnode *n = &nodes[i];
    if (n->kind == CV_GLUE && n->stretch < CV_FIL)
      stretch += n->stretch;
    else if (n->kind == CV_BOX && n->run && n->run->n)
      gaps += letter_gaps(n->run, letter_follows(nodes, ln, i));
  }
  if (!gaps || stretch <= 0)
    return 0;
  double d = fmin(ls, (*ratio - 1) * stretch / (double)gaps);
  *ratio -= d * (double)gaps / stretch;
  return d;
}

/* A copy of run with d more after each letter gap (letter_gaps). */
static cv_run *spaced_run(cvpdf_builder *b, const cv_run *run, double d,
                          int tail) {
  cv_run *r = cv_arena_alloc(b->arena, sizeof *r);
  cv_glyph *g = r ? cv_arena_alloc_n(b->arena, run->n, sizeof *g) : NULL;
  if (!g) {
    cv_bld_oom(b);
    return NULL;
  }
  *r = *run;
  memcpy(g, run->g, run->n * sizeof *g);
  for (uint32_t i = 0; i < run->n; i++)
    if (i + 1 < run->n ? run->g[i + 1].text_len > 0 : tail)
      g[i].adv += (float)d;
  r->g = g;
  r->width = (float)(run->width + d * (double)letter_gaps(run, tail));
  return r;
}

/* Ends line l with the hyphen of break brk: joined to the word before it
 * (item `text`, ending at text_end) when it can be, else an item at x. */
static void end_hyphen(cvpdf_builder *b, vline *l, const cv_hnode *brk,
                       size_t text, double text_end, double x) {
  if (text != SIZE_MAX && fabs(text_end - x) < 1e-6 &&
      mergeable(l->items[text].run, brk->hyphen)) {
    cv_run *m = join_runs(b, l->items[text].run, brk->hyphen, 0);
    if (m)
      l->items[text].run = m;
    return;
  }
  pitem *p = cv_bld_vline_add(b, l);
  if (p) {
    p->kind = CV_DL_TEXT;
    p->x = x;
    p->run = brk->hyphen;
  }
}

/* Places line `ln` of nodes into a new vline starting at x0. */
static vline *place_line(cvpdf_builder *b, const cv_hnode *nodes,
                         const cv_line *ln, double x0, double width,
                         cv_align al, int last, double ls) {
  vline *l = cv_bld_vline_new(b);
  if (!l)
    return NULL;
  int stretchy = al == CV_ALIGN_JUSTIFY && !last;
  double natural = set_width(nodes, ln);
  const cv_hnode *brk = ln->hyphenated ? &nodes[ln->brk] : NULL;
  double x = x0;
  if (al == CV_ALIGN_CENTER)
    x += (width - natural) / 2;
  else if (al == CV_ALIGN_RIGHT)
    x += width - natural;
  double ratio = ln->ratio;
  if (!stretchy && ratio > 0)
    ratio = 0;
  double ds = stretchy ? letter_spacing(nodes, ln, ls, &ratio) : 0;
  /* Indices, not pointers: cv_bld_vline_add may move the items. */
  size_t link = SIZE_MAX, text = SIZE_MAX;
  double text_end = 0;
  for (size_t i = ln->start; i < ln->end; i++) {
    const cv_hnode *n = &nodes[i];
    if (n->kind == CV_GLUE) {
      if (n->width != 0 || ratio != 0)
        text = SIZE_MAX;
      double w = n->width;
      if (ratio > 0 && n->stretch > 0 && n->stretch < CV_FIL)
        w += ratio * n->stretch;
      else if (ratio < 0)
        w += ratio * n->shrink;
      if (n->run && n->run->n) /* a separator: gone where the line breaks */
        glue_mark(b, l, n->run, x + (w - n->run->width) / 2);
      x += w;
      continue;
    }
    if (n->kind != CV_BOX)
      continue;
    cv_run *run = n->run;
    double bw = n->width;
    if (ds > 0 && run && run->n) {
      cv_run *sp = spaced_run(b, run, ds, letter_follows(nodes, ln, i));
      if (sp) {
        bw += sp->width - run->width;
        run = sp;
      }
    }
    if (run && run->n && text != SIZE_MAX && fabs(text_end - x) < 1e-6 &&
        mergeable(l->items[text].run, run)) {
      /* Pieces of a hyphenatable word set side by side: one run, so the
       * PDF and the trace hold words, not syllables. */
      cv_run *m = join_runs(b, l->items[text].run, run, 0);
      if (m)
        l->items[text].run = m;
      text_end = x + bw;
      if (link != SIZE_MAX && run->link == l->items[link].uri)
        l->items[link].w = x + bw - l->items[link].x;
      x += bw;
      continue;
    }
    if (run && run->n) {
      pitem *p = cv_bld_vline_add(b, l);
      if (!p)
        return l;
      p->kind = CV_DL_TEXT;
      p->x = x;
      p->run = run;
      run_tag(p, run);
      text = l->n - 1;
      text_end = x + bw;
      if (!run->link) {
        link = SIZE_MAX;
      } else if (link != SIZE_MAX && l->items[link].uri == run->link) {
        l->items[link].w = x + bw - l->items[link].x;
      } else {
        pitem *lk = cv_bld_vline_add(b, l);
        if (!lk)
          return l;
        lk->kind = CV_DL_LINK;
        lk->x = x;
        lk->w = bw;
        lk->dy = -run->descent;
        lk->h = run->ascent + run->descent;
        lk->uri = run->link;
        run_tag(lk, run);
        link = l->n - 1;
      }
    }
    x += bw;
  }
  if (brk && brk->hyphen)
    end_hyphen(b, l, brk, text, text_end, x);
  return l;
}

/* The text of nodes [a, b): glyph texts, a space for each glue. */
static void line_text(const cv_hnode *nodes, size_t a, size_t b, cv_buf *out) {
  for (size_t i = a; i < b; i++) {
    const cv_hnode *n = &nodes[i];
    if (n->kind == CV_GLUE && n->width > 0 && out->len &&
        out->data[out->len - 1] != ' ')
      cv_buf_putc(out, ' ');
    if (n->kind != CV_BOX || !n->run)
      continue;
    for (uint32_t g = 0; g < n->run->n; g++)
      if (n->run->g[g].text_len)
        cv_buf_put(out, n->run->g[g].text, n->run->g[g].text_len);
  }
}

/* The longest word of text (at most cap - 1 bytes) into w: the one most
 * likely to be found in the source alone. */
static void longest_word(const char *text, char *w, size_t cap) {
  size_t best = 0, at = 0;
  for (size_t i = 0; text[i];) {
    size_t n = strcspn(text + i, " ");
    if (n > best) {
      best = n;
      at = i;
    }
    i += n + (text[i + n] == ' ');
  }
  if (best >= cap)
    best = cap - 1;
  memcpy(w, text + at, best);
  w[best] = 0;
}

/* TeX's "Overfull \hbox": a line that no break could set within its
 * measure is counted and reported at the field it came from, with how
 * far it reaches past the measure. */
static void report_overfull(cvpdf_builder *b, const cv_hnode *nodes,
                            const cv_line *ln, double width) {
  b->stats.overfull++;
  double over = set_width(nodes, ln) - width; /* shrunk all it can */
  cv_buf text;
  cv_buf_init(&text);
  line_text(nodes, ln->start, ln->end, &text);
  const char *t = text.data ? text.data : "";
  char word[128];
  longest_word(t, word, sizeof word);
  const cvpdf_node *at = cv_source_find(&b->src, word);
  int shown = (int)strlen(t) > 60 ? 60 : (int)strlen(t);
  while (shown > 0 && ((unsigned char)t[shown] & 0xC0) == 0x80)
    shown--; /* not inside a character */
  if (cv_source_first(&b->src, at, t))
    cv_diags_add(b->diags, CV_SEV_WARNING, at ? at->file : NULL,
                 at ? at->line : 0, at ? at->col : 0,
                 "overfull line (%.1fpt too wide for its %.1fpt measure): "
                 "'%.*s%s'; expected a break within the measure, found "
                 "none: shorten the word or allow a break in it",
                 over, width, shown, t, t[shown] ? "..." : "");
  cv_buf_fini(&text);
}

/* Breaks hl (already finished) into lines placed at x0 with measures
 * first_w and rest_w.  BREAK_FIRST_ONLY returns BREAK_FAILED when the
 * first pass (no hyphenation, pretolerance) finds no feasible breaks. */
size_t cv_bld_set_lines(cvpdf_builder *b, cv_hlist *hl, const cv_style *s,
                        double x0, double first_w, double rest_w,
                        vline ***out_lines, break_mode mode) {
  measure_ctx mc = {first_w, rest_w};
  cv_kp_params kp;
  cv_kp_params_default(&kp);
  const cv_theme *t = b->theme;
  kp.emergency_stretch = s->ts.size * t->emergency_stretch;
  kp.final_hyphen_demerits = t->final_hyphen_demerits;
  kp.max_hyphen_run = t->hyphen_run;
  kp.no_lone_tail = !t->lone_tail;
  kp.last_line_min = s->ts.size * t->last_line_min;
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
    cv_bld_fail(b, &st);
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
    cv_bld_oom(b);
    return 0;
  }
  for (size_t i = 0; i < nl; i++) {
    double w = i == 0 ? first_w : rest_w;
    vl[i] = place_line(b, hl->v, &lines[i], x0, w, s->align, i + 1 == nl,
                       t->letterspace * s->ts.size);
    if (lines[i].hyphenated)
      b->stats.hyphenated++;
    if (lines[i].overfull)
      report_overfull(b, hl->v, &lines[i], w);
  }
  free(lines);
  *out_lines = vl;
  return nl;
}

static int capitals_flag(int hyphenate_capitals) {
  if (hyphenate_capitals == CV_CAPITALS_LAST_RESORT)
    return CV_HYPHENATE_CAPITALS_LAST;
  return hyphenate_capitals ? CV_HYPHENATE_CAPITALS : 0;
}

/* Shapes markup in style s into hl (not finished). */
int cv_bld_shape_markup(cvpdf_builder *b, const cv_style *s, const char *markup,
                        int hyphenate, cv_hlist *hl) {
  cv_span *spans = NULL;
  size_t ns = 0;
  cv_status st = {0};
  if (b->stopped)
    return -1;
  double t0 = now();
  int justify = s->align == CV_ALIGN_JUSTIFY;
  if (hyphenate)
    hyphenate = CV_HYPHENATE | capitals_flag(b->theme->hyphenate_capitals);
  if (cv_markup_parse(b->arena, markup, strlen(markup), &spans, &ns, &st) < 0 ||
      cv_shape_spans(b->sh, &s->ts, spans, ns, hyphenate, justify, hl, &st) <
          0) {
    cv_bld_fail(b, &st);
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
      cv_hnode *p = cv_hlist_push(hl);
      if (p)
        *p = raw->v[i];
    }
  } else {
    cv_bld_make_ragged(b, (cv_hlist *)raw, hl, s->ts.size * 3);
  }
  cv_bld_finish_paragraph(hl);
  if (hl->failed) {
    cv_bld_oom(b);
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
void cv_bld_emit_hlist(cvpdf_builder *b, const cv_style *s, cv_hlist *raw,
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
    nl = cv_bld_set_lines(b, &hl, s, x0, w1, width, &lines, BREAK_FIRST_ONLY);
    if (nl == BREAK_FAILED) {
      cv_hlist hy;
      cv_hlist_init(&hy);
      cv_hlist_fini(&hl);
      nl = 0;
      if (cv_bld_shape_markup(b, s, markup, 1, &hy) == 0 &&
          prepare(b, s, &hy, &hl) == 0) {
        nl = cv_bld_set_lines(b, &hl, s, x0, w1, width, &lines,
                              BREAK_HYPHENATED);
      } else {
        cv_hlist_init(&hl);
      }
      cv_hlist_fini(&hy);
    }
  } else {
    nl = cv_bld_set_lines(b, &hl, s, x0, w1, width, &lines, BREAK_ALL);
  }
  cv_hlist_fini(&hl);
  double h = s->leading * 0.75, d = s->leading * 0.25;
  if (nl == 0 && right) { /* a row with only its right part */
    lines = cv_arena_alloc(b->arena, sizeof *lines);
    if (!lines || !(lines[0] = cv_bld_vline_new(b)))
      return;
    nl = 1;
  }
  for (size_t i = 0; i < nl; i++) {
    if (i == 0 && right) {
      /* The right part (dates) reads after the left part's lines. */
      size_t from = lines[0]->n;
      cv_bld_add_items(b, lines[0], right, x0 + width - right_w);
      for (size_t k = from; k < lines[0]->n; k++)
        lines[0]->items[k].seq = ++b->seq;
    }
    /* Club and widow lines: no page break after the first or before the
     * last line of a paragraph (a two-line paragraph stays whole). */
    int pen = 0;
    if (i == 1 || (nl > 1 && i == nl - 1))
      pen = CV_INF_PENALTY;
    cv_bld_add_box(b, lines[i], h, d, i == 0 ? 0 : pen, content);
  }
}

/* Shapes one unbreakable line (labels, bullets, right parts, headers and
 * footers) into text items from x = 0: one run per stretch of text in one
 * font, so a fallback character or a bold word keeps its own font.
 * *width gets the line's width.  NULL when there is nothing to draw. */
vline *cv_bld_line_items(cvpdf_builder *b, const cv_style *s,
                         const char *markup, double *width) {
  cv_hlist hl;
  cv_hlist_init(&hl);
  cv_status st = {0};
  double w = 0;
  if (cv_shape_line(b->sh, &s->ts, markup, &hl, &w, &st) < 0) {
    cv_bld_fail(b, &st);
    cv_hlist_fini(&hl);
    return NULL;
  }
  vline *l = cv_bld_vline_new(b);
  double x = 0, gap = 0;
  for (size_t i = 0; l && i < hl.n; i++) {
    const cv_hnode *nd = &hl.v[i];
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
      pitem *p = cv_bld_vline_add(b, l);
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

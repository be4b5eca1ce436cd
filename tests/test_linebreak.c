/* Tests for core/typeset/linebreak.c: Knuth-Plass against first fit,
 * hyphenation, forced breaks, overfull words, varying measures, discardables,
 * edge cases, the optimum against an exhaustive search on random input, and
 * bounded memory for a very long paragraph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "typeset/linebreak.h"
#include "text/nodes.h"
#include "base/util.h"

static int failures;

static void check(int cond, const char *what, const char *fmt, ...)
    CV_PRINTF(3, 4);
static void check(int cond, const char *what, const char *fmt, ...) {
  if (cond) {
    printf("ok - %s\n", what);
    return;
  }
  failures++;
  printf("FAIL - %s: ", what);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static double const_width(void *ctx, size_t line) {
  (void)line;
  return *(const double *)ctx;
}

/* Words of `text` as boxes of 5pt per character, spaces as 5pt glue
 * (stretch 2.5, shrink 1.67).  A '-' inside a word marks a syllable
 * point: a flagged penalty (hyphen 3pt, 50) when hyph, else nothing. */
static void build(cv_hlist *h, const char *text, int hyph) {
  cv_hlist_init(h);
  int first = 1;
  for (const char *p = text; *p;) {
    if (*p == ' ') {
      p++;
      continue;
    }
    if (!first)
      cv_hlist_glue(h, 5, 2.5, 1.67);
    first = 0;
    int len = 0;
    for (; *p && *p != ' '; p++) {
      if (*p != '-') {
        len++;
        continue;
      }
      cv_hlist_box(h, len * 5.0, NULL);
      len = 0;
      if (hyph)
        cv_hlist_penalty(h, 3, 50, 1);
    }
    cv_hlist_box(h, len * 5.0, NULL);
  }
  cv_hlist_penalty(h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(h, 0, CV_FIL, 0);
  cv_hlist_penalty(h, 0, CV_EJECT_PENALTY, 0);
}

/* Natural width, stretch and shrink of [start, end) plus the penalty width
 * at brk, computed independently of the breaker. */
static void line_sums(const cv_hlist *h, const cv_line *ln, double *nat,
                      double *st, double *sh) {
  *nat = *st = *sh = 0;
  for (size_t i = ln->start; i < ln->end; i++) {
    const cv_hnode *d = &h->v[i];
    if (d->kind != CV_PENALTY)
      *nat += d->width;
    if (d->kind == CV_GLUE) {
      *st += d->stretch;
      *sh += d->shrink;
    }
  }
  if (ln->brk < h->n && h->v[ln->brk].kind == CV_PENALTY)
    *nat += h->v[ln->brk].width;
}

static int line_bad(const cv_hlist *h, const cv_line *ln, double w) {
  double nat, st, sh;
  line_sums(h, ln, &nat, &st, &sh);
  return cv_badness(w, nat, st, sh);
}

/* Worst badness over all lines but the last (which has \parfillskip). */
static int max_bad(const cv_hlist *h, const cv_line *L, size_t nl, double w) {
  int m = 0;
  for (size_t j = 0; j + 1 < nl; j++) {
    int b = line_bad(h, &L[j], w);
    if (b > m)
      m = b;
  }
  return m;
}

static void fmt_breaks(const cv_line *L, size_t nl, char *buf, size_t cap) {
  size_t off = 0;
  buf[0] = '\0';
  for (size_t j = 0; j < nl && off < cap; j++) {
    int k = snprintf(buf + off, cap - off, "%s%zu", j ? "," : "", L[j].brk);
    if (k < 0)
      return;
    off += (size_t)k;
  }
}

static int any_overfull(const cv_line *L, size_t nl) {
  for (size_t j = 0; j < nl; j++)
    if (L[j].overfull)
      return 1;
  return 0;
}

/* (a) Total fit beats first fit on a deliberately chosen paragraph. */
static void test_kp_vs_greedy(void) {
  const char *text = "Research vision I aim to make large models more "
                     "efficient by exploiting structure in weights "
                     "activations and data across training and inference";
  double w = 200;
  cv_hlist h;
  build(&h, text, 0);
  cv_kp_params p;
  cv_kp_params_default(&p);
  cv_status st = {0};
  cv_line *K = NULL, *G = NULL;
  size_t nk = 0, ng = 0;
  int passes = 0;
  int rk = cv_linebreak(h.v, h.n, const_width, &w, &p, &K, &nk, &passes, &st);
  int rg = cv_linebreak_greedy(h.v, h.n, const_width, &w, &G, &ng, &st);
  check(rk == 0 && rg == 0, "kp/greedy: both succeed", "rk=%d rg=%d", rk, rg);
  char kb[256], gb[256];
  fmt_breaks(K, nk, kb, sizeof kb);
  fmt_breaks(G, ng, gb, sizeof gb);
  check(strcmp(kb, "15,25,37,46") == 0, "kp: exact breaks", "got %s", kb);
  check(strcmp(gb, "15,27,37,46") == 0, "greedy: exact breaks", "got %s", gb);
  int mk = max_bad(&h, K, nk, w), mg = max_bad(&h, G, ng, w);
  check(mg > 200, "greedy leaves a line looser than tolerance",
        "greedy max badness %d", mg);
  check(mk <= 200 && mk < mg, "kp max badness within tolerance and lower",
        "kp %d greedy %d", mk, mg);
  check(passes == 1, "kp: first pass suffices", "passes %d", passes);
  check(G[2].ratio > 1.0, "greedy: third line stretched beyond its stretch",
        "ratio %g", G[2].ratio);
  check(fabs(K[1].ratio - 1.0) < 1e-9 && fabs(K[0].ratio + 10.0 / 11.69) < 1e-3,
        "kp: glue set ratios", "ratios %g %g", K[0].ratio, K[1].ratio);
  free(K);
  free(G);
  cv_hlist_fini(&h);
}

/* (b) Hyphenation rescues a paragraph that has no feasible breaks. */
static void test_hyphenation(void) {
  const char *text = "Re-search in-ter-ests in-clude com-pu-ta-tion-al "
                     "lin-guis-tics in-for-ma-tion re-triev-al and "
                     "rep-re-sen-ta-tion learn-ing";
  double w = 220;
  cv_hlist h0, h1;
  build(&h0, text, 0);
  build(&h1, text, 1);
  cv_kp_params p;
  cv_kp_params_default(&p);
  cv_status st = {0};
  cv_line *L0 = NULL, *L1 = NULL;
  size_t n0 = 0, n1 = 0;
  int p0 = 0, p1 = 0;
  cv_linebreak(h0.v, h0.n, const_width, &w, &p, &L0, &n0, &p0, &st);
  cv_linebreak(h1.v, h1.n, const_width, &w, &p, &L1, &n1, &p1, &st);
  /* The final pass takes loose lines rather than one past the measure. */
  check(p0 == 4 && !any_overfull(L0, n0),
        "no hyphenation: only the final pass sets it, loose, not overfull",
        "passes %d overfull %d", p0, any_overfull(L0, n0));
  /* Emergency stretch sets it without hyphens on the third pass. */
  cv_line *L3 = NULL;
  size_t n3 = 0;
  int p3 = 0;
  p.emergency_stretch = 30;
  cv_linebreak(h0.v, h0.n, const_width, &w, &p, &L3, &n3, &p3, &st);
  check(p3 == 3 && n3 > 0 && !any_overfull(L3, n3),
        "emergency stretch: third pass, no overfull line", "passes %d", p3);
  free(L3);
  p.emergency_stretch = 0;
  int hy = 0;
  for (size_t j = 0; j < n1; j++)
    hy += L1[j].hyphenated;
  char b1[256];
  fmt_breaks(L1, n1, b1, sizeof b1);
  check(p1 == 2 && hy == 2, "hyphenation: second pass, two hyphens",
        "passes %d hyphens %d", p1, hy);
  check(strcmp(b1, "25,51,62") == 0, "hyphenation: exact breaks", "got %s", b1);
  check(max_bad(&h1, L1, n1, w) <= 200 && !any_overfull(L1, n1),
        "hyphenation: all lines within tolerance", "max %d",
        max_bad(&h1, L1, n1, w));
  /* the hyphen's 3pt counts on the line it ends: 220 = ratio check */
  double nat, s, sh;
  line_sums(&h1, &L1[0], &nat, &s, &sh);
  check(fabs(nat - 223.0) < 1e-9 && L1[0].ratio < 0,
        "hyphen width counts on the line it ends", "nat %g ratio %g", nat,
        L1[0].ratio);
  free(L0);
  free(L1);
  cv_hlist_fini(&h0);
  cv_hlist_fini(&h1);
}

/* (c) A forced break in mid-paragraph. */
static void test_forced(void) {
  cv_hlist h;
  cv_hlist_init(&h);
  cv_hlist_box(&h, 20, NULL);      /* 0 */
  cv_hlist_glue(&h, 5, 2.5, 1.67); /* 1 */
  cv_hlist_box(&h, 20, NULL);      /* 2 */
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0); /* 5: forced */
  cv_hlist_box(&h, 20, NULL);                   /* 6 */
  cv_hlist_glue(&h, 5, 2.5, 1.67);
  cv_hlist_box(&h, 20, NULL); /* 8 */
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0); /* 11 */
  double w = 300;
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  int rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 2, "forced: two lines", "rc %d lines %zu", rc, nl);
  if (nl == 2) {
    check(L[0].brk == 5 && L[0].start == 0 && L[1].start == 6 &&
              L[1].brk == 12 && L[1].end == 11,
          "forced: break at the -10000 penalty, last brk == n",
          "l0 [%zu,%zu) brk %zu, l1 [%zu,%zu) brk %zu", L[0].start, L[0].end,
          L[0].brk, L[1].start, L[1].end, L[1].brk);
  }
  free(L);
  cv_hlist_fini(&h);
}

/* (d) An unbreakable word wider than the measure. */
static void test_overfull(void) {
  cv_hlist h;
  build(&h, "a bb Pneumonoultramicroscopicsilicovolcanoconiosis cc dd", 0);
  double w = 100; /* the long word is 225pt */
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  int rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  int over = 0;
  for (size_t j = 0; j < nl; j++)
    over += L[j].overfull;
  check(rc == 0 && passes == 4 && nl >= 2 && over == 1,
        "overfull word: final pass, exactly one overfull line",
        "rc %d passes %d lines %zu overfull %d", rc, passes, nl, over);
  int covers = nl > 0 && L[nl - 1].brk == h.n;
  for (size_t j = 0; j < nl; j++)
    if (L[j].overfull)
      covers = covers && L[j].start <= 4 && L[j].end > 4;
  check(covers, "overfull word: the overfull line holds the long word",
        "lines %zu", nl);
  free(L);
  /* The same words in a wide measure set without any overfull line. */
  w = 260;
  L = NULL;
  rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && passes <= 2 && !any_overfull(L, nl),
        "wide measure: feasible, no overfull line", "passes %d overfull %d",
        passes, any_overfull(L, nl));
  free(L);
  cv_hlist_fini(&h);
}

static double narrow_first(void *ctx, size_t line) {
  (void)ctx;
  return line == 0 ? 100.0 : 200.0;
}

/* (e) The measure of each line comes from the callback: 20pt words fill a
 * 100pt line with 4 words (95pt + stretch) and a 200pt line with 8. */
static void test_varying_widths(void) {
  char text[23 * 5 + 1] = "";
  for (int i = 0; i < 23; i++)
    strcat(text, "word ");
  cv_hlist h;
  build(&h, text, 0);
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  int rc =
      cv_linebreak(h.v, h.n, narrow_first, NULL, NULL, &L, &nl, &passes, &st);
  char got[256];
  fmt_breaks(L, nl, got, sizeof got);
  check(rc == 0 && strcmp(got, "7,23,39,48") == 0 && !any_overfull(L, nl),
        "varying widths: 4 words on the 100pt line, then 8 per 200pt line",
        "rc %d breaks %s", rc, got);
  check(nl == 4 && fabs(L[0].ratio - 5.0 / 7.5) < 1e-9 &&
            fabs(L[1].ratio - 5.0 / 17.5) < 1e-9,
        "varying widths: ratios against each line's own measure",
        "ratios %g %g", nl ? L[0].ratio : 0, nl > 1 ? L[1].ratio : 0);
  free(L);
  double w = 200;
  rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  fmt_breaks(L, nl, got, sizeof got);
  check(rc == 0 && strcmp(got, "15,31,48") == 0,
        "constant width: 8 words on the first line too", "breaks %s", got);
  free(L);
  cv_hlist_fini(&h);
}

/* (f) Glue and penalties after a break do not start the next line. */
static void test_discardables(void) {
  cv_hlist h;
  cv_hlist_init(&h);
  cv_hlist_box(&h, 45, NULL);      /* 0 */
  cv_hlist_glue(&h, 5, 2.5, 1.67); /* 1 */
  cv_hlist_box(&h, 50, NULL);      /* 2: the line is full here */
  cv_hlist_glue(&h, 5, 2.5, 1.67); /* 3: the break */
  cv_hlist_penalty(&h, 0, 0, 0);   /* 4: discardable */
  cv_hlist_glue(&h, 7, 0, 0);      /* 5: discardable */
  cv_hlist_box(&h, 90, NULL);      /* 6 */
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0);
  double w = 100;
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  cv_kp_params p;
  cv_kp_params_default(&p);
  int rc = cv_linebreak(h.v, h.n, const_width, &w, &p, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 2 && L[0].brk == 3 && L[0].end == 3 &&
            L[1].start == 6 && L[1].brk == h.n,
        "discardables: next line starts at the box after the break",
        "rc %d lines %zu brk %zu start1 %zu", rc, nl, nl ? L[0].brk : 0,
        nl > 1 ? L[1].start : 0);
  free(L);
  cv_hlist_fini(&h);
}

/* (g) Empty and one-word paragraphs. */
static void test_small(void) {
  double w = 100;
  cv_line *L = NULL;
  size_t nl = 7;
  int passes = -1;
  cv_status st = {0};
  int rc = cv_linebreak(NULL, 0, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 0 && L == NULL, "empty list: no lines",
        "rc %d lines %zu", rc, nl);
  cv_hlist h;
  build(&h, "", 0); /* only the paragraph end: 3 nodes */
  rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 1 && L[0].brk == 3 && !L[0].overfull,
        "paragraph end only: one empty line", "rc %d lines %zu", rc, nl);
  free(L);
  cv_hlist_fini(&h);
  build(&h, "word", 0);
  rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 1 && L[0].start == 0 && L[0].brk == h.n &&
            passes == 1 && L[0].ratio >= 0,
        "single word: one line", "rc %d lines %zu passes %d", rc, nl, passes);
  free(L);
  rc = cv_linebreak_greedy(h.v, h.n, const_width, &w, &L, &nl, &st);
  check(rc == 0 && nl == 1, "single word greedy: one line", "lines %zu", nl);
  free(L);
  cv_hlist_fini(&h);
  /* A list without the paragraph-end penalty still ends. */
  cv_hlist_init(&h);
  cv_hlist_box(&h, 10, NULL);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  check(rc == 0 && nl == 1 && L[0].brk == 2 && L[0].end == 2,
        "no end penalty: one line to n", "lines %zu", nl);
  free(L);
  cv_hlist_fini(&h);
  check(!st.failed, "no status error", "%s", st.msg);
}

static void test_badness(void) {
  check(cv_badness(100, 100, 10, 10) == 0, "badness: exact fit is 0", "%d",
        cv_badness(100, 100, 10, 10));
  check(cv_badness(110, 100, 10, 10) == 100, "badness: ratio 1 is 100", "%d",
        cv_badness(110, 100, 10, 10));
  check(cv_badness(105, 100, 10, 10) == 13, "badness: ratio 0.5 is 13", "%d",
        cv_badness(105, 100, 10, 10));
  check(cv_badness(200, 100, 10, 10) == 10000, "badness: capped at 10000", "%d",
        cv_badness(200, 100, 10, 10));
  check(cv_badness(110, 100, 0, 10) == 10000, "badness: no stretch", "%d",
        cv_badness(110, 100, 0, 10));
  check(cv_badness(89, 100, 10, 10) == 10001, "badness: overfull is 10001",
        "%d", cv_badness(89, 100, 10, 10));
  check(cv_badness(90, 100, 10, 10) == 100, "badness: full shrink is 100", "%d",
        cv_badness(90, 100, 10, 10));
}

/* ---- exhaustive comparison ------------------------------------------- */

static int fitness_of(int bad, int shortfall_pos) {
  if (shortfall_pos)
    return bad > 99 ? 0 : bad > 12 ? 1 : 2;
  return bad > 12 ? 3 : 2;
}

/* Demerits of the line [start, b) after a line of fitness pf into *dem;
 * returns 0 when the line is not feasible at the tolerance. */
static int ex_line(const cv_hlist *h, size_t start, size_t b, double w,
                   const cv_kp_params *p, int pf, int ph, int *fit,
                   double *dem) {
  cv_line ln = {start < b ? start : b, b, b, 0, 0, 0};
  double nat, st, sh;
  line_sums(h, &ln, &nat, &st, &sh);
  int bad = cv_badness(w, nat, st, sh);
  if (bad > p->tolerance)
    return 0;
  *fit = fitness_of(bad, w > nat);
  const cv_hnode *nd = &h->v[b];
  int pi = nd->kind == CV_PENALTY ? nd->penalty : 0;
  int fin = b == h->n - 1;
  double d = (double)p->line_penalty + bad;
  d = d * d;
  if (pi > 0)
    d += (double)pi * pi;
  else if (pi > CV_EJECT_PENALTY)
    d -= (double)pi * pi;
  if (ph && fin)
    d += p->final_hyphen_demerits;
  else if (ph && nd->kind == CV_PENALTY && nd->flagged)
    d += p->double_hyphen_demerits;
  if (abs(*fit - pf) > 1)
    d += p->adj_demerits;
  *dem = d;
  return 1;
}

static int ex_legal(const cv_hlist *h, size_t i) {
  const cv_hnode *nd = &h->v[i];
  if (nd->kind == CV_GLUE)
    return i > 0 && h->v[i - 1].kind == CV_BOX;
  return nd->kind == CV_PENALTY && nd->penalty < CV_INF_PENALTY;
}

static size_t ex_start(const cv_hlist *h, size_t b) {
  size_t i = b + 1;
  while (i < h->n && h->v[i].kind != CV_BOX)
    i++;
  return i;
}

static int forced_between(const cv_hlist *h, size_t from, size_t to) {
  for (size_t i = from; i < to; i++)
    if (h->v[i].kind == CV_PENALTY && h->v[i].penalty <= CV_EJECT_PENALTY)
      return 1;
  return 0;
}

/* Minimum total demerits over every sequence of feasible breaks, by
 * dynamic programming on (break, fitness of the line ending there). */
static double exhaustive(const cv_hlist *h, double w, const cv_kp_params *p) {
  size_t n = h->n;
  double *best = cv_malloc_n((n + 1) * 4, sizeof *best);
  if (!best)
    return -2;
  for (size_t i = 0; i < (n + 1) * 4; i++)
    best[i] = 1e300;
  best[n * 4 + 2] = 0; /* slot n stands for the paragraph start */
  double result = 1e300;
  for (size_t b = 0; b < n; b++) {
    if (!ex_legal(h, b))
      continue;
    for (size_t a = n;; a = a == n ? 0 : a + 1) {
      if (a != n && a >= b)
        break;
      if (a != n && !ex_legal(h, a))
        continue;
      if (forced_between(h, a == n ? 0 : a + 1, b))
        continue; /* a forced break cannot be jumped over */
      size_t start = a == n ? 0 : ex_start(h, a);
      int ph = a != n && h->v[a].kind == CV_PENALTY && h->v[a].flagged;
      for (int pf = 0; pf < 4; pf++) {
        if (best[a * 4 + pf] >= 1e300)
          continue;
        int fit;
        double d;
        if (!ex_line(h, start, b, w, p, pf, ph, &fit, &d))
          continue;
        d += best[a * 4 + pf];
        if (d < best[b * 4 + fit])
          best[b * 4 + fit] = d;
      }
    }
    if (b == n - 1)
      for (int f = 0; f < 4; f++)
        if (best[b * 4 + f] < result)
          result = best[b * 4 + f];
  }
  free(best);
  return result;
}

static double kp_demerits(const cv_hlist *h, const cv_line *L, size_t nl,
                          double w, const cv_kp_params *p) {
  double total = 0;
  int pf = 2, ph = 0;
  for (size_t j = 0; j < nl; j++) {
    size_t b = L[j].brk == h->n ? h->n - 1 : L[j].brk;
    int fit;
    double d;
    if (!ex_line(h, L[j].start, b, w, p, pf, ph, &fit, &d))
      return 1e300;
    total += d;
    pf = fit;
    ph = L[j].hyphenated;
  }
  return total;
}

static unsigned rnd(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return (*s >> 16) & 0x7fff;
}

static void random_paragraph(cv_hlist *h, unsigned *seed) {
  cv_hlist_init(h);
  int words = 8 + (int)(rnd(seed) % 20);
  for (int i = 0; i < words; i++) {
    if (i)
      cv_hlist_glue(h, 5, 2.5, 1.67);
    int parts = 1 + (int)(rnd(seed) % 3);
    for (int k = 0; k < parts; k++) {
      if (k)
        cv_hlist_penalty(h, 3, 50, 1);
      cv_hlist_box(h, 5.0 * (1 + rnd(seed) % 6), NULL);
    }
    if (rnd(seed) % 10 == 0)
      cv_hlist_penalty(h, 0, (int)(rnd(seed) % 300) - 150, 0);
  }
  cv_hlist_penalty(h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(h, 0, CV_FIL, 0);
  cv_hlist_penalty(h, 0, CV_EJECT_PENALTY, 0);
}

static void test_exhaustive(void) {
  unsigned seed = 12345;
  int compared = 0, mismatches = 0, infeasible_agree = 0;
  char detail[256] = "";
  for (int t = 0; t < 300; t++) {
    cv_hlist h;
    random_paragraph(&h, &seed);
    double w = 100 + rnd(&seed) % 200;
    cv_kp_params p;
    cv_kp_params_default(&p);
    p.pretolerance = -1; /* one pass with every break at the tolerance */
    p.tolerance = (rnd(&seed) % 2) ? 200 : 1000;
    cv_line *L = NULL;
    size_t nl = 0;
    int passes = 0;
    cv_status st = {0};
    if (cv_linebreak(h.v, h.n, const_width, &w, &p, &L, &nl, &passes, &st)) {
      mismatches++;
      snprintf(detail, sizeof detail, "trial %d: error %.200s", t, st.msg);
      cv_hlist_fini(&h);
      continue;
    }
    double ex = exhaustive(&h, w, &p);
    if (passes == 2) {
      double kd = kp_demerits(&h, L, nl, w, &p);
      compared++;
      if (fabs(kd - ex) > 1e-6 * (1 + fabs(ex))) {
        mismatches++;
        snprintf(detail, sizeof detail, "trial %d: kp %g exhaustive %g", t, kd,
                 ex);
      }
    } else if (ex >= 1e300) {
      infeasible_agree++;
    } else {
      mismatches++;
      snprintf(detail, sizeof detail,
               "trial %d: kp found nothing, exhaustive %g", t, ex);
    }
    free(L);
    cv_hlist_fini(&h);
  }
  check(mismatches == 0 && compared > 100,
        "total fit equals the exhaustive optimum on random paragraphs",
        "%d mismatches of %d compared; %s", mismatches, compared, detail);
  printf("# %d compared, %d infeasible for both\n", compared, infeasible_agree);
}

/* A long paragraph: the active list stays small, so this is fast. */
static void test_long(void) {
  cv_hlist h;
  unsigned seed = 7;
  cv_hlist_init(&h);
  for (int i = 0; i < 20000; i++) {
    if (i)
      cv_hlist_glue(&h, 5, 2.5, 1.67);
    cv_hlist_box(&h, 5.0 * (1 + rnd(&seed) % 9), NULL);
  }
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0);
  double w = 300;
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  int rc = cv_linebreak(h.v, h.n, const_width, &w, NULL, &L, &nl, &passes, &st);
  int contiguous = rc == 0 && nl > 100 && L[nl - 1].brk == h.n;
  for (size_t j = 1; contiguous && j < nl; j++)
    contiguous = L[j].start > L[j - 1].brk && L[j].start <= L[j].end;
  check(contiguous && !h.failed, "long paragraph: lines follow each other",
        "rc %d lines %zu", rc, nl);
  free(L);
  cv_hlist_fini(&h);
}

static long peak_rss_kb(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* A paragraph of 100,000 words (some 310,000 nodes, a 1 MB text), with
 * hyphenation points, that needs the emergency pass in places: it is
 * broken in memory proportional to its length (the prefix sums and the
 * lines), where breaking it as a whole gathers hundreds of megabytes of
 * active and passive nodes.  Every line is feasible and they follow each
 * other. */
static void test_very_long(void) {
  cv_hlist h;
  unsigned seed = 7;
  cv_hlist_init(&h);
  for (int i = 0; i < 100000; i++) {
    if (i)
      cv_hlist_glue(&h, 3.3, 1.65, 1.1);
    int len = 1 + (int)(rnd(&seed) % 11);
    if (len > 5) {
      cv_hlist_box(&h, 5.0 * (len / 2), NULL);
      cv_hlist_penalty(&h, 3, 50, 1);
      len -= len / 2;
    }
    cv_hlist_box(&h, 5.0 * len, NULL);
  }
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0);
  double w = 400;
  cv_kp_params p;
  cv_kp_params_default(&p);
  p.emergency_stretch = 15;
  cv_line *L = NULL;
  size_t nl = 0;
  int passes = 0;
  cv_status st = {0};
  long before = peak_rss_kb();
  int rc = cv_linebreak(h.v, h.n, const_width, &w, &p, &L, &nl, &passes, &st);
  long grown = peak_rss_kb() - before;
  long bound = (long)(h.n * 64 / 1024) + 32 * 1024;
  check(rc == 0 && grown <= bound, "very long paragraph: bounded memory",
        "rc %d, peak grew by %ld kB for %zu nodes (bound %ld kB)", rc, grown,
        h.n, bound);
  int good = rc == 0 && nl > 8000 && L[nl - 1].brk == h.n && L[0].start == 0;
  for (size_t j = 0; good && j < nl; j++)
    good = !L[j].overfull && L[j].ratio >= -1 &&
           (j == 0 || L[j].start > L[j - 1].brk);
  check(good, "very long paragraph: feasible lines that follow each other",
        "rc %d, %zu lines, passes %d", rc, nl, passes);
  free(L);
  cv_hlist_fini(&h);
}

/* Longest run of hyphenated lines in a row; whether the last line is only
 * the tail of a hyphenated word (no space in it). */
static int hyphen_run(const cv_line *L, size_t n) {
  int run = 0, most = 0;
  for (size_t i = 0; i < n; i++) {
    run = L[i].hyphenated ? run + 1 : 0;
    most = run > most ? run : most;
  }
  return most;
}

static int lone_tail(const cv_hlist *h, const cv_line *L, size_t n) {
  if (n < 2 || !L[n - 2].hyphenated)
    return 0;
  for (size_t i = L[n - 1].start; i < L[n - 1].end; i++)
    if (h->v[i].kind == CV_GLUE && h->v[i].width > 0)
      return 0;
  return 1;
}

/* (k) The finishing rules: at most two hyphenated lines in a row, no last
 * line that is a word's tail alone (both but on the last pass), a short
 * last line avoided where a break gives a longer one.  Over a range of
 * measures, the rules must change something (the paragraph breaks the
 * rules without them) and never be broken with them. */
static void test_finishing(void) {
  const char *text =
      "in-ter-na-tion-al-i-za-tion com-pu-ta-tion-al lin-guis-tics "
      "rep-re-sen-ta-tion-al ex-tra-or-di-nar-i-ly in-com-pre-hen-si-bil-i-ty "
      "ac-com-mo-da-tion re-spon-si-bil-i-ties char-ac-ter-is-ti-cal-ly "
      "un-der-stand-a-bly ex-per-i-men-ta-tion or-gan-i-za-tion-al-ly";
  cv_hlist h;
  build(&h, text, 1);
  int runs_without = 0, runs_with = 0, tails_without = 0, tails_with = 0;
  int short_without = 0, short_with = 0;
  for (double w = 90; w <= 400; w += 1) {
    cv_kp_params p;
    cv_kp_params_default(&p);
    p.pretolerance = -1;
    cv_line *L = NULL, *R = NULL;
    size_t n = 0, m = 0;
    int pa = 0, pb = 0;
    cv_status st = {0};
    cv_linebreak(h.v, h.n, const_width, &w, &p, &L, &n, &pa, &st);
    p.max_hyphen_run = 2;
    p.no_lone_tail = 1;
    p.last_line_min = 40;
    cv_linebreak(h.v, h.n, const_width, &w, &p, &R, &m, &pb, &st);
    runs_without += hyphen_run(L, n) > 2;
    tails_without += lone_tail(&h, L, n);
    double nat, sst, ssh;
    line_sums(&h, &L[n - 1], &nat, &sst, &ssh);
    short_without += n > 1 && nat < 40;
    if (pb < 4) {
      runs_with += hyphen_run(R, m) > 2;
      tails_with += lone_tail(&h, R, m);
    }
    line_sums(&h, &R[m - 1], &nat, &sst, &ssh);
    short_with += m > 1 && nat < 40;
    free(L);
    free(R);
  }
  check(runs_without > 0 && runs_with == 0,
        "finishing: no run of three hyphenated lines",
        "runs without the limit %d, with it %d", runs_without, runs_with);
  check(tails_without > 0 && tails_with == 0,
        "finishing: no last line that is only a word's tail",
        "tails without the rule %d, with it %d", tails_without, tails_with);
  check(short_with < short_without,
        "finishing: fewer last lines under 40pt with a 40pt minimum",
        "without %d, with %d", short_without, short_with);
  cv_hlist_fini(&h);
}

/* Breaks h at measure w without a first pass, with or without the rule
 * against a lone tail. */
static void break_at(const cv_hlist *h, double w, int no_tail, cv_line **L,
                     size_t *n, int *passes) {
  cv_kp_params p;
  cv_kp_params_default(&p);
  p.pretolerance = -1;
  p.no_lone_tail = no_tail;
  cv_status st = {0};
  cv_linebreak(h->v, h->n, const_width, &w, &p, L, n, passes, &st);
}

/* (l) A paragraph whose only break within tolerance leaves a word's tail
 * alone ("per-" / "formance."): with the rule, the breaker takes a loose
 * line instead, on the pass that keeps the rules, and no line is overfull;
 * without it, the tail. */
static void test_tail_or_loose(void) {
  cv_hlist h;
  build(&h, "aaaa bbbb cccc per-for-mance.", 1);
  cv_line *L = NULL, *R = NULL;
  size_t n = 0, m = 0;
  int pb = 0;
  break_at(&h, 93, 0, &L, &n, NULL); /* "aaaa bbbb cccc per-" exactly */
  break_at(&h, 93, 1, &R, &m, &pb);
  check(n == 2 && lone_tail(&h, L, n),
        "tail or loose: the tail without the rule", "lines %zu tail %d", n,
        n ? lone_tail(&h, L, n) : 0);
  int over = 0;
  for (size_t i = 0; i < m; i++)
    over += R[i].overfull;
  check(m == 2 && !lone_tail(&h, R, m) && !R[0].hyphenated && over == 0 &&
            pb == 4,
        "tail or loose: a loose line, not a tail, with the rule",
        "lines %zu tail %d hyphenated %d overfull %d pass %d", m,
        m ? lone_tail(&h, R, m) : 0, m ? R[0].hyphenated : 0, over, pb);
  free(L);
  free(R);
  cv_hlist_fini(&h);
}

/* (n) A paragraph no pass up to the emergency one can set (a justified
 * bullet of a real CV: "There are 7 unique entry types: BulletEntry, ...,
 * PublicationEntry, and OneLineEntry.", its boxes' widths in points at
 * 10 pt): every first line is past badness INF_BAD, and TeX's demerits
 * cannot tell "There are" spread over the measure from a full line a
 * little too loose.  The breaker sets the full line. */
static void test_beyond_inf(void) {
  static const double words[] = {19.88, 12.68, 4.65,  28.25, 22.07,
                                 24.30, 48.88, 42.58, 65.90, 70.05,
                                 55.64, 70.96, 15.05, 59.57};
  cv_hlist h;
  cv_hlist_init(&h);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    if (i)
      cv_hlist_glue(&h, 2.5, 1.25, 0.83);
    cv_hlist_box(&h, words[i], NULL);
  }
  cv_hlist_penalty(&h, 0, CV_INF_PENALTY, 0);
  cv_hlist_glue(&h, 0, CV_FIL, 0);
  cv_hlist_penalty(&h, 0, CV_EJECT_PENALTY, 0);
  cv_line *L = NULL;
  size_t n = 0;
  int pass = 0;
  break_at(&h, 483.3, 1, &L, &n, &pass);
  double nat = 0, st = 0, sh = 0;
  if (n)
    line_sums(&h, &L[0], &nat, &st, &sh);
  check(n == 2 && pass == 4 && nat > 0.8 * 483.3,
        "beyond INF_BAD: a loose full line, not two words across it",
        "lines %zu pass %d first line %.1f pt of 483.3", n, pass, nat);
  free(L);
  cv_hlist_fini(&h);
}

/* (m) A hyphen flagged CV_HYPHEN_LAST_RESORT is taken only when no pass
 * up to the emergency one can set the paragraph: not where a line within
 * tolerance exists without it, but where the only other way is a line
 * past the tolerance. */
static void test_last_resort(void) {
  cv_hlist h;
  build(&h, "aaaa bbbb cccc dd-ddd eeeeeeee", 1);
  for (size_t i = 0; i < h.n; i++)
    if (h.v[i].kind == CV_PENALTY && h.v[i].flagged)
      h.v[i].flagged = CV_HYPHEN_LAST_RESORT;
  cv_kp_params p;
  cv_kp_params_default(&p);
  p.pretolerance = -1;
  /* At 75pt "aaaa bbbb cccc" (70pt, stretch 5) is within tolerance; at
   * 88pt only "... dd-" (88pt) is. */
  double widths[2] = {75, 88};
  int used[2] = {0, 0}, passes[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    cv_line *L = NULL;
    size_t n = 0;
    cv_status st = {0};
    cv_linebreak(h.v, h.n, const_width, &widths[k], &p, &L, &n, &passes[k],
                 &st);
    for (size_t i = 0; i < n; i++)
      used[k] += L[i].hyphenated;
    free(L);
  }
  check(used[0] == 0 && passes[0] == 2,
        "last resort: not taken while a line within tolerance exists",
        "hyphens %d pass %d", used[0], passes[0]);
  check(used[1] == 1 && passes[1] == 4,
        "last resort: taken on the last passes instead of a hole",
        "hyphens %d pass %d", used[1], passes[1]);
  cv_hlist_fini(&h);
}

int main(void) {
  test_badness();
  test_kp_vs_greedy();
  test_hyphenation();
  test_forced();
  test_overfull();
  test_varying_widths();
  test_discardables();
  test_small();
  test_exhaustive();
  test_long();
  test_very_long();
  test_finishing();
  test_tail_or_loose();
  test_beyond_inf();
  test_last_resort();
  if (failures)
    printf("# %d failed\n", failures);
  return failures ? 1 : 0;
}

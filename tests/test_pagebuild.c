/* Tests for core/typeset/pagebuild.c: break positions on synthetic vertical
 * lists of 12pt lines into a 100pt page. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typeset/pagebuild.h"
#include "base/util.h"

#define PEN_INF 10000

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

typedef struct vlist {
  cv_vitem v[256];
  size_t n;
} vlist;

static size_t vbox(vlist *l, double h) {
  cv_vitem *it = &l->v[l->n];
  memset(it, 0, sizeof *it);
  it->kind = CV_VBOX;
  it->height = h * 0.75; /* height + depth = h */
  it->depth = h * 0.25;
  return l->n++;
}

static size_t vglue(vlist *l, double w) {
  cv_vitem *it = &l->v[l->n];
  memset(it, 0, sizeof *it);
  it->kind = CV_VGLUE;
  it->width = w;
  return l->n++;
}

static size_t vpen(vlist *l, int p) {
  cv_vitem *it = &l->v[l->n];
  memset(it, 0, sizeof *it);
  it->kind = CV_VPENALTY;
  it->penalty = p;
  return l->n++;
}

/* `lines` lines of 12pt; between them penalty `mid`, except `first` after
 * the first line and `last` before the last one (club/widow). */
static void paragraph(vlist *l, int lines, int first, int mid, int last) {
  for (int i = 0; i < lines; i++) {
    if (i > 0)
      vpen(l, i == 1 ? first : i == lines - 1 ? last : mid);
    vbox(l, 12);
  }
}

static void fmt_breaks(const size_t *b, size_t n, char *buf, size_t cap) {
  size_t off = 0;
  buf[0] = '\0';
  for (size_t j = 0; j < n && off < cap; j++) {
    int k = snprintf(buf + off, cap - off, "%s%zu", j ? "," : "", b[j]);
    if (k < 0)
      return;
    off += (size_t)k;
  }
}

static int is_disc(const cv_vitem *it) {
  return it->kind != CV_VBOX;
}

/* Rebuilds the pages from the breaks as a caller would: checks that every
 * box lands on exactly one page, and returns the tallest page's content. */
static double pages_ok(const vlist *l, const size_t *b, size_t np,
                       int *all_boxes) {
  double tallest = 0;
  size_t boxes = 0, total = 0, start = 0;
  for (size_t i = 0; i < l->n; i++)
    total += l->v[i].kind == CV_VBOX;
  for (size_t k = 0; k < np; k++) {
    while (start < l->n && is_disc(&l->v[start]))
      start++;
    double h = 0;
    for (size_t i = start; i < b[k] && i < l->n; i++) {
      const cv_vitem *it = &l->v[i];
      h += it->kind == CV_VBOX    ? it->height + it->depth
           : it->kind == CV_VGLUE ? it->width
                                  : 0;
      boxes += it->kind == CV_VBOX;
    }
    if (h > tallest)
      tallest = h;
    start = b[k] < l->n && l->v[b[k]].kind == CV_VBOX ? b[k] : b[k] + 1;
  }
  *all_boxes = boxes == total;
  return tallest;
}

static int run(const vlist *l, double ph, size_t **b, size_t *np) {
  cv_status st = {0};
  int rc = cv_pagebreak(l->v, l->n, ph, b, np, &st);
  if (rc)
    printf("# error: %s\n", st.msg);
  return rc;
}

/* (a) 20 lines of 12pt, penalty 0 between: 8 lines (96pt) per page. */
static void test_plain(void) {
  vlist l = {.n = 0};
  paragraph(&l, 20, 0, 0, 0);
  size_t *b = NULL, np = 0;
  int rc = run(&l, 100, &b, &np);
  char got[128];
  fmt_breaks(b, np, got, sizeof got);
  check(rc == 0 && strcmp(got, "15,31,39") == 0 && l.n == 39,
        "plain: pages end after lines 8 and 16, last at n", "got %s", got);
  free(b);
}

/* (b) A heading glued to what follows by penalty 10000. */
static void test_heading(void) {
  for (int keep = 0; keep < 2; keep++) {
    vlist l = {.n = 0};
    paragraph(&l, 7, 0, 0, 0);                   /* 84pt, items 0..12 */
    size_t before = vpen(&l, 0);                 /* 13 */
    size_t heading = vbox(&l, 12);               /* 14: 96pt */
    size_t after = vpen(&l, keep ? PEN_INF : 0); /* 15 */
    paragraph(&l, 5, 0, 0, 0);                   /* entry */
    size_t *b = NULL, np = 0;
    int rc = run(&l, 100, &b, &np);
    if (keep)
      check(rc == 0 && np == 2 && b[0] == before && heading == before + 1,
            "heading: keep-with-next moves the break before the heading",
            "np %zu first break %zu", np, np ? b[0] : 0);
    else
      check(rc == 0 && np == 2 && b[0] == after,
            "heading: without the penalty the page ends after it",
            "np %zu first break %zu", np, np ? b[0] : 0);
    free(b);
  }
}

/* (c) Club and widow penalties. */
static void test_widow_orphan(void) {
  for (int guard = 0; guard < 2; guard++) {
    int p = guard ? PEN_INF : 0;
    /* widow: A (4 lines) + 4pt + B (5 lines); B's 4th line ends at 100pt */
    vlist l = {.n = 0};
    paragraph(&l, 4, p, 0, p);
    size_t parskip = vglue(&l, 4);
    size_t b_start = l.n;
    paragraph(&l, 5, p, 0, p);
    size_t *b = NULL, np = 0;
    int rc = run(&l, 100, &b, &np);
    /* B's items: box, pen, box, pen, box, pen, box, pen, box */
    size_t after_b3 = b_start + 5, after_b4 = b_start + 7;
    size_t want = guard ? after_b3 : after_b4;
    check(rc == 0 && np == 2 && b[0] == want && parskip == 7,
          guard ? "widow: the last line never starts a page alone"
                : "widow control off: the page ends after B's 4th line",
          "break %zu want %zu", np ? b[0] : 0, want);
    free(b);
    /* orphan: A (7 lines) + 4pt + B; B's first line would end at 100pt */
    vlist m = {.n = 0};
    paragraph(&m, 7, p, 0, p);
    size_t skip = vglue(&m, 4);
    size_t bs = m.n;
    paragraph(&m, 5, p, 0, p);
    b = NULL;
    rc = run(&m, 100, &b, &np);
    want = guard ? skip : bs + 1;
    check(rc == 0 && np == 2 && b[0] == want,
          guard ? "orphan: a paragraph's first line never ends a page alone"
                : "club control off: the page ends after B's first line",
          "break %zu want %zu", np ? b[0] : 0, want);
    free(b);
  }
}

/* (d) A forced break ends the page early; two in a row make no empty
 * page. */
static void test_forced(void) {
  vlist l = {.n = 0};
  paragraph(&l, 3, 0, 0, 0);   /* 0..4 */
  size_t f = vpen(&l, -10000); /* 5 */
  vpen(&l, -10000);            /* 6: at the top, discarded */
  paragraph(&l, 3, 0, 0, 0);   /* 7..11 */
  size_t *b = NULL, np = 0;
  int rc = run(&l, 100, &b, &np);
  check(rc == 0 && np == 2 && b[0] == f && b[1] == l.n,
        "forced: page ends at the -10000 penalty, no empty page",
        "np %zu first %zu", np, np ? b[0] : 0);
  free(b);
}

/* (e) Unbreakable material taller than a page. */
static void test_unbreakable(void) {
  vlist l = {.n = 0};
  paragraph(&l, 20, PEN_INF, PEN_INF, PEN_INF);
  size_t *b = NULL, np = 0;
  int all = 0;
  int rc = run(&l, 100, &b, &np);
  double tallest = rc ? 1e9 : pages_ok(&l, b, np, &all);
  char got[128];
  fmt_breaks(b, np, got, sizeof got);
  check(rc == 0 && np == 3 && tallest <= 100 && all &&
            strcmp(got, "15,31,39") == 0,
        "unbreakable: cut after the last line that fits, every line kept",
        "np %zu tallest %g breaks %s", np, tallest, got);
  free(b);
  /* boxes with nothing between them: the cut lands on a box */
  vlist m = {.n = 0};
  for (int i = 0; i < 10; i++)
    vbox(&m, 30);
  b = NULL;
  rc = run(&m, 100, &b, &np);
  tallest = rc ? 1e9 : pages_ok(&m, b, np, &all);
  fmt_breaks(b, np, got, sizeof got);
  check(rc == 0 && tallest <= 100 && all && strcmp(got, "3,6,9,10") == 0,
        "adjacent boxes: three 30pt boxes per page, no box lost",
        "tallest %g breaks %s", tallest, got);
  free(b);
  /* a single box taller than the page still goes out, one per page */
  vlist t = {.n = 0};
  vbox(&t, 150);
  vglue(&t, 5);
  vbox(&t, 150);
  b = NULL;
  rc = run(&t, 100, &b, &np);
  fmt_breaks(b, np, got, sizeof got);
  check(rc == 0 && strcmp(got, "1,3") == 0, "oversized boxes: one per page",
        "breaks %s", got);
  free(b);
}

/* (f) Glue after a break is discarded at the top of the next page. */
static void test_top_glue(void) {
  vlist l = {.n = 0};
  paragraph(&l, 8, 0, 0, 0); /* 96pt, items 0..14 */
  size_t p = vpen(&l, 0);    /* 15 */
  vglue(&l, 30);             /* 16: would not fit with 8 more lines */
  paragraph(&l, 8, 0, 0, 0);
  size_t *b = NULL, np = 0;
  int all = 0;
  int rc = run(&l, 100, &b, &np);
  double tallest = rc ? 1e9 : pages_ok(&l, b, np, &all);
  check(rc == 0 && np == 2 && b[0] == p && b[1] == l.n && all &&
            tallest <= 96 + 1e-9,
        "top glue: discarded, the second page holds all 8 lines",
        "np %zu tallest %g", np, tallest);
  free(b);
}

static void test_edges(void) {
  size_t *b = NULL, np = 7;
  cv_status st = {0};
  int rc = cv_pagebreak(NULL, 0, 100, &b, &np, &st);
  check(rc == 0 && np == 0, "empty list: no pages", "rc %d np %zu", rc, np);
  free(b);
  vlist l = {.n = 0};
  vglue(&l, 10);
  vpen(&l, -10000);
  b = NULL;
  rc = cv_pagebreak(l.v, l.n, 100, &b, &np, &st);
  check(rc == 0 && np == 0, "only discardable items: no pages", "np %zu", np);
  free(b);
  b = NULL;
  rc = cv_pagebreak(l.v, l.n, 0, &b, &np, &st);
  check(rc == -1 && st.failed && b == NULL, "page height 0 is an error",
        "rc %d", rc);
  /* ties go to the later break: two zero-height penalties in a row */
  vlist t = {.n = 0};
  paragraph(&t, 8, 0, 0, 0);
  vpen(&t, 0); /* 15 */
  vpen(&t, 0); /* 16: same cost, later */
  paragraph(&t, 2, 0, 0, 0);
  b = NULL;
  cv_status st2 = {0};
  rc = cv_pagebreak(t.v, t.n, 100, &b, &np, &st2);
  check(rc == 0 && np == 2 && b[0] == 16, "ties go to the later break",
        "first break %zu", np ? b[0] : 0);
  free(b);
}

/* A long list runs in one sweep per page. */
static void test_long(void) {
  size_t n = 200000;
  cv_vitem *v = cv_calloc_n(n, sizeof *v);
  if (!v) {
    check(0, "long list", "out of memory");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    v[i].kind = i % 2 ? CV_VGLUE : CV_VBOX;
    v[i].height = 9;
    v[i].depth = 3;
    v[i].width = 2;
  }
  size_t *b = NULL, np = 0;
  cv_status st = {0};
  int rc = cv_pagebreak(v, n, 700, &b, &np, &st);
  /* 14pt per line: 50 lines = 698pt (the last glue is the break) */
  check(rc == 0 && np == n / 2 / 50 && b[0] == 99,
        "long list: 50 lines per 700pt page", "np %zu first %zu", np,
        np ? b[0] : 0);
  free(b);
  free(v);
}

/* Cutting pages while the list grows (cv_page_start / cv_page_end with
 * final == 0, as layout does between blocks) must give exactly the pages
 * of cutting the finished list: 500 random lists of lines, glue, keeps,
 * forced breaks and tall boxes, fed in random steps. */
static void test_incremental(void) {
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  int bad = 0, decided_early = 0;
  for (int trial = 0; trial < 500 && !bad; trial++) {
    vlist l = {.n = 0};
    size_t want = 40 + (size_t)(trial % 200);
    while (l.n < want) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      unsigned r = (unsigned)(seed >> 33);
      if (l.n && l.v[l.n - 1].kind == CV_VBOX) {
        int pens[] = {0, 0, 0, 50, 150, 10000, 10000, -10000};
        vpen(&l, r % 23 == 0 ? -10000 : pens[r % 7]);
        if (r % 3 == 0)
          vglue(&l, 2 + r % 9);
      } else {
        vbox(&l, r % 31 == 0 ? 250 + r % 300 : 8 + r % 10);
      }
    }
    double ph = 300;
    size_t *b = NULL, np = 0;
    cv_status st = {0};
    if (cv_pagebreak(l.v, l.n, ph, &b, &np, &st) != 0) {
      bad = 1;
      break;
    }
    /* Incremental: the list is visible up to `limit`, growing. */
    size_t got[256], ng = 0, from = 0, limit = 0;
    while (limit < l.n) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      limit += 1 + (size_t)((seed >> 40) % 12);
      if (limit > l.n)
        limit = l.n;
      for (;;) {
        size_t start = cv_page_start(l.v, limit, from);
        if (start >= limit)
          break;
        size_t end = cv_page_end(l.v, limit, start, ph, 0);
        if (end == CV_PAGE_OPEN)
          break;
        decided_early += limit < l.n;
        got[ng++] = end;
        from = end < limit && l.v[end].kind == CV_VBOX ? end : end + 1;
      }
    }
    for (;;) {
      size_t start = cv_page_start(l.v, l.n, from);
      if (start >= l.n)
        break;
      size_t end = cv_page_end(l.v, l.n, start, ph, 1);
      got[ng++] = end;
      from = end < l.n && l.v[end].kind == CV_VBOX ? end : end + 1;
    }
    if (ng > 0)
      got[ng - 1] = l.n; /* as cv_pagebreak: discardables after the end */
    if (ng != np || memcmp(got, b, np * sizeof *b) != 0) {
      char x[512], y[512];
      fmt_breaks(b, np, x, sizeof x);
      fmt_breaks(got, ng, y, sizeof y);
      check(0, "incremental cutting", "trial %d: whole list %s, growing %s",
            trial, x, y);
      bad = 1;
    }
    free(b);
  }
  check(!bad && decided_early > 1000,
        "pages cut while the list grows equal pages of the finished list",
        "%d pages decided before the list was complete", decided_early);
}

/* A hole at the page foot weighed against a soft keep: 54 lines of 12pt
 * on a 700pt page, then an entry whose head (two lines) must stay with its
 * first line (10000) and may leave its second at a club penalty of 150.
 * Without weighing holes the page ends before the entry (four lines
 * empty); weighed, it takes the head and first line (one line empty). */
static void test_holes(void) {
  vlist l = {.n = 0};
  paragraph(&l, 54, 0, 0, 0);
  size_t before = vglue(&l, 0);
  vbox(&l, 12);
  vpen(&l, 10000);
  vbox(&l, 12);
  vpen(&l, 10000);
  vbox(&l, 12);
  size_t soft = vpen(&l, 150);
  vbox(&l, 12);
  vpen(&l, 10000);
  vbox(&l, 12);
  size_t plain = cv_page_end(l.v, l.n, 0, 700, 1);
  size_t weighed = cv_page_end_holes(l.v, l.n, 0, 700, 12, 1);
  check(plain == before, "holes: unweighed, the page ends before the entry",
        "ends at %zu, expected %zu", plain, before);
  check(weighed == soft,
        "holes: weighed, the page takes the entry's head and first line",
        "ends at %zu, expected %zu", weighed, soft);
}

int main(void) {
  test_plain();
  test_heading();
  test_widow_orphan();
  test_forced();
  test_unbreakable();
  test_top_glue();
  test_edges();
  test_long();
  test_incremental();
  test_holes();
  if (failures)
    printf("# %d failed\n", failures);
  return failures ? 1 : 0;
}

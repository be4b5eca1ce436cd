/* cvpdf - the page builder (after tex.web part 45, sections 980-1028, with
 * \raggedbottom: no stretch or shrink on the page, only the cost of the
 * space left empty). */
#include "typeset/pagebuild.h"

#include <stdlib.h>

#define NONE ((size_t)-1)
/* Float slack when comparing summed heights against the page height. */
#define EPS 1.0e-9

static int is_discardable(const cv_vitem *it) {
  return it->kind == CV_VGLUE || it->kind == CV_VPENALTY;
}

/* TeX's legal page breaks (section 1000): a penalty below 10000, or glue
 * right after a box.  *pi gets the break's penalty. */
static int legal_break(const cv_vitem *items, size_t i, int *pi) {
  const cv_vitem *it = &items[i];
  *pi = 0;
  if (it->kind == CV_VPENALTY) {
    *pi = it->penalty;
    return it->penalty < 10000;
  }
  return it->kind == CV_VGLUE && i > 0 && items[i - 1].kind == CV_VBOX;
}

/* Section 1005 in spirit: the page is ragged, so what a break costs is its
 * penalty plus how much of the page it leaves empty, cubed so that a
 * nearly full page is cheap and a half-empty one is not. */
static double break_cost(int pi, double h, double page_height, double line) {
  double u = (page_height - h) / page_height;
  if (u < 0)
    u = 0;
  double c = (double)pi + 10000.0 * u * u * u;
  double lines = line > 0 ? (page_height - h) / line : 0;
  if (lines > 3) /* any hole past three lines costs more than a club line */
    c += CV_HOLE_LINE_COST * (1 + lines - 3);
  return c;
}

static size_t skip_discardable(const cv_vitem *items, size_t n, size_t i) {
  while (i < n && is_discardable(&items[i]))
    i++;
  return i;
}

size_t cv_page_start(const cv_vitem *items, size_t n, size_t from) {
  return skip_discardable(items, n, from);
}

/* One page starting at the box `start`: the item where it ends.  Heights
 * accumulate in one forward sweep; the sweep stops at the first item that
 * overflows the page or at a forced break, so the answer depends on no
 * item after that one, and a list that is still growing can be asked
 * (final == 0) as soon as it holds that item. */
size_t cv_page_end(const cv_vitem *items, size_t n, size_t start,
                   double page_height, int final) {
  return cv_page_end_holes(items, n, start, page_height, 0, final);
}

size_t cv_page_end_holes(const cv_vitem *items, size_t n, size_t start,
                         double page_height, double line, int final) {
  return cv_page_end_scan(items, n, start, page_height, line, final, NULL);
}

/* Whether scan holds where a scan of this page stopped. */
static int resumes(const cv_page_scan *scan, size_t n, size_t start,
                   double page_height, double line) {
  return scan && scan->next > start && scan->next <= n &&
         scan->start == start && scan->page_height == page_height &&
         scan->line == line;
}

size_t cv_page_end_scan(const cv_vitem *items, size_t n, size_t start,
                        double page_height, double line, int final,
                        cv_page_scan *scan) {
  double h = 0, best_cost = 0;
  size_t best = NONE, last_box = NONE, i = start;
  if (resumes(scan, n, start, page_height, line)) {
    i = scan->next;
    h = scan->h;
    best_cost = scan->best_cost;
    best = scan->best;
    last_box = scan->last_box;
  }
  for (; i < n; i++) {
    int pi;
    if (i > start && legal_break(items, i, &pi) && h <= page_height + EPS) {
      if (pi <= -10000)
        return i;
      double c = break_cost(pi, h, page_height, line);
      if (best == NONE || c <= best_cost) { /* ties go to the later break */
        best = i;
        best_cost = c;
      }
    }
    const cv_vitem *it = &items[i];
    if (it->kind == CV_VBOX)
      h += it->height + it->depth;
    else if (it->kind == CV_VGLUE)
      h += it->width;
    if (h <= page_height + EPS) {
      if (it->kind == CV_VBOX)
        last_box = i;
      continue;
    }
    if (best != NONE)
      return best;
    /* Unbreakable material taller than the page: cut after the last box
     * that fits, or after the first box when even that one does not. */
    return (last_box != NONE ? last_box : start) + 1;
  }
  /* The end of a finished list is a forced break. */
  if (final)
    return n;
  if (scan)
    *scan = (cv_page_scan){.start = start,
                           .next = n,
                           .page_height = page_height,
                           .line = line,
                           .h = h,
                           .best_cost = best_cost,
                           .best = best,
                           .last_box = last_box};
  return CV_PAGE_OPEN;
}

double cv_page_first_unit(const cv_vitem *items, size_t n, size_t from) {
  double h = 0;
  int boxes = 0;
  for (size_t i = from; i < n; i++) {
    int pi;
    if (boxes && legal_break(items, i, &pi))
      return h;
    const cv_vitem *it = &items[i];
    if (it->kind == CV_VBOX) {
      h += it->height + it->depth;
      boxes++;
    } else if (it->kind == CV_VGLUE) {
      h += it->width;
    }
  }
  return -1;
}

int cv_pagebreak(const cv_vitem *items, size_t n, double page_height,
                 size_t **breaks, size_t *npages, cv_status *st) {
  *breaks = NULL;
  *npages = 0;
  if ((n > 0 && !items) || !(page_height > 0)) {
    cv_status_set(st, "cv_pagebreak: no items or page height %g not positive",
                  page_height);
    return -1;
  }
  size_t *out = NULL, cnt = 0, cap = 0;
  size_t start = skip_discardable(items, n, 0);
  while (start < n) {
    size_t end = cv_page_end(items, n, start, page_height, 1);
    void *v = out;
    if (cv_grow(&v, &cap, cnt + 1, sizeof *out) != 0) {
      free(out);
      cv_status_set(st, "cv_pagebreak: out of memory (%zu pages)", cnt + 1);
      return -1;
    }
    out = v;
    out[cnt++] = end;
    /* A cut through unbreakable material may end at a box: that box is not
     * a break item and begins the next page. */
    size_t next = end < n && items[end].kind == CV_VBOX ? end : end + 1;
    start = skip_discardable(items, n, next);
  }
  if (cnt > 0)
    out[cnt - 1] = n; /* only discardable items follow the last break */
  *breaks = out;
  *npages = cnt;
  return 0;
}

/* cvpdf - the page builder: a vertical list of lines, glue and penalties
 * cut into pages (after tex.web part 45, ragged bottom). */
#ifndef CV_PAGEBUILD_H
#define CV_PAGEBUILD_H

#include <stddef.h>

#include "base/util.h"

typedef enum cv_vkind { CV_VBOX = 0, CV_VGLUE = 1, CV_VPENALTY = 2 } cv_vkind;

typedef struct cv_vitem {
  unsigned char kind;   /* cv_vkind */
  double height, depth; /* VBOX: a line or a rule */
  double width;         /* VGLUE: space */
  int penalty;          /* VPENALTY: 10000 forbids, -10000 forces */
  void *content;        /* VBOX: the caller's, untouched */
} cv_vitem;

/* Breaks items into pages of height page_height.  Legal breaks are a
 * penalty < 10000 and a glue that follows a box (TeX's rules); glue and
 * penalties after a break are discarded at the top of the next page.  Each
 * page ends at the legal break minimising penalty + the cost of the space
 * left empty (cubic in the unused fraction), ties going to the later break.
 * When a run of unbreakable material is taller than a page, the page is
 * broken at the last box that fits (never an overfull page).
 * (*breaks)[k] is the index of the item where page k ends (the break item;
 * == n for the last page); *npages pages.  Returns 0 or -1 with st.
 * The break item itself belongs to no page, except when a cut through
 * unbreakable material lands on a VBOX (two boxes with nothing between):
 * then that box is the first item of the next page. */
int cv_pagebreak(const cv_vitem *items, size_t n, double page_height,
                 size_t **breaks, size_t *npages, cv_status *st);

/* The same, one page at a time, for a list that is still growing: the
 * first item of a page whose material starts at `from` (what is
 * discardable at a page top is skipped; == n when nothing else is there
 * yet), and the item where the page starting at `start` ends.  Unless
 * final, CV_PAGE_OPEN means items not yet in the list could still move the
 * break.  cv_pagebreak is these two in a loop. */
#define CV_PAGE_OPEN ((size_t)-1)
size_t cv_page_start(const cv_vitem *items, size_t n, size_t from);
size_t cv_page_end(const cv_vitem *items, size_t n, size_t start,
                   double page_height, int final);
/* cv_page_end weighing the hole a break leaves at the page foot as TeX's
 * page builder weighs badness: a hole of more than three body lines (of
 * height `line`) costs CV_HOLE_LINE_COST, and as much again per line past
 * three, so a page breaks inside an entry at a soft penalty (a club line,
 * CV_SOFT_KEEP_PENALTY) rather than leave a larger hole. */
#define CV_HOLE_LINE_COST 200
size_t cv_page_end_holes(const cv_vitem *items, size_t n, size_t start,
                         double page_height, double line, int final);

/* Where cv_page_end_scan stopped on a list still growing (zero-initialise;
 * next == 0: nowhere).  A builder asks about the same page after each
 * block it adds; the answer for items[start, next) is kept, so each item
 * is looked at once a page rather than once a block. */
typedef struct cv_page_scan {
  size_t start, next;
  double page_height, line;
  double h, best_cost;
  size_t best, last_box;
} cv_page_scan;

/* cv_page_end_holes resuming where the last call on the same page, in
 * scan, stopped.  Only for a list that grows at its end: items[start,
 * scan->next) must be as they were when scanned (set scan->next to 0 when
 * they move or change). */
size_t cv_page_end_scan(const cv_vitem *items, size_t n, size_t start,
                        double page_height, double line, int final,
                        cv_page_scan *scan);

/* What a page broken at item `from` would need to go on to the next legal
 * break after a box: the space at the break, then what must go together
 * (a line, or a heading with the lines the keep rules hold to it).  -1
 * when the list ends first. */
double cv_page_first_unit(const cv_vitem *items, size_t n, size_t from);

#endif

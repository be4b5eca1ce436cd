/* cvpdf - Knuth-Plass total-fit line breaking (Knuth & Plass, "Breaking
 * paragraphs into lines", 1981; tex.web sections 813-890). */
#ifndef CV_LINEBREAK_H
#define CV_LINEBREAK_H

#include "text/nodes.h"
#include "base/util.h"

typedef struct cv_kp_params {
  double pretolerance;      /* first pass, no hyphenation; < 0 skips it (100) */
  double tolerance;         /* second pass, with hyphenation (200) */
  double emergency_stretch; /* third pass: added stretch per line, pt */
  int line_penalty;         /* \linepenalty (10) */
  int adj_demerits;         /* \adjdemerits: fitness class jump (10000) */
  int double_hyphen_demerits; /* \doublehyphendemerits (10000) */
  int final_hyphen_demerits;  /* \finalhyphendemerits (5000) */
  int looseness;              /* \looseness (0) */
  /* Lines from this one (0-based) on all have one width, as in TeX's
   * easy_line; -1 when any line may differ (-1).  Used for paragraphs
   * broken in windows only (see linebreak.c). */
  long same_width_from;
  /* At most this many hyphenated lines in a row, but on the last pass;
   * 0: no limit (0). */
  int max_hyphen_run;
  /* No last line that is only the tail of a word hyphenated before it,
   * but on the last pass (0). */
  int no_lone_tail;
  /* A paragraph's last line narrower than this (pt) costs
   * short_last_demerits, so a better break is taken where one exists
   * (0: no minimum). */
  double last_line_min;
  int short_last_demerits; /* (5000) */
} cv_kp_params;

void cv_kp_params_default(cv_kp_params *p);

/* One line: nodes [start, end) are its content (discardable glue and
 * penalties at its start already skipped); `brk` is the index of the node
 * where it breaks (== n for the end); ratio is the glue set ratio
 * (negative: shrink); hyphenated when it ends at a flagged penalty. */
typedef struct cv_line {
  size_t start, end, brk;
  double ratio;
  int hyphenated;
  int overfull; /* no feasible break: the line is wider than its measure */
} cv_line;

/* Width of line number i (0-based) for hanging indents, row parts... */
typedef double (*cv_line_width_fn)(void *ctx, size_t line);

/* Breaks nodes[0..n) into lines.  The list must end as a TeX paragraph
 * does: penalty 10000, glue with CV_FIL stretch (\parfillskip), penalty
 * -10000.  Passes: pretolerance without flagged penalties, tolerance with
 * them, then tolerance + emergency_stretch, then any line that is not
 * overfull with the finishing rules kept (and hyphens flagged
 * CV_HYPHEN_LAST_RESORT allowed), then a last pass that gives up the
 * rules and accepts overfull lines (never chosen while any feasible set
 * of breaks exists).  *lines is malloc'd (caller frees).  Returns 0, or
 * -1 with st on out of memory.  passes_used (may be NULL) gets 1..4 (4:
 * either of the last two). */
int cv_linebreak(const cv_hnode *nodes, size_t n, cv_line_width_fn width,
                 void *ctx, const cv_kp_params *p, cv_line **lines,
                 size_t *nlines, int *passes_used, cv_status *st);

/* First-fit breaking (what a word processor does), for comparison in tests
 * and benchmarks only. */
int cv_linebreak_greedy(const cv_hnode *nodes, size_t n, cv_line_width_fn width,
                        void *ctx, cv_line **lines, size_t *nlines,
                        cv_status *st);

/* Badness of a line with the given natural width, stretch and shrink set to
 * `target` (tex.web section 108): 0..10000, 10000+1 when overfull. */
int cv_badness(double target, double natural, double stretch, double shrink);

#endif

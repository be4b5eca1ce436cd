/* cvpdf - Knuth-Plass total-fit line breaking.
 *
 * Follows D. E. Knuth and M. F. Plass, "Breaking paragraphs into lines"
 * (Software: Practice and Experience 11, 1981) and TeX's implementation,
 * tex.web part 38 (sections 813-890).  Differences from TeX, and why:
 *  - widths come from prefix sums over the node list instead of TeX's
 *    delta nodes: the list is an array here, so the width between two
 *    positions is one subtraction and no delta bookkeeping is needed;
 *  - there are no discretionaries: a flagged penalty with a width (the
 *    hyphen) stands for one, as in the 1981 paper;
 *  - every line number is its own class (TeX's easy_line is never reached)
 *    because line widths come from a callback that may vary on any line,
 *    except in paragraphs broken in windows (below) and on the passes that
 *    take lines of any badness, when the caller says from which line on
 *    the widths are equal;
 *  - after the emergency pass, a fourth pass takes lines of any badness
 *    (true badness, no emergency stretch) but keeps the finishing rules,
 *    and only a fifth, overfull-accepting pass gives them up: a very
 *    loose line is better than a lone tail or a line past the margin;
 *    passes_used reports either as 4;
 *  - a paragraph of more than KP_WHOLE nodes is broken in windows of
 *    KP_WINDOW nodes: the best way through a window fixes the lines of its
 *    first half, and the next window starts after them.  The work and the
 *    memory of each window are bounded, where a whole long paragraph
 *    gathers ever more active and passive nodes (each line number is a
 *    class of its own, and one hard stretch sends the whole paragraph to
 *    the emergency passes).  There, as in TeX, the lines past
 *    same_width_from form one class, which keeps the active list short
 *    even for text that breaks after every character.  Shorter
 *    paragraphs, every ordinary one among them, are broken as a whole and
 *    exactly as before. */
#include "typeset/linebreak.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
#define INF_BAD 10000
#define AWFUL_BAD 1.0e30
/* Float slack when comparing widths that went through sums. */
#define EPS 1.0e-9
/* Nodes broken as a whole (some 1,300 words of text), and the window
 * longer paragraphs are broken in (some 50 lines). */
#define KP_WHOLE 4096
#define KP_WINDOW 2048

/* Fitness classes, tex.web section 817. */
enum { VERY_LOOSE_FIT = 0, LOOSE_FIT = 1, DECENT_FIT = 2, TIGHT_FIT = 3 };

/* An active node (tex.web section 819) with its own line-start index so the
 * width of the line it begins is a prefix-sum difference. */
typedef struct kp_active {
  size_t next;
  size_t pos;     /* break position; NONE for the paragraph start */
  size_t start;   /* first node of the line after this break */
  size_t passive; /* break chain; NONE for the paragraph start */
  long line;      /* 0-based number of the line that starts here */
  int fitness;
  int hyphenated; /* hyphenated lines in a row ending here */
  double demerits;
} kp_active;

/* A passive node (tex.web section 821): the chain of chosen breaks. */
typedef struct kp_passive {
  size_t pos;
  size_t prev;
  int fitness; /* of the line that ends here */
} kp_passive;

/* Where a run of the main loop starts: the break its first line follows
 * (NONE: the paragraph start), and what the line before it was. */
typedef struct kp_origin {
  size_t pos;
  size_t start; /* first node of the first line */
  long line;
  int fitness;
  int hyphenated;
} kp_origin;

typedef struct kp {
  const cv_hnode *nodes;
  size_t n;
  size_t final; /* position of the paragraph's end break */
  cv_line_width_fn width_fn;
  void *ctx;
  const cv_kp_params *p;
  double *w, *y, *z; /* prefix sums of width, stretch, shrink (n + 1) */
  size_t *next_box;  /* first box at or after i (n + 2 entries) */
  double *lw;        /* cached line widths */
  size_t nlw, caplw;
  kp_active *act;
  size_t nact, capact, free_act, head;
  kp_passive *pas;
  size_t npas, cappas;
  /* per pass */
  double threshold;
  double background_stretch;
  int final_pass;
  int allow_flagged;
  int allow_last_resort; /* hyphens of flag CV_HYPHEN_LAST_RESORT */
  long easy_line; /* first line of the one class of equal lines; -1: none */
  int oom;
} kp;

void cv_kp_params_default(cv_kp_params *p) {
  memset(p, 0, sizeof *p);
  p->pretolerance = 100;
  p->tolerance = 200;
  p->emergency_stretch = 0;
  p->line_penalty = 10;
  p->adj_demerits = 10000;
  p->double_hyphen_demerits = 10000;
  p->final_hyphen_demerits = 5000;
  p->looseness = 0;
  p->same_width_from = -1;
  p->short_last_demerits = 5000;
}

/* tex.web section 108: badness is about 100 (t/s)^3.  TeX's integer
 * arithmetic only approximates this; in doubles we take it directly. */
static int badness_ts(double t, double s) {
  if (t <= EPS)
    return 0;
  if (s <= EPS)
    return INF_BAD;
  double r = t / s;
  if (r > 4.65) /* 100 * 4.65^3 > 10000: avoid needless cubes */
    return INF_BAD;
  double b = floor(100.0 * r * r * r + 0.5);
  return b > INF_BAD ? INF_BAD : (int)b;
}

int cv_badness(double target, double natural, double stretch, double shrink) {
  if (target >= natural)
    return badness_ts(target - natural, stretch);
  if (natural - target > shrink + EPS)
    return INF_BAD + 1;
  return badness_ts(natural - target, shrink);
}

/* ---- shared measuring ------------------------------------------------ */

static int is_forced(const cv_hnode *nd) {
  return nd->kind == CV_PENALTY && nd->penalty <= CV_EJECT_PENALTY;
}

/* Natural width, stretch and shrink of the line [start, b) broken at b. */
static void measure(const kp *k, size_t start, size_t b, double *nat,
                    double *st, double *sh) {
  double pw =
      b < k->n && k->nodes[b].kind == CV_PENALTY ? k->nodes[b].width : 0.0;
  if (start >= b) { /* empty line between a break and a forced penalty */
    *nat = pw;
    *st = *sh = 0;
    return;
  }
  *nat = k->w[b] - k->w[start] + pw;
  *st = k->y[b] - k->y[start];
  *sh = k->z[b] - k->z[start];
}

static size_t start_after(const kp *k, size_t b) {
  return b >= k->n ? k->n : k->next_box[b + 1];
}

static double line_width(kp *k, long line) {
  size_t l = (size_t)line;
  while (k->nlw <= l) {
    void *v = k->lw;
    if (cv_grow(&v, &k->caplw, k->nlw + 1, sizeof *k->lw) != 0) {
      k->oom = 1;
      return 0;
    }
    k->lw = v;
    k->lw[k->nlw] = k->width_fn(k->ctx, k->nlw);
    k->nlw++;
  }
  return k->lw[l];
}

static int prepare(kp *k) {
  size_t n = k->n;
  k->w = cv_malloc_n(n + 1, sizeof *k->w);
  k->y = cv_malloc_n(n + 1, sizeof *k->y);
  k->z = cv_malloc_n(n + 1, sizeof *k->z);
  k->next_box = cv_malloc_n(n + 2, sizeof *k->next_box);
  if (!k->w || !k->y || !k->z || !k->next_box)
    return -1;
  k->w[0] = k->y[0] = k->z[0] = 0;
  for (size_t i = 0; i < n; i++) {
    const cv_hnode *nd = &k->nodes[i];
    /* A penalty's width counts only on the line it ends (measure()). */
    double w = nd->kind == CV_PENALTY ? 0.0 : nd->width;
    int glue = nd->kind == CV_GLUE;
    k->w[i + 1] = k->w[i] + w;
    k->y[i + 1] = k->y[i] + (glue ? nd->stretch : 0.0);
    k->z[i + 1] = k->z[i] + (glue ? nd->shrink : 0.0);
  }
  k->next_box[n] = k->next_box[n + 1] = n;
  for (size_t i = n; i-- > 0;)
    k->next_box[i] = k->nodes[i].kind == CV_BOX ? i : k->next_box[i + 1];
  k->final = n > 0 && is_forced(&k->nodes[n - 1]) ? n - 1 : n;
  return 0;
}

static void kp_free(kp *k) {
  free(k->w);
  free(k->y);
  free(k->z);
  free(k->next_box);
  free(k->lw);
  free(k->act);
  free(k->pas);
}

/* ---- active and passive nodes ---------------------------------------- */

static size_t new_active(kp *k) {
  if (k->free_act != NONE) {
    size_t r = k->free_act;
    k->free_act = k->act[r].next;
    return r;
  }
  void *v = k->act;
  if (cv_grow(&v, &k->capact, k->nact + 1, sizeof *k->act) != 0) {
    k->oom = 1;
    return NONE;
  }
  k->act = v;
  return k->nact++;
}

static size_t new_passive(kp *k, size_t pos, size_t prev, int fitness) {
  void *v = k->pas;
  if (cv_grow(&v, &k->cappas, k->npas + 1, sizeof *k->pas) != 0) {
    k->oom = 1;
    return NONE;
  }
  k->pas = v;
  k->pas[k->npas].pos = pos;
  k->pas[k->npas].prev = prev;
  k->pas[k->npas].fitness = fitness;
  return k->npas++;
}

/* What try_break collects per line class: tex.web section 833. */
typedef struct kp_best {
  double minimal[4];
  size_t place[4];
  long line[4];
  int hyphens[4]; /* hyphenated lines in a row before the break */
  double minimum;
} kp_best;

static void best_reset(kp_best *bs) {
  for (int f = 0; f < 4; f++)
    bs->minimal[f] = AWFUL_BAD;
  bs->minimum = AWFUL_BAD;
}

/* tex.web sections 835-836, 845: new active nodes for the best ways to
 * reach break b, one per fitness class within adj_demerits of the best.
 * They go after `prev` (NONE: list head); returns the last one inserted. */
static size_t insert_breaks(kp *k, kp_best *bs, size_t b, int flagged,
                            size_t prev) {
  double limit = bs->minimum + abs(k->p->adj_demerits);
  for (int f = 0; f < 4; f++) {
    if (bs->minimal[f] > limit)
      continue;
    size_t ps = new_passive(k, b, bs->place[f], f);
    size_t q = ps == NONE ? NONE : new_active(k);
    if (q == NONE)
      return prev;
    kp_active *a = &k->act[q];
    a->pos = b;
    a->start = start_after(k, b);
    a->passive = ps;
    a->line = bs->line[f] + 1;
    a->fitness = f;
    a->hyphenated = flagged ? bs->hyphens[f] + 1 : 0;
    a->demerits = bs->minimal[f];
    if (prev == NONE) {
      a->next = k->head;
      k->head = q;
    } else {
      a->next = k->act[prev].next;
      k->act[prev].next = q;
    }
    prev = q;
  }
  best_reset(bs);
  return prev;
}

/* tex.web sections 851-853: badness and fitness class of a line. */
static int line_badness(double shortfall, double stretch, double shrink,
                        int *fit) {
  int bad;
  if (shortfall > 0) {
    bad = badness_ts(shortfall, stretch);
    *fit = bad > 99 ? VERY_LOOSE_FIT : bad > 12 ? LOOSE_FIT : DECENT_FIT;
    return bad;
  }
  if (-shortfall > shrink + EPS)
    bad = INF_BAD + 1;
  else
    bad = badness_ts(-shortfall, shrink);
  *fit = bad > 12 ? TIGHT_FIT : DECENT_FIT;
  return bad;
}

/* tex.web section 859. */
static double line_demerits(const kp *k, const kp_active *a, int bad, int fit,
                            int pi, int flagged, int is_final) {
  double d = (double)k->p->line_penalty + bad;
  d = fabs(d) >= 10000 ? 1.0e8 : d * d;
  if (pi > 0)
    d += (double)pi * pi;
  else if (pi > CV_EJECT_PENALTY)
    d -= (double)pi * pi;
  /* TeX treats the paragraph end as a hyphenated break, so a hyphen on
   * the second-to-last line costs final_hyphen_demerits. */
  if (a->hyphenated && is_final)
    d += k->p->final_hyphen_demerits;
  else if (a->hyphenated && flagged)
    d += k->p->double_hyphen_demerits;
  if (abs(fit - a->fitness) > 1)
    d += k->p->adj_demerits;
  return d;
}

/* Only the last passes take a line of badness INF_BAD, which is every
 * line stretched past 4.65 times its stretch: the demerits TeX gives it
 * are the same whether the line is a little too loose or one word spread
 * over the measure, so those passes could set "There" and "are" at the
 * two ends of a line rather than a loose full line.  This adds demerits
 * that grow with the stretch past badness INF_BAD (as the square of
 * 100 r^3, as TeX's demerits grow with badness below it), 0 for any line
 * TeX's badness tells apart. */
static double beyond_inf(double shortfall, double stretch) {
  if (shortfall <= EPS)
    return 0;
  double r = stretch > EPS ? shortfall / stretch : 1.0e3;
  if (r <= 4.65)
    return 0;
  r = r > 1.0e3 ? 1.0e3 : r;
  double b = 100.0 * r * r * r - INF_BAD;
  return b > 0 ? b * b : 0;
}

/* Whether nodes [a, b) hold a space (glue with a width). */
static int has_space(const kp *k, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (k->nodes[i].kind == CV_GLUE && k->nodes[i].width > 0)
      return 1;
  return 0;
}

/* Rules TeX leaves to demerits, kept here as limits: no more than
 * max_hyphen_run hyphenated lines in a row and no last line that is only
 * a word's tail (but on the last pass), and a cost for a last line
 * shorter than last_line_min.  Returns -1 when the
 * line may not end at this break, else the demerits to add. */
static double finishing(const kp *k, const kp_active *a, double nat,
                        int flagged, int is_final) {
  const cv_kp_params *p = k->p;
  if (flagged && p->max_hyphen_run > 0 && a->hyphenated >= p->max_hyphen_run &&
      !k->final_pass)
    return -1;
  /* No last line that is only the tail of a word hyphenated on the line
   * before ("perfor-" / "mance."), unless no other way exists. */
  if (is_final && a->hyphenated && p->no_lone_tail && !k->final_pass &&
      !has_space(k, a->start, k->final))
    return -1;
  if (is_final && a->pos != NONE && nat < p->last_line_min)
    return p->short_last_demerits;
  return 0;
}

static void unlink_active(kp *k, size_t prev, size_t r) {
  size_t next = k->act[r].next;
  if (prev == NONE)
    k->head = next;
  else
    k->act[prev].next = next;
  k->act[r].next = k->free_act;
  k->free_act = r;
}

/* The active node after r; r stays in the list (and becomes *prev) or
 * leaves it. */
static size_t pass_on(kp *k, size_t *prev, size_t r, int stays) {
  size_t next = k->act[r].next;
  if (stays)
    *prev = r;
  else
    unlink_active(k, *prev, r);
  return next;
}

/* On the final pass, the active node a break leaves behind whose line
 * reaches least far past the measure (then the one with the fewest
 * demerits): it ends the paragraph's way through an overfull line if no
 * other way is left.  tex.web section 854 keeps the last node in the list,
 * which may put words that fitted elsewhere on the overfull line. */
typedef struct kp_artificial {
  double over, demerits;
  size_t passive;
  long line;
  int fit;
} kp_artificial;

/* tex.web sections 829-860: try a break at position b with penalty pi. */
static void try_break(kp *k, size_t b, int pi, int flagged) {
  kp_best bs;
  best_reset(&bs);
  kp_artificial art = {AWFUL_BAD, AWFUL_BAD, NONE, 0, DECENT_FIT};
  int is_final = b == k->final;
  size_t prev = NONE, r = k->head;
  long old_l = -1;
  double lw = 0;
  for (;;) {
    long l = r == NONE ? LONG_MAX : k->act[r].line;
    if (r == NONE && k->head == NONE && bs.minimum >= AWFUL_BAD &&
        art.demerits < AWFUL_BAD) {
      bs.minimal[art.fit] = bs.minimum = art.demerits;
      bs.place[art.fit] = art.passive;
      bs.line[art.fit] = art.line;
      bs.hyphens[art.fit] = 0;
    }
    if (l > old_l) { /* section 835: a new line class begins */
      if (bs.minimum < AWFUL_BAD)
        prev = insert_breaks(k, &bs, b, flagged, prev);
      if (r == NONE || k->oom)
        return;
      /* Section 835: lines from easy_line on are one class. */
      old_l = k->easy_line >= 0 && l >= k->easy_line ? LONG_MAX - 1 : l;
      lw = line_width(k, l);
    }
    kp_active *a = &k->act[r];
    double nat, st, sh;
    measure(k, a->start, b, &nat, &st, &sh);
    int fit;
    int bad = line_badness(lw - nat, st + k->background_stretch, sh, &fit);
    /* Section 854: r cannot reach past b. */
    int stays = !(bad > INF_BAD || pi <= CV_EJECT_PENALTY);
    double over = nat - sh - lw;
    if (!stays && k->final_pass && bad > k->threshold &&
        (over < art.over - EPS ||
         (over < art.over + EPS && a->demerits < art.demerits))) {
      art.over = over;
      art.demerits = a->demerits;
      art.passive = a->passive;
      art.line = l;
      art.fit = fit;
    }
    /* No line from a to here; a stays if it can reach on. */
    double fin =
        bad > k->threshold ? -1 : finishing(k, a, nat, flagged, is_final);
    if (fin < 0) {
      r = pass_on(k, &prev, r, stays);
      continue;
    }
    double d = line_demerits(k, a, bad, fit, pi, flagged, is_final) + fin;
    d += a->demerits + beyond_inf(lw - nat, st + k->background_stretch);
    if (d <= bs.minimal[fit]) { /* section 855 */
      bs.minimal[fit] = d;
      bs.place[fit] = a->passive;
      bs.line[fit] = l;
      bs.hyphens[fit] = a->hyphenated;
      if (d < bs.minimum)
        bs.minimum = d;
    }
    r = pass_on(k, &prev, r, stays);
  }
}

/* Whether node i is a legal breakpoint in this pass (tex.web section 866),
 * and its penalty. */
static int legal_break(const kp *k, size_t i, int *pi, int *flagged) {
  const cv_hnode *nd = &k->nodes[i];
  *pi = 0;
  *flagged = 0;
  if (i == k->final) {
    *pi = CV_EJECT_PENALTY;
    return 1;
  }
  if (nd->kind == CV_GLUE)
    return i > 0 && k->nodes[i - 1].kind == CV_BOX;
  if (nd->kind != CV_PENALTY || nd->penalty >= CV_INF_PENALTY)
    return 0;
  if (nd->flagged && !k->allow_flagged)
    return 0;
  if (nd->flagged == CV_HYPHEN_LAST_RESORT && !k->allow_last_resort)
    return 0;
  *pi = nd->penalty < CV_EJECT_PENALTY ? CV_EJECT_PENALTY : nd->penalty;
  *flagged = nd->flagged ? 1 : 0;
  return 1;
}

/* One pass of the main loop (tex.web section 863) from origin o through
 * break position last.  Returns 1 when some active node is left: one that
 * reached the paragraph end, when last is the end. */
static int run_pass(kp *k, const kp_origin *o, size_t last) {
  k->nact = 0;
  k->npas = 0;
  k->free_act = NONE;
  k->head = new_active(k);
  if (k->head == NONE)
    return 0;
  kp_active *a = &k->act[k->head];
  memset(a, 0, sizeof *a);
  a->next = NONE;
  a->pos = o->pos;
  a->start = o->start; /* like TeX, nothing is discarded before line 1 */
  a->passive = NONE;
  a->line = o->line;
  a->fitness = o->fitness;
  a->hyphenated = o->hyphenated;
  size_t i = o->pos == NONE ? 0 : o->pos + 1;
  for (; i <= last && k->head != NONE && !k->oom; i++) {
    int pi, flagged;
    if (i == k->n) {
      try_break(k, i, CV_EJECT_PENALTY, 0); /* list without an end penalty */
      break;
    }
    if (legal_break(k, i, &pi, &flagged))
      try_break(k, i, pi, flagged);
  }
  return k->head != NONE && !k->oom;
}

static size_t fewest_demerits(const kp *k) {
  size_t best = NONE;
  for (size_t r = k->head; r != NONE; r = k->act[r].next)
    if (best == NONE || k->act[r].demerits < k->act[best].demerits)
      best = r;
  return best;
}

/* tex.web sections 874-875: the best active node, honouring looseness.
 * *exact says whether the looseness asked for was reached. */
static size_t choose_best(const kp *k, int *exact) {
  size_t best = fewest_demerits(k);
  *exact = 1;
  int looseness = k->p->looseness;
  if (looseness == 0 || best == NONE)
    return best;
  long best_line = k->act[best].line;
  long actual = 0;
  double fewest = k->act[best].demerits;
  for (size_t r = k->head; r != NONE; r = k->act[r].next) {
    long diff = k->act[r].line - best_line;
    if ((diff < actual && looseness <= diff) ||
        (diff > actual && looseness >= diff)) {
      best = r;
      actual = diff;
      fewest = k->act[r].demerits;
    } else if (diff == actual && k->act[r].demerits < fewest) {
      best = r;
      fewest = k->act[r].demerits;
    }
  }
  *exact = actual == looseness;
  return best;
}

static void fill_line(kp *k, cv_line *ln, size_t line, size_t start, size_t b) {
  double nat, st, sh;
  if (start > b)
    start = b;
  measure(k, start, b, &nat, &st, &sh);
  double lw = line_width(k, (long)line);
  ln->start = start;
  ln->end = b;
  ln->brk = b == k->final ? k->n : b;
  ln->hyphenated =
      b < k->n && k->nodes[b].kind == CV_PENALTY && k->nodes[b].flagged;
  ln->overfull = nat - sh > lw + EPS;
  if (lw >= nat)
    ln->ratio = st > EPS ? (lw - nat) / st : 0.0;
  else
    ln->ratio = sh > EPS ? fmax(-1.0, (lw - nat) / sh) : 0.0;
}

/* The breaks chosen so far, in order: positions, and the fitness class
 * of the line each ends. */
typedef struct kp_breaks {
  size_t *pos;
  int *fit;
  size_t n, cap, capfit;
} kp_breaks;

/* Section 876-877: walks the passive chain of active node best back and
 * appends its breaks at positions up to cut, or its first break when none
 * is that early. */
static int take_breaks(kp *k, size_t best, size_t cut, kp_breaks *out) {
  size_t count = 0, keep = 0;
  for (size_t ps = k->act[best].passive; ps != NONE; ps = k->pas[ps].prev) {
    count++;
    keep += k->pas[ps].pos <= cut;
  }
  if (keep == 0 && count > 0)
    keep = 1;
  if (cv_grow((void **)&out->pos, &out->cap, out->n + count,
              sizeof *out->pos) != 0 ||
      cv_grow((void **)&out->fit, &out->capfit, out->n + count,
              sizeof *out->fit) != 0)
    return -1;
  size_t j = out->n + count;
  for (size_t ps = k->act[best].passive; ps != NONE; ps = k->pas[ps].prev) {
    out->pos[--j] = k->pas[ps].pos;
    out->fit[j] = k->pas[ps].fitness;
  }
  out->n += keep;
  return 0;
}

static int build_lines(kp *k, const kp_breaks *bk, cv_line **lines,
                       size_t *nlines) {
  cv_line *out = cv_calloc_n(bk->n ? bk->n : 1, sizeof *out);
  if (!out)
    return -1;
  size_t start = 0;
  for (size_t j = 0; j < bk->n; j++) {
    size_t b = bk->pos[j];
    fill_line(k, &out[j], j, start, b);
    start = start_after(k, b);
  }
  *lines = out;
  *nlines = bk->n;
  return k->oom ? -1 : 0;
}

static void set_pass(kp *k, int pass) {
  const cv_kp_params *p = k->p;
  k->threshold = pass == 1 ? p->pretolerance : p->tolerance;
  /* Unlike TeX, the last passes take any line that is not overfull (as
   * \tolerance=10000 would): a loose line is better than one past the
   * margin, and a line is overfull only when one box is wider than the
   * measure.  Pass 4 still keeps the finishing rules and measures true
   * badness, so a loose line is spread over the paragraph rather than
   * flattened by the emergency stretch; only pass 5 gives up the rules
   * and accepts overfull lines. */
  if (pass >= 4)
    k->threshold = INF_BAD;
  k->allow_flagged = pass != 1;
  k->allow_last_resort = pass >= 4;
  k->background_stretch = (pass == 3 || pass == 5) && p->emergency_stretch > 0
                              ? p->emergency_stretch
                              : 0.0;
  k->final_pass = pass == 5;
  /* The last passes take lines of any badness, so every break can be
   * reached in almost any number of lines: with a class per line number
   * the active list grows as breaks times lines (7,065 nodes and 3 ms for
   * one 245-node bullet).  There, as TeX always does, the equal lines are
   * one class; earlier passes keep a class per line. */
  k->easy_line = k->n > KP_WHOLE || (pass >= 4 && p->looseness == 0)
                     ? p->same_width_from
                     : -1;
}

/* Whether a pass is the last one allowed to succeed feasibly, where a
 * missed looseness is accepted (TeX's final_pass without overfull). */
static int last_feasible_pass(const kp *k, int pass) {
  return pass >= 3 || (pass == 2 && !(k->p->emergency_stretch > 0));
}

static int pass_wanted(const kp *k, int pass) {
  if (pass == 1)
    return k->p->pretolerance >= 0;
  if (pass == 3)
    return k->p->emergency_stretch > 0;
  return 1;
}

/* The passes over one window, from origin o through break position last
 * (tex.web section 863): the first to get through wins.  At the paragraph
 * end a missed looseness sends the work on to the next pass, as in TeX.
 * Returns the pass used, with the best active node in *best; 0 when out of
 * memory. */
static int window_passes(kp *k, const kp_origin *o, size_t last, size_t *best) {
  int at_end = last >= k->final;
  for (int pass = 1; pass <= 5; pass++) {
    if (!pass_wanted(k, pass))
      continue;
    set_pass(k, pass);
    int ok = run_pass(k, o, last);
    if (k->oom)
      return 0;
    if (!ok)
      continue;
    int exact = 1;
    *best = at_end ? choose_best(k, &exact) : fewest_demerits(k);
    if (!exact && !last_feasible_pass(k, pass))
      continue;
    return pass > 4 ? 4 : pass;
  }
  return 0;
}

/* Breaks the paragraph window by window (one window when it is short);
 * returns the highest pass any window needed, 0 when out of memory. */
static int break_windows(kp *k, kp_breaks *bk) {
  kp_origin o = {NONE, 0, 0, DECENT_FIT, 0};
  int most = 0, whole = 0;
  for (;;) {
    whole = whole || k->n - o.start <= (o.pos == NONE ? KP_WHOLE : KP_WINDOW);
    size_t last = whole ? k->final : o.start + KP_WINDOW - 1;
    size_t best = NONE, before = bk->n;
    int pass = window_passes(k, &o, last, &best);
    if (pass == 0)
      return 0;
    most = pass > most ? pass : most;
    size_t cut = whole ? SIZE_MAX : o.start + KP_WINDOW / 2;
    if (take_breaks(k, best, cut, bk) != 0)
      return 0;
    if (whole)
      return most;
    if (bk->n == before) { /* no break in the window: take the rest */
      whole = 1;
      continue;
    }
    size_t b = bk->pos[bk->n - 1];
    o.pos = b;
    o.start = start_after(k, b);
    o.line = (long)bk->n;
    o.fitness = bk->fit[bk->n - 1];
    o.hyphenated = k->nodes[b].kind == CV_PENALTY && k->nodes[b].flagged;
  }
}

/* Both breakers refuse a list without nodes or widths: non-zero, with
 * msg in st. */
static int no_input(const cv_hnode *nodes, size_t n, cv_line_width_fn width,
                    const char *msg, cv_status *st) {
  if (width && (n == 0 || nodes))
    return 0;
  cv_status_set(st, "%s", msg);
  return 1;
}

/* The state both breakers read the nodes through. */
static void kp_init(kp *k, const cv_hnode *nodes, size_t n,
                    cv_line_width_fn width, void *ctx, const cv_kp_params *p) {
  memset(k, 0, sizeof *k);
  k->nodes = nodes;
  k->n = n;
  k->width_fn = width;
  k->ctx = ctx;
  k->p = p;
  k->free_act = k->head = NONE;
}

int cv_linebreak(const cv_hnode *nodes, size_t n, cv_line_width_fn width,
                 void *ctx, const cv_kp_params *p, cv_line **lines,
                 size_t *nlines, int *passes_used, cv_status *st) {
  *lines = NULL;
  *nlines = 0;
  if (passes_used)
    *passes_used = 0;
  if (no_input(nodes, n, width,
               "cv_linebreak: no nodes or no line width callback", st))
    return -1;
  if (n == 0)
    return 0;
  cv_kp_params defaults;
  if (!p) {
    cv_kp_params_default(&defaults);
    p = &defaults;
  }
  kp k;
  kp_init(&k, nodes, n, width, ctx, p);
  int rc = -1;
  if (prepare(&k) != 0)
    goto out;
  kp_breaks bk = {0};
  int pass = break_windows(&k, &bk);
  if (pass > 0 && passes_used)
    *passes_used = pass;
  if (pass > 0)
    rc = build_lines(&k, &bk, lines, nlines);
  free(bk.pos);
  free(bk.fit);
out:
  if (rc != 0) {
    free(*lines);
    *lines = NULL;
    *nlines = 0;
    cv_status_set(st, "cv_linebreak: out of memory (%zu nodes)", n);
  }
  kp_free(&k);
  return rc;
}

/* ---- first fit -------------------------------------------------------- */

static int greedy_push(cv_line **out, size_t *cnt, size_t *cap) {
  void *v = *out;
  if (cv_grow(&v, cap, *cnt + 1, sizeof **out) != 0)
    return -1;
  *out = v;
  (*cnt)++;
  return 0;
}

/* Fills as much as fits on each line, shrinking glue if needed (the
 * "first-fit" method of Knuth & Plass 1981, section 2). */
int cv_linebreak_greedy(const cv_hnode *nodes, size_t n, cv_line_width_fn width,
                        void *ctx, cv_line **lines, size_t *nlines,
                        cv_status *st) {
  *lines = NULL;
  *nlines = 0;
  if (no_input(nodes, n, width,
               "cv_linebreak_greedy: no nodes or no width callback", st))
    return -1;
  if (n == 0)
    return 0;
  cv_kp_params p;
  cv_kp_params_default(&p);
  kp k;
  kp_init(&k, nodes, n, width, ctx, &p);
  k.allow_flagged = 1;
  cv_line *out = NULL;
  size_t cnt = 0, cap = 0, start = 0, last_fit = NONE;
  if (prepare(&k) != 0)
    goto oom;
  for (size_t i = 0; i <= k.final;) {
    int pi = CV_EJECT_PENALTY, flagged = 0;
    if (i < n && !legal_break(&k, i, &pi, &flagged)) {
      i++;
      continue;
    }
    double nat, stretch, shrink;
    measure(&k, start, i, &nat, &stretch, &shrink);
    double lw = line_width(&k, (long)cnt);
    int fits = nat - shrink <= lw + EPS;
    size_t b = i;
    if (fits && pi > CV_EJECT_PENALTY) {
      last_fit = i++;
      continue;
    }
    if (!fits && last_fit != NONE)
      b = last_fit; /* i is looked at again on the next line */
    if (greedy_push(&out, &cnt, &cap) != 0)
      goto oom;
    fill_line(&k, &out[cnt - 1], cnt - 1, start, b);
    start = start_after(&k, b);
    last_fit = NONE;
    if (b == i)
      i++;
  }
  if (k.oom)
    goto oom;
  kp_free(&k);
  *lines = out;
  *nlines = cnt;
  return 0;
oom:
  kp_free(&k);
  free(out);
  cv_status_set(st, "cv_linebreak_greedy: out of memory (%zu nodes)", n);
  return -1;
}

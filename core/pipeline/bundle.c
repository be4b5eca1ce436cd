/* cvpdf - a bundle: several documents (a cover letter, a CV, a list of
 * publications), each set in its own layout, written as one PDF.
 *
 * The documents are rendered one after the other into one PDF writer, so
 * fonts the parts share are embedded once and the file is written once,
 * atomically.  Each part's outline entries go under an entry of its own,
 * its structure elements under a Part element of the bundle's Document,
 * and its page numbers run on from the part before it or start again at
 * 1, as its layout's page_numbers: says; a trace holds the pages of all
 * of them.  Running headers and footers are
 * set only once every part has its pages, since {pages} may count pages
 * of several parts. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/render_int.h"
#include "text/text.h"

typedef struct bundle {
  const cv_render_opts *o;
  cv_diags *d;
  cv_render_stats *stats;
  cv_part **parts;
  cv_render_opts *popts; /* each part's options, which the part keeps */
  size_t n;
  size_t *pages; /* each part's */
  cv_pdf *pdf;   /* NULL: -o /dev/null, or a part failed */
  cv_structure tree;
  cv_inputs inputs; /* every part's */
  size_t total;
  const char *title; /* the PDF's, or NULL: the first part's */
} bundle;

static int oom(bundle *b) {
  cv_diags_add(b->d, CV_SEV_ERROR, b->o->input, 0, 0, "out of memory");
  return -1;
}

/* Appends part p's elements to the bundle's tree: its Document becomes a
 * Part of the bundle's, the others keep their parents, shifted. */
static int add_structure(bundle *b, const cv_structure *s) {
  uint32_t base = (uint32_t)b->tree.n - 1;
  for (size_t e = 1; s && e < s->n; e++) {
    cv_role role = e == 1 ? CV_ROLE_PART : (cv_role)s->v[e].role;
    uint32_t parent = e == 1 ? 1 : s->v[e].parent + base;
    uint32_t at = cv_structure_add(&b->tree, role, parent);
    if (!at)
      return -1;
    b->tree.v[at].numbered = s->v[e].numbered;
    b->tree.v[at].alt = s->v[e].alt;
  }
  return 0;
}

static int add_inputs(bundle *b, const cv_inputs *in) {
  for (size_t i = 0; i < in->n; i++) {
    struct stat sb = {.st_dev = in->v[i].dev, .st_ino = in->v[i].ino};
    if (cv_inputs_add(&b->inputs, &sb, in->v[i].path) < 0)
      return -1;
  }
  return 0;
}

/* Builds part i with opts po and delivers its pages.  A part that fails
 * stops the PDF, not the checking of the parts after it. */
static int build_part(bundle *b, size_t i, const cv_render_opts *po) {
  size_t max = b->o->max_pages ? b->o->max_pages : CV_DEFAULT_MAX_PAGES;
  cv_part_place at = {.pdf = b->pdf,
                      .page_base = b->total,
                      .tag_base = (uint32_t)b->tree.n - 1,
                      .max_pages = max > b->total ? max - b->total : 0,
                      .first = i == 0};
  cv_render_stats st;
  memset(&st, 0, sizeof st);
  b->parts[i] = cv_part_build(po, &at, b->d, &st);
  if (b->parts[i] && po->check_only)
    return 0;
  if (!b->parts[i] || cv_part_flush(b->parts[i], &b->pages[i]) < 0 ||
      add_structure(b, cv_part_structure(b->parts[i])) < 0 ||
      add_inputs(b, cv_part_inputs(b->parts[i])) < 0) {
    cv_pdf_free(b->pdf);
    b->pdf = NULL;
    return -1;
  }
  b->total += b->pages[i];
  b->stats->t_shape += st.t_shape;
  b->stats->t_break += st.t_break;
  b->stats->lines += st.lines;
  b->stats->paragraphs += st.paragraphs;
  b->stats->hyphenated += st.hyphenated;
  b->stats->overfull += st.overfull;
  return 0;
}

/* Running headers and footers: a part that continues the one before it
 * is numbered on from it, and {pages} counts the pages of the run of
 * parts numbered together. */
static int finish_parts(bundle *b) {
  size_t first = 1;
  for (size_t i = 0; i < b->n; i++) {
    if (i == 0 || !cv_part_continues(b->parts[i]))
      first = 1;
    size_t total = first - 1;
    for (size_t k = i; k < b->n && (k == i || cv_part_continues(b->parts[k]));
         k++)
      total += b->pages[k];
    if (cv_part_finish(b->parts[i], first, total) < 0)
      return -1;
    first += b->pages[i];
  }
  return 0;
}

/* The trace of every part's pages, in order. */
static int write_trace(bundle *b, const cv_docinfo *info) {
  cv_docout all;
  cv_docout_init(&all);
  all.info = *info;
  all.pages = cv_calloc_n(b->total ? b->total : 1, sizeof *all.pages);
  if (!all.pages)
    return oom(b);
  for (size_t i = 0; i < b->n; i++) {
    const cv_docout *d = cv_part_pages(b->parts[i]);
    for (size_t k = 0; k < d->npages && all.npages < b->total; k++)
      all.pages[all.npages++] = d->pages[k]; /* borrowed */
  }
  int rc = cv_put_trace(b->o, &all, &b->inputs, b->d);
  free(all.pages);
  return rc;
}

/* The bundle's document information: the first part's, with the
 * structure of all of them; then the trace and the PDF. */
static int write_bundle(bundle *b) {
  cv_docinfo info = *cv_part_info(b->parts[0]);
  info.structure = &b->tree;
  if (b->title)
    info.title = b->title;
  if (b->o->trace && write_trace(b, &info) < 0)
    return -1;
  if (!b->pdf)
    return 0;
  return cv_put_pdf(b->o, b->pdf, &info, b->o->output, &b->inputs, b->d,
                    &b->stats->bytes);
}

static int run(bundle *b) {
  const cv_render_opts *o = b->o;
  cv_status st = {0};
  if (!cv_structure_add(&b->tree, CV_ROLE_DOCUMENT, 0))
    return oom(b);
  if (!o->check_only && strcmp(o->output, "/dev/null") &&
      !(b->pdf = cv_pdf_new(&st))) {
    cv_diags_add(b->d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
    return -1;
  }
  int bad = 0;
  for (size_t i = 0; i < b->n; i++) {
    cv_render_opts *po = &b->popts[i];
    *po = *o;
    po->input = o->bundle[i];
    po->bundle = NULL;
    po->data = NULL;
    /* One file is PDF/A or not: the first part's pdf: decides for all,
     * so that what the others bring is checked against it too. */
    if (i > 0 && !o->pdfa && b->parts[0])
      po->pdfa = cv_part_pdfa(b->parts[0]) ? 1 : -1;
    if (build_part(b, i, po) < 0)
      bad = 1;
  }
  if (bad || o->check_only)
    return bad ? -1 : 0;
  b->stats->pages = b->total;
  double t = cv_now();
  if (finish_parts(b) < 0 || write_bundle(b) < 0)
    return -1;
  b->stats->t_write = cv_now() - t;
  return 0;
}

int cv_render_bundle(const cv_render_opts *o, cv_diags *d,
                     cv_render_stats *stats) {
  return cv_render_bundle_of(o, NULL, NULL, d, stats);
}

int cv_render_bundle_of(const cv_render_opts *o, const char *title,
                        const cv_inputs *more, cv_diags *d,
                        cv_render_stats *stats) {
  memset(stats, 0, sizeof *stats); /* cv_render's, never NULL */
  double t0 = cv_now();
  bundle b = {.o = o, .d = d, .stats = stats, .title = title};
  if (!o->output) {
    cv_diags_add(d, CV_SEV_ERROR, o->input, 0, 0,
                 "a bundle needs an output file (-o application.pdf)");
    return -1;
  }
  snprintf(stats->output, sizeof stats->output, "%s", o->output);
  while (o->bundle[b.n])
    b.n++;
  /* One font cache for every part: a font the parts share is one font
   * object of the PDF (pdf_fonts.c's find_font). */
  cv_status st = {0};
  cv_render_opts shared = *o;
  cv_fontcache *fonts = NULL;
  cv_hyphcache *hyph = NULL;
  if (!o->font_cache && !(shared.font_cache = fonts = cv_fontcache_create(&st)))
    return oom(&b);
  if (!o->hyph_cache && !(shared.hyph_cache = hyph = cv_hyphcache_create())) {
    cv_fontcache_destroy(fonts);
    return oom(&b);
  }
  b.o = &shared;
  cv_inputs_init(&b.inputs);
  if (more && add_inputs(&b, more) < 0) {
    cv_inputs_fini(&b.inputs);
    cv_hyphcache_destroy(hyph);
    cv_fontcache_destroy(fonts);
    return oom(&b);
  }
  b.parts = cv_calloc_n(b.n ? b.n : 1, sizeof *b.parts);
  b.pages = cv_calloc_n(b.n ? b.n : 1, sizeof *b.pages);
  b.popts = cv_calloc_n(b.n ? b.n : 1, sizeof *b.popts);
  int rc = !b.parts || !b.pages || !b.popts ? oom(&b) : b.n ? run(&b) : -1;
  cv_pdf_free(b.pdf); /* before the parts, whose fonts it uses */
  for (size_t i = 0; b.parts && i < b.n; i++)
    cv_part_free(b.parts[i]);
  free(b.parts);
  free(b.pages);
  free(b.popts);
  cv_structure_fini(&b.tree);
  cv_inputs_fini(&b.inputs);
  cv_hyphcache_destroy(hyph);
  cv_fontcache_destroy(fonts);
  stats->t_total = cv_now() - t0;
  return rc;
}

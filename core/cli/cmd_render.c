/* cvpdf - the render command. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/atomic.h"
#include "cli/cli.h"
#include "output/raster.h"
#include "pipeline/render.h"
#include "pipeline/sandbox.h"
#include "text/text.h"

static void print_timing(const cv_render_stats *s) {
  fprintf(stderr,
          "  parse %.2f ms, plugins %.2f ms, build %.2f ms (shaping %.2f ms, "
          "line breaking %.2f ms), pages %.2f ms, write %.2f ms\n"
          "  %zu paragraphs, %zu lines, %zu hyphenated, %zu overfull\n",
          s->t_parse * 1e3, s->t_plugins * 1e3, s->t_build * 1e3,
          s->t_shape * 1e3, s->t_break * 1e3, s->t_pages * 1e3,
          s->t_write * 1e3, s->paragraphs, s->lines, s->hyphenated,
          s->overfull);
}

/* Long-only options. */
enum {
  OPT_MAX_INPUT = 1000,
  OPT_MAX_DEPTH,
  OPT_MAX_NODES,
  OPT_MAX_STRING,
  OPT_MAX_PAGES,
  OPT_SAFE,
  OPT_OFFLINE,
  OPT_JOBS,
  OPT_PNG,
  OPT_DPI,
  OPT_MAX_SECONDS,
  OPT_LANG,
  OPT_BUNDLE,
  OPT_PAGE_NUMBERS,
  OPT_PDFA,
  OPT_NO_PDFA
};

/* A limit: a positive whole number, with an optional K, M or G (powers of
 * 1024) for byte counts.  Returns 0, or -1 after saying what is wrong. */
static int parse_limit(const char *opt, const char *s, int bytes, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
  int shift = 0;
  if (v && errno == 0 && bytes && end[0] && !end[1])
    shift = end[0] == 'K' || end[0] == 'k' ? 10
            : end[0] == 'M'                ? 20
            : end[0] == 'G'                ? 30
                                           : -1;
  if (!v || errno || shift < 0 || (!shift && *end) || v > (SIZE_MAX >> shift)) {
    fprintf(stderr, "cvpdf: %s expected a positive number%s, found '%s'\n", opt,
            bytes ? " (bytes; K, M or G allowed)" : "", s);
    return -1;
  }
  *out = (size_t)v << shift;
  return 0;
}

static int is_dir(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* ---- several CVs ------------------------------------------------------ */

/* One CV of a batch: its options, and what its render left to print. */
typedef struct job {
  cv_render_opts o;
  char *out; /* owned: DIR/NAME.pdf when -o names a directory */
  char *png; /* owned: the PNG output (pages get -N), or NULL for a PDF */
  double dpi, t0;
  long png_pages;
  char png_dir[PATH_MAX], png_pdf[PATH_MAX + 8];
  cv_diags diags;
  cv_render_stats stats;
  int rc, done;
} job;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* PNG output: the PDF goes to a private temporary directory and poppler
 * reads it back, so the pictures show what the PDF holds.  png_begin
 * points the render there, png_end makes the pictures and cleans up. */
static int png_begin(job *j) {
  j->t0 = now_ms();
  if (cv_private_tmpdir(j->png_dir, sizeof j->png_dir, "png") < 0)
    return -1;
  snprintf(j->png_pdf, sizeof j->png_pdf, "%s/cv.pdf", j->png_dir);
  j->o.output = j->png_pdf;
  j->o.png_output = j->png;
  return 0;
}

static int png_end(job *j, int rc) {
  if (rc == 0) {
    cv_status st = {0};
    j->png_pages =
        cv_png_write_pages(j->png_pdf, j->png, j->dpi, j->o.input, &st);
    if (j->png_pages < 0) {
      cv_diags_add(&j->diags, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
      rc = -1;
    }
  }
  unlink(j->png_pdf);
  rmdir(j->png_dir);
  j->o.output = j->png;
  j->stats.t_total = (now_ms() - j->t0) * 1e-3;
  return rc;
}

static int run_png(job *j) {
  if (png_begin(j) < 0)
    return -1;
  return png_end(j, cv_render(&j->o, &j->diags, &j->stats));
}

static int run_job(job *j) {
  return j->png ? run_png(j) : cv_render(&j->o, &j->diags, &j->stats);
}

typedef struct batch {
  job *jobs;
  size_t n, next; /* next: the first job no thread has taken */
  pthread_mutex_t mu;
  pthread_cond_t cv; /* signalled when a job is done */
} batch;

static void *worker(void *arg) {
  batch *b = arg;
  for (;;) {
    pthread_mutex_lock(&b->mu);
    size_t i = b->next < b->n ? b->next++ : b->n;
    pthread_mutex_unlock(&b->mu);
    if (i == b->n)
      return NULL;
    job *j = &b->jobs[i];
    j->rc = run_job(j);
    pthread_mutex_lock(&b->mu);
    j->done = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
  }
}

static void report_png(const job *j) {
  char *first = cv_png_page_name(j->png, 0, (size_t)j->png_pages);
  char *last =
      cv_png_page_name(j->png, (size_t)j->png_pages - 1, (size_t)j->png_pages);
  fprintf(stderr, "cvpdf: wrote %s%s%s (%ld page%s at %g dpi) in %.1f ms\n",
          first ? first : j->png, j->png_pages > 1 ? " to " : "",
          j->png_pages > 1 && last ? last : "", j->png_pages,
          j->png_pages == 1 ? "" : "s", j->dpi, j->stats.t_total * 1e3);
  free(first);
  free(last);
}

static void report(const job *j, int quiet, int timing) {
  cv_print_diags(&j->diags);
  if (j->rc == 0 && !quiet && j->png)
    report_png(j);
  else if (j->rc == 0 && !quiet)
    fprintf(stderr, "cvpdf: wrote %s (%zu page%s, %zu bytes) in %.1f ms\n",
            j->stats.output, j->stats.pages, j->stats.pages == 1 ? "" : "s",
            j->stats.bytes, j->stats.t_total * 1e3);
  if (j->rc != 0)
    fprintf(stderr, "cvpdf: %s: not rendered%s\n", j->o.input,
            j->o.output || j->stats.output[0]
                ? "; the previous output, if any, is untouched"
                : "");
  if (timing)
    print_timing(&j->stats);
}

/* DIR/NAME.pdf for input DIR0/NAME.yaml. */
static char *output_in(const char *dir, const char *input) {
  char *def = cv_default_output(input);
  if (!def)
    return NULL;
  const char *base = strrchr(def, '/');
  base = base ? base + 1 : def;
  size_t n = strlen(dir) + strlen(base) + 2;
  char *p = malloc(n);
  int slash = n > 2 && dir[strlen(dir) - 1] == '/';
  if (p)
    snprintf(p, n, "%s%s%s", dir, slash ? "" : "/", base);
  free(def);
  return p;
}

/* PATH with its .pdf or .png ending (if any) replaced by .png. */
static char *png_of(const char *path) {
  size_t n = strlen(path);
  if (n >= 4 &&
      (!strcmp(path + n - 4, ".pdf") || !strcmp(path + n - 4, ".png")))
    n -= 4;
  char *p = malloc(n + 5);
  if (p) {
    memcpy(p, path, n);
    memcpy(p + n, ".png", 5);
  }
  return p;
}

/* What the render command line says. */
typedef struct render_cmd {
  cv_render_args a;
  const char *const *inputs;
  size_t n;
  long jobs;
  int quiet, timing, png, bundle;
  double dpi;
} render_cmd;

/* Where job i's output goes: -o (a directory with several CVs), else next
 * to its CV; a PNG name when PNGs were asked for.  Returns 0 or -1. */
static int place_job(job *j, const render_cmd *rc, size_t i) {
  const cv_render_opts *o = &rc->a.o;
  if (rc->n > 1 && o->output) {
    if (!(j->out = output_in(o->output, rc->inputs[i])))
      return -1;
    j->o.output = j->out;
  }
  if (!rc->png)
    return 0;
  const char *pdf = j->o.output;
  char *def = pdf ? NULL : cv_default_output(rc->inputs[i]);
  j->png = pdf || def ? png_of(pdf ? pdf : def) : NULL;
  free(def);
  j->dpi = rc->dpi;
  j->o.output = j->png;
  return j->png ? 0 : -1;
}

/* ---- outputs that clash ------------------------------------------------ */

/* The inputs of the batch known before rendering: each CV and the
 * operator's --layout file (a name ending in .yaml is a path). */
static int batch_inputs(const job *jobs, size_t n, const char *layout,
                        cv_inputs *in) {
  struct stat sb;
  for (size_t i = 0; i < n; i++)
    if (stat(jobs[i].o.input, &sb) == 0 &&
        cv_inputs_add(in, &sb, jobs[i].o.input) < 0)
      return -1;
  size_t len = layout ? strlen(layout) : 0;
  if (len > 5 && !strcmp(layout + len - 5, ".yaml") && stat(layout, &sb) == 0)
    return cv_inputs_add(in, &sb, layout);
  return 0;
}

/* Identifies output path as ids[i] and reports when it is an input.
 * Returns 1 when reported; a path that cannot be identified is left to
 * the render, which says why it cannot be written. */
static int identify(const char *path, const cv_inputs *in, cv_output_id *id) {
  cv_status st = {0};
  if (!strcmp(path, "/dev/null") || cv_output_identify(path, id, &st) < 0)
    return 0;
  const char *input = id->exists ? cv_inputs_find(in, &id->sb) : NULL;
  if (input)
    fprintf(stderr,
            "cvpdf: %s: expected an output file, found '%s', which this run "
            "reads; nothing was rendered (choose another output name)\n",
            path, input);
  return input != NULL;
}

/* The path each job writes, and the trace's last (NULL when none). */
static char **output_paths(const job *jobs, size_t n, const char *trace) {
  char **outs = cv_calloc_n(n + 1, sizeof *outs);
  for (size_t i = 0; outs && i < n; i++) {
    outs[i] = jobs[i].o.output ? cv_strdup(jobs[i].o.output)
                               : cv_default_output(jobs[i].o.input);
    if (!outs[i])
      goto oom;
  }
  if (outs && trace && strcmp(trace, "-") && !(outs[n] = cv_strdup(trace)))
    goto oom;
  return outs;
oom:
  for (size_t i = 0; i <= n; i++)
    free(outs[i]);
  free(outs);
  return NULL;
}

/* Reports two outputs of the batch that are one file. */
static int clash(const job *jobs, size_t n, char **outs,
                 const cv_output_id *ids, size_t i, size_t k) {
  if (!ids[i].base || !ids[k].base || !cv_output_same(&ids[i], &ids[k]))
    return 0;
  if (k == n)
    fprintf(stderr,
            "cvpdf: the trace %s and the PDF %s are one file; nothing was "
            "rendered (choose another --trace)\n",
            outs[k], outs[i]);
  else
    fprintf(stderr,
            "cvpdf: %s and %s would both be written to %s; nothing was "
            "rendered (render them into different directories, or one at a "
            "time with -o)\n",
            jobs[i].o.input, jobs[k].o.input, outs[k]);
  return 1;
}

/* Before anything is rendered: no output of the batch is one of its CVs
 * (or the --layout file), and no two outputs (the trace included) are one
 * file, so no CV is lost to another's PDF.  Returns 0, or -1 after saying
 * what clashes. */
static int check_batch(const job *jobs, size_t n, const cv_render_opts *o) {
  cv_inputs in;
  cv_inputs_init(&in);
  char **outs = output_paths(jobs, n, o->trace);
  cv_output_id *ids = cv_calloc_n(n + 1, sizeof *ids);
  int bad = 0;
  if (!outs || !ids || batch_inputs(jobs, n, o->layout, &in) < 0) {
    fputs("cvpdf: out of memory\n", stderr);
    bad = 1;
  }
  for (size_t i = 0; !bad && i <= n; i++)
    bad = outs[i] && identify(outs[i], &in, &ids[i]);
  for (size_t k = 1; !bad && k <= n; k++)
    for (size_t i = 0; !bad && i < k; i++)
      bad = clash(jobs, n, outs, ids, i, k);
  for (size_t i = 0; i <= n; i++) {
    if (ids)
      cv_output_id_fini(&ids[i]);
    if (outs)
      free(outs[i]);
  }
  free(ids);
  free(outs);
  cv_inputs_fini(&in);
  return bad ? -1 : 0;
}

/* A --safe batch: every CV renders in a child process anyway, so the
 * children are the parallel work, forked and watched from this one thread
 * (cv_render_isolated_all says why not from several). */
typedef struct safe_batch {
  job *jobs;
  size_t n, reported;
  size_t *index; /* of the job each cv_isolated_job renders */
  cv_isolated_job *iso;
  int quiet, timing, failed;
} safe_batch;

/* Reports each job that is done and all before it are. */
static void report_ready(safe_batch *sb) {
  for (; sb->reported < sb->n && sb->jobs[sb->reported].done; sb->reported++) {
    job *j = &sb->jobs[sb->reported];
    report(j, sb->quiet, sb->timing);
    sb->failed |= j->rc != 0;
  }
}

static void safe_done(void *ud, size_t i) {
  safe_batch *sb = ud;
  job *j = &sb->jobs[sb->index[i]];
  j->rc = j->png ? png_end(j, sb->iso[i].rc) : sb->iso[i].rc;
  j->done = 1;
  report_ready(sb);
}

/* Returns 1 if a job failed, 0 if none did, -1 when out of memory before
 * anything was rendered. */
static int render_safe(job *jobs, size_t n, size_t parallel, int quiet,
                       int timing) {
  safe_batch sb = {jobs,
                   n,
                   0,
                   cv_calloc_n(n, sizeof *sb.index),
                   cv_calloc_n(n, sizeof *sb.iso),
                   quiet,
                   timing,
                   0};
  if (!sb.index || !sb.iso) {
    free(sb.index);
    free(sb.iso);
    return -1;
  }
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    job *j = &jobs[i];
    if (j->png && png_begin(j) < 0) {
      j->rc = -1;
      j->done = 1;
      continue;
    }
    sb.index[m] = i;
    sb.iso[m++] = (cv_isolated_job){&j->o, &j->diags, &j->stats, 0};
  }
  report_ready(&sb);
  cv_render_isolated_all(sb.iso, m, parallel, safe_done, &sb);
  report_ready(&sb);
  free(sb.index);
  free(sb.iso);
  return sb.failed;
}

/* Renders every input with the options of o, in up to njobs threads that
 * share fonts and hyphenation patterns.  Reports are printed in input
 * order, each as soon as its CV and those before it are done.  A failed CV
 * does not stop the others.  Returns the exit status. */
static int render_all(const render_cmd *rc) {
  size_t n = rc->n;
  long njobs = rc->jobs;
  int quiet = rc->quiet, timing = rc->timing;
  cv_status st = {0};
  batch b = {.n = n};
  cv_fontcache *fonts = cv_fontcache_create(&st);
  cv_hyphcache *hyph = cv_hyphcache_create();
  b.jobs = cv_calloc_n(n, sizeof *b.jobs);
  if (!fonts || !hyph || !b.jobs) {
    fprintf(stderr, "cvpdf: %s\n", st.failed ? st.msg : "out of memory");
    free(b.jobs);
    cv_hyphcache_destroy(hyph);
    cv_fontcache_destroy(fonts);
    return 1;
  }
  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    job *j = &b.jobs[i];
    j->o = rc->a.o;
    j->o.input = rc->inputs[i];
    j->o.font_cache = fonts;
    j->o.hyph_cache = hyph;
    cv_diags_init(&j->diags);
    if (place_job(j, rc, i) < 0) {
      fputs("cvpdf: out of memory\n", stderr);
      failed = 1;
    }
  }
  int clashed = !failed && !rc->bundle && check_batch(b.jobs, n, &rc->a.o) < 0;
  failed = failed || clashed;
  size_t nthreads = njobs > 1 ? (size_t)njobs : 1;
  if (nthreads > n)
    nthreads = n;
  pthread_t *tids = NULL;
  size_t started = 0;
  int done = failed; /* nothing more to render or report */
  if (!failed && nthreads > 1 && rc->a.o.safe) {
    int r = render_safe(b.jobs, n, nthreads, quiet, timing);
    failed = r > 0;
    done = r >= 0; /* else out of memory: one at a time below */
  } else if (!failed && nthreads > 1 && pthread_mutex_init(&b.mu, NULL) == 0) {
    if (pthread_cond_init(&b.cv, NULL) == 0) {
      tids = cv_calloc_n(nthreads, sizeof *tids);
      for (; tids && started < nthreads; started++)
        if (pthread_create(&tids[started], NULL, worker, &b) != 0)
          break;
      /* Fewer threads than asked still render everything; none: the
       * loop below renders in this thread. */
      if (started == 0)
        pthread_cond_destroy(&b.cv);
    }
    if (started == 0)
      pthread_mutex_destroy(&b.mu);
  }
  for (size_t i = 0; !done && i < n; i++) {
    job *j = &b.jobs[i];
    if (started) {
      pthread_mutex_lock(&b.mu);
      while (!j->done)
        pthread_cond_wait(&b.cv, &b.mu);
      pthread_mutex_unlock(&b.mu);
    } else {
      j->rc = run_job(j);
    }
    report(j, quiet, timing);
    if (j->rc != 0)
      failed = 1;
  }
  if (started) {
    for (size_t t = 0; t < started; t++)
      pthread_join(tids[t], NULL);
    pthread_cond_destroy(&b.cv);
    pthread_mutex_destroy(&b.mu);
  }
  free(tids);
  for (size_t i = 0; i < n; i++) {
    cv_diags_fini(&b.jobs[i].diags);
    free(b.jobs[i].out);
    free(b.jobs[i].png);
  }
  free(b.jobs);
  cv_hyphcache_destroy(hyph);
  cv_fontcache_destroy(fonts);
  return clashed ? 2 : failed ? 1 : 0;
}

/* The options that shape a render, which serve takes too. */
#define SHAPE_OPTIONS                                                          \
  {"layout", required_argument, NULL, 'l'},                                    \
      {"plugin-dir", required_argument, NULL, 'p'},                            \
      {"only", required_argument, NULL, 'O'},                                  \
      {"lang", required_argument, NULL, OPT_LANG},                             \
      {"max-input-bytes", required_argument, NULL, OPT_MAX_INPUT},             \
      {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},                   \
      {"max-nodes", required_argument, NULL, OPT_MAX_NODES},                   \
      {"max-string", required_argument, NULL, OPT_MAX_STRING},                 \
      {"max-pages", required_argument, NULL, OPT_MAX_PAGES},                   \
      {"safe", no_argument, NULL, OPT_SAFE},                                   \
      {"offline", no_argument, NULL, OPT_OFFLINE}, {                           \
    "max-seconds", required_argument, NULL, OPT_MAX_SECONDS                    \
  }

const struct option cv_render_shape_options[] = {SHAPE_OPTIONS,
                                                 {NULL, 0, NULL, 0}};

void cv_render_args_init(cv_render_args *a, const cv_dirs *d) {
  memset(a, 0, sizeof *a);
  cv_render_opts_init(&a->o, d);
  a->o.plugin_dirs = a->plugin_dirs;
}

int cv_render_args_take(cv_render_args *a, int c, const char *arg) {
  cv_render_opts *o = &a->o;
  switch (c) {
  case 'l':
    o->layout = arg;
    return 1;
  case 'p':
    return cv_push_arg(a->plugin_dirs, &a->nplugin, arg, "--plugin-dir") < 0
               ? -1
               : 1;
  case 'O':
    if (cv_push_arg(a->only, &a->nonly, arg, "--only") < 0)
      return -1;
    o->only = a->only;
    return 1;
  case OPT_LANG:
    o->lang = arg;
    return 1;
  case OPT_MAX_INPUT:
    return parse_limit("--max-input-bytes", arg, 1,
                       &o->limits.max_input_bytes) < 0
               ? -1
               : 1;
  case OPT_MAX_STRING:
    return parse_limit("--max-string", arg, 1, &o->limits.max_string_bytes) < 0
               ? -1
               : 1;
  case OPT_MAX_DEPTH:
    return parse_limit("--max-depth", arg, 0, &o->limits.max_depth) < 0 ? -1
                                                                        : 1;
  case OPT_MAX_NODES:
    return parse_limit("--max-nodes", arg, 0, &o->limits.max_nodes) < 0 ? -1
                                                                        : 1;
  case OPT_MAX_PAGES:
    return parse_limit("--max-pages", arg, 0, &o->max_pages) < 0 ? -1 : 1;
  case OPT_SAFE:
    o->safe = 1;
    return 1;
  case OPT_OFFLINE:
    o->offline = 1;
    return 1;
  case OPT_MAX_SECONDS:
    return parse_limit("--max-seconds", arg, 0, &o->max_seconds) < 0 ? -1 : 1;
  }
  return 0;
}

int cv_parse_dpi(const char *arg, double *dpi) {
  size_t v;
  if (parse_limit("--dpi", arg, 0, &v) < 0)
    return -1;
  if (v < CV_PNG_MIN_DPI || v > CV_PNG_MAX_DPI) {
    fprintf(stderr, "cvpdf: --dpi expected %d to %d, found %zu\n",
            CV_PNG_MIN_DPI, CV_PNG_MAX_DPI, v);
    return -1;
  }
  *dpi = (double)v;
  return 0;
}

/* Render's own options.  Returns 1 when c was one, 0 when not, -1 after a
 * usage error. */
static int take_own(render_cmd *rc, int c, const char *arg) {
  switch (c) {
  case 'o':
    rc->a.o.output = arg;
    return 1;
  case 't':
    rc->a.o.trace = arg;
    return 1;
  case 'q':
    rc->quiet = 1;
    return 1;
  case 'T':
    rc->timing = 1;
    return 1;
  case OPT_PNG:
    rc->png = 1;
    return 1;
  case OPT_PDFA:
  case OPT_NO_PDFA:
    rc->a.o.pdfa = c == OPT_PDFA ? 1 : -1;
    return 1;
  case OPT_DPI:
    return cv_parse_dpi(arg, &rc->dpi) < 0 ? -1 : 1;
  case OPT_BUNDLE:
    rc->bundle = 1;
    return 1;
  case OPT_PAGE_NUMBERS:
    if (!strcmp(arg, "continue") || !strcmp(arg, "restart")) {
      rc->a.o.page_numbers =
          arg[0] == 'c' ? CV_PAGES_CONTINUE : CV_PAGES_RESTART;
      return 1;
    }
    fprintf(stderr,
            "cvpdf: --page-numbers expected continue or restart, found "
            "'%s'\n",
            arg);
    return -1;
  case 'j': {
    size_t v;
    if (parse_limit("-j", arg, 0, &v) < 0)
      return -1;
    /* More threads than CVs or cores buy nothing. */
    rc->jobs = v > 64 ? 64 : (long)v;
    return 1;
  }
  }
  return 0;
}

/* A bundle's options: one output file, none of its documents.  Returns
 * 0, or 2 after saying what is wrong. */
static int check_bundle(const render_cmd *rc) {
  const cv_render_opts *o = &rc->a.o;
  if (!o->output || is_dir(o->output)) {
    fprintf(stderr,
            "cvpdf: --bundle writes one PDF: name it with -o, as in "
            "cvpdf render letter.yaml cv.yaml --bundle -o application.pdf%s\n",
            o->output ? " (-o names a directory)" : "");
    return 2;
  }
  cv_inputs in;
  cv_inputs_init(&in);
  struct stat sb;
  int bad = 0;
  for (size_t i = 0; i < rc->n && !bad; i++)
    bad = stat(rc->inputs[i], &sb) == 0 &&
          cv_inputs_add(&in, &sb, rc->inputs[i]) < 0;
  cv_output_id id;
  memset(&id, 0, sizeof id);
  if (bad)
    fputs("cvpdf: out of memory\n", stderr);
  else
    bad = identify(o->output, &in, &id);
  cv_output_id_fini(&id);
  cv_inputs_fini(&in);
  return bad ? 2 : 0;
}

/* Refuses combinations the options cannot mean; returns 0 or 2. */
static int check_cmd(render_cmd *rc) {
  const cv_render_opts *o = &rc->a.o;
  size_t len = o->output ? strlen(o->output) : 0;
  if (len >= 4 && !strcmp(o->output + len - 4, ".png") &&
      (rc->n == 1 || rc->bundle))
    rc->png = 1;
  if (rc->bundle)
    return check_bundle(rc);
  if (o->page_numbers) {
    fputs("cvpdf: --page-numbers numbers the parts of a bundle; add "
          "--bundle\n",
          stderr);
    return 2;
  }
  if (rc->n > 1 && o->trace) {
    fputs("cvpdf: --trace takes one CV file; render the others separately\n",
          stderr);
    return 2;
  }
  if (rc->n > 1 && o->output && !is_dir(o->output)) {
    fprintf(stderr,
            "cvpdf: with several CV files, -o names a directory for "
            "the %s; '%s' is not a directory\n",
            rc->png ? "PNGs" : "PDFs", o->output);
    return 2;
  }
  return 0;
}

int cv_cmd_render(int argc, char **argv) {
  static const struct option longopts[] = {
      SHAPE_OPTIONS,
      {"output", required_argument, NULL, 'o'},
      {"trace", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},
      {"timing", no_argument, NULL, 'T'},
      {"jobs", required_argument, NULL, 'j'},
      {"png", no_argument, NULL, OPT_PNG},
      {"dpi", required_argument, NULL, OPT_DPI},
      {"bundle", no_argument, NULL, OPT_BUNDLE},
      {"page-numbers", required_argument, NULL, OPT_PAGE_NUMBERS},
      {"pdfa", no_argument, NULL, OPT_PDFA},
      {"no-pdfa", no_argument, NULL, OPT_NO_PDFA},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cv_dirs d;
  cv_find_dirs(&d);
  render_cmd rc = {.jobs = 1, .dpi = CV_PNG_DEFAULT_DPI};
  cv_render_args_init(&rc.a, &d);
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:l:p:j:qh", longopts, NULL)) != -1) {
    int took = cv_render_args_take(&rc.a, c, optarg);
    if (!took)
      took = take_own(&rc, c, optarg);
    if (took < 0)
      return 2;
    if (!took)
      return cv_common_opt(c, optarg, NULL, NULL);
  }
  if (optind >= argc) {
    fputs("cvpdf: render needs a CV file, as in: cvpdf render cv.yaml\n",
          stderr);
    return 2;
  }
  rc.inputs = (const char *const *)argv + optind;
  rc.n = (size_t)(argc - optind);
  if (check_cmd(&rc))
    return 2;
  if (rc.bundle) { /* one job: the documents are its parts */
    rc.a.o.bundle = rc.inputs;
    rc.a.o.input = rc.a.o.output;
    rc.n = 1;
    rc.inputs = &rc.a.o.output;
  }
  return render_all(&rc);
}

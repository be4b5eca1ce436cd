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

#include "cli/cli.h"
#include "pipeline/render.h"

extern const char cv_usage[];

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

/* Limit options (long only). */
enum { OPT_MAX_INPUT = 1000, OPT_MAX_DEPTH, OPT_MAX_NODES, OPT_MAX_STRING,
       OPT_MAX_PAGES, OPT_SAFE, OPT_JOBS, OPT_MAX_SECONDS };

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
  if (!v || errno || shift < 0 || (!shift && *end) ||
      v > (SIZE_MAX >> shift)) {
    fprintf(stderr, "cvpdf: %s expected a positive number%s, found '%s'\n",
            opt, bytes ? " (bytes; K, M or G allowed)" : "", s);
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
  cv_diags diags;
  cv_render_stats stats;
  int rc, done;
} job;

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
    j->rc = cv_render(&j->o, &j->diags, &j->stats);
    pthread_mutex_lock(&b->mu);
    j->done = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
  }
}

static void report(const job *j, int quiet, int timing) {
  cv_print_diags(&j->diags);
  if (j->rc == 0 && !quiet)
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
  if (p)
    snprintf(p, n, "%s/%s", dir, base);
  free(def);
  return p;
}

/* Renders every input with the options of o, in up to njobs threads that
 * share fonts and hyphenation patterns.  Reports are printed in input
 * order, each as soon as its CV and those before it are done.  A failed CV
 * does not stop the others.  Returns the exit status. */
static int render_all(const cv_render_opts *o, const char *const *inputs,
                      size_t n, long njobs, int quiet, int timing) {
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
    j->o = *o;
    j->o.input = inputs[i];
    j->o.font_cache = fonts;
    j->o.hyph_cache = hyph;
    cv_diags_init(&j->diags);
    if (n > 1 && o->output) {
      if (!(j->out = output_in(o->output, inputs[i]))) {
        fputs("cvpdf: out of memory\n", stderr);
        failed = 1;
      }
      j->o.output = j->out;
    }
  }
  size_t nthreads = njobs > 1 ? (size_t)njobs : 1;
  if (nthreads > n)
    nthreads = n;
  pthread_t *tids = NULL;
  size_t started = 0;
  if (!failed && nthreads > 1 && pthread_mutex_init(&b.mu, NULL) == 0) {
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
  int setup_failed = failed;
  for (size_t i = 0; !setup_failed && i < n; i++) {
    job *j = &b.jobs[i];
    if (started) {
      pthread_mutex_lock(&b.mu);
      while (!j->done)
        pthread_cond_wait(&b.cv, &b.mu);
      pthread_mutex_unlock(&b.mu);
    } else {
      j->rc = cv_render(&j->o, &j->diags, &j->stats);
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
  }
  free(b.jobs);
  cv_hyphcache_destroy(hyph);
  cv_fontcache_destroy(fonts);
  return failed ? 1 : 0;
}

int cv_cmd_render(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"layout", required_argument, NULL, 'l'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"trace", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},
      {"timing", no_argument, NULL, 'T'},
      {"only", required_argument, NULL, 'O'},
      {"max-input-bytes", required_argument, NULL, OPT_MAX_INPUT},
      {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
      {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
      {"max-string", required_argument, NULL, OPT_MAX_STRING},
      {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
      {"safe", no_argument, NULL, OPT_SAFE},
      {"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
      {"jobs", required_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cv_dirs d;
  cv_find_dirs(&d);
  cv_render_opts o;
  cv_render_opts_init(&o, &d);
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
  const char *only[CV_MAX_DIRS + 1] = {0};
  size_t nonly = 0;
  size_t nplugin = 0;
  int quiet = 0, timing = 0, c;
  long jobs = 1;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:l:p:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      o.output = optarg;
      break;
    case 'l':
      o.layout = optarg;
      break;
    case 'p':
      if (cv_push_arg(plugin_dirs, &nplugin, optarg, "--plugin-dir") < 0)
        return 2;
      break;
    case 't':
      o.trace = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'T':
      timing = 1;
      break;
    case 'O':
      if (cv_push_arg(only, &nonly, optarg, "--only") < 0)
        return 2;
      break;
    case OPT_MAX_INPUT:
    case OPT_MAX_STRING:
      if (parse_limit(c == OPT_MAX_INPUT ? "--max-input-bytes" : "--max-string",
                      optarg, 1,
                      c == OPT_MAX_INPUT ? &o.limits.max_input_bytes
                                         : &o.limits.max_string_bytes) < 0)
        return 2;
      break;
    case OPT_MAX_DEPTH:
      if (parse_limit("--max-depth", optarg, 0, &o.limits.max_depth) < 0)
        return 2;
      break;
    case OPT_MAX_NODES:
      if (parse_limit("--max-nodes", optarg, 0, &o.limits.max_nodes) < 0)
        return 2;
      break;
    case OPT_MAX_PAGES:
      if (parse_limit("--max-pages", optarg, 0, &o.max_pages) < 0)
        return 2;
      break;
    case OPT_SAFE:
      o.safe = 1;
      break;
    case OPT_MAX_SECONDS:
      if (parse_limit("--max-seconds", optarg, 0, &o.max_seconds) < 0)
        return 2;
      break;
    case 'j': {
      size_t v;
      if (parse_limit("-j", optarg, 0, &v) < 0)
        return 2;
      jobs = v > 64 ? 64 : (long)v; /* more threads than CVs or cores buy
                                       nothing */
      break;
    }
    case 'h':
      fputs(cv_usage, stdout);
      return 0;
    default:
      fputs("Try 'cvpdf --help'.\n", stderr);
      return 2;
    }
  }
  if (optind >= argc) {
    fputs("cvpdf: render needs a CV file, as in: cvpdf render cv.yaml\n",
          stderr);
    return 2;
  }
  size_t ninputs = (size_t)(argc - optind);
  if (ninputs > 1 && o.trace) {
    fputs("cvpdf: --trace takes one CV file; render the others separately\n",
          stderr);
    return 2;
  }
  if (ninputs > 1 && o.output && !is_dir(o.output)) {
    fprintf(stderr, "cvpdf: with several CV files, -o names a directory for "
                    "the PDFs; '%s' is not a directory\n", o.output);
    return 2;
  }
  o.plugin_dirs = plugin_dirs;
  o.only = nonly ? only : NULL;
  return render_all(&o, (const char *const *)argv + optind, ninputs, jobs,
                    quiet, timing);
}
